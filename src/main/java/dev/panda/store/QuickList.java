package dev.panda.store;

import dev.panda.store.value.Listpack;
import java.util.Arrays;

/**
 * A list too long for one packed node, as Redis's quicklist: a sequence of listpack nodes (each
 * an array in Redis's listpack format, at base 0, possibly with spare room after its end), with
 * each node's element count beside it. A snapshot copies the sequence of node references
 * ({@link #prepareWrite}, {@link #imageFor}); a node it may see is never written again: pushes
 * and pops write in place only into nodes made since it started ({@link #writableNode}), as a
 * forked Redis child shares only the pages nobody writes.
 *
 * <p>Nodes sit in {@code nodes[first, first + count)} with room kept at both ends, so pushes at
 * either end are O(node size); finding an index walks the counts from the nearer end, as Redis
 * walks its quicklist.
 *
 * <p>Store thread only, except {@link #imageFor} (the snapshot reader).
 */
final class QuickList {
    /**
     * Most elements in one node: a push or pop copies its node, so nodes stay small (64 short
     * elements are about 1 KiB); the node's own overhead is about half a byte per element.
     */
    static final int NODE_MAX_ENTRIES = 64;
    private static final byte[] NO_HEAD = new byte[0];

    private final SnapshotEpoch epochs;
    byte[][] nodes;
    int[] sizes;
    int first;
    int count;
    long size;
    /** Heap bytes of the node arrays. */
    private long nodeBytes;
    /** The epoch {@link #prepareWrite} last prepared for (store thread). */
    private int imageEpoch;
    /** The node references as the snapshot of {@link #sharedEpoch} sees them (guarded by this). */
    private byte[][] sharedImage;
    private int sharedEpoch;

    QuickList(SnapshotEpoch epochs) {
        this.epochs = epochs;
        this.nodes = new byte[8][];
        this.sizes = new int[8];
        this.first = 4;
    }

    long size() {
        return size;
    }

    /** Heap bytes of the list: its nodes and the arrays that hold them. O(1). */
    long heapBytes() {
        return 40 + HeapSizes.refs(nodes.length) + HeapSizes.refs(sizes.length) + nodeBytes;
    }

    /** An empty node. */
    static byte[] emptyNode() {
        return Listpack.empty(NO_HEAD, 0);
    }

    /** Whether one more element of {@code len} bytes fits the node (Redis's list-max-listpack-size rule). */
    static boolean fits(byte[] node, int base, int entries, int len, int sizeLimit, int entryCap) {
        if (entries >= entryCap) {
            return false;
        }
        if (sizeLimit > 0) {
            return entries < sizeLimit;
        }
        return (long) Listpack.totalBytes(node, base) + len + 11 <= bytesLimit(sizeLimit);
    }

    /** The node byte limit of a negative list-max-listpack-size: -1 4 KiB … -5 64 KiB. */
    static int bytesLimit(int sizeLimit) {
        int level = Math.min(5, Math.max(1, -sizeLimit));
        return 4096 << (level - 1);
    }

    // ---- structure ---------------------------------------------------------------------------

    private void ensureRoomFront() {
        if (first > 0) {
            return;
        }
        regrow();
    }

    private void ensureRoomBack() {
        if (first + count < nodes.length) {
            return;
        }
        regrow();
    }

    private void regrow() {
        int capacity = Math.max(8, count * 2 + 4);
        byte[][] n = new byte[capacity][];
        int[] s = new int[capacity];
        int at = (capacity - count) / 2;
        System.arraycopy(nodes, first, n, at, count);
        System.arraycopy(sizes, first, s, at, count);
        nodes = n;
        sizes = s;
        first = at;
    }

    /** Inserts a node at position {@code i} (0 ≤ i ≤ count, relative). */
    void insertNode(int i, byte[] node, int entries) {
        if (i == 0) {
            ensureRoomFront();
            first--;
        } else {
            ensureRoomBack();
            int at = first + i;
            System.arraycopy(nodes, at, nodes, at + 1, count - i);
            System.arraycopy(sizes, at, sizes, at + 1, count - i);
        }
        nodes[first + i] = node;
        sizes[first + i] = entries;
        nodeBytes += HeapSizes.bytes(node.length);
        count++;
        size += entries;
    }

    /** Removes the node at relative position {@code i}. */
    void removeNode(int i) {
        int at = first + i;
        size -= sizes[at];
        nodeBytes -= HeapSizes.bytes(nodes[at].length);
        if (i == 0) {
            nodes[first] = null;
            first++;
        } else {
            System.arraycopy(nodes, at + 1, nodes, at, count - i - 1);
            System.arraycopy(sizes, at + 1, sizes, at, count - i - 1);
            nodes[first + count - 1] = null;
        }
        count--;
    }

