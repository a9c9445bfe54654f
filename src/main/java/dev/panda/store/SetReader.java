package dev.panda.store;

import dev.panda.store.value.Intset;
import dev.panda.store.value.RedisIntegers;
import java.util.random.RandomGenerator;

/**
 * A read-only view of one set, bound by {@link Sets#read}: its members as byte slices, in the
 * set's own order (an intset's ascending order, or a table's slot order). Valid until the store
 * changes next; reused by its owner (a command family) from one command to the next. An intset's
 * integers are handed out as decimal digits written into the reader's own buffer.
 *
 * <p>Store thread only.
 */
public final class SetReader implements ValueReader {
    /** Receives one member. */
    @FunctionalInterface
    public interface MemberVisitor {
        void member(byte[] array, int offset, int length);
    }

    private final byte[] digits = new byte[RedisIntegers.MAX_LENGTH];
    /** The intset entry, or null for a large set. */
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

    /** Members in the set (0 when unbound). */
    public int size() {
        return packed != null ? Intset.size(packed, base) : table != null ? table.size() : 0;
    }

    /** True when the set is an intset. */
    public boolean packed() {
        return packed != null;
    }

    public boolean contains(byte[] member, int off, int len) {
        if (packed != null) {
            return RedisIntegers.isCanonical(member, off, len)
                    && Intset.contains(packed, base, RedisIntegers.parseCanonical(member, off, len));
        }
        return table != null && table.get(member, off, len) != null;
    }

    public boolean contains(byte[] member) {
        return contains(member, 0, member.length);
    }

    /** Visits every member, in the set's order. */
    public void forEach(MemberVisitor visitor) {
        if (packed != null) {
            int n = Intset.size(packed, base);
            for (int i = 0; i < n; i++) {
                visitInteger(i, visitor);
            }
        } else if (table != null) {
            table.forEach(e -> visitEntry((byte[]) e, visitor));
        }
    }

    /**
     * One SSCAN step from {@code cursor}: an intset is visited whole (as Redis does) and 0 is
     * returned; a table visits at least {@code count} members when it has them and returns the
     * next cursor (0 when done), with SCAN's guarantees.
     */
    public long scan(long cursor, int count, MemberVisitor visitor) {
        if (table == null) {
            forEach(visitor);
            return 0;
        }
        return table.scan(cursor, count, e -> visitEntry((byte[]) e, visitor));
    }

    /** Visits one member chosen uniformly at random (the set must not be empty). */
    public void random(RandomGenerator random, MemberVisitor visitor) {
        if (packed != null) {
            visitInteger(random.nextInt(Intset.size(packed, base)), visitor);
        } else {
            visitEntry((byte[]) table.randomEntry(random), visitor);
        }
    }

    private void visitInteger(int index, MemberVisitor visitor) {
        visitor.member(digits, 0, RedisIntegers.writeDecimal(Intset.get(packed, base, index), digits, 0));
    }

    private static void visitEntry(byte[] e, MemberVisitor visitor) {
        int len = Entry.readVarint(e, 0);
        visitor.member(e, Entry.varintLength(len), len);
    }
}
