package dev.panda.persistence.wal;

import dev.panda.persistence.crypto.EncryptionKeys;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Recovery: reads every segment in seq order and hands the records after a snapshot's seq to
 * the caller, cutting a torn tail and refusing to start on any other damage. Runs once at
 * start-up, before the {@link WalWriter} is opened, on whichever thread starts the server.
 *
 * <h2>What is checked</h2>
 * <ul>
 *   <li>Each record's length bounds, CRC32C and payload ({@link WalCodec}).</li>
 *   <li>Seqs: a segment's first record has the seq in its file name; within a segment seqs
 *       increase by exactly one; segment names increase; so seqs strictly increase over the
 *       whole log. The writer may leave a gap between segments (it resumes at the seq it is
 *       given), but the records delivered must be contiguous from {@code afterSeq + 1}: a
 *       missing record above the snapshot is data that cannot be recovered, and is damage.</li>
 * </ul>
 *
 * <h2>Torn tail versus damage</h2>
 * A crash can leave the newest segment ending in an incomplete record, or in a record whose
 * bytes did not all reach the disk (bad CRC, zeros, an impossible length). The writer only
 * ever appends to the newest segment, and fsyncs a segment before starting the next, so such
 * damage is expected only at the end of the newest segment. A bad record at offset P in the
 * newest segment is treated as a <b>torn tail</b> when no valid record starts anywhere after
 * it: every offset in (P, end of file) is tried, and a record counts as valid only when its
 * length fits in the file, its seq lies in the range the segment can still hold, and its CRC
 * matches. A torn tail is cut: the file is truncated at P and fsynced, and the result reports
 * the file, offset and bytes cut (the server logs a warning and shows it in INFO).
 *
 * <p>Anything else is <b>damage</b>: a bad record in an older segment, a bad record in the
 * newest segment followed by a valid one, a record whose CRC matches but whose content is
 * invalid, a seq out of order or missing. Damage throws {@link WalCorruptedException} naming
 * the file and byte offset, so the server never starts with silently missing data. With
 * {@code loadTruncated}, replay instead stops at the damage, reports it, and quarantines what
 * it did not load so the writer can continue the log: the damaged segment and every later one
 * are copied or renamed to {@code <name>.damaged} (kept for inspection, never replayed), and
 * the damaged segment is truncated at the damage.
 *
 * <h2>Encrypted segments</h2>
 * A segment that starts with the encrypted-segment header ({@code WalBlockCipher}) is read block
 * by block; the same rules apply with the block as the unit: a last block that is incomplete,
 * has an impossible length or fails authentication, with no authenticated block after it, is a
 * torn tail and is cut; a block failing authentication anywhere else is damage. Plaintext and
 * encrypted segments may follow each other in one log (after encryption is turned on). Every
 * segment's key is checked before anything is read or cut: a missing key throws
 * {@code EncryptionKeyException} and leaves the files as they are.
 */
public final class WalReader {
    private WalReader() {
    }

    /** As {@link #replay(Path, long, Consumer, boolean)} without {@code loadTruncated}. */
    public static WalReplayResult replay(Path dir, long afterSeq, Consumer<WalRecord> consumer) throws IOException {
        return replay(dir, afterSeq, consumer, false);
    }

    /** As {@link #replay(Path, long, Consumer, boolean, EncryptionKeys)} for a log without encrypted segments. */
    public static WalReplayResult replay(Path dir, long afterSeq, Consumer<WalRecord> consumer, boolean loadTruncated)
            throws IOException {
        return replay(dir, afterSeq, consumer, loadTruncated, EncryptionKeys.NONE);
    }

