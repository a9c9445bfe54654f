package dev.panda.persistence.storage;

import dev.panda.persistence.snapshot.SnapshotDirectory;

/**
 * The archive's layout: {@code snapshots/<the local snapshot file name>} and
 * {@code wal/wal-<first seq>-<last seq>.log} (20 digits each, so name order is seq order and a
 * listing alone tells which segments a restore needs). Stateless; any thread.
 */
public final class ArchiveNames {
    public static final String SNAPSHOTS = "snapshots/";
    public static final String WAL = "wal/";

    private ArchiveNames() {
    }

    public static String snapshot(String fileName) {
        return SNAPSHOTS + fileName;
    }

    /** The WAL seq a snapshot blob covers, or -1 when the name is not a snapshot's. */
    public static long snapshotSeq(String name) {
        return name.startsWith(SNAPSHOTS) ? SnapshotDirectory.walSeqOfName(name.substring(SNAPSHOTS.length())) : -1;
    }

    public static String segment(long firstSeq, long lastSeq) {
        return String.format("%swal-%020d-%020d.log", WAL, firstSeq, lastSeq);
    }

    /** {first, last} of a segment blob, or null when the name is not a segment's. */
    public static long[] segmentRange(String name) {
        int digits = 20;
        String head = WAL + "wal-";
        if (name.length() != head.length() + digits + 1 + digits + 4 || !name.startsWith(head) || !name.endsWith(".log")
                || name.charAt(head.length() + digits) != '-') {
            return null;
        }
        try {
            long first = Long.parseLong(name.substring(head.length(), head.length() + digits));
            long last = Long.parseLong(name.substring(head.length() + digits + 1, head.length() + 2 * digits + 1));
            return first >= 0 && last >= first ? new long[] {first, last} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
