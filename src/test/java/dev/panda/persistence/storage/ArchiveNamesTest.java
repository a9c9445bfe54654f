package dev.panda.persistence.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArchiveNamesTest {
    @Test
    void segmentNamesCarryTheirRangeAndSortBySeq() {
        String name = ArchiveNames.segment(12, 345);
        assertThat(name).isEqualTo("wal/wal-00000000000000000012-00000000000000000345.log");
        assertThat(ArchiveNames.segmentRange(name)).containsExactly(12, 345);
        assertThat(ArchiveNames.segment(9, 10).compareTo(ArchiveNames.segment(10, 11))).isNegative();
    }

    @Test
    void foreignNamesAreNotSegmentsOrSnapshots() {
        assertThat(ArchiveNames.segmentRange("wal/wal-00000000000000000012.log")).isNull();
        assertThat(ArchiveNames.segmentRange("wal/wal-00000000000000000012-00000000000000000011.log")).isNull();
        assertThat(ArchiveNames.segmentRange("wal/wal-0000000000000000001x-00000000000000000345.log")).isNull();
        assertThat(ArchiveNames.snapshotSeq("snapshots/notes.txt")).isEqualTo(-1);
        assertThat(ArchiveNames.snapshotSeq("wal/snapshot-00000000000000000007-1.parquet")).isEqualTo(-1);
        assertThat(ArchiveNames.snapshotSeq("snapshots/snapshot-00000000000000000007-1.parquet")).isEqualTo(7);
    }
}
