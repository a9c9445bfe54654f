package dev.panda.persistence.wal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Turns {@link WalRecord}s into framed bytes and back. Stateless; any thread (a
 * {@link WalBuffer} or {@link CRC32C} passed in belongs to the calling thread).
 *
 * <h2>On-disk record format (all integers <b>little-endian</b>)</h2>
 * <pre>
 * offset size
 *  0     u32  length: bytes after the crc field (8 seq + 1 opcode + payload), 9..MAX_RECORD_LENGTH
 *  4     u32  CRC32C (Castagnoli) of those {@code length} bytes (seq, opcode and payload)
 *  8     u64  seq (positive)
 *  16    u8   opcode ({@link WalOpcode})
 *  17    ...  payload, by opcode:
 *   SET       i32 db, u32 keyLen, key, u8 valueType, u32 valueLen, value, i64 expireAtMs (-1: none)
 *   DELETE    i32 db, u32 keyLen, key
 *   EXPIRE_AT i32 db, u32 keyLen, key, i64 atMs
 *   PERSIST   i32 db, u32 keyLen, key
 *   FLUSH_DB  i32 db
 *   SWAP_DB   i32 a, i32 b
 * </pre>
 * The payload must be consumed exactly; {@code db} values are non-negative. This layout is a
 * persistent format: change it only with a new opcode, never in place.
 */
public final class WalCodec {
    /** The length and CRC fields that precede what the length counts. */
    public static final int HEADER_BYTES = 8;
    /** Smallest possible value of the length field: seq and opcode with an empty payload. */
    public static final int MIN_RECORD_LENGTH = 9;
    /**
     * Largest accepted value of the length field (1 GiB). A reader never allocates more than
     * this for one record, so a corrupted length cannot exhaust memory; the writer refuses
     * larger records.
     */
    public static final int MAX_RECORD_LENGTH = 1 << 30;

    private WalCodec() {
    }

    /** Appends one framed record to {@code out}; returns the bytes appended. */
    public static int encode(WalRecord record, WalBuffer out) {
        if (record instanceof WalRecord.Set s) {
            return encodeSet(out, s.seq(), s.db(), s.key(), s.valueType(), s.value(), s.expireAtMs());
        } else if (record instanceof WalRecord.Delete d) {
            return encodeDelete(out, d.seq(), d.db(), d.key());
        } else if (record instanceof WalRecord.ExpireAt e) {
            return encodeExpireAt(out, e.seq(), e.db(), e.key(), e.atMs());
        } else if (record instanceof WalRecord.Persist p) {
            return encodePersist(out, p.seq(), p.db(), p.key());
        } else if (record instanceof WalRecord.FlushDb f) {
            return encodeFlushDb(out, f.seq(), f.db());
        } else if (record instanceof WalRecord.SwapDb w) {
            return encodeSwapDb(out, w.seq(), w.a(), w.b());
        }
        throw new IllegalArgumentException("unknown record " + record);
    }

    public static int encodeSet(WalBuffer out, long seq, int db, byte[] key, byte valueType, byte[] value,
                                long expireAtMs) {
        int start = begin(out, 4 + 4 + (long) key.length + 1 + 4 + value.length + 8, seq, WalOpcode.SET, db);
        out.putInt(db);
        out.putInt(key.length);
        out.putBytes(key);
        out.putByte(valueType);
        out.putInt(value.length);
        out.putBytes(value);
        out.putLong(expireAtMs);
        return finish(out, start);
    }

    public static int encodeDelete(WalBuffer out, long seq, int db, byte[] key) {
        return encodeDbKey(out, seq, WalOpcode.DELETE, db, key);
    }

    public static int encodeExpireAt(WalBuffer out, long seq, int db, byte[] key, long atMs) {
        int start = begin(out, 4 + 4 + (long) key.length + 8, seq, WalOpcode.EXPIRE_AT, db);
        out.putInt(db);
        out.putInt(key.length);
        out.putBytes(key);
        out.putLong(atMs);
        return finish(out, start);
    }

