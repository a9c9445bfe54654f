package dev.panda.persistence.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

class WalBlockCipherTest {
    private static final byte[] PLAIN = "some WAL records: SET user:1 secret-value".getBytes(StandardCharsets.UTF_8);
    private final EncryptionKeys keys = EncryptionKeys.of(EncryptionKeysTest.key(1));
    private final WalBlockCipher cipher = new WalBlockCipher(keys.current());

    /** Seals PLAIN at {@code offset}; returns the block. */
    private byte[] seal(WalBlockCipher c, long offset) {
        byte[] out = new byte[PLAIN.length + WalBlockCipher.BLOCK_OVERHEAD];
        int n = c.seal(c.header(), offset, PLAIN, 0, PLAIN.length, out, 0);
        assertThat(n).isEqualTo(out.length);
        return out;
    }

    private byte[] open(WalBlockCipher c, long offset, byte[] block) throws AEADBadTagException {
        int len = (int) WalBlockCipher.lengthField(block, 0);
        return c.open(c.header(), offset, block, WalBlockCipher.LENGTH_BYTES, len);
    }

    @Test
    void aBlockRoundTripsAndHidesItsPlaintext() throws Exception {
        byte[] block = seal(cipher, 16);
        assertThat(WalBlockCipher.lengthField(block, 0)).isEqualTo(PLAIN.length + WalBlockCipher.TAG_BYTES);
        assertThat(new String(block, StandardCharsets.ISO_8859_1)).doesNotContain("secret-value").doesNotContain("user:1");
        assertThat(open(new WalBlockCipher(keys.current()), 16, block)).isEqualTo(PLAIN);
    }

    @Test
    void aTamperedBlockFailsAuthentication() throws Exception {
        for (int i = WalBlockCipher.LENGTH_BYTES; i < PLAIN.length + WalBlockCipher.BLOCK_OVERHEAD; i += 7) {
            byte[] block = seal(cipher, 16);
            block[i] ^= 1;
            assertThatThrownBy(() -> open(cipher, 16, block)).isInstanceOf(AEADBadTagException.class);
        }
    }

    @Test
    void aBlockMovedToAnotherOffsetOrReadWithAnotherKeyFails() throws Exception {
        byte[] block = seal(cipher, 16);
        assertThatThrownBy(() -> open(cipher, 100, block)).isInstanceOf(AEADBadTagException.class);
        WalBlockCipher other = new WalBlockCipher(EncryptionKeys.of(EncryptionKeysTest.key(2)).current());
        int len = (int) WalBlockCipher.lengthField(block, 0);
        // with the other key's header as well as with this one's: the key is what fails
        assertThatThrownBy(() -> other.open(cipher.header(), 16, block, 4, len)).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void noncesNeverRepeatWithinOrAcrossSegments() {
        Set<String> nonces = new HashSet<>();
        for (int segment = 0; segment < 20; segment++) {
            cipher.newSegment();
            for (int i = 0; i < 50; i++) {
                byte[] block = seal(cipher, 16);
                assertThat(nonces.add(Arrays.toString(Arrays.copyOfRange(block, 4, 16)))).isTrue();
            }
        }
    }

    @Test
    void theHeaderNamesTheKeyAndCannotPassForAPlaintextRecord() {
        byte[] h = cipher.header();
        assertThat(h).hasSize(WalBlockCipher.HEADER_BYTES);
        assertThat(WalBlockCipher.isEncrypted(h, 4)).isTrue();
        assertThat(WalBlockCipher.keyIdOf(h)).isEqualTo(keys.current().id());
        // read as a plaintext record's u32 length field, the magic is above the largest record
        assertThat(WalBlockCipher.lengthField(h, 0)).isGreaterThan(dev.panda.persistence.wal.WalCodec.MAX_RECORD_LENGTH);
        byte[] future = h.clone();
        future[4] = 9;
        assertThatThrownBy(() -> WalBlockCipher.keyIdOf(future)).hasMessageContaining("format version 9");
    }
}
