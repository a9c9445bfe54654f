package dev.panda.store.value;

/**
 * How a value is represented, named as OBJECT ENCODING names it in Redis 7.0. Each encoding
 * belongs to one {@link ValueType} (the string encodings to strings, and so on); Panda follows
 * Redis's rules for which one a value has. Immutable; any thread.
 */
public enum Encoding {
    /** A string that is a canonical 64-bit integer. */
    INT(ValueType.STRING, "int"),
    /** A string of at most 44 bytes. */
    EMBSTR(ValueType.STRING, "embstr"),
    /** A longer string. */
    RAW(ValueType.STRING, "raw"),
    /** A small hash (or, later, sorted set) packed in Redis's listpack format. */
    LISTPACK_HASH(ValueType.HASH, "listpack"),
    /** A hash past the listpack thresholds. */
    HASHTABLE_HASH(ValueType.HASH, "hashtable"),
    /** A small set of integers, packed in Redis's intset format. */
    INTSET(ValueType.SET, "intset"),
    /** A set with a non-integer member or past the intset threshold. */
    HASHTABLE_SET(ValueType.SET, "hashtable"),
    /** Every list, as Redis 7.0 reports them (one node or several). */
    QUICKLIST(ValueType.LIST, "quicklist"),
    /** A small sorted set packed in Redis's listpack format. */
    LISTPACK_ZSET(ValueType.ZSET, "listpack"),
    /** A sorted set past the listpack thresholds. */
    SKIPLIST(ValueType.ZSET, "skiplist"),
    /** Every stream: listpack nodes in a radix tree, in Redis. */
    STREAM(ValueType.STREAM, "stream");

    private final ValueType type;
    private final String encodingName;

    Encoding(ValueType type, String encodingName) {
        this.type = type;
        this.encodingName = encodingName;
    }

    public ValueType type() {
        return type;
    }

    /** What OBJECT ENCODING answers. */
    public String encodingName() {
        return encodingName;
    }
}
