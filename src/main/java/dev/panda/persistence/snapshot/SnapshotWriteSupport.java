package dev.panda.persistence.snapshot;

import static dev.panda.persistence.snapshot.SnapshotFormat.COL_CHUNK;
import static dev.panda.persistence.snapshot.SnapshotFormat.COL_DB;
import static dev.panda.persistence.snapshot.SnapshotFormat.COL_HASH;
import static dev.panda.persistence.snapshot.SnapshotFormat.COL_SET;
import static dev.panda.persistence.snapshot.SnapshotFormat.COL_LIST;
import static dev.panda.persistence.snapshot.SnapshotFormat.COL_STREAM;
import static dev.panda.persistence.snapshot.SnapshotFormat.COL_ZSET;
import static dev.panda.persistence.snapshot.SnapshotFormat.COL_EXPIRE_AT_MS;
import static dev.panda.persistence.snapshot.SnapshotFormat.COL_KEY;
import static dev.panda.persistence.snapshot.SnapshotFormat.COL_TYPE;
import static dev.panda.persistence.snapshot.SnapshotFormat.COL_VALUE;
import static dev.panda.persistence.snapshot.SnapshotFormat.IDX_DB;
import static dev.panda.persistence.snapshot.SnapshotFormat.IDX_EXPIRE_AT_MS;
import static dev.panda.persistence.snapshot.SnapshotFormat.IDX_KEY;
import static dev.panda.persistence.snapshot.SnapshotFormat.IDX_TYPE;
import static dev.panda.persistence.snapshot.SnapshotFormat.IDX_VALUE;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Turns {@link SnapshotRow}s into Parquet record events directly (no intermediate Group objects:
 * the key and value arrays are wrapped, not copied) and puts the footer metadata in place; the
 * key count is added when the file is finished. Snapshot-writer thread only.
 */
final class SnapshotWriteSupport extends WriteSupport<SnapshotRow> {
    private final Map<String, String> metadata;
    private RecordConsumer out;
    private long rows;
    private long keys;
    private String lastType;
    private java.util.List<byte[][]> functions = java.util.List.of();
    private Binary lastTypeBinary;

    SnapshotWriteSupport(long walSeq, long createdMs) {
        this.metadata = Map.of(
                SnapshotFormat.META_FORMAT_VERSION, Integer.toString(SnapshotFormat.FORMAT_VERSION),
                SnapshotFormat.META_WAL_SEQ, Long.toString(walSeq),
                SnapshotFormat.META_CREATED_MS, Long.toString(createdMs));
    }

    @Override
    public WriteContext init(Configuration configuration) {
        return new WriteContext(SnapshotFormat.SCHEMA, metadata);
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return new WriteContext(SnapshotFormat.SCHEMA, metadata);
    }

    @Override
    public String getName() {
        return "panda";
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.out = recordConsumer;
    }

    @Override
    public void write(SnapshotRow row) {
        RecordConsumer c = out;
        c.startMessage();
        c.startField(COL_DB, IDX_DB);
        c.addInteger(row.db());
        c.endField(COL_DB, IDX_DB);
        c.startField(COL_KEY, IDX_KEY);
        c.addBinary(Binary.fromConstantByteArray(row.key()));
        c.endField(COL_KEY, IDX_KEY);
        c.startField(COL_TYPE, IDX_TYPE);
        c.addBinary(typeBinary(row.type()));
        c.endField(COL_TYPE, IDX_TYPE);
        c.startField(COL_VALUE, IDX_VALUE);
        c.addBinary(Binary.fromConstantByteArray(row.value()));
        c.endField(COL_VALUE, IDX_VALUE);
        if (row.hasExpiry()) {
            c.startField(COL_EXPIRE_AT_MS, IDX_EXPIRE_AT_MS);
            c.addLong(row.expireAtMs());
            c.endField(COL_EXPIRE_AT_MS, IDX_EXPIRE_AT_MS);
        }
        c.startField(COL_CHUNK, FIELD_CHUNK);
        c.addInteger(row.chunk());
        c.endField(COL_CHUNK, FIELD_CHUNK);
        byte[][] elements = row.elements();
        if (elements != null && elements.length > 0) {
            if (SnapshotRow.TYPE_STREAM.equals(row.type())) {
                writeStreamEntries(c, row);
            } else if (SnapshotRow.TYPE_HASH.equals(row.type())) {
                c.startField(COL_HASH, FIELD_HASH);
                c.startGroup();
                c.startField("key_value", 0);
                for (int i = 0; i < elements.length; i += 2) {
                    writeKeyValue(c, row, i);
                }
                c.endField("key_value", 0);
                c.endGroup();
                c.endField(COL_HASH, FIELD_HASH);
            } else if (SnapshotRow.TYPE_ZSET.equals(row.type())) {
                c.startField(COL_ZSET, FIELD_ZSET);
                c.startGroup();
                c.startField("list", 0);
                for (int i = 0; i < elements.length; i += 2) {
                    c.startGroup();
                    c.startField("element", 0);
                    c.startGroup();
                    c.startField("member", 0);
                    c.addBinary(element(row, i));
                    c.endField("member", 0);
                    c.startField("score", 1);
                    c.addDouble((double) DOUBLE_LE.get(row.elements()[i + 1], row.elementOffset(i + 1)));
                    c.endField("score", 1);
                    c.endGroup();
                    c.endField("element", 0);
                    c.endGroup();
                }
                c.endField("list", 0);
                c.endGroup();
                c.endField(COL_ZSET, FIELD_ZSET);
            } else {
                boolean list = SnapshotRow.TYPE_LIST.equals(row.type());
                String column = list ? COL_LIST : COL_SET;
                int field = list ? FIELD_LIST : FIELD_SET;
                c.startField(column, field);
                c.startGroup();
                c.startField("list", 0);
                for (int i = 0; i < elements.length; i++) {
                    c.startGroup();
                    c.startField("element", 0);
                    c.addBinary(element(row, i));
                    c.endField("element", 0);
                    c.endGroup();
                }
                c.endField("list", 0);
                c.endGroup();
                c.endField(column, field);
            }
        }
        c.endMessage();
        rows++;
        if (row.chunk() == 0) {
            keys++;
        }
    }

