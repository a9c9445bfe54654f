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
 * @param type       value type, {@value #TYPE_STRING} for now (room for hash/list/set/zset)
 * @param value      encoded value bytes (for a string: the raw bytes)
 * @param expireAtMs absolute deadline in epoch milliseconds, or {@value #NO_EXPIRY} (written as null)
 */
public record SnapshotRow(int db, byte[] key, String type, byte[] value, long expireAtMs) {
    /** Type name of a Redis string. */
    public static final String TYPE_STRING = "string";
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
    }

    /** A string key. */
    public static SnapshotRow string(int db, byte[] key, byte[] value, long expireAtMs) {
        return new SnapshotRow(db, key, TYPE_STRING, value, expireAtMs);
    }

    public boolean hasExpiry() {
        return expireAtMs != NO_EXPIRY;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnapshotRow r
                && db == r.db
                && expireAtMs == r.expireAtMs
                && type.equals(r.type)
                && Arrays.equals(key, r.key)
                && Arrays.equals(value, r.value);
    }

    @Override
    public int hashCode() {
        int h = 31 * db + Arrays.hashCode(key);
        h = 31 * h + type.hashCode();
        h = 31 * h + Arrays.hashCode(value);
        return 31 * h + Long.hashCode(expireAtMs);
    }

    @Override
    public String toString() {
        return "SnapshotRow[db=" + db + ", key=" + preview(key) + ", type=" + type + ", value=" + preview(value)
                + " (" + value.length + " bytes), expireAtMs=" + expireAtMs + "]";
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
