package dev.panda.store;

/**
 * A collection too large for a packed encoding: the entry header ({@link Entry}, with the key
 * and deadline and no value bytes) and the structure that holds the elements (a {@link KeyTable}
 * for hashes and sets). The pair is immutable: a new deadline or key makes a new pair around
 * the same structure; the structure itself changes in place and keeps a snapshot's view by
 * copying a page before its first write (see {@link KeyTable#prepareWrite}).
 *
 * <p>Store thread; a snapshot reader only reads.
 */
final class LargeValue {
    final byte[] head;
    final Object data;
    /**
     * Heap bytes of {@link #data} as last added to its database's count ({@link Database#store}),
     * brought up to date after each command that looked it up; -1 while it is in no database.
     */
    long counted = -1;

    LargeValue(byte[] head, Object data) {
        this.head = head;
        this.data = data;
    }

    /** Heap bytes of the structure now. O(1), O(groups) for a stream. */
    long dataBytes() {
        if (data instanceof KeyTable t) {
            return t.heapBytes();
        }
        if (data instanceof QuickList q) {
            return q.heapBytes();
        }
        if (data instanceof SortedSet z) {
            return z.heapBytes();
        }
        return ((Stream) data).heapBytes();
    }

    KeyTable table() {
        return (KeyTable) data;
    }
}
