package dev.panda.persistence;

import dev.panda.config.ServerConfig;
import dev.panda.persistence.crypto.EncryptionKeys;
import dev.panda.persistence.snapshot.SnapshotInfo;
import dev.panda.persistence.storage.Archiver;
import dev.panda.persistence.storage.StorageStatus;
import dev.panda.persistence.wal.WalFiles;
import dev.panda.persistence.wal.WalWriter;
import dev.panda.store.Effects;
import dev.panda.store.Keyspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
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
 * <p>A façade over one part per job: {@link Recovery} (start-up), {@link WalCommitter} (the log
 * and its group commit), {@link SnapshotScheduler} (snapshots and the files they make
 * unnecessary) and {@link PersistenceReport} (INFO, STATS, metrics). It orders start-up and
 * shutdown across them and holds the archiver from its opening at start-up to its close.
 *
 * <p>Threads: the store thread, except {@link #recover} (the thread that loads the data, before
 * the store thread serves clients) and {@link #storageStatus} (any thread). Each part says which
 * of its work runs elsewhere: the everysec fsync thread (which only calls {@link WalWriter#sync}),
 * the snapshot writer thread (which only reads a {@link SnapshotJob}'s images of the databases
 * into a Parquet file and hands the result back to the store thread) and the archiver's upload
 * thread.
 */
public final class Persistence implements Durability {
    private static final Logger LOG = LoggerFactory.getLogger(Persistence.class);

    private final ServerConfig config;
    private final Keyspace keyspace;
    private final ScheduledExecutorService storeThread;
    private Path dir;
    private final WalCommitter log;
    private final SnapshotScheduler snapshots;
    private final Recovery recovery;
    private final PersistenceReport report;
    /** Copies snapshots and sealed segments to S3; null without {@code use-s3}. */
    private Archiver archiver;
    /** Set once {@link #recover} has loaded the data: before that, shutdown must write nothing. */
    private boolean recovered;
    /**
     * The seqs a snapshot must cover before a log turned on live counts ({@link LogBaseMarker}):
     * one per time it was turned on since the last such snapshot; empty if none.
     */
    private final java.util.SortedSet<Long> pendingBases = new java.util.TreeSet<>();
    /** The directory the data is moving to (CONFIG SET dir with the log on); null if none. */
    private Path moveTarget;
    /** Where CONFIG SET dir last asked the data to be (absolute); null before any. */
    private Path wantedDir;
    /** When a snapshot the log or a move waits for was last asked for; retried after a failure. */
    private long neededSnapshotAskedMillis;
    private static final long RETRY_MILLIS = 5_000;

    /**
     * @param storeThread the store thread (the event loop), for the writer thread's completion
     *                    callback
     */
    public Persistence(ServerConfig config, Keyspace keyspace, ScheduledExecutorService storeThread) {
        this.config = config;
        this.keyspace = keyspace;
        this.storeThread = storeThread;
        this.dir = Path.of(config.get("dir"));
        Path walDir = dir.resolve("wal");
        this.log = new WalCommitter(config, walDir, keyspace.clock());
        this.snapshots = new SnapshotScheduler(config, keyspace, dir, log, storeThread);
        this.recovery = new Recovery(config, keyspace, dir, walDir, snapshots);
        this.report = new PersistenceReport(config, keyspace, recovery, log, snapshots, this::basePending);
        snapshots.onStored(this::snapshotStored);
        config.onApply(java.util.Set.of("appendonly"), this::applyAppendonly);
        config.onApply(java.util.Set.of("dir"), this::applyDir);
    }

    /**
     * How long a background snapshot may run at idle priority at least before the rest is written
     * at normal priority (default 10 s; the grace is also at least 3x the last snapshot's
     * duration). Tests set 0 to take the normal-priority path.
     */
    public void minIdleGraceMillis(long millis) {
        snapshots.minIdleGraceMillis(millis);
    }

    /** The file layer the log is written through; tests inject failures (a full disk) here. Before {@link #recover}. */
    public void useWalFiles(WalFiles files) {
        log.useFiles(files);
    }

    // ---- start-up and shutdown ----------------------------------------------------------------

    /**
     * Loads the encryption keys, the newest valid snapshot, then replays the log after the
     * sequence it covers, then opens the log for appending. Runs before clients are served (they
     * get -LOADING). Throws when existing data cannot be read: Panda never starts empty because
     * of damage or a missing key (then nothing on disk has been changed).
     */
    public void recover() throws IOException {
        EncryptionKeys keys = EncryptionKeys.load(config);
        if (keys.enabled()) {
            LOG.info("encryption at rest: new files are encrypted with key id {}; keys readable: {}",
                    keys.current().idHex(), keys);
        }
        Files.createDirectories(dir);
        keyspace.setEffects(Effects.NONE);
        long start = System.nanoTime();
        snapshots.useKeys(keys);
        Recovery.Loaded loaded = recovery.run(log.files(), this::archiveOpened, keys);
        log.open(loaded.lastSeq() + 1, loaded.walEnd(), keys);
        if (archiver != null) {
            startArchiving(loaded.snapshot());
        }
        keyspace.setEffects(log);
        recovered = true;
        LOG.info("data loaded in {} ms: {} keys", (System.nanoTime() - start) / 1_000_000, keyspace.size());
        if (loaded.legacyImported()) {
            save(); // the import becomes a Parquet snapshot at once; the JSON file is left untouched
        }
    }

    private void archiveOpened(Archiver opened) {
        archiver = opened;
        report.archiveOpened(opened);
    }

    /** Hands the archiver what is local and not yet archived, then every segment the log seals. */
    private void startArchiving(Optional<SnapshotInfo> loaded) {
        loaded.ifPresent(s -> archiver.enqueueSnapshot(s.file(), s.walSeq(), s.fileSize()));
        log.archiveSegmentsTo(archiver);
        snapshots.archiveTo(archiver);
        archiver.start();
    }

    /**
     * Periodic work (cron, store thread): the save rules, sealing the log for the archiver, and
     * following {@code appendonly} and {@code dir} where an earlier attempt failed.
     */
    public void cron() {
        long now = keyspace.clock().nowMillis();
        if (recovered && config.getBool("appendonly") != log.enabled()) {
            followLogSetting();
        }
        if ((!pendingBases.isEmpty() || moveTarget != null) && !snapshots.inProgress()
                && now - neededSnapshotAskedMillis >= RETRY_MILLIS) {
            askForNeededSnapshot();
        }
        snapshots.cron(now);
        log.sealForArchive(now);
    }

    // ---- CONFIG SET appendonly and dir ----------------------------------------------------------

    /**
     * CONFIG SET appendonly: checks that the log can be turned on, then turns it on or off once
     * the running command is over (a log opened or closed inside EXEC would split its record).
     */
    private void applyAppendonly() {
        if (config.getBool("appendonly") && !log.enabled()) {
            try {
                Files.createDirectories(log.directory());
                if (!Files.isWritable(log.directory())) {
                    throw new IOException(log.directory() + " is not writable");
                }
            } catch (IOException e) {
                LOG.error("cannot turn the write-ahead log on: {}", e.toString());
                throw new IllegalArgumentException("Unable to turn on AOF. Check server logs.");
            }
        }
        storeThread.execute(this::followLogSetting);
    }

    /** Opens or closes the log to match {@code appendonly}. Store thread. */
    private void followLogSetting() {
        boolean wanted = config.getBool("appendonly");
        if (!recovered || wanted == log.enabled()) {
            return;
        }
        if (!wanted) {
            log.stop();
            LOG.info("write-ahead log turned off (appendonly no)");
            return;
        }
        // Changes made with the log off are in no file: the log starts after a gap of one seq,
        // at which a snapshot of the data as it is now is taken; until that snapshot is stored
        // the log is worth nothing, as Redis's AOF before its first rewrite.
        long base = Math.max(log.lastSeq(), snapshots.lastSnapshotSeq()) + 1;
        java.util.SortedSet<Long> bases = new java.util.TreeSet<>(pendingBases);
        bases.add(base);
        try {
            LogBaseMarker.write(log.directory(), bases);
            log.start(base + 1);
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot turn the write-ahead log on: {}", e.toString());
            config.set("appendonly", "no");
            return;
        }
        pendingBases.add(base);
        LOG.info("write-ahead log turned on (appendonly yes): it counts once the snapshot of seq {} is stored", base);
        askForNeededSnapshot();
    }

    /**
     * CONFIG SET dir: the data moves to an existing, writable directory that holds no Panda
     * data. A relative path is taken from the current data directory, as Redis's chdir does, and
     * CONFIG GET shows the absolute path. The move starts once the running command is over.
     */
    private void applyDir() {
        String given = config.get("dir");
        Path here = dir.toAbsolutePath().normalize();
        Path target = Path.of(given).toAbsolutePath().normalize().equals(here)
                ? here // the value the server started with (relative to its working directory), as after a rollback
                : here.resolve(given).normalize();
        if (!target.equals(here) && !target.equals(moveTarget)) {
            if (!Files.exists(target)) {
                throw new IllegalArgumentException("No such file or directory");
            }
            if (!Files.isDirectory(target)) {
                throw new IllegalArgumentException("Not a directory");
            }
            if (!Files.isWritable(target)) {
                throw new IllegalArgumentException("Permission denied");
            }
            try {
                if (holdsData(target)) {
                    throw new IllegalArgumentException("the directory already holds Panda data (snapshots or a write-ahead log)");
                }
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }
        if (!given.equals(target.toString()) && !target.equals(here)) {
            config.set("dir", target.toString());
        }
        wantedDir = target;
        storeThread.execute(this::followDirSetting);
    }

    private static boolean holdsData(Path d) throws IOException {
        try (var entries = Files.list(d)) {
            if (entries.anyMatch(p -> dev.panda.persistence.snapshot.SnapshotDirectory.walSeqOfName(p.getFileName().toString()) >= 0)) {
                return true;
            }
        }
        Path wal = d.resolve("wal");
        return Files.isDirectory(wal) && !dev.panda.persistence.wal.WalSegments.list(WalFiles.SYSTEM, wal).isEmpty();
    }

    /**
     * Moves the data where CONFIG SET dir asked. Without a log, snapshots simply go there from
     * now on. With one, a snapshot is written there first; the log follows once it is stored
     * ({@link #snapshotStored}), so the old directory stays a complete copy until then. Asking
     * for the current directory again cancels a move that has not finished. Store thread.
     */
    private void followDirSetting() {
        Path target = wantedDir;
        if (!recovered || target == null) {
            return;
        }
        if (target.equals(dir.toAbsolutePath().normalize())) {
            if (moveTarget != null) {
                LOG.info("the move to {} is cancelled: the data stays in {}", moveTarget, dir);
                moveTarget = null;
            }
            return;
        }
        if (target.equals(moveTarget)) {
            return;
        }
        if (!log.enabled()) {
            moveTarget = null;
            switchDir(target);
            return;
        }
        moveTarget = target;
        snapshots.abortRunning(); // it would cover the old directory only
        LOG.info("moving the data to {}: writing a snapshot there first", target);
        askForNeededSnapshot();
    }

    private void switchDir(Path target) {
        dir = target;
        snapshots.useDir(target);
        recovery.useDir(target, target.resolve("wal"));
        if (!log.enabled()) {
            log.useDirectory(target.resolve("wal"));
        }
        LOG.info("data directory is now {}", target);
    }

    /** A snapshot for a log turned on live, or for a move, into the directory it is needed in. */
    private void askForNeededSnapshot() {
        neededSnapshotAskedMillis = keyspace.clock().nowMillis();
        if (snapshots.inProgress()) {
            if (moveTarget == null) {
                snapshots.scheduleAfterRunning(); // the running one started before the log: too early
            }
            return;
        }
        snapshots.bgsave(moveTarget != null ? moveTarget : dir);
    }

    /** A snapshot was stored: it may be the base the log waits for, or the move's. Store thread. */
    private void snapshotStored(long seq, Path in) {
        if (!pendingBases.isEmpty() && seq >= pendingBases.first() && in.equals(dir)) {
            java.util.SortedSet<Long> left = new java.util.TreeSet<>(pendingBases.tailSet(seq + 1));
            try {
                if (left.isEmpty()) {
                    LogBaseMarker.clear(log.directory());
                    LOG.info("write-ahead log: its base snapshot (seq {}) is stored", seq);
                    log.baseStored(seq);
                } else {
                    LogBaseMarker.write(log.directory(), left);
                }
                pendingBases.retainAll(left);
            } catch (IOException e) {
                LOG.warn("could not update {}: {}", LogBaseMarker.FILE, e.toString());
            }
        }
        if (moveTarget != null && in.equals(moveTarget)) {
            if (!log.enabled()) {
                moveTarget = null;
                switchDir(in);
                return;
            }
            try {
                log.moveTo(in.resolve("wal"), seq);
            } catch (IOException e) {
                LOG.error("moving the write-ahead log to {} failed, it stays in {}: {}", in, dir, e.toString());
                return; // cron writes another snapshot there and tries again
            }
            moveTarget = null;
            switchDir(in);
            if (!pendingBases.isEmpty()) { // the snapshot there covers them: the old directory keeps its marker
                pendingBases.clear();
                log.baseStored(seq);
            }
        }
    }

    /** Whether a log turned on live still waits for its base snapshot (INFO aof_rewrite_*). */
    boolean basePending() {
        return !pendingBases.isEmpty();
    }

    /**
     * Makes everything durable and stops the background threads (SHUTDOWN, SIGTERM). A final
     * snapshot is taken when {@code save} is true, or when it is null and save rules exist.
     * Store thread.
     */
    public void shutdown(Boolean save) {
        if (!recovered) {
            // The load failed (damage, a missing key): the keyspace is not the data, so no final
            // snapshot or log write may replace what is on disk.
            snapshots.stopWriters();
            if (archiver != null) {
                archiver.close();
            }
            return;
        }
        snapshots.abortRunning();
        if (log.enabled()) {
            log.commit();
        }
        if (moveTarget != null) {
            LOG.warn("the move to {} did not finish: the data stays in {}", moveTarget, dir);
        }
        // A log turned on live is lost without its base snapshot (Redis refuses to exit then).
        if (Boolean.TRUE.equals(save) || (save == null && SavePolicy.of(config).any()) || basePending()) {
            try {
                save();
            } catch (IOException e) {
                LOG.error("final snapshot failed: {}", e.toString());
            }
        }
        log.close();
        snapshots.stopWriters();
        if (archiver != null) {
            Duration wait = Duration.ofMillis(config.getLong("s3-timeout") * 2);
            if (!archiver.drain(wait)) {
                LOG.warn("archive backlog of {} file(s) not uploaded; it stays on local disk and uploads after the next start",
                        archiver.status().backlog());
            }
            archiver.close();
        }
    }

    // ---- Durability: the log's (the keyspace reports its effects to the log directly) ----------

    @Override
    public boolean hasPending() {
        return log.hasPending();
    }

    @Override
    public boolean commit() {
        return log.commit();
    }

    @Override
    public long changeCount() {
        return log.changeCount();
    }

    @Override
    public String writeBlockedReason() {
        return log.writeBlockedReason();
    }

    /**
     * Store thread, once the data is loaded: the latency events of the log's group commit
     * ({@code aof-write} and its kinds, {@code aof-fsync-always}) and of background snapshots
     * ({@code fork}) go to {@code latency} as (event, ms), which samples those over its threshold.
     * Before, during the load, they go nowhere.
     */
    public void reportLatencyTo(java.util.function.ObjLongConsumer<String> latency) {
        log.reportLatencyTo(latency, snapshots::inProgress);
        snapshots.reportLatencyTo(latency);
    }

    // ---- snapshots ------------------------------------------------------------------------------

    /** INFO latest_fork_usec: the last background snapshot's capture of its images (Panda's fork). */
    public long lastForkMicros() {
        return snapshots.lastCaptureMicros();
    }

    /** INFO total_forks: background snapshots started. */
    public long forks() {
        return snapshots.captures();
    }

    /** LATENCY DOCTOR's fork rate, GB/s (Redis's stat_fork_rate). */
    public double forkRateGbPerSec() {
        return snapshots.captureRateGbPerSec();
    }

    /** CONFIG RESETSTAT: the fork figures, as Redis's resetServerStats clears them. */
    public void resetForkStats() {
        snapshots.resetCaptureStats();
    }

    public boolean snapshotInProgress() {
        return snapshots.inProgress();
    }

    /** Starts a background snapshot; false if one is already running. Store thread. */
    public boolean bgsave() {
        return snapshots.bgsave();
    }

    /** Asks for a snapshot after the running one (BGSAVE SCHEDULE). */
    public void scheduleAfterRunning() {
        snapshots.scheduleAfterRunning();
    }

    /** SAVE: a snapshot in the foreground, blocking clients as Redis's SAVE does. Store thread. */
    public void save() throws IOException {
        snapshots.save();
    }

    /**
     * DEBUG RELOAD: takes a snapshot as SAVE does (unless {@code save} is false), then loads the
     * keyspace again from the newest snapshot and the log after it, as a restart would (with
     * {@code save}, the log after it is empty). Nothing is logged: the data loaded is what the
     * snapshot and log already hold. Without {@code flush} the snapshot's keys are merged into
     * memory, which the snapshot and log no longer describe, so with the log on a snapshot is
     * taken after the merge. Refuses, leaving the data alone, when a snapshot is being written or
     * there is nothing to load. Store thread.
     *
     * @param flush empty the databases first; without it a loaded key replaces the one in memory
     */
    public void reload(boolean save, boolean flush) throws IOException {
        if (snapshots.inProgress()) {
            throw new IOException("Background save already in progress");
        }
        if (save) {
            save();
        } else if (basePending()) {
            throw new IOException("the write-ahead log waits for its first snapshot: DEBUG RELOAD without NOSAVE takes it");
        } else {
            if (log.enabled() && !log.commit()) {
                throw new IOException("the write-ahead log cannot be written: " + log.writeBlockedReason());
            }
            if (new dev.panda.persistence.snapshot.SnapshotDirectory(dir).newest().isEmpty()
                    && !Files.isDirectory(log.directory())) {
                throw new IOException("Error trying to load the RDB dump");
            }
        }
        snapshots.awaitDeletions();
        keyspace.setEffects(Effects.NONE);
        try {
            recovery.reload(flush);
        } finally {
            keyspace.setEffects(log);
        }
        if (!flush && !save && log.enabled()) {
            save(); // the merged data is durable only as a snapshot: the log holds none of it
        }
        LOG.warn("DB reloaded by DEBUG RELOAD");
    }

    // ---- visibility ---------------------------------------------------------------------------

    public long lastSaveMillis() {
        return snapshots.lastSaveMillis();
    }

    /** INFO persistence fields, with Redis's names where they apply. */
    public void info(StringBuilder out, boolean loading) {
        report.info(out, loading);
    }

    /** The log's and snapshots' numbers for the metrics endpoint. Store thread, not while loading. */
    public PersistenceMetrics metrics() {
        return report.metrics();
    }

    /** The storage backend's state for the panda_storage_* metrics. Any thread. */
    public StorageStatus storageStatus() {
        return report.storageStatus();
    }

    /** Where a remote backend (S3) reports its state; {@link StorageStatus#LOCAL} until then. */
    public void setStorageStatus(StorageStatus status) {
        report.setStorageStatus(status);
    }

    /** The seed's STATS line. */
    public String stats() {
        return report.stats();
    }
}
