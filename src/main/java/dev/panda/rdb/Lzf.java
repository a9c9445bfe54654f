package dev.panda.rdb;

/**
 * LibLZF decompression ({@code lzf_d.c}), for the compressed strings Redis writes into RDB and
 * DUMP payloads. Pure function; any thread.
 */
public final class Lzf {
    private Lzf() {
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