    /** Replaces node {@code i} (relative) with {@code node} of {@code entries} elements; an empty node is removed. */
    void replaceNode(int i, byte[] node, int entries) {
        if (entries == 0) {
            removeNode(i);
            return;
        }
        int at = first + i;
        size += entries - sizes[at];
        nodeBytes += HeapSizes.bytes(node.length) - HeapSizes.bytes(nodes[at].length);
        nodes[at] = node;
        sizes[at] = entries;
    }

    byte[] node(int i) {
        return nodes[first + i];
    }

    int nodeSize(int i) {
        return sizes[first + i];
    }

    /** The relative node holding list index {@code index} (0 ≤ index < size); {@code within} receives the index inside it. */
    int locate(long index, int[] within) {
        if (index < size / 2) {
            long before = 0;
            for (int i = 0; i < count; i++) {
                int n = sizes[first + i];
                if (index < before + n) {
                    within[0] = (int) (index - before);
                    return i;
                }
                before += n;
            }
        } else {
            long after = size;
            for (int i = count - 1; i >= 0; i--) {
                int n = sizes[first + i];
                after -= n;
                if (index >= after) {
                    within[0] = (int) (index - after);
                    return i;
                }
            }
        }
        throw new IndexOutOfBoundsException("index " + index + " of " + size);
    }

    /**
     * Node {@code i} ready to be changed in place with {@code extra} more bytes: the node itself
     * when no running snapshot can see it and it has the room, else a copy with room that takes
     * its place (and that the running snapshot, if any, will never see).
     */
    byte[] writableNode(int i, int extra) {
        byte[] node = nodes[first + i];
        int total = Listpack.totalBytes(node, 0);
        if (epochs.mayWriteInPlace(node) && node.length - total >= extra) {
            return node;
        }
        byte[] copy = Listpack.copyWithRoom(node, 0, Math.max(extra, Math.min(total, 512)));
        nodeBytes += HeapSizes.bytes(copy.length) - HeapSizes.bytes(node.length);
        nodes[first + i] = copy;
        epochs.stored(copy);
        return copy;
    }

    /** Node {@code i} gained (or lost) elements in place. */
    void resized(int i, int delta) {
        sizes[first + i] += delta;
        size += delta;
    }

    /** Gives back node {@code i}'s spare room (a node that will take no more pushes). */
    void trimNode(int i) {
        byte[] node = nodes[first + i];
        int total = Listpack.totalBytes(node, 0);
        if (node.length > total) {
            byte[] exact = Arrays.copyOf(node, total);
            nodeBytes += HeapSizes.bytes(exact.length) - HeapSizes.bytes(node.length);
            nodes[first + i] = exact;
            epochs.stored(exact);
        }
    }

    /** A copy for COPY: nodes are changed in place, so each is copied. */
    QuickList copy() {
        QuickList c = new QuickList(epochs);
        c.nodes = Arrays.copyOf(nodes, nodes.length);
        for (int i = first; i < first + count; i++) {
            c.nodes[i] = Arrays.copyOf(nodes[i], Listpack.totalBytes(nodes[i], 0));
            c.nodeBytes += HeapSizes.bytes(c.nodes[i].length);
        }
        c.sizes = Arrays.copyOf(sizes, sizes.length);
        c.first = first;
        c.count = count;
        c.size = size;
        return c;
    }

    // ---- snapshots -----------------------------------------------------------------------------

    /** Before every change (store thread): keeps the running snapshot's view of the node sequence. */
    void prepareWrite() {
        int active = epochs.active();
        if (active == imageEpoch) {
            return;
        }
        imageEpoch = active;
        if (active == 0) {
            synchronized (this) {
                sharedImage = null;
                sharedEpoch = 0;
            }
            return;
        }
        imageFor(active);
    }

    /**
     * The node references as they were when the snapshot of {@code epoch} started: installed by
     * whichever comes first, the owner's first change after the snapshot started (store thread)
     * or the snapshot reaching this list (reader thread).
     */
    byte[][] imageFor(int epoch) {
        synchronized (this) {
            if (sharedImage != null && sharedEpoch == epoch) {
                return sharedImage;
            }
        }
        // Copied outside the lock: the reader's copy may be torn if the owner changes the list
        // meanwhile, but the owner then installed its own image first, which wins below.
        byte[][] mine;
        try {
            mine = Arrays.copyOfRange(nodes, first, first + count);
        } catch (RuntimeException torn) {
            mine = null;
        }
        synchronized (this) {
            if (sharedImage == null || sharedEpoch != epoch) {
                if (mine == null) {
                    throw new IllegalStateException("list image torn without an owner's image");
                }
                sharedImage = mine;
                sharedEpoch = epoch;
            }
            return sharedImage;
        }
    }
}
