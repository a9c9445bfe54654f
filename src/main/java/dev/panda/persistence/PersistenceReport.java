package dev.panda.persistence;

import dev.panda.config.ServerConfig;
import dev.panda.persistence.crypto.EncryptionKeys;
import dev.panda.persistence.storage.Archiver;
import dev.panda.persistence.storage.StorageStatus;
import dev.panda.persistence.wal.WalWriter;
import dev.panda.store.Keyspace;
import java.time.Instant;
import dev.panda.store.value.ValueType;
import java.util.Locale;

/**
 * What persistence shows of itself: the INFO persistence fields, the seed's STATS line and the
 * numbers for the metrics endpoint, read from the parts that own them ({@link Recovery},
 * {@link WalCommitter}, {@link SnapshotScheduler}, the {@link Archiver}); and the storage
 * backend's state for the {@code panda_storage_*} metrics.
 *
 * <p>Threads: the store thread (INFO also while the loading thread runs recovery), except
 * {@link #storageStatus}, which the metrics endpoint calls from its own thread.
 */
final class PersistenceReport {
    private final ServerConfig config;
    private final Keyspace keyspace;
    private final Recovery recovery;
    private final WalCommitter log;
    private final SnapshotScheduler snapshots;
    /** The S3 archiver; null without {@code use-s3}. */
    private Archiver archiver;
    private volatile StorageStatus storageStatus = StorageStatus.LOCAL;

    private final java.util.function.BooleanSupplier basePending;

    /** @param basePending whether a log turned on live waits for its base snapshot (Redis's first AOF rewrite) */
    PersistenceReport(ServerConfig config, Keyspace keyspace, Recovery recovery, WalCommitter log, SnapshotScheduler snapshots,
            java.util.function.BooleanSupplier basePending) {
        this.basePending = basePending;
        this.config = config;
        this.keyspace = keyspace;
        this.recovery = recovery;
        this.log = log;
        this.snapshots = snapshots;
    }

    /** Recovery opened the S3 archiver: INFO, STATS and the storage status report it from now on. */
    void archiveOpened(Archiver opened) {
        archiver = opened;
        setStorageStatus(opened);
    }

    /** INFO persistence fields, with Redis's names where they apply. */
    void info(StringBuilder out, boolean loading) {
        WalWriter wal = log.writer();
        String walError = log.writeBlockedReason();
        field(out, "loading", loading ? 1 : 0);
        if (loading) {
            field(out, "loading_loaded_keys", recovery.loadingProgress()); // snapshot rows plus log records so far
        }
        field(out, "async_loading", 0);
        // A snapshot is written by a thread from a point-in-time view, not by a forked child:
        // the copy-on-write and fork fields read as Redis's do with no child running.
        field(out, "current_cow_peak", 0);
        field(out, "current_cow_size", 0);
        field(out, "current_cow_size_age", 0);
        field(out, "current_fork_perc", "0.00");
        field(out, "current_save_keys_processed", 0);
        field(out, "current_save_keys_total", 0);
        field(out, "rdb_changes_since_last_save", snapshots.changesSinceSave());
        field(out, "rdb_bgsave_in_progress", snapshots.inProgress() ? 1 : 0);
        field(out, "rdb_last_save_time", snapshots.lastSaveMillis() / 1000);
        field(out, "rdb_last_bgsave_status", snapshots.lastSaveOk() ? "ok" : "err");
        long lastSaveDurationMillis = snapshots.lastSaveDurationMillis();
        field(out, "rdb_last_bgsave_time_sec", lastSaveDurationMillis < 0 ? -1 : lastSaveDurationMillis / 1000);
        field(out, "rdb_current_bgsave_time_sec",
                snapshots.inProgress() ? (keyspace.clock().nowMillis() - snapshots.runningSinceMillis()) / 1000 : -1);
        field(out, "rdb_saves", snapshots.saves());
        field(out, "rdb_last_cow_size", 0);
        field(out, "rdb_last_load_keys_expired", 0);
        field(out, "rdb_last_load_keys_loaded", loading ? 0 : recovery.loadingProgress());
        field(out, "aof_enabled", wal != null ? 1 : 0);
        boolean waitingForBase = basePending.getAsBoolean();
        field(out, "aof_rewrite_in_progress", waitingForBase && snapshots.inProgress() ? 1 : 0);
        field(out, "aof_rewrite_scheduled", waitingForBase && !snapshots.inProgress() ? 1 : 0);
        field(out, "aof_last_rewrite_time_sec", -1);
        field(out, "aof_current_rewrite_time_sec", -1);
        field(out, "aof_last_bgrewrite_status", "ok");
        field(out, "aof_rewrites", 0);
        field(out, "aof_rewrites_consecutive_failures", 0);
        field(out, "aof_last_write_status", walError == null ? "ok" : "err");
        field(out, "aof_last_cow_size", 0);
        field(out, "module_fork_in_progress", 0);
        field(out, "module_fork_last_cow_size", 0);
        field(out, "panda_wal_fsync", config.get("appendfsync"));
        field(out, "panda_wal_bytes", wal != null ? wal.totalBytes() : 0);
        field(out, "panda_wal_segments", wal != null ? wal.segmentCount() : 0);
        field(out, "panda_wal_last_seq", wal != null ? wal.lastSeq() : 0);
        field(out, "panda_wal_error", walError == null ? "" : walError);
        field(out, "panda_snapshot_bytes", snapshots.lastSnapshotBytes());
        field(out, "panda_snapshot_wal_seq", snapshots.lastSnapshotSeq());
        field(out, "panda_snapshot_writer_priority", snapshots.writerIdle() ? "idle" : "normal");
        field(out, "panda_snapshot_priority_raises", snapshots.priorityRaises());
        EncryptionKeys keys = snapshots.keys();
        field(out, "panda_encryption_key_id", keys.enabled() ? keys.current().idHex() : "");
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
        field(out, "panda_recovery_warning", recovery.warning());
    }

