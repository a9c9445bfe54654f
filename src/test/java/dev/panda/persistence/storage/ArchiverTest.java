package dev.panda.persistence.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panda.persistence.snapshot.Compression;
import dev.panda.persistence.snapshot.ParquetSnapshotWriter;
import dev.panda.persistence.snapshot.SnapshotRow;
import dev.panda.persistence.wal.WalSegments;
import dev.panda.persistence.wal.WalWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archiver's order, skipping, failover, retention and restore, against a {@link LocalBlobStore}
 * that a switch can make fail (the S3 store itself is tested against a real S3 server).
 */
class ArchiverTest {
    @TempDir
    Path local;
    @TempDir
    Path remote;

    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger puts = new AtomicInteger();
    private Archiver archiver;

    /** The local store, failing every call as "unreachable" while {@code down} is set. */
    private final class SwitchableStore implements BlobStore {
        final LocalBlobStore inner = new LocalBlobStore(remote);

        private void check() throws StorageException {
            if (down.get()) {
                throw new StorageException(StorageException.Kind.UNREACHABLE, "test store is down", null);
            }
        }

        @Override
        public void put(String name, Path file) throws StorageException {
            check();
            puts.incrementAndGet();
            inner.put(name, file);
        }

        @Override
        public void get(String name, Path target) throws StorageException {
            check();
            inner.get(name, target);
        }

        @Override
        public List<Blob> list(String prefix) throws StorageException {
            check();
            return inner.list(prefix);
        }

        @Override
        public void delete(Collection<String> names) throws StorageException {
            check();
            inner.delete(names);
        }

        @Override
        public String kind() {
            return "test";
        }

        @Override
        public String describe() {
            return "Test";
        }

        @Override
        public void close() {
        }
    }

    @AfterEach
    void close() {
        if (archiver != null) {
            archiver.close();
        }
    }

    private Archiver start(int keep) throws Exception {
        archiver = new Archiver(new SwitchableStore(), keep, System::currentTimeMillis);
        archiver.loadCatalog();
        archiver.start();
        return archiver;
    }

    private WalWriter.Sealed segment(long first, long last) throws Exception {
        Path p = Files.writeString(local.resolve(WalSegments.fileName(first)), "records " + first + ".." + last);
        return new WalWriter.Sealed(p, first, last, Files.size(p));
    }

    private Path snapshot(long seq) throws Exception {
        ParquetSnapshotWriter w = ParquetSnapshotWriter.create(local, seq, Compression.SNAPPY);
        w.write(new SnapshotRow(0, ("k" + seq).getBytes(StandardCharsets.UTF_8), "string", "v".getBytes(StandardCharsets.UTF_8), -1));
        return w.commit();
    }

    private List<String> remoteNames() throws Exception {
        return new LocalBlobStore(remote).list("").stream().map(BlobStore.Blob::name).toList();
    }

    private void awaitEmptyBacklog() throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (archiver.status().backlog() > 0) {
            assertThat(System.nanoTime()).as("backlog drained").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void uploadsSegmentsAndSnapshotsUnderTheirArchiveNames() throws Exception {
        start(3);
        archiver.enqueueSegment(segment(1, 10));
        Path snap = snapshot(10);
        archiver.enqueueSnapshot(snap, 10, Files.size(snap));
        archiver.enqueueSegment(segment(11, 25));
        awaitEmptyBacklog();
        assertThat(remoteNames()).containsExactly(
                "snapshots/" + snap.getFileName(), ArchiveNames.segment(1, 10), ArchiveNames.segment(11, 25));
        Archiver.Status status = archiver.status();
        assertThat(status.degraded()).isFalse();
        assertThat(status.uploads()).isEqualTo(3);
        assertThat(status.archivedSnapshotSeq()).isEqualTo(10);
    }

    @Test
    void anOutageKeepsTheBacklogAndANewerSnapshotMakesTheCoveredPartUnnecessary() throws Exception {
        start(3);
        down.set(true);
        archiver.enqueueSegment(segment(1, 10));
        archiver.enqueueSegment(segment(11, 20));
        Path old = snapshot(5);
        archiver.enqueueSnapshot(old, 5, Files.size(old));
        Path snap = snapshot(20);
        archiver.enqueueSnapshot(snap, 20, Files.size(snap));
        WalWriter.Sealed tail = segment(21, 30);
        archiver.enqueueSegment(tail);
        // What snapshot 20 covers is dropped from the backlog even while the store is down.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!archiver.status().degraded() || archiver.status().backlog() > 2) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(10);
        }
        Archiver.Status status = archiver.status();
        assertThat(status.backlog()).isEqualTo(2);
        assertThat(status.backlogBytes()).isEqualTo(Files.size(snap) + tail.size());
        assertThat(status.failures()).isPositive();
        assertThat(status.lastError()).contains("test store is down");
        assertThat(remoteNames()).isEmpty();

        down.set(false);
        awaitEmptyBacklog();
        // Segments 1..20 and the older snapshot are covered by snapshot 20: never uploaded.
        assertThat(remoteNames()).containsExactly("snapshots/" + snap.getFileName(), ArchiveNames.segment(21, 30));
        assertThat(puts).hasValue(2);
        assertThat(archiver.status().degraded()).isFalse();
    }

