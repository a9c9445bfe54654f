package dev.panda.store;

import dev.panda.store.value.Listpack;
import dev.panda.store.value.ValueType;
import java.util.Arrays;
import java.util.List;

/**
 * List values of one database, the store side of Redis's {@code t_list.c}. A short list is one
 * listpack inside its key's entry; once it outgrows one node (Redis's
 * {@code list-max-listpack-size}, and at most {@link QuickList#NODE_MAX_ENTRIES} elements) it
 * becomes a {@link QuickList} of listpack nodes. OBJECT ENCODING says {@code quicklist} for
 * both, as Redis 7.0 does (its lists are always quicklists; one node is the short form).
 * Reads go through a {@link ListReader}; every change goes through the operations here, which
 * report it as an effect and delete a list they empty.
 *
 * <p>Store thread only.
 */
public final class Lists {
    private final Database db;

    Lists(Database db) {
        this.db = db;
    }

    /** Points {@code reader} at the list stored at key, counting a keyspace hit or miss. */
    public Status read(byte[] key, ListReader reader) {
        return ValueReader.open(db.lookupRead(key), ValueType.LIST, reader);
    }

    /** As {@link #read} without the hit or miss (a command about to change the list). */
    public Status peek(byte[] key, ListReader reader) {
        return ValueReader.open(db.lookup(key), ValueType.LIST, reader);
    }

    /** The type check alone. */
    public Status check(byte[] key) {
        return Status.of(db.lookup(key), ValueType.LIST);
    }

    private int sizeLimit() {
        return db.keyspace().limits().listMaxListpackSize;
    }

    /**
     * LPUSH / RPUSH: pushes {@code items[from, to)} one by one at the head (or tail), creating
     * the list; {@code length} receives the length after.
     */
    public Status push(byte[] key, boolean head, byte[][] items, int from, int to, Count length) {
        Object e = db.lookup(key);
        if (e != null && Entry.type(e) != ValueType.LIST) {
            return Status.WRONGTYPE;
        }
        Object updated = e;
        if (updated == null) {
            byte[] h = Entry.allocate(ValueType.LIST, key, 0, key.length, -1, 0, db.keyspace().access().initial());
            updated = Listpack.empty(h, h.length);
        }
        int limit = sizeLimit();
        for (int i = from; i < to; i++) {
            byte[] v = items[i];
            if (updated instanceof byte[] a) {
                int base = Entry.valueOffset(a);
                if (QuickList.fits(a, base, Listpack.size(a, base), v.length, limit, QuickList.NODE_MAX_ENTRIES)) {
                    updated = head ? Listpack.prepend(a, base, v, 0, v.length) : Listpack.append(a, base, v, 0, v.length);
                    continue;
                }
                updated = toQuickList(a);
            }
            QuickList q = (QuickList) ((LargeValue) updated).data;
            q.prepareWrite();
            pushLarge(q, head, v, limit);
        }
        if (updated != e) {
            db.store(updated, e);
        }
        length.value = sizeOf(updated);
        db.effects().listPush(db.index(), key, head, items, from, to);
        return Status.OK;
    }

    private static void pushLarge(QuickList q, boolean head, byte[] v, int limit) {
        int i = head ? 0 : q.count - 1;
        if (q.count == 0 || !QuickList.fits(q.node(i), 0, q.nodeSize(i), v.length, limit, QuickList.NODE_MAX_ENTRIES)) {
            q.insertNode(head ? 0 : q.count, QuickList.emptyNode(), 0);
            i = head ? 0 : q.count - 1;
        }
        byte[] node = q.writableNode(i, v.length + 10);
        int at = head ? Listpack.HEADER_SIZE : Listpack.end(node, 0);
        if (!Listpack.insertInPlace(node, 0, at, v, 0, v.length)) {
            throw new IllegalStateException("a writable node without room");
        }
        q.resized(i, 1);
        if (q.nodeSize(i) >= QuickList.NODE_MAX_ENTRIES) {
            q.trimNode(i);
        }
    }

    private LargeValue toQuickList(byte[] a) {
        int base = Entry.valueOffset(a);
        QuickList q = new QuickList(db.keyspace().snapshots());
        int n = Listpack.size(a, base);
        if (n > 0) {
            q.insertNode(0, Arrays.copyOfRange(a, base, base + Listpack.totalBytes(a, base)), n);
        }
        return new LargeValue(Entry.withValueRoom(a, 0), q);
    }

