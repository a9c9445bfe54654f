package dev.panda.persistence.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.ParquetDecodingException;

/**
 * Decodes a required BINARY column chunk written with PLAIN encoding (how Panda writes keys and
 * values: each value a 4-byte little-endian length and the bytes) straight from its pages into
 * one array per value. Parquet's column reader gets there through a value reader, a ByteBuffer
 * slice and a Binary per value; this loop is about twice as fast and is compiled sooner at
 * start-up. Pages still come through Parquet's page reader, so checksums are verified and pages
 * decompressed as before; a page's bytes are read where they lie (not copied into an array of
 * their own first: a hundred megabytes less to allocate and copy for a million 100-byte values).
 *
 * <p>One per column chunk; the snapshot decode thread only.
 */
final class PlainBinaryColumn {
    /** Level encodings are listed for a chunk even when a required column writes no levels. */
    private static final Set<Encoding> PLAIN_ONLY = EnumSet.of(Encoding.PLAIN, Encoding.BIT_PACKED, Encoding.RLE);

    private final PageReader pages;
    /** The current page's bytes: {@code data[start, end)}, read up to {@code position}. */
    private byte[] data = new byte[0];
    private int start;
    private int position;
    private int end;
    private int remaining;

    private PlainBinaryColumn(PageReader pages) {
        this.pages = pages;
    }

    /**
     * A reader for the chunk, or null when its encodings are not plain-only (a dictionary, say):
     * the caller then uses Parquet's column reader.
     */
    static PlainBinaryColumn of(ColumnChunkMetaData chunk, PageReader pages) {
        if (!PLAIN_ONLY.containsAll(chunk.getEncodings()) || pages.readDictionaryPage() != null) {
            return null;
        }
        return new PlainBinaryColumn(pages);
    }

    /** The next value. */
    byte[] next() throws IOException {
        while (remaining == 0) {
            nextPage();
        }
        if (end - position < 4) {
            throw new ParquetDecodingException("value length cut off at byte " + (position - start) + " of a page");
        }
        int length = (data[position] & 0xFF) | (data[position + 1] & 0xFF) << 8
                | (data[position + 2] & 0xFF) << 16 | (data[position + 3] & 0xFF) << 24;
        position += 4;
        if (length < 0 || length > end - position) {
            throw new ParquetDecodingException("value of " + (length & 0xFFFF_FFFFL) + " bytes at byte "
                    + (position - 4 - start) + " of a page of " + (end - start));
        }
        byte[] value = Arrays.copyOfRange(data, position, position + length);
        position += length;
        remaining--;
        return value;
    }

    private void nextPage() throws IOException {
        DataPage page = pages.readPage();
        if (page == null) {
            throw new ParquetDecodingException("the column chunk ends before the row group's last row");
        }
        BytesInput bytes;
        if (page instanceof DataPageV1 v1 && v1.getValueEncoding() == Encoding.PLAIN) {
            bytes = v1.getBytes(); // a required, flat column: no levels before the values
        } else if (page instanceof DataPageV2 v2 && v2.getDataEncoding() == Encoding.PLAIN) {
            bytes = v2.getData();
        } else {
            throw new ParquetDecodingException("unexpected page in a plain column chunk: " + page);
        }
        // A view of the page's own buffer when it has one; toByteArray() and toByteBuffer() copy it.
        ByteBuffer buffer = bytes.toByteBuffer(HeapByteBufferAllocator.getInstance(), copy -> { });
        if (buffer.hasArray()) {
            data = buffer.array();
            start = buffer.arrayOffset() + buffer.position();
        } else {
            data = new byte[buffer.remaining()];
            buffer.duplicate().get(data);
            start = 0;
        }
        position = start;
        end = start + buffer.remaining();
        remaining = page.getValueCount();
    }
}
