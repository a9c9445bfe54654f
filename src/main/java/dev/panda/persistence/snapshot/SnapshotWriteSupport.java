package dev.panda.persistence.snapshot;

import static dev.panda.persistence.snapshot.SnapshotFormat.COL_DB;
import static dev.panda.persistence.snapshot.SnapshotFormat.COL_EXPIRE_AT_MS;
import static dev.panda.persistence.snapshot.SnapshotFormat.COL_KEY;
import static dev.panda.persistence.snapshot.SnapshotFormat.COL_TYPE;
import static dev.panda.persistence.snapshot.SnapshotFormat.COL_VALUE;
import static dev.panda.persistence.snapshot.SnapshotFormat.IDX_DB;
import static dev.panda.persistence.snapshot.SnapshotFormat.IDX_EXPIRE_AT_MS;
import static dev.panda.persistence.snapshot.SnapshotFormat.IDX_KEY;
import static dev.panda.persistence.snapshot.SnapshotFormat.IDX_TYPE;
import static dev.panda.persistence.snapshot.SnapshotFormat.IDX_VALUE;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Turns {@link SnapshotRow}s into Parquet record events directly (no intermediate Group objects:
 * the key and value arrays are wrapped, not copied) and puts the footer metadata in place; the
 * key count is added when the file is finished. Snapshot-writer thread only.
 */
final class SnapshotWriteSupport extends WriteSupport<SnapshotRow> {
    private final Map<String, String> metadata;
    private RecordConsumer out;
    private long rows;
    private String lastType;
    private Binary lastTypeBinary;

    SnapshotWriteSupport(long walSeq, long createdMs) {
        this.metadata = Map.of(
                SnapshotFormat.META_FORMAT_VERSION, Integer.toString(SnapshotFormat.FORMAT_VERSION),
                SnapshotFormat.META_WAL_SEQ, Long.toString(walSeq),
                SnapshotFormat.META_CREATED_MS, Long.toString(createdMs));
    }

    @Override
    public WriteContext init(Configuration configuration) {
        return new WriteContext(SnapshotFormat.SCHEMA, metadata);
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return new WriteContext(SnapshotFormat.SCHEMA, metadata);
    }

    @Override
    public String getName() {
        return "panda";
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.out = recordConsumer;
    }

    @Override
    public void write(SnapshotRow row) {
        RecordConsumer c = out;
        c.startMessage();
        c.startField(COL_DB, IDX_DB);
        c.addInteger(row.db());
        c.endField(COL_DB, IDX_DB);
        c.startField(COL_KEY, IDX_KEY);
        c.addBinary(Binary.fromConstantByteArray(row.key()));
        c.endField(COL_KEY, IDX_KEY);
        c.startField(COL_TYPE, IDX_TYPE);
        c.addBinary(typeBinary(row.type()));
        c.endField(COL_TYPE, IDX_TYPE);
        c.startField(COL_VALUE, IDX_VALUE);
        c.addBinary(Binary.fromConstantByteArray(row.value()));
        c.endField(COL_VALUE, IDX_VALUE);
        if (row.hasExpiry()) {
            c.startField(COL_EXPIRE_AT_MS, IDX_EXPIRE_AT_MS);
            c.addLong(row.expireAtMs());
            c.endField(COL_EXPIRE_AT_MS, IDX_EXPIRE_AT_MS);
        }
        c.endMessage();
        rows++;
    }

    /** The type column holds few distinct names: encode each once. */
    private Binary typeBinary(String type) {
        if (!type.equals(lastType)) {
            lastType = type;
            lastTypeBinary = Binary.fromString(type);
        }
        return lastTypeBinary;
    }

    long rows() {
        return rows;
    }

    @Override
    public FinalizedWriteContext finalizeWrite() {
        return new FinalizedWriteContext(Map.of(SnapshotFormat.META_KEY_COUNT, Long.toString(rows)));
    }
}
