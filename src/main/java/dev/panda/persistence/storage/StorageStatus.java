package dev.panda.persistence.storage;

/**
 * Where snapshots are stored and how that store is doing: the read-only view that the
 * {@code panda_storage_*} metrics (and readiness) take of the storage backend. Local storage is
 * never degraded and uploads nothing ({@link #LOCAL}); a remote backend (S3, the {@link Archiver})
 * implements this.
 *
 * <p>Any thread: the metrics endpoint calls these from its own thread at scrape time, so
 * implementations return values kept in volatile fields or atomics and never block or do I/O.
 */
public interface StorageStatus {
    /** The backend snapshots go to: {@code "local"} or {@code "s3"}. */
    String backend();

    /** True while the configured backend fails and snapshots are only kept locally. */
    boolean degraded();

    /** Snapshot (or log) files stored locally and waiting to be uploaded. */
    long uploadBacklog();

    /** Uploads that failed since start; every failed attempt counts. */
    long uploadFailures();

    /** Local storage: snapshots are written to {@code dir} and that is all. */
    StorageStatus LOCAL = new StorageStatus() {
        @Override
        public String backend() {
            return "local";
        }

        @Override
        public boolean degraded() {
            return false;
        }

        @Override
        public long uploadBacklog() {
            return 0;
        }

        @Override
        public long uploadFailures() {
            return 0;
        }
    };
}
