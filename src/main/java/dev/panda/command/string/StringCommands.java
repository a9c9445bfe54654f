package dev.panda.command.string;

import dev.panda.command.Args;
import dev.panda.command.Client;
import dev.panda.command.Errors;
import dev.panda.command.LongDouble;
import dev.panda.protocol.Reply;
import dev.panda.store.Database;
import dev.panda.store.Slice;
import dev.panda.store.Status;
import dev.panda.store.Strings;
import java.util.Arrays;

/**
 * The string commands (GET, SET and its family, counters, ranges), with Redis 7's options,
 * replies and error texts. SET, SETNX, SETEX, PSETEX and GETSET share one core, as in Redis's
 * {@code t_string.c}. Store thread only.
 */
public final class StringCommands {
    /** Where the store puts the string a command reads (reused: commands run one at a time). */
    private final Slice value = new Slice();

    private static Database db(Client c) {
        return c.server().keyspace().db(c.db());
    }

    private static Strings strings(Client c) {
        return db(c).strings();
    }

    public void get(Client c, byte[][] argv, Reply r) {
        if (Errors.checkType(strings(c).get(argv[1], value)) == Status.OK) {
            r.bulk(value.array, value.offset, value.length);
        } else {
            r.nullBulk();
        }
    }

    public void set(Client c, byte[][] argv, Reply r) {
        ExpiryOptions.SetOptions o = ExpiryOptions.parseSet(argv, 3, "set", c.server().keyspace().now());
        setGeneric(c, argv[1], argv[2], o.condition(), o.deadline(), o.keepTtl(), o.get(), r);
    }

    public void setnx(Client c, byte[][] argv, Reply r) {
        Database db = db(c);
        if (db.exists(argv[1])) {
            r.integer(0);
        } else {
            db.strings().set(argv[1], argv[2], -1);
            r.integer(1);
        }
    }

    public void setex(Client c, byte[][] argv, Reply r) {
        setWithTtl(c, argv, r, "setex", 1000);
    }

    public void psetex(Client c, byte[][] argv, Reply r) {
        setWithTtl(c, argv, r, "psetex", 1);
    }

    private void setWithTtl(Client c, byte[][] argv, Reply r, String command, long unitMillis) {
        long deadline = ExpiryOptions.deadline(argv[2], unitMillis, false, command, c.server().keyspace().now());
        setGeneric(c, argv[1], argv[3], ExpiryOptions.Condition.NONE, deadline, false, false, r);
    }

    public void getset(Client c, byte[][] argv, Reply r) {
        setGeneric(c, argv[1], argv[2], ExpiryOptions.Condition.NONE, -1, false, true, r);
    }

    private void setGeneric(Client c, byte[] key, byte[] newValue, ExpiryOptions.Condition condition, long deadline,
                            boolean keepTtl, boolean returnOld, Reply r) {
        Database db = db(c);
        byte[] old = null;
        boolean exists;
        if (returnOld) {
            Status s = Errors.checkType(db.strings().peek(key, value));
            exists = s == Status.OK;
            old = exists ? value.toArray() : null;
        } else {
            // Plain SET needs no lookup of its own: Strings.set looks the key up (and expires it) anyway.
            exists = condition != ExpiryOptions.Condition.NONE && db.exists(key);
        }
        boolean blocked = (condition == ExpiryOptions.Condition.NX && exists)
                || (condition == ExpiryOptions.Condition.XX && !exists);
        if (!blocked) {
            db.strings().set(key, newValue, keepTtl ? Strings.KEEP_TTL : deadline);
        }
        if (returnOld) {
            if (old == null) {
                r.nullBulk();
            } else {
                r.bulk(old);
            }
        } else if (blocked) {
            r.nullBulk();
        } else {
            r.ok();
        }
    }

    public void getdel(Client c, byte[][] argv, Reply r) {
        Database db = db(c);
        if (Errors.checkType(db.strings().get(argv[1], value)) != Status.OK) {
            r.nullBulk();
            return;
        }
        r.bulk(value.array, value.offset, value.length);
        db.delete(argv[1]);
    }

