package dev.panda.persistence;

import dev.panda.persistence.snapshot.ParquetSnapshotWriter;
import dev.panda.persistence.snapshot.SnapshotRow;
import dev.panda.store.DatabaseImage;
import dev.panda.store.ElementCursor;
import dev.panda.store.Keyspace;
import dev.panda.store.value.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One snapshot: point-in-time images of every database ({@link DatabaseImage}), taken at once
 * on the store thread when the snapshot starts, and read as rows by the snapshot writer thread.
 * The store thread does no walking at all: commands that change a table page the snapshot has
 * not read yet copy that page first (copy-on-write, as a forked Redis child has from the
 * kernel), and reads cost nothing.
 *
 * <p>Consistency: the images hold exactly the state at WAL sequence {@link #walSeq}, so the file
 * plus the log after that sequence is every later state, SWAPDB and FLUSHALL included.
 *
 * <p>Threads: built, {@linkplain #abort aborted} and {@linkplain #release released} on the
 * store thread; {@link #next} on one reader at a time (the writer thread, the thread that
 * finishes a starved snapshot after it, or the store thread for SAVE), handed over through an
 * executor.
 */
final class SnapshotJob {
    /** Marks the end of the rows. */
    static final SnapshotRow END = SnapshotRow.string(0, new byte[0], new byte[0], -1); // compared by identity

    final long walSeq;
    final long startedMillis;
    /** The directory the file goes to. */
    final java.nio.file.Path dir;
    private final Keyspace keyspace;
    private final int epoch;
    private final List<DatabaseImage> images;
    private int current;
    /** The collection being written in chunks, and its row's other columns; null between keys. */
    private ElementCursor elements;
    private int elementsDb;
    private byte[] elementsKey;
    private ValueType elementsType;
    private long elementsExpireAtMs;
    private int chunk;
    /** The stream being written, row by row; null between keys. */
    private StreamRows streamRows;
    /** The reader's buffers for one chunk, copied to its exact size for each row. */
    private final byte[][] scratchArrays = new byte[ParquetSnapshotWriter.MAX_CHUNK_ELEMENTS][];
    private final int[] scratchSlices = new int[2 * ParquetSnapshotWriter.MAX_CHUNK_ELEMENTS];
    private volatile boolean aborted;
    /** Rows and keys read so far (the reader's; read by the store thread after the hand-back). */
    long rows;
    long keys;

    SnapshotJob(Keyspace keyspace, long walSeq, long startedMillis, java.nio.file.Path dir) {
        this.walSeq = walSeq;
        this.dir = dir;
        this.startedMillis = startedMillis;
        this.keyspace = keyspace;
        this.epoch = keyspace.snapshots().begin();
        this.images = new ArrayList<>(keyspace.databaseCount());
        for (int i = 0; i < keyspace.databaseCount(); i++) {
            images.add(keyspace.db(i).freeze(epoch));
        }
    }

    /**
     * Reader: the next row, or {@link #END} when there are no more (or the job was aborted). A
     * collection comes as one row per chunk of at most {@link ParquetSnapshotWriter#MAX_CHUNK_ELEMENTS}
     * elements or about {@link ParquetSnapshotWriter#MAX_CHUNK_BYTES} bytes.
     */
    SnapshotRow next() {
        while (!aborted) {
            if (streamRows != null) {
                SnapshotRow row = streamRows.next();
                if (row != null) {
                    rows++;
                    return row;
                }
                streamRows = null;
            }
            if (elements != null) {
                SnapshotRow row = nextChunk();
                if (row != null) {
                    rows++;
                    return row;
                }
                elements = null;
            }
            if (current == images.size()) {
                break;
            }
            DatabaseImage image = images.get(current);
            if (!image.advance()) {
                current++;
                continue;
            }
            byte[] key = Arrays.copyOfRange(image.keyArray(), image.keyOffset(), image.keyOffset() + image.keyLength());
            ValueType type = image.type();
            keys++;
            if (type == ValueType.STRING) {
                rows++;
                byte[] value = Arrays.copyOfRange(image.valueArray(), image.valueOffset(),
                        image.valueOffset() + image.valueLength());
                return new SnapshotRow(image.db(), key, SnapshotRow.TYPE_STRING, value, image.expireAtMs());
            }
            if (type == ValueType.STREAM) {
                streamRows = new StreamRows(image.db(), key, image.expireAtMs(), image.stream());
                continue;
            }
            elements = image.elements();
            elementsDb = image.db();
            elementsKey = key;
            elementsType = type;
            elementsExpireAtMs = image.expireAtMs();
            chunk = 0;
        }
        return END;
    }

    /**
     * The collection's next chunk, or null when its elements are all written. Elements are
     * handed over as slices of the image's arrays, not copied: nothing writes to an array a
     * running snapshot can see.
     */
    private SnapshotRow nextChunk() {
        byte[][] arrays = scratchArrays;
        int[] slices = scratchSlices;
        int n = 0;
        long bytes = 0;
        int pairSize = elementsType == ValueType.HASH || elementsType == ValueType.ZSET ? 2 : 1;
        while (n + pairSize <= ParquetSnapshotWriter.MAX_CHUNK_ELEMENTS && bytes < ParquetSnapshotWriter.MAX_CHUNK_BYTES) {
            if (!elements.next()) {
                break;
            }
            for (int i = 0; i < pairSize; i++) {
                if (i > 0 && !elements.next()) {
                    throw new IllegalStateException("an unpaired element in a snapshot image");
                }
                arrays[n] = elements.array();
                slices[2 * n] = elements.offset();
                slices[2 * n + 1] = elements.length();
                bytes += elements.length();
                n++;
            }
        }
        if (n == 0) {
            return null;
        }
        return SnapshotRow.sliced(elementsDb, elementsKey, elementsType.typeName(), elementsExpireAtMs, chunk++,
                Arrays.copyOf(arrays, n), Arrays.copyOf(slices, 2 * n));
    }

    /** Stops the rows (shutdown); the writer then discards the file. Store thread. */
    void abort() {
        aborted = true;
    }

    boolean aborted() {
        return aborted;
    }

    /** Store thread, when the snapshot is over however it ended: commands stop copying pages for it. */
    void release() {
        images.forEach(DatabaseImage::release);
        keyspace.snapshots().end(epoch);
    }
}
