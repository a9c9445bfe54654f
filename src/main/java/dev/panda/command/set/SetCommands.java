package dev.panda.command.set;

import dev.panda.command.Args;
import dev.panda.command.Client;
import dev.panda.command.Errors;
import dev.panda.command.ScanOptions;
import dev.panda.protocol.Reply;
import dev.panda.store.Count;
import dev.panda.store.Database;
import dev.panda.store.SetReader;
import dev.panda.store.Sets;
import dev.panda.store.Status;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The set commands with Redis 7.0's replies and error texts ({@code t_set.c}): arguments are
 * parsed and replies shaped here; reads go through {@link SetReader}s and every change through
 * {@link Sets} or {@link Database#delete}, which log it. A random pop is logged as the members it
 * removed, and a *STORE as the deletion of the destination and the members it was given, so
 * replay never draws again. Store thread only.
 */
public final class SetCommands {
    static final String OUT_OF_RANGE = "ERR value is out of range, value must between " + -Long.MAX_VALUE + " and " + Long.MAX_VALUE;

    private final SetReader set = new SetReader();
    private final Count count = new Count();

    private static Database db(Client c) {
        return c.server().keyspace().db(c.db());
    }

    private static Sets sets(Client c) {
        return db(c).sets();
    }

    /** Points the shared reader at the set for a read command; false when the key does not exist. */
    private boolean read(Client c, byte[] key) {
        return Errors.checkType(sets(c).read(key, set)) == Status.OK;
    }

    public void sadd(Client c, byte[][] argv, Reply r) {
        Errors.checkType(sets(c).add(argv[1], argv, 2, argv.length, count));
        r.integer(count.value);
    }

    public void srem(Client c, byte[][] argv, Reply r) {
        Errors.checkType(sets(c).remove(argv[1], argv, 2, argv.length, count));
        r.integer(count.value);
    }

    public void scard(Client c, byte[][] argv, Reply r) {
        r.integer(read(c, argv[1]) ? set.size() : 0);
    }

    public void sismember(Client c, byte[][] argv, Reply r) {
        r.integer(read(c, argv[1]) && set.contains(argv[2]) ? 1 : 0);
    }

    public void smismember(Client c, byte[][] argv, Reply r) {
        boolean exists = read(c, argv[1]);
        r.array(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            r.integer(exists && set.contains(argv[i]) ? 1 : 0);
        }
    }

    /** SMEMBERS is SINTER of one key in Redis 7.0, with its reply (a set in RESP3). */
    public void smembers(Client c, byte[][] argv, Reply r) {
        if (!read(c, argv[1])) {
            r.set(0);
            return;
        }
        r.set(set.size());
        set.forEach(r::bulk);
    }

    public void smove(Client c, byte[][] argv, Reply r) {
        Sets sets = sets(c);
        byte[] src = argv[1];
        byte[] dst = argv[2];
        byte[] member = argv[3];
        Status source = sets.check(src);
        Status destination = sets.check(dst);
        if (source == Status.NOT_FOUND) {
            r.integer(0);
            return;
        }
        Errors.checkType(source);
        Errors.checkType(destination);
        if (Arrays.equals(src, dst)) {
            sets.peek(src, set);
            r.integer(set.contains(member) ? 1 : 0);
            return;
        }
        sets.remove(src, argv, 3, 4, count);
        if (count.value == 0) {
            r.integer(0);
            return;
        }
        sets.add(dst, argv, 3, 4, count);
        r.integer(1);
    }

    public void spop(Client c, byte[][] argv, Reply r) {
        if (argv.length > 3) {
            r.error(Errors.SYNTAX);
            return;
        }
        Sets sets = sets(c);
        byte[] key = argv[1];
        RandomGenerator random = c.server().keyspace().random();
        if (argv.length == 2) {
            if (Errors.checkType(sets.peek(key, set)) == Status.NOT_FOUND) {
                r.nullBulk();
                return;
            }
            byte[][] popped = {randomMember(random)};
            sets.remove(key, popped, 0, 1, count);
            r.bulk(popped[0]);
            return;
        }
        long n = Args.parseNonNegative(argv[2], Errors.NOT_POSITIVE);
        if (Errors.checkType(sets.peek(key, set)) == Status.NOT_FOUND || n == 0) {
            r.set(0);
            return;
        }
        int size = set.size();
        if (n >= size) {
            List<byte[]> all = members(set);
            db(c).delete(key);
            r.set(all.size());
            all.forEach(r::bulk);
            return;
        }
        byte[][] popped = sample(set, (int) n, random).toArray(new byte[0][]);
        sets.remove(key, popped, 0, popped.length, count);
        r.set(popped.length);
        for (byte[] m : popped) {
            r.bulk(m);
        }
    }

    public void srandmember(Client c, byte[][] argv, Reply r) {
        if (argv.length > 3) {
            r.error(Errors.SYNTAX);
            return;
        }
        RandomGenerator random = c.server().keyspace().random();
        if (argv.length == 2) {
            if (!read(c, argv[1])) {
                r.nullBulk();
                return;
            }
            r.bulk(randomMember(random));
            return;
        }
        long n = Args.parseLong(argv[2]);
        if (n == Long.MIN_VALUE) {
            r.error(OUT_OF_RANGE);
            return;
        }
        if (!read(c, argv[1]) || n == 0) {
            r.array(0);
            return;
        }
        int size = set.size();
        if (n < 0 || n == 1) {
            long times = n < 0 ? -n : 1;
            if (times > Errors.MAX_REPEATED_REPLY) {
                r.error(Errors.REPLY_TOO_LARGE);
                return;
            }
            r.array((int) times);
            for (long i = 0; i < times; i++) {
                set.random(random, r::bulk);
            }
            return;
        }
        List<byte[]> chosen = n >= size ? members(set) : sample(set, (int) n, random);
        r.array(chosen.size());
        chosen.forEach(r::bulk);
    }

    public void sinter(Client c, byte[][] argv, Reply r) {
        List<byte[]> result = intersection(c, argv, 1, argv.length, 0);
        if (result == null) {
            return;
        }
        r.set(result.size());
        result.forEach(r::bulk);
    }

    public void sinterstore(Client c, byte[][] argv, Reply r) {
        List<byte[]> result = intersection(c, argv, 2, argv.length, 0);
        if (result != null) {
            r.integer(store(c, argv[1], result));
        }
    }

    public void sintercard(Client c, byte[][] argv, Reply r) {
        String badNumkeys = "ERR numkeys should be greater than 0";
        long numkeys = Args.parseLong(argv[1], badNumkeys);
        if (numkeys < 1) {
            r.error(badNumkeys);
            return;
        }
        if (numkeys > argv.length - 2) {
            r.error("ERR Number of keys can't be greater than number of args");
            return;
        }
        long limit = 0;
        for (int i = 2 + (int) numkeys; i < argv.length; i++) {
            if (Args.is(argv[i], "limit") && i + 1 < argv.length) {
                String badLimit = "ERR LIMIT can't be negative";
                limit = Args.parseLong(argv[++i], badLimit);
                if (limit < 0) {
                    r.error(badLimit);
                    return;
                }
            } else {
                r.error(Errors.SYNTAX);
                return;
            }
        }
        List<byte[]> result = intersection(c, argv, 2, 2 + (int) numkeys, limit);
        if (result != null) {
            r.integer(result.size());
        }
    }

    public void sunion(Client c, byte[][] argv, Reply r) {
        reply(r, union(c, argv, 1));
    }

    public void sunionstore(Client c, byte[][] argv, Reply r) {
        List<byte[]> result = union(c, argv, 2);
        r.integer(store(c, argv[1], result));
    }

    public void sdiff(Client c, byte[][] argv, Reply r) {
        reply(r, difference(c, argv, 1));
    }

    public void sdiffstore(Client c, byte[][] argv, Reply r) {
        List<byte[]> result = difference(c, argv, 2);
        r.integer(store(c, argv[1], result));
    }

    public void sscan(Client c, byte[][] argv, Reply r) {
        long cursor = ScanOptions.cursor(argv[2]);
        if (!read(c, argv[1])) {
            ScanOptions.emptyReply(r);
            return;
        }
        ScanOptions o = ScanOptions.parse(argv, 3, false);
        List<byte[]> found = new ArrayList<>();
        long next = set.scan(cursor, o.countHint(), (m, off, len) -> {
            if (o.matches(m, off, len)) {
                found.add(Arrays.copyOfRange(m, off, off + len));
            }
        });
        r.array(2);
        r.bulk(Long.toUnsignedString(next));
        r.array(found.size());
        found.forEach(r::bulk);
    }

    // ---- set algebra ---------------------------------------------------------------------------

    private static void reply(Reply r, List<byte[]> members) {
        r.set(members.size());
        members.forEach(r::bulk);
    }

    /**
     * Readers for {@code argv[from, to)}, null for a missing key; every key is type-checked
     * first, so a WRONGTYPE anywhere fails the command before any work, as in Redis.
     */
    private static SetReader[] open(Client c, byte[][] argv, int from, int to) {
        Sets sets = sets(c);
        SetReader[] readers = new SetReader[to - from];
        for (int i = from; i < to; i++) {
            SetReader reader = new SetReader();
            readers[i - from] = Errors.checkType(sets.read(argv[i], reader)) == Status.OK ? reader : null;
        }
        return readers;
    }

    /**
     * The members common to every set in {@code argv[from, to)} (empty when one is missing),
     * at most {@code limit} of them when limit is above 0. Walks the smallest set.
     */
    private static List<byte[]> intersection(Client c, byte[][] argv, int from, int to, long limit) {
        SetReader[] readers = open(c, argv, from, to);
        List<byte[]> result = new ArrayList<>();
        for (SetReader reader : readers) {
            if (reader == null) {
                return result;
            }
        }
        Arrays.sort(readers, Comparator.comparingInt(SetReader::size));
        SetReader smallest = readers[0];
        smallest.forEach((m, off, len) -> {
            if (limit > 0 && result.size() >= limit) {
                return;
            }
            for (int i = 1; i < readers.length; i++) {
                if (!readers[i].contains(m, off, len)) {
                    return;
                }
            }
            result.add(Arrays.copyOfRange(m, off, off + len));
        });
        return result;
    }

    private static List<byte[]> union(Client c, byte[][] argv, int from) {
        SetReader[] readers = open(c, argv, from, argv.length);
        Set<ByteBuffer> seen = new LinkedHashSet<>();
        for (SetReader reader : readers) {
            if (reader != null) {
                reader.forEach((m, off, len) -> seen.add(ByteBuffer.wrap(Arrays.copyOfRange(m, off, off + len))));
            }
        }
        return unwrap(seen);
    }

    private static List<byte[]> difference(Client c, byte[][] argv, int from) {
        SetReader[] readers = open(c, argv, from, argv.length);
        List<byte[]> result = new ArrayList<>();
        if (readers[0] == null) {
            return result;
        }
        readers[0].forEach((m, off, len) -> {
            for (int i = 1; i < readers.length; i++) {
                if (readers[i] != null && readers[i].contains(m, off, len)) {
                    return;
                }
            }
            result.add(Arrays.copyOfRange(m, off, off + len));
        });
        return result;
    }

    /**
     * Replaces {@code dst} (of any type) with a set of {@code members}, or deletes it when there
     * are none; logged as the deletion and the members added. Returns the new cardinality.
     */
    private static long store(Client c, byte[] dst, List<byte[]> members) {
        Database db = db(c);
        db.delete(dst);
        if (!members.isEmpty()) {
            db.sets().add(dst, members.toArray(new byte[0][]), 0, members.size(), new Count());
        }
        return members.size();
    }

    // ---- random choices ------------------------------------------------------------------------

    /** One member of the bound (non-empty) set, chosen uniformly, as its own array. */
    private byte[] randomMember(RandomGenerator random) {
        byte[][] out = new byte[1][];
        set.random(random, (m, off, len) -> out[0] = Arrays.copyOfRange(m, off, off + len));
        return out[0];
    }

    /** Every member of the bound set, each as its own array. */
    private static List<byte[]> members(SetReader reader) {
        List<byte[]> all = new ArrayList<>(reader.size());
        reader.forEach((m, off, len) -> all.add(Arrays.copyOfRange(m, off, off + len)));
        return all;
    }

    /**
     * {@code n} distinct members chosen uniformly ({@code 0 < n < size}). A small sample draws
     * members at random and drops repeats; a large one shuffles a copy of the whole set (the two
     * strategies of Redis's SRANDMEMBER, with its threshold of a third).
     */
    private static List<byte[]> sample(SetReader reader, int n, RandomGenerator random) {
        int size = reader.size();
        if ((long) n * 3 > size) {
            List<byte[]> all = members(reader);
            for (int i = 0; i < n; i++) {
                int j = i + random.nextInt(size - i);
                byte[] t = all.get(j);
                all.set(j, all.get(i));
                all.set(i, t);
            }
            return new ArrayList<>(all.subList(0, n));
        }
        Set<ByteBuffer> chosen = new HashSet<>();
        List<byte[]> out = new ArrayList<>(n);
        while (out.size() < n) {
            reader.random(random, (m, off, len) -> {
                byte[] copy = Arrays.copyOfRange(m, off, off + len);
                if (chosen.add(ByteBuffer.wrap(copy))) {
                    out.add(copy);
                }
            });
        }
        return out;
    }

    private static List<byte[]> unwrap(Set<ByteBuffer> members) {
        List<byte[]> out = new ArrayList<>(members.size());
        for (ByteBuffer b : members) {
            out.add(b.array());
        }
        return out;
    }
}
