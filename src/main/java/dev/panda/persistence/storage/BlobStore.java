package dev.panda.persistence.storage;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * Where snapshots and sealed WAL segments are archived: a flat namespace of immutable named
 * files ({@code snapshots/…}, {@code wal/…}). Implementations: {@link S3BlobStore} (the product)
 * and {@link LocalBlobStore} (a directory; the archiver's unit tests use it).
 *
 * <p>Every call may block on the network; callers are the start-up thread and the uploader
 * thread, never the store thread. Implementations are thread-safe.
 */
public interface BlobStore extends Closeable {

    /** A stored file. */
    record Blob(String name, long size) { }

    /** Stores {@code file} under {@code name}, replacing any blob of that name, all or nothing. */
    void put(String name, Path file) throws StorageException;

    /** Writes blob {@code name} to {@code target} (replaced if present). */
    void get(String name, Path target) throws StorageException;

    /** The blobs whose names start with {@code prefix}, in name order. */
    List<Blob> list(String prefix) throws StorageException;

    /** Deletes the named blobs; missing ones are not an error. */
    void delete(Collection<String> names) throws StorageException;

    /** The backend's kind for metrics labels: {@code s3} or {@code local}. */
    String kind();

    /** For INFO and STATS: {@code S3 (bucket/prefix, region)} or {@code Local (dir)}. */
    String describe();

    @Override
    void close();
}