    /**
     * LPOP / RPOP with a count: removes up to {@code count} elements from the head (or tail)
     * into {@code out}, in pop order. An emptied list is deleted.
     */
    public Status pop(byte[] key, boolean head, long count, List<byte[]> out) {
        Object e = db.lookup(key);
        Status s = Status.of(e, ValueType.LIST);
        if (s != Status.OK) {
            return s;
        }
        long size = sizeOf(e);
        int n = (int) Math.min(count, size);
        if (n <= 0) {
            return Status.OK;
        }
        if (e instanceof byte[] a) {
            int base = Entry.valueOffset(a);
            int p = head ? Listpack.first(a, base) : Listpack.last(a, base);
            int firstGone = p;
            for (int i = 0; i < n; i++) {
                out.add(Listpack.bytes(a, p));
                firstGone = p;
                if (i + 1 < n) {
                    p = head ? Listpack.next(a, p) : Listpack.prev(a, base, p);
                }
            }
            if (n == size) {
                db.unlink(key);
            } else {
                db.store(Listpack.delete(a, base, head ? Listpack.first(a, base) : firstGone, n), e);
            }
        } else {
            QuickList q = (QuickList) ((LargeValue) e).data;
            q.prepareWrite();
            for (int i = 0; i < n; i++) {
                int node = head ? 0 : q.count - 1;
                byte[] a = q.node(node);
                int p = head ? Listpack.first(a, 0) : Listpack.last(a, 0);
                out.add(Listpack.bytes(a, p));
                if (q.nodeSize(node) == 1) {
                    q.removeNode(node);
                } else {
                    a = q.writableNode(node, 0);
                    Listpack.deleteInPlace(a, 0, head ? Listpack.first(a, 0) : Listpack.last(a, 0));
                    q.resized(node, -1);
                }
            }
            if (q.size() == 0) {
                db.unlink(key);
            }
        }
        db.effects().listPop(db.index(), key, head, n);
        return Status.OK;
    }

    /** Removes {@code n} elements from one end without handing them out (LTRIM, replay). */
    private void drop(byte[] key, Object e, boolean head, long n) {
        if (n <= 0) {
            return;
        }
        if (e instanceof byte[] a) {
            int base = Entry.valueOffset(a);
            int size = Listpack.size(a, base);
            int p = head ? Listpack.first(a, base) : Listpack.seek(a, base, size - n);
            db.store(Listpack.delete(a, base, p, (int) n), e);
        } else {
            QuickList q = (QuickList) ((LargeValue) e).data;
            q.prepareWrite();
            long left = n;
            while (left > 0) {
                int node = head ? 0 : q.count - 1;
                int ns = q.nodeSize(node);
                if (left >= ns) {
                    q.removeNode(node);
                    left -= ns;
                } else {
                    byte[] a = q.node(node);
                    int p = head ? Listpack.first(a, 0) : Listpack.seek(a, 0, ns - left);
                    q.replaceNode(node, Listpack.delete(a, 0, p, (int) left), ns - (int) left);
                    left = 0;
                }
            }
        }
        db.effects().listPop(db.index(), key, head, n);
    }

    /** Replay of a pop: removes {@code n} elements from one end. */
    public void popQuietly(byte[] key, boolean head, long n) {
        Object e = db.lookup(key);
        if (e == null || Entry.type(e) != ValueType.LIST) {
            return;
        }
        if (n >= sizeOf(e)) {
            db.unlink(key);
            db.effects().listPop(db.index(), key, head, n);
            return;
        }
        drop(key, e, head, n);
    }

    /**
     * LTRIM with indexes already resolved by the caller to keep {@code [start, stop]} (0-based,
     * inclusive); an empty range deletes the list.
     */
    public Status trim(byte[] key, long start, long stop) {
        Object e = db.lookup(key);
        Status s = Status.of(e, ValueType.LIST);
        if (s != Status.OK) {
            return s;
        }
        long size = sizeOf(e);
        if (start > stop || start >= size) {
            db.delete(key, e);
            return Status.OK;
        }
        stop = Math.min(stop, size - 1);
        drop(key, e, true, start);
        Object now = db.lookup(key);
        drop(key, now, false, size - 1 - stop);
        return Status.OK;
    }

