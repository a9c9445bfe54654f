package dev.panda.rdb;

import dev.panda.store.value.RedisIntegers;

/**
 * Counts the bytes Redis's RDB writer ({@code rdb.c}) would write for the pieces of a value,
 * without writing them: lengths ({@code rdbSaveLen}) and strings ({@code rdbSaveRawString}: a
 * canonical integer of at most 11 characters that fits in 32 bits as an encoded integer, longer
 * than 20 bytes LZF-compressed when {@code rdbcompression} is on and that saves at least four
 * bytes, else plain). DEBUG OBJECT's serializedlength is their sum ({@code rdbSavedObjectLen}).
 *
 * <p>Not thread-safe: it keeps the compressor's scratch space; one instance per thread.
 */
public final class RdbSize {
    private final int[] htab = new int[Lzf.HASH_SLOTS];
    private byte[] scratch = new byte[64];
    private boolean compression = true;

    /** Whether strings are LZF-compressed, as Redis's {@code rdbcompression}. */
    public RdbSize compression(boolean on) {
        compression = on;
        return this;
    }

    /** Bytes of {@code rdbSaveLen(len)}. */
    public static int length(long len) {
        if (len < 0 || len > 0xffffffffL) {
            return 9;
        }
        return len < 64 ? 1 : len < 16384 ? 2 : 5;
    }

    /** Bytes of {@code rdbSaveRawString(s[off, off + len))}. */
    public long string(byte[] s, int off, int len) {
        if (len <= 11 && RedisIntegers.isCanonical(s, off, len)) {
            long v = RedisIntegers.parseCanonical(s, off, len);
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                return v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE ? 2 : v >= Short.MIN_VALUE && v <= Short.MAX_VALUE ? 3 : 5;
            }
        }
        if (compression && len > 20) {
            int outLen = len - 4; // "at least four bytes compression for this to be worth it"
            if (scratch.length < outLen + 8) {
                scratch = new byte[Math.max(outLen + 8, scratch.length * 2)];
            }
            int compressed = Lzf.compress(s, off, len, scratch, outLen, htab);
            if (compressed > 0) {
                return 1 + length(compressed) + length(len) + compressed;
            }
        }
        return length(len) + (long) len;
    }

    public long string(byte[] s) {
        return string(s, 0, s.length);
    }
}
