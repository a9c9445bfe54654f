package dev.panda.persistence.wal;

/**
 * The kind of a WAL record, as stored in the record's opcode byte.
 *
 * <p><b>These numbers are an on-disk format and must never be renumbered or reused.</b> A log
 * written by one version is read by every later one: add new opcodes with new numbers at the
 * end, never change or recycle an existing number (a test pins each of them). Immutable; any
 * thread.
 */
public enum WalOpcode {
    /** {@link WalRecord.Set}. */
    SET(1),
    /** {@link WalRecord.Delete}. */
    DELETE(2),
    /** {@link WalRecord.ExpireAt}. */
    EXPIRE_AT(3),
    /** {@link WalRecord.Persist}. */
    PERSIST(4),
    /** {@link WalRecord.FlushDb}. */
    FLUSH_DB(5),
    /** {@link WalRecord.SwapDb}. */
    SWAP_DB(6),
    /** {@link WalRecord.Group}: the effects of one command, atomically. */
    GROUP(7),
    /** {@link WalRecord.Rename}. */
    RENAME(8),
    /** {@link WalRecord.Copy}. */
    COPY(9),
    /** {@link WalRecord.Move}. */
    MOVE(10),
    /** {@link WalRecord.HashSet}. */
    HASH_SET(11),
    /** {@link WalRecord.HashDelete}. */
    HASH_DELETE(12),
    /** {@link WalRecord.SetAdd}. */
    SET_ADD(13),
    /** {@link WalRecord.SetRemove}. */
    SET_REMOVE(14),
    /** {@link WalRecord.Items}: elements pushed at a list's head, one by one. */
    LIST_PUSH_HEAD(15),
    /** {@link WalRecord.Items}: elements pushed at a list's tail. */
    LIST_PUSH_TAIL(16),
    /** {@link WalRecord.Items}: the count (decimal) of elements popped from a list's head. */
    LIST_POP_HEAD(17),
    /** {@link WalRecord.Items}: the count of elements popped from a list's tail. */
    LIST_POP_TAIL(18),
    /** {@link WalRecord.Items}: index (decimal), value: LSET. */
    LIST_SET(19),
    /** {@link WalRecord.Items}: index (decimal), value: the value is now at that index (LINSERT). */
    LIST_INSERT(20),
    /** {@link WalRecord.Items}: count (decimal), value: LREM's removal. */
    LIST_REMOVE(21),
    /** {@link WalRecord.Items}: member, score (8 bytes, IEEE 754 little-endian), …: the members' scores now. */
    ZSET_ADD(22),
    /** {@link WalRecord.Items}: members removed from a sorted set. */
    ZSET_REMOVE(23),
    /** {@link WalRecord.Items}: key the library name, items its source: FUNCTION LOAD. */
    FUNCTION_LOAD(24),
    /** {@link WalRecord.Items}: key the library name: FUNCTION DELETE. */
    FUNCTION_DELETE(25),
    /** {@link WalRecord.Items}: no key, no items: FUNCTION FLUSH. */
    FUNCTION_FLUSH(26),
    /** {@link WalRecord.Items}: a stream change ({@code StreamChange#ADD}): id (16 bytes), field, value, …. */
    STREAM_ADD(27),
    /** {@link WalRecord.Items}: {@code StreamChange#TRIM}. */
    STREAM_TRIM(28),
    /** {@link WalRecord.Items}: {@code StreamChange#DELETE}. */
    STREAM_DELETE(29),
    /** {@link WalRecord.Items}: {@code StreamChange#SET_ID}. */
    STREAM_SET_ID(30),
    /** {@link WalRecord.Items}: {@code StreamChange#GROUP}. */
    STREAM_GROUP(31),
    /** {@link WalRecord.Items}: {@code StreamChange#GROUP_DESTROY}. */
    STREAM_GROUP_DESTROY(32),
    /** {@link WalRecord.Items}: {@code StreamChange#CONSUMER}. */
    STREAM_CONSUMER(33),
    /** {@link WalRecord.Items}: {@code StreamChange#CONSUMER_DELETE}. */
    STREAM_CONSUMER_DELETE(34),
    /** {@link WalRecord.Items}: {@code StreamChange#PENDING}. */
    STREAM_PENDING(35),
    /** {@link WalRecord.Items}: {@code StreamChange#ACK}. */
    STREAM_ACK(36),
    /** {@link WalRecord.Items}: offset (decimal), bytes: bytes written into a string there (SETBIT, SETRANGE, APPEND). */
    STRING_WRITE(37);

    private static final WalOpcode[] BY_CODE = new WalOpcode[256];

    static {
        for (WalOpcode op : values()) {
            if (BY_CODE[op.code & 0xFF] != null) {
                throw new ExceptionInInitializerError("duplicate WAL opcode " + op.code);
            }
            BY_CODE[op.code & 0xFF] = op;
        }
    }

    private final byte code;

    WalOpcode(int code) {
        this.code = (byte) code;
    }

    /** The number written to disk. */
    public byte code() {
        return code;
    }

    /** The opcode stored as {@code code} (0–255), or null when no opcode has that number. */
    public static WalOpcode fromCode(int code) {
        return code < 0 || code > 255 ? null : BY_CODE[code];
    }
}
