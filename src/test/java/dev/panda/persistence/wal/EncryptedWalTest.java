package dev.panda.persistence.wal;

import static dev.panda.persistence.wal.WalTestSupport.appendSamples;
import static dev.panda.persistence.wal.WalTestSupport.b;
import static dev.panda.persistence.wal.WalTestSupport.expected;
import static dev.panda.persistence.wal.WalTestSupport.flipByte;
import static dev.panda.persistence.wal.WalTestSupport.sample;
import static dev.panda.persistence.wal.WalTestSupport.segments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panda.persistence.crypto.EncryptionKeyException;
import dev.panda.persistence.crypto.EncryptionKeys;
import dev.panda.persistence.crypto.WalBlockCipher;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Encrypted WAL segments: the block format on disk, torn tails, damage, keys, migration. */
class EncryptedWalTest {
    private static final EncryptionKeys KEY_A = EncryptionKeys.of(key(1));
    private static final EncryptionKeys KEY_B = EncryptionKeys.of(key(2));

    @TempDir
    Path dir;

    static byte[] key(int seed) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) seed);
        return k;
    }

    private WalWriter open(long nextSeq, long segmentBytes, EncryptionKeys keys, WalFiles files) throws IOException {
        return WalWriter.open(dir, nextSeq, segmentBytes, files, null, keys);
    }

    /** 1..count encrypted with KEY_A, segments of about 1 KiB, batches of 5 (one block each). */
    private List<Path> writeLog(int count) throws IOException {
        try (WalWriter w = open(1, 1024, KEY_A, WalFiles.SYSTEM)) {
            appendSamples(w, 1, count, 5);
        }
        List<Path> segs = segments(dir);
        assertThat(segs.size()).isGreaterThanOrEqualTo(3);
        return segs;
    }

    private List<WalRecord> replay(EncryptionKeys keys) throws IOException {
        List<WalRecord> out = new ArrayList<>();
        WalReader.replay(dir, 0, out::add, false, keys);
        return out;
    }

    /** File offsets of the blocks of an encrypted segment. */
    static List<Long> blockOffsets(Path segment) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        List<Long> offsets = new ArrayList<>();
        int p = WalBlockCipher.HEADER_BYTES;
        while (p + 4 <= bytes.length) {
            offsets.add((long) p);
            p += 16 + (int) WalBlockCipher.lengthField(bytes, p);
        }
        return offsets;
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    @Test
    void recordsRoundTripAndNoKeyOrValueIsOnDiskInPlaintext() throws Exception {
        List<Path> segs = writeLog(200);
        assertThat(replay(KEY_A)).containsExactlyElementsOf(expected(1, 200));
        for (Path s : segs) {
            byte[] bytes = Files.readAllBytes(s);
            assertThat(WalBlockCipher.isEncrypted(bytes, bytes.length)).isTrue();
            assertThat(WalBlockCipher.keyIdOf(Arrays.copyOf(bytes, 16))).isEqualTo(KEY_A.current().id());
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            assertThat(text).doesNotContain("key:").doesNotContain("value-");
        }
    }

    @Test
    void eachGroupCommitIsOneBlock() throws Exception {
        try (WalWriter w = open(1, 1 << 20, KEY_A, WalFiles.SYSTEM)) {
            for (int i = 1; i <= 10; i++) {
                w.append(sample(i));
            }
            int plain = w.pendingBytes();
            w.write();
            Path seg = segments(dir).get(0);
            assertThat(Files.size(seg)).isEqualTo(WalBlockCipher.HEADER_BYTES + plain + WalBlockCipher.BLOCK_OVERHEAD);
            w.append(sample(11));
            plain = w.pendingBytes();
            long before = Files.size(seg);
            w.write();
            assertThat(Files.size(seg) - before).isEqualTo(plain + WalBlockCipher.BLOCK_OVERHEAD);
            assertThat(blockOffsets(seg)).hasSize(2);
        }
        assertThat(replay(KEY_A)).containsExactlyElementsOf(expected(1, 11));
    }

    @Test
    void aBatchOverTheBlockTargetIsSplitAtRecordBoundaries() throws Exception {
        byte[] big = new byte[100_000];
        Arrays.fill(big, (byte) 'v');
        try (WalWriter w = open(1, 64L << 20, KEY_A, WalFiles.SYSTEM)) {
            for (int i = 1; i <= 10; i++) {
                w.append(new WalRecord.Set(0, 0, ("big" + i).getBytes(StandardCharsets.UTF_8),
                        WalRecord.VALUE_TYPE_STRING, big, -1));
            }
            w.append(new WalRecord.Set(0, 0, b("huge"), WalRecord.VALUE_TYPE_STRING, new byte[600_000], -1));
            w.write();
        }
        // two records of 100 kB per 256 KiB block, then the 600 kB record in a block of its own
        assertThat(blockOffsets(segments(dir).get(0))).hasSize(6);
        assertThat(replay(KEY_A)).hasSize(11);
    }

    @Test
    void aTornLastBlockIsCutLikeAPlaintextTornTailAndTheLogContinues() throws Exception {
        List<Path> segs = writeLog(200);
        Path newest = segs.get(segs.size() - 1);
        List<Long> blocks = blockOffsets(newest);
        long lastBlock = blocks.get(blocks.size() - 1);
        long full = Files.size(newest);
        truncate(newest, full - 3);

        List<WalRecord> read = new ArrayList<>();
        WalReplayResult result = WalReader.replay(dir, 0, read::add, false, KEY_A);
        assertThat(result.tornTailCut()).isTrue();
        assertThat(result.tornTail().offset()).isEqualTo(lastBlock);
        assertThat(result.tornTail().reason()).contains("past the end of the file");
        assertThat(Files.size(newest)).isEqualTo(lastBlock);
        assertThat(read).containsExactlyElementsOf(expected(1, 195)); // the last block held 196..200
        assertThat(result.end()).isEqualTo(new WalReplayResult.End(newest, lastBlock, 195));

        try (WalWriter w = WalWriter.open(dir, 196, 1024, WalFiles.SYSTEM, result.end(), KEY_A)) {
            appendSamples(w, 196, 230, 5);
        }
        WalReplayResult again = WalReader.replay(dir, 0, r -> { }, false, KEY_A);
        assertThat(again.tornTailCut()).isFalse();
        assertThat(replay(KEY_A)).containsExactlyElementsOf(expected(1, 230));
    }

    @Test
    void aTornFirstBlockEmptiesTheSegmentWhichTheWriterThenDeletes() throws Exception {
        try (WalWriter w = open(1, 1 << 20, KEY_A, WalFiles.SYSTEM)) {
            appendSamples(w, 1, 5, 5);
        }
        Path seg = segments(dir).get(0);
        truncate(seg, Files.size(seg) - 1);
        WalReplayResult result = WalReader.replay(dir, 0, r -> { }, false, KEY_A);
        assertThat(result.tornTailCut()).isTrue();
        assertThat(result.tornTail().offset()).isZero();
        assertThat(Files.size(seg)).isZero();
        // header alone (a crash after the header reached the disk) is torn too
        try (WalWriter w = open(1, 1 << 20, KEY_A, WalFiles.SYSTEM)) {
            appendSamples(w, 1, 5, 5);
        }
        assertThat(segments(dir)).containsExactly(seg);
        truncate(seg, WalBlockCipher.HEADER_BYTES);
        result = WalReader.replay(dir, 0, r -> { }, false, KEY_A);
        assertThat(result.tornTailCut()).isTrue();
        assertThat(result.tornTail().reason()).contains("only its header");
        try (WalWriter w = open(1, 1 << 20, KEY_A, WalFiles.SYSTEM)) {
            appendSamples(w, 1, 3, 5);
        }
        assertThat(replay(KEY_A)).containsExactlyElementsOf(expected(1, 3));
    }

    @Test
    void aTamperedLastBlockOfTheNewestSegmentIsCutAsATornTail() throws Exception {
        List<Path> segs = writeLog(200);
        Path newest = segs.get(segs.size() - 1);
        List<Long> blocks = blockOffsets(newest);
        flipByte(newest, Files.size(newest) - 5); // inside the tag of the last block
        WalReplayResult result = WalReader.replay(dir, 0, r -> { }, false, KEY_A);
        assertThat(result.tornTailCut()).isTrue();
        assertThat(result.tornTail().offset()).isEqualTo(blocks.get(blocks.size() - 1));
        assertThat(result.tornTail().reason()).contains("AES-GCM authentication");
    }

    @Test
    void aTamperedBlockWithAValidBlockAfterItIsDamageAndNothingIsCut() throws Exception {
        List<Path> segs = writeLog(200);
        Path newest = segs.get(segs.size() - 1);
        List<Long> blocks = blockOffsets(newest);
        assertThat(blocks.size()).isGreaterThanOrEqualTo(2);
        flipByte(newest, blocks.get(0) + 20); // a ciphertext byte of the first block
        long size = Files.size(newest);
        assertThatThrownBy(() -> replay(KEY_A))
                .isInstanceOf(WalCorruptedException.class)
                .hasMessageContaining(newest.toString())
                .hasMessageContaining("not a torn tail");
        assertThat(Files.size(newest)).isEqualTo(size);
    }

    @Test
    void aTamperedBlockInAnOlderSegmentIsDamage() throws Exception {
        List<Path> segs = writeLog(200);
        Path older = segs.get(1);
        List<Long> blocks = blockOffsets(older);
        flipByte(older, blocks.get(blocks.size() - 1) + 20);
        assertThatThrownBy(() -> replay(KEY_A))
                .isInstanceOf(WalCorruptedException.class)
                .hasMessageContaining(older.toString())
                .hasMessageContaining("AES-GCM");
    }

    @Test
    void aWrongOrMissingKeyIsRefusedBeforeAnyFileIsTouched() throws Exception {
        List<Path> segs = writeLog(200);
        Path newest = segs.get(segs.size() - 1);
        truncate(newest, Files.size(newest) - 3); // a torn tail that a replay with the right key would cut
        Map<Path, byte[]> before = new LinkedHashMap<>();
        Map<Path, FileTime> times = new LinkedHashMap<>();
        for (Path s : segs) {
            before.put(s, Files.readAllBytes(s));
            times.put(s, Files.getLastModifiedTime(s));
        }
        assertThatThrownBy(() -> replay(KEY_B))
                .isInstanceOf(EncryptionKeyException.class)
                .hasMessageContaining(segs.get(0).toString())
                .hasMessageContaining(KEY_A.current().idHex())
                .hasMessageContaining(KEY_B.current().idHex());
        assertThatThrownBy(() -> replay(EncryptionKeys.NONE))
                .isInstanceOf(EncryptionKeyException.class)
                .hasMessageContaining("no encryption-key-file is configured");
        assertThatThrownBy(() -> WalWriter.open(dir, 1000, 1024, WalFiles.SYSTEM, null, KEY_B))
                .isInstanceOf(EncryptionKeyException.class);
        for (Path s : segs) {
            assertThat(Files.readAllBytes(s)).isEqualTo(before.get(s));
            assertThat(Files.getLastModifiedTime(s)).isEqualTo(times.get(s));
        }
        assertThat(replay(KEY_A)).containsExactlyElementsOf(expected(1, 195));
    }

    @Test
    void plaintextSegmentsThenEncryptedOnesReplayAsOneLog() throws Exception {
        try (WalWriter w = WalWriter.open(dir, 1, 1024, WalFiles.SYSTEM)) {
            appendSamples(w, 1, 100, 5);
        }
        List<Path> plain = segments(dir);
        WalReplayResult r = WalReader.replay(dir, 0, x -> { }, false, KEY_A);
        try (WalWriter w = WalWriter.open(dir, 101, 1024, WalFiles.SYSTEM, r.end(), KEY_A)) {
            appendSamples(w, 101, 200, 5);
        }
        assertThat(replay(KEY_A)).containsExactlyElementsOf(expected(1, 200));
        for (Path s : segments(dir)) {
            byte[] bytes = Files.readAllBytes(s);
            assertThat(WalBlockCipher.isEncrypted(bytes, bytes.length)).isEqualTo(!plain.contains(s));
        }
    }

    @Test
    void afterARotationOldSegmentsReadWithTheOldKeyAndNewOnesUseTheNew() throws Exception {
        writeLog(100);
        EncryptionKeys rotated = EncryptionKeys.of(key(2), key(1));
        WalReplayResult r = WalReader.replay(dir, 0, x -> { }, false, rotated);
        try (WalWriter w = WalWriter.open(dir, 101, 1024, WalFiles.SYSTEM, r.end(), rotated)) {
            appendSamples(w, 101, 200, 5);
        }
        assertThat(replay(rotated)).containsExactlyElementsOf(expected(1, 200));
        List<Path> segs = segments(dir);
        byte[] newest = Files.readAllBytes(segs.get(segs.size() - 1));
        assertThat(WalBlockCipher.keyIdOf(Arrays.copyOf(newest, 16))).isEqualTo(KEY_B.current().id());
        assertThatThrownBy(() -> replay(KEY_B)).isInstanceOf(EncryptionKeyException.class); // old key still needed
    }

    @Test
    void aPartialWriteIsSealedAgainAndWrittenOverInPlace() throws Exception {
        FaultyFiles files = new FaultyFiles();
        try (WalWriter w = open(1, 1, KEY_A, files)) { // every batch rolls
            appendSamples(w, 1, 5, 5);
            files.writeBudget = 30;
            files.failWrites = FaultyFiles.diskFull();
            for (int i = 6; i <= 10; i++) {
                w.append(sample(i));
            }
            int pending = w.pendingBytes();
            assertThatThrownBy(w::write).hasMessage("No space left on device");
            assertThat(w.pendingBytes()).isEqualTo(pending); // nothing consumed: the block is sealed again
            assertThat(Files.size(dir.resolve(WalSegments.fileName(6)))).isEqualTo(30);
            files.failWrites = null;
            w.append(sample(11));
            w.append(sample(12));
            w.write();
            assertThat(w.healthy()).isTrue();
            appendSamples(w, 13, 15, 5);
        }
        assertThat(segments(dir).stream().map(p -> p.getFileName().toString()))
                .containsExactly(WalSegments.fileName(1), WalSegments.fileName(6), WalSegments.fileName(13));
        assertThat(replay(KEY_A)).containsExactlyElementsOf(expected(1, 15));
    }

    @Test
    void aCrashDuringAPartialWriteLeavesATornBlockThatRecoveryCuts() throws Exception {
        FaultyFiles files = new FaultyFiles();
        WalWriter w = open(1, 1 << 20, KEY_A, files);
        appendSamples(w, 1, 5, 5);
        long good = Files.size(segments(dir).get(0));
        files.writeBudget = 25;
        files.failWrites = FaultyFiles.diskFull();
        w.append(sample(6));
        assertThatThrownBy(w::write).isInstanceOf(IOException.class);
        List<WalRecord> read = new ArrayList<>();
        WalReplayResult result = WalReader.replay(dir, 0, read::add, false, KEY_A);
        assertThat(read).containsExactlyElementsOf(expected(1, 5));
        assertThat(result.tornTailCut()).isTrue();
        assertThat(result.tornTail().offset()).isEqualTo(good);
        assertThat(result.tornTail().bytesDiscarded()).isEqualTo(25);
        assertThatThrownBy(w::close).isInstanceOf(IOException.class);
    }

    @Test
    void theWriterFindsTheLastSeqOfAnEncryptedSegmentWithoutAReplayResult() throws Exception {
        writeLog(57);
        try (WalWriter w = WalWriter.open(dir, 58, 1024, WalFiles.SYSTEM, null, KEY_A)) {
            assertThat(w.lastSeq()).isEqualTo(57);
            appendSamples(w, 58, 60, 5);
        }
        assertThatThrownBy(() -> WalWriter.open(dir, 50, 1024, WalFiles.SYSTEM, null, KEY_A))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already holds seq 60");
        assertThat(replay(KEY_A)).containsExactlyElementsOf(expected(1, 60));
    }
}
