package dev.panda.store.value;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.NoSuchElementException;

/**
 * Redis 7.0's intset, byte for byte: the packed form of a small set whose members are all
 * canonical integers ({@link RedisIntegers}).
 *
 * <p>Layout: the width of every value in bytes (u32 LE: 2, 4 or 8), the number of values (u32
 * LE), then the values in ascending order, little-endian. The width is the narrowest that holds
 * every value ever added: adding a wider value rewrites the whole set at the new width
 * ({@code intsetUpgradeAndAdd}), and removing one never narrows it back, as in Redis.
 *
 * <p>An intset lives inside a larger array: {@code a} holds it from {@code base}, after a header
 * that is the caller's business. Nothing is changed in place, since a snapshot may be reading the
 * same array: a mutation returns a new array of exactly {@code base + blobLength}, with the bytes
 * before {@code base} copied from the source, or the source itself when nothing changes.
 *
 * <p>Pure functions; any thread.
 */
public final class Intset {
    /** Encoding (4) and length (4). */
    public static final int HEADER_SIZE = 8;
    public static final int ENCODING_INT16 = 2;
    public static final int ENCODING_INT32 = 4;
    public static final int ENCODING_INT64 = 8;

    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Intset() {
    }

    /** A new array: {@code head[0, base)}, then an empty intset of 16-bit width. */
    public static byte[] empty(byte[] head, int base) {
        byte[] out = new byte[base + HEADER_SIZE];
        System.arraycopy(head, 0, out, 0, base);
        INT_LE.set(out, base, ENCODING_INT16);
        return out;
    }

    /** The width of each value in bytes: 2, 4 or 8. */
    public static int encoding(byte[] a, int base) {
        return (int) INT_LE.get(a, base);
    }

    /** The number of values. */
    public static int size(byte[] a, int base) {
        return (int) INT_LE.get(a, base + 4);
    }

    /** The intset's length in bytes, header included. */
    public static int blobLength(byte[] a, int base) {
        return HEADER_SIZE + size(a, base) * encoding(a, base);
    }

    /** The narrowest width that holds {@code v}. */
    public static int encodingFor(long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            return ENCODING_INT64;
        }
        if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
            return ENCODING_INT32;
        }
        return ENCODING_INT16;
    }

    /** The value at {@code index} (0 is the smallest). */
    public static long get(byte[] a, int base, int index) {
        int enc = encoding(a, base);
        return read(a, base + HEADER_SIZE + index * enc, enc);
    }

    /** The smallest value; the set must not be empty. */
    public static long min(byte[] a, int base) {
        requireNonEmpty(a, base);
        return get(a, base, 0);
    }

    /** The largest value; the set must not be empty. */
    public static long max(byte[] a, int base) {
        requireNonEmpty(a, base);
        return get(a, base, size(a, base) - 1);
    }

    /** The index of {@code v}, or {@code -(insertion point) - 1} when absent. */
    public static int search(byte[] a, int base, long v) {
        int len = size(a, base);
        if (len == 0) {
            return -1;
        }
        int enc = encoding(a, base);
        int data = base + HEADER_SIZE;
        // The ends first: appending ascending values (the common case) needs no binary search.
        if (v > read(a, data + (len - 1) * enc, enc)) {
            return -len - 1;
        }
        if (v < read(a, data, enc)) {
            return -1;
        }
        int lo = 0;
        int hi = len - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long cur = read(a, data + mid * enc, enc);
            if (v > cur) {
                lo = mid + 1;
            } else if (v < cur) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -lo - 1;
    }

    /** Whether {@code v} is a member. */
    public static boolean contains(byte[] a, int base, long v) {
        return encodingFor(v) <= encoding(a, base) && search(a, base, v) >= 0;
    }

    /** A new array with {@code v} added, or {@code a} itself when {@code v} is already a member. */
    public static byte[] add(byte[] a, int base, long v) {
        int enc = encoding(a, base);
        int len = size(a, base);
        int needed = encodingFor(v);
        if (needed > enc) {
            return upgradeAndAdd(a, base, enc, len, needed, v);
        }
        int found = search(a, base, v);
        if (found >= 0) {
            return a;
        }
        int at = -found - 1;
        int data = base + HEADER_SIZE;
        byte[] out = new byte[data + (len + 1) * enc];
        System.arraycopy(a, 0, out, 0, data + at * enc);
        System.arraycopy(a, data + at * enc, out, data + (at + 1) * enc, (len - at) * enc);
        write(out, data + at * enc, enc, v);
        INT_LE.set(out, base + 4, len + 1);
        return out;
    }

    /** A new array without {@code v}, or {@code a} itself when {@code v} is not a member. The width stays. */
    public static byte[] remove(byte[] a, int base, long v) {
        int enc = encoding(a, base);
        if (encodingFor(v) > enc) {
            return a;
        }
        int at = search(a, base, v);
        if (at < 0) {
            return a;
        }
        int len = size(a, base);
        int data = base + HEADER_SIZE;
        byte[] out = new byte[data + (len - 1) * enc];
        System.arraycopy(a, 0, out, 0, data + at * enc);
        System.arraycopy(a, data + (at + 1) * enc, out, data + at * enc, (len - 1 - at) * enc);
        INT_LE.set(out, base + 4, len - 1);
        return out;
    }

    /**
     * Rewrites every value at the wider {@code enc}. A value too wide for the old width lies
     * beyond every member, so it goes first when negative and last otherwise.
     */
    private static byte[] upgradeAndAdd(byte[] a, int base, int oldEnc, int len, int enc, long v) {
        int data = base + HEADER_SIZE;
        byte[] out = new byte[data + (len + 1) * enc];
        System.arraycopy(a, 0, out, 0, base);
        INT_LE.set(out, base, enc);
        INT_LE.set(out, base + 4, len + 1);
        int shift = v < 0 ? 1 : 0;
        for (int i = 0; i < len; i++) {
            write(out, data + (i + shift) * enc, enc, read(a, data + i * oldEnc, oldEnc));
        }
        write(out, data + (shift == 1 ? 0 : len * enc), enc, v);
        return out;
    }

    private static long read(byte[] a, int at, int enc) {
        switch (enc) {
            case ENCODING_INT16:
                return (short) SHORT_LE.get(a, at);
            case ENCODING_INT32:
                return (int) INT_LE.get(a, at);
            default:
                return (long) LONG_LE.get(a, at);
        }
    }

    private static void write(byte[] a, int at, int enc, long v) {
        switch (enc) {
            case ENCODING_INT16:
                SHORT_LE.set(a, at, (short) v);
                break;
            case ENCODING_INT32:
                INT_LE.set(a, at, (int) v);
                break;
            default:
                LONG_LE.set(a, at, v);
                break;
        }
    }

    private static void requireNonEmpty(byte[] a, int base) {
        if (size(a, base) == 0) {
            throw new NoSuchElementException("empty intset");
        }
    }
}