    public void getex(Client c, byte[][] argv, Reply r) {
        long now = c.server().keyspace().now();
        ExpiryOptions.GetExOptions o = ExpiryOptions.parseGetEx(argv, now);
        Database db = db(c);
        if (Errors.checkType(db.strings().get(argv[1], value)) != Status.OK) {
            r.nullBulk();
            return;
        }
        r.bulk(value.array, value.offset, value.length);
        if (o.persist()) {
            db.persist(argv[1]);
        } else if (o.deadline() >= 0) {
            db.expireAt(argv[1], o.deadline());
        }
    }

    public void mget(Client c, byte[][] argv, Reply r) {
        Strings strings = strings(c);
        r.array(argv.length - 1);
        for (int i = 1; i < argv.length; i++) {
            if (strings.get(argv[i], value) == Status.OK) {
                r.bulk(value.array, value.offset, value.length);
            } else {
                r.nullBulk();
            }
        }
    }

    public void mset(Client c, byte[][] argv, Reply r) {
        if (argv.length % 2 == 0) {
            r.error(Errors.wrongArgs("mset"));
            return;
        }
        Strings strings = strings(c);
        for (int i = 1; i < argv.length; i += 2) {
            strings.set(argv[i], argv[i + 1], -1);
        }
        r.ok();
    }

    public void msetnx(Client c, byte[][] argv, Reply r) {
        if (argv.length % 2 == 0) {
            r.error(Errors.wrongArgs("msetnx"));
            return;
        }
        Database db = db(c);
        for (int i = 1; i < argv.length; i += 2) {
            if (db.exists(argv[i])) {
                r.integer(0);
                return;
            }
        }
        for (int i = 1; i < argv.length; i += 2) {
            db.strings().set(argv[i], argv[i + 1], -1);
        }
        r.integer(1);
    }

    private static void checkLength(Client c, long length) {
        if (length > c.server().config().getLong("proto-max-bulk-len")) {
            throw new Args.Invalid(Errors.STRING_TOO_LONG);
        }
    }

    public void append(Client c, byte[][] argv, Reply r) {
        Strings strings = strings(c);
        if (Errors.checkType(strings.peek(argv[1], value)) == Status.NOT_FOUND) {
            strings.set(argv[1], argv[2], -1);
            r.integer(argv[2].length);
            return;
        }
        checkLength(c, (long) value.length + argv[2].length);
        long length = (long) value.length + argv[2].length;
        strings.write(argv[1], value.length, argv[2], 0, argv[2].length); // logs the appended bytes only
        r.integer(length);
    }

    public void strlen(Client c, byte[][] argv, Reply r) {
        Status s = Errors.checkType(strings(c).get(argv[1], value));
        r.integer(s == Status.OK ? value.length : 0);
    }

    public void incr(Client c, byte[][] argv, Reply r) {
        incrBy(c, argv[1], 1, r);
    }

    public void decr(Client c, byte[][] argv, Reply r) {
        incrBy(c, argv[1], -1, r);
    }

    public void incrby(Client c, byte[][] argv, Reply r) {
        incrBy(c, argv[1], Args.parseLong(argv[2]), r);
    }

    public void decrby(Client c, byte[][] argv, Reply r) {
        long by = Args.parseLong(argv[2]);
        if (by == Long.MIN_VALUE) {
            r.error("ERR decrement would overflow");
            return;
        }
        incrBy(c, argv[1], -by, r);
    }

    private void incrBy(Client c, byte[] key, long by, Reply r) {
        Strings strings = strings(c);
        long current = 0;
        if (Errors.checkType(strings.peek(key, value)) == Status.OK) {
            Long parsed = Args.tryParseLong(value.array, value.offset, value.length);
            if (parsed == null) {
                r.error(Errors.NOT_INTEGER);
                return;
            }
            current = parsed;
        }
        long result;
        try {
            result = Math.addExact(current, by);
        } catch (ArithmeticException e) {
            r.error(Errors.OVERFLOW);
            return;
        }
        strings.set(key, Long.toString(result).getBytes(java.nio.charset.StandardCharsets.US_ASCII), Strings.KEEP_TTL);
        r.integer(result);
    }

