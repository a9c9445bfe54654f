package dev.panda.persistence.snapshot;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One key of a snapshot: one Parquet row. The arrays are not copied: whoever builds a row hands
 * over arrays that nobody mutates afterwards (the store thread builds rows, the snapshot-writer
 * thread encodes them; the reader gives every row fresh arrays). {@code equals}/{@code hashCode}
 * compare array contents. Immutable once built; any thread.
 *
 * @param db         database index, {@code >= 0}
 * @param key        key bytes (binary-safe)
 * @param type       value type: {@value #TYPE_STRING}, {@value #TYPE_HASH} or {@value #TYPE_SET}
 * @param value      a string's bytes; empty for a collection
 * @param expireAtMs absolute deadline in epoch milliseconds, or {@value #NO_EXPIRY} (written as null)
 * @param chunk      0, or n for the n-th continuation row of a collection that spans several
 * @param elements   a collection's elements in this row: a set's members, a hash's fields and
 *                   values alternately, a list's elements in order, a sorted set's members and
 *                   scores (8 bytes, IEEE 754 little-endian) alternately; null for a string
 * @param slices     null when each element is its whole array; else element i is
 *                   {@code elements[i]} from {@code slices[2i]}, {@code slices[2i + 1]} bytes long
 *                   (the snapshot writer hands over slices of the stored arrays, not copies)
 */
public record SnapshotRow(int db, byte[] key, String type, byte[] value, long expireAtMs, int chunk, byte[][] elements,
                          int[] slices) {
    /** Type name of a Redis string. */
    public static final String TYPE_STRING = "string";
    public static final String TYPE_HASH = "hash";
    public static final String TYPE_SET = "set";
    public static final String TYPE_LIST = "list";
    public static final String TYPE_ZSET = "zset";
    /** A stream row: {@code value} holds the stream in Redis's RDB encoding (type 19) with its footer. */
    public static final String TYPE_STREAM = "stream";
    private static final byte[] NO_VALUE = new byte[0];
    /** {@link #expireAtMs()} of a key without a deadline. */
    public static final long NO_EXPIRY = -1L;

    public SnapshotRow {
        if (db < 0) {
            throw new IllegalArgumentException("db must be >= 0: " + db);
        }
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if (expireAtMs < NO_EXPIRY) {
            throw new IllegalArgumentException("expireAtMs must be >= 0 or -1 (none): " + expireAtMs);
        }
        if (TYPE_STRING.equals(type)) {
            type = TYPE_STRING; // one shared instance
        }
        if (chunk < 0) {
            throw new IllegalArgumentException("chunk must be >= 0: " + chunk);
        }
        if (elements != null && (TYPE_HASH.equals(type) || TYPE_ZSET.equals(type)) && elements.length % 2 != 0) {
            throw new IllegalArgumentException("a " + type + " row needs its elements in pairs: " + elements.length);
        }
    }

    /** A string row (or any row without elements). */
    public SnapshotRow(int db, byte[] key, String type, byte[] value, long expireAtMs) {
        this(db, key, type, value, expireAtMs, 0, null, null);
    }

    /** A row whose elements are whole arrays. */
    public SnapshotRow(int db, byte[] key, String type, byte[] value, long expireAtMs, int chunk, byte[][] elements) {
        this(db, key, type, value, expireAtMs, chunk, elements, null);
    }

    public int elementOffset(int i) {
        return slices == null ? 0 : slices[2 * i];
    }

    public int elementLength(int i) {
        return slices == null ? elements[i].length : slices[2 * i + 1];
    }

    /** Element i as an array of its own (a copy when it is a slice). */
    public byte[] element(int i) {
        return slices == null ? elements[i] : Arrays.copyOfRange(elements[i], slices[2 * i], slices[2 * i] + slices[2 * i + 1]);
    }

    /** A string key. */
    public static SnapshotRow string(int db, byte[] key, byte[] value, long expireAtMs) {
        return new SnapshotRow(db, key, TYPE_STRING, value, expireAtMs);
    }

    /** One row of a hash: {@code fieldsAndValues} alternately. */
    public static SnapshotRow hash(int db, byte[] key, long expireAtMs, int chunk, byte[][] fieldsAndValues) {
        return new SnapshotRow(db, key, TYPE_HASH, NO_VALUE, expireAtMs, chunk, fieldsAndValues);
    }

    /** One row of a set. */
    public static SnapshotRow set(int db, byte[] key, long expireAtMs, int chunk, byte[][] members) {
        return new SnapshotRow(db, key, TYPE_SET, NO_VALUE, expireAtMs, chunk, members);
    }

    /** One row of a hash or set whose elements are slices of arrays (see {@code slices}). */
    public static SnapshotRow sliced(int db, byte[] key, String type, long expireAtMs, int chunk, byte[][] arrays,
                                     int[] slices) {
        return new SnapshotRow(db, key, type, NO_VALUE, expireAtMs, chunk, arrays, slices);
    }

    public boolean hasExpiry() {
        return expireAtMs != NO_EXPIRY;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnapshotRow r
                && db == r.db
                && expireAtMs == r.expireAtMs
                && chunk == r.chunk
                && type.equals(r.type)
                && Arrays.equals(key, r.key)
                && Arrays.equals(value, r.value)
                && sameElements(r);
    }

    @Override
    public int hashCode() {
        int h = 31 * db + Arrays.hashCode(key);
        h = 31 * h + type.hashCode();
        h = 31 * h + Arrays.hashCode(value);
        if (elements != null) {
            for (int i = 0; i < elements.length; i++) {
                h = 31 * h + Arrays.hashCode(element(i));
            }
        }
        h += chunk;
        return 31 * h + Long.hashCode(expireAtMs);
    }

    private boolean sameElements(SnapshotRow r) {
        if (elements == null || r.elements == null) {
            return elements == r.elements;
        }
        if (elements.length != r.elements.length) {
            return false;
        }
        for (int i = 0; i < elements.length; i++) {
            if (!Arrays.equals(elements[i], elementOffset(i), elementOffset(i) + elementLength(i),
                    r.elements[i], r.elementOffset(i), r.elementOffset(i) + r.elementLength(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "SnapshotRow[db=" + db + ", key=" + preview(key) + ", type=" + type + ", value=" + preview(value)
                + " (" + value.length + " bytes), expireAtMs=" + expireAtMs
                + (elements == null ? "" : ", chunk=" + chunk + ", " + elements.length + " elements") + "]";
    }

    private static String preview(byte[] b) {
        int n = Math.min(b.length, 32);
        StringBuilder sb = new StringBuilder(n + 8).append('"');
        String s = new String(b, 0, n, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append(c);
            } else {
                sb.append(String.format("\\x%02x", (int) c));
            }
        }
        if (b.length > n) {
            sb.append("...");
        }
        return sb.append('"').toString();
    }
}
