package dev.panda.persistence.storage;

import dev.panda.persistence.crypto.EncryptionKeyException;
import dev.panda.persistence.crypto.EncryptionKeys;
import dev.panda.persistence.snapshot.ParquetSnapshotReader;
import dev.panda.persistence.snapshot.SnapshotInfo;
import dev.panda.persistence.wal.WalSegments;
import dev.panda.persistence.wal.WalWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies snapshots and sealed WAL segments to the archive ({@link BlobStore}, S3 in practice),
 * in the order they were made, and restores from it at start-up.
 *
 * <p><b>Order and consistency.</b> Items upload one at a time, oldest first; a failed item is
 * retried (with backoff) before anything after it, so the archive always holds a snapshot plus
 * an unbroken run of segments after it: a restore from the archive alone is the state at some
 * earlier moment, never a mixture. An item is skipped when a newer snapshot that covers it is
 * queued or archived (a snapshot taken during an outage makes the older backlog unnecessary).
 *
 * <p><b>Failover.</b> Any failure marks the archive degraded and keeps everything on local disk;
 * the item is retried after 0.5 s, doubling up to {@link #MAX_BACKOFF}; the first success clears
 * the state and the backlog drains in order. Local files are deleted only by their owner
 * ({@code Persistence}) once a newer local snapshot covers them; a snapshot waiting here for an
 * upload is never deleted unless a newer one replaces it in the queue.
 *
 * <p><b>API calls.</b> One LIST of {@code snapshots/} and {@code wal/} at start-up (or at the
 * first contact after a start-up outage); per snapshot one PUT (a multipart upload above 16 MiB:
 * create, a part per 8 MiB, complete) plus, once more than {@code keep} are archived, one
 * DeleteObjects; per sealed segment one PUT. No polling.
 *
 * <p>Threads: {@link #enqueueSnapshot}/{@link #enqueueSegment} on the store thread (a short lock,
 * no I/O); uploads on the {@code panda-upload} thread; {@link #status} from any thread;
 * {@link #loadCatalog} and {@link #restoreInto} on the start-up thread before {@link #start}.
 */
public final class Archiver implements AutoCloseable, StorageStatus {
    private static final Logger LOG = LoggerFactory.getLogger(Archiver.class);
    static final long FIRST_BACKOFF_MS = 500;
    static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

    /** A file waiting to be archived. */
    private sealed interface Item permits SnapshotItem, SegmentItem {
        Path file();

        String name();

        /** Bytes, as known when queued (for the backlog figure; no file is read for it). */
        long size();
    }

    private record SnapshotItem(Path file, String name, long seq, long size) implements Item { }

    private record SegmentItem(Path file, String name, long first, long last, long size) implements Item { }

    /** What INFO, STATS and the metrics show. */
    public record Status(String backend, boolean degraded, long degradedSinceMs, String lastError, long lastUploadMs,
                         long uploads, long failures, int backlog, long backlogBytes, long archivedSnapshotSeq) { }

    private final BlobStore store;
    private final EncryptionKeys keys;
    private final LongSupplier clock;
    private volatile int keepSnapshots;
    private final Object lock = new Object();
    /** Guarded by lock. */
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    /** The newest snapshot seq queued or archived; guarded by lock. */
    private long newestSnapshotSeq = -1;
    /** Guarded by lock. */
    private boolean stopped;
    /** Guarded by lock: true while the uploader works on the head item. */
    private boolean busy;
    /** Sum of the queued items' sizes; guarded by lock. */
    private long backlogBytes;
    /** Null until listed; then the uploader thread's. */
    private RemoteCatalog catalog;
    private Thread thread;

    private volatile long degradedSinceMs;
    private volatile String lastError = "";
    private volatile long lastUploadMs;
    private volatile long uploads;
    private volatile long failures;
    private volatile long archivedSnapshotSeq = -1;

    public Archiver(BlobStore store, int keepSnapshots, LongSupplier clock) {
        this(store, keepSnapshots, clock, EncryptionKeys.NONE);
    }

    /** @param keys what restored snapshots are read with (they are archived as written: encrypted or not) */
    public Archiver(BlobStore store, int keepSnapshots, LongSupplier clock, EncryptionKeys keys) {
        this.keys = keys;
        this.store = store;
        this.keepSnapshots = keepSnapshots;
        this.clock = clock;
    }

    public void setKeepSnapshots(int keep) {
        this.keepSnapshots = Math.max(1, keep);
    }

    // ---- start-up ------------------------------------------------------------------------------

    /** Lists the archive (start-up thread, before {@link #start}). */
    public RemoteCatalog loadCatalog() throws StorageException {
        RemoteCatalog c = RemoteCatalog.load(store);
        catalog = c;
        archivedSnapshotSeq = c.newestSnapshotSeq();
        synchronized (lock) {
            newestSnapshotSeq = Math.max(newestSnapshotSeq, c.newestSnapshotSeq());
        }
        return c;
    }

    /** Marks the archive degraded from the start (it could not be listed). */
    public void startedDegraded(StorageException e) {
        degradedSinceMs = clock.getAsLong();
        lastError = e.getMessage();
        failures++;
    }

    /**
     * Brings what the local directories lack from the archive: the newest archived snapshot if it
     * is newer than {@code localSnapshotSeq} (-1: none), then the archived segments after the
     * chosen snapshot that the local log does not have. Downloads go to temp names and are
     * renamed once complete; a snapshot is checked (footer) before it is renamed, and a bad one
     * makes the next older one be tried. Segments are checked by the WAL replay that follows
     * (CRCs, no missing seq). Start-up thread, after {@link #loadCatalog}.
     *
     * @return the number of files downloaded
     */
    public int restoreInto(Path snapshotDir, Path walDir, long localSnapshotSeq) throws IOException {
        int downloaded = 0;
        long chosen = localSnapshotSeq;
        List<RemoteCatalog.Snapshot> snapshots = catalog.snapshots();
        for (int i = snapshots.size() - 1; i >= 0 && snapshots.get(i).seq() > localSnapshotSeq; i--) {
            RemoteCatalog.Snapshot s = snapshots.get(i);
            String fileName = s.name().substring(ArchiveNames.SNAPSHOTS.length());
            Files.createDirectories(snapshotDir);
            Path temp = snapshotDir.resolve("." + fileName + ".download");
            store.get(s.name(), temp);
            try {
                SnapshotInfo info = ParquetSnapshotReader.readInfo(temp, keys);
                if (info.walSeq() != s.seq()) {
                    throw new IOException("its footer says WAL seq " + info.walSeq());
                }
            } catch (EncryptionKeyException e) {
                Files.deleteIfExists(temp);
                throw new EncryptionKeyException("archived " + e.getMessage(), e); // not damage: an older one would lose data
            } catch (IOException e) {
                LOG.warn("archived snapshot {} is not usable ({}); trying an older one", s.name(), e.getMessage());
                Files.deleteIfExists(temp);
                continue;
            }
            Files.move(temp, snapshotDir.resolve(fileName), StandardCopyOption.ATOMIC_MOVE);
            LOG.info("restored snapshot {} from {}", fileName, store.describe());
            chosen = s.seq();
            downloaded++;
            break;
        }
        Files.createDirectories(walDir);
        List<WalSegments.Segment> local = WalSegments.list(dev.panda.persistence.wal.WalFiles.SYSTEM, walDir);
        Set<Long> localFirsts = new HashSet<>();
        local.forEach(l -> localFirsts.add(l.firstSeq()));
        long localStart = local.isEmpty() ? Long.MAX_VALUE : local.get(0).firstSeq();
        for (RemoteCatalog.Segment seg : catalog.segments()) {
            // Only what lies after the snapshot and before the local log begins: the local log
            // is the same history, and where both have a segment they are the same file.
            if (seg.last() <= chosen || localFirsts.contains(seg.first()) || seg.last() >= localStart) {
                continue;
            }
            Path target = walDir.resolve(WalSegments.fileName(seg.first()));
            Path temp = walDir.resolve("." + target.getFileName() + ".download");
            store.get(seg.name(), temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            downloaded++;
        }
        if (downloaded > 0) {
            LOG.info("restored {} file(s) from {}", downloaded, store.describe());
        }
        return downloaded;
    }

    /** Starts the uploader thread. */
    public void start() {
        thread = new Thread(this::run, "panda-upload");
        thread.setDaemon(true);
        thread.start();
    }

    // ---- queueing (store thread) -----------------------------------------------------------------

    /** A snapshot was stored locally: archive it; older queued items it covers are no longer needed. */
    public void enqueueSnapshot(Path file, long seq, long size) {
        synchronized (lock) {
            queue.add(new SnapshotItem(file, ArchiveNames.snapshot(file.getFileName().toString()), seq, size));
            backlogBytes += size;
            newestSnapshotSeq = Math.max(newestSnapshotSeq, seq);
            lock.notifyAll();
        }
    }

    /** The log sealed a segment: archive it. */
    public void enqueueSegment(WalWriter.Sealed segment) {
        if (segment.lastSeq() < segment.firstSeq()) {
            return; // holds no record
        }
        synchronized (lock) {
            queue.add(new SegmentItem(segment.path(), ArchiveNames.segment(segment.firstSeq(), segment.lastSeq()),
                    segment.firstSeq(), segment.lastSeq(), segment.size()));
            backlogBytes += segment.size();
            lock.notifyAll();
        }
    }

    // ---- uploader thread -----------------------------------------------------------------------

    private void run() {
        long backoff = FIRST_BACKOFF_MS;
        while (true) {
            Item item;
            synchronized (lock) {
                while (queue.isEmpty() && !stopped) {
                    waitQuietly(0);
                }
                if (stopped) {
                    return;
                }
                item = queue.peek();
                busy = true;
            }
            try {
                boolean contacted = upload(item);
                done(item);
                if (contacted && degradedSinceMs != 0) {
                    LOG.info("archive storage {} answers again after {} s; backlog {} item(s)", store.describe(),
                            (clock.getAsLong() - degradedSinceMs) / 1000, backlog());
                    degradedSinceMs = 0;
                }
                backoff = FIRST_BACKOFF_MS;
            } catch (StorageException e) {
                failures++;
                lastError = e.getMessage();
                if (degradedSinceMs == 0) {
                    degradedSinceMs = clock.getAsLong();
                    LOG.warn("archive storage degraded, files stay on local disk and are retried: {}", e.getMessage());
                } else {
                    LOG.debug("archive upload failed again: {}", e.getMessage());
                }
                synchronized (lock) {
                    busy = false;
                    lock.notifyAll();
                    if (!stopped) {
                        waitQuietly(backoff);
                    }
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
            } catch (NoSuchFileException e) {
                done(item);
                LOG.warn("{} vanished before it was archived: {}", item.file(), e.getMessage());
            } catch (IOException | RuntimeException e) {
                done(item);
                LOG.error("cannot archive {}: {}", item.file(), e.toString());
            }
        }
    }

    /** Takes the head item off the queue: archived, unnecessary, or given up on. */
    private void done(Item item) {
        synchronized (lock) {
            queue.remove(item);
            backlogBytes -= item.size();
            busy = false;
            lock.notifyAll();
        }
    }

    /** Archives the item unless it is unnecessary; true when the store was called (and answered). */
    private boolean upload(Item item) throws IOException {
        boolean contacted = false;
        if (catalog == null) {
            loadCatalog(); // S3 was down at start-up: learn what it has before adding to it
            contacted = true;
        }
        if (superseded(item)) {
            return contacted;
        }
        if (item instanceof SnapshotItem s) {
            if (!catalog.hasSnapshot(s.name())) {
                long size = put(item);
                catalog.addSnapshot(new RemoteCatalog.Snapshot(s.name(), s.seq(), size));
                contacted = true;
            }
            archivedSnapshotSeq = Math.max(archivedSnapshotSeq, s.seq());
            List<String> expired = catalog.expired(keepSnapshots);
            if (!expired.isEmpty()) {
                store.delete(expired);
                catalog.remove(expired);
                LOG.info("archive retention: deleted {} file(s), keeping {} snapshot(s)", expired.size(), keepSnapshots);
            }
        } else if (item instanceof SegmentItem g && !catalog.hasSegment(g.first())) {
            long size = put(item);
            catalog.addSegment(new RemoteCatalog.Segment(g.name(), g.first(), g.last(), size));
            contacted = true;
        }
        return contacted;
    }

    private long put(Item item) throws IOException {
        if (!Files.exists(item.file())) {
            throw new NoSuchFileException(item.file().toString());
        }
        long size = Files.size(item.file());
        store.put(item.name(), item.file());
        uploads++;
        lastUploadMs = clock.getAsLong();
        LOG.debug("archived {} ({} bytes)", item.name(), size);
        return size;
    }

    /** A newer snapshot, queued or archived, makes this item unnecessary. */
    private boolean superseded(Item item) {
        long newest;
        synchronized (lock) {
            newest = newestSnapshotSeq;
        }
        newest = Math.max(newest, catalog.newestSnapshotSeq());
        if (item instanceof SnapshotItem s) {
            return s.seq() < newest;
        }
        return ((SegmentItem) item).last() <= newest;
    }

    private void waitQuietly(long millis) {
        try {
            lock.wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    // ---- visibility and shutdown ---------------------------------------------------------------

    @Override
    public String backend() {
        return store.kind();
    }

    @Override
    public boolean degraded() {
        return degradedSinceMs != 0;
    }

    @Override
    public long uploadBacklog() {
        return backlog();
    }

    @Override
    public long uploadFailures() {
        return failures;
    }

    private int backlog() {
        synchronized (lock) {
            return queue.size();
        }
    }

    public Status status() {
        int items;
        long bytes;
        synchronized (lock) {
            items = queue.size();
            bytes = backlogBytes;
        }
        return new Status(store.describe(), degradedSinceMs != 0, degradedSinceMs, lastError, lastUploadMs, uploads,
                failures, items, bytes, archivedSnapshotSeq);
    }

    /**
     * Waits up to {@code max} for the backlog to drain (shutdown); true when it did. Whatever is
     * left stays on local disk and is archived after the next start.
     */
    public boolean drain(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (lock) {
            while (!queue.isEmpty() && !stopped) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0 || (degradedSinceMs != 0 && !busy)) {
                    return false; // down: do not hold up the shutdown for a retry
                }
                waitQuietly(left);
            }
            return queue.isEmpty();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            stopped = true;
            lock.notifyAll();
        }
        if (thread != null) {
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        store.close();
    }
}
