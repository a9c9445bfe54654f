package dev.panda.persistence;

import dev.panda.config.ServerConfig;
import dev.panda.persistence.crypto.EncryptionKeyException;
import dev.panda.persistence.crypto.EncryptionKeys;
import dev.panda.persistence.snapshot.ParquetSnapshotReader;
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
import dev.panda.store.Database;
import dev.panda.store.Keyspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up recovery: first checks that every local snapshot and WAL segment is plaintext or
 * encrypted with a configured key (a missing key stops start-up before any file is touched); with
 * {@code use-s3}, brings from S3 what the local directory lacks; then
 * loads the newest valid snapshot (or, where there is none, imports the legacy JSON file) and
 * replays the write-ahead log after the sequence the snapshot covers. Throws when existing data
 * cannot be read: Panda never starts empty because of damage.
 *
 * <p>Threads: {@link #run} once, on the thread that calls {@link Persistence#recover} (at server
 * start a loading thread of its own, while the store thread leaves the keyspace alone); INFO
 * reads {@link #loadingProgress} and {@link #warning} on the store thread meanwhile.
 * {@link #reload} (DEBUG RELOAD) on the store thread, once the server runs.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Persistence.class); // the façade's parts log under its one name

    private final ServerConfig config;
    private final Keyspace keyspace;
    private Path dir;
    private Path walDir;
    private final SnapshotScheduler snapshots;
    private final EffectReplay replay;
    private EncryptionKeys keys = EncryptionKeys.NONE;
    private String warning = "";
    private long loadedKeys;
    /** Progress of the start-up load, read by INFO on the store thread while the loader runs. */
    private volatile long loadingProgress;

    /**
     * What was loaded.
     *
     * @param snapshot       the snapshot loaded, if any
     * @param lastSeq        the last sequence the data holds: the log continues after it
     * @param walEnd         where the replayed log ends; null without a log directory
     * @param legacyImported keys came from the legacy JSON file (they are to become a snapshot)
     */
    record Loaded(Optional<SnapshotInfo> snapshot, long lastSeq, WalReplayResult.End walEnd, boolean legacyImported) {
    }

    /** @param snapshots told of the snapshot loaded (its seq, size and time) */
    Recovery(ServerConfig config, Keyspace keyspace, Path dir, Path walDir, SnapshotScheduler snapshots) {
        this.config = config;
        this.keyspace = keyspace;
        this.dir = dir;
        this.walDir = walDir;
        this.snapshots = snapshots;
        this.replay = new EffectReplay(keyspace);
    }

    /**
     * Loads everything into the keyspace, whose effects must be off ({@code Effects.NONE}).
     *
     * @param walFiles      the file layer the log is read through
     * @param archiveOpened told of the S3 archiver as soon as it exists (with {@code use-s3}),
     *                      before anything is restored from it
     * @param keys          the keys encrypted files are read with
     */
    Loaded run(WalFiles walFiles, Consumer<Archiver> archiveOpened, EncryptionKeys keys) throws IOException {
        this.keys = keys;
        keyspace.setLoading(true);
        try {
            return load(walFiles, archiveOpened);
        } finally {
            keyspace.setLoading(false);
        }
    }

    /**
     * DEBUG RELOAD, on the store thread, into the keyspace whose effects the caller turned off.
     * With {@code flush}: empties the databases and loads the newest local snapshot and the log
     * after it, as a restart would (no S3). Without: loads only the snapshot's keys, each
     * replacing the one in memory (Redis's MERGE); the log is not replayed, as its records
     * would apply a second time to keys memory already holds.
     */
    void reload(boolean flush) throws IOException {
        keyspace.setLoading(true);
        try {
            if (flush) {
                keyspace.flushAll();
            }
            loadLocal(!flush);
        } finally {
            keyspace.setLoading(false);
        }
    }

    /** DEBUG RELOAD reads the data from {@code dir} from now on (CONFIG SET dir). */
    void useDir(Path dir, Path walDir) {
        this.dir = dir;
        this.walDir = walDir;
    }

    private Loaded load(WalFiles walFiles, Consumer<Archiver> archiveOpened) throws IOException {
        checkKeys();
        if (config.getBool("use-s3")) {
            openArchive(walFiles, archiveOpened);
        }
        setAsideUnbasedLog();
        return loadLocal(false);
    }

    /**
     * A log turned on while the server ran is worth something only once a snapshot covering
     * its start is stored ({@link LogBaseMarker}); if none was, its segments are set aside and
     * the data starts from the newest snapshot, as Redis starts without an AOF whose first
     * rewrite never finished.
     */
    private void setAsideUnbasedLog() throws IOException {
        java.util.SortedSet<Long> bases = LogBaseMarker.read(walDir);
        if (bases.isEmpty()) {
            LogBaseMarker.clear(walDir); // an empty file, if any
            return;
        }
        long newest = new SnapshotDirectory(dir, keys).newest().map(SnapshotInfo::walSeq).orElse(-1L);
        java.util.SortedSet<Long> missing = bases.tailSet(newest + 1);
        if (!missing.isEmpty()) {
            long base = missing.first(); // the first gap after the snapshot: the log is worthless from there
            int moved = LogBaseMarker.setAsideAfter(walDir, base);
            warning = "the write-ahead log turned on at seq " + base + " never got its base snapshot: "
                    + moved + " segment(s) set aside as *" + LogBaseMarker.SET_ASIDE_SUFFIX;
            LOG.warn("write-ahead log: {}", warning);
        }
        LogBaseMarker.clear(walDir);
    }

    /**
     * The newest local snapshot (or the legacy file), then the log after it; with {@code replace}
     * (a merge into a keyspace that holds data) keys loaded replace those present and the log is
     * left alone.
     */
    private Loaded loadLocal(boolean replace) throws IOException {
        long snapshotSeq = 0;
        boolean legacyImported = false;
        loadedKeys = 0;
        Optional<SnapshotInfo> newest = new SnapshotDirectory(dir, keys).newest();
        if (newest.isPresent()) {
            SnapshotInfo info = newest.get();
            int[] currentDb = {-1};
            ParquetSnapshotReader.forEach(info.file(), keys, row -> {
                Database db = keyspace.db(row.db());
                if (row.db() != currentDb[0]) {
                    // Rows come database by database: room for all that remain, trimmed after.
                    currentDb[0] = row.db();
                    db.reserve((int) Math.min(Integer.MAX_VALUE / 2, info.keyCount() - loadedKeys));
                }
                if (replace && row.chunk() == 0) {
                    db.delete(row.key());
                }
                switch (row.type()) {
                    case SnapshotRow.TYPE_STRING -> db.strings().load(row.key(), row.value(), 0, row.value().length, row.expireAtMs());
                    case SnapshotRow.TYPE_HASH -> db.hashes().load(row.key(), row.elements(), row.expireAtMs(), row.chunk() > 0);
                    case SnapshotRow.TYPE_SET -> db.sets().load(row.key(), row.elements(), row.expireAtMs(), row.chunk() > 0);
                    case SnapshotRow.TYPE_LIST -> db.lists().load(row.key(), row.elements(), row.expireAtMs(), row.chunk() > 0);
                    case SnapshotRow.TYPE_ZSET -> db.zsets().load(row.key(), row.elements(), row.expireAtMs(), row.chunk() > 0);
                    case SnapshotRow.TYPE_STREAM -> {
                        if (row.chunk() == 0) { // later rows repeat entries for readers; the value has it all
                            db.streams().loadPayload(row.key(), row.value(), row.expireAtMs());
                        }
                    }
                    default -> throw new IllegalStateException("snapshot " + info.file() + " holds a key of unknown type "
                            + row.type());
                }
                if (row.chunk() == 0 && (++loadedKeys & 1023) == 0) {
                    loadingProgress = loadedKeys;
                }
            });
            for (int i = 0; i < keyspace.databaseCount(); i++) {
                keyspace.db(i).fitToSize();
            }
            for (byte[][] lib : ParquetSnapshotReader.readFunctions(info.file(), keys)) {
                keyspace.functions().put(new String(lib[0], java.nio.charset.StandardCharsets.UTF_8), lib[1]);
            }
            snapshotSeq = info.walSeq();
            snapshots.loaded(info);
            LOG.info("loaded snapshot {} ({} keys, WAL seq {})", info.file().getFileName(), loadedKeys, snapshotSeq);
        } else if (LegacyJsonImport.present(dir)) {
            loadedKeys = LegacyJsonImport.load(dir, keyspace.db(0));
            legacyImported = loadedKeys > 0;
            LOG.info("imported {} keys from the legacy {}", loadedKeys, LegacyJsonImport.FILE);
        }
        long lastSeq = snapshotSeq;
        WalReplayResult.End walEnd = null;
        if (Files.isDirectory(walDir) && !replace) {
            WalReplayResult result = WalReader.replay(walDir, snapshotSeq, this::apply, config.getBool("wal-load-truncated"),
                    keys);
            walEnd = result.end();
            lastSeq = Math.max(lastSeq, result.lastSeq());
            if (result.tornTailCut()) {
                warning = "torn WAL tail cut: " + result.tornTail().describe();
                LOG.warn("write-ahead log: {}", warning);
            }
            if (result.stoppedAtDamage()) {
                warning = "WAL loaded up to damage (wal-load-truncated): " + result.stoppedAt().describe();
                LOG.warn("write-ahead log: {}", warning);
            }
            LOG.info("replayed {} WAL records after seq {}", result.recordsApplied(), snapshotSeq);
        }
        return new Loaded(newest, lastSeq, walEnd, legacyImported);
    }

    /**
     * Connects to S3 and brings from it what the local directory lacks. Refuses to start (throws)
     * when S3 rejects the settings, or cannot be reached and there is no local data, unless
     * {@code s3-start-offline}: starting empty could later overwrite good archived snapshots.
     */
    private void openArchive(WalFiles walFiles, Consumer<Archiver> archiveOpened) throws IOException {
        S3Settings settings = S3Settings.of(config);
        if (settings.bucket().isEmpty()) {
            throw new IOException("use-s3 is on but s3-bucket is not set (PANDA_S3_BUCKET or --s3-bucket)");
        }
        Archiver archiver = new Archiver(new S3BlobStore(settings), config.getInt("s3-keep-snapshots"), keyspace.clock()::nowMillis,
                keys);
        archiveOpened.accept(archiver);
        config.onChange("s3-keep-snapshots", v -> archiver.setKeepSnapshots(Integer.parseInt(v)));
        Optional<SnapshotInfo> local = new SnapshotDirectory(dir, keys).newest();
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

    /**
     * Refuses to start (throws {@link EncryptionKeyException}) when a local snapshot or WAL segment
     * is encrypted with a key that is not configured. Reads footers and segment headers only and
     * changes nothing, so a wrong key file leaves the data as it was. Damaged files are left to
     * the load, which skips (snapshots) or reports (segments) them as before.
     */
    private void checkKeys() throws IOException {
        if (Files.isDirectory(dir)) {
            try (var entries = Files.list(dir)) {
                for (Path p : entries.toList()) {
                    if (SnapshotDirectory.walSeqOfName(p.getFileName().toString()) < 0 || !Files.isRegularFile(p)) {
                        continue;
                    }
                    try {
                        ParquetSnapshotReader.readInfo(p, keys);
                    } catch (EncryptionKeyException e) {
                        throw e;
                    } catch (IOException e) {
                        // damage, not a key: the snapshot directory skips it with a warning
                    }
                }
            }
        }
        WalReader.checkKeys(walDir, keys);
    }

    /** Applies one replayed record to the keyspace (effects are off while loading). */
    private void apply(WalRecord record) {
        if ((++loadedKeys & 1023) == 0) {
            loadingProgress = loadedKeys;
        }
        replay.apply(record);
    }

    /** Snapshot rows plus log records loaded so far. Any thread. */
    long loadingProgress() {
        return loadingProgress;
    }

    /** What recovery had to give up (a torn log tail cut, or a load up to damage); empty if nothing. */
    String warning() {
        return warning;
    }
}
