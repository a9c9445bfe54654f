package dev.panda.persistence.snapshot;

import java.io.IOException;

/**
 * A file that is not a complete Panda snapshot: not Parquet, truncated, damaged, written by
 * something else, of an unsupported format version, or whose rows disagree with its footer.
 * Thrown by {@link ParquetSnapshotReader} on the reading thread; {@link SnapshotDirectory} turns it
 * into a warning and skips the file.
 */
public class SnapshotFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public SnapshotFormatException(String message) {
        super(message);
    }

    public SnapshotFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
