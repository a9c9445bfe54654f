package dev.panda.store;

import java.util.Arrays;

/**
 * A read-only view of bytes inside a larger array: how the store hands out a value without
 * copying it. Reused by its owner (a command family) from one operation to the next; the bytes
 * are valid until the store changes next, so a reply writes them out at once.
 *
 * <p>Store thread only.
 */
public final class Slice {
    public byte[] array;
    public int offset;
    public int length;

    void set(byte[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    /** A copy of the bytes. */
    public byte[] toArray() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }
}
