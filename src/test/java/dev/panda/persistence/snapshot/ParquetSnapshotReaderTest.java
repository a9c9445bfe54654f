package dev.panda.persistence.snapshot;

import static dev.panda.persistence.snapshot.SnapshotTestData.CREATED_MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader refuses what is not a complete, consistent Panda snapshot. */
class ParquetSnapshotReaderTest {
    @TempDir
    Path dir;

    /** Copies a snapshot's row groups as they are into a new file whose footer metadata is changed. */
    private Path withFooter(Path source, Map<String, String> changes) throws IOException {
        Map<String, String> kv;
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(source))) {
            kv = new HashMap<>(r.getFooter().getFileMetaData().getKeyValueMetaData());
        }
        changes.forEach((k, v) -> {
            if (v == null) {
                kv.remove(k);
            } else {
                kv.put(k, v);
            }
        });
        Path out = dir.resolve("tampered-" + System.nanoTime() + ".parquet");
        ParquetFileWriter w = new ParquetFileWriter(new LocalOutputFile(out), SnapshotFormat.SCHEMA,
                ParquetFileWriter.Mode.CREATE, 1 << 20, 0);
        w.start();
        w.appendFile(new LocalInputFile(source));
        w.end(kv);
        return out;
    }

    private Path sample() throws IOException {
        return SnapshotTestData.write(dir.resolve("src"), 8, CREATED_MS, Compression.ZSTD,
                SnapshotTestData.smallRows(50, 8));
    }

    @Test
    void unchangedCopyIsAccepted() throws IOException {
        Path copy = withFooter(sample(), Map.of());
        assertThat(ParquetSnapshotReader.readInfo(copy).keyCount()).isEqualTo(50);
        assertThat(SnapshotTestData.readAll(copy)).containsExactlyElementsOf(SnapshotTestData.smallRows(50, 8));
    }

    @Test
    void keyCountMustMatchTheRows() throws IOException {
        Path tooMany = withFooter(sample(), Map.of("panda.key.count", "51"));
        assertThatThrownBy(() -> ParquetSnapshotReader.readInfo(tooMany))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("50 rows")
                .hasMessageContaining("51 keys");
        List<SnapshotRow> delivered = new ArrayList<>();
        assertThatThrownBy(() -> ParquetSnapshotReader.forEach(tooMany, delivered::add))
                .isInstanceOf(SnapshotFormatException.class);
        assertThat(delivered).isEmpty(); // refused before the first row

        // Fewer keys than rows is how a collection in several rows looks: the rows themselves tell.
        Path tooFew = withFooter(sample(), Map.of("panda.key.count", "49"));
        assertThatThrownBy(() -> ParquetSnapshotReader.forEach(tooFew, row -> { }))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("delivered 50 rows of 50 keys");
        Path rowsOff = withFooter(sample(), Map.of("panda.row.count", "60"));
        assertThatThrownBy(() -> ParquetSnapshotReader.readInfo(rowsOff))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("60 rows");
    }

    @Test
    void missingOrBadMetadataIsRefused() throws IOException {
        Path sample = sample();
        Map<String, String> noVersion = new HashMap<>();
        noVersion.put("panda.format.version", null);
        assertThatThrownBy(() -> ParquetSnapshotReader.readInfo(withFooter(sample, noVersion)))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("not a Panda snapshot");
        assertThatThrownBy(() -> ParquetSnapshotReader.readInfo(withFooter(sample, Map.of("panda.format.version", "5"))))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("format version 5");
        Map<String, String> noSeq = new HashMap<>();
        noSeq.put("panda.wal.seq", null);
        assertThatThrownBy(() -> ParquetSnapshotReader.readInfo(withFooter(sample, noSeq)))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("panda.wal.seq");
        assertThatThrownBy(() -> ParquetSnapshotReader.readInfo(withFooter(sample, Map.of("panda.created.ms", "soon"))))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("panda.created.ms");
    }

    @Test
    void foreignParquetFileIsNotASnapshot() throws IOException, SQLException {
        Path foreign = dir.resolve("foreign.parquet");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = duck.createStatement()) {
            st.execute("COPY (SELECT range::INTEGER AS db, 'k'::BLOB AS key, 'string' AS type, 'v'::BLOB AS value,"
                    + " NULL::BIGINT AS expire_at_ms FROM range(3)) TO '" + foreign + "' (FORMAT parquet)");
        }
        assertThatThrownBy(() -> ParquetSnapshotReader.readInfo(foreign))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("not a Panda snapshot");
    }

    @Test
    void nonParquetAndMissingFiles() throws IOException {
        Path text = dir.resolve("text.parquet");
        Files.writeString(text, "hello, this is not parquet at all");
        assertThatThrownBy(() -> ParquetSnapshotReader.readInfo(text)).isInstanceOf(SnapshotFormatException.class);
        assertThatThrownBy(() -> ParquetSnapshotReader.readInfo(dir.resolve("absent.parquet")))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void damagedDataPageIsDetectedWhileStreaming() throws IOException {
        Path file = SnapshotTestData.write(dir, 1, CREATED_MS, Compression.SNAPPY, SnapshotTestData.mixedRows());
        long valueStart;
        long valueSize;
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
            BlockMetaData block = r.getRowGroups().get(0);
            ColumnChunkMetaData value = block.getColumns().get(SnapshotFormat.IDX_VALUE);
            valueStart = value.getStartingPos();
            valueSize = value.getTotalSize();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long pos = valueStart + valueSize / 2; // inside a page of megabyte values
            raf.seek(pos);
            int b = raf.read();
            raf.seek(pos);
            raf.write(b ^ 0x5a);
        }
        assertThat(ParquetSnapshotReader.readInfo(file).keyCount()).isPositive(); // footer intact
        assertThatThrownBy(() -> ParquetSnapshotReader.forEach(file, r -> { }))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("damaged");
    }

    @Test
    void consumerExceptionsPassThroughUnwrapped() throws IOException {
        Path file = sample();
        IllegalStateException boom = new IllegalStateException("store full");
        assertThatThrownBy(() -> ParquetSnapshotReader.forEach(file, r -> {
            throw boom;
        })).isSameAs(boom);
    }

    @Test
    void aConsumerThatGivesUpStopsTheDecodeThread() throws IOException, InterruptedException {
        List<SnapshotRow> rows = SnapshotTestData.smallRows(SnapshotDecoder.BATCH_ROWS * (SnapshotDecoder.QUEUE_BATCHES + 4), 4);
        Path file = SnapshotTestData.write(dir, 10, CREATED_MS, Compression.SNAPPY, rows);
        IllegalStateException stop = new IllegalStateException("enough");
        int[] seen = {0};
        assertThatThrownBy(() -> ParquetSnapshotReader.forEach(file, r -> {
            if (++seen[0] == 10) {
                throw stop;
            }
        })).isSameAs(stop);
        // forEach returns only once the decoder (blocked on its full queue) has ended
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("panda-snapshot-decode") && t.isAlive());
    }

    /**
     * Keys and values are decoded straight from plain pages; a file whose key and value chunks
     * are dictionary-encoded (not how Panda writes them) goes through Parquet's column readers.
     * Both give the same rows.
     */
    @Test
    void dictionaryEncodedKeysAndValuesAreReadToo() throws IOException {
        List<SnapshotRow> rows = new ArrayList<>();
        for (int i = 0; i < 5000; i++) { // few distinct values: Parquet keeps the dictionary
            rows.add(SnapshotRow.string(i % 2, SnapshotTestData.b("key:" + i), SnapshotTestData.b("v" + (i % 7)),
                    i % 3 == 0 ? CREATED_MS + i : SnapshotRow.NO_EXPIRY));
        }
        Path file = dir.resolve("dictionary.parquet");
        write(file, rows, new CustomWriter(new LocalOutputFile(file)).withDictionaryEncoding(true));
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
            ColumnChunkMetaData values = r.getRowGroups().get(0).getColumns().get(SnapshotFormat.IDX_VALUE);
            assertThat(values.getEncodings()).anyMatch(org.apache.parquet.column.Encoding::usesDictionary);
        }
        assertThat(SnapshotTestData.readAll(file)).containsExactlyElementsOf(rows);
    }

    /**
     * Uncompressed pages are read where they lie, in the buffers Parquet read the row group into:
     * at an offset inside a buffer, and (pages larger than a read buffer) across two buffers.
     */
    @Test
    void uncompressedPagesAreReadInPlace() throws IOException {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        List<SnapshotRow> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            byte[] value = new byte[1 + rnd.nextInt(3000)];
            for (int j = 0; j < value.length; j++) {
                value[j] = (byte) rnd.nextInt(256);
            }
            rows.add(SnapshotRow.string(0, SnapshotTestData.b("key:" + i), value, SnapshotRow.NO_EXPIRY));
        }
        Path file = dir.resolve("uncompressed.parquet");
        write(file, rows, new CustomWriter(new LocalOutputFile(file))
                .withCompressionCodec(org.apache.parquet.hadoop.metadata.CompressionCodecName.UNCOMPRESSED)
                .withDictionaryEncoding(false)
                .withPageSize(700 * 1024)); // larger than the reader's 256 KB buffers
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
            ColumnChunkMetaData values = r.getRowGroups().get(0).getColumns().get(SnapshotFormat.IDX_VALUE);
            assertThat(values.getCodec()).isEqualTo(org.apache.parquet.hadoop.metadata.CompressionCodecName.UNCOMPRESSED);
            assertThat(values.getEncodings()).noneMatch(org.apache.parquet.column.Encoding::usesDictionary);
            assertThat(values.getTotalUncompressedSize()).isGreaterThan(2L * 700 * 1024);
        }
        assertThat(SnapshotTestData.readAll(file)).containsExactlyElementsOf(rows);
    }

    /** Ways a Parquet writer may lay out the database, type and deadline columns. */
    enum SmallColumnLayout {
        /** As Panda writes them: dictionary pages, version 1 data pages. */
        PANDA(true, false, true),
        /** No dictionaries: PLAIN values, run-length definition levels. */
        PLAIN_V1(true, false, false),
        /** Version 2 data pages with dictionaries: levels and values apart. */
        DICTIONARY_V2(true, true, true),
        /** Version 2 pages without dictionaries: DELTA encodings, left to Parquet's column readers. */
        DELTA_V2(false, true, false),
        /** A dictionary that overflows part-way: dictionary pages, then PLAIN ones, in one chunk. */
        DICTIONARY_FALLBACK(true, false, true);

        final boolean decodedDirectly;
        final boolean v2;
        final boolean dictionary;

        SmallColumnLayout(boolean decodedDirectly, boolean v2, boolean dictionary) {
            this.decodedDirectly = decodedDirectly;
            this.v2 = v2;
            this.dictionary = dictionary;
        }
    }

    /**
     * The database, type and deadline columns are decoded straight from their pages (dictionary
     * or PLAIN, version 1 or 2 pages, nulls in runs and scattered, pages with no value at all),
     * and encodings that decoder does not know go through Parquet's column readers: every layout
     * reads back the rows written.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(SmallColumnLayout.class)
    void smallColumnsAreReadBackInEveryLayout(SmallColumnLayout layout) throws IOException {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(layout.ordinal());
        List<SnapshotRow> rows = new ArrayList<>();
        // A long run without deadlines (whole pages of nulls), then a mix of deadlines and nulls.
        // Not for version 2 pages: a first page without values makes that writer drop the dictionary.
        int nullRun = layout == SmallColumnLayout.DICTIONARY_V2 ? 0 : 6_000;
        for (int i = 0; i < 20_000; i++) {
            // (few distinct ones for version 2 pages, whose writer falls back to DELTA, not PLAIN;
            // for the fallback, few at first, so that the writer keeps the dictionary it began)
            int distinct = layout == SmallColumnLayout.DICTIONARY_V2
                    || (layout == SmallColumnLayout.DICTIONARY_FALLBACK && i < 12_000) ? 50 : 1 << 30;
            long expire = i < nullRun || rnd.nextInt(3) == 0 ? SnapshotRow.NO_EXPIRY : CREATED_MS + rnd.nextInt(distinct);
            int db = i < 10_000 ? 0 : rnd.nextInt(16);
            rows.add(SnapshotRow.string(db, SnapshotTestData.b("k" + i), SnapshotTestData.b("v" + rnd.nextInt()), expire));
        }
        Path file = dir.resolve(layout + ".parquet");
        CustomWriter writer = new CustomWriter(new LocalOutputFile(file))
                .withWriterVersion(layout.v2 ? org.apache.parquet.column.ParquetProperties.WriterVersion.PARQUET_2_0
                        : org.apache.parquet.column.ParquetProperties.WriterVersion.PARQUET_1_0)
                .withDictionaryEncoding(layout.dictionary)
                .withDictionaryEncoding(SnapshotFormat.COL_KEY, false)
                .withDictionaryEncoding(SnapshotFormat.COL_VALUE, false)
                .withPageRowCountLimit(1_000)
                .withRowGroupSize(256L * 1024);
        if (layout == SmallColumnLayout.DICTIONARY_FALLBACK) {
            writer.withDictionaryPageSize(8 * 1024);
        }
        write(file, rows, writer);
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
            assertThat(r.getRowGroups()).hasSizeGreaterThan(1);
            for (BlockMetaData block : r.getRowGroups()) {
                for (int c : new int[] {SnapshotFormat.IDX_DB, SnapshotFormat.IDX_TYPE, SnapshotFormat.IDX_EXPIRE_AT_MS}) {
                    assertThat(FlatColumn.supports(SnapshotFormat.SCHEMA.getColumns().get(c), block.getColumns().get(c)))
                            .as("column %d (%s) decoded directly", c, block.getColumns().get(c).getEncodings())
                            .isEqualTo(layout.decodedDirectly);
                }
            }
            if (layout == SmallColumnLayout.DICTIONARY_FALLBACK) {
                assertThat(r.getRowGroups()).anySatisfy(block -> assertThat(block.getColumns()
                        .get(SnapshotFormat.IDX_EXPIRE_AT_MS).getEncodings())
                        .anyMatch(org.apache.parquet.column.Encoding::usesDictionary)
                        .contains(org.apache.parquet.column.Encoding.PLAIN));
            }
        }
        assertThat(SnapshotTestData.readAll(file)).containsExactlyElementsOf(rows);
    }

    private static void write(Path file, List<SnapshotRow> rows, CustomWriter writer) throws IOException {
        try (org.apache.parquet.hadoop.ParquetWriter<SnapshotRow> w = writer
                .withConf(new org.apache.parquet.conf.PlainParquetConfiguration())
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            for (SnapshotRow r : rows) {
                w.write(r);
            }
        }
    }

    /** A Parquet writer of snapshot rows whose layout options the test chooses. */
    private static final class CustomWriter
            extends org.apache.parquet.hadoop.ParquetWriter.Builder<SnapshotRow, CustomWriter> {
        CustomWriter(LocalOutputFile file) {
            super(file);
        }

        @Override
        protected CustomWriter self() {
            return this;
        }

        @Override
        protected org.apache.parquet.hadoop.api.WriteSupport<SnapshotRow> getWriteSupport(
                org.apache.hadoop.conf.Configuration conf) {
            return new SnapshotWriteSupport(11, CREATED_MS);
        }

        @Override
        protected org.apache.parquet.hadoop.api.WriteSupport<SnapshotRow> getWriteSupport(
                org.apache.parquet.conf.ParquetConfiguration conf) {
            return new SnapshotWriteSupport(11, CREATED_MS);
        }
    }
}
