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
 *  17    ...  payload, by opcode (bytes = u32 length + the bytes; items = u32 count + that many bytes):
 *   SET         i32 db, bytes key, u8 valueType, bytes value, i64 expireAtMs (-1: none)
 *   DELETE      i32 db, bytes key
 *   EXPIRE_AT   i32 db, bytes key, i64 atMs
 *   PERSIST     i32 db, bytes key
 *   FLUSH_DB    i32 db
 *   SWAP_DB     i32 a, i32 b
 *   RENAME      i32 db, bytes from, bytes to
 *   COPY        i32 db, bytes src, i32 dstDb, bytes dst
 *   MOVE        i32 db, bytes key, i32 dstDb
 *   HASH_SET    i32 db, bytes key, items (field, value, field, value, …)
 *   HASH_DELETE i32 db, bytes key, items (fields)
 *   SET_ADD     i32 db, bytes key, items (members)
 *   SET_REMOVE  i32 db, bytes key, items (members)
 *   GROUP       one or more of (u8 opcode, that opcode's payload) up to the end: the effects of one
 *               command, which a torn tail drops together
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
        return encode(record, record.seq(), out);
    }

    /** As {@link #encode(WalRecord, WalBuffer)}, numbered {@code seq} whatever the record's own seq. */
    public static int encode(WalRecord record, long seq, WalBuffer out) {
        int start = beginRecord(out, seq, record.opcode());
        try {
            putRecordPayload(record, out);
        } catch (RuntimeException e) {
            out.truncate(start); // an invalid record leaves nothing behind
            throw e;
        }
        return finishRecord(out, start);
    }

    private static void putRecordPayload(WalRecord record, WalBuffer out) {
        if (record instanceof WalRecord.Group g) {
            if (g.effects().isEmpty()) {
                throw new IllegalArgumentException("an empty group");
            }
            for (WalRecord effect : g.effects()) {
                out.ensureRoom(1);
                out.putByte(effect.opcode().code());
                putPayload(effect, out);
            }
        } else {
            putPayload(record, out);
        }
    }

    private static void putPayload(WalRecord record, WalBuffer out) {
        if (record instanceof WalRecord.Set s) {
            putSet(out, s.db(), s.key(), s.valueType(), s.value(), 0, s.value().length, s.expireAtMs());
        } else if (record instanceof WalRecord.Delete d) {
            putKey(out, d.db(), d.key());
        } else if (record instanceof WalRecord.ExpireAt e) {
            putExpireAt(out, e.db(), e.key(), e.atMs());
        } else if (record instanceof WalRecord.Persist p) {
            putKey(out, p.db(), p.key());
        } else if (record instanceof WalRecord.FlushDb f) {
            putFlushDb(out, f.db());
        } else if (record instanceof WalRecord.SwapDb w) {
            putSwapDb(out, w.a(), w.b());
        } else if (record instanceof WalRecord.Rename r) {
            putRename(out, r.db(), r.from(), r.to());
        } else if (record instanceof WalRecord.Copy c) {
            putCopy(out, c.db(), c.src(), c.dstDb(), c.dst());
        } else if (record instanceof WalRecord.Move m) {
            putMove(out, m.db(), m.key(), m.dstDb());
        } else if (record instanceof WalRecord.HashSet h) {
            putItems(out, h.db(), h.key(), h.items(), 0, h.items().length);
        } else if (record instanceof WalRecord.HashDelete h) {
            putItems(out, h.db(), h.key(), h.fields(), 0, h.fields().length);
        } else if (record instanceof WalRecord.SetAdd a) {
            putItems(out, a.db(), a.key(), a.members(), 0, a.members().length);
        } else if (record instanceof WalRecord.SetRemove r) {
            putItems(out, r.db(), r.key(), r.members(), 0, r.members().length);
        } else if (record instanceof WalRecord.Items r) {
            putItems(out, r.db(), r.key(), r.items(), 0, r.items().length);
        } else {
            throw new IllegalArgumentException("unknown record " + record);
        }
    }

    // ---- framing: one record around one effect's payload, or a group of them ----

    /** Writes the header of a record (length and CRC left for {@link #finishRecord}); returns where it starts. */
    public static int beginRecord(WalBuffer out, long seq, WalOpcode op) {
        if (seq <= 0) {
            throw new IllegalArgumentException("seq must be positive: " + seq);
        }
        out.ensureRoom(HEADER_BYTES + 9);
        int start = out.size();
        out.putInt(0); // length, filled in by finishRecord
        out.putInt(0); // crc, filled in by finishRecord
        out.putLong(seq);
        out.putByte(op.code());
        return start;
    }

    /**
     * Turns the one-effect record that starts at {@code start} (still open) into a group, so
     * more effects can follow it; each of those is written as its opcode then its payload.
     */
    public static void beginGroup(WalBuffer out, int start) {
        out.insertByte(start + HEADER_BYTES + 8, WalOpcode.GROUP.code());
    }

    /** The bytes the record that starts at {@code start} would have if finished now. */
    public static long openLength(WalBuffer out, int start) {
        return out.size() - start - HEADER_BYTES;
    }

    /** Writes the opcode of a group's next effect (its payload follows). */
    public static void putOpcode(WalBuffer out, WalOpcode op) {
        out.ensureRoom(1);
        out.putByte(op.code());
    }

    /** Fills in the length and CRC of the record that starts at {@code start}; returns its bytes. */
    public static int finishRecord(WalBuffer out, int start) {
        long length = openLength(out, start);
        if (length > MAX_RECORD_LENGTH) {
            throw new IllegalArgumentException("WAL record of " + length + " bytes exceeds the limit of "
                    + MAX_RECORD_LENGTH);
        }
        out.setInt(start, (int) length);
        out.setInt(start + 4, out.crc32c(start + HEADER_BYTES, (int) length));
        return out.size() - start;
    }

    // ---- payloads ----

    public static void putSet(WalBuffer out, int db, byte[] key, byte valueType, byte[] value, int off, int len,
                              long expireAtMs) {
        reserve(out, db, 4 + 4 + (long) key.length + 1 + 4 + len + 8);
        out.putInt(db);
        putBytes(out, key, 0, key.length);
        out.putByte(valueType);
        putBytes(out, value, off, len);
        out.putLong(expireAtMs);
    }

    /** DELETE and PERSIST: the database and the key. */
    public static void putKey(WalBuffer out, int db, byte[] key) {
        reserve(out, db, 8 + (long) key.length);
        out.putInt(db);
        putBytes(out, key, 0, key.length);
    }

    public static void putExpireAt(WalBuffer out, int db, byte[] key, long atMs) {
        reserve(out, db, 16 + (long) key.length);
        out.putInt(db);
        putBytes(out, key, 0, key.length);
        out.putLong(atMs);
    }

    public static void putFlushDb(WalBuffer out, int db) {
        reserve(out, db, 4);
        out.putInt(db);
    }

    public static void putSwapDb(WalBuffer out, int a, int b) {
        reserve(out, Math.min(a, b), 8);
        out.putInt(a);
        out.putInt(b);
    }

    public static void putRename(WalBuffer out, int db, byte[] from, byte[] to) {
        reserve(out, db, 12 + (long) from.length + to.length);
        out.putInt(db);
        putBytes(out, from, 0, from.length);
        putBytes(out, to, 0, to.length);
    }

    public static void putCopy(WalBuffer out, int db, byte[] src, int dstDb, byte[] dst) {
        reserve(out, Math.min(db, dstDb), 16 + (long) src.length + dst.length);
        out.putInt(db);
        putBytes(out, src, 0, src.length);
        out.putInt(dstDb);
        putBytes(out, dst, 0, dst.length);
    }

    public static void putMove(WalBuffer out, int db, byte[] key, int dstDb) {
        reserve(out, Math.min(db, dstDb), 12 + (long) key.length);
        out.putInt(db);
        putBytes(out, key, 0, key.length);
        out.putInt(dstDb);
    }

    /** HASH_SET, HASH_DELETE, SET_ADD and SET_REMOVE: the key and {@code items[from, to)}. */
    public static void putItems(WalBuffer out, int db, byte[] key, byte[][] items, int from, int to) {
        long bytes = 12 + (long) key.length;
        for (int i = from; i < to; i++) {
            bytes += 4 + items[i].length;
        }
        reserve(out, db, bytes);
        out.putInt(db);
        putBytes(out, key, 0, key.length);
        out.putInt(to - from);
        for (int i = from; i < to; i++) {
            putBytes(out, items[i], 0, items[i].length);
        }
    }

    private static void reserve(WalBuffer out, int db, long bytes) {
        if (db < 0) {
            throw new IllegalArgumentException("db must be non-negative: " + db);
        }
        if (bytes > MAX_RECORD_LENGTH) {
            throw new IllegalArgumentException("WAL record of " + bytes + " bytes exceeds the limit of "
                    + MAX_RECORD_LENGTH);
        }
        out.ensureRoom(bytes);
    }

    private static void putBytes(WalBuffer out, byte[] b, int off, int len) {
        out.putInt(len);
        out.putBytes(b, off, len);
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
        if (op == WalOpcode.GROUP) {
            java.util.List<WalRecord> effects = new java.util.ArrayList<>();
            do {
                int inner = c.u8() & 0xFF;
                WalOpcode innerOp = WalOpcode.fromCode(inner);
                if (innerOp == null || innerOp == WalOpcode.GROUP) {
                    throw badPayload("opcode " + inner + " inside a group");
                }
                effects.add(decodeEffect(innerOp, seq, c));
            } while (c.p != end);
            record = new WalRecord.Group(seq, effects);
        } else {
            record = decodeEffect(op, seq, c);
        }
        if (c.p != end) {
            throw badPayload((end - c.p) + " unexpected bytes after the " + op + " payload");
        }
        in.position(end);
        return record;
    }

    private static WalRecord decodeEffect(WalOpcode op, long seq, Cursor c) throws WalFormatException {
        switch (op) {
            case SET -> {
                int db = c.db();
                byte[] key = c.bytes("key");
                byte valueType = c.u8();
                byte[] value = c.bytes("value");
                return new WalRecord.Set(seq, db, key, valueType, value, c.i64());
            }
            case DELETE -> {
                return new WalRecord.Delete(seq, c.db(), c.bytes("key"));
            }
            case EXPIRE_AT -> {
                int db = c.db();
                byte[] key = c.bytes("key");
                return new WalRecord.ExpireAt(seq, db, key, c.i64());
            }
            case PERSIST -> {
                return new WalRecord.Persist(seq, c.db(), c.bytes("key"));
            }
            case FLUSH_DB -> {
                return new WalRecord.FlushDb(seq, c.db());
            }
            case SWAP_DB -> {
                int a = c.db();
                return new WalRecord.SwapDb(seq, a, c.db());
            }
            case RENAME -> {
                int db = c.db();
                byte[] from = c.bytes("key");
                return new WalRecord.Rename(seq, db, from, c.bytes("new key"));
            }
            case COPY -> {
                int db = c.db();
                byte[] src = c.bytes("key");
                int dstDb = c.db();
                return new WalRecord.Copy(seq, db, src, dstDb, c.bytes("destination key"));
            }
            case MOVE -> {
                int db = c.db();
                byte[] key = c.bytes("key");
                return new WalRecord.Move(seq, db, key, c.db());
            }
            case HASH_SET -> {
                int db = c.db();
                byte[] key = c.bytes("key");
                byte[][] items = c.items();
                if (items.length % 2 != 0) {
                    throw badPayload("a hash field without a value");
                }
                return new WalRecord.HashSet(seq, db, key, items);
            }
            case HASH_DELETE -> {
                int db = c.db();
                byte[] key = c.bytes("key");
                return new WalRecord.HashDelete(seq, db, key, c.items());
            }
            case SET_ADD -> {
                int db = c.db();
                byte[] key = c.bytes("key");
                return new WalRecord.SetAdd(seq, db, key, c.items());
            }
            case SET_REMOVE -> {
                int db = c.db();
                byte[] key = c.bytes("key");
                return new WalRecord.SetRemove(seq, db, key, c.items());
            }
            case LIST_PUSH_HEAD, LIST_PUSH_TAIL, ZSET_REMOVE, FUNCTION_DELETE, FUNCTION_FLUSH, STREAM_ADD, STREAM_TRIM,
                    STREAM_DELETE, STREAM_SET_ID, STREAM_GROUP, STREAM_GROUP_DESTROY, STREAM_CONSUMER, STREAM_CONSUMER_DELETE,
                    STREAM_PENDING, STREAM_ACK -> {
                int db = c.db();
                byte[] key = c.bytes("key");
                return new WalRecord.Items(seq, op, db, key, c.items());
            }
            case STRING_WRITE -> {
                int db = c.db();
                byte[] key = c.bytes("key");
                byte[][] items = c.items();
                if (items.length != 2 || !isDecimal(items[0])) {
                    throw badPayload(op + " needs an offset and the bytes");
                }
                return new WalRecord.Items(seq, op, db, key, items);
            }
            case LIST_POP_HEAD, LIST_POP_TAIL, LIST_SET, LIST_INSERT, LIST_REMOVE -> {
                int db = c.db();
                byte[] key = c.bytes("key");
                byte[][] items = c.items();
                int expected = op == WalOpcode.LIST_POP_HEAD || op == WalOpcode.LIST_POP_TAIL ? 1 : 2;
                if (items.length != expected || !isDecimal(items[0])) {
                    throw badPayload(op + " needs a number and " + (expected - 1) + " value(s)");
                }
                return new WalRecord.Items(seq, op, db, key, items);
            }
            case FUNCTION_LOAD -> {
                int db = c.db();
                byte[] key = c.bytes("key");
                byte[][] items = c.items();
                if (items.length != 1) {
                    throw badPayload(op + " needs the library's source");
                }
                return new WalRecord.Items(seq, op, db, key, items);
            }
            case ZSET_ADD -> {
                int db = c.db();
                byte[] key = c.bytes("key");
                byte[][] items = c.items();
                if (items.length % 2 != 0) {
                    throw badPayload("a sorted-set member without a score");
                }
                for (int i = 1; i < items.length; i += 2) {
                    if (items[i].length != 8) {
                        throw badPayload("a score of " + items[i].length + " bytes");
                    }
                }
                return new WalRecord.Items(seq, op, db, key, items);
            }
            default -> throw badPayload("unhandled opcode " + op);
        }
    }

    private static boolean isDecimal(byte[] b) {
        if (b.length == 0 || b.length > 19) {
            return false;
        }
        for (int i = 0; i < b.length; i++) {
            if ((b[i] < '0' || b[i] > '9') && !(i == 0 && b[i] == '-' && b.length > 1)) {
                return false;
            }
        }
        return true;
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
            need(1, "a byte");
            return in.get(p++);
        }

        long i64() throws WalFormatException {
            need(8, "deadline");
            long v = getLong(in, p);
            p += 8;
            return v;
        }

        /** A count and that many byte strings; the count is checked against the bytes left. */
        byte[][] items() throws WalFormatException {
            if (end - p < 4) {
                throw badPayload("payload ends inside the item count");
            }
            long n = getInt(in, p) & 0xFFFF_FFFFL;
            p += 4;
            if (n > (end - p) / 4) {
                throw badPayload("item count " + n + " exceeds what the " + (end - p) + " payload bytes left can hold");
            }
            byte[][] items = new byte[(int) n][];
            for (int i = 0; i < n; i++) {
                items[i] = bytes("item");
            }
            return items;
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
