package dev.panda.persistence.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptionKeysTest {
    @TempDir
    Path dir;

    static byte[] key(int seed) {
        byte[] k = new byte[32];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (seed * 31 + i);
        }
        return k;
    }

    private Path keyFile(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    @Test
    void aBase64KeyFileLoadsWithItsIdTheFirstBytesOfItsSha256() throws Exception {
        byte[] k = key(1);
        Path f = keyFile("k", "  " + Base64.getEncoder().encodeToString(k) + "\n"); // base64(1) output, with a newline
        EncryptionKeys keys = EncryptionKeys.load(f, List.of());
        assertThat(keys.enabled()).isTrue();
        assertThat(keys.current().secret()).isEqualTo(k);
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(k);
        assertThat(keys.current().idHex()).isEqualTo(HexFormat.of().formatHex(sha, 0, 8)).hasSize(16);
        assertThat(keys.toString()).doesNotContain(Base64.getEncoder().encodeToString(k));
    }

    @Test
    void noKeyFileMeansNoEncryption() throws Exception {
        assertThat(EncryptionKeys.load(null, List.of()).enabled()).isFalse();
        assertThat(EncryptionKeys.load(null, List.of())).isSameAs(EncryptionKeys.NONE);
    }

    @Test
    void badBase64IsAClearErrorThatDoesNotEchoTheContent() throws Exception {
        Path f = keyFile("bad", "not*base64*at-all-SECRETISH");
        assertThatThrownBy(() -> EncryptionKeys.load(f, List.of()))
                .isInstanceOf(EncryptionKeyException.class)
                .hasMessageContaining("encryption-key-file " + f)
                .hasMessageContaining("not valid base64")
                .hasMessageNotContaining("SECRETISH");
    }

    @Test
    void aKeyOfTheWrongLengthIsAClearError() throws Exception {
        Path f = keyFile("short", Base64.getEncoder().encodeToString(new byte[16]));
        assertThatThrownBy(() -> EncryptionKeys.load(f, List.of()))
                .isInstanceOf(EncryptionKeyException.class)
                .hasMessageContaining("holds 16 bytes")
                .hasMessageContaining("32 bytes");
        Path empty = keyFile("empty", "\n");
        assertThatThrownBy(() -> EncryptionKeys.load(empty, List.of())).hasMessageContaining("is empty");
    }

    @Test
    void aMissingKeyFileIsAClearError() {
        Path f = dir.resolve("nope");
        assertThatThrownBy(() -> EncryptionKeys.load(f, List.of()))
                .isInstanceOf(EncryptionKeyException.class)
                .hasMessageContaining("encryption-key-file " + f + " cannot be read");
    }

    @Test
    void oldKeysReadButNeedACurrentKey() throws Exception {
        Path cur = keyFile("cur", Base64.getEncoder().encodeToString(key(1)));
        Path old = keyFile("old", Base64.getEncoder().encodeToString(key(2)));
        EncryptionKeys keys = EncryptionKeys.load(cur, List.of(old));
        assertThat(keys.byId(keys.current().id())).isSameAs(keys.current());
        EncryptionKeys.Key oldKey = keys.byIdHex(EncryptionKeys.of(key(2)).current().idHex());
        assertThat(oldKey).isNotNull();
        assertThat(oldKey.secret()).isEqualTo(key(2));
        assertThat(keys.byIdHex(EncryptionKeys.of(key(3)).current().idHex())).isNull();
        assertThat(keys.byIdHex("zz")).isNull();
        assertThatThrownBy(() -> EncryptionKeys.load(null, List.of(old)))
                .isInstanceOf(EncryptionKeyException.class)
                .hasMessageContaining("encryption-key-file is not");
    }

    @Test
    void theMissingKeyMessageNamesFileAndIdsButNoKey() {
        EncryptionKeys keys = EncryptionKeys.of(key(1));
        String msg = keys.missing("snapshot x.parquet", "00112233aabbccdd").getMessage();
        assertThat(msg).contains("snapshot x.parquet").contains("00112233aabbccdd").contains(keys.current().idHex())
                .contains("Refusing to start");
        assertThat(EncryptionKeys.NONE.missing("f", "ab").getMessage()).contains("no encryption-key-file is configured");
    }
}
