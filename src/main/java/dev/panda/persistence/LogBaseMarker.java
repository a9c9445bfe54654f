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
import java.util.OptionalLong;

/**
 * The file {@code wal/base-pending}, written when the log is turned on while the server runs
 * (CONFIG SET appendonly yes). Changes made with the log off are in no file, so the new log is
 * worth something only on top of a snapshot taken when it started: the marker names that
 * snapshot's seq, and the log resumes one seq later, so that replaying it on an older snapshot
 * would find a gap. Once a snapshot covering the seq is stored the marker goes. A start-up that
 * still finds it sets aside the segments after the seq ({@code .unbased}): as with Redis's AOF
 * before its first rewrite, the changes since the log was turned on are lost by a crash, and the
 * server starts from the last snapshot instead of refusing to start.
 *
 * <p>Stateless; the store thread, or the loading thread at start-up.
 */
final class LogBaseMarker {
    static final String FILE = "base-pending";
    static final String SET_ASIDE_SUFFIX = ".unbased";

    private LogBaseMarker() {
    }

    /** Records (durably) that the log in {@code walDir} needs a snapshot covering {@code seq}. */
    static void write(Path walDir, long seq) throws IOException {
        Files.createDirectories(walDir);
        Path tmp = walDir.resolve(FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap((seq + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        Files.move(tmp, walDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(walDir);
    }

    /** The seq the marker in {@code walDir} names, if there is one. */
    static OptionalLong read(Path walDir) throws IOException {
        Path file = walDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return OptionalLong.empty();
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IOException(file + " does not hold a sequence number: '" + text + "'");
        }
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
