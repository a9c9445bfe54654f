package dev.panda.persistence.wal;

import static dev.panda.persistence.wal.WalTestSupport.expected;
import static dev.panda.persistence.wal.WalTestSupport.fileNames;
import static dev.panda.persistence.wal.WalTestSupport.replayAll;
import static dev.panda.persistence.wal.WalTestSupport.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalWriterFailureTest {
    @TempDir
    Path dir;

    private final FaultyFiles files = new FaultyFiles();

    private static void append(WalWriter w, int from, int to) {
        for (int i = from; i <= to; i++) {
            assertThat(w.append(sample(i))).isEqualTo(i);
        }
    }

    @Test
    void aFullDiskFailsWritesAndOnceLiftedEveryRecordIsWrittenOnceInOrder() throws Exception {
        try (WalWriter w = WalWriter.open(dir, 1, 512, files)) {
            append(w, 1, 10);
            w.write();
            assertThat(w.healthy()).isTrue();

            files.failWrites = FaultyFiles.diskFull();
            append(w, 11, 20);
            int pending = w.pendingBytes();
            assertThatThrownBy(w::write).isInstanceOf(IOException.class).hasMessage("No space left on device");
            assertThat(w.healthy()).isFalse();
            assertThat(w.lastError()).contains("No space left on device").startsWith("write failed");
            assertThat(w.pendingBytes()).isEqualTo(pending);

            append(w, 21, 30); // the store keeps appending while the disk is full
            assertThatThrownBy(w::write).hasMessage("No space left on device");
            assertThat(w.healthy()).isFalse();

            files.failWrites = null;
            w.write();
            assertThat(w.healthy()).isTrue();
            assertThat(w.lastError()).contains("No space left on device"); // the last error is kept
            assertThat(w.hasPending()).isFalse();
            append(w, 31, 40);
            w.write();
            w.sync();
        }
        assertThat(replayAll(dir)).containsExactlyElementsOf(expected(1, 40));
    }

    /** The disk fills in the middle of a record: the rest is written later at the same offset. */
    @Test
    void aPartialWriteIsCompletedInPlaceAndTheSegmentDoesNotRollMidRecord() throws Exception {
        try (WalWriter w = WalWriter.open(dir, 1, 1, files)) { // every batch rolls
            append(w, 1, 5);
            w.write();

            files.writeBudget = 30;
            files.failWrites = FaultyFiles.diskFull();
            append(w, 6, 10);
            int pending = w.pendingBytes();
            assertThatThrownBy(w::write).hasMessage("No space left on device");
            assertThat(w.pendingBytes()).isEqualTo(pending - 30);
            assertThat(Files.size(dir.resolve(WalSegments.fileName(6)))).isEqualTo(30);
            assertThatThrownBy(w::write).hasMessage("No space left on device");

            files.failWrites = null;
            append(w, 11, 12); // appended while half a record is still unwritten
            w.write();
            assertThat(w.healthy()).isTrue();
            append(w, 13, 15);
            w.write();
        }
        assertThat(fileNames(dir)).containsExactly(WalSegments.fileName(1), WalSegments.fileName(6),
                WalSegments.fileName(13));
        assertThat(replayAll(dir)).containsExactlyElementsOf(expected(1, 15));
    }

    /** A crash while the disk is full leaves a torn record: recovery cuts it and keeps the rest. */
    @Test
    void aCrashDuringAPartialWriteLeavesATornTailThatRecoveryCuts() throws Exception {
        WalWriter w = WalWriter.open(dir, 1, 1 << 20, files);
        append(w, 1, 5);
        w.write();
        files.writeBudget = 25;
        files.failWrites = FaultyFiles.diskFull();
        append(w, 6, 8);
        assertThatThrownBy(w::write).isInstanceOf(IOException.class);
        // "crash": the process is gone; recovery runs on what is on disk
        List<WalRecord> read = new ArrayList<>();
        WalReplayResult result = WalReader.replay(dir, 0, read::add, false);
        assertThat(read).containsExactlyElementsOf(expected(1, 5));
        assertThat(result.tornTailCut()).isTrue();
        assertThat(result.tornTail().bytesDiscarded()).isEqualTo(25);
        assertThatThrownBy(w::close).isInstanceOf(IOException.class); // release the file; the write still fails
    }

    @Test
    void failingToCreateASegmentIsRetried() throws Exception {
        files.failOpen = FaultyFiles.diskFull();
        try (WalWriter w = WalWriter.open(dir, 1, 1024, files)) {
            append(w, 1, 3);
            assertThatThrownBy(w::write).hasMessage("No space left on device");
            assertThat(w.healthy()).isFalse();
            assertThat(w.segmentCount()).isZero();
            files.failOpen = null;
            w.write();
            assertThat(w.healthy()).isTrue();
            assertThat(w.segmentCount()).isEqualTo(1);
        }
        assertThat(replayAll(dir)).containsExactlyElementsOf(expected(1, 3));
    }

    @Test
    void theDirectoryIsFsyncedBeforeRecordsGoIntoANewSegment() throws Exception {
        files.failDirSync = new IOException("Input/output error");
        try (WalWriter w = WalWriter.open(dir, 1, 1024, files)) {
            append(w, 1, 3);
            assertThatThrownBy(w::write).hasMessage("Input/output error");
            assertThat(w.bytesWritten()).isZero(); // nothing written into an unsynced directory entry
            files.failDirSync = null;
            w.write();
            assertThat(files.dirSyncs.get()).isEqualTo(1);
            assertThat(w.bytesWritten()).isPositive();
        }
        assertThat(replayAll(dir)).containsExactlyElementsOf(expected(1, 3));
    }

    /** After a failed fsync the kernel may have dropped dirty pages: the writer stays unhealthy. */
    @Test
    void aFailedFsyncIsSticky() throws Exception {
        try (WalWriter w = WalWriter.open(dir, 1, 1 << 20, files)) {
            append(w, 1, 3);
            w.write();
            files.failForce = new IOException("Input/output error");
            assertThatThrownBy(w::sync).hasMessage("Input/output error");
            assertThat(w.healthy()).isFalse();
            assertThat(w.lastError()).startsWith("fsync failed").contains("Input/output error");
            files.failForce = null;
            w.sync();
            append(w, 4, 5);
            w.write();
            assertThat(w.healthy()).isFalse();
        }
        assertThat(replayAll(dir)).containsExactlyElementsOf(expected(1, 5));
    }

    @Test
    void aFailedFsyncWhileRollingKeepsTheSegmentAndTheBatch() throws Exception {
        try (WalWriter w = WalWriter.open(dir, 1, 1, files)) {
            append(w, 1, 3);
            w.write();
            files.failForce = new IOException("Input/output error");
            append(w, 4, 6);
            assertThatThrownBy(w::write).hasMessage("Input/output error");
            assertThat(w.segmentCount()).isEqualTo(1);
            assertThat(w.hasPending()).isTrue();
            files.failForce = null;
            w.write();
            assertThat(w.segmentCount()).isEqualTo(2);
            assertThat(w.healthy()).isFalse();
        }
        assertThat(replayAll(dir)).containsExactlyElementsOf(expected(1, 6));
    }

    /** java.nio closes a channel when a thread is interrupted inside it; the writer reopens it. */
    @Test
    void anInterruptedSyncThreadDoesNotBreakTheWriter() throws Exception {
        try (WalWriter w = WalWriter.open(dir, 1)) {
            append(w, 1, 3);
            w.write();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread syncer = new Thread(() -> {
                Thread.currentThread().interrupt();
                try {
                    w.sync();
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            syncer.start();
            syncer.join();
            assertThat(thrown.get()).isInstanceOf(ClosedByInterruptException.class);
            assertThat(w.healthy()).isTrue(); // not an fsync failure

            append(w, 4, 6);
            w.write();
            w.sync();
            assertThat(w.healthy()).isTrue();
        }
        assertThat(replayAll(dir)).containsExactlyElementsOf(expected(1, 6));
    }
}
