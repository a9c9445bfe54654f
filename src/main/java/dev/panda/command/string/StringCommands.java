package dev.panda.command.string;

import dev.panda.command.Args;
import dev.panda.command.Client;
import dev.panda.command.Errors;
import dev.panda.protocol.Reply;
import dev.panda.store.Database;
import java.util.Arrays;

/**
 * The string commands (GET, SET and its family, counters, ranges), with Redis 7's options,
 * replies and error texts. SET, SETNX, SETEX, PSETEX and GETSET share one core, as in Redis's
 * {@code t_string.c}. Store thread only.
 */
public final class StringCommands {

    private static Database db(Client c) {
        return c.server().keyspace().db(c.db());
    }

    /** The string value at key, null when absent; throws WRONGTYPE for another type. */
    static byte[] stringOrNull(Object value) {
        if (value == null || value instanceof byte[]) {
            return (byte[]) value;
        }
        throw new Args.Invalid(Errors.WRONGTYPE);
    }

    public void get(Client c, byte[][] argv, Reply r) {
        byte[] v = stringOrNull(db(c).read(argv[1]));
        if (v == null) {
            r.nullBulk();
        } else {
            r.bulk(v);
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
            db.set(argv[1], argv[2], -1);
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

    private void setGeneric(Client c, byte[] key, byte[] value, ExpiryOptions.Condition condition, long deadline,
                            boolean keepTtl, boolean returnOld, Reply r) {
        Database db = db(c);
        Object current = db.get(key);
        byte[] old = returnOld ? stringOrNull(current) : null;
        boolean blocked = (condition == ExpiryOptions.Condition.NX && current != null)
                || (condition == ExpiryOptions.Condition.XX && current == null);
        if (!blocked) {
            if (keepTtl) {
                db.setKeepTtl(key, value);
            } else {
                db.set(key, value, deadline);
            }
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
        byte[] v = stringOrNull(db.read(argv[1]));
        if (v == null) {
            r.nullBulk();
            return;
        }
        db.delete(argv[1]);
        r.bulk(v);
    }

    public void getex(Client c, byte[][] argv, Reply r) {
        long now = c.server().keyspace().now();
        ExpiryOptions.GetExOptions o = ExpiryOptions.parseGetEx(argv, now);
        Database db = db(c);
        byte[] v = stringOrNull(db.read(argv[1]));
        if (v == null) {
            r.nullBulk();
            return;
        }
        if (o.persist()) {
            db.persist(argv[1]);
        } else if (o.deadline() >= 0) {
            db.expireAt(argv[1], o.deadline());
        }
        r.bulk(v);
    }

    public void mget(Client c, byte[][] argv, Reply r) {
        Database db = db(c);
        r.array(argv.length - 1);
        for (int i = 1; i < argv.length; i++) {
            Object v = db.read(argv[i]);
            if (v instanceof byte[] b) {
                r.bulk(b);
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
        Database db = db(c);
        for (int i = 1; i < argv.length; i += 2) {
            db.set(argv[i], argv[i + 1], -1);
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
            db.set(argv[i], argv[i + 1], -1);
        }
        r.integer(1);
    }

    private static void checkLength(Client c, long length) {
        if (length > c.server().config().getLong("proto-max-bulk-len")) {
            throw new Args.Invalid(Errors.STRING_TOO_LONG);
        }
    }

    public void append(Client c, byte[][] argv, Reply r) {
        Database db = db(c);
        byte[] current = stringOrNull(db.get(argv[1]));
        if (current == null) {
            db.set(argv[1], argv[2], -1);
            r.integer(argv[2].length);
            return;
        }
        checkLength(c, (long) current.length + argv[2].length);
        byte[] joined = Arrays.copyOf(current, current.length + argv[2].length);
        System.arraycopy(argv[2], 0, joined, current.length, argv[2].length);
        db.setKeepTtl(argv[1], joined);
        r.integer(joined.length);
    }

    public void strlen(Client c, byte[][] argv, Reply r) {
        byte[] v = stringOrNull(db(c).read(argv[1]));
        r.integer(v == null ? 0 : v.length);
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
        Database db = db(c);
        byte[] current = stringOrNull(db.get(key));
        long value = 0;
        if (current != null) {
            Long parsed = Args.tryParseLong(current);
            if (parsed == null) {
                r.error(Errors.NOT_INTEGER);
                return;
            }
            value = parsed;
        }
        long result;
        try {
            result = Math.addExact(value, by);
        } catch (ArithmeticException e) {
            r.error(Errors.OVERFLOW);
            return;
        }
        byte[] encoded = Long.toString(result).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (current == null) {
            db.set(key, encoded, -1);
        } else {
            db.setKeepTtl(key, encoded);
        }
        r.integer(result);
    }

    public void incrbyfloat(Client c, byte[][] argv, Reply r) {
        Database db = db(c);
        double by = Args.parseDouble(argv[2], Errors.NOT_FLOAT);
        byte[] current = stringOrNull(db.get(argv[1]));
        double value = current == null ? 0 : Args.parseDouble(current, Errors.NOT_FLOAT);
        double result = value + by;
        if (Double.isNaN(result) || Double.isInfinite(result)) {
            r.error(Errors.NAN_OR_INFINITY);
            return;
        }
        byte[] encoded = Args.bytes(Args.formatDouble(result));
        if (current == null) {
            db.set(argv[1], encoded, -1);
        } else {
            db.setKeepTtl(argv[1], encoded);
        }
        r.bulk(encoded);
    }

    public void getrange(Client c, byte[][] argv, Reply r) {
        long start = Args.parseLong(argv[2]);
        long end = Args.parseLong(argv[3]);
        byte[] v = stringOrNull(db(c).read(argv[1]));
        if (v == null || (start < 0 && end < 0 && start > end)) {
            r.bulk(new byte[0]);
            return;
        }
        long len = v.length;
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
        r.bulk(Arrays.copyOfRange(v, (int) start, (int) end + 1));
    }

    public void setrange(Client c, byte[][] argv, Reply r) {
        long offset = Args.parseLong(argv[2]);
        if (offset < 0) {
            r.error("ERR offset is out of range");
            return;
        }
        byte[] value = argv[3];
        Database db = db(c);
        byte[] current = stringOrNull(db.get(argv[1]));
        if (value.length == 0) {
            r.integer(current == null ? 0 : current.length);
            return;
        }
        checkLength(c, offset + value.length);
        int needed = (int) (offset + value.length);
        byte[] updated = Arrays.copyOf(current == null ? new byte[0] : current, Math.max(needed, current == null ? 0 : current.length));
        System.arraycopy(value, 0, updated, (int) offset, value.length);
        if (current == null) {
            db.set(argv[1], updated, -1);
        } else {
            db.setKeepTtl(argv[1], updated);
        }
        r.integer(updated.length);
    }
}
