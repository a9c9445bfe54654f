package dev.panda.persistence.snapshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.schema.MessageType;

/**
 * Decodes a snapshot's rows on a thread of its own ({@code panda-snapshot-decode}) while the
 * caller's thread consumes them: reading, checksumming, decompressing and decoding pages overlap
 * with whatever the caller does with the rows (at start-up, inserting them into the keyspace),
 * which roughly halves a restart on two cores.
 *
 * <p>Rows travel in batches of {@value #BATCH_ROWS} through a queue of {@value #QUEUE_BATCHES}, so
 * memory stays bounded (one row group being read, plus the queued batches) however large the file.
 * Columns are read column by column rather than through Parquet's record assembly (the schema is
 * flat): keys and values by {@link PlainBinaryColumn}, the small columns by Parquet's column
 * readers.
 *
 * <p>Threads: constructed and consumed ({@link #next}, {@link #close}) by one caller thread; the
 * decode thread owns the {@link ParquetFileReader} until it ends, and {@link #close} waits for that.
 */
final class SnapshotDecoder implements AutoCloseable {
    static final int BATCH_ROWS = 2048;
    static final int QUEUE_BATCHES = 4;

    private static final Object END = new Object();

    private final Path file;
    private final ParquetFileReader reader;
    private final MessageType schema;
    private final String createdBy;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
    private final Thread thread;
    private volatile boolean stopped;
    private boolean ended;

    /** What the decode thread failed with, handed to the caller. */
    private record Failure(Throwable cause) {
    }

    private SnapshotDecoder(Path file, ParquetFileReader reader, MessageType schema) {
        this.file = file;
        this.reader = reader;
        this.schema = schema;
        this.createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
        this.thread = new Thread(this::run, "panda-snapshot-decode");
        thread.setDaemon(true);
    }

    /**
     * Starts decoding {@code reader}'s rows (its footer already checked) from its first row group,
     * with the schema of the file's format version.
     */
    static SnapshotDecoder start(Path file, ParquetFileReader reader, MessageType schema) {
        SnapshotDecoder decoder = new SnapshotDecoder(file, reader, schema);
        decoder.thread.start();
        return decoder;
    }

