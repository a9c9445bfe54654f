package dev.panda.command.hash;

import dev.panda.command.Args;
import dev.panda.command.Client;
import dev.panda.command.Errors;
import dev.panda.command.LongDouble;
import dev.panda.command.ScanOptions;
import dev.panda.protocol.Reply;
import dev.panda.store.Count;
import dev.panda.store.Database;
import dev.panda.store.HashReader;
import dev.panda.store.Hashes;
import dev.panda.store.Slice;
import dev.panda.store.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The hash commands with Redis 7.0's replies and error texts ({@code t_hash.c}): arguments are
 * parsed here and replies shaped here; every read goes through a {@link HashReader} and every
 * change through {@link Hashes}, which logs it. Store thread only.
 */
public final class HashCommands {
    private final HashReader hash = new HashReader();
    private final Slice value = new Slice();
    private final Count count = new Count();

    private static Database db(Client c) {
        return c.server().keyspace().db(c.db());
    }

    private static Hashes hashes(Client c) {
        return db(c).hashes();
    }

    /** Points the reader at the hash for a read command; false when the key does not exist. */
    private boolean read(Client c, byte[] key) {
        return Errors.checkType(hashes(c).read(key, hash)) == Status.OK;
    }

    public void hset(Client c, byte[][] argv, Reply r) {
        if (argv.length % 2 != 0) {
            r.error(Errors.wrongArgs(Args.text(argv[0]).toLowerCase(java.util.Locale.ROOT)));
            return;
        }
        Errors.checkType(hashes(c).set(argv[1], argv, 2, argv.length, count));
        r.integer(count.value);
    }

    public void hmset(Client c, byte[][] argv, Reply r) {
        if (argv.length % 2 != 0) {
            r.error(Errors.wrongArgs("hmset"));
            return;
        }
        Errors.checkType(hashes(c).set(argv[1], argv, 2, argv.length, count));
        r.ok();
    }

    public void hsetnx(Client c, byte[][] argv, Reply r) {
        Errors.checkType(hashes(c).setIfAbsent(argv[1], argv[2], argv[3], count));
        r.integer(count.value);
    }

    public void hget(Client c, byte[][] argv, Reply r) {
        if (read(c, argv[1]) && hash.get(argv[2], value)) {
            r.bulk(value.array, value.offset, value.length);
        } else {
            r.nullBulk();
        }
    }

    public void hmget(Client c, byte[][] argv, Reply r) {
        boolean exists = read(c, argv[1]);
        r.array(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            if (exists && hash.get(argv[i], value)) {
                r.bulk(value.array, value.offset, value.length);
            } else {
                r.nullBulk();
            }
        }
    }

    public void hdel(Client c, byte[][] argv, Reply r) {
        Errors.checkType(hashes(c).delete(argv[1], argv, 2, argv.length, count));
        r.integer(count.value);
    }

    public void hlen(Client c, byte[][] argv, Reply r) {
        r.integer(read(c, argv[1]) ? hash.size() : 0);
    }

    public void hstrlen(Client c, byte[][] argv, Reply r) {
        r.integer(read(c, argv[1]) && hash.get(argv[2], value) ? value.length : 0);
    }

    public void hexists(Client c, byte[][] argv, Reply r) {
        r.integer(read(c, argv[1]) && hash.contains(argv[2], 0, argv[2].length) ? 1 : 0);
    }

    public void hkeys(Client c, byte[][] argv, Reply r) {
        if (!read(c, argv[1])) {
            r.array(0);
            return;
        }
        r.array(hash.size());
        hash.forEach((f, fo, fl, v, vo, vl) -> r.bulk(f, fo, fl));
    }

    public void hvals(Client c, byte[][] argv, Reply r) {
        if (!read(c, argv[1])) {
            r.array(0);
            return;
        }
        r.array(hash.size());
        hash.forEach((f, fo, fl, v, vo, vl) -> r.bulk(v, vo, vl));
    }

    public void hgetall(Client c, byte[][] argv, Reply r) {
        if (!read(c, argv[1])) {
            r.map(0);
            return;
        }
        r.map(hash.size());
        hash.forEach((f, fo, fl, v, vo, vl) -> {
            r.bulk(f, fo, fl);
            r.bulk(v, vo, vl);
        });
    }

    public void hincrby(Client c, byte[][] argv, Reply r) {
        long by = Args.parseLong(argv[3]);
        long current = 0;
        if (Errors.checkType(hashes(c).peek(argv[1], hash)) == Status.OK && hash.get(argv[2], value)) {
            Long parsed = Args.tryParseLong(value.array, value.offset, value.length);
            if (parsed == null) {
                r.error("ERR hash value is not an integer");
                return;
            }
            current = parsed;
        }
        if ((by < 0 && current < 0 && by < Long.MIN_VALUE - current)
                || (by > 0 && current > 0 && by > Long.MAX_VALUE - current)) {
            r.error(Errors.OVERFLOW);
            return;
        }
        long result = current + by;
        hashes(c).set(argv[1], new byte[][] {argv[2], Args.bytes(Long.toString(result))}, 0, 2, count);
        r.integer(result);
    }