    /** LSET: false when the index is out of range (negative counts from the tail). */
    public Status set(byte[] key, long index, byte[] value, Count inRange) {
        Object e = db.lookup(key);
        Status s = Status.of(e, ValueType.LIST);
        if (s != Status.OK) {
            return s;
        }
        long size = sizeOf(e);
        long i = index < 0 ? size + index : index;
        if (i < 0 || i >= size) {
            inRange.value = 0;
            return Status.OK;
        }
        inRange.value = 1;
        if (e instanceof byte[] a) {
            int base = Entry.valueOffset(a);
            db.store(Listpack.replace(a, base, Listpack.seek(a, base, i), value, 0, value.length), e);
        } else {
            QuickList q = (QuickList) ((LargeValue) e).data;
            q.prepareWrite();
            int[] within = new int[1];
            int node = q.locate(i, within);
            byte[] a = q.node(node);
            q.replaceNode(node, Listpack.replace(a, 0, Listpack.seek(a, 0, within[0]), value, 0, value.length), q.nodeSize(node));
        }
        db.effects().listSet(db.index(), key, i, value);
        return Status.OK;
    }

    /** LINSERT's change: {@code value} becomes the element at {@code index} (0 ≤ index ≤ size) of an existing list. */
    public Status insertAt(byte[] key, long index, byte[] value) {
        Object e = db.lookup(key);
        Status s = Status.of(e, ValueType.LIST);
        if (s != Status.OK) {
            return s;
        }
        long size = sizeOf(e);
        if (index < 0 || index > size) {
            throw new IllegalArgumentException("insert at " + index + " of " + size);
        }
        int limit = sizeLimit();
        Object updated = e;
        if (e instanceof byte[] a) {
            int base = Entry.valueOffset(a);
            if (QuickList.fits(a, base, (int) size, value.length, limit, QuickList.NODE_MAX_ENTRIES)) {
                int p = index == size ? Listpack.end(a, base) : Listpack.seek(a, base, index);
                db.store(Listpack.insertBefore(a, base, p, value, 0, value.length), e);
                db.effects().listInsert(db.index(), key, index, value);
                return Status.OK;
            }
            updated = toQuickList(a);
            db.store(updated, e);
        }
        QuickList q = (QuickList) ((LargeValue) updated).data;
        q.prepareWrite();
        if (index == size) {
            pushLarge(q, false, value, limit);
        } else if (index == 0) {
            pushLarge(q, true, value, limit);
        } else {
            int[] within = new int[1];
            int node = q.locate(index, within);
            byte[] a = q.node(node);
            int n = q.nodeSize(node);
            byte[] grown = Listpack.insertBefore(a, 0, Listpack.seek(a, 0, within[0]), value, 0, value.length);
            if (QuickList.fits(a, 0, n, value.length, limit, QuickList.NODE_MAX_ENTRIES)) {
                q.replaceNode(node, grown, n + 1);
            } else {
                split(q, node, grown, n + 1);
            }
        }
        db.effects().listInsert(db.index(), key, index, value);
        return Status.OK;
    }

    /** Replaces node {@code node} with the two halves of {@code a} ({@code n} elements). */
    private static void split(QuickList q, int node, byte[] a, int n) {
        int half = n / 2;
        Listpack.Builder left = new Listpack.Builder(a.length / 2 + 16);
        Listpack.Builder right = new Listpack.Builder(a.length / 2 + 16);
        int i = 0;
        for (int p = Listpack.first(a, 0); p >= 0; p = Listpack.next(a, p), i++) {
            (i < half ? left : right).addEntry(a, p);
        }
        q.replaceNode(node, left.build(new byte[0], 0), half);
        q.insertNode(node + 1, right.build(new byte[0], 0), n - half);
    }

