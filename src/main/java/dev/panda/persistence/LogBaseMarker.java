package dev.panda.persistence;

import dev.panda.persistence.wal.WalFiles;
import dev.panda.persistence.wal.WalSegments;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The file {@code wal/base-pending}, written when the log is turned on while the server runs
 * (CONFIG SET appendonly yes). Changes made with the log off are in no file, so the new log is
 * worth something only on top of a snapshot taken when it started: the marker names that
 * snapshot's seq, and the log resumes one seq later, so that replaying it on an older snapshot
 * would find a gap. Turned off and on again before that snapshot is stored, the log has a
 * second such gap, so the marker holds every seq still waiting, one per line. Once a snapshot
 * covering them is stored the marker goes. A start-up that still finds one above the newest
 * snapshot sets aside the segments after the first such seq ({@code .unbased}): as with Redis's
 * AOF before its first rewrite, the changes since the log was turned on are lost by a crash, and
 * the server starts from the last snapshot instead of refusing to start.
 *
 * <p>Stateless; the store thread, or the loading thread at start-up.
 */
final class LogBaseMarker {
    static final String FILE = "base-pending";
    static final String SET_ASIDE_SUFFIX = ".unbased";

    private LogBaseMarker() {
    }

    /** Records (durably) that the log in {@code walDir} needs snapshots covering {@code seqs}. */
    static void write(Path walDir, java.util.Collection<Long> seqs) throws IOException {
        Files.createDirectories(walDir);
        StringBuilder text = new StringBuilder();
        seqs.forEach(seq -> text.append(seq).append('\n'));
        Path tmp = walDir.resolve(FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        Files.move(tmp, walDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(walDir);
    }

    /** The seqs the marker in {@code walDir} names, ascending; empty without a marker. */
    static java.util.SortedSet<Long> read(Path walDir) throws IOException {
        java.util.SortedSet<Long> seqs = new java.util.TreeSet<>();
        Path file = walDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return seqs;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                seqs.add(Long.parseLong(line.trim()));
            } catch (NumberFormatException e) {
                throw new IOException(file + " does not hold sequence numbers: '" + line + "'");
            }
        }
        return seqs;
    }

    static void clear(Path walDir) throws IOException {
        if (Files.deleteIfExists(walDir.resolve(FILE))) {
            syncDirectory(walDir);
        }
    }

    /** Renames the segments whose records all come after {@code seq}; returns how many. */
    static int setAsideAfter(Path walDir, long seq) throws IOException {
        int moved = 0;
        for (WalSegments.Segment s : WalSegments.list(WalFiles.SYSTEM, walDir)) {
            if (s.firstSeq() > seq) {
                Path target = s.path().resolveSibling(s.path().getFileName() + SET_ASIDE_SUFFIX);
                if (Files.exists(target)) {
                    target = s.path().resolveSibling(s.path().getFileName() + SET_ASIDE_SUFFIX + "-" + System.currentTimeMillis());
                }
                Files.move(s.path(), target, StandardCopyOption.ATOMIC_MOVE);
                moved++;
            }
        }
        if (moved > 0) {
            syncDirectory(walDir);
        }
        return moved;
    }

    private static void syncDirectory(Path dir) throws IOException {
        WalFiles.SYSTEM.syncDirectory(dir);
    }
}
