package dev.panda.persistence.wal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Naming of WAL segment files: {@code wal-<seq of the first record, 20 digits>.log}. Zero
 * padding makes name order equal seq order. Files in the directory with other names (a
 * quarantined {@code .damaged} copy, temporary files) are not segments. Stateless; any thread.
 */
public final class WalSegments {
    private static final String PREFIX = "wal-";
    private static final String SUFFIX = ".log";
    private static final int DIGITS = 20;

    private WalSegments() {
    }

    /** A segment found in the directory. */
    public record Segment(Path path, long firstSeq) { }

    /** The file name of the segment whose first record has {@code firstSeq}. */
    public static String fileName(long firstSeq) {
        if (firstSeq < 0) {
            throw new IllegalArgumentException("seq " + firstSeq);
        }
        return PREFIX + String.format("%0" + DIGITS + "d", firstSeq) + SUFFIX;
    }

    /** The first seq named by a segment file name, or -1 when the name is not a segment's. */
    public static long parseFirstSeq(String name) {
        if (name.length() != PREFIX.length() + DIGITS + SUFFIX.length()
                || !name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
            return -1;
        }
        long v = 0;
        for (int i = PREFIX.length(); i < PREFIX.length() + DIGITS; i++) {
            char ch = name.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            int digit = ch - '0';
            if (v > (Long.MAX_VALUE - digit) / 10) {
                return -1;
            }
            v = v * 10 + digit;
        }
        return v;
    }

    /** The segments in {@code dir}, oldest first. */
    public static List<Segment> list(WalFiles files, Path dir) throws IOException {
        List<Segment> out = new ArrayList<>();
        for (Path p : files.list(dir)) {
            long seq = parseFirstSeq(p.getFileName().toString());
            if (seq >= 0) {
                out.add(new Segment(p, seq));
            }
        }
        out.sort(Comparator.comparingLong(Segment::firstSeq));
        return out;
    }
}
