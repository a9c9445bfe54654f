package dev.panda.persistence;

import dev.panda.persistence.wal.FsyncLatency;

/**
 * The write-ahead log's and snapshots' numbers at one moment, for the metrics endpoint. Built by
 * {@link Persistence#metrics()} on the store thread; immutable, so any thread may read it after.
 *
 * @param walEnabled               {@code appendonly yes}
 * @param walWritable              false while writes are refused because the log cannot be written
 * @param walBytesWritten          bytes written to log segments since start
 * @param walSizeBytes             bytes in all log segment files
 * @param walSegments              log segment files
 * @param walWriteFailures         failed log writes since start
 * @param walFsyncFailures         failed log fsyncs since start
 * @param fsync                    fsync durations (null without a log)
 * @param changesSinceSnapshot     changes not yet in a snapshot
 * @param snapshotInProgress       a background snapshot is running
 * @param lastSnapshotOk           the last snapshot attempt succeeded (true before any)
 * @param lastSnapshotMillis       when the newest snapshot was started (start-up time if none)
 * @param lastSnapshotDurationMillis how long the last successful snapshot took; -1 if none yet
 * @param lastSnapshotBytes        size of the newest snapshot file
 */
public record PersistenceMetrics(boolean walEnabled, boolean walWritable, long walBytesWritten, long walSizeBytes,
                                 int walSegments, long walWriteFailures, long walFsyncFailures, FsyncLatency.Snapshot fsync,
                                 long changesSinceSnapshot, boolean snapshotInProgress, boolean lastSnapshotOk,
                                 long lastSnapshotMillis, long lastSnapshotDurationMillis, long lastSnapshotBytes) {
}
