package dev.panda.persistence.snapshot;

import java.nio.file.Path;

/**
 * What a snapshot file's footer says about it, checked by {@link ParquetSnapshotReader#readInfo}.
 * Immutable; any thread.
 *
 * @param file          the snapshot file
 * @param formatVersion {@code panda.format.version}
 * @param walSeq        {@code panda.wal.seq}: the snapshot is exactly the state after this WAL sequence
 * @param keyCount      {@code panda.key.count}, equal to the file's row count
 * @param createdMs     {@code panda.created.ms}, epoch milliseconds
 * @param fileSize      size of the file in bytes
 */
public record SnapshotInfo(Path file, int formatVersion, long walSeq, long keyCount, long createdMs, long fileSize) {
}
