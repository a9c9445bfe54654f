package dev.panda.persistence.snapshot;

import static dev.panda.persistence.snapshot.SnapshotTestData.CREATED_MS;
import static dev.panda.persistence.snapshot.SnapshotTestData.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotDirectoryTest {
    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void missingOrEmptyDirectoryHasNoSnapshot() throws IOException {
        assertThat(new SnapshotDirectory(dir.resolve("nope")).list()).isEmpty();
        assertThat(new SnapshotDirectory(dir.resolve("nope")).newest()).isEmpty();
        assertThat(new SnapshotDirectory(dir).newest()).isEmpty();
    }

    @Test
    void newestIsChosenByWalSeqNotByTimeOrName() throws IOException {
        Path seq9 = SnapshotTestData.write(dir, 9, CREATED_MS + 5_000, Compression.ZSTD, SnapshotTestData.smallRows(9, 9));
        Path seq10 = SnapshotTestData.write(dir, 10, CREATED_MS, Compression.SNAPPY, SnapshotTestData.smallRows(10, 10));
        Path seq2 = SnapshotTestData.write(dir, 2, CREATED_MS + 9_000, Compression.ZSTD, SnapshotTestData.smallRows(2, 2));
        Path seq10later = SnapshotTestData.write(dir, 10, CREATED_MS + 1, Compression.ZSTD, SnapshotTestData.smallRows(11, 11));

        SnapshotDirectory snapshots = new SnapshotDirectory(dir);
        assertThat(snapshots.list()).extracting(SnapshotInfo::file).containsExactly(seq2, seq9, seq10, seq10later);
        SnapshotInfo newest = snapshots.newest().orElseThrow();
        assertThat(newest.file()).isEqualTo(seq10later);
        assertThat(newest.walSeq()).isEqualTo(10);
        assertThat(newest.keyCount()).isEqualTo(11);
        assertThat(newest.createdMs()).isEqualTo(CREATED_MS + 1);
    }

    @Test
    void abortedWriteLeavesNothing() throws IOException {
        Path older = SnapshotTestData.write(dir, 1, CREATED_MS, Compression.ZSTD, SnapshotTestData.smallRows(5, 1));

        ParquetSnapshotWriter w = ParquetSnapshotWriter.create(dir, 2, Compression.ZSTD, CREATED_MS);
        for (SnapshotRow r : SnapshotTestData.mixedRows()) {
            w.write(r);
        }
        assertThat(w.tempFile()).exists();
        assertThat(w.tempFile().getFileName().toString()).startsWith(".snapshot-").endsWith(".tmp");
        assertThat(w.finalFile()).doesNotExist();
        // while it is being written, the directory neither offers it nor deletes it
        assertThat(new SnapshotDirectory(dir).newest().orElseThrow().file()).isEqualTo(older);
        assertThat(w.tempFile()).exists();

        w.abort();
        assertThat(files()).containsExactly(older);
        assertThatThrownBy(() -> w.write(SnapshotRow.string(0, b("k"), b("v"), -1)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(w::commit).isInstanceOf(IllegalStateException.class);
        w.abort(); // idempotent
    }

    @Test
    void closingWithoutCommitAborts() throws IOException {
        Path temp;
        try (ParquetSnapshotWriter w = ParquetSnapshotWriter.create(dir, 4, Compression.SNAPPY, CREATED_MS)) {
            w.write(SnapshotRow.string(0, b("k"), b("v"), -1));
            temp = w.tempFile();
        }
        assertThat(temp).doesNotExist();
        assertThat(files()).isEmpty();
    }

    @Test
    void leftoverTempFileFromACrashIsDeletedAndNeverOffered() throws IOException {
        Path older = SnapshotTestData.write(dir, 1, CREATED_MS, Compression.ZSTD, SnapshotTestData.smallRows(5, 1));
        // a crash mid-write: the bytes written so far stay under the temp name, with nobody writing
        Path leftover = dir.resolve(".snapshot-00000000000000000002-1700000000999-deadbeef.tmp");
        try (ParquetSnapshotWriter w = ParquetSnapshotWriter.create(dir, 2, Compression.ZSTD, CREATED_MS, 64 * 1024)) {
            for (SnapshotRow r : SnapshotTestData.smallRows(20_000, 2)) {
                w.write(r);
            }
            Files.copy(w.tempFile(), leftover);
        }
        assertThat(Files.size(leftover)).isPositive();

        SnapshotDirectory snapshots = new SnapshotDirectory(dir);
        assertThat(snapshots.list()).extracting(SnapshotInfo::file).containsExactly(older);
        assertThat(leftover).doesNotExist();
        assertThat(files()).containsExactly(older);
    }

    @Test
    void truncatedFileIsRejectedAndSkipped() throws IOException {
        Path good = SnapshotTestData.write(dir, 5, CREATED_MS, Compression.ZSTD, SnapshotTestData.smallRows(100, 5));
        Path full = SnapshotTestData.write(dir.resolve("src"), 6, CREATED_MS, Compression.ZSTD,
                SnapshotTestData.mixedRows());
        byte[] bytes = Files.readAllBytes(full);
        Path damaged = dir.resolve(full.getFileName());

        for (int len : new int[] {0, 3, 4, 12, bytes.length / 2, bytes.length - 9, bytes.length - 1}) {
            Files.write(damaged, java.util.Arrays.copyOf(bytes, len));
            assertThatThrownBy(() -> ParquetSnapshotReader.readInfo(damaged))
                    .as("truncated to %d of %d bytes", len, bytes.length)
                    .isInstanceOf(SnapshotFormatException.class)
                    .hasMessageContaining(damaged.toString());
            assertThatThrownBy(() -> ParquetSnapshotReader.forEach(damaged, r -> { }))
                    .isInstanceOf(SnapshotFormatException.class);
            assertThat(new SnapshotDirectory(dir).newest().orElseThrow().file()).isEqualTo(good);
            assertThat(damaged).exists(); // left for inspection
        }
        Files.copy(full, damaged, StandardCopyOption.REPLACE_EXISTING);
        assertThat(new SnapshotDirectory(dir).newest().orElseThrow().file()).isEqualTo(damaged);
    }

    @Test
    void fileNamedLikeASnapshotButLyingAboutItsSeqIsSkipped() throws IOException {
        Path good = SnapshotTestData.write(dir, 3, CREATED_MS, Compression.ZSTD, SnapshotTestData.smallRows(3, 3));
        Path seq4 = SnapshotTestData.write(dir.resolve("src"), 4, CREATED_MS, Compression.ZSTD,
                SnapshotTestData.smallRows(4, 4));
        Files.copy(seq4, dir.resolve(SnapshotFormat.finalName(99, CREATED_MS)));
        Files.writeString(dir.resolve("notes.parquet"), "not ours");
        Files.writeString(dir.resolve("snapshot-garbage.parquet"), "not ours either");

        assertThat(new SnapshotDirectory(dir).list()).extracting(SnapshotInfo::file).containsExactly(good);
    }

    @Test
    void deleteAllButKeepsTheNewest() throws IOException {
        Path s1 = SnapshotTestData.write(dir, 1, CREATED_MS, Compression.ZSTD, SnapshotTestData.smallRows(1, 1));
        Path s2 = SnapshotTestData.write(dir, 2, CREATED_MS, Compression.ZSTD, SnapshotTestData.smallRows(2, 2));
        Path s3 = SnapshotTestData.write(dir, 3, CREATED_MS, Compression.ZSTD, SnapshotTestData.smallRows(3, 3));
        Path s4 = SnapshotTestData.write(dir, 4, CREATED_MS, Compression.ZSTD, SnapshotTestData.smallRows(4, 4));
        Path broken = dir.resolve(SnapshotFormat.finalName(0, CREATED_MS));
        Files.write(broken, new byte[] {'P', 'A', 'R', '1'});

        SnapshotDirectory snapshots = new SnapshotDirectory(dir);
        assertThat(snapshots.deleteAllBut(2)).containsExactly(s1, s2);
        assertThat(files()).containsExactlyInAnyOrder(s3, s4, broken);
        assertThat(snapshots.deleteAllBut(5)).isEmpty();
        assertThat(snapshots.deleteAllBut(1)).containsExactly(s3);
        assertThat(snapshots.newest().orElseThrow().file()).isEqualTo(s4);
        assertThatThrownBy(() -> snapshots.deleteAllBut(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