    /** A stream row's entries: its elements are id, field count, field, value, …, per entry. */
    private static void writeStreamEntries(RecordConsumer c, SnapshotRow row) {
        byte[][] elements = row.elements();
        c.startField(COL_STREAM, FIELD_STREAM);
        c.startGroup();
        c.startField("list", 0);
        for (int i = 0; i < elements.length; ) {
            c.startGroup();
            c.startField("element", 0);
            c.startGroup();
            c.startField("id", 0);
            c.addBinary(element(row, i));
            c.endField("id", 0);
            int fields = Integer.parseInt(new String(elements[i + 1], row.elementOffset(i + 1), row.elementLength(i + 1),
                    java.nio.charset.StandardCharsets.US_ASCII));
            i += 2;
            c.startField("fields", 1);
            c.startGroup();
            if (fields > 0) {
                c.startField("key_value", 0);
                for (int f = 0; f < fields; f++, i += 2) {
                    writeKeyValue(c, row, i);
                }
                c.endField("key_value", 0);
            }
            c.endGroup();
            c.endField("fields", 1);
            c.endGroup();
            c.endField("element", 0);
            c.endGroup();
        }
        c.endField("list", 0);
        c.endGroup();
        c.endField(COL_STREAM, FIELD_STREAM);
    }

    /** One key_value group of a MAP column: elements i and i + 1 of the row. */
    private static void writeKeyValue(RecordConsumer c, SnapshotRow row, int i) {
        c.startGroup();
        c.startField("key", 0);
        c.addBinary(element(row, i));
        c.endField("key", 0);
        c.startField("value", 1);
        c.addBinary(element(row, i + 1));
        c.endField("value", 1);
        c.endGroup();
    }

    /** Element i of a row, wrapped where it lies (no copy). */
    private static Binary element(SnapshotRow row, int i) {
        return Binary.fromConstantByteArray(row.elements()[i], row.elementOffset(i), row.elementLength(i));
    }

    /** Field positions in the message (not leaf column indices). */
    private static final int FIELD_CHUNK = 5;
    private static final int FIELD_HASH = 6;
    private static final int FIELD_SET = 7;
    private static final int FIELD_LIST = 8;
    private static final int FIELD_ZSET = 9;
    private static final int FIELD_STREAM = 10;
    private static final java.lang.invoke.VarHandle DOUBLE_LE = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            double[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** The type column holds few distinct names: encode each once. */
    private Binary typeBinary(String type) {
        if (!type.equals(lastType)) {
            lastType = type;
            lastTypeBinary = Binary.fromString(type);
        }
        return lastTypeBinary;
    }

    long rows() {
        return rows;
    }

    /** Function libraries for the footer (name/source pairs), set before the file is finished. */
    void functions(java.util.List<byte[][]> libraries) {
        this.functions = libraries;
    }

    @Override
    public FinalizedWriteContext finalizeWrite() {
        Map<String, String> extra = new java.util.HashMap<>();
        extra.put(SnapshotFormat.META_KEY_COUNT, Long.toString(keys));
        extra.put(SnapshotFormat.META_ROW_COUNT, Long.toString(rows));
        if (!functions.isEmpty()) {
            extra.put(SnapshotFormat.META_FUNCTIONS, SnapshotFormat.encodeFunctions(functions));
        }
        return new FinalizedWriteContext(extra);
    }
}
