package dev.panda.persistence.wal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record of the write-ahead log: an effect on the keyspace as reported through
 * {@link dev.panda.store.Effects}, or the {@link Group} of effects of one command. Replaying
 * records in seq order rebuilds the keyspace without consulting a clock.
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

    /**
     * The effects of one command, applied together or not at all: a torn record drops the whole
     * command. Its effects carry the group's seq.
     */
    record Group(long seq, java.util.List<WalRecord> effects) implements WalRecord {
        public Group {
            effects = java.util.List.copyOf(effects);
            for (WalRecord e : effects) {
                if (e instanceof Group) {
                    throw new IllegalArgumentException("groups do not nest");
                }
            }
        }

        @Override
        public WalOpcode opcode() {
            return WalOpcode.GROUP;
        }
    }

    /** The value and deadline of {@code from} moved to {@code to}, replacing what {@code to} held. */
    record Rename(long seq, int db, byte[] from, byte[] to) implements WalRecord {
        @Override
        public WalOpcode opcode() {
            return WalOpcode.RENAME;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Rename r && r.seq == seq && r.db == db && Arrays.equals(r.from, from) && Arrays.equals(r.to, to);
        }

        @Override
        public int hashCode() {
            return Objects.hash(seq, db, Arrays.hashCode(from), Arrays.hashCode(to));
        }

        @Override
        public String toString() {
            return "Rename[seq=" + seq + ", db=" + db + ", from=" + show(from) + ", to=" + show(to) + "]";
        }
    }

    /** {@code src}'s value and deadline were copied to {@code dst} in {@code dstDb}, replacing what was there. */
    record Copy(long seq, int db, byte[] src, int dstDb, byte[] dst) implements WalRecord {
        @Override
        public WalOpcode opcode() {
            return WalOpcode.COPY;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Copy c && c.seq == seq && c.db == db && c.dstDb == dstDb && Arrays.equals(c.src, src)
                    && Arrays.equals(c.dst, dst);
        }

        @Override
        public int hashCode() {
            return Objects.hash(seq, db, Arrays.hashCode(src), dstDb, Arrays.hashCode(dst));
        }

        @Override
        public String toString() {
            return "Copy[seq=" + seq + ", db=" + db + ", src=" + show(src) + ", dstDb=" + dstDb + ", dst=" + show(dst) + "]";
        }
    }

    /** The key moved from {@code db} to {@code dstDb}. */
    record Move(long seq, int db, byte[] key, int dstDb) implements WalRecord {
        @Override
        public WalOpcode opcode() {
            return WalOpcode.MOVE;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Move m && m.seq == seq && m.db == db && m.dstDb == dstDb && Arrays.equals(m.key, key);
        }

        @Override
        public int hashCode() {
            return Objects.hash(seq, db, Arrays.hashCode(key), dstDb);
        }

        @Override
        public String toString() {
            return "Move[seq=" + seq + ", db=" + db + ", key=" + show(key) + ", dstDb=" + dstDb + "]";
        }
    }

    /** The hash at key (created if absent) now maps each field to its value: {@code items} is field, value, …. */
    record HashSet(long seq, int db, byte[] key, byte[][] items) implements WalRecord {
        public HashSet {
            if (items.length % 2 != 0) {
                throw new IllegalArgumentException("a field without a value");
            }
        }

        @Override
        public WalOpcode opcode() {
            return WalOpcode.HASH_SET;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof HashSet h && h.seq == seq && h.db == db && Arrays.equals(h.key, key)
                    && Arrays.deepEquals(h.items, items);
        }

        @Override
        public int hashCode() {
            return Objects.hash(seq, db, Arrays.hashCode(key), Arrays.deepHashCode(items));
        }

        @Override
        public String toString() {
            return "HashSet[seq=" + seq + ", db=" + db + ", key=" + show(key) + ", items=" + show(items) + "]";
        }
    }

    /** These fields were removed from the hash at key; an emptied hash is gone. */
    record HashDelete(long seq, int db, byte[] key, byte[][] fields) implements WalRecord {
        @Override
        public WalOpcode opcode() {
            return WalOpcode.HASH_DELETE;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof HashDelete h && h.seq == seq && h.db == db && Arrays.equals(h.key, key)
                    && Arrays.deepEquals(h.fields, fields);
        }

        @Override
        public int hashCode() {
            return Objects.hash(seq, db, Arrays.hashCode(key), Arrays.deepHashCode(fields));
        }

        @Override
        public String toString() {
            return "HashDelete[seq=" + seq + ", db=" + db + ", key=" + show(key) + ", fields=" + show(fields) + "]";
        }
    }

    /** These members were added to the set at key (created if absent). */
    record SetAdd(long seq, int db, byte[] key, byte[][] members) implements WalRecord {
        @Override
        public WalOpcode opcode() {
            return WalOpcode.SET_ADD;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SetAdd a && a.seq == seq && a.db == db && Arrays.equals(a.key, key)
                    && Arrays.deepEquals(a.members, members);
        }

        @Override
        public int hashCode() {
            return Objects.hash(seq, db, Arrays.hashCode(key), Arrays.deepHashCode(members));
        }

        @Override
        public String toString() {
            return "SetAdd[seq=" + seq + ", db=" + db + ", key=" + show(key) + ", members=" + show(members) + "]";
        }
    }

    /** These members were removed from the set at key; an emptied set is gone. */
    record SetRemove(long seq, int db, byte[] key, byte[][] members) implements WalRecord {
        @Override
        public WalOpcode opcode() {
            return WalOpcode.SET_REMOVE;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SetRemove r && r.seq == seq && r.db == db && Arrays.equals(r.key, key)
                    && Arrays.deepEquals(r.members, members);
        }

        @Override
        public int hashCode() {
            return Objects.hash(seq, db, Arrays.hashCode(key), Arrays.deepHashCode(members));
        }

        @Override
        public String toString() {
            return "SetRemove[seq=" + seq + ", db=" + db + ", key=" + show(key) + ", members=" + show(members) + "]";
        }
    }

    /**
     * A list or sorted-set effect: the opcode says which (LIST_PUSH_HEAD … ZSET_REMOVE, see
     * {@link WalOpcode}) and what {@code items} hold.
     */
    record Items(long seq, WalOpcode op, int db, byte[] key, byte[][] items) implements WalRecord {
        public Items {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(items, "items");
        }

        @Override
        public WalOpcode opcode() {
            return op;
        }

        /** The first item as the decimal number it holds (pops, LSET, LINSERT, LREM). */
        public long number() {
            return Long.parseLong(new String(items[0], StandardCharsets.US_ASCII));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Items r && r.seq == seq && r.op == op && r.db == db && Arrays.equals(r.key, key)
                    && Arrays.deepEquals(r.items, items);
        }

        @Override
        public int hashCode() {
            return Objects.hash(seq, op, db, Arrays.hashCode(key), Arrays.deepHashCode(items));
        }

        @Override
        public String toString() {
            return "Items[seq=" + seq + ", op=" + op + ", db=" + db + ", key=" + show(key) + ", items=" + show(items) + "]";
        }
    }

    private static String show(byte[][] items) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < items.length && i < 8; i++) {
            sb.append(i == 0 ? "" : ", ").append(show(items[i]));
        }
        return sb.append(items.length > 8 ? ", …(" + items.length + ")]" : "]").toString();
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