    /** Computed in x87 long double precision and printed as Redis prints it ({@link LongDouble}). */
    public void incrbyfloat(Client c, byte[][] argv, Reply r) {
        Strings strings = strings(c);
        LongDouble current = LongDouble.ZERO;
        if (Errors.checkType(strings.peek(argv[1], value)) == Status.OK) {
            current = LongDouble.parse(value.toArray());
        }
        LongDouble by = LongDouble.parse(argv[2]);
        if (current == null || by == null) {
            r.error(Errors.NOT_FLOAT);
            return;
        }
        LongDouble result = current.add(by);
        if (result.isInfinite()) {
            r.error(Errors.NAN_OR_INFINITY);
            return;
        }
        byte[] encoded = Args.bytes(result.toHumanString());
        strings.set(argv[1], encoded, 0, encoded.length, Strings.KEEP_TTL, Strings.PLAIN);
        r.bulk(encoded);
    }

    public void getrange(Client c, byte[][] argv, Reply r) {
        long start = Args.parseLong(argv[2]);
        long end = Args.parseLong(argv[3]);
        Status s = Errors.checkType(strings(c).get(argv[1], value));
        if (s != Status.OK || (start < 0 && end < 0 && start > end)) {
            r.bulk(new byte[0]);
            return;
        }
        long len = value.length;
        if (start < 0) {
            start = len + start;
        }
        if (end < 0) {
            end = len + end;
        }
        start = Math.max(start, 0);
        end = Math.max(end, 0);
        if (end >= len) {
            end = len - 1;
        }
        if (start > end || len == 0) {
            r.bulk(new byte[0]);
            return;
        }
        r.bulk(value.array, value.offset + (int) start, (int) (end - start + 1));
    }

    public void setrange(Client c, byte[][] argv, Reply r) {
        long offset = Args.parseLong(argv[2]);
        if (offset < 0) {
            r.error("ERR offset is out of range");
            return;
        }
        byte[] patch = argv[3];
        Strings strings = strings(c);
        boolean exists = Errors.checkType(strings.peek(argv[1], value)) == Status.OK;
        int currentLength = exists ? value.length : 0;
        if (patch.length == 0) {
            r.integer(currentLength);
            return;
        }
        checkLength(c, offset + patch.length);
        long length = Math.max(offset + patch.length, currentLength);
        strings.write(argv[1], offset, patch, 0, patch.length);
        r.integer(length);
    }

    /** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN], with Redis's replies and errors. */
    public void lcs(Client c, byte[][] argv, Reply r) {
        Strings strings = strings(c);
        Status sa = strings.get(argv[1], value);
        byte[] a = sa == Status.OK ? value.toArray() : new byte[0];
        Status sb = strings.get(argv[2], value);
        byte[] b = sb == Status.OK ? value.toArray() : new byte[0];
        if (sa == Status.WRONGTYPE || sb == Status.WRONGTYPE) {
            r.error("ERR The specified keys must contain string values");
            return;
        }
        boolean getLen = false;
        boolean getIdx = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < argv.length; j++) {
            boolean more = j < argv.length - 1;
            if (Args.is(argv[j], "idx")) {
                getIdx = true;
            } else if (Args.is(argv[j], "len")) {
                getLen = true;
            } else if (Args.is(argv[j], "withmatchlen")) {
                withMatchLen = true;
            } else if (Args.is(argv[j], "minmatchlen") && more) {
                minMatchLen = Math.max(0, Args.parseLong(argv[++j]));
            } else {
                r.error(Errors.SYNTAX);
                return;
            }
        }
        if (getLen && getIdx) {
            r.error("ERR If you want both the length and indexes, please just use IDX.");
            return;
        }
        if ((long) (a.length + 1) * (b.length + 1) * 4 > c.server().config().getLong("proto-max-bulk-len")) {
            r.error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
            return;
        }
        Lcs.Result result = Lcs.of(a, b, minMatchLen);
        if (getIdx) {
            r.map(2);
            r.bulk("matches");
            r.array(result.matches().size());
            for (Lcs.Match m : result.matches()) {
                r.array(withMatchLen ? 3 : 2);
                r.array(2);
                r.integer(m.aStart());
                r.integer(m.aEnd());
                r.array(2);
                r.integer(m.bStart());
                r.integer(m.bEnd());
                if (withMatchLen) {
                    r.integer(m.length());
                }
            }
            r.bulk("len");
            r.integer(result.length());
        } else if (getLen) {
            r.integer(result.length());
        } else {
            r.bulk(result.lcs());
        }
    }
}
