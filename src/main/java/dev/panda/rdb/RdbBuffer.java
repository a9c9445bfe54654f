package dev.panda.rdb;

import java.io.ByteArrayOutputStream;

/**
 * Reads and writes the pieces of Redis's RDB serialization ({@code rdb.c}) that DUMP payloads are
 * made of: types, lengths ({@code rdbSaveLen}: 6, 14, 32 or 64 bits) and strings (plain, as
 * integers, or LZF-compressed), and the payload footer: the RDB version and a CRC-64. Not
 * thread-safe; one instance per payload.
 */
public final class RdbBuffer {
    /** RDB_VERSION of Redis 7.0. */
    public static final int RDB_VERSION = 10;

    /** Thrown for a payload that does not parse. */
    public static final class Malformed extends Exception {
        public Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private final ByteArrayOutputStream out;
    private final byte[] in;
    private int pos;
    private final int end;
    /** A counting writer's measure of strings, or null: it adds up what it would write in {@link #counted}. */
    private final RdbSize sizes;
    private long counted;

    private RdbBuffer(ByteArrayOutputStream out, byte[] in, int end, RdbSize sizes) {
        this.out = out;
        this.in = in;
        this.end = end;
        this.sizes = sizes;
    }

    public static RdbBuffer writer() {
        return new RdbBuffer(new ByteArrayOutputStream(), null, 0, null);
    }

    /**
     * A writer that writes nothing and counts the bytes Redis would write for the same calls
     * (strings as {@link RdbSize#string} measures them: integer-encoded or compressed where
     * Redis would), read back with {@link #counted()} (DEBUG OBJECT's serializedlength).
     */
    public static RdbBuffer counter(RdbSize sizes) {
        return new RdbBuffer(null, null, 0, sizes);
    }

    /** The bytes a {@link #counter} would have written so far. */
    public long counted() {
        return counted;
    }

    /** Reads {@code payload} up to its 10-byte footer (check it first with {@link #verifyFooter}). */
    public static RdbBuffer reader(byte[] payload) {
        return new RdbBuffer(null, payload, payload.length - 10, null);
    }

    /** Whether the payload ends with an RDB version Redis 7.0 reads and a matching CRC-64 ({@code verifyDumpPayload}). */
    public static boolean verifyFooter(byte[] p) {
        if (p.length < 10) {
            return false;
        }
        int version = (p[p.length - 10] & 0xff) | (p[p.length - 9] & 0xff) << 8;
        if (version > RDB_VERSION) {
            return false;
        }
        long crc = 0;
        for (int i = 7; i >= 0; i--) {
            crc = crc << 8 | (p[p.length - 8 + i] & 0xff);
        }
        return crc == Crc64.of(p, 0, p.length - 8);
    }

    public void type(int type) {
        if (sizes != null) {
            counted++;
            return;
        }
        out.write(type);
    }

    /** A length; negative numbers are written as the unsigned 64-bit values they stand for (rdbSaveLen of a uint64). */
    public void length(long len) {
        if (sizes != null) {
            counted += RdbSize.length(len);
            return;
        }
        if (len < 0) {
            out.write(0x81);
            for (int s = 56; s >= 0; s -= 8) {
                out.write((int) (len >>> s) & 0xff);
            }
        } else if (len < 64) {
            out.write((int) len);
        } else if (len < 16384) {
            out.write(0x40 | (int) (len >>> 8));
            out.write((int) len & 0xff);
        } else if (len <= 0xffffffffL) {
            out.write(0x80);
            for (int s = 24; s >= 0; s -= 8) {
                out.write((int) (len >>> s) & 0xff);
            }
        } else {
            out.write(0x81);
            for (int s = 56; s >= 0; s -= 8) {
                out.write((int) (len >>> s) & 0xff);
            }
        }
    }

    /** A string, stored plainly (valid for every RDB reader; Redis may also compress or pack it as an integer). */
    public void string(byte[] s) {
        if (sizes != null) {
            counted += sizes.string(s);
            return;
        }
        length(s.length);
        out.write(s, 0, s.length);
    }

    /** Bytes as they are, with no length (rdbWriteRaw: a stream id in a PEL). */
    public void raw(byte[] b) {
        if (sizes != null) {
            counted += b.length;
            return;
        }
        out.write(b, 0, b.length);
    }

    /** A time in ms as 8 little-endian bytes (rdbSaveMillisecondTime). */
    public void millis(long ms) {
        if (sizes != null) {
            counted += 8;
            return;
        }
        for (int i = 0; i < 8; i++) {
            out.write((int) (ms >>> (8 * i)) & 0xff);
        }
    }

    public long readMillis() throws Malformed {
        return readLittleEndian(8);
    }

