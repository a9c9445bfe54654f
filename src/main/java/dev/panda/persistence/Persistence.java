package dev.panda.persistence;

import dev.panda.config.ServerConfig;
import dev.panda.persistence.snapshot.Compression;
import dev.panda.persistence.snapshot.ParquetSnapshotReader;
import dev.panda.persistence.snapshot.ParquetSnapshotWriter;
import dev.panda.persistence.snapshot.SnapshotDirectory;
import dev.panda.persistence.snapshot.SnapshotInfo;
import dev.panda.persistence.snapshot.SnapshotRow;
import dev.panda.persistence.storage.Archiver;
import dev.panda.persistence.storage.S3BlobStore;
import dev.panda.persistence.storage.S3Settings;
import dev.panda.persistence.storage.StorageException;
import dev.panda.persistence.wal.WalFiles;
import dev.panda.persistence.wal.WalReader;
import dev.panda.persistence.wal.WalRecord;
import dev.panda.persistence.wal.WalReplayResult;
import dev.panda.persistence.wal.WalSegments;
import dev.panda.persistence.wal.WalWriter;
import dev.panda.store.Database;
import dev.panda.store.EffectLog;
import dev.panda.store.Keyspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Panda's durability: every change the keyspace reports is appended to the write-ahead log
 * (when {@code appendonly yes}) and made durable per {@code appendfsync} before replies are
 * released (see {@link Durability}); Parquet snapshots are taken in the background; start-up
 * recovery loads the newest snapshot and replays the log after it.
 *
 * <p>With {@code use-s3 yes} an {@link Archiver} also copies every stored snapshot and sealed
 * log segment to S3 on its own thread, and start-up restores from S3 what the local directory
 * lacks.
 *
 * <p>Threads: everything here runs on the store thread except the everysec fsync thread (which
 * only calls {@link WalWriter#sync}), the snapshot writer thread (which only reads a
 * {@link SnapshotJob}'s images of the databases into a Parquet file and hands the result back
 * to the store thread) and the archiver's upload thread.
 */
public final class Persistence implements Durability, EffectLog {
    private static final Logger LOG = LoggerFactory.getLogger(Persistence.class);
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
    private final Path dir;
    private final Path walDir;
    private final ScheduledExecutorService storeThread;
    private final ExecutorService snapshotWriter;
    /** Finishes a background snapshot that starved at idle priority. */
    private final ExecutorService snapshotUrgent;
    /** Whether the snapshot writer thread runs under SCHED_IDLE (set by that thread). */
    private volatile boolean writerIdle;
    /** Background snapshots finished at normal priority because they starved (writer threads). */
    private volatile long priorityRaises;
    private volatile long minIdleGraceMillis = MIN_IDLE_GRACE_MILLIS;
    private ScheduledExecutorService fsyncer;
    private WalWriter wal;
    private WalFiles walFiles = WalFiles.SYSTEM;
    private volatile String walError;

    private long changesSinceSave;
    /** changesSinceSave when the running snapshot started: what it covers. */
    private long changesAtStart;
    private long lastSaveMillis;
    private boolean lastSaveOk = true;
    private long lastSaveDurationMillis = -1;
    private long lastSnapshotSeq;
    private long lastSnapshotBytes;
    private SnapshotJob running;
    private boolean rerun;
    private String recoveryWarning = "";
    private long loadedKeys;
    /** Progress of the start-up load, read by INFO on the store thread while the loader runs. */
    private volatile long loadingProgress;
    /** Copies snapshots and sealed segments to S3; null without {@code use-s3}. */
    private Archiver archiver;
    private long lastSealMillis;

    /**
     * @param storeThread the store thread (the event loop), for the writer thread's completion
     *                    callback
     */
    public Persistence(ServerConfig config, Keyspace keyspace, ScheduledExecutorService storeThread) {
        this.config = config;
        this.keyspace = keyspace;
        this.dir = Path.of(config.get("dir"));
        this.walDir = dir.resolve("wal");
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

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * How long a background snapshot may run at idle priority at least before the rest is written
     * at normal priority (default 10 s; the grace is also at least 3x the last snapshot's
     * duration). Tests set 0 to take the normal-priority path.
     */
    public void minIdleGraceMillis(long millis) {
        this.minIdleGraceMillis = millis;
    }

    /** The file layer the log is written through; tests inject failures (a full disk) here. Before {@link #recover}. */
    public void useWalFiles(WalFiles files) {
        this.walFiles = files;
    }

    // ---- recovery ----------------------------------------------------------------------------

    /**
     * Loads the newest valid snapshot, then replays the log after the sequence it covers, then
     * opens the log for appending. Runs before clients are served (they get -LOADING). Throws
     * when existing data cannot be read: Panda never starts empty because of damage.
     */
    public void recover() throws IOException {
        Files.createDirectories(dir);
        keyspace.setEffectLog(EffectLog.NONE);
        long start = System.nanoTime();
        long snapshotSeq = 0;
        if (config.getBool("use-s3")) {
            openArchive();
        }
        Optional<SnapshotInfo> newest = new SnapshotDirectory(dir).newest();
        if (newest.isPresent()) {
            SnapshotInfo info = newest.get();
            int[] currentDb = {-1};
            ParquetSnapshotReader.forEach(info.file(), row -> {
                Database db = keyspace.db(row.db());
                if (row.db() != currentDb[0]) {
                    // Rows come database by database: room for all that remain, trimmed after.
                    currentDb[0] = row.db();
                    db.reserve((int) Math.min(Integer.MAX_VALUE / 2, info.keyCount() - loadedKeys));
                }
                db.loadAbsent(row.key(), row.value(), row.expireAtMs());
                if ((++loadedKeys & 1023) == 0) {
                    loadingProgress = loadedKeys;
                }
            });
            for (int i = 0; i < keyspace.databaseCount(); i++) {
                keyspace.db(i).fitToSize();
            }
            snapshotSeq = info.walSeq();
            lastSnapshotSeq = snapshotSeq;
            lastSnapshotBytes = info.fileSize();
            lastSaveMillis = info.createdMs();
            LOG.info("loaded snapshot {} ({} keys, WAL seq {})", info.file().getFileName(), loadedKeys, snapshotSeq);
        } else if (LegacyJsonImport.present(dir)) {
            loadedKeys = LegacyJsonImport.load(dir, keyspace.db(0));
            LOG.info("imported {} keys from the legacy {}", loadedKeys, LegacyJsonImport.FILE);
        }
        long lastSeq = snapshotSeq;
        long snapshotKeys = loadedKeys;
        WalReplayResult.End walEnd = null;
        if (Files.isDirectory(walDir)) {
            WalReplayResult result = WalReader.replay(walDir, snapshotSeq, this::apply, config.getBool("wal-load-truncated"));
            walEnd = result.end();
            lastSeq = Math.max(lastSeq, result.lastSeq());
            if (result.tornTailCut()) {
                recoveryWarning = "torn WAL tail cut: " + result.tornTail().describe();
                LOG.warn("write-ahead log: {}", recoveryWarning);
            }
            if (result.stoppedAtDamage()) {
                recoveryWarning = "WAL loaded up to damage (wal-load-truncated): " + result.stoppedAt().describe();
                LOG.warn("write-ahead log: {}", recoveryWarning);
            }
            LOG.info("replayed {} WAL records after seq {}", result.recordsApplied(), snapshotSeq);
        }
        if (config.getBool("appendonly")) {
            wal = WalWriter.open(walDir, lastSeq + 1, config.getLong("wal-segment-size"), walFiles, walEnd);
            startFsyncThread();
        }
        if (archiver != null) {
            startArchiving(newest);
        }
        keyspace.setEffectLog(this);
        LOG.info("data loaded in {} ms: {} keys", (System.nanoTime() - start) / 1_000_000, keyspace.size());
        if (newest.isEmpty() && LegacyJsonImport.present(dir) && snapshotKeys > 0) {
            save(); // the import becomes a Parquet snapshot at once; the JSON file is left untouched
        }
    }

    /**
     * Connects to S3 and brings from it what the local directory lacks. Refuses to start (throws)
     * when S3 rejects the settings, or cannot be reached and there is no local data, unless
     * {@code s3-start-offline}: starting empty could later overwrite good archived snapshots.
     */
    private void openArchive() throws IOException {
        S3Settings settings = S3Settings.of(config);
        if (settings.bucket().isEmpty()) {
            throw new IOException("use-s3 is on but s3-bucket is not set (PANDA_S3_BUCKET or --s3-bucket)");
        }
        archiver = new Archiver(new S3BlobStore(settings), config.getInt("s3-keep-snapshots"), keyspace.clock()::nowMillis);
        setStorageStatus(archiver);
        config.onChange("s3-keep-snapshots", v -> archiver.setKeepSnapshots(Integer.parseInt(v)));
        Optional<SnapshotInfo> local = new SnapshotDirectory(dir).newest();
        try {
            archiver.loadCatalog();
            archiver.restoreInto(dir, walDir, local.map(SnapshotInfo::walSeq).orElse(-1L));
        } catch (StorageException e) {
            boolean localData = local.isPresent() || LegacyJsonImport.present(dir)
                    || (Files.isDirectory(walDir) && !WalSegments.list(walFiles, walDir).isEmpty());
            boolean offline = config.getBool("s3-start-offline");
            if (e.misconfigured() && !offline) {
                throw new IOException(e.getMessage() + ". Refusing to start: fix the S3 settings, or set s3-start-offline yes"
                        + " to run from local data only", e);
            }
            if (!localData && !offline) {
                throw new IOException(e.getMessage() + ". Refusing to start: S3 is configured but cannot be read and there is no"
                        + " local data, so starting would begin empty; set s3-start-offline yes to start anyway", e);
            }
            LOG.warn("starting from local data only; archiving resumes when S3 answers: {}", e.getMessage());
            archiver.startedDegraded(e);
        }
    }

    /** Hands the archiver what is local and not yet archived, then every segment the log seals. */
    private void startArchiving(Optional<SnapshotInfo> loaded) {
        loaded.ifPresent(s -> archiver.enqueueSnapshot(s.file(), s.walSeq(), s.fileSize()));
        if (wal != null) {
            wal.sealedSegments().forEach(archiver::enqueueSegment);
            wal.onSeal(sealed -> {
                lastSealMillis = keyspace.clock().nowMillis();
                archiver.enqueueSegment(sealed);
            });
        }
        lastSealMillis = keyspace.clock().nowMillis();
        archiver.start();
    }

    /** Applies one replayed record to the keyspace (effects are off while loading). */
    private void apply(WalRecord record) {
        if ((++loadedKeys & 1023) == 0) {
            loadingProgress = loadedKeys;
        }
        if (record instanceof WalRecord.Set s) {
            keyspace.db(s.db()).set(s.key(), s.value(), s.expireAtMs());
        } else if (record instanceof WalRecord.Delete d) {
            keyspace.db(d.db()).delete(d.key());
        } else if (record instanceof WalRecord.ExpireAt e) {
            keyspace.db(e.db()).expireAt(e.key(), e.atMs());
        } else if (record instanceof WalRecord.Persist p) {
            keyspace.db(p.db()).persist(p.key());
        } else if (record instanceof WalRecord.FlushDb f) {
            keyspace.db(f.db()).flush();
        } else if (record instanceof WalRecord.SwapDb w) {
            keyspace.swap(w.a(), w.b());
        }
    }

    private void startFsyncThread() {
        fsyncer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "panda-fsync"));
        fsyncer.scheduleAtFixedRate(() -> {
            if (!"everysec".equals(config.get("appendfsync"))) {
                return;
            }
            try {
                wal.sync();
            } catch (IOException | RuntimeException e) {
                walError = "fsync failed: " + e.getMessage();
                LOG.error("write-ahead log {}", walError);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    // ---- EffectLog: changes to log records ------------------------------------------------------

    private void logged() {
        changesSinceSave++;
    }

    @Override
    public void set(int db, byte[] key, Object value, long expireAtMs) {
        logged();
        if (wal != null) {
            wal.appendSet(db, key, (byte) 0, (byte[]) value, expireAtMs);
        }
    }

    @Override
    public void delete(int db, byte[] key) {
        logged();
        if (wal != null) {
            wal.appendDelete(db, key);
        }
    }

    @Override
    public void expireAt(int db, byte[] key, long expireAtMs) {
        logged();
        if (wal != null) {
            wal.appendExpireAt(db, key, expireAtMs);
        }
    }

    @Override
    public void persist(int db, byte[] key) {
        logged();
        if (wal != null) {
            wal.appendPersist(db, key);
        }
    }

    @Override
    public void flushDb(int db) {
        logged();
        if (wal != null) {
            wal.appendFlushDb(db);
        }
    }

    @Override
    public void swapDb(int a, int b) {
        logged();
        if (wal != null) {
            wal.appendSwapDb(a, b);
        }
    }

    // ---- Durability: group commit ---------------------------------------------------------------

    @Override
    public boolean hasPending() {
        return wal != null && wal.hasPending();
    }

    @Override
    public boolean commit() {
        try {
            wal.write();
            if ("always".equals(config.get("appendfsync"))) {
                wal.sync();
            }
            if (!wal.healthy()) {
                // An fsync failed: the kernel may have dropped written pages, so nothing written
                // since can be trusted to be on disk. Refuse writes until a restart replays the log.
                walError = "fsync failed (" + wal.lastError() + "); restart the server";
                return false;
            }
            if (walError != null) {
                LOG.info("write-ahead log writable again");
                walError = null;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            if (walError == null) {
                LOG.error("write-ahead log write failed: {}", e.toString());
            }
            walError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return false;
        }
    }

    @Override
    public String writeBlockedReason() {
        return walError;
    }

    // ---- snapshots ------------------------------------------------------------------------------

    public boolean snapshotInProgress() {
        return running != null;
    }

    /** Starts a background snapshot; false if one is already running. Store thread. */
    public boolean bgsave() {
        if (running != null) {
            return false;
        }
        if (wal != null) {
            commit(); // not required (the file will hold every change up to seq), just keeps the log current
            sealLogAtSnapshot();
        }
        // Never below the loaded snapshot's seq: without a log (appendonly no) it would otherwise
        // be 0, and retention, which keeps the highest seq, would delete this newer snapshot.
        long seq = Math.max(wal != null ? wal.lastSeq() : 0, lastSnapshotSeq);
        SnapshotJob job = new SnapshotJob(keyspace, seq, keyspace.clock().nowMillis());
        running = job;
        changesAtStart = changesSinceSave;
        ParquetSnapshotWriter writer;
        try {
            writer = ParquetSnapshotWriter.create(dir, seq, compression());
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
     * Changes after the snapshot's seq go to a new segment, so the segments it covers can be
     * deleted whole once it is stored. Sealed now rather than at the next write, so that they
     * go then even if no write follows.
     */
    private void sealLogAtSnapshot() {
        try {
            wal.sealNow();
        } catch (IOException e) {
            wal.roll(); // the failure is the writer's to report; roll at the next write instead
        }
    }

    /** Asks for a snapshot after the running one (BGSAVE SCHEDULE). */
    public void scheduleAfterRunning() {
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
                LOG.info("snapshot {} written: {} keys, {} bytes", written.getFileName(), job.rows, bytes);
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
            lastSaveOk = true;
            lastSaveMillis = job.startedMillis;
            lastSaveDurationMillis = keyspace.clock().nowMillis() - job.startedMillis;
            lastSnapshotSeq = job.walSeq;
            changesSinceSave -= changesAtStart;
            dropCoveredLog(job.walSeq);
            if (archiver != null) {
                archiver.enqueueSnapshot(file, job.walSeq, lastSnapshotBytes);
            }
        } else if (!"aborted".equals(error)) {
            lastSaveOk = false;
        }
        if (rerun) {
            rerun = false;
            bgsave();
        }
    }

    /**
     * The log up to the snapshot's sequence is no longer needed, nor older snapshots. The log's
     * bookkeeping changes here; the files are deleted on the snapshot-writer thread, because
     * unlinking a 100 MB file takes tens of milliseconds that clients would otherwise wait.
     */
    private void dropCoveredLog(long seq) {
        List<Path> segments = wal != null ? wal.detachSegmentsCoveredBy(seq) : List.of();
        WalWriter log = wal;
        Runnable deletion = () -> {
            try {
                if (!segments.isEmpty()) {
                    log.deleteDetached(segments);
                }
                new SnapshotDirectory(dir).deleteAllBut(1);
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
    public void save() throws IOException {
        if (wal != null && !commit()) {
            throw new IOException("the write-ahead log cannot be written: " + walError);
        }
        if (wal != null) {
            sealLogAtSnapshot();
        }
        long seq = Math.max(wal != null ? wal.lastSeq() : 0, lastSnapshotSeq);
        SnapshotJob job = new SnapshotJob(keyspace, seq, keyspace.clock().nowMillis());
        changesAtStart = changesSinceSave;
        ParquetSnapshotWriter writer = ParquetSnapshotWriter.create(dir, seq, compression());
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
    public void cron() {
        long now = keyspace.clock().nowMillis();
        if (running == null && SavePolicy.of(config).due(now, lastSaveMillis, changesSinceSave)) {
            bgsave();
        }
        long archiveInterval = config.getLong("wal-archive-interval") * 1000;
        if (archiver != null && wal != null && archiveInterval > 0 && now - lastSealMillis >= archiveInterval) {
            lastSealMillis = now;
            if (wal.currentSegmentFirstSeq() >= 0) {
                try {
                    wal.sealNow(); // the archiver is told through onSeal
                } catch (IOException e) {
                    LOG.warn("could not seal the WAL segment for archiving: {}", e.toString());
                }
            }
        }
    }

    /**
     * Makes everything durable and stops the background threads (SHUTDOWN, SIGTERM). A final
     * snapshot is taken when {@code save} is true, or when it is null and save rules exist.
     * Store thread.
     */
    public void shutdown(Boolean save) {
        if (running != null) {
            running.abort();
            running.release();
            running = null;
        }
        if (wal != null) {
            commit();
        }
        if (Boolean.TRUE.equals(save) || (save == null && SavePolicy.of(config).any())) {
            try {
                save();
            } catch (IOException e) {
                LOG.error("final snapshot failed: {}", e.toString());
            }
        }
        if (wal != null) {
            try {
                wal.close();
            } catch (IOException e) {
                LOG.error("closing the write-ahead log failed: {}", e.toString());
            }
        }
        if (fsyncer != null) {
            fsyncer.shutdownNow();
        }
        // The running snapshot was aborted above: what is left to run are file deletions.
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
        if (archiver != null) {
            Duration wait = Duration.ofMillis(config.getLong("s3-timeout") * 2);
            if (!archiver.drain(wait)) {
                LOG.warn("archive backlog of {} file(s) not uploaded; it stays on local disk and uploads after the next start",
                        archiver.status().backlog());
            }
            archiver.close();
        }
    }

    // ---- visibility ---------------------------------------------------------------------------

    public long lastSaveMillis() {
        return lastSaveMillis;
    }

    /** INFO persistence fields, with Redis's names where they apply. */
    public void info(StringBuilder out, boolean loading) {
        field(out, "loading", loading ? 1 : 0);
        if (loading) {
            field(out, "loading_loaded_keys", loadingProgress); // snapshot rows plus log records so far
        }
        field(out, "async_loading", 0);
        field(out, "rdb_changes_since_last_save", changesSinceSave);
        field(out, "rdb_bgsave_in_progress", running != null ? 1 : 0);
        field(out, "rdb_last_save_time", lastSaveMillis / 1000);
        field(out, "rdb_last_bgsave_status", lastSaveOk ? "ok" : "err");
        field(out, "rdb_last_bgsave_time_sec", lastSaveDurationMillis < 0 ? -1 : lastSaveDurationMillis / 1000);
        field(out, "rdb_current_bgsave_time_sec", running != null ? (keyspace.clock().nowMillis() - running.startedMillis) / 1000 : -1);
        field(out, "aof_enabled", wal != null ? 1 : 0);
        field(out, "aof_rewrite_in_progress", 0);
        field(out, "aof_last_write_status", walError == null ? "ok" : "err");
        field(out, "aof_last_bgrewrite_status", "ok");
        field(out, "panda_wal_fsync", config.get("appendfsync"));
        field(out, "panda_wal_bytes", wal != null ? wal.totalBytes() : 0);
        field(out, "panda_wal_segments", wal != null ? wal.segmentCount() : 0);
        field(out, "panda_wal_last_seq", wal != null ? wal.lastSeq() : 0);
        field(out, "panda_wal_error", walError == null ? "" : walError);
        field(out, "panda_snapshot_bytes", lastSnapshotBytes);
        field(out, "panda_snapshot_wal_seq", lastSnapshotSeq);
        field(out, "panda_snapshot_writer_priority", writerIdle ? "idle" : "normal");
        field(out, "panda_snapshot_priority_raises", priorityRaises);
        if (archiver == null) {
            field(out, "panda_storage", "local");
        } else {
            Archiver.Status a = archiver.status();
            field(out, "panda_storage", a.backend());
            field(out, "panda_storage_state", a.degraded() ? "degraded" : "ok");
            field(out, "panda_storage_degraded_since", a.degradedSinceMs() / 1000);
            field(out, "panda_storage_last_upload_time", a.lastUploadMs() / 1000);
            field(out, "panda_storage_uploads", a.uploads());
            field(out, "panda_storage_upload_failures", a.failures());
            field(out, "panda_storage_upload_backlog", a.backlog());
            field(out, "panda_storage_upload_backlog_bytes", a.backlogBytes());
            field(out, "panda_storage_archived_snapshot_wal_seq", a.archivedSnapshotSeq());
            field(out, "panda_storage_last_error", a.degraded() ? a.lastError().replace("\r", " ").replace("\n", " ") : "");
        }
        field(out, "panda_recovery_warning", recoveryWarning);
    }

    private static void field(StringBuilder out, String name, Object value) {
        out.append(name).append(':').append(value).append("\r\n");
    }

    // ---- metrics (dev.panda.metrics) -----------------------------------------------------------

    private volatile StorageStatus storageStatus = StorageStatus.LOCAL;

    /** The log's and snapshots' numbers for the metrics endpoint. Store thread, not while loading. */
    public PersistenceMetrics metrics() {
        return new PersistenceMetrics(wal != null, walError == null, wal != null ? wal.bytesWritten() : 0,
                wal != null ? wal.totalBytes() : 0, wal != null ? wal.segmentCount() : 0,
                wal != null ? wal.writeFailures() : 0, wal != null ? wal.fsyncFailures() : 0,
                wal != null ? wal.fsyncLatency().snapshot() : null, changesSinceSave, running != null, lastSaveOk,
                lastSaveMillis, lastSaveDurationMillis, lastSnapshotBytes);
    }

    /** The storage backend's state for the panda_storage_* metrics. Any thread. */
    public StorageStatus storageStatus() {
        return storageStatus;
    }

    /** Where a remote backend (S3) reports its state; {@link StorageStatus#LOCAL} until then. */
    public void setStorageStatus(StorageStatus status) {
        this.storageStatus = status;
    }

    /** The seed's STATS line. */
    public String stats() {
        String storage = "Local (" + config.get("dir") + ")";
        if (archiver != null) {
            Archiver.Status a = archiver.status();
            storage = a.backend() + (a.degraded() ? " degraded since " + java.time.Instant.ofEpochMilli(a.degradedSinceMs())
                    + ", backlog " + a.backlog() + " files, local copies in " + config.get("dir") : " ok");
        }
        return String.format(Locale.ROOT, "Storage: %s, Parquet: %s, WAL: %s, In-memory: %d keys, Pending: %d ops",
                storage, kb(lastSnapshotBytes), kb(wal != null ? wal.totalBytes() : 0), keyspace.size(), changesSinceSave);
    }


    private static String kb(long bytes) {
        return bytes < 1024 ? bytes + "B" : (bytes + 512) / 1024 + "KB";
    }
}
