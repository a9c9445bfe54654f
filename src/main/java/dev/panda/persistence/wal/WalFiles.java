package dev.panda.persistence.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The file-system operations {@link WalWriter} performs, so that tests can substitute failing
 * ones (a full disk, a failing fsync) without a mocking library. {@link #SYSTEM} is the real
 * java.nio implementation. Called on the store thread (and {@link FileChannel#force} of an
 * opened channel on the fsync thread): implementations must be thread-safe.
 */
public interface WalFiles {
    /** Opens a segment file for writing, creating it when absent (never truncating it). */
    FileChannel openSegment(Path file) throws IOException;

    /** Every entry of {@code dir} (any name). */
    List<Path> list(Path dir) throws IOException;

    /** The size of a file in bytes. */
    long size(Path file) throws IOException;

    /** Deletes a file (no error when it is already gone). */
    void delete(Path file) throws IOException;

    /** Makes the directory's entries (created, renamed, deleted files) durable: fsync of the directory. */
    void syncDirectory(Path dir) throws IOException;

    /** The real file system through java.nio. */
    WalFiles SYSTEM = new WalFiles() {
        @Override
        public FileChannel openSegment(Path file) throws IOException {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }

        @Override
        public List<Path> list(Path dir) throws IOException {
            try (Stream<Path> s = Files.list(dir)) {
                return new ArrayList<>(s.toList());
            }
        }

        @Override
        public long size(Path file) throws IOException {
            return Files.size(file);
        }

        @Override
        public void delete(Path file) throws IOException {
            Files.deleteIfExists(file);
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }
    };
}
