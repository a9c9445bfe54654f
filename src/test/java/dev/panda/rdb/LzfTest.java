package dev.panda.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Lzf.compress against Lzf.decompress, and RdbSize's choice between the string forms. Test thread. */
class LzfTest {
    private final int[] htab = new int[Lzf.HASH_SLOTS];

    @Test
    void compressedDataDecompressesToTheInput() {
        Random random = new Random(7);
        for (int round = 0; round < 2000; round++) {
            int len = 1 + random.nextInt(round < 1000 ? 300 : 20_000);
            byte[] in = new byte[len + 10];
            int alphabet = 1 + random.nextInt(round % 3 == 0 ? 4 : 256);
            for (int i = 0; i < in.length; i++) {
                // Runs and repeats as well as noise, so both literals and back references are written.
                in[i] = i > 40 && random.nextInt(4) == 0 ? in[i - 1 - random.nextInt(40)] : (byte) random.nextInt(alphabet);
            }
            int room = len + len / 32 + 64; // noise grows by a literal header per 32 bytes
            byte[] out = new byte[room + 8];
            int n = Lzf.compress(in, 5, len, out, room, htab);
            assertThat(n).as("round %d", round).isPositive();
            assertThat(Lzf.decompress(out, 0, n, len)).as("round %d", round).isEqualTo(Arrays.copyOfRange(in, 5, 5 + len));
        }
    }

    @Test
    void compressionThatDoesNotFitGivesZero() {
        byte[] noise = new byte[100];
        new Random(3).nextBytes(noise);
        assertThat(Lzf.compress(noise, 0, noise.length, new byte[96 + 8], 96, htab)).isZero();
        byte[] same = new byte[100];
        assertThat(Lzf.compress(same, 0, same.length, new byte[96 + 8], 96, htab)).isBetween(1, 10);
    }

    @Test
    void rdbSizeOfStringsAsRdbSaveRawString() {
        RdbSize size = new RdbSize();
        assertThat(size.string(bytes("7"))).isEqualTo(2); // 8-bit integer
        assertThat(size.string(bytes("-40000"))).isEqualTo(5); // 32-bit integer
        assertThat(size.string(bytes("12345678901"))).isEqualTo(12); // too wide: plain
        assertThat(size.string(bytes("007"))).isEqualTo(4); // not canonical: plain
        assertThat(size.string(bytes("a".repeat(20)))).isEqualTo(21); // 20 bytes: never compressed
        assertThat(size.string(bytes("a".repeat(21)))).isEqualTo(9); // Redis says 9 too
        assertThat(size.string(bytes("x".repeat(60)))).isEqualTo(12);
        assertThat(size.compression(false).string(bytes("x".repeat(60)))).isEqualTo(61);
        assertThat(RdbSize.length(63)).isEqualTo(1);
        assertThat(RdbSize.length(64)).isEqualTo(2);
        assertThat(RdbSize.length(16384)).isEqualTo(5);
        assertThat(RdbSize.length(1L << 32)).isEqualTo(9);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
