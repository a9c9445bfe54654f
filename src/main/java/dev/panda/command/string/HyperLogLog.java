package dev.panda.command.string;

import java.util.Arrays;

/**
 * Redis's HyperLogLog representation and algorithms ({@code hyperloglog.c}), so an HLL value
 * moves between Redis and Panda as a plain string: the 16-byte {@code HYLL} header with the
 * cached cardinality (its top bit marks it stale), 16384 six-bit registers either dense (12288
 * bytes, packed from the low bit) or sparse (ZERO, XZERO and VAL opcodes), MurmurHash64A with
 * Redis's seed, the sparse-set rewrite with its merging of neighbouring VAL opcodes, promotion to
 * dense past {@code hll-sparse-max-bytes} or a register over 32, and Ertl's estimator. Values are
 * byte arrays; operations return the new array. Pure; any thread.
 */
final class HyperLogLog {
    static final int P = 14;
    static final int Q = 64 - P;
    static final int REGISTERS = 1 << P;
    static final int HDR = 16;
    static final int DENSE_SIZE = HDR + (REGISTERS * 6 + 7) / 8;
    static final int DENSE = 0;
    static final int SPARSE = 1;
    private static final int SPARSE_VAL_MAX_VALUE = 32;
    private static final int SPARSE_VAL_MAX_LEN = 4;
    private static final int SPARSE_ZERO_MAX_LEN = 64;
    private static final int SPARSE_XZERO_MAX_LEN = 16384;
    private static final double ALPHA_INF = 0.721347520444481703680;

    /** Thrown for a value whose sparse opcodes do not cover the registers exactly. */
    static final class Corrupt extends Exception {
        Corrupt() {
            super(null, null, false, false);
        }
    }

    private HyperLogLog() {
    }

    /** createHLLObject: an empty sparse HLL (one XZERO covering every register). */
    static byte[] empty() {
        byte[] s = new byte[HDR + 2];
        s[0] = 'H';
        s[1] = 'Y';
        s[2] = 'L';
        s[3] = 'L';
        s[4] = SPARSE;
        xzero(s, HDR, SPARSE_XZERO_MAX_LEN);
        return s;
    }

    /** isHLLObjectOrReply's checks: the magic, a known encoding, the dense size. */
    static boolean valid(byte[] v) {
        if (v.length < HDR || v[0] != 'H' || v[1] != 'Y' || v[2] != 'L' || v[3] != 'L' || (v[4] & 0xff) > 1) {
            return false;
        }
        return v[4] != DENSE || v.length == DENSE_SIZE;
    }

    /** {@link #valid} of the value at {@code a[base, base + length)}, and dense: PFADD's and PFCOUNT's in-place path. */
    static boolean validDense(byte[] a, int base, int length) {
        return length == DENSE_SIZE && a[base] == 'H' && a[base + 1] == 'Y' && a[base + 2] == 'L' && a[base + 3] == 'L'
                && a[base + 4] == DENSE;
    }

    /** Register {@code reg} of the dense value at {@code a[base, …)}. */
    static int denseGet(byte[] a, int base, int reg) {
        int bitpos = reg * 6;
        int b = HDR + (bitpos >> 3);
        int fb = bitpos & 7;
        int b0 = a[base + b] & 0xff;
        int b1 = b + 1 < DENSE_SIZE ? a[base + b + 1] & 0xff : 0;
        return ((b0 >> fb) | (b1 << (8 - fb))) & 63;
    }

    /**
     * Sets register {@code reg} to {@code val} in {@code buf}, which holds the dense value's bytes
     * from offset {@code from} on (a window of it).
     */
    static void denseSetWindow(byte[] buf, int from, int reg, int val) {
        int bitpos = reg * 6;
        int b = HDR + (bitpos >> 3) - from;
        int fb = bitpos & 7;
        int fb8 = 8 - fb;
        buf[b] = (byte) ((buf[b] & ~(63 << fb)) | (val << fb));
        if (HDR + (bitpos >> 3) + 1 < DENSE_SIZE) {
            buf[b + 1] = (byte) ((buf[b + 1] & ~(63 >> fb8)) | (val >> fb8));
        }
    }

