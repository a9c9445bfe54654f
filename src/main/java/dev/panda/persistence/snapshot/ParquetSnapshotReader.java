package dev.panda.persistence.snapshot;

import dev.panda.persistence.crypto.EncryptionKeys;
import dev.panda.persistence.crypto.ParquetEncryption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads snapshot files: {@link #readInfo} checks the footer (Panda metadata, format version,
 * schema, row count = key count) without touching the data; {@link #forEach} streams the rows one
 * row group at a time, verifying page checksums, and checks the number of rows delivered.
 * Decoding runs on a {@link SnapshotDecoder} thread, overlapping with the caller's use of the rows.
 *
 * <p>Stateless: any thread; at start-up it runs on the thread that loads the snapshot (rows are
 * handed to the action on that thread). Files are
 * opened through {@link LocalInputFile} and {@link PlainParquetConfiguration} (no Hadoop
 * FileSystem). Encrypted snapshots ({@link ParquetEncryption}) are read with the key their footer
 * names, from the {@link EncryptionKeys} given; plaintext ones need none. A snapshot whose key is
 * not given throws {@link dev.panda.persistence.crypto.EncryptionKeyException}, which callers
 * must not mistake for damage.
 */
public final class ParquetSnapshotReader {
    private static final int READ_BUFFER_BYTES = 256 * 1024;

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
        return readInfo(file, EncryptionKeys.NONE);
    }

    /** As {@link #readInfo(Path)}, with the keys an encrypted snapshot may need. */
    public static SnapshotInfo readInfo(Path file, EncryptionKeys keys) throws IOException {
        try (ParquetFileReader reader = open(file, keys)) {
            return info(file, reader);
        }
    }

    /** The function libraries (name/source pairs) a snapshot's footer carries, in load order. */
    public static java.util.List<byte[][]> readFunctions(Path file) throws IOException {
        return readFunctions(file, EncryptionKeys.NONE);
    }

    /** As {@link #readFunctions(Path)}, with the keys an encrypted snapshot may need. */
    public static java.util.List<byte[][]> readFunctions(Path file, EncryptionKeys keys) throws IOException {
        try (ParquetFileReader reader = open(file, keys)) {
            String value = reader.getFooter().getFileMetaData().getKeyValueMetaData().get(SnapshotFormat.META_FUNCTIONS);
            return value == null ? java.util.List.of() : SnapshotFormat.decodeFunctions(value);
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
        return forEach(file, EncryptionKeys.NONE, action);
    }

    /** As {@link #forEach(Path, Consumer)}, with the keys an encrypted snapshot may need. */
    public static SnapshotInfo forEach(Path file, EncryptionKeys keys, Consumer<? super SnapshotRow> action)
            throws IOException {
        Objects.requireNonNull(action, "action");
        try (ParquetFileReader reader = open(file, keys)) {
            SnapshotInfo info = info(file, reader);
            MessageType schema = SnapshotFormat.schema(info.formatVersion());
            try {
                reader.setRequestedSchema(schema);
            } catch (RuntimeException e) {
                throw new SnapshotFormatException("snapshot " + file + " has an unexpected schema: " + e.getMessage(), e);
            }
            long delivered = 0;
            long keyRows = 0;
            try (SnapshotDecoder decoder = SnapshotDecoder.start(file, reader, schema)) {
                for (SnapshotRow[] batch; (batch = decoder.next()) != null; ) {
                    for (SnapshotRow row : batch) {
                        action.accept(row);
                        if (row.chunk() == 0) {
                            keyRows++;
                        }
                    }
                    delivered += batch.length;
                }
            }
            if (delivered != reader.getRecordCount() || keyRows != info.keyCount()) {
                throw new SnapshotFormatException("snapshot " + file + " delivered " + delivered + " rows of "
                        + keyRows + " keys but its footer says " + reader.getRecordCount() + " rows of "
                        + info.keyCount() + " keys");
            }
            return info;
        }
    }

    private static ParquetFileReader open(Path file, EncryptionKeys keys) throws IOException {
        Objects.requireNonNull(file, "file");
        Files.size(file); // NoSuchFileException for a missing file, rather than a format error
        AtomicReference<String> missingKey = new AtomicReference<>();
        ParquetReadOptions.Builder builder = ParquetReadOptions.builder(new PlainParquetConfiguration());
        if (keys.enabled() || ParquetEncryption.isEncrypted(file)) {
            builder.withDecryption(ParquetEncryption.forReading(keys, missingKey));
        }
        ParquetReadOptions options = builder
                .usePageChecksumVerification(true)
                .withCodecFactory(SnapshotCodecs.INSTANCE)
                // Row groups are read in buffers of this size: small enough that the garbage
                // collector takes them as ordinary allocations, where a whole column chunk in one
                // array would be a "humongous" object that starts a concurrent marking cycle.
                .withMaxAllocationInBytes(READ_BUFFER_BYTES)
                .build();
        try {
            return ParquetFileReader.open(new NamedInputFile(file), options);
        } catch (IOException | RuntimeException e) {
            if (missingKey.get() != null) {
                throw keys.missing("snapshot " + file, missingKey.get());
            }
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
        if (formatVersion < SnapshotFormat.FORMAT_VERSION_STRINGS || formatVersion > SnapshotFormat.FORMAT_VERSION) {
            throw new SnapshotFormatException("snapshot " + file + " has format version " + version
                    + "; this Panda reads versions " + SnapshotFormat.FORMAT_VERSION_STRINGS + " to "
                    + SnapshotFormat.FORMAT_VERSION);
        }
        long walSeq = number(file, kv, SnapshotFormat.META_WAL_SEQ);
        long keyCount = number(file, kv, SnapshotFormat.META_KEY_COUNT);
        long createdMs = number(file, kv, SnapshotFormat.META_CREATED_MS);
        checkSchema(file, meta.getSchema(), SnapshotFormat.schema(formatVersion));
        long rows = reader.getRecordCount();
        long expectedRows = formatVersion == SnapshotFormat.FORMAT_VERSION_STRINGS ? keyCount
                : number(file, kv, SnapshotFormat.META_ROW_COUNT);
        if (rows != expectedRows || rows < keyCount) {
            throw new SnapshotFormatException("snapshot " + file + " has " + rows + " rows but its footer says "
                    + expectedRows + " rows of " + keyCount + " keys");
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

    private static void checkSchema(Path file, MessageType actual, MessageType schema) throws SnapshotFormatException {
        for (Type expected : schema.getFields()) {
            String name = expected.getName();
            if (!actual.containsField(name)) {
                throw new SnapshotFormatException("snapshot " + file + " has no column " + name);
            }
            Type found = actual.getType(name);
            boolean same = expected.isPrimitive()
                    ? found.isPrimitive()
                        && found.asPrimitiveType().getPrimitiveTypeName() == expected.asPrimitiveType().getPrimitiveTypeName()
                        && found.getRepetition() == expected.getRepetition()
                    : found.equals(expected);
            if (!same) {
                throw new SnapshotFormatException("snapshot " + file + ": column " + name + " is " + found
                        + ", expected " + expected);
            }
        }
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