    /** Computed in x87 long double precision and printed as Redis prints it ({@link LongDouble}). */
    public void hincrbyfloat(Client c, byte[][] argv, Reply r) {
        LongDouble by = LongDouble.parse(argv[3]);
        if (by == null) {
            r.error(Errors.NOT_FLOAT);
            return;
        }
        if (by.isInfinite()) {
            r.error("ERR value is NaN or Infinity");
            return;
        }
        LongDouble current = LongDouble.ZERO;
        if (Errors.checkType(hashes(c).peek(argv[1], hash)) == Status.OK && hash.get(argv[2], value)) {
            current = LongDouble.parse(value.toArray());
            if (current == null) {
                r.error("ERR hash value is not a float");
                return;
            }
        }
        LongDouble result = current.add(by);
        if (result.isInfinite()) {
            r.error(Errors.NAN_OR_INFINITY);
            return;
        }
        byte[] encoded = Args.bytes(result.toHumanString());
        hashes(c).set(argv[1], new byte[][] {argv[2], encoded}, 0, 2, count);
        r.bulk(encoded);
    }

    /** HRANDFIELD key [count [WITHVALUES]], with Redis's four cases for a count (t_hash.c). */
    public void hrandfield(Client c, byte[][] argv, Reply r) {
        RandomGenerator random = c.server().keyspace().random();
        if (argv.length == 2) {
            if (!read(c, argv[1])) {
                r.nullBulk();
                return;
            }
            hash.random(random, (f, fo, fl, v, vo, vl) -> r.bulk(f, fo, fl));
            return;
        }
        long n = Args.parseLong(argv[2]);
        if (n < -Long.MAX_VALUE) {
            throw new Args.Invalid("ERR value is out of range, value must between " + -Long.MAX_VALUE + " and " + Long.MAX_VALUE);
        }
        boolean withValues = argv.length == 4;
        if (argv.length > 4 || (withValues && !Args.is(argv[3], "withvalues"))) {
            r.error(Errors.SYNTAX);
            return;
        }
        if (withValues && (n < -Long.MAX_VALUE / 2 || n > Long.MAX_VALUE / 2)) {
            r.error("ERR value is out of range");
            return;
        }
        if (!read(c, argv[1]) || n == 0) {
            r.array(0);
            return;
        }
        boolean resp3 = r.protocol() == 3;
        HashReader.PairVisitor reply = (f, fo, fl, v, vo, vl) -> {
            if (withValues && resp3) {
                r.array(2);
            }
            r.bulk(f, fo, fl);
            if (withValues) {
                r.bulk(v, vo, vl);
            }
        };
        int size = hash.size();
        if (n < 0 || n == 1) {
            long times = n < 0 ? -n : 1;
            if (times > Errors.MAX_REPEATED_REPLY) {
                r.error(Errors.REPLY_TOO_LARGE);
                return;
            }
            r.array((int) (withValues && !resp3 ? times * 2 : times));
            for (long i = 0; i < times; i++) {
                hash.random(random, reply);
            }
            return;
        }
        int wanted = (int) Math.min(n, size);
        r.array(withValues && !resp3 ? wanted * 2 : wanted);
        if (n >= size) {
            hash.forEach(reply);
            return;
        }
        // A uniform sample without repetition: shuffle the first `wanted` of all the fields.
        List<byte[][]> pairs = new ArrayList<>(size);
        hash.forEach((f, fo, fl, v, vo, vl) -> pairs.add(new byte[][] {
            java.util.Arrays.copyOfRange(f, fo, fo + fl), java.util.Arrays.copyOfRange(v, vo, vo + vl)}));
        for (int i = 0; i < wanted; i++) {
            int j = i + random.nextInt(size - i);
            byte[][] chosen = pairs.get(j);
            pairs.set(j, pairs.get(i));
            reply.pair(chosen[0], 0, chosen[0].length, chosen[1], 0, chosen[1].length);
        }
    }

    public void hscan(Client c, byte[][] argv, Reply r) {
        long cursor = ScanOptions.cursor(argv[2]);
        if (!read(c, argv[1])) {
            ScanOptions.emptyReply(r);
            return;
        }
        ScanOptions o = ScanOptions.parse(argv, 3, false);
        List<byte[]> found = new ArrayList<>();
        long next = hash.scan(cursor, o.countHint(), (f, fo, fl, v, vo, vl) -> {
            if (o.matches(f, fo, fl)) {
                found.add(java.util.Arrays.copyOfRange(f, fo, fo + fl));
                found.add(java.util.Arrays.copyOfRange(v, vo, vo + vl));
            }
        });
        r.array(2);
        r.bulk(Long.toUnsignedString(next));
        r.array(found.size());
        found.forEach(r::bulk);
    }
}
