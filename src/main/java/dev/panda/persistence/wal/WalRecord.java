package dev.panda.persistence.wal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One effect in the write-ahead log: the absolute change one command made to the keyspace, as
 * reported through {@link dev.panda.store.EffectLog}. Replaying records in seq order rebuilds
 * the keyspace without consulting a clock.
 *
 * <p>Every record carries {@code seq}: its position in the log, assigned by {@link WalWriter}
 * (strictly increasing by one per record). When a record is handed to
 * {@link WalWriter#append(WalRecord)} its own {@code seq} is ignored (pass 0); records produced
 * by {@link WalReader} and {@link WalCodec#decode} carry the seq read from disk.
 *
 * <p>Records holding byte arrays compare them by content ({@code equals}/{@code hashCode} are
 * overridden). The arrays are not copied: do not mutate them after building a record.
 * Immutable by convention; any thread.
 */
public sealed interface WalRecord {
    /** {@link Set#valueType()} of a string value ({@code byte[]}). On-disk format: never change. */
    byte VALUE_TYPE_STRING = 0;

    /** Position in the log: strictly increasing, assigned by the writer. */
    long seq();

    /** The opcode this record is stored with. */
    WalOpcode opcode();

    /**
     * Key now holds {@code value} (of type {@code valueType}, {@link #VALUE_TYPE_STRING} for a
     * string) with absolute deadline {@code expireAtMs} in epoch ms, or -1 for none.
     */
    record Set(long seq, int db, byte[] key, byte valueType, byte[] value, long expireAtMs) implements WalRecord {
        public Set {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public WalOpcode opcode() {
            return WalOpcode.SET;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Set s && s.seq == seq && s.db == db && s.valueType == valueType
                    && s.expireAtMs == expireAtMs && Arrays.equals(s.key, key) && Arrays.equals(s.value, value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(seq, db, Arrays.hashCode(key), valueType, Arrays.hashCode(value), expireAtMs);
        }

        @Override
        public String toString() {
            return "Set[seq=" + seq + ", db=" + db + ", key=" + show(key) + ", valueType=" + valueType
                    + ", value=" + show(value) + ", expireAtMs=" + expireAtMs + "]";
        }
    }

    /** Key no longer exists (deleted, or removed because it expired). */
    record Delete(long seq, int db, byte[] key) implements WalRecord {
        public Delete {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public WalOpcode opcode() {
            return WalOpcode.DELETE;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Delete d && d.seq == seq && d.db == db && Arrays.equals(d.key, key);
        }

        @Override
        public int hashCode() {
            return Objects.hash(seq, db, Arrays.hashCode(key));
        }

        @Override
        public String toString() {
            return "Delete[seq=" + seq + ", db=" + db + ", key=" + show(key) + "]";
        }
    }

    /** Key keeps its value and gets the absolute deadline {@code atMs} (epoch ms). */
    record ExpireAt(long seq, int db, byte[] key, long atMs) implements WalRecord {
        public ExpireAt {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public WalOpcode opcode() {
            return WalOpcode.EXPIRE_AT;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ExpireAt e && e.seq == seq && e.db == db && e.atMs == atMs && Arrays.equals(e.key, key);
        }

        @Override
        public int hashCode() {
            return Objects.hash(seq, db, Arrays.hashCode(key), atMs);
        }

        @Override
        public String toString() {
            return "ExpireAt[seq=" + seq + ", db=" + db + ", key=" + show(key) + ", atMs=" + atMs + "]";
        }
    }

    /** Key keeps its value and loses its deadline. */
    record Persist(long seq, int db, byte[] key) implements WalRecord {
        public Persist {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public WalOpcode opcode() {
            return WalOpcode.PERSIST;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Persist p && p.seq == seq && p.db == db && Arrays.equals(p.key, key);
        }

        @Override
        public int hashCode() {
            return Objects.hash(seq, db, Arrays.hashCode(key));
        }

        @Override
        public String toString() {
            return "Persist[seq=" + seq + ", db=" + db + ", key=" + show(key) + "]";
        }
    }

    /** Every key of database {@code db} is gone. */
    record FlushDb(long seq, int db) implements WalRecord {
        @Override
        public WalOpcode opcode() {
            return WalOpcode.FLUSH_DB;
        }
    }

    /** Databases {@code a} and {@code b} exchanged their contents (SWAPDB). */
    record SwapDb(long seq, int a, int b) implements WalRecord {
        @Override
        public WalOpcode opcode() {
            return WalOpcode.SWAP_DB;
        }
    }

    /** Short printable form of a key or value for toString: text when printable, else hex. */
    private static String show(byte[] bytes) {
        int n = Math.min(bytes.length, 64);
        boolean printable = true;
        for (int i = 0; i < n && printable; i++) {
            printable = bytes[i] >= 0x20 && bytes[i] < 0x7F;
        }
        StringBuilder sb = new StringBuilder();
        if (printable) {
            sb.append('"').append(new String(bytes, 0, n, StandardCharsets.US_ASCII)).append('"');
        } else {
            sb.append("0x");
            for (int i = 0; i < n; i++) {
                sb.append(Character.forDigit((bytes[i] >> 4) & 0xF, 16)).append(Character.forDigit(bytes[i] & 0xF, 16));
            }
        }
        if (bytes.length > n) {
            sb.append("…(").append(bytes.length).append(" bytes)");
        }
        return sb.toString();
    }
}
