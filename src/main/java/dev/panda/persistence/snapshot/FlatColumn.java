package dev.panda.persistence.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Decodes one flat column chunk of small values (a snapshot's database numbers, type names and
 * deadlines) straight from its pages: required or optional, each page PLAIN or dictionary-encoded,
 * the way Parquet writers write such columns. Parquet's column reader gets there through a chain
 * of value readers, iterators and converters per value; at start-up the JIT compiler spent about
 * 0.2 s of CPU on that chain alone, competing with the load for the same two cores. Pages still
 * come through Parquet's page reader (checksums verified, pages decompressed), dictionaries
 * through Parquet's decoder, and run-length levels and indices through its hybrid decoder.
 *
 * <p>One per column chunk; the snapshot decode thread only.
 */
final class FlatColumn {
    /** Value and level encodings this class decodes; a chunk listing any other is left to Parquet. */
    private static final Set<Encoding> SUPPORTED = EnumSet.of(Encoding.PLAIN, Encoding.PLAIN_DICTIONARY,
            Encoding.RLE_DICTIONARY, Encoding.RLE, Encoding.BIT_PACKED);

    private final PageReader pages;
    private final PrimitiveTypeName type;
    private final int maxDefinition;
    /** The chunk's dictionary, decoded once: numbers, or type names. Null without a dictionary. */
    private final long[] numberDictionary;
    private final String[] textDictionary;

    /** Values (including nulls) left in the current page. */
    private int remaining;
    /** Definition levels of the current page, or null for a required column. */
    private RunLengthBitPackingHybridDecoder levels;
    /** Dictionary indices of the current page, or null when its values are PLAIN. */
    private RunLengthBitPackingHybridDecoder indices;
    private byte[] data = new byte[0];
    private int position;

    private FlatColumn(PageReader pages, ColumnDescriptor column, Dictionary dictionary) {
        this.pages = pages;
        this.type = column.getPrimitiveType().getPrimitiveTypeName();
        this.maxDefinition = column.getMaxDefinitionLevel();
        long[] numbers = null;
        String[] texts = null;
        if (dictionary != null) {
            int size = dictionary.getMaxId() + 1;
            if (type == PrimitiveTypeName.BINARY) {
                texts = new String[size];
                for (int i = 0; i < size; i++) {
                    texts[i] = dictionary.decodeToBinary(i).toStringUsingUTF8();
                }
            } else {
                numbers = new long[size];
                for (int i = 0; i < size; i++) {
                    numbers[i] = type == PrimitiveTypeName.INT32 ? dictionary.decodeToInt(i) : dictionary.decodeToLong(i);
                }
            }
        }
        this.numberDictionary = numbers;
        this.textDictionary = texts;
    }

    /**
     * Whether this class decodes the chunk. It does not decode repeated or nested columns, other
     * physical types, nor encodings such as DELTA_BINARY_PACKED: the caller then uses Parquet's
     * column reader.
     */
    static boolean supports(ColumnDescriptor column, ColumnChunkMetaData chunk) {
        PrimitiveTypeName type = column.getPrimitiveType().getPrimitiveTypeName();
        return column.getMaxRepetitionLevel() == 0 && column.getMaxDefinitionLevel() <= 1
                && SUPPORTED.containsAll(chunk.getEncodings())
                && (type == PrimitiveTypeName.INT32 || type == PrimitiveTypeName.INT64 || type == PrimitiveTypeName.BINARY);
    }

    /** A reader of the column's chunk in {@code pages}, which {@link #supports} must have accepted. */
    static FlatColumn of(ColumnDescriptor column, PageReadStore pages) {
        PageReader reader = pages.getPageReader(column);
        DictionaryPage page = reader.readDictionaryPage();
        Dictionary dictionary;
        try {
            dictionary = page == null ? null : page.getEncoding().initDictionary(column, page);
        } catch (IOException e) {
            throw new ParquetDecodingException("cannot read the dictionary of column " + column + ": " + e.getMessage(), e);
        }
        return new FlatColumn(reader, column, dictionary);
    }

    /** The next row's value of an INT32 or INT64 column, or {@code ifNull} when it is null. */
    long nextLong(long ifNull) throws IOException {
        if (!nextPresent()) {
            return ifNull;
        }
        if (indices != null) {
            return numberDictionary[dictionaryId(numberDictionary.length)];
        }
        int width = type == PrimitiveTypeName.INT32 ? 4 : 8;
        need(width);
        long v = type == PrimitiveTypeName.INT32 ? readIntLe(position) : (readIntLe(position) & 0xFFFF_FFFFL)
                | (long) readIntLe(position + 4) << 32;
        position += width;
        return v;
    }