    /**
     * LREM: removes up to {@code count} elements equal to {@code value} from the head
     * ({@code count > 0}), the tail ({@code count < 0}) or everywhere (0); {@code removed}
     * receives how many. An emptied list is deleted.
     */
    public Status remove(byte[] key, long count, byte[] value, Count removed) {
        Object e = db.lookup(key);
        Status s = Status.of(e, ValueType.LIST);
        if (s != Status.OK) {
            removed.value = 0;
            return s;
        }
        long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
        boolean fromTail = count < 0;
        long gone = 0;
        if (e instanceof byte[] a) {
            int base = Entry.valueOffset(a);
            int[] drop = matches(a, base, value, fromTail, limit);
            gone = drop.length;
            if (gone > 0) {
                if (gone == Listpack.size(a, base)) {
                    db.unlink(key);
                } else {
                    db.store(without(a, base, drop, a, base), e);
                }
            }
        } else {
            QuickList q = (QuickList) ((LargeValue) e).data;
            for (int k = 0; k < q.count && gone < limit; k++) {
                int node = fromTail ? q.count - 1 - k : k;
                byte[] a = q.node(node);
                int[] drop = matches(a, 0, value, fromTail, limit - gone);
                if (drop.length > 0) {
                    q.prepareWrite();
                    gone += drop.length;
                    int left = q.nodeSize(node) - drop.length;
                    q.replaceNode(node, left == 0 ? null : without(a, 0, drop, new byte[0], 0), left);
                    if (left == 0) {
                        k--; // the node is gone: the next one to visit now has the same k
                    }
                }
            }
            if (q.size() == 0) {
                db.unlink(key);
            }
        }
        removed.value = gone;
        if (gone > 0) {
            db.effects().listRemove(db.index(), key, count, value);
        }
        return Status.OK;
    }

    /** Positions of up to {@code limit} entries equal to {@code value}, walking from the head or the tail. */
    private static int[] matches(byte[] a, int base, byte[] value, boolean fromTail, long limit) {
        int[] found = new int[8];
        int n = 0;
        for (int p = fromTail ? Listpack.last(a, base) : Listpack.first(a, base); p >= 0 && n < limit;
             p = fromTail ? Listpack.prev(a, base, p) : Listpack.next(a, p)) {
            if (Listpack.matches(a, p, value, 0, value.length)) {
                if (n == found.length) {
                    found = Arrays.copyOf(found, n * 2);
                }
                found[n++] = p;
            }
        }
        return Arrays.copyOf(found, n);
    }

    /** The listpack without the entries at {@code drop}, behind {@code head[0, headLen)}. */
    private static byte[] without(byte[] a, int base, int[] drop, byte[] head, int headLen) {
        Arrays.sort(drop);
        Listpack.Builder b = new Listpack.Builder(Listpack.totalBytes(a, base));
        int d = 0;
        for (int p = Listpack.first(a, base); p >= 0; p = Listpack.next(a, p)) {
            if (d < drop.length && drop[d] == p) {
                d++;
            } else {
                b.addEntry(a, p);
            }
        }
        return b.build(head, headLen);
    }

    /**
     * Start-up load of a snapshot's list rows: the elements become the list at key, or are
     * appended to it when {@code continued}. Logs nothing.
     */
    public void load(byte[] key, byte[][] elements, long expireAtMs, boolean continued) {
        Object e = continued ? db.lookup(key) : null;
        if (e == null) {
            byte[] h = Entry.allocate(ValueType.LIST, key, 0, key.length, expireAtMs, 0, db.keyspace().access().initial());
            e = Listpack.empty(h, h.length);
            db.loadAbsent(e);
        }
        Object updated = e;
        int limit = sizeLimit();
        for (byte[] v : elements) {
            if (updated instanceof byte[] a) {
                int base = Entry.valueOffset(a);
                if (QuickList.fits(a, base, Listpack.size(a, base), v.length, limit, QuickList.NODE_MAX_ENTRIES)) {
                    updated = Listpack.append(a, base, v, 0, v.length);
                    continue;
                }
                updated = toQuickList(a);
            }
            pushLarge((QuickList) ((LargeValue) updated).data, false, v, limit);
        }
        if (updated != e) {
            db.store(updated, e);
        }
    }

    static long sizeOf(Object e) {
        if (e instanceof byte[] a) {
            return Listpack.size(a, Entry.valueOffset(a));
        }
        return ((QuickList) ((LargeValue) e).data).size();
    }

    /** A snapshot's walk over a list as it was when the snapshot of {@code epoch} started. */
    static ElementCursor elements(Object entry, int epoch) {
        if (entry instanceof byte[] a) {
            return new ListpackCursor(a, Entry.valueOffset(a));
        }
        byte[][] nodes = ((QuickList) ((LargeValue) entry).data).imageFor(epoch);
        return new ElementCursor() {
            private int node = -1;
            private ListpackCursor current;

            @Override
            public boolean next() {
                while (current == null || !current.next()) {
                    if (++node >= nodes.length) {
                        return false;
                    }
                    current = new ListpackCursor(nodes[node], 0);
                }
                return true;
            }

            @Override
            public byte[] array() {
                return current.array();
            }

            @Override
            public int offset() {
                return current.offset();
            }

            @Override
            public int length() {
                return current.length();
            }
        };
    }
}
