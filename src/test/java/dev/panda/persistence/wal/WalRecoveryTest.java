package dev.panda.persistence.wal;

import static dev.panda.persistence.wal.WalTestSupport.appendSamples;
import static dev.panda.persistence.wal.WalTestSupport.expected;
import static dev.panda.persistence.wal.WalTestSupport.fileNames;
import static dev.panda.persistence.wal.WalTestSupport.flipByte;
import static dev.panda.persistence.wal.WalTestSupport.recordOffsets;
import static dev.panda.persistence.wal.WalTestSupport.replayAll;
import static dev.panda.persistence.wal.WalTestSupport.segments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalRecoveryTest {
    @TempDir
    Path dir;

    /** 1..count in segments of about 1 KiB, batches of 5. */
    private List<Path> writeLog(int count) throws IOException {
        try (WalWriter w = WalWriter.open(dir, 1, 1024, WalFiles.SYSTEM)) {
            appendSamples(w, 1, count, 5);
        }
        List<Path> segs = segments(dir);
        assertThat(segs.size()).isGreaterThanOrEqualTo(3);
        return segs;
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    private static long firstSeqOf(Path segment) {
        return WalSegments.parseFirstSeq(segment.getFileName().toString());
    }

    @Test
    void aTornTailIsCutReportedAndTheLogContinues() throws Exception {
        List<Path> segs = writeLog(200);
        Path newest = segs.get(segs.size() - 1);
        List<Long> offsets = recordOffsets(newest);
        long lastRecordStart = offsets.get(offsets.size() - 1);
        long fullSize = Files.size(newest);
        truncate(newest, fullSize - 3); // the last record lost its final bytes

        List<WalRecord> read = new ArrayList<>();
        WalReplayResult result = WalReader.replay(dir, 0, read::add, false);

        assertThat(read).containsExactlyElementsOf(expected(1, 199));
        assertThat(result.tornTailCut()).isTrue();
        assertThat(result.tornTail().file()).isEqualTo(newest);
        assertThat(result.tornTail().offset()).isEqualTo(lastRecordStart);
        assertThat(result.tornTail().bytesDiscarded()).isEqualTo(fullSize - 3 - lastRecordStart);
        assertThat(result.tornTail().reason()).contains("past the end of the file");
        assertThat(result.tornTail().describe()).contains(newest.toString()).contains("offset " + lastRecordStart);
        assertThat(result.lastSeq()).isEqualTo(199);
        assertThat(Files.size(newest)).isEqualTo(lastRecordStart);
        assertThat(result.end()).isEqualTo(new WalReplayResult.End(newest, lastRecordStart, 199));

        try (WalWriter w = WalWriter.open(dir, result.lastSeq() + 1, 1024, WalFiles.SYSTEM, result.end())) {
            appendSamples(w, 200, 230, 5);
        }
        WalReplayResult again = WalReader.replay(dir, 0, r -> { }, false);
        assertThat(again.tornTailCut()).isFalse();
        assertThat(replayAll(dir)).containsExactlyElementsOf(expected(1, 230));
    }

    @Test
    void aTailCutInsideTheHeaderIsTornToo() throws Exception {
        List<Path> segs = writeLog(100);
        Path newest = segs.get(segs.size() - 1);
        List<Long> offsets = recordOffsets(newest);
        long lastStart = offsets.get(offsets.size() - 1);
        truncate(newest, lastStart + 5);
        WalReplayResult result = WalReader.replay(dir, 0, r -> { }, false);
        assertThat(result.tornTail().offset()).isEqualTo(lastStart);
        assertThat(result.lastSeq()).isEqualTo(99);
        assertThat(Files.size(newest)).isEqualTo(lastStart);
    }

    @Test
    void aBadCrcInTheLastRecordOfTheNewestSegmentIsATornTail() throws Exception {
        List<Path> segs = writeLog(100);
        Path newest = segs.get(segs.size() - 1);
        List<Long> offsets = recordOffsets(newest);
        long lastStart = offsets.get(offsets.size() - 1);
        flipByte(newest, Files.size(newest) - 2);
        WalReplayResult result = WalReader.replay(dir, 0, r -> { }, false);
        assertThat(result.tornTailCut()).isTrue();
        assertThat(result.tornTail().offset()).isEqualTo(lastStart);
        assertThat(result.tornTail().reason()).contains("CRC32C mismatch");
        assertThat(result.lastSeq()).isEqualTo(99);
    }

    /** A crash can leave the file longer than its data, the rest zero-filled. */
    @Test
    void aZeroFilledTailIsATornTail() throws Exception {
        List<Path> segs = writeLog(100);
        Path newest = segs.get(segs.size() - 1);
        long size = Files.size(newest);
        Files.write(newest, new byte[10_000], StandardOpenOption.APPEND);
        WalReplayResult result = WalReader.replay(dir, 0, r -> { }, false);
        assertThat(result.tornTail().offset()).isEqualTo(size);
        assertThat(result.tornTail().bytesDiscarded()).isEqualTo(10_000);
        assertThat(result.lastSeq()).isEqualTo(100);
        assertThat(Files.size(newest)).isEqualTo(size);
    }

    @Test
    void aFlippedByteInAnOlderSegmentStopsStartUpNamingFileAndOffset() throws Exception {
        List<Path> segs = writeLog(200);
        Path older = segs.get(1);
        long third = recordOffsets(older).get(2);
        flipByte(older, third + 20);
        long before = Files.size(older);

        assertThatThrownBy(() -> WalReader.replay(dir, 0, r -> { }, false))
                .isInstanceOfSatisfying(WalCorruptedException.class, e -> {
                    assertThat(e.file()).isEqualTo(older);
                    assertThat(e.offset()).isEqualTo(third);
                    assertThat(e.getMessage()).contains(older.toString()).contains("byte offset " + third)
                            .contains("CRC32C mismatch").contains("not the newest");
                });
        assertThat(Files.size(older)).isEqualTo(before); // nothing was cut
        assertThat(segments(dir)).isEqualTo(segs);
    }

    @Test
    void aTornTailInAnOlderSegmentIsDamage() throws Exception {
        List<Path> segs = writeLog(200);
        Path oldest = segs.get(0);
        truncate(oldest, Files.size(oldest) - 1);
        assertThatThrownBy(() -> WalReader.replay(dir, 0, r -> { }, false))
                .isInstanceOf(WalCorruptedException.class)
                .hasMessageContaining(oldest.toString());
    }

    @Test
    void aBadRecordFollowedByValidRecordsInTheNewestSegmentIsDamage() throws Exception {
        List<Path> segs = writeLog(200);
        Path newest = segs.get(segs.size() - 1);
        List<Long> offsets = recordOffsets(newest);
        assertThat(offsets.size()).isGreaterThan(3);
        long second = offsets.get(1);
        flipByte(newest, second + 12);
        long before = Files.size(newest);

        assertThatThrownBy(() -> WalReader.replay(dir, 0, r -> { }, false))
                .isInstanceOfSatisfying(WalCorruptedException.class, e -> {
                    assertThat(e.file()).isEqualTo(newest);
                    assertThat(e.offset()).isEqualTo(second);
                    assertThat(e.getMessage()).contains("byte offset " + second)
                            .contains("a valid record follows at byte offset " + offsets.get(2));
                });
        assertThat(Files.size(newest)).isEqualTo(before);
    }

    /** A corrupted length field hides the records after it; the scan still finds them. */
    @Test
    void aCorruptedLengthFieldMidNewestSegmentIsDamageNotATail() throws Exception {
        List<Path> segs = writeLog(200);
        Path newest = segs.get(segs.size() - 1);
        List<Long> offsets = recordOffsets(newest);
        long second = offsets.get(1);
        flipByte(newest, second + 3); // length becomes huge
        assertThatThrownBy(() -> WalReader.replay(dir, 0, r -> { }, false))
                .isInstanceOfSatisfying(WalCorruptedException.class, e -> assertThat(e.offset()).isEqualTo(second));
    }

    @Test
    void loadTruncatedStopsAtTheDamageQuarantinesTheRestAndTheLogContinues() throws Exception {
        List<Path> segs = writeLog(200);
        Path damaged = segs.get(1);
        long third = recordOffsets(damaged).get(2);
        long firstOfDamaged = firstSeqOf(damaged);
        flipByte(damaged, third + 20);
        long damagedSize = Files.size(damaged);

        List<WalRecord> read = new ArrayList<>();
        WalReplayResult result = WalReader.replay(dir, 0, read::add, true);

        long lastGood = firstOfDamaged + 1;
        assertThat(read).containsExactlyElementsOf(expected(1, (int) lastGood));
        assertThat(result.lastSeq()).isEqualTo(lastGood);
        assertThat(result.stoppedAtDamage()).isTrue();
        assertThat(result.tornTailCut()).isFalse();
        assertThat(result.stoppedAt().file()).isEqualTo(damaged);
        assertThat(result.stoppedAt().offset()).isEqualTo(third);
        assertThat(result.stoppedAt().bytesDiscarded()).isEqualTo(damagedSize - third);
        assertThat(result.stoppedAt().reason()).contains("CRC32C mismatch");

        // the damaged segment keeps its good prefix; it and every later one are kept as .damaged
        assertThat(Files.size(damaged)).isEqualTo(third);
        assertThat(segments(dir)).containsExactly(segs.get(0), damaged);
        assertThat(result.quarantined()).hasSize(segs.size() - 1);
        assertThat(result.quarantined().get(0).getFileName().toString()).isEqualTo(damaged.getFileName() + ".damaged");
        assertThat(Files.size(result.quarantined().get(0))).isEqualTo(damagedSize);
        for (int i = 2; i < segs.size(); i++) {
            assertThat(fileNames(dir)).contains(segs.get(i).getFileName() + ".damaged");
        }

        assertThat(result.end()).isEqualTo(new WalReplayResult.End(damaged, third, lastGood));

        // the writer continues after the last good record and the next start-up is clean
        try (WalWriter w = WalWriter.open(dir, result.lastSeq() + 1, 1024, WalFiles.SYSTEM, result.end())) {
            appendSamples(w, (int) lastGood + 1, 300, 5);
        }
        WalReplayResult next = WalReader.replay(dir, 0, r -> { }, false);
        assertThat(next.stoppedAtDamage()).isFalse();
        assertThat(replayAll(dir)).containsExactlyElementsOf(expected(1, 300));
    }

    @Test
    void loadTruncatedStopsAtDamageMidNewestSegment() throws Exception {
        List<Path> segs = writeLog(200);
        Path newest = segs.get(segs.size() - 1);
        List<Long> offsets = recordOffsets(newest);
        flipByte(newest, offsets.get(1) + 12);
        List<WalRecord> read = new ArrayList<>();
        WalReplayResult result = WalReader.replay(dir, 0, read::add, true);
        long first = firstSeqOf(newest);
        assertThat(read).containsExactlyElementsOf(expected(1, (int) first));
        assertThat(result.stoppedAt().offset()).isEqualTo(offsets.get(1));
        assertThat(result.quarantined()).hasSize(1);
        assertThat(result.end()).isEqualTo(new WalReplayResult.End(newest, offsets.get(1), first));
    }

    @Test
    void theWriterRefusesToOpenOnAnUnrepairedTornTail() throws Exception {
        List<Path> segs = writeLog(200);
        Path newest = segs.get(segs.size() - 1);
        truncate(newest, Files.size(newest) - 1);
        assertThatThrownBy(() -> WalWriter.open(dir, 201))
                .isInstanceOf(WalCorruptedException.class)
                .hasMessageContaining("replay the log");
        WalReplayResult result = WalReader.replay(dir, 0, r -> { }, false);
        WalWriter.open(dir, result.lastSeq() + 1).close();
    }

    // ---- seq checks, on hand-made segments ----

    private void writeSegment(long nameSeq, WalRecord... records) throws IOException {
        WalBuffer buf = new WalBuffer();
        for (WalRecord r : records) {
            WalCodec.encode(r, buf);
        }
        Files.write(dir.resolve(WalSegments.fileName(nameSeq)), buf.toByteArray());
    }

    private static WalRecord flush(long seq) {
        return new WalRecord.FlushDb(seq, 0);
    }

    @Test
    void aSeqThatDoesNotIncreaseByOneIsDamage() throws Exception {
        writeSegment(1, flush(1), flush(2), flush(2), flush(3));
        assertThatThrownBy(() -> WalReader.replay(dir, 0, r -> { }, false))
                .isInstanceOfSatisfying(WalCorruptedException.class, e -> {
                    assertThat(e.offset()).isEqualTo(2 * 21);
                    assertThat(e.reason()).contains("seq 2 where 3 was expected");
                });
    }

    @Test
    void aSegmentWhoseFirstRecordDisagreesWithItsNameIsDamage() throws Exception {
        writeSegment(1, flush(1), flush(2));
        writeSegment(3, flush(4), flush(5));
        assertThatThrownBy(() -> WalReader.replay(dir, 0, r -> { }, false))
                .isInstanceOfSatisfying(WalCorruptedException.class, e -> {
                    assertThat(e.file().getFileName().toString()).isEqualTo(WalSegments.fileName(3));
                    assertThat(e.offset()).isZero();
                });
    }

    @Test
    void segmentsThatOverlapAreDamage() throws Exception {
        writeSegment(1, flush(1), flush(2), flush(3));
        writeSegment(3, flush(3), flush(4));
        assertThatThrownBy(() -> WalReader.replay(dir, 0, r -> { }, false))
                .isInstanceOf(WalCorruptedException.class)
                .hasMessageContaining("already read");
    }

    @Test
    void aGapAboveTheSnapshotIsDamageButAGapBelowItIsNot() throws Exception {
        writeSegment(1, flush(1), flush(2));
        writeSegment(10, flush(10), flush(11));
        assertThatThrownBy(() -> WalReader.replay(dir, 0, r -> { }, false))
                .isInstanceOf(WalCorruptedException.class)
                .hasMessageContaining("records 3..9 are missing");
        List<WalRecord> read = new ArrayList<>();
        WalReader.replay(dir, 9, read::add, false);
        assertThat(read).containsExactly(flush(10), flush(11));
    }

    @Test
    void checksummedButInvalidContentInTheNewestSegmentIsNeverTreatedAsATornTail() throws Exception {
        WalBuffer buf = new WalBuffer();
        WalCodec.encode(flush(1), buf);
        byte[] good = buf.toByteArray();
        // a record with a valid CRC and an unknown opcode
        java.nio.ByteBuffer bad = java.nio.ByteBuffer.allocate(17).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bad.putInt(9).putInt(0).putLong(2).put((byte) 99);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bad.array(), 8, 9);
        bad.putInt(4, (int) crc.getValue());
        byte[] file = new byte[good.length + 17];
        System.arraycopy(good, 0, file, 0, good.length);
        System.arraycopy(bad.array(), 0, file, good.length, 17);
        Files.write(dir.resolve(WalSegments.fileName(1)), file);
        assertThatThrownBy(() -> WalReader.replay(dir, 0, r -> { }, false))
                .isInstanceOfSatisfying(WalCorruptedException.class, e -> {
                    assertThat(e.offset()).isEqualTo(good.length);
                    assertThat(e.reason()).contains("unknown opcode 99");
                });
    }
}
