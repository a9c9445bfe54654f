package dev.panda.rdb;

/**
 * Redis's CRC-64 ({@code crc64.c}): the Jones polynomial, reflected, initial value 0, no final
 * xor; the checksum at the end of DUMP payloads and RDB files. Pure function; any thread.
 */
public final class Crc64 {
    /** 0xad93d23594c935a9 with its bits reversed, for the reflected table. */
    private static final long POLY = 0x95AC9329AC4BC9B5L;
    private static final long[] TABLE = new long[256];

    static {
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY : crc >>> 1;
            }
            TABLE[i] = crc;
        }
    }

    private Crc64() {
    }

    public static long of(byte[] data, int off, int len) {
        return update(0, data, off, len);
    }

    public static long update(long crc, byte[] data, int off, int len) {
        for (int i = off; i < off + len; i++) {
            crc = TABLE[(int) ((crc ^ data[i]) & 0xff)] ^ (crc >>> 8);
        }
        return crc;
    }
}
