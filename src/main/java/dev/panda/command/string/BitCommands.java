package dev.panda.command.string;

import dev.panda.command.Args;
import dev.panda.command.Client;
import dev.panda.command.Errors;
import dev.panda.protocol.Reply;
import dev.panda.store.Database;
import dev.panda.store.Slice;
import dev.panda.store.Status;
import dev.panda.store.Strings;
import java.util.Arrays;

/**
 * SETBIT, GETBIT, BITCOUNT, BITPOS and BITOP on strings, with Redis 7.0's ranges (BYTE|BIT),
 * limits and error texts ({@code bitops.c}). A change rewrites the whole string, as APPEND and
 * SETRANGE do: one effect with the new value. Store thread only.
 */
public final class BitCommands {
    private static final String BAD_OFFSET = "ERR bit offset is not an integer or out of range";
    private final Slice value = new Slice();

    private static Database db(Client c) {
        return c.server().keyspace().db(c.db());
    }

    /**
     * A BITCOUNT/BITPOS range made absolute as Redis does: negative indexes from the end, clamped
     * to the string; in BIT units, turned into bytes plus masks of the bits outside the range in
     * the first and last byte.
     */
    private record Range(long start, long end, int firstMask, int lastMask) {
        static Range of(long byteLength, long start, long end, boolean isBit) {
            long totlen = isBit ? byteLength << 3 : byteLength;
            if (start < 0) {
                start = totlen + start;
            }
            if (end < 0) {
                end = totlen + end;
            }
            start = Math.max(0, start);
            end = Math.max(0, end);
            if (end >= totlen) {
                end = totlen - 1;
            }
            if (isBit && start <= end) {
                return new Range(start >> 3, end >> 3, ~((1 << (8 - (start & 7))) - 1) & 0xff, (1 << (7 - (end & 7))) - 1);
            }
            return new Range(start, end, 0, 0);
        }

        /** The whole string (no range given). */
        static Range whole(long byteLength) {
            return new Range(0, byteLength - 1, 0, 0);
        }
    }

    /** The unit word of a range: true for BIT, false for BYTE, null for anything else. */
    private static Boolean bitUnit(byte[] arg) {
        return Args.is(arg, "bit") ? Boolean.TRUE : Args.is(arg, "byte") ? Boolean.FALSE : null;
    }

    /** getBitOffsetFromArgument (without BITFIELD's '#'). */
    static long bitOffset(Client c, byte[] arg) {
        Long off = Args.tryParseLong(arg);
        if (off == null || off < 0 || (off >> 3) >= c.server().config().getLong("proto-max-bulk-len")) {
            throw new Args.Invalid(BAD_OFFSET);
        }
        return off;
    }

    /** The string at key (its bytes), or null when absent; WRONGTYPE otherwise. */
    private byte[] read(Strings strings, byte[] key, boolean write) {
        Status s = Errors.checkType(write ? strings.peek(key, value) : strings.get(key, value));
        return s == Status.OK ? value.toArray() : null;
    }

    public void setbit(Client c, byte[][] argv, Reply r) {
        long offset = bitOffset(c, argv[2]);
        Long on = Args.tryParseLong(argv[3]);
        if (on == null || (on & ~1L) != 0) {
            r.error("ERR bit is not an integer or out of range");
            return;
        }
        Strings strings = db(c).strings();
        Status s = Errors.checkType(strings.peek(argv[1], value));
        int index = (int) (offset >> 3);
        boolean grew = s != Status.OK || index >= value.length;
        int current = grew ? 0 : value.array[value.offset + index];
        int bit = 7 - (int) (offset & 7);
        int old = (current >> bit) & 1;
        if (grew || old != on) {
            // Only the byte changes: written in place when it can be, and logged as that one byte.
            byte[] updated = {(byte) ((current & ~(1 << bit)) | (int) (on << bit))};
            strings.write(argv[1], index, updated, 0, 1);
        }
        r.integer(old);
    }

    public void getbit(Client c, byte[][] argv, Reply r) {
        long offset = bitOffset(c, argv[2]);
        byte[] v = read(db(c).strings(), argv[1], false);
        int index = (int) (offset >> 3);
        r.integer(v != null && index < v.length ? (v[index] >> (7 - (offset & 7))) & 1 : 0);
    }

