package dev.panda.store;

import dev.panda.store.value.Intset;
import dev.panda.store.value.RedisIntegers;

/**
 * Walks an intset's members, ascending, each handed out as a new array of its decimal digits (so
 * every slice outlives the walk). Reads an immutable array, so any thread.
 */
final class IntsetCursor implements ElementCursor {
    private final byte[] a;
    private final int base;
    private final int size;
    private int index = -1;
    private byte[] digits;

    IntsetCursor(byte[] a, int base) {
        this.a = a;
        this.base = base;
        this.size = Intset.size(a, base);
    }

    @Override
    public boolean next() {
        if (++index >= size) {
            return false;
        }
        digits = RedisIntegers.toBytes(Intset.get(a, base, index));
        return true;
    }

    @Override
    public byte[] array() {
        return digits;
    }

    @Override
    public int offset() {
        return 0;
    }

    @Override
    public int length() {
        return digits.length;
    }
}
