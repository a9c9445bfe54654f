package dev.panda.store;

import dev.panda.store.value.Listpack;
import dev.panda.store.value.RedisIntegers;

/**
 * Walks a listpack's entries as byte slices; an integer entry is handed out as a new array of
 * its decimal digits, so every slice outlives the walk (a snapshot writer may keep them until
 * its page is written). Reads an array nothing writes to while a snapshot can see it ({@link
 * SnapshotEpoch#mayWriteInPlace}), so any thread.
 */
final class ListpackCursor implements ElementCursor {
    private final byte[] a;
    private int p;
    private boolean started;
    private byte[] array;
    private int offset;
    private int length;

    ListpackCursor(byte[] a, int base) {
        this.a = a;
        this.p = Listpack.first(a, base);
    }

    @Override
    public boolean next() {
        if (started && p >= 0) {
            p = Listpack.next(a, p);
        }
        started = true;
        if (p < 0) {
            return false;
        }
        if (Listpack.isInteger(a, p)) {
            array = RedisIntegers.toBytes(Listpack.integer(a, p));
            offset = 0;
            length = array.length;
        } else {
            array = a;
            offset = Listpack.stringOffset(a, p);
            length = Listpack.stringLength(a, p);
        }
        return true;
    }

    @Override
    public byte[] array() {
        return array;
    }

    @Override
    public int offset() {
        return offset;
    }

    @Override
    public int length() {
        return length;
    }
}
