package dev.panda.persistence.storage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * What the archive holds: its snapshots and WAL segments, learnt by one LIST at start-up (or
 * when the uploader first reaches S3 after a start-up outage) and kept up to date by the
 * uploader itself, so that uploads and retention need no further listing.
 *
 * <p>Not thread-safe: the start-up thread builds it, then only the uploader thread uses it.
 */
public final class RemoteCatalog {
    /** A snapshot in the archive. */
    public record Snapshot(String name, long seq, long size) { }

    /** A WAL segment in the archive, holding records {@code first..last}. */
    public record Segment(String name, long first, long last, long size) { }

    private final List<Snapshot> snapshots = new ArrayList<>();
    private final TreeMap<Long, Segment> segments = new TreeMap<>();

    /** Lists the archive. */
    public static RemoteCatalog load(BlobStore store) throws StorageException {
        RemoteCatalog catalog = new RemoteCatalog();
        for (BlobStore.Blob b : store.list(ArchiveNames.SNAPSHOTS)) {
            long seq = ArchiveNames.snapshotSeq(b.name());
            if (seq >= 0) {
                catalog.addSnapshot(new Snapshot(b.name(), seq, b.size()));
            }
        }
        for (BlobStore.Blob b : store.list(ArchiveNames.WAL)) {
            long[] range = ArchiveNames.segmentRange(b.name());
            if (range != null) {
                catalog.addSegment(new Segment(b.name(), range[0], range[1], b.size()));
            }
        }
        return catalog;
    }

    void addSnapshot(Snapshot s) {
        snapshots.removeIf(o -> o.name().equals(s.name()));
        snapshots.add(s);
        snapshots.sort(Comparator.comparingLong(Snapshot::seq).thenComparing(Snapshot::name));
    }

    void addSegment(Segment s) {
        segments.put(s.first(), s);
    }

    /** Snapshots, oldest first. */
    public List<Snapshot> snapshots() {
        return List.copyOf(snapshots);
    }

    /** Segments, oldest first. */
    public List<Segment> segments() {
        return List.copyOf(segments.values());
    }

    public boolean hasSnapshot(String name) {
        return snapshots.stream().anyMatch(s -> s.name().equals(name));
    }

    public boolean hasSegment(long first) {
        return segments.containsKey(first);
    }

    /** The seq the newest archived snapshot covers, or -1 without one. */
    public long newestSnapshotSeq() {
        return snapshots.isEmpty() ? -1 : snapshots.get(snapshots.size() - 1).seq();
    }

    /** The highest seq the archive can restore to (snapshot or segment), or -1 when empty. */
    public long newestSeq() {
        long seq = newestSnapshotSeq();
        if (!segments.isEmpty()) {
            seq = Math.max(seq, segments.lastEntry().getValue().last());
        }
        return seq;
    }

    /**
     * Retention: the names to delete so that only the {@code keep} newest snapshots remain, with
     * the segments a restore from the oldest of them still needs. The catalog is unchanged until
     * {@link #remove} (after the store deleted them).
     */
    List<String> expired(int keep) {
        List<String> doomed = new ArrayList<>();
        if (snapshots.size() <= keep) {
            return doomed;
        }
        int drop = snapshots.size() - keep;
        for (int i = 0; i < drop; i++) {
            doomed.add(snapshots.get(i).name());
        }
        long oldestKept = snapshots.get(drop).seq();
        for (Segment s : segments.values()) {
            if (s.last() > oldestKept) {
                break;
            }
            doomed.add(s.name());
        }
        return doomed;
    }

    void remove(List<String> names) {
        snapshots.removeIf(s -> names.contains(s.name()));
        segments.values().removeIf(s -> names.contains(s.name()));
    }
}
