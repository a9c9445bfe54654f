package dev.panda.persistence.snapshot;

import dev.panda.persistence.crypto.EncryptionKeyException;
import dev.panda.persistence.crypto.EncryptionKeys;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshots in one local directory. {@link #list()} returns the valid ones (final name and a
 * footer that {@link ParquetSnapshotReader#readInfo} accepts), oldest first; files with a final name
 * but an unreadable footer are skipped with a warning and left in place for inspection, except one
 * encrypted with a key not configured, which throws (it is not damage); temp files
 * left by a crash are deleted, except those this process is still writing. {@link #newest()} is the
 * one to load at start-up; {@link #deleteAllBut(int)} is retention.
 *
 * <p>Thread: start-up, or the snapshot-writer thread after a commit. Several threads may call it,
 * but deletion races between them are not coordinated; one process owns a data directory.
 */
public final class SnapshotDirectory {
    private static final Logger log = LoggerFactory.getLogger(SnapshotDirectory.class);

    /** Oldest first: by WAL seq, then creation time, then name. */
    private static final Comparator<SnapshotInfo> ORDER = Comparator.comparingLong(SnapshotInfo::walSeq)
            .thenComparingLong(SnapshotInfo::createdMs)
            .thenComparing(i -> i.file().getFileName().toString());

    private final Path dir;
    private final EncryptionKeys keys;

    public SnapshotDirectory(Path dir) {
        this(dir, EncryptionKeys.NONE);
    }

    /** The snapshots in {@code dir}, encrypted ones read with {@code keys}. */
    public SnapshotDirectory(Path dir, EncryptionKeys keys) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    public Path dir() {
        return dir;
    }

    /** The WAL seq in a snapshot's final file name, or -1 when the name is not one. */
    public static long walSeqOfName(String fileName) {
        return SnapshotFormat.walSeqOfName(fileName);
    }

    /**
     * Valid snapshots, oldest first (by WAL seq, then creation time). A missing directory has none.
     * Deletes leftover temp files as a side effect.
     */
    public List<SnapshotInfo> list() throws IOException {
        List<SnapshotInfo> valid = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return valid;
        }
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        }
        for (Path p : entries) {
            String name = p.getFileName().toString();
            if (SnapshotFormat.TEMP_NAME.matcher(name).matches()) {
                deleteLeftover(p);
                continue;
            }
            long nameSeq = SnapshotFormat.walSeqOfName(name);
            if (nameSeq < 0 || !Files.isRegularFile(p)) {
                continue; // not ours
            }
            SnapshotInfo info;
            try {
                info = ParquetSnapshotReader.readInfo(p, keys);
            } catch (NoSuchFileException e) {
                continue; // deleted meanwhile
            } catch (EncryptionKeyException e) {
                throw e; // not damage: the key is missing, and skipping it would load older data
            } catch (IOException e) {
                log.warn("ignoring snapshot: {}", e.getMessage());
                continue;
            }
            if (info.walSeq() != nameSeq) {
                log.warn("ignoring snapshot {}: its footer says WAL seq {}", p, info.walSeq());
                continue;
            }
            valid.add(info);
        }
        valid.sort(ORDER);
        return valid;
    }

    /** The snapshot with the highest WAL seq (latest creation time among equals), if any. */
    public Optional<SnapshotInfo> newest() throws IOException {
        List<SnapshotInfo> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * Retention: deletes every valid snapshot except the {@code keep} newest. Files skipped by
     * {@link #list()} (damaged, foreign) are not touched.
     *
     * @param keep at least 1
     * @return the files deleted, oldest first
     */
    public List<Path> deleteAllBut(int keep) throws IOException {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be >= 1: " + keep);
        }
        List<SnapshotInfo> all = list();
        List<Path> deleted = new ArrayList<>();
        for (int i = 0; i < all.size() - keep; i++) {
            Path p = all.get(i).file();
            if (Files.deleteIfExists(p)) {
                deleted.add(p);
                log.info("deleted old snapshot {}", p.getFileName());
            }
        }
        return deleted;
    }

    private static void deleteLeftover(Path p) {
        if (ParquetSnapshotWriter.isActiveTempFile(p)) {
            return; // being written right now
        }
        try {
            if (Files.deleteIfExists(p)) {
                log.info("deleted incomplete snapshot {}", p.getFileName());
            }
        } catch (IOException e) {
            log.warn("could not delete incomplete snapshot {}: {}", p, e.toString());
        }
    }
}
