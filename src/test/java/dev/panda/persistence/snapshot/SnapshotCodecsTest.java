package dev.panda.persistence.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pages compressed by Panda's codecs decompress with Parquet's own (Hadoop-based) codecs and the
 * other way round: old snapshots stay readable and other readers see standard pages.
 */
class SnapshotCodecsTest {
    private static final CodecFactory PARQUET = new CodecFactory(new PlainParquetConfiguration(), 1 << 20);

    private static byte[] page(int seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] page = new byte[300_000];
        for (int i = 0; i < page.length; i++) {
            // half random bytes, half runs: both compressible and incompressible stretches
            page[i] = i % 2000 < 1000 ? (byte) rnd.nextInt(256) : (byte) (i / 2000);
        }
        return page;
    }

    @ParameterizedTest
    @EnumSource(value = CompressionCodecName.class, names = {"SNAPPY", "ZSTD", "UNCOMPRESSED"})
    void pagesRoundTripWithParquetsOwnCodecs(CompressionCodecName codec) throws IOException {
        byte[] page = page(codec.ordinal());
        CompressionCodecFactory.BytesInputCompressor ours = SnapshotCodecs.INSTANCE.getCompressor(codec);
        CompressionCodecFactory.BytesInputDecompressor oursBack = SnapshotCodecs.INSTANCE.getDecompressor(codec);

        byte[] byUs = ours.compress(BytesInput.from(page)).toByteArray();
        if (codec != CompressionCodecName.UNCOMPRESSED) {
            assertThat(byUs.length).isLessThan(page.length);
        }
        assertThat(PARQUET.getDecompressor(codec).decompress(BytesInput.from(byUs), page.length).toByteArray())
                .isEqualTo(page);

        byte[] byParquet = PARQUET.getCompressor(codec).compress(BytesInput.from(page)).toByteArray();
        assertThat(oursBack.decompress(BytesInput.from(byParquet), page.length).toByteArray()).isEqualTo(page);

        // the buffer form, into a slice of a larger array, from a direct buffer
        ByteBuffer direct = ByteBuffer.allocateDirect(byParquet.length).put(byParquet).flip();
        byte[] room = new byte[page.length + 10];
        ByteBuffer out = ByteBuffer.wrap(room, 5, page.length).slice();
        oursBack.decompress(direct, byParquet.length, out, page.length);
        assertThat(Arrays.copyOfRange(room, 5, 5 + page.length)).isEqualTo(page);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionCodecName.class, names = {"SNAPPY", "ZSTD"})
    void aWrongSizeOrDamagedPageIsAnError(CompressionCodecName codec) throws IOException {
        byte[] page = page(7);
        byte[] compressed = SnapshotCodecs.INSTANCE.getCompressor(codec).compress(BytesInput.from(page)).toByteArray();
        CompressionCodecFactory.BytesInputDecompressor back = SnapshotCodecs.INSTANCE.getDecompressor(codec);
        assertThatThrownBy(() -> back.decompress(BytesInput.from(compressed), page.length - 1))
                .isInstanceOf(IOException.class);
        byte[] cut = Arrays.copyOf(compressed, compressed.length / 2);
        assertThatThrownBy(() -> back.decompress(BytesInput.from(cut), page.length))
                .isInstanceOf(IOException.class);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionCodecName.class, names = {"GZIP", "LZ4", "BROTLI"})
    void codecsPandaNeverWritesAreRefused(CompressionCodecName codec) {
        assertThatThrownBy(() -> SnapshotCodecs.INSTANCE.getDecompressor(codec))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SnapshotCodecs.INSTANCE.getCompressor(codec))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
