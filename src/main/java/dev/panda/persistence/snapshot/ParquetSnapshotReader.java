package dev.panda.persistence.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads snapshot files: {@link #readInfo} checks the footer (Panda metadata, format version,
 * schema, row count = key count) without touching the data; {@link #forEach} streams the rows one
 * row group at a time, verifying page checksums, and checks the number of rows delivered.
 *
 * <p>Stateless: any thread; at start-up it runs on the thread that loads the snapshot. Files are
 * opened through {@link LocalInputFile} and {@link PlainParquetConfiguration} (no Hadoop
 * FileSystem).
 */
public final class ParquetSnapshotReader {
    private ParquetSnapshotReader() {
    }

    /**
     * Reads and checks a snapshot's footer.
     *
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws SnapshotFormatException            if it is not a complete Panda snapshot of a
     *                                            supported version (truncated, damaged, foreign...)
     */
    public static SnapshotInfo readInfo(Path file) throws IOException {
        try (ParquetFileReader reader = open(file)) {
            return info(file, reader);
        }
    }

    /**
     * Streams every row of a snapshot to {@code action}, in file order, on the calling thread.
     * Exceptions thrown by {@code action} pass through unchanged.
     *
     * @return the checked footer information
     * @throws SnapshotFormatException if the footer is not a Panda snapshot's, a page is damaged, or
     *                                 the rows delivered differ from {@code panda.key.count} (rows
     *                                 already delivered are then not to be trusted)
     */
    public static SnapshotInfo forEach(Path file, Consumer<? super SnapshotRow> action) throws IOException {
        Objects.requireNonNull(action, "action");
        try (ParquetFileReader reader = open(file)) {
            SnapshotInfo info = info(file, reader);
            FileMetaData meta = reader.getFooter().getFileMetaData();
            MessageColumnIO columnIO;
            try {
                reader.setRequestedSchema(SnapshotFormat.SCHEMA);
                columnIO = new ColumnIOFactory(meta.getCreatedBy())
                        .getColumnIO(SnapshotFormat.SCHEMA, meta.getSchema(), true);
            } catch (RuntimeException e) {
                throw new SnapshotFormatException("snapshot " + file + " has an unexpected schema: " + e.getMessage(), e);
            }
            SnapshotRecordMaterializer materializer = new SnapshotRecordMaterializer();
            long delivered = 0;
            while (true) {
                PageReadStore pages;
                try {
                    pages = reader.readNextRowGroup();
                } catch (IOException | RuntimeException e) {
                    throw damaged(file, "row group after row " + delivered, e);
                }
                if (pages == null) {
                    break;
                }
                long n = pages.getRowCount();
                RecordReader<SnapshotRow> records = columnIO.getRecordReader(pages, materializer);
                for (long i = 0; i < n; i++) {
                    SnapshotRow row;
                    try {
                        row = records.read();
                    } catch (RuntimeException e) {
                        throw damaged(file, "row " + delivered, e);
                    }
                    if (row == null) {
                        throw new SnapshotFormatException("snapshot " + file + ": row " + delivered + " is missing");
                    }
                    action.accept(row);
                    delivered++;
                }
            }
            if (delivered != info.keyCount()) {
                throw new SnapshotFormatException("snapshot " + file + " delivered " + delivered
                        + " rows but its footer says " + info.keyCount() + " keys");
            }
            return info;
        }
    }

    private static ParquetFileReader open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Files.size(file); // NoSuchFileException for a missing file, rather than a format error
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .usePageChecksumVerification(true)
                .build();
        try {
            return ParquetFileReader.open(new NamedInputFile(file), options);
        } catch (IOException | RuntimeException e) {
            String why = String.valueOf(e.getMessage());
            throw new SnapshotFormatException(why.contains(file.toString())
                    ? "not a complete Parquet file: " + why
                    : "not a complete Parquet file: " + file + " (" + why + ")", e);
        }
    }

    private static SnapshotInfo info(Path file, ParquetFileReader reader) throws IOException {
        FileMetaData meta = reader.getFooter().getFileMetaData();
        Map<String, String> kv = meta.getKeyValueMetaData();
        String version = kv.get(SnapshotFormat.META_FORMAT_VERSION);
        if (version == null) {
            throw new SnapshotFormatException("not a Panda snapshot (no " + SnapshotFormat.META_FORMAT_VERSION
                    + " in the footer): " + file);
        }
        int formatVersion = (int) number(file, kv, SnapshotFormat.META_FORMAT_VERSION);
        if (formatVersion != SnapshotFormat.FORMAT_VERSION) {
            throw new SnapshotFormatException("snapshot " + file + " has format version " + version
                    + "; this Panda reads version " + SnapshotFormat.FORMAT_VERSION);
        }
        long walSeq = number(file, kv, SnapshotFormat.META_WAL_SEQ);
        long keyCount = number(file, kv, SnapshotFormat.META_KEY_COUNT);
        long createdMs = number(file, kv, SnapshotFormat.META_CREATED_MS);
        checkSchema(file, meta.getSchema());
        long rows = reader.getRecordCount();
        if (rows != keyCount) {
            throw new SnapshotFormatException("snapshot " + file + " has " + rows + " rows but its footer says "
                    + keyCount + " keys");
        }
        return new SnapshotInfo(file, formatVersion, walSeq, keyCount, createdMs, Files.size(file));
    }

    private static long number(Path file, Map<String, String> kv, String key) throws SnapshotFormatException {
        String s = kv.get(key);
        if (s == null) {
            throw new SnapshotFormatException("snapshot " + file + " lacks footer metadata " + key);
        }
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw new NumberFormatException("negative");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new SnapshotFormatException("snapshot " + file + ": footer metadata " + key + "='" + s
                    + "' is not a non-negative number");
        }
    }

    private static void checkSchema(Path file, MessageType actual) throws SnapshotFormatException {
        for (Type expected : SnapshotFormat.SCHEMA.getFields()) {
            String name = expected.getName();
            if (!actual.containsField(name)) {
                throw new SnapshotFormatException("snapshot " + file + " has no column " + name);
            }
            Type found = actual.getType(name);
            PrimitiveType want = expected.asPrimitiveType();
            if (!found.isPrimitive()
                    || found.asPrimitiveType().getPrimitiveTypeName() != want.getPrimitiveTypeName()
                    || found.getRepetition() != want.getRepetition()) {
                throw new SnapshotFormatException("snapshot " + file + ": column " + name + " is " + found
                        + ", expected " + want);
            }
        }
    }

    private static SnapshotFormatException damaged(Path file, String where, Exception e) {
        return new SnapshotFormatException("snapshot " + file + " is damaged at " + where + ": " + e.getMessage(), e);
    }

    /** Names the file in Parquet's own error messages. */
    private static final class NamedInputFile extends LocalInputFile {
        private final Path file;

        NamedInputFile(Path file) {
            super(file);
            this.file = file;
        }

        @Override
        public String toString() {
            return file.toString();
        }
    }
}
