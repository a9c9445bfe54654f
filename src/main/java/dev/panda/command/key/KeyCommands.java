package dev.panda.command.key;

import dev.panda.command.Args;
import dev.panda.command.Client;
import dev.panda.command.Errors;
import dev.panda.command.Glob;
import dev.panda.command.Help;
import dev.panda.command.ScanOptions;
import dev.panda.protocol.Reply;
import dev.panda.store.Database;
import dev.panda.store.Slice;
import dev.panda.store.Status;
import dev.panda.store.value.Encoding;
import dev.panda.store.value.ValueType;
import dev.panda.store.Keyspace;
import java.util.ArrayList;
import java.util.List;

/**
 * Generic key commands: existence, type, renaming, copying between databases, iteration,
 * TTLs, OBJECT, database selection and flushing. Store thread only.
 */
public final class KeyCommands {
    private final Slice value = new Slice();

    private static Database db(Client c) {
        return c.server().keyspace().db(c.db());
    }

    public void del(Client c, byte[][] argv, Reply r) {
        Database db = db(c);
        int n = 0;
        for (int i = 1; i < argv.length; i++) {
            if (db.delete(argv[i])) {
                n++;
            }
        }
        r.integer(n);
    }

    public void exists(Client c, byte[][] argv, Reply r) {
        Database db = db(c);
        int n = 0;
        for (int i = 1; i < argv.length; i++) {
            if (db.existsRead(argv[i])) {
                n++;
            }
        }
        r.integer(n);
    }

    public void touch(Client c, byte[][] argv, Reply r) {
        Keyspace keyspace = c.server().keyspace();
        keyspace.setTouching(true); // TOUCH counts as an access even for a NO-TOUCH client
        exists(c, argv, r);
    }

    public void type(Client c, byte[][] argv, Reply r) {
        ValueType type = db(c).type(argv[1]);
        r.simple(type == null ? "none" : type.typeName());
    }

    public void rename(Client c, byte[][] argv, Reply r) {
        rename(c, argv, r, false);
    }

    public void renamenx(Client c, byte[][] argv, Reply r) {
        rename(c, argv, r, true);
    }

    private void rename(Client c, byte[][] argv, Reply r, boolean onlyIfAbsent) {
        Database db = db(c);
        if (!db.exists(argv[1])) {
            r.error(Errors.NO_SUCH_KEY);
            return;
        }
        boolean same = java.util.Arrays.equals(argv[1], argv[2]);
        if (onlyIfAbsent && (same || db.exists(argv[2]))) {
            r.integer(0);
            return;
        }
        db.rename(argv[1], argv[2]);
        if (onlyIfAbsent) {
            r.integer(1);
        } else {
            r.ok();
        }
    }

    private static int dbIndex(Client c, byte[] arg) {
        long index = Args.parseLong(arg);
        if (index < 0 || index >= c.server().keyspace().databaseCount()) {
            throw new Args.Invalid(Errors.DB_OUT_OF_RANGE);
        }
        return (int) index;
    }

    public void copy(Client c, byte[][] argv, Reply r) {
        int target = c.db();
        boolean replace = false;
        for (int i = 3; i < argv.length; i++) {
            if (Args.is(argv[i], "replace")) {
                replace = true;
            } else if (Args.is(argv[i], "db") && i + 1 < argv.length) {
                target = dbIndex(c, argv[++i]);
            } else {
                r.error(Errors.SYNTAX);
                return;
            }
        }
        if (target == c.db() && java.util.Arrays.equals(argv[1], argv[2])) {
            r.error(Errors.SAME_OBJECT);
            return;
        }
        Database dst = c.server().keyspace().db(target);
        r.integer(db(c).copy(argv[1], dst, argv[2], replace) ? 1 : 0);
    }

    public void move(Client c, byte[][] argv, Reply r) {
        int target = dbIndex(c, argv[2]);
        if (target == c.db()) {
            r.error(Errors.SAME_OBJECT);
            return;
        }
        Database dst = c.server().keyspace().db(target);
        r.integer(db(c).move(argv[1], dst) ? 1 : 0);
    }

    public void randomkey(Client c, byte[][] argv, Reply r) {
        byte[] key = db(c).randomKey(c.server().keyspace().random());
        if (key == null) {
            r.nullBulk();
        } else {
            r.bulk(key);
        }
    }

    public void keys(Client c, byte[][] argv, Reply r) {
        List<byte[]> matching = new ArrayList<>();
        boolean all = argv[1].length == 1 && argv[1][0] == '*';
        for (byte[] key : db(c).keys()) {
            if (all || Glob.matches(argv[1], key, false)) {
                matching.add(key);
            }
        }
        r.array(matching.size());
        matching.forEach(r::bulk);
    }