    /**
     * The next batch of rows (full except perhaps the last), or {@code null} after the last.
     *
     * @throws SnapshotFormatException when a row group or page cannot be read or decoded
     */
    SnapshotRow[] next() throws IOException {
        if (ended) {
            return null;
        }
        Object item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while loading snapshot " + file);
        }
        if (item == END) {
            ended = true;
            return null;
        }
        if (item instanceof Failure f) {
            ended = true;
            if (f.cause instanceof IOException io) {
                throw io;
            }
            if (f.cause instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) f.cause;
        }
        return (SnapshotRow[]) item;
    }

    /** Stops the decode thread (if still running) and waits for it; the reader is then free. */
    @Override
    public void close() {
        stopped = true;
        boolean interrupted = false;
        while (thread.isAlive()) {
            queue.clear(); // a decode thread blocked on a full queue sees the stop within its poll
            try {
                thread.join(100);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Object last;
        try {
            decodeAll();
            last = END;
        } catch (IOException | RuntimeException | Error e) {
            last = new Failure(e); // an Error too (out of memory): the caller must not wait for ever
        } catch (InterruptedException e) {
            return; // stopped by close()
        }
        try {
            hand(last);
        } catch (InterruptedException e) {
            // stopped by close()
        }
    }

    private void decodeAll() throws IOException, InterruptedException {
        List<ColumnDescriptor> columns = SnapshotFormat.SCHEMA_STRINGS.getColumns();
        boolean collections = schema.getColumns().size() > SnapshotFormat.FLAT_COLUMNS;
        SnapshotRecordMaterializer materializer = new SnapshotRecordMaterializer();
        long delivered = 0;
        for (int block = 0; !stopped; block++) {
            PageReadStore pages;
            try {
                pages = reader.readNextRowGroup();
            } catch (IOException | RuntimeException e) {
                throw damaged("row group after row " + delivered, e);
            }
            if (pages == null) {
                return;
            }
            long rows = pages.getRowCount();
            RowGroupColumns group;
            CollectionColumns nested;
            try {
                group = new RowGroupColumns(pages, reader.getRowGroups().get(block), columns, materializer);
                nested = collections ? new CollectionColumns(pages, reader.getRowGroups().get(block), schema, createdBy) : null;
            } catch (RuntimeException e) {
                throw damaged("row group after row " + delivered, e);
            }
            SnapshotRow[] batch = new SnapshotRow[(int) Math.min(BATCH_ROWS, rows)];
            int filled = 0;
            for (long i = 0; i < rows; i++) {
                try {
                    SnapshotRow row = group.nextRow();
                    batch[filled++] = nested == null ? row : nested.complete(row);
                } catch (IOException | RuntimeException e) {
                    throw damaged("row " + delivered, e);
                }
                delivered++;
                if (filled == batch.length) {
                    hand(batch);
                    batch = new SnapshotRow[(int) Math.min(BATCH_ROWS, rows - i - 1)];
                    filled = 0;
                }
            }
        }
    }

    /**
     * The columns of one row group, decoded directly where their chunks allow it (always, in files
     * Panda writes): keys and values by {@link PlainBinaryColumn}, the database, type and deadline
     * by {@link FlatColumn}. Any other chunk goes through Parquet's column readers and the
     * materializer's converters.
     */
    private final class RowGroupColumns {
        /** The columns other than key and value: database, type and deadline. */
        private static final int[] SMALL_COLUMNS = {SnapshotFormat.IDX_DB, SnapshotFormat.IDX_TYPE,
            SnapshotFormat.IDX_EXPIRE_AT_MS};

        private final SnapshotRecordMaterializer materializer;
        /** Parquet's readers of the columns not decoded directly, else null. */
        private final ColumnReader[] readers;
        private final int[] maxDefinition;
        private final PlainBinaryColumn keys;
        private final PlainBinaryColumn values;
        /** The database, type and deadline columns: all three decoded directly, or none. */
        private final FlatColumn dbs;
        private final FlatColumn types;
        private final FlatColumn deadlines;

        RowGroupColumns(PageReadStore pages, BlockMetaData block, List<ColumnDescriptor> columns,
                        SnapshotRecordMaterializer materializer) {
            this.materializer = materializer;
            keys = plain(pages, block, columns.get(SnapshotFormat.IDX_KEY));
            values = plain(pages, block, columns.get(SnapshotFormat.IDX_VALUE));
            boolean flat = true;
            for (int c : SMALL_COLUMNS) {
                flat &= FlatColumn.supports(columns.get(c), chunk(block, columns.get(c)));
            }
            dbs = flat ? FlatColumn.of(columns.get(SnapshotFormat.IDX_DB), pages) : null;
            types = flat ? FlatColumn.of(columns.get(SnapshotFormat.IDX_TYPE), pages) : null;
            deadlines = flat ? FlatColumn.of(columns.get(SnapshotFormat.IDX_EXPIRE_AT_MS), pages) : null;
            ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, materializer.getRootConverter(),
                    SnapshotFormat.SCHEMA_STRINGS, createdBy);
            readers = new ColumnReader[columns.size()];
            maxDefinition = new int[columns.size()];
            for (int c = 0; c < readers.length; c++) {
                boolean direct = c == SnapshotFormat.IDX_KEY ? keys != null
                        : c == SnapshotFormat.IDX_VALUE ? values != null
                        : flat; // one of the SMALL_COLUMNS
                if (!direct) {
                    readers[c] = store.getColumnReader(columns.get(c));
                    maxDefinition[c] = columns.get(c).getMaxDefinitionLevel();
                }
            }
        }

        private static ColumnChunkMetaData chunk(BlockMetaData block, ColumnDescriptor column) {
            for (ColumnChunkMetaData chunk : block.getColumns()) {
                if (Arrays.equals(chunk.getPath().toArray(), column.getPath())) {
                    return chunk;
                }
            }
            throw new IllegalStateException("no chunk for column " + column + " in a row group");
        }

        private static PlainBinaryColumn plain(PageReadStore pages, BlockMetaData block, ColumnDescriptor column) {
            return PlainBinaryColumn.of(chunk(block, column), pages.getPageReader(column));
        }

        SnapshotRow nextRow() throws IOException {
            if (dbs != null && keys != null && values != null) {
                return new SnapshotRow((int) dbs.nextLong(-1), keys.next(), types.nextString(null), values.next(),
                        deadlines.nextLong(SnapshotRow.NO_EXPIRY));
            }
            materializer.getRootConverter().start();
            for (int c = 0; c < readers.length; c++) {
                ColumnReader column = readers[c];
                if (column != null) {
                    if (column.getCurrentDefinitionLevel() == maxDefinition[c]) {
                        column.writeCurrentValueToConverter();
                    }
                    column.consume();
                }
            }
            if (dbs != null) {
                materializer.setSmallColumns((int) dbs.nextLong(-1), types.nextString(null),
                        deadlines.nextLong(SnapshotRow.NO_EXPIRY));
            }
            return materializer.currentRecordWith(keys != null ? keys.next() : null, values != null ? values.next() : null);
        }
    }

    /** Queues an item for the caller, giving up when {@link #close} stops the decoder. */
    private void hand(Object item) throws InterruptedException {
        while (!queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
            if (stopped) {
                throw new InterruptedException("stopped");
            }
        }
    }

    private SnapshotFormatException damaged(String where, Exception e) {
        return new SnapshotFormatException("snapshot " + file + " is damaged at " + where + ": " + e.getMessage(), e);
    }
}
