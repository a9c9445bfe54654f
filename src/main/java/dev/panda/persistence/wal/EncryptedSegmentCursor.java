package dev.panda.persistence.wal;

import dev.panda.persistence.crypto.EncryptionKeys;
import dev.panda.persistence.crypto.WalBlockCipher;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import javax.crypto.AEADBadTagException;

/**
 * Reads the records of an encrypted segment ({@link WalBlockCipher} format): decrypts one block
 * at a time and decodes the plaintext records in it, CRCs checked as in a plaintext segment.
 *
 * <p>Damage is located by block: {@link #position()} is the offset of the block holding the next
 * record, 0 for the first block (so a torn first block is cut with the header, leaving an empty
 * file, which the writer deletes). Block-level failures (a block past the end of the file, an
 * impossible length, a failed tag, a file holding only its header) have the kinds a torn write
 * can leave; a record that does not decode inside an authenticated block is
 * {@link WalFormatException.Kind#BAD_PAYLOAD}, never a torn tail.
 *
 * <p>Used by one thread at a time (start-up recovery).
 */
final class EncryptedSegmentCursor implements SegmentRecords {
    private static final int MIN_CIPHERTEXT = WalBlockCipher.TAG_BYTES + SegmentCursor.MIN_FRAME;
    private static final int WINDOW_BYTES = 256 << 10;

    private final Path file;
    private final FileChannel channel;
    private final long size;
    private final byte[] header = new byte[WalBlockCipher.HEADER_BYTES];
    private final WalBlockCipher cipher;
    private final CRC32C crc = new CRC32C();
    /** Reused for every block: its nonce and ciphertext, and its plaintext (grown as needed). */
    private byte[] blockBuf = new byte[0];
    private byte[] plainBuf = new byte[0];
    /** Read-ahead: file bytes {@code [windowStart, windowStart + windowLen)}. */
    private final byte[] window = new byte[WINDOW_BYTES];
    private long windowStart;
    private int windowLen;
    /** The plaintext of the current block; null before the first. */
    private ByteBuffer plain;
    /** Offset of the unit holding the next record. */
    private long pos;
    /** Offset after the current block (the first block starts after the header). */
    private long nextBlock = WalBlockCipher.HEADER_BYTES;

