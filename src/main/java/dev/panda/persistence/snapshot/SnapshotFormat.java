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
 *   required binary type (STRING);
 *   required binary value;
 *   optional int64 expire_at_ms;
 * }
 * </pre>
 *
 * {@code expire_at_ms} is a plain INT64 of epoch milliseconds, not a TIMESTAMP: Redis accepts
 * deadlines far beyond what timestamp types hold (DuckDB converts TIMESTAMP(MILLIS) to
 * microseconds, pandas to nanoseconds: both overflow), and a plain number can never make a reader
 * fail. Readers convert when they want a time: {@code epoch_ms(expire_at_ms)} in DuckDB,
 * {@code pd.to_datetime(df.expire_at_ms, unit="ms", utc=True)} in pandas.
 */
final class SnapshotFormat {
    static final int FORMAT_VERSION = 1;

    static final String META_FORMAT_VERSION = "panda.format.version";
    static final String META_WAL_SEQ = "panda.wal.seq";
    static final String META_KEY_COUNT = "panda.key.count";
    static final String META_CREATED_MS = "panda.created.ms";

    static final String COL_DB = "db";
    static final String COL_KEY = "key";
    static final String COL_TYPE = "type";
    static final String COL_VALUE = "value";
    static final String COL_EXPIRE_AT_MS = "expire_at_ms";

    static final int IDX_DB = 0;
    static final int IDX_KEY = 1;
    static final int IDX_TYPE = 2;
    static final int IDX_VALUE = 3;
    static final int IDX_EXPIRE_AT_MS = 4;

    static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.INT32).named(COL_DB)
            .required(PrimitiveTypeName.BINARY).named(COL_KEY)
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(COL_TYPE)
            .required(PrimitiveTypeName.BINARY).named(COL_VALUE)
            .optional(PrimitiveTypeName.INT64).named(COL_EXPIRE_AT_MS)
            .named("panda_snapshot");

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
