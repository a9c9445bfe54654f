package dev.panda.rdb;

/**
 * LibLZF ({@code lzf_c.c}, {@code lzf_d.c}) as Redis builds it: decompression, for the compressed
 * strings Redis writes into RDB and DUMP payloads, and compression, to know how long Redis's
 * RDB form of a value is (DEBUG OBJECT's serializedlength). Pure functions; any thread (a hash
 * table passed in belongs to the calling thread).
 */
public final class Lzf {
    private Lzf() {
    }

    /** Slots of the compressor's hash table (HLOG 16). */
    public static final int HASH_SLOTS = 1 << 16;
    private static final int MAX_LIT = 1 << 5;
    private static final int MAX_OFF = 1 << 13;
    private static final int MAX_REF = (1 << 8) + (1 << 3);

    /**
     * lzf_compress as Redis builds it (VERY_FAST, not ULTRA_FAST): compresses {@code in[off,
     * off + len)} into {@code out} and returns the compressed length, or 0 when it would not fit
     * in {@code outLen} bytes. {@code out} needs {@code outLen + 8} bytes of room (the C code
     * writes up to three bytes past its last check). {@code htab} ({@link #HASH_SLOTS} ints) is
     * the scratch hash table: it starts empty here, where Redis's starts with whatever its stack
     * held, so in rare cases Redis finds a match this does not.
     */
    public static int compress(byte[] in, int off, int len, byte[] out, int outLen, int[] htab) {
        if (len == 0 || outLen == 0) {
            return 0;
        }
        java.util.Arrays.fill(htab, -1);
        int ip = off;
        int inEnd = off + len;
        int op = 1; // start run
        int lit = 0;
        int hval = (in[ip] & 0xff) << 8 | (len > 1 ? in[ip + 1] & 0xff : 0);
        while (ip < inEnd - 2) {
            hval = hval << 8 | (in[ip + 2] & 0xff);
            int slot = slot(hval);
            int ref = htab[slot];
            htab[slot] = ip;
            int distance;
            if (ref > off && (distance = ip - ref - 1) < MAX_OFF
                    && in[ref + 2] == in[ip + 2] && in[ref] == in[ip] && in[ref + 1] == in[ip + 1]) {
                int n = 2;
                int maxlen = Math.min(inEnd - ip - n, MAX_REF);
                int notLit = lit == 0 ? 1 : 0;
                if (op + 3 + 1 >= outLen && op - notLit + 3 + 1 >= outLen) {
                    return 0;
                }
                out[op - lit - 1] = (byte) (lit - 1); // stop run
                op -= notLit; // undo run if length is zero
                if (maxlen > 16) { // lzf_c.c's unrolled loop: 16 bytes compared before the bound is
                    boolean mismatch = false;
                    for (int k = 0; k < 16; k++) {
                        n++;
                        if (in[ref + n] != in[ip + n]) {
                            mismatch = true;
                            break;
                        }
                    }
                    if (!mismatch) {
                        do {
                            n++;
                        } while (n < maxlen && in[ref + n] == in[ip + n]);
                    }
                } else {
                    do {
                        n++;
                    } while (n < maxlen && in[ref + n] == in[ip + n]);
                }
                n -= 2; // octets - 1
                ip++;
                if (n < 7) {
                    out[op++] = (byte) ((distance >> 8) + (n << 5));
                } else {
                    out[op++] = (byte) ((distance >> 8) + (7 << 5));
                    out[op++] = (byte) (n - 7);
                }
                out[op++] = (byte) distance;
                lit = 0;
                op++; // start run
                ip += n + 1;
                if (ip >= inEnd - 2) {
                    break;
                }
                ip -= 2; // VERY_FAST: hash the two positions before the match's end
                hval = (in[ip] & 0xff) << 8 | (in[ip + 1] & 0xff);
                hval = hval << 8 | (in[ip + 2] & 0xff);
                htab[slot(hval)] = ip;
                ip++;
                hval = hval << 8 | (in[ip + 2] & 0xff);
                htab[slot(hval)] = ip;
                ip++;
            } else {
                if (op >= outLen) {
                    return 0;
                }
                lit++;
                out[op++] = in[ip++];
                if (lit == MAX_LIT) {
                    out[op - lit - 1] = (byte) (lit - 1); // stop run
                    lit = 0;
                    op++; // start run
                }
            }
        }
        if (op + 3 > outLen) {
            return 0;
        }
        while (ip < inEnd) {
            lit++;
            out[op++] = in[ip++];
            if (lit == MAX_LIT) {
                out[op - lit - 1] = (byte) (lit - 1);
                lit = 0;
                op++;
            }
        }
        out[op - lit - 1] = (byte) (lit - 1); // end run
        op -= lit == 0 ? 1 : 0;
        return op;
    }

    /** IDX of VERY_FAST: a multiplicative-like hash of the last three bytes. */
    private static int slot(int h) {
        return ((h >>> 8) - h * 5) & (HASH_SLOTS - 1);
    }

    /**
     * Decompresses {@code in[off, off + len)} into exactly {@code outLen} bytes; throws
     * IllegalArgumentException when the data is not valid LZF of that size.
     */
    public static byte[] decompress(byte[] in, int off, int len, int outLen) {
        byte[] out = new byte[outLen];
        int ip = off;
        int end = off + len;
        int op = 0;
        while (ip < end) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) { // a literal run of ctrl + 1 bytes
                int n = ctrl + 1;
                if (op + n > outLen || ip + n > end) {
                    throw new IllegalArgumentException("LZF literal overruns");
                }
                System.arraycopy(in, ip, out, op, n);
                ip += n;
                op += n;
            } else { // a back reference
                int n = ctrl >>> 5;
                if (n == 7) {
                    if (ip >= end) {
                        throw new IllegalArgumentException("LZF truncated");
                    }
                    n += in[ip++] & 0xff;
                }
                if (ip >= end) {
                    throw new IllegalArgumentException("LZF truncated");
                }
                int ref = op - ((ctrl & 0x1f) << 8) - 1 - (in[ip++] & 0xff);
                n += 2;
                if (ref < 0 || op + n > outLen) {
                    throw new IllegalArgumentException("LZF reference out of range");
                }
                for (int k = 0; k < n; k++) {
                    out[op++] = out[ref++];
                }
            }
        }
        if (op != outLen) {
            throw new IllegalArgumentException("LZF data decompresses to " + op + " bytes, not " + outLen);
        }
        return out;
    }
}
