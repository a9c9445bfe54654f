package dev.panda.persistence.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.parquet.crypto.FileDecryptionProperties;
import org.apache.parquet.crypto.FileEncryptionProperties;
import org.apache.parquet.crypto.KeyAccessDeniedException;
import org.apache.parquet.crypto.ParquetCipher;

/**
 * Parquet modular encryption for snapshots: uniform encryption with the current key, AES_GCM_V1,
 * every column and the footer encrypted (the file ends in {@code PARE}, not {@code PAR1}). The
 * footer's key metadata is the key id in hex ({@link EncryptionKeys}), so a reader finds the key
 * among the current and old ones, and an analyst's tool can name the key by its id (DuckDB:
 * {@code PRAGMA add_parquet_key('<key id>', '<base64 key>')}). No AAD prefix, so a file stays
 * readable after a rename or a copy from S3.
 *
 * <p>Stateless; any thread (the snapshot-writer thread writes, start-up reads).
 */
public final class ParquetEncryption {
    private static final byte[] ENCRYPTED_FOOTER_MAGIC = "PARE".getBytes(StandardCharsets.US_ASCII);

    private ParquetEncryption() {
    }

    /** What a new snapshot is written with: null (plaintext) without a current key. */
    public static FileEncryptionProperties forWriting(EncryptionKeys keys) {
        if (!keys.enabled()) {
            return null;
        }
        return FileEncryptionProperties.builder(keys.current().secret())
                .withAlgorithm(ParquetCipher.AES_GCM_V1)
                .withFooterKeyID(keys.current().idHex())
                .build();
    }

    /** True when {@code file} ends with the magic of a Parquet file with an encrypted footer. */
    public static boolean isEncrypted(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < ENCRYPTED_FOOTER_MAGIC.length) {
                return false;
            }
            ByteBuffer tail = ByteBuffer.allocate(ENCRYPTED_FOOTER_MAGIC.length);
            while (tail.hasRemaining() && ch.read(tail, size - ENCRYPTED_FOOTER_MAGIC.length + tail.position()) > 0) {
                // read the last 4 bytes
            }
            return java.util.Arrays.equals(tail.array(), ENCRYPTED_FOOTER_MAGIC);
        }
    }

    /**
     * How to read a file with {@code keys}: keys by the id in the footer, plaintext files
     * allowed (data written before encryption was turned on). A key id the footer asks for and
     * {@code keys} lacks is put in {@code missingId} before the read fails, for
     * {@link EncryptionKeys#missing}.
     */
    public static FileDecryptionProperties forReading(EncryptionKeys keys, AtomicReference<String> missingId) {
        return FileDecryptionProperties.builder()
                .withKeyRetriever(metadata -> {
                    String id = metadata == null ? "(none)" : new String(metadata, StandardCharsets.UTF_8);
                    EncryptionKeys.Key key = keys.byIdHex(id);
                    if (key == null) {
                        missingId.set(id);
                        throw new KeyAccessDeniedException("no configured key has id " + id);
                    }
                    return key.secret();
                })
                .withPlaintextFilesAllowed()
                .build();
    }
}
