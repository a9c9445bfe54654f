package dev.panda.persistence.snapshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/** Writes a snapshot as Panda's format version 1 wrote it (strings in five columns), for tests. */
final class VersionOneWriter {
    private VersionOneWriter() {
    }

    private static final class Builder extends ParquetWriter.Builder<SnapshotRow, Builder> {
        private final WriteSupport<SnapshotRow> support;

        Builder(Path file, WriteSupport<SnapshotRow> support) {
            super(new LocalOutputFile(file));
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<SnapshotRow> getWriteSupport(Configuration conf) {
            return support;
        }

        @Override
        protected WriteSupport<SnapshotRow> getWriteSupport(org.apache.parquet.conf.ParquetConfiguration conf) {
            return support;
        }
    }

    static void write(Path file, long walSeq, List<SnapshotRow> rows) throws IOException {
        WriteSupport<SnapshotRow> support = new WriteSupport<>() {
            private RecordConsumer c;

            @Override
            public WriteContext init(Configuration configuration) {
                return new WriteContext(SnapshotFormat.SCHEMA_STRINGS, Map.of("panda.format.version", "1",
                        "panda.wal.seq", Long.toString(walSeq), "panda.key.count", Integer.toString(rows.size()),
                        "panda.created.ms", Long.toString(SnapshotTestData.CREATED_MS)));
            }

            @Override
            public void prepareForWrite(RecordConsumer recordConsumer) {
                c = recordConsumer;
            }

            @Override
            public void write(SnapshotRow row) {
                c.startMessage();
                c.startField("db", 0);
                c.addInteger(row.db());
                c.endField("db", 0);
                c.startField("key", 1);
                c.addBinary(Binary.fromConstantByteArray(row.key()));
                c.endField("key", 1);
                c.startField("type", 2);
                c.addBinary(Binary.fromString(row.type()));
                c.endField("type", 2);
                c.startField("value", 3);
                c.addBinary(Binary.fromConstantByteArray(row.value()));
                c.endField("value", 3);
                if (row.hasExpiry()) {
                    c.startField("expire_at_ms", 4);
                    c.addLong(row.expireAtMs());
                    c.endField("expire_at_ms", 4);
                }
                c.endMessage();
            }
        };
        try (ParquetWriter<SnapshotRow> w = new Builder(file, support).withConf(new PlainParquetConfiguration()).build()) {
            for (SnapshotRow r : rows) {
                w.write(r);
            }
        }
    }
}
