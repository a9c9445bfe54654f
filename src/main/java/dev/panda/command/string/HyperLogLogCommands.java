package dev.panda.command.string;

import dev.panda.command.Client;
import dev.panda.protocol.Reply;
import dev.panda.store.Slice;
import dev.panda.store.Status;
import dev.panda.store.Strings;

/**
 * PFADD, PFCOUNT and PFMERGE with Redis's replies and errors ({@code hyperloglog.c}). An HLL is a
 * string holding Redis's own bytes ({@link HyperLogLog}), rewritten whole on a change (at most
 * 12 KB), so GET, DUMP and the write-ahead log see exactly what Redis would store. Store thread only.
 */
public final class HyperLogLogCommands {
    private static final String INVALID = "INVALIDOBJ Corrupted HLL object detected";
    private static final String NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    private final Slice value = new Slice();

    private static Strings strings(Client c) {
        return c.server().keyspace().db(c.db()).strings();
    }

    private static long sparseMax(Client c) {
        return c.server().config().getLong("hll-sparse-max-bytes");
    }

    /** The HLL at key: null when absent; throws the reply text when it is not one. */
    private byte[] read(Strings strings, byte[] key, boolean countHit) throws Refused {
        Status s = countHit ? strings.get(key, value) : strings.peek(key, value);
        if (s == Status.NOT_FOUND) {
            return null;
        }
        if (s == Status.WRONGTYPE) {
            throw new Refused(WRONGTYPE);
        }
        byte[] v = value.toArray();
        if (!HyperLogLog.valid(v)) {
            throw new Refused(NOT_HLL);
        }
        return v;
    }

    /** A reply error raised while reading. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    public void pfadd(Client c, byte[][] argv, Reply r) {
        Strings strings = strings(c);
        if (strings.peek(argv[1], value) == Status.OK && HyperLogLog.validDense(value.array, value.offset, value.length)) {
            r.integer(pfaddDense(strings, argv) ? 1 : 0);
            return;
        }
        byte[] v;
        try {
            v = read(strings, argv[1], false);
        } catch (Refused e) {
            r.error(e.getMessage());
            return;
        }
        boolean created = v == null;
        boolean updated = created;
        if (created) {
            v = HyperLogLog.empty();
        }
        try {
            for (int j = 2; j < argv.length; j++) {
                long pl = HyperLogLog.patLen(argv[j]);
                HyperLogLog.Set s = HyperLogLog.set(v, (int) pl, (int) (pl >>> 32), sparseMax(c));
                v = s.value();
                updated |= s.changed();
            }
        } catch (HyperLogLog.Corrupt e) {
            r.error(INVALID);
            return;
        }
        if (updated) {
            HyperLogLog.invalidateCache(v);
            strings.set(argv[1], v, 0, v.length, created ? -1 : Strings.KEEP_TTL, Strings.RAW);
        }
        r.integer(updated ? 1 : 0);
    }

    /**
     * PFADD into a dense HLL where it lies: the registers that grow are found without copying the
     * 12 KiB value, then written (in place when the store can) as the window of bytes they span,
     * with the header's cache-invalid bit; the log records those bytes only.
     */
    private boolean pfaddDense(Strings strings, byte[][] argv) {
        java.util.Map<Integer, Integer> grown = new java.util.TreeMap<>();
        for (int j = 2; j < argv.length; j++) {
            long pl = HyperLogLog.patLen(argv[j]);
            int index = (int) pl;
            int count = (int) (pl >>> 32);
            Integer pending = grown.get(index);
            int current = pending != null ? pending : HyperLogLog.denseGet(value.array, value.offset, index);
            if (count > current) {
                grown.put(index, count);
            }
        }
        if (grown.isEmpty()) {
            return false;
        }
        int from = Integer.MAX_VALUE;
        int to = 0;
        for (int reg : grown.keySet()) {
            from = Math.min(from, HyperLogLog.denseFirstByte(reg));
            to = Math.max(to, HyperLogLog.denseLastByte(reg));
        }
        if ((value.array[value.offset + 15] & 0x80) == 0) {
            from = 15; // the cache-invalid bit, right before the registers: one write, one event
        }
        byte[] window = java.util.Arrays.copyOfRange(value.array, value.offset + from, value.offset + to + 1);
        if (from == 15) {
            window[0] |= (byte) 0x80;
        }
        for (var e : grown.entrySet()) {
            HyperLogLog.denseSetWindow(window, from, e.getKey(), e.getValue());
        }
        strings.write(argv[1], from, window, 0, window.length);
        return true;
    }

    public void pfcount(Client c, byte[][] argv, Reply r) {
        Strings strings = strings(c);
        try {
            if (argv.length > 2) {
                int[] max = new int[HyperLogLog.REGISTERS];
                for (int j = 1; j < argv.length; j++) {
                    byte[] v = read(strings, argv[j], true);
                    if (v != null) {
                        HyperLogLog.mergeInto(max, v);
                    }
                }
                r.integer(HyperLogLog.count(max));
                return;
            }
            if (strings.get(argv[1], value) == Status.OK && HyperLogLog.validDense(value.array, value.offset, value.length)
                    && (value.array[value.offset + 15] & 0x80) == 0) {
                long card = 0; // the cached cardinality, read where it lies
                for (int i = 7; i >= 0; i--) {
                    card = card << 8 | (value.array[value.offset + 8 + i] & 0xff);
                }
                r.integer(card);
                return;
            }
            byte[] v = read(strings, argv[1], false);
            if (v == null) {
                r.integer(0);
                return;
            }
            if (HyperLogLog.cacheValid(v)) {
                r.integer(HyperLogLog.cachedCard(v));
                return;
            }
            long card = HyperLogLog.count(v);
            HyperLogLog.setCachedCard(v, card);
            strings.write(argv[1], 8, v, 8, 8); // the cache is part of the value, as in Redis
            r.integer(card);
        } catch (Refused e) {
            r.error(e.getMessage());
        } catch (HyperLogLog.Corrupt e) {
            r.error(INVALID);
        }
    }

    public void pfmerge(Client c, byte[][] argv, Reply r) {
        Strings strings = strings(c);
        int[] max = new int[HyperLogLog.REGISTERS];
        boolean dense = false;
        try {
            for (int j = 1; j < argv.length; j++) {
                byte[] v = read(strings, argv[j], true);
                if (v == null) {
                    continue;
                }
                dense |= v[4] == HyperLogLog.DENSE;
                HyperLogLog.mergeInto(max, v);
            }
            byte[] dest = read(strings, argv[1], false);
            boolean created = dest == null;
            if (created) {
                dest = HyperLogLog.empty();
            }
            if (dense) {
                dest = HyperLogLog.toDense(dest);
            }
            for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
                if (max[j] != 0) {
                    dest = HyperLogLog.set(dest, j, max[j], sparseMax(c)).value();
                }
            }
            HyperLogLog.invalidateCache(dest);
            strings.set(argv[1], dest, 0, dest.length, created ? -1 : Strings.KEEP_TTL, Strings.RAW);
            r.ok();
        } catch (Refused e) {
            r.error(e.getMessage());
        } catch (HyperLogLog.Corrupt e) {
            r.error(INVALID);
        }
    }
}
