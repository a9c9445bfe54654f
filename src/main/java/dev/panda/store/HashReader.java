package dev.panda.store;

import dev.panda.store.value.Listpack;
import dev.panda.store.value.RedisIntegers;
import java.util.random.RandomGenerator;

/**
 * A read-only view of one hash, bound by {@link Hashes#read}: its fields and values as byte
 * slices, in the hash's own order (a listpack's insertion order, or a table's slot order).
 * Valid until the store changes next; reused by its owner (a command family) from one command
 * to the next. Integers packed in a listpack are handed out as decimal digits written into the
 * reader's own buffers.
 *
 * <p>Store thread only.
 */
public final class HashReader implements ValueReader {
    /** Receives one field and its value. */
    @FunctionalInterface
    public interface PairVisitor {
        void pair(byte[] field, int fieldOff, int fieldLen, byte[] value, int valueOff, int valueLen);
    }

    private final byte[] fieldDigits = new byte[RedisIntegers.MAX_LENGTH];
    private final byte[] valueDigits = new byte[RedisIntegers.MAX_LENGTH];
    private final Slice field = new Slice();
    private final Slice value = new Slice();
    /** The listpack entry, or null for a large hash. */
    private byte[] packed;
    private int base;
    private KeyTable table;

    @Override
    public void bind(Object entry) {
        if (entry instanceof byte[] a) {
            packed = a;
            base = Entry.valueOffset(a);
            table = null;
        } else {
            packed = null;
            table = ((LargeValue) entry).table();
        }
    }

    @Override
    public void clear() {
        packed = null;
        table = null;
    }

    /** Fields in the hash. */
    public int size() {
        return packed != null ? Listpack.size(packed, base) / 2 : table != null ? table.size() : 0;
    }

    /** True when the hash is packed (OBJECT ENCODING listpack). */
    public boolean packed() {
        return packed != null;
    }

    /** The value of the field into {@code out}; false when the hash lacks the field. */
    public boolean get(byte[] field, int off, int len, Slice out) {
        if (packed != null) {
            int p = Listpack.find(packed, base, field, off, len, 1);
            if (p < 0) {
                return false;
            }
            slice(Listpack.next(packed, p), valueDigits, out);
            return true;
        }
        if (table == null) {
            return false;
        }
        byte[] e = (byte[]) table.get(field, off, len);
        if (e == null) {
            return false;
        }
        int valueOff = Entry.varintLength(len) + len;
        out.set(e, valueOff, e.length - valueOff);
        return true;
    }

    public boolean get(byte[] field, Slice out) {
        return get(field, 0, field.length, out);
    }

    public boolean contains(byte[] field, int off, int len) {
        if (packed != null) {
            return Listpack.find(packed, base, field, off, len, 1) >= 0;
        }
        return table != null && table.get(field, off, len) != null;
    }

    /** Visits every field and value, in the hash's order. */
    public void forEach(PairVisitor visitor) {
        if (packed != null) {
            for (int p = Listpack.first(packed, base); p >= 0; p = Listpack.next(packed, Listpack.next(packed, p))) {
                visitPacked(p, visitor);
            }
        } else if (table != null) {
            table.forEach(e -> visitEntry((byte[]) e, visitor));
        }
    }

    /**
     * One HSCAN step from {@code cursor}: a packed hash is visited whole (as Redis does for a
     * listpack) and 0 is returned; a table visits at least {@code count} fields when it has them
     * and returns the next cursor (0 when done), with SCAN's guarantees.
     */
    public long scan(long cursor, int count, PairVisitor visitor) {
        if (table == null) {
            forEach(visitor);
            return 0;
        }
        return table.scan(cursor, count, e -> visitEntry((byte[]) e, visitor));
    }

    /** Visits one field chosen uniformly at random, with its value (the hash must not be empty). */
    public void random(RandomGenerator random, PairVisitor visitor) {
        if (packed != null) {
            int index = random.nextInt(size());
            int p = Listpack.first(packed, base);
            for (int i = 0; i < index; i++) {
                p = Listpack.next(packed, Listpack.next(packed, p));
            }
            visitPacked(p, visitor);
        } else {
            visitEntry((byte[]) table.randomEntry(random), visitor);
        }
    }

    private void visitPacked(int p, PairVisitor visitor) {
        slice(p, fieldDigits, field);
        slice(Listpack.next(packed, p), valueDigits, value);
        visitor.pair(field.array, field.offset, field.length, value.array, value.offset, value.length);
    }

    private static void visitEntry(byte[] e, PairVisitor visitor) {
        int len = Entry.readVarint(e, 0);
        int off = Entry.varintLength(len);
        visitor.pair(e, off, len, e, off + len, e.length - off - len);
    }

    private void slice(int p, byte[] digits, Slice out) {
        if (Listpack.isInteger(packed, p)) {
            out.set(digits, 0, RedisIntegers.writeDecimal(Listpack.integer(packed, p), digits, 0));
        } else {
            out.set(packed, Listpack.stringOffset(packed, p), Listpack.stringLength(packed, p));
        }
    }
}
