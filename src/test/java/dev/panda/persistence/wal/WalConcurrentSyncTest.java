package dev.panda.persistence.wal;

import static dev.panda.persistence.wal.WalTestSupport.expected;
import static dev.panda.persistence.wal.WalTestSupport.replayAll;
import static dev.panda.persistence.wal.WalTestSupport.sample;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The everysec fsync thread runs sync() while the store thread writes and rolls segments. */
class WalConcurrentSyncTest {
    @TempDir
    Path dir;

    @Test
    void syncFromAnotherThreadWhileWritingAndRollingNeverFailsAndLosesNothing() throws Exception {
        int records = 20_000;
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong syncs = new AtomicLong();
        CountDownLatch started = new CountDownLatch(1);
        try (WalWriter w = WalWriter.open(dir, 1, 4096, WalFiles.SYSTEM)) {
            Thread syncer = new Thread(() -> {
                started.countDown();
                try {
                    while (!done.get()) {
                        w.sync();
                        syncs.incrementAndGet();
                    }
                    w.sync();
                    syncs.incrementAndGet();
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "wal-fsync-test");
            syncer.start();
            started.await();
            try {
                for (int i = 1; i <= records; i++) {
                    w.append(sample(i));
                    if (i % 3 == 0) {
                        w.write();
                    }
                }
                w.write();
            } finally {
                done.set(true);
                syncer.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(syncs.get()).isPositive();
            assertThat(w.healthy()).isTrue();
            assertThat(w.segmentCount()).isGreaterThan(50);
        }
        assertThat(replayAll(dir)).containsExactlyElementsOf(expected(1, records));
    }

    /**
     * Deterministic interleaving: the fsync thread has picked up the current segment and is
     * about to fsync it when the store thread rolls (fsyncs and closes) it. The sync must
     * succeed: the roll already made that segment durable.
     */
    @Test
    void aSyncRacingARollTreatsTheRolledSegmentAsDurable() throws Exception {
        FaultyFiles files = new FaultyFiles();
        CountDownLatch syncEnteredForce = new CountDownLatch(1);
        CountDownLatch rolled = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (WalWriter w = WalWriter.open(dir, 1, 1, files)) {
            for (int i = 1; i <= 3; i++) {
                w.append(sample(i));
            }
            w.write();
            Thread syncer = new Thread(() -> {
                try {
                    w.sync();
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "wal-fsync-test");
            files.beforeForce = () -> {
                if (Thread.currentThread() == syncer) {
                    syncEnteredForce.countDown();
                    try {
                        rolled.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
            };
            syncer.start();
            syncEnteredForce.await();
            for (int i = 4; i <= 6; i++) {
                w.append(sample(i));
            }
            w.write(); // rolls: fsyncs and closes the segment the syncer is about to fsync
            assertThat(w.segmentCount()).isEqualTo(2);
            rolled.countDown();
            syncer.join();
            assertThat(failure.get()).isNull();
            assertThat(w.healthy()).isTrue();
            files.beforeForce = null;
            w.sync();
        }
        assertThat(replayAll(dir)).containsExactlyElementsOf(expected(1, 6));
    }
}
