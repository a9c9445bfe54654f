package dev.panda.persistence.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The encrypted WAL segment format: a segment header naming the key, then blocks sealed with
 * AES-256-GCM. Each group-commit write becomes one block (a batch over
 * {@link #TARGET_BLOCK_PLAINTEXT} is split, at record boundaries, into a few), and a block's
 * plaintext is whole WAL records in the ordinary format, CRC32C included, so replay checks them
 * exactly as in a plaintext segment.
 *
 * <pre>
 * segment header (16 bytes)
 *  0  4  magic 'P' 'W' 'E' 0xFF; read as a plaintext record's u32 length it exceeds the maximum,
 *        so a plaintext reader can never take it for records
 *  4  1  format version (1)
 *  5  3  zero
 *  8  8  key id ({@link EncryptionKeys}: the first 8 bytes of SHA-256 of the key)
 * block, repeated (integers little-endian)
 *  0  4  n: bytes of ciphertext and tag (plaintext length + 16)
 *  4  12 nonce
 *  16 n  AES-GCM ciphertext, then its 16-byte tag
 * </pre>
 * The additional authenticated data of a block is the segment header followed by the block's
 * file offset (u64), so a block cannot be moved within or between files unnoticed.
 *
 * <p><b>Nonces</b> are never reused with one key: each is a random 64-bit prefix, drawn when a
 * segment is started (and again if its 32-bit counter would wrap), followed by that counter,
 * which counts every block sealed, also blocks rewritten after a failed write (those get a new
 * nonce, not the old one with different plaintext). A counter avoids random 96-bit nonces'
 * limit of about 2^32 blocks per key, which a busy server could reach.
 *
 * <p>A <b>torn tail</b> is a block that runs past the end of the file, has an impossible length,
 * or fails authentication with no valid block after it: the reader cuts it as it cuts a torn
 * plaintext record. A block that fails authentication with a valid block after it is damage.
 *
 * <p>Not thread-safe (it holds a {@link Cipher}): the writer's instance lives on the store
 * thread, a reader's on the start-up thread.
 */
public final class WalBlockCipher {
    public static final int HEADER_BYTES = 16;
    public static final int LENGTH_BYTES = 4;
    public static final int NONCE_BYTES = 12;
    public static final int TAG_BYTES = 16;
    /** Bytes a block adds to its plaintext: length, nonce and tag. */
    public static final int BLOCK_OVERHEAD = LENGTH_BYTES + NONCE_BYTES + TAG_BYTES;
    /**
     * A batch is split into blocks of about this much plaintext (a bigger record gets a block of
     * its own): under half a G1 region, so a reader's block buffers are ordinary allocations, not
     * humongous ones.
     */
    public static final int TARGET_BLOCK_PLAINTEXT = 256 << 10;
    /** Largest length field accepted: a block of one largest WAL record (1 GiB) and change. */
    public static final long MAX_CIPHERTEXT = (1L << 30) + (1 << 10);
    private static final byte[] MAGIC = {'P', 'W', 'E', (byte) 0xFF};
    private static final byte VERSION = 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EncryptionKeys.Key key;
    private final SecretKeySpec spec;
    private final Cipher cipher;
    private final byte[] nonce = new byte[NONCE_BYTES];
    private final byte[] aad = new byte[HEADER_BYTES + 8];
    private int counter;
    private boolean prefixDrawn;

    public WalBlockCipher(EncryptionKeys.Key key) {
        this.key = key;
        this.spec = new SecretKeySpec(key.secret(), "AES");
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES/GCM", e);
        }
    }

    public EncryptionKeys.Key key() {
        return key;
    }

    /** The header a segment written with this key starts with. */
    public byte[] header() {
        byte[] h = new byte[HEADER_BYTES];
        System.arraycopy(MAGIC, 0, h, 0, MAGIC.length);
        h[4] = VERSION;
        System.arraycopy(key.id(), 0, h, 8, EncryptionKeys.ID_BYTES);
        return h;
    }

    /** True when a file starting with these bytes (at least 4) is an encrypted segment. */
    public static boolean isEncrypted(byte[] start, int len) {
        return len >= MAGIC.length && Arrays.equals(start, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * The key id in a segment header.
     *
     * @throws IllegalArgumentException when the version is not one this Panda reads
     */
    public static byte[] keyIdOf(byte[] header) {
        if (header[4] != VERSION) {
            throw new IllegalArgumentException("encrypted WAL segment format version " + header[4] + "; this Panda reads "
                    + VERSION);
        }
        return Arrays.copyOfRange(header, 8, 8 + EncryptionKeys.ID_BYTES);
    }

    /** A new segment begins: a fresh random nonce prefix. */
    public void newSegment() {
        drawPrefix();
    }

    private void drawPrefix() {
        byte[] prefix = new byte[8];
        RANDOM.nextBytes(prefix);
        System.arraycopy(prefix, 0, nonce, 0, 8);
        counter = 0;
        prefixDrawn = true;
    }

    /**
     * Seals {@code plain[off, off + len)} as one block at {@code blockOffset} of a segment whose
     * header is {@code header}, into {@code out} at {@code outOff} (room for
     * {@code len + BLOCK_OVERHEAD} bytes); returns the bytes written.
     */
    public int seal(byte[] header, long blockOffset, byte[] plain, int off, int len, byte[] out, int outOff) {
        if (!prefixDrawn || counter == -1) {
            drawPrefix();
        }
        putIntLe(nonce, 8, counter++);
        putIntLe(out, outOff, len + TAG_BYTES);
        System.arraycopy(nonce, 0, out, outOff + LENGTH_BYTES, NONCE_BYTES);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, spec, new GCMParameterSpec(TAG_BYTES * 8, nonce));
            cipher.updateAAD(aad(header, blockOffset));
            int n = cipher.doFinal(plain, off, len, out, outOff + LENGTH_BYTES + NONCE_BYTES);
            return LENGTH_BYTES + NONCE_BYTES + n;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Opens the block whose nonce starts at {@code block[off]} (after its length field), with
     * {@code cipherLen} bytes of ciphertext and tag after the nonce.
     *
     * @return the plaintext
     * @throws AEADBadTagException when the block was not sealed with this key at this place in
     *                             this segment (torn, damaged or tampered)
     */
    public byte[] open(byte[] header, long blockOffset, byte[] block, int off, int cipherLen) throws AEADBadTagException {
        byte[] out = new byte[Math.max(0, cipherLen - TAG_BYTES)];
        open(header, blockOffset, block, off, cipherLen, out);
        return out;
    }

    /**
     * As {@link #open(byte[], long, byte[], int, int)}, into {@code out} (at least
     * {@code cipherLen - TAG_BYTES} bytes, not overlapping {@code block}) so a reader reuses one
     * buffer; returns the plaintext length.
     */
    public int open(byte[] header, long blockOffset, byte[] block, int off, int cipherLen, byte[] out)
            throws AEADBadTagException {
        try {
            cipher.init(Cipher.DECRYPT_MODE, spec, new GCMParameterSpec(TAG_BYTES * 8, block, off, NONCE_BYTES));
            cipher.updateAAD(aad(header, blockOffset));
            return cipher.doFinal(block, off + NONCE_BYTES, cipherLen, out, 0);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            AEADBadTagException bad = new AEADBadTagException("block cannot be decrypted: " + e.getMessage());
            bad.initCause(e);
            throw bad;
        }
    }

    private byte[] aad(byte[] header, long blockOffset) {
        System.arraycopy(header, 0, aad, 0, HEADER_BYTES);
        for (int i = 0; i < 8; i++) {
            aad[HEADER_BYTES + i] = (byte) (blockOffset >>> (8 * i));
        }
        return aad;
    }

    /** The length field (ciphertext and tag bytes) of a block starting at {@code b[at]}, unsigned. */
    public static long lengthField(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }

    private static void putIntLe(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }
}