    @Test
    void retentionKeepsTheNewestSnapshotsAndTheSegmentsTheyNeed() throws Exception {
        start(2);
        archiver.enqueueSegment(segment(1, 10));
        Path s10 = snapshot(10);
        archiver.enqueueSnapshot(s10, 10, Files.size(s10));
        awaitEmptyBacklog();
        archiver.enqueueSegment(segment(11, 20));
        Path s20 = snapshot(20);
        archiver.enqueueSnapshot(s20, 20, Files.size(s20));
        awaitEmptyBacklog();
        archiver.enqueueSegment(segment(21, 30));
        Path s30 = snapshot(30);
        archiver.enqueueSnapshot(s30, 30, Files.size(s30));
        archiver.enqueueSegment(segment(31, 40));
        awaitEmptyBacklog();
        assertThat(remoteNames()).containsExactly("snapshots/" + s20.getFileName(), "snapshots/" + s30.getFileName(),
                ArchiveNames.segment(21, 30), ArchiveNames.segment(31, 40));
    }

    @Test
    void restoreBringsTheNewestUsableSnapshotAndTheSegmentsAfterIt() throws Exception {
        LocalBlobStore store = new LocalBlobStore(remote);
        Path s10 = snapshot(10);
        store.put("snapshots/" + s10.getFileName(), s10);
        Path bad = Files.writeString(local.resolve("snapshot-00000000000000000030-1.parquet"), "not parquet");
        store.put("snapshots/" + bad.getFileName(), bad);
        store.put(ArchiveNames.segment(1, 10), segment(1, 10).path());
        store.put(ArchiveNames.segment(11, 35), segment(11, 35).path());
        store.put(ArchiveNames.segment(36, 50), segment(36, 50).path());

        Path fresh = Files.createTempDirectory(local, "fresh");
        archiver = new Archiver(new SwitchableStore(), 3, System::currentTimeMillis);
        archiver.loadCatalog();
        int downloaded = archiver.restoreInto(fresh, fresh.resolve("wal"), -1);

        assertThat(downloaded).isEqualTo(3);
        assertThat(Files.readAllBytes(fresh.resolve(s10.getFileName().toString()))).isEqualTo(Files.readAllBytes(s10));
        assertThat(fresh.resolve(bad.getFileName().toString())).doesNotExist(); // unreadable: the older one was taken
        try (var files = Files.list(fresh.resolve("wal"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly(WalSegments.fileName(11), WalSegments.fileName(36));
        }
        assertThat(Files.readString(fresh.resolve("wal").resolve(WalSegments.fileName(36)))).isEqualTo("records 36..50");
    }

    @Test
    void restoreKeepsWhatTheLocalDirectoryAlreadyHas() throws Exception {
        LocalBlobStore store = new LocalBlobStore(remote);
        store.put(ArchiveNames.segment(1, 10), segment(1, 10).path());
        store.put(ArchiveNames.segment(11, 20), segment(11, 20).path());
        Path wal = Files.createDirectories(local.resolve("wal"));
        Files.writeString(wal.resolve(WalSegments.fileName(11)), "the local copy");
        archiver = new Archiver(new SwitchableStore(), 3, System::currentTimeMillis);
        archiver.loadCatalog();

        assertThat(archiver.restoreInto(local, wal, -1)).isEqualTo(1);
        assertThat(Files.readString(wal.resolve(WalSegments.fileName(11)))).isEqualTo("the local copy");
        assertThat(Files.readString(wal.resolve(WalSegments.fileName(1)))).isEqualTo("records 1..10");
    }
}
