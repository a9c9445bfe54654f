package dev.panda.persistence.wal;

import dev.panda.persistence.crypto.EncryptionKeys;
import dev.panda.persistence.crypto.WalBlockCipher;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the records of one segment file in order, whatever its format: {@link SegmentCursor}
 * for a plaintext segment, {@link EncryptedSegmentCursor} for one that starts with the
 * encrypted-segment header. One thread at a time (start-up recovery).
 */
interface SegmentRecords extends Closeable {
    /** Bytes in the file. */
    long size();

    /**
     * File offset where the next record's unit begins: the record itself in a plaintext segment;
     * the block holding it in an encrypted one (0 for the first block, which the header precedes).
     * Cutting the file here drops the next record and everything after it, nothing before.
     */
    long position();

    /** The next record, or null at the end of the file; on a {@link WalFormatException} the damage starts at {@link #position()}. */
    WalRecord next() throws IOException, WalFormatException;

    /** The seq of the last record without checking every record (0 for a file without records). */
    long lastSeqByHeaders() throws IOException, WalFormatException;

    /**
     * The offset of a valid unit (record or block) starting in {@code [from, size)}, or -1: what
     * tells a torn tail (nothing valid after the damage) from damage.
     */
    long findValidRecord(long from, long minSeqExclusive, long maxSeq) throws IOException;

    /**
     * Opens a segment in its format.
     *
     * @throws dev.panda.persistence.crypto.EncryptionKeyException when it is encrypted with a key
     *                                                            that {@code keys} lacks
     */
    static SegmentRecords open(Path file, EncryptionKeys keys) throws IOException {
        byte[] start = new byte[4];
        int n = readStart(file, start);
        if (WalBlockCipher.isEncrypted(start, n)) {
            return new EncryptedSegmentCursor(file, keys);
        }
        return new SegmentCursor(file);
    }

    /** Reads up to {@code into.length} bytes from the start of {@code file}; returns how many. */
    static int readStart(Path file, byte[] into) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.wrap(into);
            while (b.hasRemaining()) {
                if (ch.read(b, b.position()) < 0) {
                    break;
                }
            }
            return b.position();
        }
    }
}
