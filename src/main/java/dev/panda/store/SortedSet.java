package dev.panda.store;

/**
 * A sorted set past its listpack limits, as Redis's skiplist encoding: a table from member to
 * entry ({@code [varint length][member][score]}, see {@link ScoreTree}) for O(1) score lookups,
 * and a {@link ScoreTree} over the same entries for order, rank and ranges. Entries are
 * immutable: a new score is a new entry in both. Snapshots read the table's image.
 *
 * <p>Store thread only (a snapshot reader reads the table's image).
 */
final class SortedSet {
    final KeyTable members;
    final ScoreTree order;

    SortedSet(KeyTable members, ScoreTree order) {
        this.members = members;
        this.order = order;
    }

    int size() {
        return members.size();
    }

    /** Heap bytes: the table holds the entries, the tree only refers to them. O(1). */
    long heapBytes() {
        return HeapSizes.SMALL_OBJECT + members.heapBytes() + order.heapBytes();
    }

    /** Sets the member's score (adding it); the caller has called {@link KeyTable#prepareWrite}. */
    void put(byte[] member, int off, int len, double score) {
        byte[] e = ScoreTree.entry(member, off, len, score);
        Object old = members.put(e);
        if (old != null) {
            order.remove((byte[]) old);
        }
        order.insert(e);
    }

    /** Removes the member; false when absent. The caller has called {@link KeyTable#prepareWrite}. */
    boolean remove(byte[] member, int off, int len) {
        Object old = members.remove(member, off, len);
        if (old == null) {
            return false;
        }
        order.remove((byte[]) old);
        return true;
    }

    /** A copy (COPY): entries are immutable, so they are shared. */
    SortedSet copy() {
        ScoreTree tree = new ScoreTree();
        members.forEach(e -> tree.insert((byte[]) e));
        return new SortedSet(members.copy(), tree);
    }
}
