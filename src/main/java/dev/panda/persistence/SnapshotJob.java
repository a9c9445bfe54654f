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
 * never wait behind a whole snapshot.
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
    private static final int ROWS_PER_STEP = 256;

    final long walSeq;
    final long startedMillis;
    private final Keyspace keyspace;
    private final LinkedBlockingQueue<SnapshotRow> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private int db;
    private long cursor;
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
            cursor = database.snapshotScan(cursor, ROWS_PER_STEP, (key, value, expireAt) -> {
                if (value instanceof byte[] bytes) {
                    queue.add(new SnapshotRow(dbIndex, key, "string", bytes, expireAt));
                    queued.incrementAndGet();
                    rows++;
                }
            });
            if (cursor == 0) {
                database.holdShape(false);
                db++;
                if (db == keyspace.databaseCount()) {
                    finished = true;
                    queue.add(END);
                    queued.incrementAndGet();
                }
            }
        }
        return true;
    }

    /** Stops producing (SWAPDB, shutdown); the writer then discards the file. Store thread. */
    void abort() {
        aborted = true;
        for (int i = 0; i < keyspace.databaseCount(); i++) {
            keyspace.db(i).holdShape(false);
        }
        queue.add(END);
    }

    boolean aborted() {
        return aborted;
    }

    /** The next row if one is ready, END when done, else null (SAVE drains on the store thread). */
    SnapshotRow poll() {
        SnapshotRow row = queue.poll();
        if (row != null) {
            queued.decrementAndGet();
        }
        return row;
    }

    /** The next row, END when done, or null if none arrived within 100 ms. Writer thread. */
    SnapshotRow take() throws InterruptedException {
        SnapshotRow row = queue.poll(100, TimeUnit.MILLISECONDS);
        if (row != null) {
            queued.decrementAndGet();
        }
        return row;
    }
}