    private static void field(StringBuilder out, String name, Object value) {
        out.append(name).append(':').append(value).append("\r\n");
    }

    /** The log's and snapshots' numbers for the metrics endpoint. Not while loading. */
    PersistenceMetrics metrics() {
        WalWriter wal = log.writer();
        return new PersistenceMetrics(wal != null, log.writeBlockedReason() == null, wal != null ? wal.bytesWritten() : 0,
                wal != null ? wal.totalBytes() : 0, wal != null ? wal.segmentCount() : 0,
                wal != null ? wal.writeFailures() : 0, wal != null ? wal.fsyncFailures() : 0,
                wal != null ? wal.fsyncLatency().snapshot() : null, snapshots.changesSinceSave(), snapshots.inProgress(),
                snapshots.lastSaveOk(), snapshots.lastSaveMillis(), snapshots.lastSaveDurationMillis(),
                snapshots.lastSnapshotBytes());
    }

    /** The storage backend's state for the panda_storage_* metrics. Any thread. */
    StorageStatus storageStatus() {
        return storageStatus;
    }

    /** Where a remote backend (S3) reports its state; {@link StorageStatus#LOCAL} until then. */
    void setStorageStatus(StorageStatus status) {
        this.storageStatus = status;
    }

    /** The seed's STATS line. */
    String stats() {
        WalWriter wal = log.writer();
        String storage = "Local (" + config.get("dir") + ")";
        if (archiver != null) {
            Archiver.Status a = archiver.status();
            storage = a.backend() + (a.degraded() ? " degraded since " + Instant.ofEpochMilli(a.degradedSinceMs())
                    + ", backlog " + a.backlog() + " files, local copies in " + config.get("dir") : " ok");
        }
        return String.format(Locale.ROOT, "Storage: %s, Parquet: %s, WAL: %s, In-memory: %d keys (%s), Pending: %d ops",
                storage, kb(snapshots.lastSnapshotBytes()), kb(wal != null ? wal.totalBytes() : 0), keyspace.size(),
                keysByType(), snapshots.changesSinceSave());
    }

    /** "string 120, hash 30": the types present, in ValueType order. */
    private String keysByType() {
        StringBuilder out = new StringBuilder();
        for (ValueType type : ValueType.values()) {
            long n = 0;
            for (int i = 0; i < keyspace.databaseCount(); i++) {
                n += keyspace.db(i).count(type);
            }
            if (n > 0) {
                out.append(out.length() == 0 ? "" : ", ").append(type.typeName()).append(' ').append(n);
            }
        }
        return out.length() == 0 ? "none" : out.toString();
    }

    private static String kb(long bytes) {
        return bytes < 1024 ? bytes + "B" : (bytes + 512) / 1024 + "KB";
    }
}
