package dev.panda.persistence.snapshot;

import dev.panda.persistence.crypto.EncryptionKeys;
import dev.panda.persistence.crypto.ParquetEncryption;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one snapshot file: rows go to a hidden temp file ({@code .snapshot-<seq>-<ms>-<rnd>.tmp})
 * in the target directory; {@link #commit()} finishes the Parquet footer, fsyncs the file,
 * atomically renames it to {@code snapshot-<walSeq, 20 digits>-<createdMs>.parquet} and fsyncs the
 * directory, so a file with the final name is always complete. {@link #abort()} (or
 * {@link #close()} before a commit) deletes the temp file.
 *
 * <p>Encoding and compression happen in {@link #write}, so it is meant for the snapshot-writer
 * thread, never the store thread. Not thread-safe: one thread creates, writes, and commits or
 * aborts. Memory: one row group (at most {@link #DEFAULT_ROW_GROUP_BYTES}, compressed pages) is
 * buffered before it is written out.
 *
 * <p>Parquet is driven through {@link LocalOutputFile} and {@link PlainParquetConfiguration}: no
 * Hadoop FileSystem is involved. If two snapshots get the same WAL seq and creation millisecond, the
 * second replaces the first (they hold the same state).
 *
 * <p>With a current key in the {@link EncryptionKeys} given, the file is encrypted as
 * {@link ParquetEncryption} describes (footer and every column, AES-GCM); without, it is plaintext.
 */
public final class ParquetSnapshotWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ParquetSnapshotWriter.class);

    /**
     * Row group size: bounds the writer's buffer, which lives until its row group is written, so
     * every young collection during a background snapshot copies it (8 MiB made those pauses 8-15
     * ms, 2 MiB 2-4 ms). DuckDB reads row groups in parallel; restart time did not change.
     */
    public static final long DEFAULT_ROW_GROUP_BYTES = 2L * 1024 * 1024;

    /** Most elements of a collection in one row (a hash's field and value count as two). */
    public static final int MAX_CHUNK_ELEMENTS = SnapshotFormat.MAX_CHUNK_ELEMENTS;
    /** A collection's row is closed once its elements pass this many bytes. */
    public static final int MAX_CHUNK_BYTES = SnapshotFormat.MAX_CHUNK_BYTES;

    /** Temp files being written by this process: {@link SnapshotDirectory} must not delete them. */
    private static final Set<Path> ACTIVE_TEMP_FILES = ConcurrentHashMap.newKeySet();

    private enum State { OPEN, FAILED, COMMITTED, ABORTED }

    private final Path dir;
    private final long walSeq;
    private final long createdMs;
    private final Compression compression;
    private final Path tempFile;
    private final Path finalFile;
    private final GuardedOutputFile output;
    private final SnapshotWriteSupport writeSupport;
    private final ParquetWriter<SnapshotRow> writer;
    private State state = State.OPEN;
    private long committedBytes = -1;

    private ParquetSnapshotWriter(Path dir, long walSeq, long createdMs, Compression compression, long rowGroupBytes,
            EncryptionKeys keys) throws IOException {
        this.dir = dir;
        this.walSeq = walSeq;
        this.createdMs = createdMs;
        this.compression = compression;
        String unique = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        this.tempFile = dir.resolve(SnapshotFormat.tempName(walSeq, createdMs, unique));
        this.finalFile = dir.resolve(SnapshotFormat.finalName(walSeq, createdMs));
        this.output = new GuardedOutputFile(tempFile);
        this.writeSupport = new SnapshotWriteSupport(walSeq, createdMs);
        ACTIVE_TEMP_FILES.add(activeKey(tempFile));
        try {
            this.writer = new Builder(output, writeSupport)
                    .withConf(new PlainParquetConfiguration())
                    .withCompressionCodec(compression.codec())
                    .withCodecFactory(SnapshotCodecs.INSTANCE)
                    .withRowGroupSize(rowGroupBytes)
                    // keys and values are mostly distinct: dictionaries would be built and dropped
                    .withDictionaryEncoding(SnapshotFormat.COL_KEY, false)
                    .withDictionaryEncoding(SnapshotFormat.COL_VALUE, false)
                    // min/max of opaque values help no reader, nor of keys in hash order (every
                    // row group spans nearly the whole key range, so no reader could skip one)
                    .withStatisticsEnabled(SnapshotFormat.COL_VALUE, false)
                    .withStatisticsEnabled(SnapshotFormat.COL_KEY, false)
                    // collections' elements are as distinct and as opaque as keys and values
                    .withDictionaryEncoding("hash.key_value.key", false)
                    .withDictionaryEncoding("hash.key_value.value", false)
                    .withDictionaryEncoding("set.list.element", false)
                    .withStatisticsEnabled("hash.key_value.key", false)
                    .withStatisticsEnabled("hash.key_value.value", false)
                    .withStatisticsEnabled("set.list.element", false)
                    .withPageWriteChecksumEnabled(true)
                    .withEncryption(ParquetEncryption.forWriting(keys))
                    .build();
        } catch (IOException | RuntimeException | Error e) {
            output.discard();
            output.closeStream();
            deleteQuietly(tempFile);
            ACTIVE_TEMP_FILES.remove(activeKey(tempFile));
            throw e;
        }
    }

    /**
     * Starts a snapshot of the state at {@code walSeq} in {@code dir} (created if missing), stamped
     * with the current time.
     */
    public static ParquetSnapshotWriter create(Path dir, long walSeq, Compression compression) throws IOException {
        return create(dir, walSeq, compression, System.currentTimeMillis());
    }

    /** As {@link #create(Path, long, Compression)}, with the creation time given (injected clock). */
    public static ParquetSnapshotWriter create(Path dir, long walSeq, Compression compression, long createdMs)
            throws IOException {
        return create(dir, walSeq, compression, createdMs, DEFAULT_ROW_GROUP_BYTES);
    }

    /** As {@link #create(Path, long, Compression, long)}, with the row group size given. */
    public static ParquetSnapshotWriter create(Path dir, long walSeq, Compression compression, long createdMs,
            long rowGroupBytes) throws IOException {
        return create(dir, walSeq, compression, createdMs, rowGroupBytes, EncryptionKeys.NONE);
    }

    /** As {@link #create(Path, long, Compression)}, encrypted with {@code keys}' current key if it has one. */
    public static ParquetSnapshotWriter create(Path dir, long walSeq, Compression compression, EncryptionKeys keys)
            throws IOException {
        return create(dir, walSeq, compression, System.currentTimeMillis(), DEFAULT_ROW_GROUP_BYTES, keys);
    }

    /** As {@link #create(Path, long, Compression, long, long)}, encrypted with {@code keys}' current key if it has one. */
    public static ParquetSnapshotWriter create(Path dir, long walSeq, Compression compression, long createdMs,
            long rowGroupBytes, EncryptionKeys keys) throws IOException {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(compression, "compression");
        if (walSeq < 0) {
            throw new IllegalArgumentException("walSeq must be >= 0: " + walSeq);
        }
        if (createdMs < 0) {
            throw new IllegalArgumentException("createdMs must be >= 0: " + createdMs);
        }
        if (rowGroupBytes < 1024) {
            throw new IllegalArgumentException("rowGroupBytes too small: " + rowGroupBytes);
        }
        Files.createDirectories(dir);
        return new ParquetSnapshotWriter(dir, walSeq, createdMs, compression, rowGroupBytes, keys);
    }

    /**
     * Encodes one row (compression happens here too, page by page).
     *
     * @throws IllegalStateException after commit, abort or an earlier failure
     * @throws IOException           when the disk refuses; the writer is then failed: {@link #abort()} it
     */
    public void write(SnapshotRow row) throws IOException {
        Objects.requireNonNull(row, "row");
        if (state != State.OPEN) {
            throw new IllegalStateException("snapshot writer is " + state);
        }
        try {
            writer.write(row);
        } catch (IOException | RuntimeException | Error e) {
            state = State.FAILED;
            throw e;
        }
    }

    /** FUNCTION LOAD's libraries (name/source pairs) as of the snapshot's point in time, for the footer. */
    public void functions(java.util.List<byte[][]> libraries) {
        writeSupport.functions(libraries);
    }

    /**
     * Finishes the file and publishes it under its final name: footer written, file fsynced,
     * renamed atomically, directory fsynced. On failure the temp file is removed and the writer is
     * aborted.
     *
     * @return the final path
     */
    public Path commit() throws IOException {
        if (state != State.OPEN) {
            throw new IllegalStateException("snapshot writer is " + state);
        }
        try {
            writer.close();
            output.closeStream(); // already closed by Parquet; makes sure the descriptor is released
            try (FileChannel ch = FileChannel.open(tempFile, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tempFile, finalFile, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException | Error e) {
            state = State.FAILED;
            abort();
            throw e;
        }
        ACTIVE_TEMP_FILES.remove(activeKey(tempFile));
        state = State.COMMITTED;
        committedBytes = Files.size(finalFile);
        fsyncDirectory(dir);
        log.debug("snapshot {} committed: {} rows, {} bytes, {}", finalFile, rows(), committedBytes, compression);
        return finalFile;
    }

    /**
     * Gives up: stops Parquet without writing anything more, releases its buffers and codecs, and
     * deletes the temp file. Idempotent; does nothing after a successful commit. Never throws.
     */
    public void abort() {
        if (state == State.COMMITTED || state == State.ABORTED) {
            return;
        }
        state = State.ABORTED;
        output.discard();
        try {
            writer.close(); // fails fast on the discarded stream; releases compressors
        } catch (IOException | RuntimeException e) {
            log.trace("closing an aborted snapshot writer", e);
        }
        output.closeStream();
        deleteQuietly(tempFile);
        ACTIVE_TEMP_FILES.remove(activeKey(tempFile));
    }

    /** Aborts unless committed: lets try-with-resources clean up after an exception. */
    @Override
    public void close() {
        abort();
    }

    /** Rows written so far. */
    public long rows() {
        return writeSupport.rows();
    }

    /**
     * Bytes: before commit, written plus buffered by Parquet (an estimate of the final size); after
     * commit, the size of the final file.
     */
    public long bytes() {
        if (committedBytes >= 0) {
            return committedBytes;
        }
        if (state == State.OPEN) {
            return writer.getDataSize();
        }
        return 0;
    }

    public long walSeq() {
        return walSeq;
    }

    public long createdMs() {
        return createdMs;
    }

    public Compression compression() {
        return compression;
    }

    /** The temp file being written (gone after commit or abort). */
    public Path tempFile() {
        return tempFile;
    }

    /** The name the file gets on commit. */
    public Path finalFile() {
        return finalFile;
    }

    static boolean isActiveTempFile(Path p) {
        return ACTIVE_TEMP_FILES.contains(activeKey(p));
    }

    private static Path activeKey(Path p) {
        return p.toAbsolutePath().normalize();
    }

    static void fsyncDirectory(Path dir) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (AccessDeniedException | UnsupportedOperationException e) {
            return; // platforms that cannot open a directory (Windows): the rename is all we have
        }
        try (ch) {
            ch.force(true);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", p, e.toString());
        }
    }

    /** Builder wiring our WriteSupport in, whatever configuration Parquet passes. */
    private static final class Builder extends ParquetWriter.Builder<SnapshotRow, Builder> {
        private final SnapshotWriteSupport writeSupport;

        Builder(OutputFile file, SnapshotWriteSupport writeSupport) {
            super(file);
            this.writeSupport = writeSupport;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<SnapshotRow> getWriteSupport(Configuration conf) {
            return writeSupport;
        }

        @Override
        protected WriteSupport<SnapshotRow> getWriteSupport(ParquetConfiguration conf) {
            return writeSupport;
        }
    }

    /**
     * {@link LocalOutputFile} with a kill switch: after {@link #discard()} every write fails at once,
     * so closing an aborted Parquet writer does not flush a row group to disk. Keeps the stream so
     * its descriptor can be released even when Parquet gives up without closing it.
     */
    private static final class GuardedOutputFile implements OutputFile {
        private final LocalOutputFile delegate;
        private final Path path;
        private PositionOutputStream stream;
        private boolean discarded;

        GuardedOutputFile(Path path) {
            this.delegate = new LocalOutputFile(path);
            this.path = path;
        }

        @Override
        public PositionOutputStream create(long blockSizeHint) throws IOException {
            PositionOutputStream s = delegate.create(blockSizeHint); // CREATE_NEW
            stream = s;
            return new PositionOutputStream() {
                @Override
                public long getPos() throws IOException {
                    return s.getPos();
                }

                @Override
                public void write(int b) throws IOException {
                    check();
                    s.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    check();
                    s.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    check();
                    s.flush();
                }

                @Override
                public void close() throws IOException {
                    if (discarded) {
                        closeStream();
                        return;
                    }
                    s.close();
                }
            };
        }

        private void check() throws IOException {
            if (discarded) {
                throw new IOException("snapshot aborted: " + path);
            }
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
            throw new IOException("snapshot temp files are never overwritten: " + path);
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return -1;
        }

        @Override
        public String getPath() {
            return path.toString();
        }

        void discard() {
            discarded = true;
        }

        /** Closes the underlying stream, ignoring errors (nothing written after this matters). */
        void closeStream() {
            PositionOutputStream s = stream;
            if (s == null) {
                return;
            }
            try {
                s.close();
            } catch (IOException e) {
                log.trace("closing snapshot stream", e);
            }
        }
    }
}