    public static int encodePersist(WalBuffer out, long seq, int db, byte[] key) {
        return encodeDbKey(out, seq, WalOpcode.PERSIST, db, key);
    }

    public static int encodeFlushDb(WalBuffer out, long seq, int db) {
        int start = begin(out, 4, seq, WalOpcode.FLUSH_DB, db);
        out.putInt(db);
        return finish(out, start);
    }

    public static int encodeSwapDb(WalBuffer out, long seq, int a, int b) {
        int start = begin(out, 8, seq, WalOpcode.SWAP_DB, Math.min(a, b));
        out.putInt(a);
        out.putInt(b);
        return finish(out, start);
    }

    private static int encodeDbKey(WalBuffer out, long seq, WalOpcode op, int db, byte[] key) {
        int start = begin(out, 4 + 4 + (long) key.length, seq, op, db);
        out.putInt(db);
        out.putInt(key.length);
        out.putBytes(key);
        return finish(out, start);
    }

    /** Validates, reserves room and writes the header placeholders, seq and opcode. */
    private static int begin(WalBuffer out, long payloadBytes, long seq, WalOpcode op, int db) {
        if (seq <= 0) {
            throw new IllegalArgumentException("seq must be positive: " + seq);
        }
        if (db < 0) {
            throw new IllegalArgumentException("db must be non-negative: " + db);
        }
        long length = 9 + payloadBytes;
        if (length > MAX_RECORD_LENGTH) {
            throw new IllegalArgumentException("WAL record of " + length + " bytes exceeds the limit of "
                    + MAX_RECORD_LENGTH);
        }
        out.ensureRoom(HEADER_BYTES + length);
        int start = out.size();
        out.putInt((int) length);
        out.putInt(0); // crc, filled in by finish
        out.putLong(seq);
        out.putByte(op.code());
        return start;
    }

    private static int finish(WalBuffer out, int start) {
        int length = out.size() - start - HEADER_BYTES;
        out.setInt(start + 4, out.crc32c(start + HEADER_BYTES, length));
        return out.size() - start;
    }

    /** As {@link #decode(ByteBuffer, CRC32C)} with a fresh checksum object. */
    public static WalRecord decode(ByteBuffer in) throws WalFormatException {
        return decode(in, new CRC32C());
    }

    /**
     * Decodes the record that starts at {@code in.position()} and advances the position past
     * it. Verifies the length bounds, the CRC and that the payload parses exactly. On failure
     * the position is unchanged. The buffer's byte order is ignored (the format is
     * little-endian).
     *
     * @param crc scratch checksum, reset here
     * @throws WalFormatException with {@link WalFormatException.Kind#TRUNCATED} when the
     *     remaining bytes end inside the record, or another kind when the record is invalid
     */
    public static WalRecord decode(ByteBuffer in, CRC32C crc) throws WalFormatException {
        int pos = in.position();
        int avail = in.remaining();
        if (avail < HEADER_BYTES) {
            throw new WalFormatException(WalFormatException.Kind.TRUNCATED,
                    "record header needs " + HEADER_BYTES + " bytes, only " + avail + " remain");
        }
        long length = lengthField(in, pos);
        if (length < MIN_RECORD_LENGTH || length > MAX_RECORD_LENGTH) {
            throw new WalFormatException(WalFormatException.Kind.BAD_LENGTH, "impossible record length " + length);
        }
        if (avail - HEADER_BYTES < length) {
            throw new WalFormatException(WalFormatException.Kind.TRUNCATED, "record of length " + length
                    + " needs " + (HEADER_BYTES + length) + " bytes, only " + avail + " remain");
        }
        int body = pos + HEADER_BYTES;
        int end = body + (int) length;
        int stored = getInt(in, pos + 4);
        int actual = checksum(in, body, (int) length, crc);
        if (stored != actual) {
            throw new WalFormatException(WalFormatException.Kind.BAD_CRC, String.format(
                    "CRC32C mismatch (stored %08x, computed %08x)", stored, actual));
        }
        long seq = getLong(in, body);
        int opcode = in.get(body + 8) & 0xFF;
        WalOpcode op = WalOpcode.fromCode(opcode);
        if (op == null) {
            throw badPayload("unknown opcode " + opcode + " (written by a newer version?)");
        }
        if (seq <= 0) {
            throw badPayload("non-positive seq " + seq);
        }
        Cursor c = new Cursor(in, body + 9, end);
        WalRecord record;
        switch (op) {
            case SET -> {
                int db = c.db();
                byte[] key = c.bytes("key");
                byte valueType = c.u8();
                byte[] value = c.bytes("value");
                record = new WalRecord.Set(seq, db, key, valueType, value, c.i64());
            }
            case DELETE -> record = new WalRecord.Delete(seq, c.db(), c.bytes("key"));
            case EXPIRE_AT -> {
                int db = c.db();
                byte[] key = c.bytes("key");
                record = new WalRecord.ExpireAt(seq, db, key, c.i64());
            }
            case PERSIST -> record = new WalRecord.Persist(seq, c.db(), c.bytes("key"));
            case FLUSH_DB -> record = new WalRecord.FlushDb(seq, c.db());
            case SWAP_DB -> {
                int a = c.db();
                record = new WalRecord.SwapDb(seq, a, c.db());
            }
            default -> throw badPayload("unhandled opcode " + op);
        }
        if (c.p != end) {
            throw badPayload((end - c.p) + " unexpected bytes after the " + op + " payload");
        }
        in.position(end);
        return record;
    }

