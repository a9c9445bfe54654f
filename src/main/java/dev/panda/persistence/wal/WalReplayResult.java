package dev.panda.persistence.wal;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link WalReader#replay} read. Immutable; any thread.
 *
 * @param recordsApplied records delivered to the consumer (seq above {@code afterSeq})
 * @param recordsRead    valid records read, delivered or skipped
 * @param lastSeq        seq of the last valid record read (delivered or not), 0 when none: the
 *                       writer continues at {@code max(lastSeq, snapshot seq) + 1}
 * @param segments       segment files read
 * @param bytesRead      bytes of valid records read
 * @param tornTail       the torn tail cut from the newest segment, or null when there was none
 * @param stoppedAt      with {@code loadTruncated}: the damage replay stopped at, or null
 * @param quarantined    with {@code loadTruncated}: the {@code .damaged} copies kept of the
 *                       damaged segment and of every later segment (empty otherwise)
 * @param end            where the log ends after replay, for {@link WalWriter#open}; null when no
 *                       record was read
 */
public record WalReplayResult(long recordsApplied, long recordsRead, long lastSeq, int segments, long bytesRead,
                              WalDamage tornTail, WalDamage stoppedAt, List<Path> quarantined, End end) {
    public WalReplayResult {
        quarantined = List.copyOf(quarantined);
    }

    /**
     * The segment holding the last record replay read, its length once replay is done (a torn
     * tail or damage cut off) and that record's seq: what {@link WalWriter#open} would otherwise
     * find by reading the segment's headers again.
     */
    public record End(Path segment, long length, long lastSeq) {
    }

    /** True when a torn or bad-CRC tail was cut off the newest segment (log a warning, show in INFO). */
    public boolean tornTailCut() {
        return tornTail != null;
    }

    /** True when replay stopped early at damage because {@code loadTruncated} was set. */
    public boolean stoppedAtDamage() {
        return stoppedAt != null;
    }
}
