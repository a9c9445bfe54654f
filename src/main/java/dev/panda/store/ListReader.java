package dev.panda.store;

import dev.panda.store.value.Listpack;
import dev.panda.store.value.RedisIntegers;

/**
 * A read-only view of one list, bound by {@link Lists#read}: its length, an element by index,
 * and a walk in either direction from any index, handing out elements as byte slices (no copy,
 * no object per element; integers packed in a listpack come as digits in the reader's buffer).
 * A slice is valid until the next step or the next change to the store. Reused by its owner
 * from one command to the next.
 *
 * <p>Store thread only.
 */
public final class ListReader implements ValueReader {
    private final byte[] digits = new byte[RedisIntegers.MAX_LENGTH];
    private final int[] within = new int[1];
    /** A small list's entry, or null. */
    private byte[] packed;
    private int packedBase;
    private QuickList large;

    // Walk state.
    private boolean forward;
    private int node;
    private byte[] array;
    private int base;
    private int p = -1;

    @Override
    public void bind(Object entry) {
        if (entry instanceof byte[] a) {
            packed = a;
            packedBase = Entry.valueOffset(a);
            large = null;
        } else {
            packed = null;
            large = (QuickList) ((LargeValue) entry).data;
        }
        p = -1;
    }

    @Override
    public void clear() {
        packed = null;
        large = null;
        p = -1;
    }

    /** Elements in the list (0 when unbound). */
    public long size() {
        if (packed != null) {
            return Listpack.size(packed, packedBase);
        }
        return large == null ? 0 : large.size();
    }

    /**
     * Positions the walk at {@code index} (0 ≤ index < size), moving towards the tail when
     * {@code forward}; the first {@link #next} hands out that element.
     */
    public void seek(long index, boolean forward) {
        this.forward = forward;
        if (packed != null) {
            array = packed;
            base = packedBase;
            node = 0;
            p = Listpack.seek(packed, packedBase, index);
        } else {
            node = large.locate(index, within);
            array = large.node(node);
            base = 0;
            p = Listpack.seek(array, 0, within[0]);
        }
        pending = true;
    }

    private boolean pending;

    /** The next element of the walk into {@code out}; false when the walk is past the end. */
    public boolean next(Slice out) {
        if (p < 0) {
            return false;
        }
        if (!pending) {
            p = forward ? Listpack.next(array, p) : Listpack.prev(array, base, p);
            while (p < 0 && large != null) {
                node += forward ? 1 : -1;
                if (node < 0 || node >= large.count) {
                    return false;
                }
                array = large.node(node);
                base = 0;
                p = forward ? Listpack.first(array, 0) : Listpack.last(array, 0);
            }
            if (p < 0) {
                return false;
            }
        }
        pending = false;
        slice(array, p, out);
        return true;
    }

    /** The element at {@code index} (0 ≤ index < size) into {@code out}. */
    public void get(long index, Slice out) {
        seek(index, true);
        next(out);
    }

    private void slice(byte[] a, int at, Slice out) {
        if (Listpack.isInteger(a, at)) {
            out.set(digits, 0, RedisIntegers.writeDecimal(Listpack.integer(a, at), digits, 0));
        } else {
            out.set(a, Listpack.stringOffset(a, at), Listpack.stringLength(a, at));
        }
    }
}