    /** The length field of the record header at absolute index {@code pos}, unsigned. */
    static long lengthField(ByteBuffer in, int pos) {
        return getInt(in, pos) & 0xFFFF_FFFFL;
    }

    /** The seq field of the record whose header starts at absolute index {@code pos}. */
    static long seqField(ByteBuffer in, int pos) {
        return getLong(in, pos + HEADER_BYTES);
    }

    private static int checksum(ByteBuffer in, int from, int len, CRC32C crc) {
        crc.reset();
        if (in.hasArray()) {
            crc.update(in.array(), in.arrayOffset() + from, len);
        } else {
            ByteBuffer d = in.duplicate();
            d.limit(from + len).position(from);
            crc.update(d);
        }
        return (int) crc.getValue();
    }

    static int getInt(ByteBuffer in, int i) {
        return (in.get(i) & 0xFF) | (in.get(i + 1) & 0xFF) << 8 | (in.get(i + 2) & 0xFF) << 16
                | (in.get(i + 3) & 0xFF) << 24;
    }

    static long getLong(ByteBuffer in, int i) {
        return (getInt(in, i) & 0xFFFF_FFFFL) | ((long) getInt(in, i + 4)) << 32;
    }

    private static WalFormatException badPayload(String message) {
        return new WalFormatException(WalFormatException.Kind.BAD_PAYLOAD, message);
    }

    /** Bounds-checked reads of a payload. */
    private static final class Cursor {
        final ByteBuffer in;
        final int end;
        int p;

        Cursor(ByteBuffer in, int p, int end) {
            this.in = in;
            this.p = p;
            this.end = end;
        }

        private void need(int n, String what) throws WalFormatException {
            if (end - p < n) {
                throw badPayload("payload ends inside " + what);
            }
        }

        int db() throws WalFormatException {
            need(4, "db");
            int v = getInt(in, p);
            p += 4;
            if (v < 0) {
                throw badPayload("negative db " + v);
            }
            return v;
        }

        byte u8() throws WalFormatException {
            need(1, "value type");
            return in.get(p++);
        }

        long i64() throws WalFormatException {
            need(8, "deadline");
            long v = getLong(in, p);
            p += 8;
            return v;
        }

        byte[] bytes(String what) throws WalFormatException {
            if (end - p < 4) { // not need(): its message would be built for every field
                throw badPayload("payload ends inside " + what + " length");
            }
            long n = getInt(in, p) & 0xFFFF_FFFFL;
            p += 4;
            if (n > end - p) {
                throw badPayload(what + " length " + n + " exceeds the " + (end - p) + " payload bytes left");
            }
            byte[] out = new byte[(int) n];
            in.get(p, out);
            p += (int) n;
            return out;
        }
    }
}
