package dev.panda.persistence.snapshot;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * The on-disk format of a snapshot: Parquet schema, footer metadata keys and file names.
 * Constants only; any thread.
 *
 * <pre>
 * message panda_snapshot {
 *   required int32 db;
 *   required binary key;
 *   required binary type (STRING);       -- string, hash, set
 *   required binary value;               -- a string's bytes; empty for a collection
 *   optional int64 expire_at_ms;
 *   required int32 chunk;                -- 0, or n for the n-th continuation row of a large collection
 *   optional group hash (MAP) { repeated group key_value { required binary key; required binary value; } }
 *   optional group set (LIST) { repeated group list { required binary element; } }
 *   optional group list (LIST) { repeated group list { required binary element; } }
 *   optional group zset (LIST) { repeated group list { required group element {
 *       required binary member; required double score; } } }
 *   optional group stream (LIST) { repeated group list { required group element {
 *       required binary id (STRING); required group fields (MAP) { repeated group key_value {
 *           required binary key; required binary value; } } } } }
 * }
 * </pre>
 *
 * Version 1 files hold the first five columns only (strings), version 2 files no {@code list}
 * and {@code zset} columns, version 3 files no {@code stream} column; all still load. A stream's
 * row holds the whole stream in {@code value} (Redis's RDB encoding: entries, tombstones, groups,
 * pending lists), which is what a load reads; its entries are also in the {@code stream} column,
 * across as many rows as other large collections, for analytics readers. The flat columns
 * come first and keep their places, so the fast decoders of strings ({@link FlatColumn},
 * {@link PlainBinaryColumn}) read both versions alike; {@code value} stays required (empty for a
 * collection) for the same reason. A collection of more than {@link #MAX_CHUNK_ELEMENTS} elements
 * or {@link #MAX_CHUNK_BYTES} bytes spans several rows, so neither writer nor reader ever holds a
 * whole million-field hash as one row. A list's elements are in order, head first, across its
 * rows; a sorted set's members come with their scores, in no particular order. Streams will add
 * the column after these.
 *
 * {@code expire_at_ms} is a plain INT64 of epoch milliseconds, not a TIMESTAMP: Redis accepts
 * deadlines far beyond what timestamp types hold (DuckDB converts TIMESTAMP(MILLIS) to
 * microseconds, pandas to nanoseconds: both overflow), and a plain number can never make a reader
 * fail. Readers convert when they want a time: {@code epoch_ms(expire_at_ms)} in DuckDB,
 * {@code pd.to_datetime(df.expire_at_ms, unit="ms", utc=True)} in pandas.
 */
final class SnapshotFormat {
    static final int FORMAT_VERSION = 4;
    /** The version without the stream column. */
    static final int FORMAT_VERSION_LISTS = 3;
    /** The version without list and sorted-set columns. */
    static final int FORMAT_VERSION_HASHES = 2;
    /** The version that holds strings only, in the first five columns. */
    static final int FORMAT_VERSION_STRINGS = 1;

    /**
     * Most elements in one row (a hash's field and value count as two). Parquet's writer looks
     * at its buffers' size only every 100 rows or more, so rows are kept small: 100 of them stay
     * within a few megabytes.
     */
    public static final int MAX_CHUNK_ELEMENTS = 4096;
    /** A row is closed once its element bytes pass this (one element may be larger). */
    public static final int MAX_CHUNK_BYTES = 64 * 1024;

    static final String META_FORMAT_VERSION = "panda.format.version";
    static final String META_WAL_SEQ = "panda.wal.seq";
    static final String META_KEY_COUNT = "panda.key.count";
    static final String META_CREATED_MS = "panda.created.ms";
    /** Rows, from version 2 on (a key may span several). */
    static final String META_ROW_COUNT = "panda.row.count";

    /**
     * FUNCTION LOAD's libraries, when there are any: base64 of, per library, a 4-byte big-endian
     * length and the name (UTF-8), then a 4-byte length and the source. They are server state,
     * not keys, so they ride in the footer and leave the table as analytics readers see it.
     */
    static final String META_FUNCTIONS = "panda.functions";

    /** The footer value of {@link #META_FUNCTIONS} for these name/source pairs. */
    static String encodeFunctions(java.util.List<byte[][]> libraries) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        try {
            for (byte[][] lib : libraries) {
                out.writeInt(lib[0].length);
                out.write(lib[0]);
                out.writeInt(lib[1].length);
                out.write(lib[1]);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return java.util.Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** The name/source pairs of a {@link #META_FUNCTIONS} value; throws on a malformed one. */
    static java.util.List<byte[][]> decodeFunctions(String value) throws SnapshotFormatException {
        java.util.List<byte[][]> out = new java.util.ArrayList<>();
        try {
            java.io.DataInputStream in = new java.io.DataInputStream(
                    new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(value)));
            while (in.available() > 0) {
                byte[] name = new byte[in.readInt()];
                in.readFully(name);
                byte[] code = new byte[in.readInt()];
                in.readFully(code);
                out.add(new byte[][] {name, code});
            }
        } catch (java.io.IOException | IllegalArgumentException | NegativeArraySizeException | OutOfMemoryError e) {
            throw new SnapshotFormatException("malformed " + META_FUNCTIONS + " footer metadata: " + e, e);
        }
        return out;
    }

    static final String COL_DB = "db";
    static final String COL_KEY = "key";
    static final String COL_TYPE = "type";
    static final String COL_VALUE = "value";
    static final String COL_EXPIRE_AT_MS = "expire_at_ms";
    static final String COL_CHUNK = "chunk";
    static final String COL_HASH = "hash";
    static final String COL_SET = "set";
    static final String COL_LIST = "list";
    static final String COL_ZSET = "zset";
    static final String COL_STREAM = "stream";

    static final int IDX_DB = 0;
    static final int IDX_KEY = 1;
    static final int IDX_TYPE = 2;
    static final int IDX_VALUE = 3;
    static final int IDX_EXPIRE_AT_MS = 4;
    /** Leaf columns (in {@code SCHEMA.getColumns()}) after the flat five. */
    static final int IDX_CHUNK = 5;
    static final int IDX_HASH_KEY = 6;
    static final int IDX_HASH_VALUE = 7;
    static final int IDX_SET_ELEMENT = 8;
    static final int IDX_LIST_ELEMENT = 9;
    static final int IDX_ZSET_MEMBER = 10;
    static final int IDX_ZSET_SCORE = 11;
    /** The flat columns, which both versions have. */
    static final int FLAT_COLUMNS = 5;

    /** Version 1: strings only. */
    static final MessageType SCHEMA_STRINGS = Types.buildMessage()
            .required(PrimitiveTypeName.INT32).named(COL_DB)
            .required(PrimitiveTypeName.BINARY).named(COL_KEY)
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(COL_TYPE)
            .required(PrimitiveTypeName.BINARY).named(COL_VALUE)
            .optional(PrimitiveTypeName.INT64).named(COL_EXPIRE_AT_MS)
            .named("panda_snapshot");

    /** Version 2: strings, hashes and sets. */
    static final MessageType SCHEMA_HASHES = Types.buildMessage()
            .required(PrimitiveTypeName.INT32).named(COL_DB)
            .required(PrimitiveTypeName.BINARY).named(COL_KEY)
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(COL_TYPE)
            .required(PrimitiveTypeName.BINARY).named(COL_VALUE)
            .optional(PrimitiveTypeName.INT64).named(COL_EXPIRE_AT_MS)
            .required(PrimitiveTypeName.INT32).named(COL_CHUNK)
            .optionalGroup().as(LogicalTypeAnnotation.mapType())
                .repeatedGroup()
                    .required(PrimitiveTypeName.BINARY).named("key")
                    .required(PrimitiveTypeName.BINARY).named("value")
                .named("key_value")
            .named(COL_HASH)
            .optionalGroup().as(LogicalTypeAnnotation.listType())
                .repeatedGroup()
                    .required(PrimitiveTypeName.BINARY).named("element")
                .named("list")
            .named(COL_SET)
            .named("panda_snapshot");

    /** Version 3: version 2's columns, then lists and sorted sets. */
    static final MessageType SCHEMA_LISTS = Types.buildMessage()
            .addFields(SCHEMA_HASHES.getFields().toArray(new org.apache.parquet.schema.Type[0]))
            .optionalGroup().as(LogicalTypeAnnotation.listType())
                .repeatedGroup()
                    .required(PrimitiveTypeName.BINARY).named("element")
                .named("list")
            .named(COL_LIST)
            .optionalGroup().as(LogicalTypeAnnotation.listType())
                .repeatedGroup()
                    .requiredGroup()
                        .required(PrimitiveTypeName.BINARY).named("member")
                        .required(PrimitiveTypeName.DOUBLE).named("score")
                    .named("element")
                .named("list")
            .named(COL_ZSET)
            .named("panda_snapshot");

    /**
     * Version 4, which Panda writes: version 3's columns, then the stream entries, for readers
     * (the stream itself, with its groups, is restored from the {@code value} column).
     */
    static final MessageType SCHEMA = Types.buildMessage()
            .addFields(SCHEMA_LISTS.getFields().toArray(new org.apache.parquet.schema.Type[0]))
            .optionalGroup().as(LogicalTypeAnnotation.listType())
                .repeatedGroup()
                    .requiredGroup()
                        .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("id")
                        .requiredGroup().as(LogicalTypeAnnotation.mapType())
                            .repeatedGroup()
                                .required(PrimitiveTypeName.BINARY).named("key")
                                .required(PrimitiveTypeName.BINARY).named("value")
                            .named("key_value")
                        .named("fields")
                    .named("element")
                .named("list")
            .named(COL_STREAM)
            .named("panda_snapshot");

    static MessageType schema(int formatVersion) {
        return switch (formatVersion) {
            case FORMAT_VERSION_STRINGS -> SCHEMA_STRINGS;
            case FORMAT_VERSION_HASHES -> SCHEMA_HASHES;
            case FORMAT_VERSION_LISTS -> SCHEMA_LISTS;
            default -> SCHEMA;
        };
    }

    /** Complete snapshots: {@code snapshot-<walSeq, 20 digits>-<createdMs>.parquet}. */
    static final Pattern FINAL_NAME = Pattern.compile("snapshot-(\\d{20})-(\\d{1,19})\\.parquet");
    /** Snapshots being written (or left over by a crash): {@code .snapshot-...tmp}. */
    static final Pattern TEMP_NAME = Pattern.compile("\\.snapshot-.*\\.tmp");

    private SnapshotFormat() {
    }

    static String finalName(long walSeq, long createdMs) {
        return String.format("snapshot-%020d-%d.parquet", walSeq, createdMs);
    }

    static String tempName(long walSeq, long createdMs, String unique) {
        return String.format(".snapshot-%020d-%d-%s.tmp", walSeq, createdMs, unique);
    }

    /** The WAL seq in a final file name, or -1 when the name is not one. */
    static long walSeqOfName(String fileName) {
        Matcher m = FINAL_NAME.matcher(fileName);
        if (!m.matches()) {
            return -1;
        }
        try {
            return Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return -1; // 20 digits beyond Long.MAX_VALUE
        }
    }
}