    /**
     * Checks that every segment in {@code dir} is plaintext or encrypted with a key {@code keys}
     * holds, reading only segment headers and changing nothing: start-up runs it before anything
     * could cut or quarantine a file.
     *
     * @throws dev.panda.persistence.crypto.EncryptionKeyException naming the first segment whose key is missing
     */
    public static void checkKeys(Path dir, EncryptionKeys keys) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        for (WalSegments.Segment seg : WalSegments.list(WalFiles.SYSTEM, dir)) {
            SegmentRecords.open(seg.path(), keys).close();
        }
    }

    /**
     * Replays the log in {@code dir} (none, or an empty directory, replays nothing).
     *
     * @param afterSeq      the seq the snapshot covers: only records with a greater seq are
     *                      delivered (0: all)
     * @param consumer      receives the records, in seq order
     * @param loadTruncated on damage, stop there (and quarantine the rest) instead of throwing
     * @param keys          the keys encrypted segments may need (plaintext segments need none)
     * @throws WalCorruptedException on damage that is not a torn tail, unless {@code loadTruncated}
     * @throws dev.panda.persistence.crypto.EncryptionKeyException when a segment's key is not in
     *                                                            {@code keys} (checked before any
     *                                                            file is cut)
     */
    public static WalReplayResult replay(Path dir, long afterSeq, Consumer<WalRecord> consumer, boolean loadTruncated,
            EncryptionKeys keys) throws IOException {
        if (afterSeq < 0) {
            throw new IllegalArgumentException("afterSeq " + afterSeq);
        }
        if (!Files.exists(dir)) {
            return new WalReplayResult(0, 0, 0, 0, 0, null, null, List.of(), null);
        }
        checkKeys(dir, keys);
        return new Replay(dir, afterSeq, consumer, loadTruncated, keys).run();
    }

    /** Thrown inside a replay to stop at damage. */
    private static final class Damage extends Exception {
        private static final long serialVersionUID = 1L;
        final transient int segmentIndex;
        final long offset;

        Damage(int segmentIndex, long offset, String reason) {
            super(reason, null, false, false);
            this.segmentIndex = segmentIndex;
            this.offset = offset;
        }
    }

    private static final class Replay {
        final Path dir;
        final long afterSeq;
        final Consumer<WalRecord> consumer;
        final boolean loadTruncated;
        final EncryptionKeys keys;
        List<WalSegments.Segment> segments;
        long applied;
        long read;
        long lastSeq;
        long bytes;
        int segmentsRead;
        WalDamage torn;
        /** The segment of the last valid record read, and where that record ends in it. */
        Path endSegment;
        long endOffset;

        Replay(Path dir, long afterSeq, Consumer<WalRecord> consumer, boolean loadTruncated, EncryptionKeys keys) {
            this.keys = keys;
            this.dir = dir;
            this.afterSeq = afterSeq;
            this.consumer = consumer;
            this.loadTruncated = loadTruncated;
        }

        WalReplayResult run() throws IOException {
            segments = WalSegments.list(WalFiles.SYSTEM, dir);
            try {
                for (int i = 0; i < segments.size(); i++) {
                    readSegment(i);
                }
            } catch (Damage d) {
                WalSegments.Segment seg = segments.get(d.segmentIndex);
                long size = Files.size(seg.path());
                if (!loadTruncated) {
                    throw new WalCorruptedException(seg.path(), d.offset, d.getMessage());
                }
                List<Path> quarantined = quarantine(d.segmentIndex, d.offset);
                WalDamage stopped = new WalDamage(seg.path(), d.offset, size - d.offset, d.getMessage());
                return new WalReplayResult(applied, read, lastSeq, segmentsRead, bytes, torn, stopped, quarantined, end());
            }
            return new WalReplayResult(applied, read, lastSeq, segmentsRead, bytes, torn, null, List.of(), end());
        }

        /**
         * Where the log ends: a torn tail or damage is cut exactly where the last valid record
         * before it ends, so the segment is then {@code endOffset} bytes long.
         */
        private WalReplayResult.End end() {
            return endSegment == null ? null : new WalReplayResult.End(endSegment, endOffset, lastSeq);
        }

        private void readSegment(int index) throws IOException, Damage {
            WalSegments.Segment seg = segments.get(index);
            boolean newest = index == segments.size() - 1;
            if (seg.firstSeq() <= lastSeq) {
                throw new Damage(index, 0, "segment name says its first seq is " + seg.firstSeq()
                        + " but seq " + lastSeq + " was already read");
            }
            segmentsRead++;
            try (SegmentRecords cursor = SegmentRecords.open(seg.path(), keys)) {
                long expected = seg.firstSeq();
                while (true) {
                    long offset = cursor.position();
                    WalRecord record;
                    try {
                        record = cursor.next();
                    } catch (WalFormatException e) {
                        String reason = e.getMessage();
                        if (newest && e.kind().couldBeTornWrite()) {
                            // Records in this segment have seqs expected, expected + 1, ...; each
                            // takes at least MIN_FRAME bytes, which bounds the seq a real record
                            // after the bad one can have.
                            long room = (cursor.size() - offset) / SegmentCursor.MIN_FRAME;
                            long follower = cursor.findValidRecord(offset + 1, expected - 1, expected + room + 1);
                            if (follower < 0) {
                                cutTail(seg.path(), offset, cursor.size(), reason);
                                return;
                            }
                            reason += "; a valid record follows at byte offset " + follower
                                    + ", so this is not a torn tail";
                        } else if (!newest && e.kind().couldBeTornWrite()) {
                            reason += " (in a segment that is not the newest: not a torn tail)";
                        }
                        throw new Damage(index, offset, reason);
                    }
                    if (record == null) {
                        return;
                    }
                    long seq = record.seq();
                    if (seq != expected) {
                        throw new Damage(index, offset, "seq " + seq + " where " + expected
                                + " was expected (seqs in a segment start at the seq in its name and increase by one)");
                    }
                    if (seq > afterSeq) {
                        long want = Math.max(lastSeq, afterSeq) + 1;
                        if (seq != want) {
                            throw new Damage(index, offset, "records " + want + ".." + (seq - 1)
                                    + " are missing: the log resumes at seq " + seq + " (afterSeq " + afterSeq + ")");
                        }
                        consumer.accept(record);
                        applied++;
                    }
                    lastSeq = seq;
                    read++;
                    bytes += cursor.position() - offset;
                    expected++;
                    endSegment = seg.path();
                    endOffset = cursor.position();
                }
            }
        }

        private void cutTail(Path file, long offset, long size, String reason) throws IOException {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(offset);
                ch.force(true);
            }
            torn = new WalDamage(file, offset, size - offset, reason);
        }

        /**
         * Sets aside everything from the damage on: later segments are renamed to
         * {@code .damaged}; the damaged segment is copied to {@code .damaged} (and the copy
         * fsynced) before being truncated at the damage, so no crash in between loses the
         * part already replayed.
         */
        private List<Path> quarantine(int index, long offset) throws IOException {
            List<Path> kept = new ArrayList<>();
            for (int j = segments.size() - 1; j > index; j--) {
                Path from = segments.get(j).path();
                Path to = freeName(from);
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
                kept.add(to);
            }
            Path damaged = segments.get(index).path();
            Path copy = freeName(damaged);
            Files.copy(damaged, copy);
            try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            kept.add(copy);
            WalFiles.SYSTEM.syncDirectory(dir);
            try (FileChannel ch = FileChannel.open(damaged, StandardOpenOption.WRITE)) {
                ch.truncate(offset);
                ch.force(true);
            }
            Collections.reverse(kept);
            return kept;
        }

        private static Path freeName(Path segment) {
            Path candidate = segment.resolveSibling(segment.getFileName() + ".damaged");
            for (int n = 1; Files.exists(candidate); n++) {
                candidate = segment.resolveSibling(segment.getFileName() + ".damaged." + n);
            }
            return candidate;
        }
    }
}