    /** The first and last byte offsets (in the value) that register {@code reg} occupies. */
    static int denseFirstByte(int reg) {
        return HDR + ((reg * 6) >> 3);
    }

    static int denseLastByte(int reg) {
        return Math.min(DENSE_SIZE - 1, denseFirstByte(reg) + 1);
    }

    static boolean cacheValid(byte[] v) {
        return (v[15] & 0x80) == 0;
    }

    static void invalidateCache(byte[] v) {
        v[15] |= (byte) 0x80;
    }

    static long cachedCard(byte[] v) {
        long card = 0;
        for (int i = 7; i >= 0; i--) {
            card = card << 8 | (v[8 + i] & 0xff);
        }
        return card;
    }

    static void setCachedCard(byte[] v, long card) {
        for (int i = 0; i < 8; i++) {
            v[8 + i] = (byte) (card >>> (8 * i));
        }
    }

    // ---- hashing ----------------------------------------------------------------------------------

    static long murmurHash64A(byte[] key, int seed) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        int len = key.length;
        long h = (seed & 0xffffffffL) ^ (len * m);
        int end = len - (len & 7);
        for (int i = 0; i < end; i += 8) {
            long k = 0;
            for (int b = 7; b >= 0; b--) {
                k = k << 8 | (key[i + b] & 0xff);
            }
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        switch (len & 7) {
            case 7: h ^= (long) (key[end + 6] & 0xff) << 48; // fall through
            case 6: h ^= (long) (key[end + 5] & 0xff) << 40; // fall through
            case 5: h ^= (long) (key[end + 4] & 0xff) << 32; // fall through
            case 4: h ^= (long) (key[end + 3] & 0xff) << 24; // fall through
            case 3: h ^= (long) (key[end + 2] & 0xff) << 16; // fall through
            case 2: h ^= (long) (key[end + 1] & 0xff) << 8; // fall through
            case 1:
                h ^= key[end] & 0xff;
                h *= m;
                break;
            default:
                break;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }

    /** hllPatLen: the register an element goes to (low 32 bits) and its run length + 1 (high bits). */
    static long patLen(byte[] element) {
        long hash = murmurHash64A(element, 0xadc83b19);
        long index = hash & (REGISTERS - 1);
        hash >>>= P;
        hash |= 1L << Q;
        int count = 1;
        long bit = 1;
        while ((hash & bit) == 0) {
            count++;
            bit <<= 1;
        }
        return (long) count << 32 | index;
    }

    // ---- dense -------------------------------------------------------------------------------------

    static int denseGet(byte[] v, int reg) {
        int bitpos = reg * 6;
        int b = HDR + (bitpos >> 3);
        int fb = bitpos & 7;
        int b0 = v[b] & 0xff;
        int b1 = b + 1 < v.length ? v[b + 1] & 0xff : 0;
        return ((b0 >> fb) | (b1 << (8 - fb))) & 63;
    }

    static void denseSet(byte[] v, int reg, int val) {
        int bitpos = reg * 6;
        int b = HDR + (bitpos >> 3);
        int fb = bitpos & 7;
        int fb8 = 8 - fb;
        v[b] = (byte) ((v[b] & ~(63 << fb)) | (val << fb));
        if (b + 1 < v.length) {
            v[b + 1] = (byte) ((v[b + 1] & ~(63 >> fb8)) | (val >> fb8));
        }
    }

    // ---- sparse ------------------------------------------------------------------------------------

    private static boolean isZero(int op) {
        return (op & 0xc0) == 0;
    }

    private static boolean isXzero(int op) {
        return (op & 0xc0) == 0x40;
    }

    private static boolean isVal(int op) {
        return (op & 0x80) != 0;
    }

    private static int zeroLen(int op) {
        return (op & 0x3f) + 1;
    }

    private static int xzeroLen(byte[] s, int p) {
        return (((s[p] & 0x3f) << 8) | (s[p + 1] & 0xff)) + 1;
    }

    private static int valValue(int op) {
        return ((op >> 2) & 0x1f) + 1;
    }

    private static int valLen(int op) {
        return (op & 0x3) + 1;
    }

    private static byte valOp(int val, int len) {
        return (byte) (((val - 1) << 2 | (len - 1)) | 0x80);
    }

    private static void xzero(byte[] s, int p, int len) {
        int l = len - 1;
        s[p] = (byte) ((l >> 8) | 0x40);
        s[p + 1] = (byte) (l & 0xff);
    }

    /** hllSparseToDense. */
    static byte[] toDense(byte[] s) throws Corrupt {
        if (s[4] == DENSE) {
            return s;
        }
        byte[] d = new byte[DENSE_SIZE];
        System.arraycopy(s, 0, d, 0, HDR);
        d[4] = DENSE;
        int idx = 0;
        int p = HDR;
        while (p < s.length) {
            int op = s[p] & 0xff;
            if (isZero(op)) {
                idx += zeroLen(op);
                p++;
            } else if (isXzero(op)) {
                idx += xzeroLen(s, p);
                p += 2;
            } else {
                int runlen = valLen(op);
                int regval = valValue(op);
                if (runlen + idx > REGISTERS) {
                    break;
                }
                while (runlen-- > 0) {
                    denseSet(d, idx++, regval);
                }
                p++;
            }
        }
        if (idx != REGISTERS) {
            throw new Corrupt();
        }
        return d;
    }

    /** The outcome of a set: the (possibly new) value, and whether a register changed. */
    record Set(byte[] value, boolean changed) {
    }

    /** hllSet: raises register {@code index} to {@code count} in either encoding. */
    static Set set(byte[] v, int index, int count, long sparseMaxBytes) throws Corrupt {
        if (v[4] == DENSE) {
            if (count > denseGet(v, index)) {
                denseSet(v, index, count);
                return new Set(v, true);
            }
            return new Set(v, false);
        }
        return sparseSet(v, index, count, sparseMaxBytes);
    }

    private static Set promote(byte[] s, int index, int count) throws Corrupt {
        byte[] d = toDense(s);
        if (count > denseGet(d, index)) {
            denseSet(d, index, count);
        }
        return new Set(d, true);
    }

    /** hllSparseSet, opcode for opcode. */
    private static Set sparseSet(byte[] s, int index, int count, long sparseMaxBytes) throws Corrupt {
        if (count > SPARSE_VAL_MAX_VALUE) {
            return promote(s, index, count);
        }
        int end = s.length;
        int p = HDR;
        int first = 0;
        int prev = -1;
        int span = 0;
        while (p < end) {
            int op = s[p] & 0xff;
            int oplen = 1;
            if (isZero(op)) {
                span = zeroLen(op);
            } else if (isVal(op)) {
                span = valLen(op);
            } else {
                if (p + 1 >= end) {
                    throw new Corrupt();
                }
                span = xzeroLen(s, p);
                oplen = 2;
            }
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end) {
            throw new Corrupt();
        }
        int op = s[p] & 0xff;
        int next = isXzero(op) ? p + 2 : p + 1;
        if (next >= end) {
            next = -1;
        }
        boolean zero = isZero(op);
        boolean xz = isXzero(op);
        boolean val = !zero && !xz;
        int runlen = zero ? zeroLen(op) : xz ? xzeroLen(s, p) : valLen(op);
        byte[] out;
        if (val && valValue(op) >= count) {
            return new Set(s, false);
        }
        if ((val || zero) && runlen == 1) {
            out = s.clone();
            out[p] = valOp(count, 1);
        } else {
            byte[] seq = new byte[5];
            int n = 0;
            int last = first + span - 1;
            if (zero || xz) {
                if (index != first) {
                    int len = index - first;
                    if (len > SPARSE_ZERO_MAX_LEN) {
                        xzero(seq, n, len);
                        n += 2;
                    } else {
                        seq[n++] = (byte) (len - 1);
                    }
                }
                seq[n++] = valOp(count, 1);
                if (index != last) {
                    int len = last - index;
                    if (len > SPARSE_ZERO_MAX_LEN) {
                        xzero(seq, n, len);
                        n += 2;
                    } else {
                        seq[n++] = (byte) (len - 1);
                    }
                }
            } else {
                int curval = valValue(op);
                if (index != first) {
                    seq[n++] = valOp(curval, index - first);
                }
                seq[n++] = valOp(count, 1);
                if (index != last) {
                    seq[n++] = valOp(curval, last - index);
                }
            }
            int oldlen = xz ? 2 : 1;
            int delta = n - oldlen;
            if (delta > 0 && (long) s.length + delta > sparseMaxBytes) {
                return promote(s, index, count);
            }
            out = new byte[s.length + delta];
            System.arraycopy(s, 0, out, 0, p);
            System.arraycopy(seq, 0, out, p, n);
            if (next >= 0) {
                System.arraycopy(s, next, out, next + delta, s.length - next);
            }
        }
        // Merge neighbouring VAL opcodes of the same value, scanning up to five opcodes from prev.
        int q = prev >= 0 ? prev : HDR;
        int len = out.length;
        int scan = 5;
        while (q < len && scan-- > 0) {
            int o = out[q] & 0xff;
            if (isXzero(o)) {
                q += 2;
                continue;
            } else if (isZero(o)) {
                q++;
                continue;
            }
            if (q + 1 < len && isVal(out[q + 1] & 0xff)) {
                int v1 = valValue(o);
                int v2 = valValue(out[q + 1] & 0xff);
                if (v1 == v2) {
                    int merged = valLen(o) + valLen(out[q + 1] & 0xff);
                    if (merged <= SPARSE_VAL_MAX_LEN) {
                        out[q + 1] = valOp(v1, merged);
                        System.arraycopy(out, q + 1, out, q, len - q - 1);
                        len--;
                        continue;
                    }
                }
            }
            q++;
        }
        if (len != out.length) {
            out = Arrays.copyOf(out, len);
        }
        invalidateCache(out);
        return new Set(out, true);
    }

    // ---- merge and count ---------------------------------------------------------------------------

    /** hllMerge: raises {@code max} to this HLL's registers. */
    static void mergeInto(int[] max, byte[] v) throws Corrupt {
        if (v[4] == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                max[i] = Math.max(max[i], denseGet(v, i));
            }
            return;
        }
        int i = 0;
        int p = HDR;
        while (p < v.length) {
            int op = v[p] & 0xff;
            if (isZero(op)) {
                i += zeroLen(op);
                p++;
            } else if (isXzero(op)) {
                i += xzeroLen(v, p);
                p += 2;
            } else {
                int runlen = valLen(op);
                int regval = valValue(op);
                if (runlen + i > REGISTERS) {
                    break;
                }
                while (runlen-- > 0) {
                    max[i] = Math.max(max[i], regval);
                    i++;
                }
                p++;
            }
        }
        if (i != REGISTERS) {
            throw new Corrupt();
        }
    }

