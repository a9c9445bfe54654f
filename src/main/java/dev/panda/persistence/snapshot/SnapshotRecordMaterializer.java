package dev.panda.persistence.snapshot;

import org.apache.parquet.column.Dictionary;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;

/**
 * Builds a {@link SnapshotRow} from Parquet's column events, for the requested schema
 * {@link SnapshotFormat#SCHEMA}. Every row gets its own key and value arrays (Parquet may hand the
 * same dictionary entry to several rows). One instance per read; the reading thread only.
 */
final class SnapshotRecordMaterializer extends RecordMaterializer<SnapshotRow> {
    private int db;
    private byte[] key;
    private String type;
    private byte[] value;
    private long expireAtMs;

    private final Converter[] fields = {
        new PrimitiveConverter() {
            @Override
            public void addInt(int v) {
                db = v;
            }
        },
        new PrimitiveConverter() {
            @Override
            public void addBinary(Binary v) {
                key = copy(v);
            }
        },
        new TypeConverter(),
        new PrimitiveConverter() {
            @Override
            public void addBinary(Binary v) {
                value = copy(v);
            }
        },
        new PrimitiveConverter() {
            @Override
            public void addLong(long v) {
                expireAtMs = v;
            }
        },
    };

    private final GroupConverter root = new GroupConverter() {
        @Override
        public Converter getConverter(int fieldIndex) {
            return fields[fieldIndex];
        }

        @Override
        public void start() {
            db = -1;
            key = null;
            type = null;
            value = null;
            expireAtMs = SnapshotRow.NO_EXPIRY;
        }

        @Override
        public void end() {
        }
    };

    @Override
    public SnapshotRow getCurrentRecord() {
        return new SnapshotRow(db, key, type, value, expireAtMs);
    }

    /** Sets the database, type and deadline of the current record (decoded by {@link FlatColumn}). */
    void setSmallColumns(int db, String type, long expireAtMs) {
        this.db = db;
        this.type = type;
        this.expireAtMs = expireAtMs;
    }

    /**
     * The current record with the key and/or value given (decoded outside Parquet's column
     * readers, see {@link PlainBinaryColumn}); a null argument keeps the converted one.
     */
    SnapshotRow currentRecordWith(byte[] key, byte[] value) {
        return new SnapshotRow(db, key != null ? key : this.key, type, value != null ? value : this.value, expireAtMs);
    }

    @Override
    public GroupConverter getRootConverter() {
        return root;
    }

    static byte[] copy(Binary v) {
        byte[] out = new byte[v.length()];
        v.toByteBuffer().get(out);
        return out;
    }

    static String typeName(Binary v) {
        String s = v.toStringUsingUTF8();
        return SnapshotRow.TYPE_STRING.equals(s) ? SnapshotRow.TYPE_STRING : s;
    }

    /** The type column is dictionary-encoded: decode each name once per dictionary. */
    private final class TypeConverter extends PrimitiveConverter {
        private String[] names;

        @Override
        public boolean hasDictionarySupport() {
            return true;
        }

        @Override
        public void setDictionary(Dictionary dictionary) {
            names = new String[dictionary.getMaxId() + 1];
            for (int i = 0; i < names.length; i++) {
                names[i] = typeName(dictionary.decodeToBinary(i));
            }
        }

        @Override
        public void addValueFromDictionary(int dictionaryId) {
            type = names[dictionaryId];
        }

        @Override
        public void addBinary(Binary v) {
            type = typeName(v);
        }
    }
}
