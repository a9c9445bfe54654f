package dev.panda.persistence.snapshot;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Reads the version-2 columns of one row group, row by row: {@code chunk}, and a hash's or a
 * set's elements from the nested {@code hash} and {@code set} columns, following Parquet's
 * repetition levels (a row's elements are the values up to the next repetition level 0). Values
 * are taken straight from Parquet's column readers; no record assembly.
 *
 * <p>One per row group; the snapshot decode thread only.
 */
final class CollectionColumns {
    /** A repeated leaf column, read a row at a time. */
    private interface RowValues {
        /** The row's values, or null when the row has none (its group is null). */
        List<byte[]> nextRow() throws IOException;
    }

    private final RowValues hashKeys;
    private final RowValues hashValues;
    private final RowValues setMembers;
    /** Version 3's list and sorted-set leaves; null in older files. */
    private final RowValues listElements;
    private final RowValues zsetMembers;
    private final RowValues zsetScores;
    private final ColumnReader chunks;
    private long chunksRead;

    CollectionColumns(PageReadStore pages, BlockMetaData block, MessageType schema, String createdBy) {
        ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, ignoring(schema), schema, createdBy);
        List<ColumnDescriptor> columns = schema.getColumns();
        chunks = store.getColumnReader(columns.get(SnapshotFormat.IDX_CHUNK));
        hashKeys = leaf(pages, block, store, columns.get(SnapshotFormat.IDX_HASH_KEY));
        hashValues = leaf(pages, block, store, columns.get(SnapshotFormat.IDX_HASH_VALUE));
        setMembers = leaf(pages, block, store, columns.get(SnapshotFormat.IDX_SET_ELEMENT));
        boolean v3 = columns.size() > SnapshotFormat.IDX_ZSET_SCORE;
        listElements = v3 ? leaf(pages, block, store, columns.get(SnapshotFormat.IDX_LIST_ELEMENT)) : null;
        zsetMembers = v3 ? leaf(pages, block, store, columns.get(SnapshotFormat.IDX_ZSET_MEMBER)) : null;
        zsetScores = v3 ? new Nested(store.getColumnReader(columns.get(SnapshotFormat.IDX_ZSET_SCORE)))::nextRow : null;
    }

    /** Decoded directly when the chunk allows it (files Panda writes), else by Parquet's reader. */
    private static RowValues leaf(PageReadStore pages, BlockMetaData block, ColumnReadStoreImpl store, ColumnDescriptor column) {
        for (ColumnChunkMetaData chunk : block.getColumns()) {
            if (Arrays.equals(chunk.getPath().toArray(), column.getPath())) {
                NestedBinaryColumn direct = NestedBinaryColumn.of(column, chunk, pages.getPageReader(column));
                if (direct != null) {
                    return direct::nextRow;
                }
            }
        }
        return new Nested(store.getColumnReader(column))::nextRow;
    }

    /**
     * The next row's chunk number and elements (null for a row without any): the given string
     * row (db, key, type, value, deadline already decoded) completed.
     */
    SnapshotRow complete(SnapshotRow flat) throws IOException {
        if (chunksRead++ >= chunks.getTotalValueCount()) {
            throw new IllegalStateException("the chunk column ends before the row group's last row");
        }
        int chunk = chunks.getInteger();
        chunks.consume();
        List<byte[]> keys = hashKeys.nextRow();
        List<byte[]> values = hashValues.nextRow();
        List<byte[]> members = setMembers.nextRow();
        List<byte[]> listed = listElements == null ? null : listElements.nextRow();
        List<byte[]> zmembers = zsetMembers == null ? null : zsetMembers.nextRow();
        List<byte[]> zscores = zsetScores == null ? null : zsetScores.nextRow();
        byte[][] elements = null;
        if (keys != null) {
            if (values == null || values.size() != keys.size()) {
                throw new IllegalStateException("a hash row with " + keys.size() + " fields and "
                        + (values == null ? 0 : values.size()) + " values");
            }
            elements = new byte[keys.size() * 2][];
            for (int i = 0; i < keys.size(); i++) {
                elements[2 * i] = keys.get(i);
                elements[2 * i + 1] = values.get(i);
            }
        } else if (members != null) {
            elements = members.toArray(new byte[0][]);
        } else if (listed != null) {
            elements = listed.toArray(new byte[0][]);
        } else if (zmembers != null) {
            if (zscores == null || zscores.size() != zmembers.size()) {
                throw new IllegalStateException("a sorted-set row with " + zmembers.size() + " members and "
                        + (zscores == null ? 0 : zscores.size()) + " scores");
            }
            elements = new byte[zmembers.size() * 2][];
            for (int i = 0; i < zmembers.size(); i++) {
                elements[2 * i] = zmembers.get(i);
                elements[2 * i + 1] = zscores.get(i);
            }
        }
        return new SnapshotRow(flat.db(), flat.key(), flat.type(), flat.value(), flat.expireAtMs(), chunk, elements);
    }

    /** One repeated leaf column, read a row at a time. */
    private static final class Nested {
        private final ColumnReader reader;
        private final int maxDefinition;
        private final long total;
        private long read;

        Nested(ColumnReader reader) {
            this.reader = reader;
            this.maxDefinition = reader.getDescriptor().getMaxDefinitionLevel();
            this.total = reader.getTotalValueCount();
        }

        /** The row's values, or null when the row has none (its group is null). */
        List<byte[]> nextRow() {
            if (read >= total) {
                throw new IllegalStateException("column " + reader.getDescriptor() + " ends before the row group's last row");
            }
            List<byte[]> values = null;
            do {
                if (reader.getCurrentDefinitionLevel() == maxDefinition) {
                    if (values == null) {
                        values = new ArrayList<>();
                    }
                    values.add(reader.getDescriptor().getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.DOUBLE
                            ? scoreBytes(reader.getDouble()) : SnapshotRecordMaterializer.copy(reader.getBinary()));
                }
                reader.consume();
                read++;
            } while (read < total && reader.getCurrentRepetitionLevel() > 0);
            return values;
        }
    }

    /** A score as rows carry it: 8 bytes, IEEE 754 little-endian. */
    private static byte[] scoreBytes(double score) {
        byte[] b = new byte[8];
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(score);
        return b;
    }

    /** Converters that drop what they get: values are read from the column readers directly. */
    private static GroupConverter ignoring(GroupType type) {
        Converter[] fields = new Converter[type.getFieldCount()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = type.getType(i).isPrimitive() ? new PrimitiveConverter() {
                @Override
                public void addBinary(Binary value) {
                }

                @Override
                public void addDouble(double value) {
                }
            } : ignoring(type.getType(i).asGroupType());
        }
        return new GroupConverter() {
            @Override
            public Converter getConverter(int fieldIndex) {
                return fields[fieldIndex];
            }

            @Override
            public void start() {
            }

            @Override
            public void end() {
            }
        };
    }
}