    /** hllCount over an HLL value. */
    static long count(byte[] v) throws Corrupt {
        int[] histo = new int[64];
        if (v[4] == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                histo[denseGet(v, i)]++;
            }
        } else {
            int idx = 0;
            int p = HDR;
            while (p < v.length) {
                int op = v[p] & 0xff;
                if (isZero(op)) {
                    idx += zeroLen(op);
                    histo[0] += zeroLen(op);
                    p++;
                } else if (isXzero(op)) {
                    int l = xzeroLen(v, p);
                    idx += l;
                    histo[0] += l;
                    p += 2;
                } else {
                    idx += valLen(op);
                    histo[valValue(op)] += valLen(op);
                    p++;
                }
            }
            if (idx != REGISTERS) {
                throw new Corrupt();
            }
        }
        return estimate(histo);
    }

    /** hllCount over raw registers (PFCOUNT of several keys). */
    static long count(int[] registers) {
        int[] histo = new int[64];
        for (int r : registers) {
            histo[r]++;
        }
        return estimate(histo);
    }

    private static long estimate(int[] histo) {
        double m = REGISTERS;
        double z = m * tau((m - histo[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += histo[j];
            z *= 0.5;
        }
        z += m * sigma(histo[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    private static double sigma(double x) {
        if (x == 1.) {
            return Double.POSITIVE_INFINITY;
        }
        double zPrime;
        double y = 1;
        double z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    private static double tau(double x) {
        if (x == 0. || x == 1.) {
            return 0.;
        }
        double zPrime;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            z -= Math.pow(1 - x, 2) * y;
        } while (zPrime != z);
        return z / 3;
    }
}