    /** LIST, the seed's word for KEYS *. */
    public void listAll(Client c, byte[][] argv, Reply r) {
        keys(c, new byte[][] {argv[0], {'*'}}, r);
    }

    public void scan(Client c, byte[][] argv, Reply r) {
        long cursor = ScanOptions.cursor(argv[1]);
        ScanOptions o = ScanOptions.parse(argv, 2, true);
        ValueType type = o.typeName() == null ? null : ValueType.fromName(o.typeName());
        boolean unknownType = o.typeName() != null && type == null; // Redis 7.0 returns no keys, no error
        List<byte[]> found = new ArrayList<>();
        long next = db(c).scan(cursor, o.countHint(), type, found);
        List<byte[]> keys = new ArrayList<>(found.size());
        for (byte[] key : found) {
            if (!unknownType && o.matches(key, 0, key.length)) {
                keys.add(key);
            }
        }
        r.array(2);
        r.bulk(Long.toUnsignedString(next));
        r.array(keys.size());
        keys.forEach(r::bulk);
    }

    public void dbsize(Client c, byte[][] argv, Reply r) {
        r.integer(db(c).size());
    }

    public void expire(Client c, byte[][] argv, Reply r) {
        expireGeneric(c, argv, r, 1000, false);
    }

    public void pexpire(Client c, byte[][] argv, Reply r) {
        expireGeneric(c, argv, r, 1, false);
    }

    public void expireat(Client c, byte[][] argv, Reply r) {
        expireGeneric(c, argv, r, 1000, true);
    }

    public void pexpireat(Client c, byte[][] argv, Reply r) {
        expireGeneric(c, argv, r, 1, true);
    }

    /** EXPIRE and its siblings with NX, XX, GT, LT, following Redis's {@code expireGenericCommand}. */
    private void expireGeneric(Client c, byte[][] argv, Reply r, long unitMillis, boolean absolute) {
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        for (int i = 3; i < argv.length; i++) {
            if (Args.is(argv[i], "nx")) {
                nx = true;
            } else if (Args.is(argv[i], "xx")) {
                xx = true;
            } else if (Args.is(argv[i], "gt")) {
                gt = true;
            } else if (Args.is(argv[i], "lt")) {
                lt = true;
            } else {
                r.error("ERR Unsupported option " + Args.text(argv[i]));
                return;
            }
        }
        if (nx && (xx || gt || lt)) {
            r.error("ERR NX and XX, GT or LT options at the same time are not compatible");
            return;
        }
        if (gt && lt) {
            r.error("ERR GT and LT options at the same time are not compatible");
            return;
        }
        String command = Args.text(argv[0]).toLowerCase(java.util.Locale.ROOT);
        long when = Args.parseLong(argv[2]);
        if (when > Long.MAX_VALUE / unitMillis || when < Long.MIN_VALUE / unitMillis) {
            r.error(Errors.invalidExpire(command));
            return;
        }
        when *= unitMillis;
        if (!absolute) {
            long now = c.server().keyspace().now();
            if (when > Long.MAX_VALUE - now) {
                r.error(Errors.invalidExpire(command));
                return;
            }
            when += now;
        }
        Database db = db(c);
        if (!db.exists(argv[1])) {
            r.integer(0);
            return;
        }
        long current = db.deadline(argv[1]);
        if ((nx && current != -1) || (xx && current == -1)
                || (gt && (current == -1 || when <= current))
                || (lt && current != -1 && when >= current)) {
            r.integer(0);
            return;
        }
        db.expireAt(argv[1], when);
        r.integer(1);
    }

    public void ttl(Client c, byte[][] argv, Reply r) {
        ttlGeneric(c, argv, r, false, false);
    }

    public void pttl(Client c, byte[][] argv, Reply r) {
        ttlGeneric(c, argv, r, true, false);
    }

    public void expiretime(Client c, byte[][] argv, Reply r) {
        ttlGeneric(c, argv, r, false, true);
    }

    public void pexpiretime(Client c, byte[][] argv, Reply r) {
        ttlGeneric(c, argv, r, true, true);
    }

    private void ttlGeneric(Client c, byte[][] argv, Reply r, boolean millis, boolean absolute) {
        long deadline = db(c).deadlineRead(argv[1]);
        if (deadline == -2) {
            r.integer(-2);
            return;
        }
        if (deadline == -1) {
            r.integer(-1);
            return;
        }
        long value = absolute ? deadline : Math.max(0, deadline - c.server().keyspace().now());
        r.integer(millis ? value : (value + 500) / 1000); // Redis rounds seconds, absolute or not
    }