    public void bitcount(Client c, byte[][] argv, Reply r) {
        // Counted where the value lies, without a copy: a bitmap may be megabytes.
        if (Errors.checkType(db(c).strings().get(argv[1], value)) != Status.OK) {
            r.integer(0);
            return;
        }
        byte[] p = value.array;
        int base = value.offset;
        int length = value.length;
        Range range;
        if (argv.length == 4 || argv.length == 5) {
            long start = Args.parseLong(argv[2]);
            long end = Args.parseLong(argv[3]);
            if (start < 0 && end < 0 && start > end) {
                r.integer(0);
                return;
            }
            Boolean isBit = argv.length == 5 ? bitUnit(argv[4]) : Boolean.FALSE;
            if (isBit == null) {
                r.error(Errors.SYNTAX);
                return;
            }
            range = Range.of(length, start, end, isBit);
        } else if (argv.length == 2) {
            range = Range.whole(length);
        } else {
            r.error(Errors.SYNTAX);
            return;
        }
        long start = range.start();
        long end = range.end();
        int firstMask = range.firstMask();
        int lastMask = range.lastMask();
        if (start > end) {
            r.integer(0);
            return;
        }
        long count = popcount(p, base + (int) start, base + (int) end + 1);
        if (firstMask != 0) {
            count -= Integer.bitCount(p[base + (int) start] & firstMask);
        }
        if (lastMask != 0) {
            count -= Integer.bitCount(p[base + (int) end] & lastMask);
        }
        r.integer(count);
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** The bits set in {@code a[from, to)}, eight bytes at a time (the CPU's popcount). */
    static long popcount(byte[] a, int from, int to) {
        long count = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            count += Long.bitCount((long) LONGS.get(a, i));
        }
        for (; i < to; i++) {
            count += Integer.bitCount(a[i] & 0xff);
        }
        return count;
    }

    /** redisBitpos: the first bit equal to {@code bit} in {@code p[start, start + count)}; for 0 past all ones, count * 8; for 1 none, -1. */
    private static long firstBit(byte[] p, int start, long count, int bit) {
        for (long i = 0; i < count; i++) {
            int b = p[(int) (start + i)] & 0xff;
            if (bit == 1 ? b != 0 : b != 0xff) {
                for (int k = 7; k >= 0; k--) {
                    if (((b >> k) & 1) == bit) {
                        return i * 8 + (7 - k);
                    }
                }
            }
        }
        return bit == 1 ? -1 : count * 8;
    }

    public void bitpos(Client c, byte[][] argv, Reply r) {
        long bit = Args.parseLong(argv[2]);
        if (bit != 0 && bit != 1) {
            r.error("ERR The bit argument must be 1 or 0.");
            return;
        }
        byte[] p = read(db(c).strings(), argv[1], false);
        if (p == null) {
            r.integer(bit == 1 ? -1 : 0);
            return;
        }
        Range range;
        boolean endGiven = argv.length >= 5;
        if (argv.length >= 4 && argv.length <= 6) {
            long start = Args.parseLong(argv[3]);
            Boolean isBit = argv.length == 6 ? bitUnit(argv[5]) : Boolean.FALSE;
            if (isBit == null) {
                r.error(Errors.SYNTAX);
                return;
            }
            long end = endGiven ? Args.parseLong(argv[4]) : isBit ? ((long) p.length << 3) + 7 : p.length - 1;
            range = Range.of(p.length, start, end, isBit);
        } else if (argv.length == 3) {
            range = Range.whole(p.length);
        } else {
            r.error(Errors.SYNTAX);
            return;
        }
        long start = range.start();
        long end = range.end();
        int firstMask = range.firstMask();
        int lastMask = range.lastMask();
        if (start > end) {
            r.integer(-1);
            return;
        }
        long bytes = end - start + 1;
        long pos;
        int b = (int) bit;
        found: {
            if (firstMask != 0) {
                int tmp = b == 1 ? p[(int) start] & ~firstMask : p[(int) start] | firstMask;
                if (lastMask != 0 && bytes == 1) {
                    tmp = b == 1 ? tmp & ~lastMask : tmp | lastMask;
                }
                pos = firstBit(new byte[] {(byte) tmp}, 0, 1, b);
                if (bytes == 1 || (pos != -1 && pos != 8)) {
                    break found;
                }
                start++;
                bytes--;
            }
            long cur = bytes - (lastMask != 0 ? 1 : 0);
            if (cur > 0) {
                pos = firstBit(p, (int) start, cur, b);
                if (bytes == cur || (pos != -1 && pos != cur << 3)) {
                    break found;
                }
                start += cur;
                bytes -= cur;
            }
            int tmp = b == 1 ? p[(int) end] & ~lastMask : p[(int) end] | lastMask;
            pos = firstBit(new byte[] {(byte) tmp}, 0, 1, b);
        }
        if (endGiven && b == 0 && pos == bytes << 3) {
            r.integer(-1);
            return;
        }
        if (pos != -1) {
            pos += start << 3;
        }
        r.integer(pos);
    }

    public void bitop(Client c, byte[][] argv, Reply r) {
        int op;
        if (Args.is(argv[1], "and")) {
            op = 0;
        } else if (Args.is(argv[1], "or")) {
            op = 1;
        } else if (Args.is(argv[1], "xor")) {
            op = 2;
        } else if (Args.is(argv[1], "not")) {
            op = 3;
        } else {
            r.error(Errors.SYNTAX);
            return;
        }
        if (op == 3 && argv.length != 4) {
            r.error("ERR BITOP NOT must be called with a single source key.");
            return;
        }
        Database db = db(c);
        int n = argv.length - 3;
        byte[][] src = new byte[n][];
        int maxlen = 0;
        for (int j = 0; j < n; j++) {
            src[j] = read(db.strings(), argv[j + 3], false);
            if (src[j] == null) {
                src[j] = new byte[0];
            }
            maxlen = Math.max(maxlen, src[j].length);
        }
        if (maxlen == 0) {
            db.delete(argv[2]);
            r.integer(0);
            return;
        }
        byte[] res = new byte[maxlen];
        for (int j = 0; j < maxlen; j++) {
            int out = j < src[0].length ? src[0][j] & 0xff : 0;
            if (op == 3) {
                out = ~out & 0xff;
            }
            for (int i = 1; i < n; i++) {
                int b = j < src[i].length ? src[i][j] & 0xff : 0;
                out = switch (op) {
                    case 0 -> out & b;
                    case 1 -> out | b;
                    default -> out ^ b;
                };
            }
            res[j] = (byte) out;
        }
        db.strings().set(argv[2], res, 0, res.length, -1, Strings.RAW);
        r.integer(maxlen);
    }

    // ---- BITFIELD --------------------------------------------------------------------------------

    private static final int WRAP = 0;
    private static final int SAT = 1;
    private static final int FAIL = 2;

    /** One BITFIELD operation: GET (0), SET (1) or INCRBY (2), with its type and overflow rule. */
    private record FieldOp(int opcode, boolean signed, int bits, long offset, long value, int overflow) {
    }

    public void bitfield(Client c, byte[][] argv, Reply r) {
        bitfieldGeneric(c, argv, r, false);
    }

    public void bitfieldRo(Client c, byte[][] argv, Reply r) {
        bitfieldGeneric(c, argv, r, true);
    }

    private void bitfieldGeneric(Client c, byte[][] argv, Reply r, boolean readOnlyCommand) {
        java.util.List<FieldOp> ops = new java.util.ArrayList<>();
        int overflow = WRAP;
        boolean readonly = true;
        long highest = 0;
        for (int j = 2; j < argv.length; j++) {
            int remaining = argv.length - j - 1;
            int opcode;
            if (Args.is(argv[j], "get") && remaining >= 2) {
                opcode = 0;
            } else if (Args.is(argv[j], "set") && remaining >= 3) {
                opcode = 1;
            } else if (Args.is(argv[j], "incrby") && remaining >= 3) {
                opcode = 2;
            } else if (Args.is(argv[j], "overflow") && remaining >= 1) {
                byte[] type = argv[++j];
                if (Args.is(type, "wrap")) {
                    overflow = WRAP;
                } else if (Args.is(type, "sat")) {
                    overflow = SAT;
                } else if (Args.is(type, "fail")) {
                    overflow = FAIL;
                } else {
                    r.error("ERR Invalid OVERFLOW type specified");
                    return;
                }
                continue;
            } else {
                r.error(Errors.SYNTAX);
                return;
            }
            String type = Args.text(argv[j + 1]);
            Long bits = type.length() > 1 ? Args.tryParseLong(Args.bytes(type.substring(1))) : null;
            boolean signed = type.startsWith("i");
            if ((!signed && !type.startsWith("u")) || bits == null || bits < 1 || (signed && bits > 64) || (!signed && bits > 63)) {
                r.error("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");
                return;
            }
            byte[] offArg = argv[j + 2];
            boolean hash = offArg.length > 0 && offArg[0] == '#';
            Long off = Args.tryParseLong(hash ? Arrays.copyOfRange(offArg, 1, offArg.length) : offArg);
            if (off != null && hash) {
                off = off * bits;
            }
            if (off == null || off < 0 || (off >> 3) >= c.server().config().getLong("proto-max-bulk-len")) {
                r.error(BAD_OFFSET);
                return;
            }
            long value = 0;
            if (opcode != 0) {
                readonly = false;
                highest = Math.max(highest, off + bits - 1);
                value = Args.parseLong(argv[j + 3]);
            }
            ops.add(new FieldOp(opcode, signed, (int) (long) bits, off, value, overflow));
            j += opcode == 0 ? 2 : 3;
        }
        Strings strings = db(c).strings();
        byte[] v;
        boolean exists;
        boolean dirty = false;
        if (readonly) {
            v = read(strings, argv[1], false);
            exists = v != null;
        } else {
            if (readOnlyCommand) {
                r.error("ERR BITFIELD_RO only supports the GET subcommand");
                return;
            }
            v = read(strings, argv[1], true);
            exists = v != null;
            int need = (int) (highest >> 3) + 1;
            if (!exists || v.length < need) {
                v = exists ? Arrays.copyOf(v, need) : new byte[need];
                dirty = true;
            }
        }
        r.array(ops.size());
        int changes = 0;
        for (FieldOp op : ops) {
            if (op.opcode() == 0) {
                long raw = v == null ? 0 : getUnsigned(v, op.offset(), op.bits());
                r.integer(op.signed() ? signExtend(raw, op.bits()) : raw);
                continue;
            }
            long oldRaw = getUnsigned(v, op.offset(), op.bits());
            long oldval = op.signed() ? signExtend(oldRaw, op.bits()) : oldRaw;
            long[] wrapped = new long[1];
            int of;
            long newval;
            long retval;
            if (op.opcode() == 2) {
                of = op.signed() ? signedOverflow(oldval, op.value(), op.bits(), op.overflow(), wrapped)
                        : unsignedOverflow(oldval, op.value(), op.bits(), op.overflow(), wrapped);
                newval = of != 0 ? wrapped[0] : oldval + op.value();
                retval = newval;
            } else {
                newval = op.value();
                of = op.signed() ? signedOverflow(newval, 0, op.bits(), op.overflow(), wrapped)
                        : unsignedOverflow(newval, 0, op.bits(), op.overflow(), wrapped);
                if (of != 0) {
                    newval = wrapped[0];
                }
                retval = oldval;
            }
            if (of != 0 && op.overflow() == FAIL) {
                r.nullBulk();
                continue;
            }
            r.integer(retval);
            setUnsigned(v, op.offset(), op.bits(), newval);
            if (dirty || oldval != newval) {
                changes++;
            }
        }
        if (changes > 0 || dirty) { // Redis keeps the grown (or created) string even when no field changed
            strings.set(argv[1], v, 0, v.length, exists ? Strings.KEEP_TTL : -1, Strings.RAW);
        }
    }

    private static long getUnsigned(byte[] p, long offset, int bits) {
        long value = 0;
        for (int j = 0; j < bits; j++) {
            long byteIndex = offset >> 3;
            int bit = 7 - (int) (offset & 7);
            int bitval = byteIndex < p.length ? (p[(int) byteIndex] >> bit) & 1 : 0;
            value = (value << 1) | bitval;
            offset++;
        }
        return value;
    }

    private static long signExtend(long value, int bits) {
        if (bits < 64 && (value & (1L << (bits - 1))) != 0) {
            value |= -1L << bits;
        }
        return value;
    }

    private static void setUnsigned(byte[] p, long offset, int bits, long value) {
        for (int j = 0; j < bits; j++) {
            int bitval = (value & (1L << (bits - 1 - j))) != 0 ? 1 : 0;
            int byteIndex = (int) (offset >> 3);
            int bit = 7 - (int) (offset & 7);
            p[byteIndex] = (byte) ((p[byteIndex] & ~(1 << bit)) | (bitval << bit));
            offset++;
        }
    }

    /** checkUnsignedBitfieldOverflow: 1 over, -1 under, 0 fine; the wrapped or saturated value in {@code limit}. */
    private static int unsignedOverflow(long value, long incr, int bits, int owtype, long[] limit) {
        long max = (1L << bits) - 1; // bits <= 63
        long maxincr = max - value;
        long minincr = -value;
        if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxincr)) {
            limit[0] = owtype == WRAP ? (value + incr) & max : max;
            return 1;
        } else if (incr < 0 && incr < minincr) {
            limit[0] = owtype == WRAP ? (value + incr) & max : 0;
            return -1;
        }
        return 0;
    }

    /** checkSignedBitfieldOverflow. */
    private static int signedOverflow(long value, long incr, int bits, int owtype, long[] limit) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxincr = max - value;
        long minincr = min - value;
        if (value > max || (bits != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr)) {
            limit[0] = owtype == WRAP ? wrapSigned(value, incr, bits) : max;
            return 1;
        } else if (value < min || (bits != 64 && incr < minincr) || (value < 0 && incr < 0 && incr < minincr)) {
            limit[0] = owtype == WRAP ? wrapSigned(value, incr, bits) : min;
            return -1;
        }
        return 0;
    }

    private static long wrapSigned(long value, long incr, int bits) {
        long c = value + incr;
        if (bits < 64) {
            long mask = -1L << bits;
            long msb = 1L << (bits - 1);
            c = (c & msb) != 0 ? c | mask : c & ~mask;
        }
        return c;
    }
}
