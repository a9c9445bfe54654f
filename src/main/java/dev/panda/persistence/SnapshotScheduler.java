package dev.panda.persistence;

import dev.panda.config.ServerConfig;
import dev.panda.persistence.crypto.EncryptionKeys;
import dev.panda.persistence.snapshot.Compression;
import dev.panda.persistence.snapshot.ParquetSnapshotWriter;
import dev.panda.persistence.snapshot.SnapshotDirectory;
import dev.panda.persistence.snapshot.SnapshotInfo;
import dev.panda.persistence.snapshot.SnapshotRow;
import dev.panda.persistence.storage.Archiver;
import dev.panda.store.Keyspace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ObjLongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parquet snapshots: BGSAVE (in the background), SAVE (in the foreground), BGSAVE SCHEDULE and
 * the save rules checked by cron. Once a snapshot is stored, the log segments and older
 * snapshots it covers are deleted and it is handed to the {@link Archiver}. Owns what is known
 * of the snapshots: the newest one's seq, size and time, the last attempt's outcome, and the
 * changes not yet in one.
 *
 * <p>Threads: the store thread, except {@link #drain} and the deletion of covered files. A
 * background snapshot is drained on the {@code panda-snapshot} writer thread (under SCHED_IDLE
 * where possible, see {@link IdlePriority}), or, once it starves there, on the
 * {@code panda-snapshot-urgent} thread at normal priority; either reads only the
 * {@link SnapshotJob}'s images of the databases into a Parquet file and hands the outcome back to
 * the store thread. Covered files are deleted on the writer thread.
 */
final class SnapshotScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(Persistence.class); // the façade's parts log under its one name
    /**
     * The idle-priority writer sleeps {@value #WRITER_PAUSE_NANOS} ns after every
     * {@value #WRITER_WORK_NANOS} ns of work. A CPU kept busy by a SCHED_IDLE thread is no longer
     * idle to the scheduler's balancing: the command thread, woken on the other CPU behind a
     * client, waited there 1.5-5 ms for its turn (perf sched) while this CPU ran the writer. When
     * the writer sleeps, its CPU goes idle and pulls such a waiting thread at once. Under a GET
     * load that keeps both cores of a 2-core machine busy, this took the p99 during BGSAVE from
     * 2.2-3.5 ms to 1.1-2.4 ms (work of 0.1-0.5 ms and pauses of 20-200 us measured alike).
     */
    private static final long WRITER_WORK_NANOS = 500_000;
    private static final long WRITER_PAUSE_NANOS = 50_000;
    /** How long a background snapshot may run at idle priority at least (else 3x the last one). */
    private static final long MIN_IDLE_GRACE_MILLIS = 10_000;

    private final ServerConfig config;
    private final Keyspace keyspace;
    private Path dir;
    private final WalCommitter log;
    /** Told of every snapshot stored: its seq and directory. */
    private java.util.function.BiConsumer<Long, Path> onStored = (seq, in) -> { };
    private final ScheduledExecutorService storeThread;
    private final ExecutorService snapshotWriter;
    /** Finishes a background snapshot that starved at idle priority. */
    private final ExecutorService snapshotUrgent;
    /** Whether the snapshot writer thread runs under SCHED_IDLE (set by that thread). */
    private volatile boolean writerIdle;
    /** Background snapshots finished at normal priority because they starved (writer threads). */
    private volatile long priorityRaises;
    private volatile long minIdleGraceMillis = MIN_IDLE_GRACE_MILLIS;

    /** Of {@link WalCommitter#changes}, those a stored snapshot covers. */
    private long changesSaved;
    /** {@link #changesSinceSave} when the running snapshot started: what it covers. */
    private long changesAtStart;
    private long lastSaveMillis;
    private boolean lastSaveOk = true;
    private long saves;
    private long lastSaveDurationMillis = -1;
    private long lastSnapshotSeq;
    private long lastSnapshotBytes;
    private SnapshotJob running;
    private boolean rerun;
    private long lastCaptureMicros;
    private long captures;
    private double captureRateGbPerSec;
    private ObjLongConsumer<String> latency = (event, ms) -> { };
    /** Where stored snapshots are copied; null without {@code use-s3}. */
    private Archiver archiver;

    /**
     * @param log         the log: committed and sealed before a snapshot, its covered segments
     *                    dropped after
     * @param storeThread the store thread (the event loop), for the writer thread's completion
     *                    callback
     */
    /** Encrypts new snapshots (with a current key) and reads old ones; set at start-up. */
    private volatile EncryptionKeys keys = EncryptionKeys.NONE;

    SnapshotScheduler(ServerConfig config, Keyspace keyspace, Path dir, WalCommitter log, ScheduledExecutorService storeThread) {
        this.config = config;
        this.keyspace = keyspace;
        this.dir = dir;
        this.log = log;
        this.storeThread = storeThread;
        // The writer runs under SCHED_IDLE where possible (see IdlePriority); a snapshot that
        // starves there is finished on a thread at normal priority.
        this.snapshotWriter = Executors.newSingleThreadExecutor(r -> daemon(() -> {
            writerIdle = IdlePriority.applyToCurrentThread();
            r.run();
        }, "panda-snapshot"));
        this.snapshotUrgent = Executors.newSingleThreadExecutor(r -> daemon(r, "panda-snapshot-urgent"));
        this.lastSaveMillis = keyspace.clock().nowMillis();
    }

    /** The keys snapshots are written and read with (start-up, before any snapshot). */
    void useKeys(EncryptionKeys keys) {
        this.keys = keys;
    }

    /** The keys in use (INFO shows the current key's id). Any thread. */
    EncryptionKeys keys() {
        return keys;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** See {@link Persistence#minIdleGraceMillis}. */
    void minIdleGraceMillis(long millis) {
        this.minIdleGraceMillis = millis;
    }

    /** Recovery loaded this snapshot: it is the newest, and later ones are numbered after it. */
    void loaded(SnapshotInfo info) {
        lastSnapshotSeq = info.walSeq();
        lastSnapshotBytes = info.fileSize();
        lastSaveMillis = info.createdMs();
    }

    /** From now on every stored snapshot is handed to the archiver. */
    void archiveTo(Archiver archiver) {
        this.archiver = archiver;
    }

    boolean inProgress() {
        return running != null;
    }

    /** The function libraries now, as name/source pairs (their arrays never change). Store thread. */
    private java.util.List<byte[][]> functionsNow() {
        java.util.List<byte[][]> out = new java.util.ArrayList<>();
        for (var lib : keyspace.functions().all()) {
            out.add(new byte[][] {lib.name().getBytes(java.nio.charset.StandardCharsets.UTF_8), lib.code()});
        }
        return out;
    }

    /** Snapshots go to {@code dir} from now on (CONFIG SET dir). */
    void useDir(Path dir) {
        this.dir = dir;
    }

    /** Where snapshots are stored. */
    Path dir() {
        return dir;
    }

    /** Tells {@code listener} of each snapshot stored, once the files it covers are let go. */
    void onStored(java.util.function.BiConsumer<Long, Path> listener) {
        this.onStored = listener;
    }

    /** Starts a background snapshot; false if one is already running. Store thread. */
    boolean bgsave() {
        return bgsave(dir);
    }

    /**
     * Starts a background snapshot into {@code into} (another directory while the data moves
     * there); false if one is already running. Store thread.
     */
    boolean bgsave(Path into) {
        if (running != null) {
            return false;
        }
        if (log.enabled()) {
            log.commit(); // not required (the file will hold every change up to seq), just keeps the log current
            log.sealAtSnapshot();
        }
        // Never below the loaded snapshot's seq: without a log (appendonly no) it would otherwise
        // be 0, and retention, which keeps the highest seq, would delete this newer snapshot.
        long seq = Math.max(log.lastSeq(), lastSnapshotSeq);
        long captureStart = System.nanoTime();
        SnapshotJob job = new SnapshotJob(keyspace, seq, keyspace.clock().nowMillis(), into);
        captured(System.nanoTime() - captureStart);
        running = job;
        changesAtStart = changesSinceSave();
        ParquetSnapshotWriter writer;
        try {
            writer = ParquetSnapshotWriter.create(into, seq, compression(), keys);
            writer.functions(functionsNow());
        } catch (IOException e) {
            running = null;
            job.abort();
            finishedSave(false, e.toString(), job, null);
            return true;
        }
        long grace = Math.max(minIdleGraceMillis, 3 * lastSaveDurationMillis);
        long promoteAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(grace);
        snapshotWriter.execute(() -> drain(job, writer, promoteAt));
        return true;
    }

    /**
     * A background snapshot captured its images, Panda's counterpart of Redis's fork: the
     * {@code fork} latency event and INFO latest_fork_usec / total_forks, and the rate LATENCY
     * DOCTOR judges (Redis's stat_fork_rate: memory in use over the fork's time, here the
     * dataset's).
     */
    private void captured(long nanos) {
        long micros = nanos / 1000;
        lastCaptureMicros = micros;
        captures++;
        captureRateGbPerSec = (double) keyspace.datasetBytes() * 1_000_000 / Math.max(1, micros) / (1024 * 1024 * 1024);
        latency.accept("fork", micros / 1000);
    }

    /** Store thread, once the data is loaded: the {@code fork} event goes to {@code latency}. */
    void reportLatencyTo(ObjLongConsumer<String> latency) {
        this.latency = latency;
    }

    /** INFO latest_fork_usec: how long the last background snapshot took to capture its images. */
    long lastCaptureMicros() {
        return lastCaptureMicros;
    }

    /** INFO total_forks: background snapshots started (their images captured). */
    long captures() {
        return captures;
    }

    /** LATENCY DOCTOR's fork rate in GB/s; 0 before the first background snapshot. */
    double captureRateGbPerSec() {
        return captureRateGbPerSec;
    }

    void resetCaptureStats() {
        lastCaptureMicros = 0;
        captures = 0;
        captureRateGbPerSec = 0;
    }

    /** Asks for a snapshot after the running one (BGSAVE SCHEDULE). */
    void scheduleAfterRunning() {
        rerun = true;
    }

    /**
     * Writer thread: rows to the Parquet file, then the outcome back to the store thread. At
     * {@code promoteAt} (System.nanoTime) a snapshot still running on the idle-priority thread is
     * starving (a saturated machine): the rest is written on the normal-priority thread. At idle
     * priority it pauses now and then ({@link #WRITER_WORK_NANOS}).
     */
    private void drain(SnapshotJob job, ParquetSnapshotWriter writer, long promoteAt) {
        String error = null;
        Path file = null;
        boolean idle = promoteAt != Long.MAX_VALUE && writerIdle; // the idle-priority thread (writerIdle set when it began)
        long workedSince = System.nanoTime();
        try {
            for (long n = 1; ; n++) {
                if ((n & 63) == 0 && idle && System.nanoTime() - workedSince >= WRITER_WORK_NANOS) {
                    LockSupport.parkNanos(WRITER_PAUSE_NANOS);
                    workedSince = System.nanoTime();
                }
                if ((n & 4095) == 0 && idle && System.nanoTime() - promoteAt > 0) {
                    LOG.info("background snapshot continues at normal priority: {} rows in, it got too little CPU time at idle priority",
                            n);
                    priorityRaises++; // this thread only
                    snapshotUrgent.execute(() -> drain(job, writer, Long.MAX_VALUE));
                    return;
                }
                SnapshotRow row = job.next();
                if (row == SnapshotJob.END) {
                    break;
                }
                writer.write(row);
            }
            if (job.aborted()) {
                writer.abort();
                error = "aborted";
            } else {
                file = writer.commit();
            }
        } catch (IOException | RuntimeException e) {
            writer.abort();
            error = e.toString();
        }
        long bytes = writer.bytes();
        String outcome = error;
        Path written = file;
        storeThread.execute(() -> {
            if (outcome == null) {
                lastSnapshotBytes = bytes;
                LOG.info("snapshot {} written: {} keys in {} rows, {} bytes", written.getFileName(), job.keys, job.rows, bytes);
            } else if (!"aborted".equals(outcome)) {
                LOG.error("snapshot failed: {}", outcome);
            }
            finishedSave(outcome == null, outcome, job, written);
        });
    }

    private void finishedSave(boolean ok, String error, SnapshotJob job, Path file) {
        job.release();
        if (running == job) {
            running = null;
        }
        if (ok) {
            saves++;
            lastSaveOk = true;
            lastSaveMillis = job.startedMillis;
            lastSaveDurationMillis = keyspace.clock().nowMillis() - job.startedMillis;
            lastSnapshotSeq = job.walSeq;
            changesSaved += changesAtStart;
            dropCoveredFiles(job);
            if (archiver != null) {
                archiver.enqueueSnapshot(file, job.walSeq, lastSnapshotBytes);
            }
            onStored.accept(job.walSeq, job.dir);
        } else if (!"aborted".equals(error)) {
            lastSaveOk = false;
        }
        if (rerun) {
            rerun = false;
            bgsave();
        }
    }

    /**
     * Waits until the files the last snapshot made unnecessary are deleted (DEBUG RELOAD lists
     * the directory next, and a segment must not vanish while it is read). Store thread, while no
     * snapshot runs: the writer thread then has only deletions queued, which take milliseconds.
     */
    void awaitDeletions() throws IOException {
        try {
            snapshotWriter.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while old files were deleted", e);
        } catch (java.util.concurrent.ExecutionException | RejectedExecutionException e) {
            // Shut down: deletions ran inline.
        }
    }

    /**
     * The log up to the snapshot's sequence is no longer needed, nor older snapshots. The log's
     * bookkeeping changes here; the files are deleted on the snapshot-writer thread, because
     * unlinking a 100 MB file takes tens of milliseconds that clients would otherwise wait.
     */
    private void dropCoveredFiles(SnapshotJob job) {
        // A snapshot stored elsewhere (the data is moving there) covers nothing here: the log
        // and snapshot left in this directory stay a complete copy until the move is done.
        List<Path> segments = job.dir.equals(dir) ? log.detachSegmentsCoveredBy(job.walSeq) : List.of();
        Path in = job.dir;
        Runnable deletion = () -> {
            try {
                if (!segments.isEmpty()) {
                    log.deleteDetached(segments);
                }
                new SnapshotDirectory(in, keys).deleteAllBut(1);
            } catch (IOException | RuntimeException e) {
                LOG.warn("could not delete covered files: {}", e.toString());
            }
        };
        try {
            snapshotWriter.execute(deletion);
        } catch (RejectedExecutionException e) { // shut down
            deletion.run();
        }
    }

    /** SAVE: a snapshot in the foreground, blocking clients as Redis's SAVE does. Store thread. */
    void save() throws IOException {
        if (log.enabled() && !log.commit()) {
            throw new IOException("the write-ahead log cannot be written: " + log.writeBlockedReason());
        }
        if (log.enabled()) {
            log.sealAtSnapshot();
        }
        long seq = Math.max(log.lastSeq(), lastSnapshotSeq);
        SnapshotJob job = new SnapshotJob(keyspace, seq, keyspace.clock().nowMillis(), dir);
        changesAtStart = changesSinceSave();
        ParquetSnapshotWriter writer = ParquetSnapshotWriter.create(dir, seq, compression(), keys);
        writer.functions(functionsNow());
        Path file;
        try {
            for (SnapshotRow row = job.next(); row != SnapshotJob.END; row = job.next()) {
                writer.write(row);
            }
            file = writer.commit();
        } catch (IOException | RuntimeException e) {
            job.release();
            writer.abort();
            lastSaveOk = false;
            throw e;
        }
        lastSnapshotBytes = writer.bytes();
        finishedSave(true, null, job, file);
    }

    private Compression compression() {
        return Compression.parse(config.get("snapshot-compression"));
    }

    /** Periodic check of the save rules (cron, store thread). */
    void cron(long now) {
        if (running == null && SavePolicy.of(config).due(now, lastSaveMillis, changesSinceSave())) {
            bgsave();
        }
    }

    /** Stops the running background snapshot, if any (shutdown); its writer discards the file. */
    void abortRunning() {
        if (running != null) {
            running.abort();
            running.release();
            running = null;
        }
    }

    /**
     * Stops the writer threads (shutdown), once they have done the file deletions queued on
     * them. After {@link #abortRunning}.
     */
    void stopWriters() {
        // The running snapshot was aborted: what is left to run are file deletions.
        snapshotWriter.shutdown();
        try {
            if (!snapshotWriter.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("old snapshot or log files are still being deleted; the next start deletes what is left");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        snapshotWriter.shutdownNow();
        snapshotUrgent.shutdownNow();
    }

    // ---- what is known of the snapshots (store thread, unless said) -----------------------------

    /** Changes not yet in a stored snapshot. */
    /** Snapshots written successfully since start-up (INFO rdb_saves). */
    long saves() {
        return saves;
    }

    long changesSinceSave() {
        return log.changes() - changesSaved;
    }

    /** When the newest snapshot was started (start-up time if none). */
    long lastSaveMillis() {
        return lastSaveMillis;
    }

    /** Whether the last snapshot attempt succeeded (true before any). */
    boolean lastSaveOk() {
        return lastSaveOk;
    }

    /** How long the last successful snapshot took; -1 if none yet. */
    long lastSaveDurationMillis() {
        return lastSaveDurationMillis;
    }

    /** When the running background snapshot started; only while {@link #inProgress}. */
    long runningSinceMillis() {
        return running.startedMillis;
    }

    /** The WAL sequence the newest snapshot covers. */
    long lastSnapshotSeq() {
        return lastSnapshotSeq;
    }

    /** Size of the newest snapshot file. */
    long lastSnapshotBytes() {
        return lastSnapshotBytes;
    }

    /** Whether the writer thread runs under SCHED_IDLE. Any thread. */
    boolean writerIdle() {
        return writerIdle;
    }

    /** Background snapshots finished at normal priority because they starved. Any thread. */
    long priorityRaises() {
        return priorityRaises;
    }
}
