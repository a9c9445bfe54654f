package dev.panda.persistence.snapshot;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Page compression for snapshot files, straight on snappy-java and zstd-jni (the libraries
 * Parquet's own codecs wrap) with one array in and one array out per page. Parquet's default
 * factory goes through Hadoop's codec classes: its first use parses Hadoop's XML configuration
 * (a tenth of a second at every start, and more to compile) and each page is copied through
 * direct buffers and streams. The bytes are the same: raw snappy blocks and zstd frames, as any
 * Parquet reader expects.
 *
 * <p>Stateless; any thread (one writer or reader uses it from one thread).
 */
final class SnapshotCodecs implements CompressionCodecFactory {
    static final SnapshotCodecs INSTANCE = new SnapshotCodecs();

    /** Parquet's default zstd level (parquet.compression.codec.zstd.level). */
    private static final int ZSTD_LEVEL = 3;

    private SnapshotCodecs() {
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return switch (codec) {
            case SNAPPY, ZSTD, UNCOMPRESSED -> new Compressor(codec);
            default -> throw new IllegalArgumentException("snapshots are not written with " + codec);
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return switch (codec) {
            case SNAPPY, ZSTD, UNCOMPRESSED -> new Decompressor(codec);
            // Panda writes only these; any other codec is not a Panda snapshot's
            default -> throw new IllegalArgumentException("unsupported snapshot page compression " + codec);
        };
    }

    @Override
    public void release() {
    }

    /**
     * One per Parquet writer, used by its thread only. The input and output arrays are reused
     * page after page: Parquet copies a compressed page before it asks for the next one (its own
     * compressors reuse their output the same way).
     */
    private static final class Compressor implements BytesInputCompressor {
        private final CompressionCodecName codec;
        private final ReusableBytes in = new ReusableBytes();
        private byte[] out = new byte[0];

        Compressor(CompressionCodecName codec) {
            this.codec = codec;
        }

        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            if (codec == CompressionCodecName.UNCOMPRESSED) {
                return bytes;
            }
            in.reset();
            bytes.writeAllTo(in);
            int length = in.size();
            if (codec == CompressionCodecName.SNAPPY) {
                room(Snappy.maxCompressedLength(length));
                return BytesInput.from(out, 0, Snappy.compress(in.array(), 0, length, out, 0));
            }
            room((int) Zstd.compressBound(length));
            long n;
            try {
                n = Zstd.compressByteArray(out, 0, out.length, in.array(), 0, length, ZSTD_LEVEL);
            } catch (RuntimeException e) { // ZstdException
                throw new IOException("zstd compression failed: " + e.getMessage(), e);
            }
            return BytesInput.from(out, 0, (int) n);
        }

        private void room(int bytes) {
            if (out.length < bytes) {
                out = new byte[bytes];
            }
        }

        @Override
        public CompressionCodecName getCodecName() {
            return codec;
        }

        @Override
        public void release() {
            out = new byte[0];
        }
    }

    /** A byte stream whose array is read in place. */
    private static final class ReusableBytes extends java.io.ByteArrayOutputStream {
        byte[] array() {
            return buf;
        }
    }

    private record Decompressor(CompressionCodecName codec) implements BytesInputDecompressor {
        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
            if (codec == CompressionCodecName.UNCOMPRESSED) {
                return bytes;
            }
            // a view of the page's bytes where they lie (toByteBuffer() would copy them first)
            ByteBuffer in = bytes.toByteBuffer(HeapByteBufferAllocator.getInstance(), copy -> { });
            byte[] out = new byte[uncompressedSize];
            decompress(in, in.remaining(), ByteBuffer.wrap(out), uncompressedSize);
            return BytesInput.from(out);
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                throws IOException {
            byte[] in;
            int inOffset;
            if (input.hasArray()) {
                in = input.array();
                inOffset = input.arrayOffset() + input.position();
            } else {
                in = new byte[compressedSize];
                input.duplicate().get(in);
                inOffset = 0;
            }
            byte[] out = output.hasArray() ? output.array() : new byte[uncompressedSize];
            int outOffset = output.hasArray() ? output.arrayOffset() + output.position() : 0;
            long n = switch (codec) {
                case SNAPPY -> {
                    // the native call trusts the block's own length: check it against the room first
                    int length = Snappy.uncompressedLength(in, inOffset, compressedSize);
                    if (length != uncompressedSize) {
                        throw new IOException("snappy page holds " + length + " bytes, its header says " + uncompressedSize);
                    }
                    yield Snappy.uncompress(in, inOffset, compressedSize, out, outOffset);
                }
                case ZSTD -> {
                    try {
                        yield Zstd.decompressByteArray(out, outOffset, uncompressedSize, in, inOffset, compressedSize);
                    } catch (RuntimeException e) { // ZstdException: damaged, or larger than its header says
                        throw new IOException("damaged zstd page: " + e.getMessage(), e);
                    }
                }
                default -> {
                    System.arraycopy(in, inOffset, out, outOffset, compressedSize);
                    yield compressedSize;
                }
            };
            if (n != uncompressedSize) {
                throw new IOException("page decompressed to " + n + " bytes, its header says " + uncompressedSize);
            }
            if (!output.hasArray()) {
                output.duplicate().put(out, 0, uncompressedSize);
            }
        }

        @Override
        public void release() {
        }
    }
}
