package dev.panda.persistence.wal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads the records of one plaintext segment file in order through a reusable read buffer. Never
 * allocates more than the file still holds, so a corrupted length field cannot exhaust memory.
 * Also holds the scan that decides whether damage is a torn tail. Used by one thread at a
 * time (start-up recovery).
 */
final class SegmentCursor implements SegmentRecords {
    private static final int BUFFER_BYTES = 1 << 20;
    /** The smallest framed record: header, seq and opcode. */
    static final int MIN_FRAME = WalCodec.HEADER_BYTES + WalCodec.MIN_RECORD_LENGTH;

    private final FileChannel channel;
    private final long size;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES);
    /** File offset of buf index 0, and valid bytes from there. */
    private long bufStart;
    private int bufLen;
    /** File offset of the next record. */
    private long pos;

    SegmentCursor(Path file) throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            size = channel.size();
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public long size() {
        return size;
    }

    /** Offset of the next record: after the last one returned. */
    @Override
    public long position() {
        return pos;
    }

    /**
     * The next record, or null at the end of the file. On a {@link WalFormatException} the
     * damaged record starts at {@link #position()}.
     */
    @Override
    public WalRecord next() throws IOException, WalFormatException {
        long remaining = size - pos;
        if (remaining == 0) {
            return null;
        }
        if (remaining < WalCodec.HEADER_BYTES) {
            throw new WalFormatException(WalFormatException.Kind.TRUNCATED,
                    "file ends " + remaining + " bytes into a record header");
        }
        fill(WalCodec.HEADER_BYTES);
        int rel = (int) (pos - bufStart);
        long length = WalCodec.lengthField(buf, rel);
        if (length < WalCodec.MIN_RECORD_LENGTH || length > WalCodec.MAX_RECORD_LENGTH) {
            throw new WalFormatException(WalFormatException.Kind.BAD_LENGTH, "impossible record length " + length);
        }
        if (length > remaining - WalCodec.HEADER_BYTES) {
            throw new WalFormatException(WalFormatException.Kind.TRUNCATED, "record of length " + length
                    + " runs past the end of the file (" + remaining + " bytes remain)");
        }
        int frame = (int) (WalCodec.HEADER_BYTES + length);
        fill(frame);
        rel = (int) (pos - bufStart);
        buf.limit(rel + frame).position(rel);
        WalRecord record = WalCodec.decode(buf, crc);
        pos += frame;
        return record;
    }

    /**
     * The seq of the last record, found by hopping from header to header without checking
     * checksums or decoding payloads (0 for an empty file): for a segment that replay has already
     * read whole. Reads the file to its end, like {@link #next}.
     *
     * @throws WalFormatException when a length field is impossible or runs past the end of the file
     */
    @Override
    public long lastSeqByHeaders() throws IOException, WalFormatException {
        long last = 0;
        while (pos < size) {
            long remaining = size - pos;
            if (remaining < MIN_FRAME) {
                throw new WalFormatException(WalFormatException.Kind.TRUNCATED,
                        "file ends " + remaining + " bytes into a record");
            }
            fill(MIN_FRAME);
            int rel = (int) (pos - bufStart);
            long length = WalCodec.lengthField(buf, rel);
            if (length < WalCodec.MIN_RECORD_LENGTH || length > remaining - WalCodec.HEADER_BYTES) {
                throw new WalFormatException(WalFormatException.Kind.BAD_LENGTH, "impossible record length " + length
                        + " with " + remaining + " bytes left in the file");
            }
            last = WalCodec.seqField(buf, rel);
            pos += WalCodec.HEADER_BYTES + length;
        }
        return last;
    }

    /** Makes {@code [pos, pos + n)} available in the buffer (and readable: limit = valid bytes). */
    private void fill(int n) throws IOException {
        long relative = pos - bufStart;
        if (relative + n > bufLen) {
            // Keep the buffered bytes from pos on, if any: lastSeqByHeaders hops past the buffer.
            int rel = (int) Math.min(relative, bufLen);
            int keep = bufLen - rel;
            if (n > buf.capacity()) {
                ByteBuffer bigger = ByteBuffer.allocate(n);
                System.arraycopy(buf.array(), rel, bigger.array(), 0, keep);
                buf = bigger;
            } else {
                System.arraycopy(buf.array(), rel, buf.array(), 0, keep);
            }
            bufLen = keep;
            bufStart = pos;
            long available = size - bufStart;
            int want = (int) Math.min(buf.capacity(), available);
            while (bufLen < n) {
                buf.limit(want).position(bufLen);
                int r = channel.read(buf, bufStart + bufLen);
                if (r < 0) {
                    throw new EOFException("segment shrank while being read");
                }
                bufLen += r;
            }
        }
        buf.limit(bufLen).position(0);
    }

    /**
     * Looks for a complete record with a valid CRC starting anywhere in {@code [from, size)}
     * whose seq lies in {@code (minSeqExclusive, maxSeq]}; returns its offset or -1. The seq
     * window keeps the scan linear on garbage: only offsets whose length and seq fields are
     * plausible get their checksum computed.
     */
    @Override
    public long findValidRecord(long from, long minSeqExclusive, long maxSeq) throws IOException {
        ByteBuffer window = ByteBuffer.allocate(BUFFER_BYTES);
        long windowStart = -1;
        int windowLen = 0;
        for (long q = from; q + MIN_FRAME <= size; q++) {
            if (windowStart < 0 || q + MIN_FRAME > windowStart + windowLen) {
                windowStart = q;
                windowLen = readFully(window, q, (int) Math.min(window.capacity(), size - q));
            }
            int rel = (int) (q - windowStart);
            long length = WalCodec.lengthField(window, rel);
            if (length < WalCodec.MIN_RECORD_LENGTH || length > WalCodec.MAX_RECORD_LENGTH
                    || length > size - q - WalCodec.HEADER_BYTES) {
                continue;
            }
            long seq = WalCodec.seqField(window, rel);
            if (seq <= minSeqExclusive || seq > maxSeq) {
                continue;
            }
            ByteBuffer candidate = ByteBuffer.allocate((int) (WalCodec.HEADER_BYTES + length));
            readFully(candidate, q, candidate.capacity());
            candidate.clear();
            try {
                WalCodec.decode(candidate, crc);
                return q;
            } catch (WalFormatException e) {
                if (e.kind() == WalFormatException.Kind.BAD_PAYLOAD) {
                    return q; // the checksum matched: a real record, written by someone
                }
            }
        }
        return -1;
    }

    private int readFully(ByteBuffer into, long at, int n) throws IOException {
        into.clear().limit(n);
        while (into.hasRemaining()) {
            if (channel.read(into, at + into.position()) < 0) {
                throw new EOFException("segment shrank while being read");
            }
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
