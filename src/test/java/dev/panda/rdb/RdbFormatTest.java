package dev.panda.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Redis's CRC-64, LZF decompression and RDB length/string encodings. Test thread. */
class RdbFormatTest {
    @Test
    void crc64MatchesRedissCheckValue() {
        byte[] data = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc64.of(data, 0, data.length)).isEqualTo(0xe9c6d914c4b8d9caL); // crc64.c's test vector
    }

    @Test
    void stringsAndLengthsRoundTripWithAVerifiedFooter() throws Exception {
        RdbBuffer out = RdbBuffer.writer();
        byte[][] strings = {new byte[0], "a".repeat(63).getBytes(), "b".repeat(64).getBytes(), "c".repeat(16384).getBytes()};
        for (byte[] s : strings) {
            out.type(245);
            out.string(s);
        }
        byte[] payload = out.finish();
        assertThat(RdbBuffer.verifyFooter(payload)).isTrue();
        RdbBuffer in = RdbBuffer.reader(payload);
        for (byte[] s : strings) {
            assertThat(in.readType()).isEqualTo(245);
            assertThat(in.readString()).isEqualTo(s);
        }
        assertThat(in.hasMore()).isFalse();
        payload[3] ^= 1;
        assertThat(RdbBuffer.verifyFooter(payload)).isFalse();
    }

    @Test
    void lzfBackReferencesAndDamage() {
        // "abcabcabc": literal "abc" then a back reference of 6 bytes at distance 3.
        byte[] compressed = {2, 'a', 'b', 'c', (byte) (4 << 5), 2};
        assertThat(new String(Lzf.decompress(compressed, 0, compressed.length, 9), StandardCharsets.US_ASCII)).isEqualTo("abcabcabc");
        assertThatThrownBy(() -> Lzf.decompress(compressed, 0, compressed.length, 8)).isInstanceOf(IllegalArgumentException.class);
        byte[] badRef = {(byte) (1 << 5), 9};
        assertThatThrownBy(() -> Lzf.decompress(badRef, 0, 2, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
