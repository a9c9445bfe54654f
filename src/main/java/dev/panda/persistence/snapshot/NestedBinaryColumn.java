package dev.panda.persistence.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.ParquetDecodingException;

/**
 * Decodes the leaf of a snapshot's {@code hash} or {@code set} column (a required BINARY inside
 * an optional group and a repeated group: repetition level 0 or 1, definition level 0 to 2)
 * straight from its pages, a row's values at a time, as Panda writes them: PLAIN values, RLE
 * levels. Parquet's column reader spent most of a restart's decoding time on these columns.
 * Pages still come through Parquet's page reader (checksums verified, pages decompressed).
 *
 * <p>One per column chunk; the snapshot decode thread only.
 */
final class NestedBinaryColumn {
    private static final Set<Encoding> SUPPORTED = EnumSet.of(Encoding.PLAIN, Encoding.RLE, Encoding.BIT_PACKED);

    private final PageReader pages;
    private final int maxDefinition;
    private long chunkValues;

    private byte[] data = new byte[0];
    private int position;
    private int remaining;
    private RunLengthBitPackingHybridDecoder repetition;
    private RunLengthBitPackingHybridDecoder definition;
    /** The levels of the value not yet consumed, or -1 before the first. */
    private int rep = -1;
    private int def;

    private NestedBinaryColumn(PageReader pages, int maxDefinition, long chunkValues) {
        this.pages = pages;
        this.maxDefinition = maxDefinition;
        this.chunkValues = chunkValues;
    }

    /** A reader for the chunk, or null when this class does not decode it (the caller uses Parquet's reader). */
    static NestedBinaryColumn of(ColumnDescriptor column, ColumnChunkMetaData chunk, PageReader pages) {
        if (column.getMaxRepetitionLevel() != 1 || column.getMaxDefinitionLevel() != 2
                || !SUPPORTED.containsAll(chunk.getEncodings()) || pages.readDictionaryPage() != null) {
            return null;
        }
        return new NestedBinaryColumn(pages, column.getMaxDefinitionLevel(), pages.getTotalValueCount());
    }

    /** The next row's values, or null when its group is null (the row has none). */
    List<byte[]> nextRow() throws IOException {
        if (rep < 0) {
            advance();
            if (rep < 0) {
                throw new ParquetDecodingException("the column chunk ends before the row group's last row");
            }
        }
        if (rep != 0) {
            throw new ParquetDecodingException("a row starts with repetition level " + rep);
        }
        List<byte[]> values = def >= maxDefinition - 1 ? new ArrayList<>() : null;
        do {
            if (def == maxDefinition) {
                values.add(readValue());
            }
            advance();
        } while (rep > 0);
        return values;
    }

    private byte[] readValue() {
        if (data.length - position < 4) {
            throw new ParquetDecodingException("value length cut off at byte " + position + " of a page");
        }
        int length = (data[position] & 0xFF) | (data[position + 1] & 0xFF) << 8
                | (data[position + 2] & 0xFF) << 16 | (data[position + 3] & 0xFF) << 24;
        position += 4;
        if (length < 0 || length > data.length - position) {
            throw new ParquetDecodingException("value of " + (length & 0xFFFF_FFFFL) + " bytes at byte "
                    + (position - 4) + " of a page of " + data.length);
        }
        byte[] value = Arrays.copyOfRange(data, position, position + length);
        position += length;
        return value;
    }

    /** Reads the next value's levels (across pages); rep -1 at the end of the chunk. */
    private void advance() throws IOException {
        if (remaining == 0) {
            if (chunkValues == 0) {
                rep = -1;
                return;
            }
            nextPage();
        }
        remaining--;
        chunkValues--;
        rep = repetition.readInt();
        def = definition.readInt();
        if (rep > 1 || def > maxDefinition) {
            throw new ParquetDecodingException("levels " + rep + "/" + def + " in a column of at most 1/" + maxDefinition);
        }
    }

    private void nextPage() throws IOException {
        DataPage page = pages.readPage();
        if (page == null) {
            throw new ParquetDecodingException("the column chunk ends before its values do");
        }
        int repWidth = BytesUtils.getWidthFromMaxInt(1);
        int defWidth = BytesUtils.getWidthFromMaxInt(maxDefinition);
        if (page instanceof DataPageV1 v1) {
            if (v1.getRlEncoding() != Encoding.RLE || v1.getDlEncoding() != Encoding.RLE
                    || v1.getValueEncoding() != Encoding.PLAIN) {
                throw new ParquetDecodingException("unexpected encodings in a page: " + page);
            }
            data = v1.getBytes().toByteArray();
            int at = 0;
            int repLength = levelsLength(at);
            repetition = hybrid(repWidth, data, at + 4, repLength);
            at += 4 + repLength;
            int defLength = levelsLength(at);
            definition = hybrid(defWidth, data, at + 4, defLength);
            position = at + 4 + defLength;
        } else if (page instanceof DataPageV2 v2) {
            if (v2.getDataEncoding() != Encoding.PLAIN) {
                throw new ParquetDecodingException("values encoded as " + v2.getDataEncoding());
            }
            byte[] r = v2.getRepetitionLevels().toByteArray();
            byte[] d = v2.getDefinitionLevels().toByteArray();
            repetition = hybrid(repWidth, r, 0, r.length);
            definition = hybrid(defWidth, d, 0, d.length);
            data = v2.getData().toByteArray();
            position = 0;
        } else {
            throw new ParquetDecodingException("unexpected page " + page);
        }
        remaining = page.getValueCount();
    }

    private int levelsLength(int at) {
        if (data.length - at < 4) {
            throw new ParquetDecodingException("levels cut off at byte " + at + " of a page");
        }
        int length = (data[at] & 0xFF) | (data[at + 1] & 0xFF) << 8 | (data[at + 2] & 0xFF) << 16 | (data[at + 3] & 0xFF) << 24;
        if (length < 0 || length > data.length - at - 4) {
            throw new ParquetDecodingException("levels of " + length + " bytes in a page of " + data.length);
        }
        return length;
    }

    private static RunLengthBitPackingHybridDecoder hybrid(int width, byte[] bytes, int offset, int length) {
        return new RunLengthBitPackingHybridDecoder(width, ByteBufferInputStream.wrap(ByteBuffer.wrap(bytes, offset, length)));
    }
}
