package dev.panda.persistence.snapshot;

import static dev.panda.persistence.snapshot.SnapshotTestData.CREATED_MS;
import static dev.panda.persistence.snapshot.SnapshotTestData.ONE_MB;
import static dev.panda.persistence.snapshot.SnapshotTestData.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ParquetSnapshotRoundTripTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Compression.class)
    void rowsComeBackExactlyInWriteOrder(Compression compression) throws IOException {
        List<SnapshotRow> rows = SnapshotTestData.mixedRows();
        Path file;
        long bytesBeforeCommit;
        try (ParquetSnapshotWriter w = ParquetSnapshotWriter.create(dir, 123_456L, compression, CREATED_MS)) {
            for (SnapshotRow r : rows) {
                w.write(r);
            }
            assertThat(w.rows()).isEqualTo(rows.size());
            bytesBeforeCommit = w.bytes();
            file = w.commit();
            assertThat(w.rows()).isEqualTo(rows.size());
            assertThat(w.bytes()).isEqualTo(Files.size(file));
        }
        assertThat(bytesBeforeCommit).isPositive();
        assertThat(file.getFileName().toString()).isEqualTo("snapshot-00000000000000123456-1700000000123.parquet");
        assertThat(file.getParent()).isEqualTo(dir);

        List<SnapshotRow> back = SnapshotTestData.readAll(file);
        assertThat(back).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(back.get(i)).as("row %d", i).isEqualTo(rows.get(i));
        }
        assertThat(back).filteredOn(r -> r.value().length == ONE_MB).hasSize(3);
        assertThat(back).extracting(SnapshotRow::db).containsOnly(0, 1, 2, 7, 15);
        assertThat(back).filteredOn(SnapshotRow::hasExpiry).isNotEmpty();
        assertThat(back).filteredOn(r -> !r.hasExpiry()).isNotEmpty();
        assertThat(back).extracting(SnapshotRow::type).containsOnly(SnapshotRow.TYPE_STRING);
        assertThat(back.get(0).type()).isSameAs(SnapshotRow.TYPE_STRING);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void footerCarriesPandaMetadataAndTheChosenCodec(Compression compression) throws IOException {
        List<SnapshotRow> rows = SnapshotTestData.smallRows(500, 1);
        Path file = SnapshotTestData.write(dir, 77L, CREATED_MS, compression, rows);

        SnapshotInfo info = ParquetSnapshotReader.readInfo(file);
        assertThat(info).isEqualTo(new SnapshotInfo(file, 4, 77L, 500L, CREATED_MS, Files.size(file)));

        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
            assertThat(r.getFooter().getFileMetaData().getKeyValueMetaData())
                    .containsEntry("panda.format.version", "4")
                    .containsEntry("panda.wal.seq", "77")
                    .containsEntry("panda.key.count", "500")
                    .containsEntry("panda.row.count", "500")
                    .containsEntry("panda.created.ms", Long.toString(CREATED_MS));
            assertThat(r.getFooter().getFileMetaData().getSchema()).isEqualTo(SnapshotFormat.SCHEMA);
            for (BlockMetaData block : r.getRowGroups()) {
                for (ColumnChunkMetaData col : block.getColumns()) {
                    assertThat(col.getCodec()).isEqualTo(compression.codec());
                }
            }
        }
    }

    @Test
    void reusedArraysAreNotSharedBetweenRowsReadBack() throws IOException {
        byte[] shared = b("same value");
        List<SnapshotRow> rows = List.of(
                SnapshotRow.string(0, b("a"), shared, SnapshotRow.NO_EXPIRY),
                SnapshotRow.string(0, b("b"), shared, SnapshotRow.NO_EXPIRY));
        Path file = SnapshotTestData.write(dir, 1, CREATED_MS, Compression.ZSTD, rows);

        List<SnapshotRow> back = SnapshotTestData.readAll(file);
        assertThat(back).containsExactlyElementsOf(rows);
        assertThat(back.get(0).value()).isNotSameAs(back.get(1).value());
        back.get(0).value()[0] = 'X';
        assertThat(back.get(1).value()).isEqualTo(shared);
    }

    @Test
    void emptySnapshotIsValid() throws IOException {
        Path file = SnapshotTestData.write(dir, 0, CREATED_MS, Compression.ZSTD, List.of());

        assertThat(ParquetSnapshotReader.readInfo(file).keyCount()).isZero();
        assertThat(SnapshotTestData.readAll(file)).isEmpty();
    }

    /** Also crosses the decode thread's batches and fills its queue (20,000 rows). */
    @Test
    void manyRowGroupsStreamInOrder() throws IOException {
        List<SnapshotRow> rows = SnapshotTestData.smallRows(20_000, 2);
        assertThat(rows.size()).isGreaterThan(SnapshotDecoder.BATCH_ROWS * (SnapshotDecoder.QUEUE_BATCHES + 1));
        Path file;
        try (ParquetSnapshotWriter w = ParquetSnapshotWriter.create(dir, 5, Compression.SNAPPY, CREATED_MS, 64 * 1024)) {
            for (SnapshotRow r : rows) {
                w.write(r);
            }
            file = w.commit();
        }
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
            assertThat(r.getRowGroups()).hasSizeGreaterThan(3);
        }
        List<SnapshotRow> back = new ArrayList<>();
        SnapshotInfo info = ParquetSnapshotReader.forEach(file, back::add);
        assertThat(info.keyCount()).isEqualTo(20_000);
        assertThat(back).containsExactlyElementsOf(rows);
    }

    @Test
    void writerRefusesUseAfterCommitAndCommitTwice() throws IOException {
        ParquetSnapshotWriter w = ParquetSnapshotWriter.create(dir, 3, Compression.ZSTD, CREATED_MS);
        w.write(SnapshotRow.string(0, b("k"), b("v"), SnapshotRow.NO_EXPIRY));
        Path file = w.commit();

        assertThatThrownBy(() -> w.write(SnapshotRow.string(0, b("k2"), b("v"), -1)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(w::commit).isInstanceOf(IllegalStateException.class);
        w.abort(); // no effect after commit
        w.close();
        assertThat(file).exists();
        assertThat(SnapshotTestData.readAll(file)).hasSize(1);
    }

    @Test
    void sameSeqAndMillisecondReplacesTheEarlierFile() throws IOException {
        Path first = SnapshotTestData.write(dir, 9, CREATED_MS, Compression.ZSTD, SnapshotTestData.smallRows(3, 3));
        Path second = SnapshotTestData.write(dir, 9, CREATED_MS, Compression.ZSTD, SnapshotTestData.smallRows(4, 3));

        assertThat(second).isEqualTo(first);
        assertThat(ParquetSnapshotReader.readInfo(second).keyCount()).isEqualTo(4);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(second);
        }
    }

    @Test
    void rowAndArgumentValidation() {
        assertThatThrownBy(() -> SnapshotRow.string(-1, b("k"), b("v"), -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SnapshotRow.string(0, null, b("v"), -1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SnapshotRow.string(0, b("k"), null, -1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SnapshotRow.string(0, b("k"), b("v"), -2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ParquetSnapshotWriter.create(dir, -1, Compression.ZSTD))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SnapshotRow.string(0, b("k"), b("v"), -1)).isEqualTo(SnapshotRow.string(0, b("k"), b("v"), -1));
        assertThat(SnapshotRow.string(0, b("k"), b("v"), -1)).isNotEqualTo(SnapshotRow.string(0, b("k"), b("w"), -1));
        assertThat(Compression.parse("zstd")).isEqualTo(Compression.ZSTD);
        assertThat(Compression.parse(" Snappy ")).isEqualTo(Compression.SNAPPY);
        assertThat(Compression.DEFAULT).isEqualTo(Compression.ZSTD);
        assertThatThrownBy(() -> Compression.parse("lz4")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createMakesTheDirectory() throws IOException {
        Path nested = dir.resolve("a/b");
        Path file = SnapshotTestData.write(nested, 1, CREATED_MS, Compression.SNAPPY, SnapshotTestData.smallRows(1, 4));
        assertThat(file.getParent()).isEqualTo(nested);
        assertThat(ParquetSnapshotReader.readInfo(file).walSeq()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void collectionsRoundTripRowByRow(Compression compression) throws IOException {
        List<SnapshotRow> rows = SnapshotTestData.collectionRows();
        Path file = SnapshotTestData.write(dir, 5L, CREATED_MS, compression, rows);
        SnapshotInfo info = ParquetSnapshotReader.readInfo(file);
        assertThat(info.keyCount()).isEqualTo(6); // of 10 rows: 4 are continuations
        assertThat(SnapshotTestData.readAll(file)).containsExactlyElementsOf(rows);
    }

    @Test
    void versionOneFilesStillLoad() throws IOException {
        List<SnapshotRow> rows = SnapshotTestData.smallRows(300, 3);
        Path file = dir.resolve(SnapshotFormat.finalName(9, CREATED_MS));
        VersionOneWriter.write(file, 9, rows);
        SnapshotInfo info = ParquetSnapshotReader.readInfo(file);
        assertThat(info.formatVersion()).isEqualTo(1);
        assertThat(info.keyCount()).isEqualTo(300);
        assertThat(SnapshotTestData.readAll(file)).containsExactlyElementsOf(rows);
    }
}
