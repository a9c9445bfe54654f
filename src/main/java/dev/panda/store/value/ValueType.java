package dev.panda.store.value;

/**
 * The kinds of value a key can hold: the one vocabulary behind TYPE, SCAN … TYPE, OBJECT
 * ENCODING's families, the write-ahead log and the snapshot's {@code type} column.
 *
 * <p><b>The codes are an on-disk format</b> (the WAL and the entry header store them): they are
 * Redis's own object type numbers ({@code OBJ_STRING} 0 … {@code OBJ_STREAM} 6, with 5, Redis's
 * module type, unused), never to be renumbered or reused; a test pins each of them. The names are
 * what TYPE answers and what the snapshot's {@code type} column holds. Immutable; any thread.
 */
public enum ValueType {
    STRING(0, "string"),
    LIST(1, "list"),
    SET(2, "set"),
    ZSET(3, "zset"),
    HASH(4, "hash"),
    STREAM(6, "stream");

    private static final ValueType[] BY_CODE = new ValueType[8];

    static {
        for (ValueType t : values()) {
            if (BY_CODE[t.code] != null) {
                throw new ExceptionInInitializerError("duplicate value type code " + t.code);
            }
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final String typeName;

    ValueType(int code, String typeName) {
        this.code = code;
        this.typeName = typeName;
    }

    /** The stored number (0-7): Redis's object type. */
    public int code() {
        return code;
    }

    /** The name TYPE replies with and the snapshot's {@code type} column holds. */
    public String typeName() {
        return typeName;
    }

    /** The type stored as {@code code}, or null when no type has that number. */
    public static ValueType fromCode(int code) {
        return code < 0 || code >= BY_CODE.length ? null : BY_CODE[code];
    }

    /** The type named {@code name} in any letter case (SCAN … TYPE, snapshots), or null. */
    public static ValueType fromName(String name) {
        for (ValueType t : values()) {
            if (t.typeName.equalsIgnoreCase(name)) {
                return t;
            }
        }
        return null;
    }
}
