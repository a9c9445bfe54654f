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

    LargeValue(byte[] head, Object data) {
        this.head = head;
        this.data = data;
    }

    KeyTable table() {
        return (KeyTable) data;
    }
}
