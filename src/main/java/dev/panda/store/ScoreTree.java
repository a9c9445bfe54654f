package dev.panda.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The order of a large sorted set: a B+-tree of its member entries by (score, member bytes),
 * counted so that rank, select-by-rank and range bounds are O(log n), as Redis's skip list with
 * spans gives. Leaves hold up to {@value #MAX} references to the entries the set's member table
 * holds (no copy, no node per element) and are linked for walks in either direction; inner
 * nodes keep each child's first entry and element count.
 *
 * <p>An entry is {@code [varint member length][member][score, 8 bytes little-endian]}. Nodes that
 * empty are unlinked; half-empty ones are not merged (deletes never move entries).
 *
 * <p>Store thread only (snapshots read the member table, never this tree).
 */
final class ScoreTree {
    static final int MAX = 64;
    private static final VarHandle DOUBLE_LE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    /** A test on entries that holds for a prefix of the order (true, …, true, false, …). */
    @FunctionalInterface
    interface Prefix {
        boolean test(byte[] entry);
    }

    private abstract static class Node {
        int n;
        int total;
    }

    static final class Leaf extends Node {
        final byte[][] items = new byte[MAX][];
        Leaf prev;
        Leaf next;
    }

    private static final class Inner extends Node {
        final Node[] kids = new Node[MAX];
        final byte[][] firsts = new byte[MAX][];
        final int[] counts = new int[MAX];
    }

    private Node root = new Leaf();
    private Leaf head = (Leaf) root;
    private Leaf tail = head;
    private int leaves = 1;
    private int inners;

    // ---- entries -----------------------------------------------------------------------------

    static byte[] entry(byte[] member, int off, int len, double score) {
        byte[] e = new byte[Entry.varintLength(len) + len + 8];
        int p = Entry.writeVarint(e, 0, len);
        System.arraycopy(member, off, e, p, len);
        DOUBLE_LE.set(e, p + len, score);
        return e;
    }

    static double score(byte[] e) {
        return (double) DOUBLE_LE.get(e, e.length - 8);
    }

    static int memberOffset(byte[] e) {
        return Entry.varintLength(Entry.readVarint(e, 0));
    }

    static int memberLength(byte[] e) {
        return Entry.readVarint(e, 0);
    }

    /** Redis's order: by score, then by member bytes (unsigned, as memcmp). */
    static int compare(byte[] a, byte[] b) {
        double sa = score(a);
        double sb = score(b);
        if (sa < sb) {
            return -1;
        }
        if (sa > sb) {
            return 1;
        }
        int ao = memberOffset(a);
        int bo = memberOffset(b);
        return Arrays.compareUnsigned(a, ao, a.length - 8, b, bo, b.length - 8);
    }

    // ---- size ----------------------------------------------------------------------------------

    int size() {
        return root.total;
    }

    /** Heap bytes of the tree's nodes (the entries belong to the sorted set's table). O(1). */
    long heapBytes() {
        long leaf = 32 + HeapSizes.refs(MAX);
        long inner = 32 + 3 * HeapSizes.refs(MAX);
        return 40 + leaves * leaf + inners * inner;
    }

    // ---- changes -------------------------------------------------------------------------------

    void insert(byte[] e) {
        Node split = insert(root, e);
        if (split != null) {
            Inner r = new Inner();
            inners++;
            r.kids[0] = root;
            r.kids[1] = split;
            r.firsts[0] = first(root);
            r.firsts[1] = first(split);
            r.counts[0] = root.total;
            r.counts[1] = split.total;
            r.n = 2;
            r.total = root.total + split.total;
            root = r;
        }
    }

    private static byte[] first(Node node) {
        return node instanceof Leaf l ? l.items[0] : ((Inner) node).firsts[0];
    }

    /** The child of {@code in} whose range holds {@code e}: the last whose first entry is ≤ e (or the first). */
    private static int childFor(Inner in, byte[] e) {
        int lo = 1;
        int hi = in.n - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(in.firsts[mid], e) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** The first position in the leaf whose entry is ≥ e. */
    private static int lowerBound(Leaf l, byte[] e) {
        int lo = 0;
        int hi = l.n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(l.items[mid], e) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private Node insert(Node node, byte[] e) {
        if (node instanceof Leaf l) {
            int at = lowerBound(l, e);
            System.arraycopy(l.items, at, l.items, at + 1, l.n - at);
            l.items[at] = e;
            l.n++;
            l.total++;
            if (l.n < MAX) {
                return null;
            }
            Leaf r = new Leaf();
            leaves++;
            int half = MAX / 2;
            System.arraycopy(l.items, half, r.items, 0, MAX - half);
            Arrays.fill(l.items, half, MAX, null);
            l.n = l.total = half;
            r.n = r.total = MAX - half;
            r.next = l.next;
            r.prev = l;
            if (l.next != null) {
                l.next.prev = r;
            } else {
                tail = r;
            }
            l.next = r;
            return r;
        }
        Inner in = (Inner) node;
        int i = childFor(in, e);
        Node split = insert(in.kids[i], e);
        in.firsts[i] = first(in.kids[i]);
        in.counts[i] = in.kids[i].total;
        in.total++;
        if (split == null) {
            return null;
        }
        int at = i + 1;
        System.arraycopy(in.kids, at, in.kids, at + 1, in.n - at);
        System.arraycopy(in.firsts, at, in.firsts, at + 1, in.n - at);
        System.arraycopy(in.counts, at, in.counts, at + 1, in.n - at);
        in.kids[at] = split;
        in.firsts[at] = first(split);
        in.counts[at] = split.total;
        in.counts[i] = in.kids[i].total;
        in.n++;
        if (in.n < MAX) {
            return null;
        }
        Inner r = new Inner();
        inners++;
        int half = MAX / 2;
        System.arraycopy(in.kids, half, r.kids, 0, MAX - half);
        System.arraycopy(in.firsts, half, r.firsts, 0, MAX - half);
        System.arraycopy(in.counts, half, r.counts, 0, MAX - half);
        Arrays.fill(in.kids, half, MAX, null);
        Arrays.fill(in.firsts, half, MAX, null);
        in.n = half;
        r.n = MAX - half;
        in.total = sum(in.counts, half);
        r.total = sum(r.counts, r.n);
        return r;
    }

    private static int sum(int[] counts, int n) {
        int s = 0;
        for (int i = 0; i < n; i++) {
            s += counts[i];
        }
        return s;
    }

    /** Removes the entry equal (by {@link #compare}) to {@code e}; false when absent. */
    boolean remove(byte[] e) {
        if (!remove(root, e)) {
            return false;
        }
        while (root instanceof Inner in && in.n == 1) {
            root = in.kids[0];
            inners--;
        }
        if (root.total == 0) {
            root = head = tail = new Leaf();
            leaves = 1;
            inners = 0;
        }
        return true;
    }

    private boolean remove(Node node, byte[] e) {
        if (node instanceof Leaf l) {
            int at = lowerBound(l, e);
            if (at == l.n || compare(l.items[at], e) != 0) {
                return false;
            }
            System.arraycopy(l.items, at + 1, l.items, at, l.n - at - 1);
            l.items[--l.n] = null;
            l.total--;
            return true;
        }
        Inner in = (Inner) node;
        int i = childFor(in, e);
        Node kid = in.kids[i];
        if (!remove(kid, e)) {
            return false;
        }
        in.total--;
        if (kid.total == 0) {
            if (kid instanceof Leaf l) {
                unlink(l);
                leaves--;
            } else {
                inners--;
            }
            System.arraycopy(in.kids, i + 1, in.kids, i, in.n - i - 1);
            System.arraycopy(in.firsts, i + 1, in.firsts, i, in.n - i - 1);
            System.arraycopy(in.counts, i + 1, in.counts, i, in.n - i - 1);
            in.n--;
            in.kids[in.n] = null;
            in.firsts[in.n] = null;
        } else {
            in.firsts[i] = first(kid);
            in.counts[i] = kid.total;
        }
        return true;
    }

    private void unlink(Leaf l) {
        if (l.prev != null) {
            l.prev.next = l.next;
        } else if (l.next != null) {
            head = l.next;
        }
        if (l.next != null) {
            l.next.prev = l.prev;
        } else if (l.prev != null) {
            tail = l.prev;
        }
    }

    // ---- queries -------------------------------------------------------------------------------

    /** How many entries sort before {@code e} (its rank when present). */
    long rank(byte[] e) {
        long rank = 0;
        Node node = root;
        while (node instanceof Inner in) {
            int i = childFor(in, e);
            for (int j = 0; j < i; j++) {
                rank += in.counts[j];
            }
            node = in.kids[i];
        }
        return rank + lowerBound((Leaf) node, e);
    }

    /** How many entries, from the first, pass {@code test} (a test that holds for a prefix). */
    long countWhile(Prefix test) {
        long count = 0;
        Node node = root;
        while (node instanceof Inner in) {
            int lo = 1;
            int hi = in.n - 1;
            int found = 0;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (test.test(in.firsts[mid])) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            for (int j = 0; j < found; j++) {
                count += in.counts[j];
            }
            node = in.kids[found];
        }
        Leaf l = (Leaf) node;
        int lo = 0;
        int hi = l.n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (test.test(l.items[mid])) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return count + lo;
    }

    /** A walk positioned at rank {@code rank} (0 ≤ rank < size). */
    void seek(long rank, Walk walk) {
        Node node = root;
        long left = rank;
        while (node instanceof Inner in) {
            int i = 0;
            while (left >= in.counts[i]) {
                left -= in.counts[i];
                i++;
            }
            node = in.kids[i];
        }
        walk.leaf = (Leaf) node;
        walk.index = (int) left;
    }

    /** A position in the order, moved entry by entry along the linked leaves. */
    static final class Walk {
        Leaf leaf;
        int index;

        /** The entry here, or null past either end. */
        byte[] current() {
            return leaf == null ? null : leaf.items[index];
        }

        void forward() {
            if (++index >= leaf.n) {
                leaf = leaf.next;
                index = 0;
            }
        }

        void backward() {
            if (--index < 0) {
                leaf = leaf.prev;
                index = leaf == null ? 0 : leaf.n - 1;
            }
        }
    }
}
