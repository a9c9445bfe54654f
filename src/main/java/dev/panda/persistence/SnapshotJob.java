package dev.panda.persistence;

import dev.panda.persistence.snapshot.SnapshotRow;
import dev.panda.store.Database;
import dev.panda.store.Keyspace;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Walks the keyspace for one snapshot in small, time-budgeted slices on the store thread and
 * hands the rows to the snapshot writer thread through a bounded hand-off queue, so clients
 * never wait behind a whole snapshot. Rows travel in chunks of {@value #CHUNK_ROWS}: one queue
 * operation (a lock and a signal the writer thread also contends for) per row made producing
 * cost as much as walking the table.
 *
 * <p>Consistency: the snapshot records the WAL sequence S reached when it started. Keys are
 * read as they are when their slice runs, so a key changed after S may appear with its newer
 * value; every such change is also in the WAL after S, and replaying those absolute effects
 * (set, delete, deadline) on top of the file gives exactly the state at any later point. The
 * one effect that is not absolute per key, SWAPDB, aborts a running snapshot (it is retried).
 * Databases do not shrink while they are walked, so each key appears once.
 *
 * <p>{@link #produce} runs on the store thread; {@link #take} on the writer thread.
 */
final class SnapshotJob {
    /** Marks the end of the rows. */
    static final SnapshotRow END = SnapshotRow.string(0, new byte[0], new byte[0], -1); // compared by identity
    private static final int MAX_QUEUED_ROWS = 64 * 1024;
    /** Classes (about as many slots, half of them used) walked per step between time checks. */
    private static final int CLASSES_PER_STEP = 512;
    static final int CHUNK_ROWS = 512;
    private static final SnapshotRow[] END_CHUNK = {END};

    final long walSeq;
    final long startedMillis;
    private final Keyspace keyspace;
    private final LinkedBlockingQueue<SnapshotRow[]> queue = new LinkedBlockingQueue<>();
    /** Rows in the queue's chunks. */
    private final AtomicInteger queued = new AtomicInteger();
    /** The chunk being filled (store thread). */
    private SnapshotRow[] filling = new SnapshotRow[CHUNK_ROWS];
    private int filled;
    /** The chunk being drained and the position in it (the one consumer's). */
    private SnapshotRow[] draining;
    private int drained;
    private int db;
    /** The database's capacity when its walk began (0: not begun) and the next class to walk. */
    private int classes;
    private int cursor;
    private boolean finished;
    private volatile boolean aborted;
    long rows;

    SnapshotJob(Keyspace keyspace, long walSeq, long startedMillis) {
        this.keyspace = keyspace;
        this.walSeq = walSeq;
        this.startedMillis = startedMillis;
        for (int i = 0; i < keyspace.databaseCount(); i++) {
            keyspace.db(i).holdShape(true);
        }
    }

    /**
     * Produces rows for at most {@code budgetNanos} (or until the queue is full); returns true
     * when every row, and the end marker, has been handed over.
     */
    boolean produce(long budgetNanos) {
        long start = System.nanoTime();
        while (!finished && !aborted) {
            if (queued.get() >= MAX_QUEUED_ROWS || System.nanoTime() - start > budgetNanos) {
                return false;
            }
            Database database = keyspace.db(db);
            final int dbIndex = db;
            if (classes == 0) {
                classes = database.capacity();
            }
            int to = Math.min(classes, cursor + CLASSES_PER_STEP);
            database.snapshotVisit(classes, cursor, to, (key, value, expireAt) -> {
                if (value instanceof byte[] bytes) {
                    filling[filled++] = new SnapshotRow(dbIndex, key, "string", bytes, expireAt);
                    rows++;
                    if (filled == CHUNK_ROWS) {
                        handOver();
                    }
                }
            });
            cursor = to;
            if (cursor == classes) {
                database.holdShape(false);
                classes = 0;
                cursor = 0;
                db++;
                if (db == keyspace.databaseCount()) {
                    finished = true;
                    handOver();
                    queue.add(END_CHUNK);
                    queued.incrementAndGet();
                }
            }
        }
        return true;
    }

    /** Queues the rows gathered so far as one chunk. */
    private void handOver() {
        if (filled == 0) {
            return;
        }
        SnapshotRow[] chunk = filled == CHUNK_ROWS ? filling : java.util.Arrays.copyOf(filling, filled);
        queue.add(chunk);
        queued.addAndGet(chunk.length);
        filling = new SnapshotRow[CHUNK_ROWS];
        filled = 0;
    }

    /** Stops producing (SWAPDB, shutdown); the writer then discards the file. Store thread. */
    void abort() {
        aborted = true;
        for (int i = 0; i < keyspace.databaseCount(); i++) {
            keyspace.db(i).holdShape(false);
        }
        queue.add(END_CHUNK);
    }

    boolean aborted() {
        return aborted;
    }

    /** The next row if one is ready, END when done, else null (SAVE drains on the store thread). */
    SnapshotRow poll() {
        if (draining == null || drained == draining.length) {
            draining = queue.poll();
            drained = 0;
            if (draining == null) {
                return null;
            }
            queued.addAndGet(-draining.length);
        }
        return draining[drained++];
    }

    /** The next row, END when done, or null if none arrived within 100 ms. Writer thread. */
    SnapshotRow take() throws InterruptedException {
        if (draining == null || drained == draining.length) {
            draining = queue.poll(100, TimeUnit.MILLISECONDS);
            drained = 0;
            if (draining == null) {
                return null;
            }
            queued.addAndGet(-draining.length);
        }
        return draining[drained++];
    }
}
