package dev.panda.persistence.wal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The WAL is damaged somewhere a crash cannot explain (an older segment, or the middle of the
 * newest one), so recovery must stop rather than start with missing data. The message names
 * the file and byte offset; start-up may instead load up to the damage when explicitly told
 * to ({@code loadTruncated}). Any thread.
 */
public final class WalCorruptedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;
    private final String reason;

    public WalCorruptedException(Path file, long offset, String reason) {
        super("WAL corrupted in " + file + " at byte offset " + offset + ": " + reason);
        this.file = file;
        this.offset = offset;
        this.reason = reason;
    }

    /** The segment file holding the damage. */
    public Path file() {
        return file;
    }

    /** Byte offset in {@link #file()} where the damaged record starts. */
    public long offset() {
        return offset;
    }

    /** What is wrong, without the file and offset. */
    public String reason() {
        return reason;
    }
}
