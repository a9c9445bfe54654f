package dev.panda.persistence.wal;

import static dev.panda.persistence.wal.WalTestSupport.appendSamples;
import static dev.panda.persistence.wal.WalTestSupport.expected;
import static dev.panda.persistence.wal.WalTestSupport.fileNames;
import static dev.panda.persistence.wal.WalTestSupport.replayAll;
import static dev.panda.persistence.wal.WalTestSupport.segments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalWriterReaderTest {
    @TempDir
    Path dir;

    private long sizeOfAllSegments() throws IOException {
        long total = 0;
        for (Path p : segments(dir)) {
            total += Files.size(p);
        }
        return total;
    }

    @Test
    void recordsSurviveAcrossSeveralRolledSegments() throws Exception {
        try (WalWriter w = WalWriter.open(dir, 1, 1024, WalFiles.SYSTEM)) {
            appendSamples(w, 1, 500, 7);
            assertThat(w.lastSeq()).isEqualTo(500);
            assertThat(w.segmentCount()).isGreaterThan(5).isEqualTo(segments(dir).size());
            assertThat(w.totalBytes()).isEqualTo(sizeOfAllSegments()).isEqualTo(w.bytesWritten());
            assertThat(w.healthy()).isTrue();
            assertThat(w.lastError()).isNull();
        }
        List<WalRecord> read = new ArrayList<>();
        WalReplayResult result = WalReader.replay(dir, 0, read::add, false);
        assertThat(read).containsExactlyElementsOf(expected(1, 500));
        assertThat(result.recordsApplied()).isEqualTo(500);
        assertThat(result.recordsRead()).isEqualTo(500);
        assertThat(result.lastSeq()).isEqualTo(500);
        assertThat(result.segments()).isEqualTo(segments(dir).size());
        assertThat(result.bytesRead()).isEqualTo(sizeOfAllSegments());
        assertThat(result.tornTailCut()).isFalse();
        assertThat(result.stoppedAtDamage()).isFalse();
    }

    @Test
    void segmentsAreNamedByTheirFirstSeqAndRollOnlyAfterReachingTheSize() throws Exception {
        try (WalWriter w = WalWriter.open(dir, 1, 1024, WalFiles.SYSTEM)) {
            appendSamples(w, 1, 300, 10);
        }
        List<Path> segs = segments(dir);
        for (int i = 0; i < segs.size(); i++) {
            long first = WalSegments.parseFirstSeq(segs.get(i).getFileName().toString());
            List<WalRecord> inSegment = new ArrayList<>();
            // each segment's first record carries the seq in its name
            try (SegmentCursor c = new SegmentCursor(segs.get(i))) {
                for (WalRecord r = c.next(); r != null; r = c.next()) {
                    inSegment.add(r);
                }
            }
            assertThat(inSegment.get(0).seq()).isEqualTo(first);
            if (i < segs.size() - 1) {
                // rolled segments reached the size; a batch never splits across segments
                assertThat(Files.size(segs.get(i))).isGreaterThanOrEqualTo(1024);
                assertThat((inSegment.get(inSegment.size() - 1).seq()) % 10).isZero();
            }
        }
        assertThat(segs.get(0).getFileName().toString()).isEqualTo("wal-00000000000000000001.log");
        assertThat(WalSegments.fileName(123)).isEqualTo("wal-00000000000000000123.log");
        assertThat(WalSegments.parseFirstSeq("wal-00000000000000000123.log")).isEqualTo(123);
        assertThat(WalSegments.parseFirstSeq("wal-00000000000000000123.log.damaged")).isEqualTo(-1);
        assertThat(WalSegments.parseFirstSeq("wal-0000000000000000012x.log")).isEqualTo(-1);
    }

    @Test
    void replayDeliversOnlyRecordsAfterTheGivenSeq() throws Exception {
        try (WalWriter w = WalWriter.open(dir, 1, 512, WalFiles.SYSTEM)) {
            appendSamples(w, 1, 200, 5);
        }
        List<WalRecord> read = new ArrayList<>();
        WalReplayResult result = WalReader.replay(dir, 137, read::add, false);
        assertThat(read).containsExactlyElementsOf(expected(138, 200));
        assertThat(result.recordsApplied()).isEqualTo(63);
        assertThat(result.recordsRead()).isEqualTo(200);
        assertThat(result.lastSeq()).isEqualTo(200);

        read.clear();
        result = WalReader.replay(dir, 200, read::add, false);
        assertThat(read).isEmpty();
        assertThat(result.lastSeq()).isEqualTo(200);

        read.clear();
        result = WalReader.replay(dir, 5000, read::add, false);
        assertThat(read).isEmpty();
        assertThat(result.recordsApplied()).isZero();
    }

    @Test
    void aMissingOrEmptyDirectoryReplaysNothing() throws Exception {
        WalReplayResult missing = WalReader.replay(dir.resolve("nothing-here"), 0, r -> { throw new AssertionError(); }, false);
        assertThat(missing.recordsApplied()).isZero();
        assertThat(missing.lastSeq()).isZero();
        WalReplayResult empty = WalReader.replay(dir, 0, r -> { throw new AssertionError(); }, false);
        assertThat(empty.segments()).isZero();
    }

    @Test
    void aReopenedWriterContinuesTheLogInANewSegment() throws Exception {
        try (WalWriter w = WalWriter.open(dir, 1, 4096, WalFiles.SYSTEM)) {
            appendSamples(w, 1, 40, 4);
        }
        WalReplayResult first = WalReader.replay(dir, 0, r -> { }, false);
        try (WalWriter w = WalWriter.open(dir, first.lastSeq() + 1, 4096, WalFiles.SYSTEM)) {
            assertThat(w.lastSeq()).isEqualTo(40);
            assertThat(w.segmentCount()).isEqualTo(1);
            appendSamples(w, 41, 60, 4);
            assertThat(w.segmentCount()).isEqualTo(2);
        }
        assertThat(fileNames(dir)).containsExactly("wal-00000000000000000001.log", "wal-00000000000000000041.log");
        assertThat(replayAll(dir)).containsExactlyElementsOf(expected(1, 60));
    }

    @Test
    void openingWithASeqTheLogAlreadyHoldsIsRefused() throws Exception {
        try (WalWriter w = WalWriter.open(dir, 1, 4096, WalFiles.SYSTEM)) {
            appendSamples(w, 1, 10, 10);
        }
        assertThatThrownBy(() -> WalWriter.open(dir, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already holds seq 10");
        assertThatThrownBy(() -> WalWriter.open(dir, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WalWriter.open(dir, 0)).isInstanceOf(IllegalArgumentException.class);
        WalWriter.open(dir, 11).close();
    }

    /** After a snapshot at seq 1000 with the WAL behind it, the writer resumes above the snapshot. */
    @Test
    void theWriterMayResumeAboveTheLogAndReplayFromTheSnapshotSeesNoGap() throws Exception {
        try (WalWriter w = WalWriter.open(dir, 1, 4096, WalFiles.SYSTEM)) {
            appendSamples(w, 1, 10, 10);
        }
        try (WalWriter w = WalWriter.open(dir, 21, 4096, WalFiles.SYSTEM)) {
            for (int i = 21; i <= 30; i++) {
                assertThat(w.append(WalTestSupport.sample(i))).isEqualTo(i);
            }
            w.write();
        }
        List<WalRecord> read = new ArrayList<>();
        WalReader.replay(dir, 20, read::add, false);
        assertThat(read).containsExactlyElementsOf(expected(21, 30));
    }

    @Test
    void trailingEmptySegmentsAreRemovedOnOpen() throws Exception {
        try (WalWriter w = WalWriter.open(dir, 1, 4096, WalFiles.SYSTEM)) {
            appendSamples(w, 1, 5, 5);
        }
        Files.createFile(dir.resolve(WalSegments.fileName(6)));
        assertThat(WalReader.replay(dir, 0, r -> { }, false).lastSeq()).isEqualTo(5);
        try (WalWriter w = WalWriter.open(dir, 6, 4096, WalFiles.SYSTEM)) {
            assertThat(w.segmentCount()).isEqualTo(1);
            appendSamples(w, 6, 8, 3);
        }
        assertThat(replayAll(dir)).containsExactlyElementsOf(expected(1, 8));
    }

    @Test
    void rollStartsTheNextBatchInANewSegmentSoTheOldOneCanBeDeletedWhole() throws Exception {
        try (WalWriter w = WalWriter.open(dir, 1, 1 << 20, WalFiles.SYSTEM)) {
            appendSamples(w, 1, 10, 10);
            w.roll();
            assertThat(w.segmentCount()).isEqualTo(1); // nothing new to write yet: no empty segment
            appendSamples(w, 11, 15, 5);
            assertThat(segments(dir)).hasSize(2);
            assertThat(segments(dir).get(1).getFileName().toString()).isEqualTo(WalSegments.fileName(11));
            assertThat(deleteCovered(w, 10)).isEqualTo(1);
        }
        // As after a snapshot covering seq 10: replay starts after it and finds everything since.
        List<WalRecord> replayed = new java.util.ArrayList<>();
        WalReader.replay(dir, 10, replayed::add, false);
        assertThat(replayed).containsExactlyElementsOf(expected(11, 15));
    }

    /** The store thread detaches covered segments; another thread deletes the files, even after close. */
    @Test
    void detachedSegmentsLeaveTheBookkeepingAtOnceAndTheDiskWhenDeleted() throws Exception {
        List<Path> detached;
        try (WalWriter w = WalWriter.open(dir, 1, 256, WalFiles.SYSTEM)) {
            appendSamples(w, 1, 60, 10);
            int before = w.segmentCount();
            assertThat(before).isGreaterThan(2);
            detached = w.detachSegmentsCoveredBy(60);
            assertThat(detached).isNotEmpty().allMatch(Files::exists);
            assertThat(w.segmentCount()).isEqualTo(before - detached.size());
            assertThat(w.sealedSegments()).extracting(WalWriter.Sealed::path).doesNotContainAnyElementsOf(detached);
        }
        try (WalWriter w = WalWriter.open(dir, 61, 256, WalFiles.SYSTEM)) {
            w.deleteDetached(detached);
        }
        assertThat(detached).noneMatch(Files::exists);
        assertThat(segments(dir)).isNotEmpty();
    }

    @Test
    void coveredSegmentsAreOnlyWhollyCoveredSealedOnes() throws Exception {
        try (WalWriter w = WalWriter.open(dir, 1, 256, WalFiles.SYSTEM)) {
            for (int i = 1; i <= 100; i++) {
                w.append(WalTestSupport.sample(i));
                if (i % 10 == 0) {
                    w.write();
                }
            }
            List<Long> firstSeqs = segments(dir).stream()
                    .map(p -> WalSegments.parseFirstSeq(p.getFileName().toString())).toList();
            assertThat(firstSeqs.size()).isGreaterThan(3);
            long secondStart = firstSeqs.get(1);
            long thirdStart = firstSeqs.get(2);

            // covering only part of the first segment deletes nothing
            assertThat(deleteCovered(w, secondStart - 2)).isZero();
            // covering the first segment's last record deletes exactly it
            assertThat(deleteCovered(w, secondStart - 1)).isEqualTo(1);
            assertThat(segments(dir)).hasSize(firstSeqs.size() - 1);
            assertThat(w.segmentCount()).isEqualTo(firstSeqs.size() - 1);
            assertThat(w.totalBytes()).isEqualTo(sizeOfAllSegments());

            // covering everything never deletes the segment being written
            assertThat(deleteCovered(w, Long.MAX_VALUE)).isEqualTo(firstSeqs.size() - 2);
            assertThat(segments(dir)).hasSize(1);
            assertThat(w.segmentCount()).isEqualTo(1);
            long currentStart = firstSeqs.get(firstSeqs.size() - 1);
            assertThat(thirdStart).isLessThanOrEqualTo(currentStart);

            List<WalRecord> read = new ArrayList<>();
            WalReader.replay(dir, currentStart - 1, read::add, false);
            assertThat(read).containsExactlyElementsOf(expected((int) currentStart, 100));
        }
    }

    /** A replay from before the oldest remaining segment would miss records: that is damage, not an empty start. */
    @Test
    void replayingFromBeforeDeletedSegmentsReportsTheMissingRecords() throws Exception {
        long currentStart;
        try (WalWriter w = WalWriter.open(dir, 1, 256, WalFiles.SYSTEM)) {
            appendSamples(w, 1, 60, 10);
            deleteCovered(w, 60);
            currentStart = WalSegments.parseFirstSeq(segments(dir).get(0).getFileName().toString());
        }
        assertThat(currentStart).isGreaterThan(1);
        assertThatThrownBy(() -> WalReader.replay(dir, 0, r -> { }, false))
                .isInstanceOf(WalCorruptedException.class)
                .hasMessageContaining("records 1.." + (currentStart - 1) + " are missing");
        List<WalRecord> read = new ArrayList<>();
        WalReader.replay(dir, currentStart - 1, read::add, false);
        assertThat(read).hasSize((int) (60 - currentStart + 1));
    }

    @Test
    void closeWritesPendingRecordsAndTheWriterRefusesUseAfterwards() throws Exception {
        WalWriter w = WalWriter.open(dir, 1);
        w.append(WalTestSupport.sample(1));
        w.append(WalTestSupport.sample(2));
        assertThat(w.hasPending()).isTrue();
        assertThat(w.pendingBytes()).isPositive();
        w.close();
        w.close();
        assertThat(replayAll(dir)).containsExactlyElementsOf(expected(1, 2));
        assertThatThrownBy(() -> w.append(WalTestSupport.sample(3))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(w::write).isInstanceOf(IllegalStateException.class);
        w.sync(); // nothing left to sync: no error
    }

    @Test
    void writeWithNothingPendingCreatesNoSegment() throws Exception {
        try (WalWriter w = WalWriter.open(dir, 1)) {
            w.write();
            w.sync();
            assertThat(w.segmentCount()).isZero();
            assertThat(w.bytesWritten()).isZero();
        }
        assertThat(segments(dir)).isEmpty();
    }

    @Test
    void largeValuesCrossTheReadBuffer() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        List<WalRecord> written = new ArrayList<>();
        try (WalWriter w = WalWriter.open(dir, 1, 1024, WalFiles.SYSTEM)) {
            for (int i = 1; i <= 3; i++) {
                WalRecord.Set s = new WalRecord.Set(0, 0, WalTestSupport.b("big" + i), (byte) 0, big, -1);
                long seq = w.append(s);
                written.add(new WalRecord.Set(seq, 0, s.key(), (byte) 0, big, -1));
                WalRecord small = WalTestSupport.sample(i);
                written.add(WalTestSupport.withSeq(small, w.append(small)));
            }
            w.write();
        }
        assertThat(replayAll(dir)).containsExactlyElementsOf(written);
    }

    /**
     * Reopening finds the newest segment's last seq by hopping over record headers: in a segment
     * many times the 1 MB read buffer, with small records (headers straddling the buffer's end)
     * and records larger than the buffer, it lands on the true last seq.
     */
    @Test
    void reopeningAfterASegmentLargerThanTheReadBufferContinuesAtItsLastSeq() throws Exception {
        byte[] big = new byte[(1 << 20) + 333];
        int n = 0;
        try (WalWriter w = WalWriter.open(dir, 1, 64L << 20, WalFiles.SYSTEM)) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 20_000; i++) {
                    w.append(WalTestSupport.sample(++n));
                }
                w.append(new WalRecord.Set(0, 0, WalTestSupport.b("big" + round), (byte) 0, big, -1));
                n++;
            }
            w.write();
        }
        assertThat(segments(dir)).hasSize(1);
        assertThat(Files.size(segments(dir).get(0))).isGreaterThan(4L << 20);
        int last = n;
        assertThatThrownBy(() -> WalWriter.open(dir, last)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already holds seq " + last);
        try (WalWriter w = WalWriter.open(dir, n + 1)) {
            assertThat(w.append(WalTestSupport.sample(1))).isEqualTo(n + 1);
        }
        assertThat(replayAll(dir)).hasSize(n + 1);
    }

    /**
     * Replay reports where the log ends, and the writer takes the newest segment's last seq from
     * that instead of reading the segment again, but only when the report names the newest
     * segment at its current length; otherwise it reads the segment as before.
     */
    @Test
    void theWriterTakesTheNewestSegmentsLastSeqFromReplayOnlyWhenItMatches() throws Exception {
        try (WalWriter w = WalWriter.open(dir, 1, 1024, WalFiles.SYSTEM)) {
            appendSamples(w, 1, 100, 5);
        }
        Path newest = segments(dir).get(segments(dir).size() - 1);
        long length = Files.size(newest);
        WalReplayResult result = WalReader.replay(dir, 0, r -> { }, false);
        assertThat(result.end()).isEqualTo(new WalReplayResult.End(newest, length, 100));

        // Trusted when it matches: a report claiming seq 120 (same file, same length) makes 101 a seq the log holds.
        WalReplayResult.End claims120 = new WalReplayResult.End(newest, length, 120);
        assertThatThrownBy(() -> WalWriter.open(dir, 101, 1024, WalFiles.SYSTEM, claims120))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already holds seq 120");
        // Not trusted for another length or another file: the segment is read, and 101 is right.
        for (WalReplayResult.End stale : List.of(new WalReplayResult.End(newest, length - 1, 120),
                new WalReplayResult.End(segments(dir).get(0), length, 120))) {
            WalWriter.open(dir, 101, 1024, WalFiles.SYSTEM, stale).close();
        }
        try (WalWriter w = WalWriter.open(dir, 101, 1024, WalFiles.SYSTEM, result.end())) {
            appendSamples(w, 101, 150, 5);
        }
        assertThat(replayAll(dir)).containsExactlyElementsOf(expected(1, 150));
    }

    /** Detaches and deletes the segments a snapshot at {@code seq} covers, as recovery's caller does; how many. */
    private static int deleteCovered(WalWriter w, long seq) throws IOException {
        List<Path> covered = w.detachSegmentsCoveredBy(seq);
        w.deleteDetached(covered);
        return covered.size();
    }
}