    /** {@code n} bytes as they are. */
    public byte[] readRaw(int n) throws Malformed {
        need(n);
        byte[] b = java.util.Arrays.copyOfRange(in, pos, pos + n);
        pos += n;
        return b;
    }

    /** A double as 8 little-endian IEEE 754 bytes (rdbSaveBinaryDoubleValue). */
    public void binaryDouble(double d) {
        if (sizes != null) {
            counted += 8;
            return;
        }
        long bits = Double.doubleToRawLongBits(d);
        for (int i = 0; i < 8; i++) {
            out.write((int) (bits >>> (8 * i)) & 0xff);
        }
    }

    public double readBinaryDouble() throws Malformed {
        return Double.longBitsToDouble(readLittleEndian(8));
    }

    /** rdbLoadDoubleValue: a length byte (253 NaN, 254 +inf, 255 -inf) then that many ASCII characters. */
    public double readStringDouble() throws Malformed {
        need(1);
        int len = in[pos++] & 0xff;
        switch (len) {
            case 253:
                return Double.NaN;
            case 254:
                return Double.POSITIVE_INFINITY;
            case 255:
                return Double.NEGATIVE_INFINITY;
            default:
                need(len);
                String s = new String(in, pos, len, java.nio.charset.StandardCharsets.US_ASCII);
                pos += len;
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new Malformed("bad double");
                }
        }
    }

    /** The payload so far, with the RDB version and CRC-64 footer. */
    public byte[] finish() {
        out.write(RDB_VERSION & 0xff);
        out.write(RDB_VERSION >>> 8 & 0xff);
        byte[] body = out.toByteArray();
        long crc = Crc64.of(body, 0, body.length);
        for (int i = 0; i < 8; i++) {
            out.write((int) (crc >>> (8 * i)) & 0xff);
        }
        return out.toByteArray();
    }

    public boolean hasMore() {
        return pos < end;
    }

    public int readType() throws Malformed {
        need(1);
        return in[pos++] & 0xff;
    }

    /** A length, or -1 - enctype for the special string encodings (11xxxxxx). */
    private long readLengthOrEncoding() throws Malformed {
        need(1);
        int first = in[pos++] & 0xff;
        switch (first >>> 6) {
            case 0:
                return first & 0x3f;
            case 1:
                need(1);
                return (first & 0x3f) << 8 | (in[pos++] & 0xff);
            case 2:
                if (first == 0x80) {
                    return readBigEndian(4);
                }
                if (first == 0x81) {
                    return readBigEndian(8);
                }
                throw new Malformed("unknown length encoding " + first);
            default:
                return -1 - (first & 0x3f);
        }
    }

    private long readBigEndian(int n) throws Malformed {
        need(n);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = v << 8 | (in[pos++] & 0xff);
        }
        return v;
    }

    private long readLittleEndian(int n) throws Malformed {
        need(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (in[pos + i] & 0xff);
        }
        pos += n;
        return v;
    }

    /** A length that may be a full unsigned 64-bit number (ids, counters): returned as its bits. */
    public long readUnsignedLength() throws Malformed {
        need(1);
        if ((in[pos] & 0xff) == 0x81) {
            pos++;
            return readBigEndian(8);
        }
        return readLength();
    }

    public long readLength() throws Malformed {
        long len = readLengthOrEncoding();
        if (len < 0) {
            throw new Malformed("a string encoding where a length belongs");
        }
        return len;
    }

    public byte[] readString() throws Malformed {
        long len = readLengthOrEncoding();
        if (len >= 0) {
            if (len > end - pos) {
                throw new Malformed("string longer than the payload");
            }
            byte[] s = java.util.Arrays.copyOfRange(in, pos, pos + (int) len);
            pos += (int) len;
            return s;
        }
        int enc = (int) (-1 - len);
        switch (enc) {
            case 0:
                return Long.toString((byte) readLittleEndian(1)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            case 1:
                return Long.toString((short) readLittleEndian(2)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            case 2:
                return Long.toString((int) readLittleEndian(4)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            case 3: {
                long clen = readLength();
                long ulen = readLength();
                if (clen > end - pos || ulen > Integer.MAX_VALUE - 8) {
                    throw new Malformed("bad LZF lengths");
                }
                try {
                    byte[] s = Lzf.decompress(in, pos, (int) clen, (int) ulen);
                    pos += (int) clen;
                    return s;
                } catch (IllegalArgumentException e) {
                    throw new Malformed(e.getMessage());
                }
            }
            default:
                throw new Malformed("unknown string encoding " + enc);
        }
    }

    private void need(int n) throws Malformed {
        if (pos + n > end) {
            throw new Malformed("payload truncated");
        }
    }
}
