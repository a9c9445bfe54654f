package dev.panda.persistence.crypto;

import java.io.IOException;

/**
 * Data cannot be read or written for want of the right key: a key file that is not a 256-bit
 * base64 key, or a file encrypted with a key that is not configured. Start-up stops on it
 * before anything on disk is changed; unlike damage, it is never skipped or cut. The message
 * names the file and the key id, never the key. Any thread.
 */
public final class EncryptionKeyException extends IOException {
    private static final long serialVersionUID = 1L;

    public EncryptionKeyException(String message) {
        super(message);
    }

    public EncryptionKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