    /**
     * @throws dev.panda.persistence.crypto.EncryptionKeyException when {@code keys} lacks the
     *                                                            segment's key
     */
    EncryptedSegmentCursor(Path file, EncryptionKeys keys) throws IOException {
        this.file = file;
        channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            size = channel.size();
            EncryptionKeys.Key key = null;
            if (size >= WalBlockCipher.HEADER_BYTES) {
                readFully(ByteBuffer.wrap(header), 0);
                byte[] id;
                try {
                    id = WalBlockCipher.keyIdOf(header);
                } catch (IllegalArgumentException e) {
                    throw new WalCorruptedException(file, 0, e.getMessage());
                }
                key = keys.byId(id);
                if (key == null) {
                    throw keys.missing("WAL segment " + file, HexFormat.of().formatHex(id));
                }
            }
            cipher = key == null ? null : new WalBlockCipher(key);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long position() {
        return pos;
    }

    @Override
    public WalRecord next() throws IOException, WalFormatException {
        if (plain == null || !plain.hasRemaining()) {
            if (!nextBlockRead()) {
                return null;
            }
        }
        WalRecord record = decodeRecord();
        if (!plain.hasRemaining()) {
            pos = nextBlock;
        }
        return record;
    }

    /** Reads and decrypts the block at {@code nextBlock}; false at the end of the file. */
    private boolean nextBlockRead() throws IOException, WalFormatException {
        if (cipher == null) {
            throw new WalFormatException(WalFormatException.Kind.TRUNCATED,
                    "file ends " + size + " bytes into the encrypted-segment header");
        }
        long at = nextBlock;
        if (at == size) {
            if (at == WalBlockCipher.HEADER_BYTES) {
                throw new WalFormatException(WalFormatException.Kind.TRUNCATED, "encrypted segment holds only its header");
            }
            return false;
        }
        plain = decrypt(at);
        return true;
    }

    /** The plaintext of the block at {@code at}, setting {@code nextBlock} after it. */
    private ByteBuffer decrypt(long at) throws IOException, WalFormatException {
        long remaining = size - at;
        int prefix = WalBlockCipher.LENGTH_BYTES + WalBlockCipher.NONCE_BYTES;
        if (remaining < prefix) {
            throw new WalFormatException(WalFormatException.Kind.TRUNCATED,
                    "file ends " + remaining + " bytes into a block header");
        }
        byte[] lengthBytes = new byte[WalBlockCipher.LENGTH_BYTES];
        readFully(ByteBuffer.wrap(lengthBytes), at);
        long n = WalBlockCipher.lengthField(lengthBytes, 0);
        if (n < MIN_CIPHERTEXT || n > WalBlockCipher.MAX_CIPHERTEXT) {
            throw new WalFormatException(WalFormatException.Kind.BAD_LENGTH, "impossible block length " + n);
        }
        if (n > remaining - prefix) {
            throw new WalFormatException(WalFormatException.Kind.TRUNCATED, "block of " + n
                    + " bytes runs past the end of the file (" + remaining + " bytes remain)");
        }
        int blockBytes = (int) (WalBlockCipher.NONCE_BYTES + n);
        if (blockBuf.length < blockBytes) {
            blockBuf = new byte[blockBytes];
            plainBuf = new byte[blockBytes];
        }
        readFully(ByteBuffer.wrap(blockBuf, 0, blockBytes), at + WalBlockCipher.LENGTH_BYTES);
        int plainBytes;
        try {
            plainBytes = cipher.open(header, at, blockBuf, 0, (int) n, plainBuf);
        } catch (AEADBadTagException e) {
            throw new WalFormatException(WalFormatException.Kind.BAD_CRC,
                    "block fails AES-GCM authentication (torn, damaged or tampered)");
        }
        nextBlock = at + prefix + n;
        return ByteBuffer.wrap(plainBuf, 0, plainBytes);
    }

    private WalRecord decodeRecord() throws WalFormatException {
        int p = plain.position();
        int left = plain.remaining();
        try {
            if (left < WalCodec.HEADER_BYTES) {
                throw new WalFormatException(WalFormatException.Kind.TRUNCATED, "block ends inside a record header");
            }
            long length = WalCodec.lengthField(plain, p);
            if (length < WalCodec.MIN_RECORD_LENGTH || length > left - WalCodec.HEADER_BYTES) {
                throw new WalFormatException(WalFormatException.Kind.BAD_LENGTH, "impossible record length " + length);
            }
            int frame = (int) (WalCodec.HEADER_BYTES + length);
            ByteBuffer one = plain.duplicate();
            one.limit(p + frame).position(p);
            WalRecord record = WalCodec.decode(one, crc);
            plain.position(p + frame);
            return record;
        } catch (WalFormatException e) {
            // The block authenticated: what is inside was written so, not torn.
            throw new WalFormatException(WalFormatException.Kind.BAD_PAYLOAD,
                    "inside an authenticated block: " + e.getMessage());
        }
    }

    @Override
    public long lastSeqByHeaders() throws IOException, WalFormatException {
        if (cipher == null || size == WalBlockCipher.HEADER_BYTES) {
            return 0;
        }
        // Hop over blocks by their length fields; decrypt only the last one.
        long at = WalBlockCipher.HEADER_BYTES;
        long last = -1;
        byte[] lengthBytes = new byte[WalBlockCipher.LENGTH_BYTES];
        int prefix = WalBlockCipher.LENGTH_BYTES + WalBlockCipher.NONCE_BYTES;
        while (at < size) {
            if (size - at < prefix) {
                throw new WalFormatException(WalFormatException.Kind.TRUNCATED, "file ends inside a block header");
            }
            readFully(ByteBuffer.wrap(lengthBytes), at);
            long n = WalBlockCipher.lengthField(lengthBytes, 0);
            if (n < MIN_CIPHERTEXT || n > size - at - prefix) {
                throw new WalFormatException(WalFormatException.Kind.BAD_LENGTH, "impossible block length " + n
                        + " with " + (size - at) + " bytes left in the file");
            }
            last = at;
            at += prefix + n;
        }
        pos = last;
        plain = decrypt(last);
        long seq = 0;
        while (plain.hasRemaining()) {
            seq = decodeRecord().seq();
        }
        pos = nextBlock;
        return seq;
    }

    @Override
    public long findValidRecord(long from, long minSeqExclusive, long maxSeq) throws IOException {
        if (cipher == null) {
            return -1;
        }
        int prefix = WalBlockCipher.LENGTH_BYTES + WalBlockCipher.NONCE_BYTES;
        byte[] lengthBytes = new byte[WalBlockCipher.LENGTH_BYTES];
        for (long q = Math.max(from, WalBlockCipher.HEADER_BYTES); q + prefix + MIN_CIPHERTEXT <= size; q++) {
            readFully(ByteBuffer.wrap(lengthBytes), q);
            long n = WalBlockCipher.lengthField(lengthBytes, 0);
            if (n < MIN_CIPHERTEXT || n > size - q - prefix) {
                continue;
            }
            byte[] block = new byte[(int) (WalBlockCipher.NONCE_BYTES + n)];
            readFully(ByteBuffer.wrap(block), q + WalBlockCipher.LENGTH_BYTES);
            try {
                cipher.open(header, q, block, 0, (int) n);
                return q; // authenticated at this offset: written there by the holder of the key
            } catch (AEADBadTagException e) {
                // not a block
            }
        }
        return -1;
    }

    /**
     * Fills {@code into} from file offset {@code at} through a read-ahead window, so that small
     * blocks (one per unpipelined command) cost no system call each; a read larger than the
     * window goes to the file directly.
     */
    private void readFully(ByteBuffer into, long at) throws IOException {
        int want = into.remaining();
        if (want > window.length) {
            int start = into.position();
            while (into.hasRemaining()) {
                if (channel.read(into, at + into.position() - start) < 0) {
                    throw new EOFException("segment " + file + " shrank while being read");
                }
            }
            return;
        }
        if (at < windowStart || at + want > windowStart + windowLen) {
            windowStart = at;
            windowLen = 0;
            ByteBuffer w = ByteBuffer.wrap(window, 0, (int) Math.min(window.length, size - at));
            while (w.position() < want) {
                int r = channel.read(w, at + w.position());
                if (r < 0) {
                    throw new EOFException("segment " + file + " shrank while being read");
                }
            }
            windowLen = w.position();
        }
        into.put(window, (int) (at - windowStart), want);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
