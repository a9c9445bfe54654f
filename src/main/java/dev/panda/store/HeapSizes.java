package dev.panda.store;

/**
 * What objects of the store occupy on the Java heap, for {@code used_memory} and MEMORY USAGE:
 * HotSpot's 64-bit layout with compressed references and class pointers (any heap under 32 GB),
 * 12-byte object headers, 16-byte array headers, sizes rounded up to 8 bytes. Pure functions;
 * any thread.
 */
public final class HeapSizes {
    /** An object with a few fields and its header (a {@link LargeValue}, a small holder). */
    static final int SMALL_OBJECT = 24;

    private HeapSizes() {
    }

    static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    /** A {@code byte[]} of {@code length}. */
    public static long bytes(int length) {
        return align(16L + length);
    }

    /** An array of {@code length} references (or ints: both are 4 bytes). */
    static long refs(int length) {
        return align(16L + 4L * length);
    }

    /** A {@code long[]} of {@code length}. */
    static long longs(int length) {
        return align(16L + 8L * length);
    }

    /** A key table's entry: its array, or a large value's pair and head (not the structure behind it). */
    static long entry(Object entry) {
        return entry instanceof byte[] b ? bytes(b.length) : SMALL_OBJECT + bytes(((LargeValue) entry).head.length);
    }
}
