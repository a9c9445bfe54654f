package dev.panda.persistence.wal;

import java.nio.file.Path;

/**
 * Where replay found damage and what it did about it: for a torn tail, the bytes cut from the
 * newest segment; for a load stopped at damage ({@code loadTruncated}), the bytes no longer
 * replayed (kept in quarantined copies). Immutable; any thread.
 *
 * @param file           the segment holding the damage
 * @param offset         byte offset in {@code file} where the first bad record starts
 * @param bytesDiscarded bytes from {@code offset} to the end of {@code file}
 * @param reason         what was wrong with the record at {@code offset}
 */
public record WalDamage(Path file, long offset, long bytesDiscarded, String reason) {
    /** One line for the server log and INFO. */
    public String describe() {
        return file + " at byte offset " + offset + " (" + bytesDiscarded + " bytes): " + reason;
    }
}