    /** The next row's value of a BINARY column as UTF-8 text, or {@code ifNull} when it is null. */
    String nextString(String ifNull) throws IOException {
        if (!nextPresent()) {
            return ifNull;
        }
        if (indices != null) {
            return textDictionary[dictionaryId(textDictionary.length)];
        }
        need(4);
        int length = readIntLe(position);
        position += 4;
        if (length < 0) {
            throw new ParquetDecodingException("negative value length " + length + " at byte " + (position - 4));
        }
        need(length);
        String s = new String(data, position, length, StandardCharsets.UTF_8);
        position += length;
        return s;
    }

    /** Moves to the next row and reads its definition level: whether it has a value. */
    private boolean nextPresent() throws IOException {
        while (remaining == 0) {
            nextPage();
        }
        remaining--;
        return levels == null || levels.readInt() == maxDefinition;
    }

    private int dictionaryId(int size) throws IOException {
        int id = indices.readInt();
        if (id < 0 || id >= size) {
            throw new ParquetDecodingException("dictionary index " + id + " outside a dictionary of " + size);
        }
        return id;
    }

    private void need(int bytes) {
        if (bytes > data.length - position) {
            throw new ParquetDecodingException("a value of " + bytes + " bytes runs past the end of a page of "
                    + data.length + " bytes (at byte " + position + ")");
        }
    }

    private int readIntLe(int at) {
        return (data[at] & 0xFF) | (data[at + 1] & 0xFF) << 8 | (data[at + 2] & 0xFF) << 16 | (data[at + 3] & 0xFF) << 24;
    }

    private void nextPage() throws IOException {
        DataPage page = pages.readPage();
        if (page == null) {
            throw new ParquetDecodingException("the column chunk ends before the row group's last row");
        }
        int levelWidth = BytesUtils.getWidthFromMaxInt(maxDefinition);
        Encoding valueEncoding;
        if (page instanceof DataPageV1 v1) {
            data = v1.getBytes().toByteArray();
            position = 0;
            levels = null;
            if (maxDefinition > 0) {
                // Version 1 pages prefix RLE levels with their length.
                if (v1.getDlEncoding() != Encoding.RLE) {
                    throw new ParquetDecodingException("definition levels encoded as " + v1.getDlEncoding());
                }
                need(4);
                int length = readIntLe(0);
                if (length < 0 || length > data.length - 4) {
                    throw new ParquetDecodingException("definition levels of " + length + " bytes in a page of " + data.length);
                }
                levels = hybrid(levelWidth, data, 4, length);
                position = 4 + length;
            }
            valueEncoding = v1.getValueEncoding();
        } else if (page instanceof DataPageV2 v2) {
            byte[] levelBytes = v2.getDefinitionLevels().toByteArray();
            levels = maxDefinition > 0 ? hybrid(levelWidth, levelBytes, 0, levelBytes.length) : null;
            data = v2.getData().toByteArray();
            position = 0;
            valueEncoding = v2.getDataEncoding();
        } else {
            throw new ParquetDecodingException("unexpected page " + page);
        }
        if (valueEncoding.usesDictionary()) {
            if (numberDictionary == null && textDictionary == null) {
                throw new ParquetDecodingException("a dictionary-encoded page in a chunk without a dictionary");
            }
            // A page whose rows are all null may hold no indices at all, not even their width.
            int width = position < data.length ? data[position] & 0xFF : 0;
            if (width > 32) {
                throw new ParquetDecodingException("dictionary indices of " + width + " bits");
            }
            indices = hybrid(width, data, Math.min(position + 1, data.length), Math.max(0, data.length - position - 1));
        } else if (valueEncoding == Encoding.PLAIN) {
            indices = null;
        } else {
            throw new ParquetDecodingException("values encoded as " + valueEncoding);
        }
        remaining = page.getValueCount();
    }

    private static RunLengthBitPackingHybridDecoder hybrid(int width, byte[] bytes, int offset, int length) {
        return new RunLengthBitPackingHybridDecoder(width, ByteBufferInputStream.wrap(ByteBuffer.wrap(bytes, offset, length)));
    }
}