    public void persist(Client c, byte[][] argv, Reply r) {
        r.integer(db(c).persist(argv[1]) ? 1 : 0);
    }

    public void objectEncoding(Client c, byte[][] argv, Reply r) {
        Encoding encoding = db(c).encoding(argv[2]);
        if (encoding == null) {
            r.nullBulk();
        } else {
            r.bulk(encoding.encodingName());
        }
    }

    public void objectFreq(Client c, byte[][] argv, Reply r) {
        if (db(c).type(argv[2]) == null) {
            r.nullBulk();
            return;
        }
        if (c.server().keyspace().access().lfu()) {
            r.integer(db(c).frequency(argv[2]));
            return;
        }
        r.error("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when "
                + "switching between policies at runtime LRU and LFU data will take some time to adjust.");
    }

    public void objectIdletime(Client c, byte[][] argv, Reply r) {
        long idle = db(c).idleSeconds(argv[2]);
        if (idle < 0) {
            r.nullBulk();
        } else if (c.server().keyspace().access().lfu()) {
            r.error("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching "
                    + "between policies at runtime LRU and LFU data will take some time to adjust.");
        } else {
            r.integer(idle);
        }
    }

    /** Redis shares the integers 0..9999 between keys and reports them with INT_MAX references. */
    public void objectRefcount(Client c, byte[][] argv, Reply r) {
        Database db = db(c);
        ValueType type = db.type(argv[2]);
        if (type == null) {
            r.nullBulk();
            return;
        }
        boolean shared = false;
        if (type == ValueType.STRING && db.strings().peek(argv[2], value) == Status.OK) {
            Long n = Args.tryParseLong(value.array, value.offset, value.length);
            shared = n != null && n >= 0 && n < 10000;
        }
        r.integer(shared ? Integer.MAX_VALUE : 1);
    }

    public void objectHelp(Client c, byte[][] argv, Reply r) {
        Help.reply(r, "OBJECT",
                "ENCODING <key>",
                "    Return the kind of internal representation used in order to store the value",
                "    associated with a <key>.",
                "FREQ <key>",
                "    Return the access frequency index of the <key>. The returned integer is",
                "    proportional to the logarithm of the recent access frequency of the key.",
                "IDLETIME <key>",
                "    Return the idle time of the <key>, that is the approximated number of",
                "    seconds elapsed since the last access to the key.",
                "REFCOUNT <key>",
                "    Return the number of references of the value associated with the specified",
                "    <key>.");
    }

    public void select(Client c, byte[][] argv, Reply r) {
        long index = Args.parseLong(argv[1]);
        if (index < 0 || index >= c.server().keyspace().databaseCount()) {
            r.error(Errors.DB_OUT_OF_RANGE);
            return;
        }
        c.select((int) index);
        r.ok();
    }

    public void swapdb(Client c, byte[][] argv, Reply r) {
        long a = Args.parseLong(argv[1], "ERR invalid first DB index");
        long b = Args.parseLong(argv[2], "ERR invalid second DB index");
        int count = c.server().keyspace().databaseCount();
        if (a < 0 || a >= count || b < 0 || b >= count) {
            r.error(Errors.DB_OUT_OF_RANGE);
            return;
        }
        var keyspace = c.server().keyspace();
        if (a != b) {
            c.server().watches().beforeEmptied(keyspace.db((int) a), keyspace.db((int) b));
            c.server().watches().beforeEmptied(keyspace.db((int) b), keyspace.db((int) a));
        }
        keyspace.swap((int) a, (int) b);
        r.ok();
    }

    private static boolean flushModeValid(byte[][] argv) {
        return argv.length == 1 || (argv.length == 2 && (Args.is(argv[1], "async") || Args.is(argv[1], "sync")));
    }

    public void flushdb(Client c, byte[][] argv, Reply r) {
        if (!flushModeValid(argv)) {
            r.error(Errors.SYNTAX);
            return;
        }
        c.server().watches().beforeEmptied(db(c), null);
        db(c).flush();
        r.ok();
    }

    public void flushall(Client c, byte[][] argv, Reply r) {
        if (!flushModeValid(argv)) {
            r.error(Errors.SYNTAX);
            return;
        }
        var keyspace = c.server().keyspace();
        for (int i = 0; i < keyspace.databaseCount(); i++) {
            c.server().watches().beforeEmptied(keyspace.db(i), null);
        }
        keyspace.flushAll();
        r.ok();
    }
}
