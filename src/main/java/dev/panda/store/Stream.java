package dev.panda.store;

import dev.panda.store.value.Listpack;
import dev.panda.store.value.StreamId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * A stream, laid out as Redis 7.0 lays it out ({@code t_stream.c}): entries packed in listpack
 * nodes, each keyed by its master id, with Redis's own node format, so a node is the bytes Redis
 * keeps and DUMP writes:
 *
 * <pre>
 * master: count | deleted | num-fields | field_1 … field_N | 0
 * entry:  flags | ms-diff | seq-diff | [num-fields | field_1 | value_1 … | value_N] | lp-count
 *         (with the SAMEFIELDS flag only the values follow the id)
 * </pre>
 *
 * Deleted entries stay in their node as tombstones (the DELETED flag) until the node empties, as
 * in Redis. Beside the nodes: the length, the first, last and largest deleted ids, the count of
 * entries ever added, and the consumer groups ({@link ConsumerGroup}).
 *
 * <p>A running snapshot keeps its view as {@link QuickList} does: the first change after it
 * starts installs an image (node references, counters, a copy of the groups), and a node it may
 * see is copied before it is written ({@link #writableNode}).
 *
 * <p>Store thread only, except {@link #imageFor} (the snapshot reader).
 */
public final class Stream {
    static final int FLAG_DELETED = 1;
    static final int FLAG_SAMEFIELDS = 2;
    /** Redis's STREAM_LISTPACK_MAX_PRE_ALLOCATE: a new node's room. */
    private static final int NODE_PREALLOCATE = 4096;
    /** Redis's STREAM_LISTPACK_MAX_SIZE. */
    static final long LISTPACK_MAX_SIZE = 1L << 30;
    private static final byte[] NO_HEAD = new byte[0];

    private final SnapshotEpoch epochs;
    byte[][] nodes = new byte[4][];
    StreamId[] masters = new StreamId[4];
    int nodeCount;
    /** Heap bytes of the node arrays (kept by {@link #setNode}). */
    long nodeBytes;
    long length;
    StreamId lastId = StreamId.MIN;
    StreamId firstId = StreamId.MIN;
    StreamId maxDeletedId = StreamId.MIN;
    long entriesAdded;
    /** Consumer groups by name, in Redis's order (bytes, unsigned); null while there are none. */
    TreeMap<byte[], ConsumerGroup> groups;

    private int imageEpoch;
    private Stream sharedImage;
    private int sharedEpoch;

    Stream(SnapshotEpoch epochs) {
        this.epochs = epochs;
    }

    public long length() {
        return length;
    }

    public StreamId lastId() {
        return lastId;
    }

    public StreamId firstId() {
        return firstId;
    }

    public StreamId maxDeletedId() {
        return maxDeletedId;
    }

    public long entriesAdded() {
        return entriesAdded;
    }

    /** Radix tree nodes in Redis's terms (XINFO STREAM's radix-tree-keys). */
    public int nodeCount() {
        return nodeCount;
    }

    /** The groups in name order (never null). */
    public java.util.Collection<ConsumerGroup> groups() {
        return groups == null ? List.of() : groups.values();
    }

    /** The groups with their names, in name order (never null). */
    public java.util.Set<java.util.Map.Entry<byte[], ConsumerGroup>> groupEntries() {
        return groups == null ? java.util.Set.of() : java.util.Collections.unmodifiableMap(groups).entrySet();
    }

    public ConsumerGroup group(byte[] name) {
        return groups == null ? null : groups.get(name);
    }

    public int groupCount() {
        return groups == null ? 0 : groups.size();
    }

    static TreeMap<byte[], ConsumerGroup> newGroupMap() {
        return new TreeMap<>(Arrays::compareUnsigned);
    }

    // ---- adding --------------------------------------------------------------------------------

    /**
     * Appends an entry with {@code id} (greater than {@link #lastId}, checked by the caller) and
     * {@code fv[from, to)} as field, value, … (Redis's streamAppendItem, node for node).
     */
    void append(StreamId id, byte[][] fv, int from, int to, int nodeMaxBytes, int nodeMaxEntries) {
        prepareWrite();
        int numFields = (to - from) / 2;
        long totalLength = 0;
        for (int i = from; i < to; i++) {
            totalLength += fv[i].length;
        }
        int tail = nodeCount - 1;
        boolean newNode = tail < 0;
        if (!newNode) {
            byte[] lp = nodes[tail];
            long maxBytes = nodeMaxBytes == 0 || nodeMaxBytes > LISTPACK_MAX_SIZE ? LISTPACK_MAX_SIZE : nodeMaxBytes;
            if (Listpack.totalBytes(lp, 0) + totalLength >= maxBytes) {
                newNode = true;
            } else if (nodeMaxEntries > 0) {
                int p = Listpack.first(lp, 0);
                long count = Listpack.integer(lp, p) + Listpack.integer(lp, Listpack.next(lp, p));
                newNode = count >= nodeMaxEntries;
            }
            if (newNode) {
                shrinkNode(tail);
            }
        }
        int flags = 0;
        StreamId master;
        int node;
        if (newNode) {
            int room = nodeMaxBytes > 0 && nodeMaxBytes < NODE_PREALLOCATE ? nodeMaxBytes : NODE_PREALLOCATE;
            byte[] lp = Listpack.empty(NO_HEAD, 0);
            lp = Listpack.copyWithRoom(lp, 0, room);
            lp = appendInteger(lp, 1);
            lp = appendInteger(lp, 0);
            lp = appendInteger(lp, numFields);
            for (int i = from; i < to; i += 2) {
                lp = appendString(lp, fv[i]);
            }
            lp = appendInteger(lp, 0);
            node = insertNode(nodeCount, id, lp);
            epochs.stored(lp);
            master = id;
            flags = FLAG_SAMEFIELDS;
        } else {
            node = tail;
            master = masters[node];
            byte[] lp = writableNode(node, 0);
            int p = Listpack.first(lp, 0);
            lp = setInteger(node, lp, p, Listpack.integer(lp, p) + 1);
            p = Listpack.next(lp, Listpack.first(lp, 0));
            p = Listpack.next(lp, p);
            long masterFields = Listpack.integer(lp, p);
            if (masterFields == numFields) {
                int i = 0;
                p = Listpack.next(lp, p);
                for (; i < numFields; i++) {
                    byte[] f = fv[from + 2 * i];
                    if (!Listpack.matches(lp, p, f, 0, f.length)) {
                        break;
                    }
                    p = Listpack.next(lp, p);
                }
                if (i == numFields) {
                    flags = FLAG_SAMEFIELDS;
                }
            }
        }
        byte[] lp = nodes[node];
        lp = appendInteger(lp, flags);
        lp = appendInteger(lp, id.ms() - master.ms());
        lp = appendInteger(lp, id.seq() - master.seq());
        boolean same = (flags & FLAG_SAMEFIELDS) != 0;
        if (!same) {
            lp = appendInteger(lp, numFields);
        }
        for (int i = from; i < to; i += 2) {
            if (!same) {
                lp = appendString(lp, fv[i]);
            }
            lp = appendString(lp, fv[i + 1]);
        }
        lp = appendInteger(lp, numFields + 3 + (same ? 0 : numFields + 1));
        if (lp != nodes[node]) {
            setNode(node, lp);
            epochs.stored(lp);
        }
        length++;
        entriesAdded++;
        lastId = id;
        if (length == 1) {
            firstId = id;
        }
    }

    /** Appends in place when the (owned, writable) array has room, else grows it. */
    private static byte[] appendInteger(byte[] lp, long v) {
        if (Listpack.appendIntegerInPlace(lp, 0, v)) {
            return lp;
        }
        byte[] grown = Listpack.copyWithRoom(lp, 0, Math.max(64, Listpack.totalBytes(lp, 0)));
        Listpack.appendIntegerInPlace(grown, 0, v);
        return grown;
    }

    private static byte[] appendString(byte[] lp, byte[] s) {
        int end = Listpack.end(lp, 0);
        if (Listpack.insertInPlace(lp, 0, end, s, 0, s.length)) {
            return lp;
        }
        byte[] grown = Listpack.copyWithRoom(lp, 0, Math.max(s.length + 16, Listpack.totalBytes(lp, 0)));
        Listpack.insertInPlace(grown, 0, end, s, 0, s.length);
        return grown;
    }

    /** Sets the integer at {@code p} of node {@code i} (already writable); returns the node's array. */
    private byte[] setInteger(int i, byte[] lp, int p, long v) {
        if (Listpack.replaceIntegerInPlace(lp, p, v)) {
            return lp;
        }
        byte[] out = Listpack.replaceInteger(lp, 0, p, v);
        int total = Listpack.totalBytes(out, 0);
        if (out.length == total) {
            out = Listpack.copyWithRoom(out, 0, Math.min(total, 512));
        }
        setNode(i, out);
        epochs.stored(out);
        return out;
    }

    private int insertNode(int at, StreamId master, byte[] lp) {
        if (nodeCount == nodes.length) {
            nodes = Arrays.copyOf(nodes, nodeCount * 2);
            masters = Arrays.copyOf(masters, nodeCount * 2);
        }
        System.arraycopy(nodes, at, nodes, at + 1, nodeCount - at);
        System.arraycopy(masters, at, masters, at + 1, nodeCount - at);
        nodes[at] = null;
        setNode(at, lp);
        masters[at] = master;
        nodeCount++;
        return at;
    }

    private void removeNode(int at) {
        setNode(at, null);
        System.arraycopy(nodes, at + 1, nodes, at, nodeCount - at - 1);
        System.arraycopy(masters, at + 1, masters, at, nodeCount - at - 1);
        nodeCount--;
        nodes[nodeCount] = null;
        masters[nodeCount] = null;
        if (nodes.length > 16 && nodeCount < nodes.length / 4) {
            nodes = Arrays.copyOf(nodes, nodes.length / 2);
            masters = Arrays.copyOf(masters, masters.length / 2);
        }
    }

    /** Node {@code i}, ready to be changed in place with {@code extra} more bytes. */
    private byte[] writableNode(int i, int extra) {
        byte[] node = nodes[i];
        int total = Listpack.totalBytes(node, 0);
        if (epochs.mayWriteInPlace(node) && node.length - total >= extra) {
            return node;
        }
        byte[] copy = Listpack.copyWithRoom(node, 0, Math.max(extra, i == nodeCount - 1 ? Math.min(total, 512) : 0));
        setNode(i, copy);
        epochs.stored(copy);
        return copy;
    }

    /** Gives back a node's spare room (Redis's lpShrinkToFit when a node is closed). */
    private void shrinkNode(int i) {
        byte[] node = nodes[i];
        int total = Listpack.totalBytes(node, 0);
        if (node.length > total) {
            byte[] exact = Arrays.copyOf(node, total);
            setNode(i, exact);
            epochs.stored(exact);
        }
    }

    /** Puts {@code lp} (or null) in node slot {@code i}, keeping {@link #nodeBytes}. */
    void setNode(int i, byte[] lp) {
        byte[] old = nodes[i];
        nodeBytes += (lp == null ? 0 : HeapSizes.bytes(lp.length)) - (old == null ? 0 : HeapSizes.bytes(old.length));
        nodes[i] = lp;
    }

    /**
     * Heap bytes of the stream, O(groups): its nodes, and per pending entry about what its
     * object and its place in the group's and the consumer's trees cost.
     */
    long heapBytes() {
        long bytes = 80 + 2 * HeapSizes.refs(nodes.length) + nodeCount * 32L + nodeBytes;
        if (groups != null) {
            for (ConsumerGroup g : groups.values()) {
                bytes += 120 + g.pel.size() * 200L + g.consumers.size() * 160L;
            }
        }
        return bytes;
    }

    // ---- reading -------------------------------------------------------------------------------

    /** One entry as a reader sees it: its id and field, value, field, value…. */
    public record Entry(StreamId id, byte[][] fieldsValues) {
    }

    /**
     * Entries with ids in {@code [start, end]}, ascending (or descending with {@code rev}), at
     * most {@code count} of them (0: all); tombstones are skipped.
     */
    public List<Entry> range(StreamId start, StreamId end, boolean rev, long count) {
        List<Entry> out = new ArrayList<>();
        if (start.compareTo(end) > 0) {
            return out;
        }
        if (!rev) {
            int n = start.isZero() ? 0 : Math.max(0, floorNode(start));
            for (; n < nodeCount; n++) {
                if (masters[n].compareTo(end) > 0) {
                    break;
                }
                if (!readNode(n, start, end, false, count, out)) {
                    break;
                }
            }
        } else {
            int n = floorNode(end);
            if (n < 0) {
                return out;
            }
            for (; n >= 0; n--) {
                if (!readNode(n, start, end, true, count, out)) {
                    break;
                }
            }
        }
        return out;
    }

    /** The entry with {@code id}, or null when there is none (or it was deleted). */
    public Entry get(StreamId id) {
        List<Entry> one = range(id, id, false, 1);
        return one.isEmpty() ? null : one.get(0);
    }

    /** The last node whose master id is at or before {@code id}, or -1. */
    private int floorNode(StreamId id) {
        int lo = 0;
        int hi = nodeCount - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (masters[mid].compareTo(id) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /**
     * Adds node {@code n}'s live entries within the range to {@code out} in the given direction;
     * false when the caller should stop (count reached, or past the range).
     */
    private boolean readNode(int n, StreamId start, StreamId end, boolean rev, long count, List<Entry> out) {
        byte[] lp = nodes[n];
        StreamId master = masters[n];
        NodeWalker w = new NodeWalker(lp, master);
        if (rev) {
            for (int p = lastEntryFlags(lp); p >= 0; p = previousEntryFlags(lp, p)) {
                w.at(p);
                int c = w.id.compareTo(end);
                if (c > 0 || (w.flags & FLAG_DELETED) != 0) {
                    continue;
                }
                if (w.id.compareTo(start) < 0) {
                    return false;
                }
                out.add(new Entry(w.id, w.fieldsValues()));
                if (count > 0 && out.size() >= count) {
                    return false;
                }
            }
            return true;
        }
        while (w.next()) {
            if ((w.flags & FLAG_DELETED) != 0 || w.id.compareTo(start) < 0) {
                continue;
            }
            if (w.id.compareTo(end) > 0) {
                return false;
            }
            out.add(new Entry(w.id, w.fieldsValues()));
            if (count > 0 && out.size() >= count) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where the last entry of a node starts (its flags), or -1 when it has none: from the end,
     * its lp-count says how many elements back the entry starts, as Redis walks a node backwards.
     */
    static int lastEntryFlags(byte[] lp) {
        return entryBefore(lp, Listpack.last(lp, 0));
    }

    /** Where the entry before the one whose flags are at {@code flagsAt} starts, or -1 (the master entry). */
    static int previousEntryFlags(byte[] lp, int flagsAt) {
        return entryBefore(lp, Listpack.prev(lp, 0, flagsAt));
    }

    private static int entryBefore(byte[] lp, int lpCountAt) {
        long count = Listpack.integer(lp, lpCountAt);
        if (count == 0) {
            return -1; // the master entry's terminator
        }
        int p = lpCountAt;
        for (long i = 0; i < count; i++) {
            p = Listpack.prev(lp, 0, p);
        }
        return p;
    }

    /** Walks a node's entries (tombstones included) front to back. */
    static final class NodeWalker {
        final byte[] lp;
        final StreamId master;
        final int masterFields;
        final int masterFieldsAt;
        private int cursor;
        int flagsAt;
        int flags;
        StreamId id;
        int numFields;
        /** Position of the first field (or value, with SAMEFIELDS) of the current entry. */
        int dataAt;

        NodeWalker(byte[] lp, StreamId master) {
            this.lp = lp;
            this.master = master;
            int p = Listpack.first(lp, 0);
            p = Listpack.next(lp, p);
            p = Listpack.next(lp, p);
            masterFields = (int) Listpack.integer(lp, p);
            p = Listpack.next(lp, p);
            masterFieldsAt = p;
            for (int i = 0; i < masterFields; i++) {
                p = Listpack.next(lp, p);
            }
            cursor = p; // the master terminator
        }

        /** Moves to the next entry; false at the node's end. */
        boolean next() {
            int p = Listpack.next(lp, cursor);
            if (p < 0) {
                return false;
            }
            at(p);
            int skip = (flags & FLAG_SAMEFIELDS) != 0 ? numFields : 2 * numFields;
            int q = dataAt;
            for (int i = 0; i < skip; i++) {
                q = Listpack.next(lp, q);
            }
            cursor = q; // the lp-count
            return true;
        }

        /** Reads the entry whose flags are at {@code p}. */
        void at(int p) {
            flagsAt = p;
            flags = (int) Listpack.integer(lp, p);
            p = Listpack.next(lp, p);
            long ms = master.ms() + Listpack.integer(lp, p);
            p = Listpack.next(lp, p);
            long seq = master.seq() + Listpack.integer(lp, p);
            p = Listpack.next(lp, p);
            id = new StreamId(ms, seq);
            if ((flags & FLAG_SAMEFIELDS) != 0) {
                numFields = masterFields;
            } else {
                numFields = (int) Listpack.integer(lp, p);
                p = Listpack.next(lp, p);
            }
            dataAt = p;
        }

        byte[][] fieldsValues() {
            byte[][] out = new byte[2 * numFields][];
            int p = dataAt;
            int f = masterFieldsAt;
            for (int i = 0; i < numFields; i++) {
                if ((flags & FLAG_SAMEFIELDS) != 0) {
                    out[2 * i] = Listpack.bytes(lp, f);
                    f = Listpack.next(lp, f);
                } else {
                    out[2 * i] = Listpack.bytes(lp, p);
                    p = Listpack.next(lp, p);
                }
                out[2 * i + 1] = Listpack.bytes(lp, p);
                p = Listpack.next(lp, p);
            }
            return out;
        }
    }

    // ---- consumer-group counters ----------------------------------------------------------------

    /** streamRangeHasTombstones from {@code start} to the end: whether a deleted entry may lie there. */
    public boolean hasTombstonesFrom(StreamId start) {
        if (length == 0 || maxDeletedId.isZero() || firstId.compareTo(maxDeletedId) > 0) {
            return false;
        }
        return start.compareTo(maxDeletedId) <= 0;
    }

    /**
     * streamEstimateDistanceFromFirstEverEntry: how many entries were added up to {@code id}, or
     * {@link ConsumerGroup#INVALID_ENTRIES_READ} when deletions make it unknowable.
     */
    public long estimateEntriesRead(StreamId id) {
        if (entriesAdded == 0) {
            return 0;
        }
        if (length == 0 && id.compareTo(lastId) < 1) {
            return entriesAdded;
        }
        int cmpLast = id.compareTo(lastId);
        if (cmpLast == 0) {
            return entriesAdded;
        } else if (cmpLast > 0) {
            return ConsumerGroup.INVALID_ENTRIES_READ;
        }
        int cmpFirst = id.compareTo(firstId);
        if (maxDeletedId.isZero() || maxDeletedId.compareTo(firstId) < 0) {
            if (cmpFirst < 0) {
                return entriesAdded - length;
            } else if (cmpFirst == 0) {
                return entriesAdded - length + 1;
            }
        }
        return ConsumerGroup.INVALID_ENTRIES_READ;
    }

    /** streamReplyWithCGLag: the entries the group has yet to read, or null when that cannot be known. */
    public Long lag(ConsumerGroup g) {
        if (entriesAdded == 0) {
            return 0L;
        }
        if (g.entriesRead != ConsumerGroup.INVALID_ENTRIES_READ && !hasTombstonesFrom(g.lastId)) {
            return entriesAdded - g.entriesRead;
        }
        long read = estimateEntriesRead(g.lastId);
        return read == ConsumerGroup.INVALID_ENTRIES_READ ? null : entriesAdded - read;
    }

    // ---- deleting ------------------------------------------------------------------------------

    /** XDEL of one id: marks the live entry deleted; false when there is none. */
    boolean delete(StreamId id) {
        int n = floorNode(id);
        if (n < 0) {
            return false;
        }
        NodeWalker w = new NodeWalker(nodes[n], masters[n]);
        while (w.next()) {
            int c = w.id.compareTo(id);
            if (c > 0) {
                return false;
            }
            if (c == 0) {
                if ((w.flags & FLAG_DELETED) != 0) {
                    return false;
                }
                prepareWrite();
                markDeleted(n, w.flagsAt, w.flags, 1);
                length--;
                return true;
            }
        }
        return false;
    }

    /**
     * Flags the entry at {@code flagsAt} of node {@code n} deleted and moves {@code k} from the
     * node's live count to its deleted count; a node left with no live entry is removed.
     */
    private void markDeleted(int n, int flagsAt, int flags, int k) {
        byte[] lp = writableNode(n, 0);
        int p = Listpack.first(lp, 0);
        long live = Listpack.integer(lp, p);
        if (live == k) {
            removeNode(n);
            return;
        }
        if (flagsAt >= 0) {
            Listpack.replaceIntegerInPlace(lp, flagsAt, flags | FLAG_DELETED); // flags stay one byte
        }
        lp = setInteger(n, lp, p, live - k);
        p = Listpack.next(lp, Listpack.first(lp, 0));
        setInteger(n, lp, p, Listpack.integer(lp, p) + k);
    }

    /** After deletions: the first live id, as Redis's streamGetEdgeID skipping tombstones. */
    void refreshFirstId() {
        if (length == 0) {
            firstId = StreamId.MIN;
            return;
        }
        List<Entry> first = range(StreamId.MIN, StreamId.MAX, false, 1);
        firstId = first.isEmpty() ? StreamId.MIN : first.get(0).id();
    }

    /** The last live id (streamLastValidID: XREAD's and XSETID's checks), or 0-0 when empty. */
    public StreamId lastLiveId() {
        for (int n = nodeCount - 1; n >= 0; n--) {
            byte[] lp = nodes[n];
            NodeWalker w = new NodeWalker(lp, masters[n]);
            for (int p = lastEntryFlags(lp); p >= 0; p = previousEntryFlags(lp, p)) {
                w.at(p);
                if ((w.flags & FLAG_DELETED) == 0) {
                    return w.id;
                }
            }
        }
        return StreamId.MIN;
    }

    /**
     * Redis's streamTrim: MAXLEN ({@code maxLen >= 0}) or MINID ({@code minId}) trimming from the
     * head, whole nodes only when {@code approx}, at most {@code limit} entries (0: no limit).
     * Returns how many entries went.
     */
    long trim(long maxLen, StreamId minId, boolean approx, long limit) {
        boolean byLength = maxLen >= 0;
        long deleted = 0;
        boolean prepared = false;
        while (nodeCount > 0) {
            if (byLength && length <= maxLen) {
                break;
            }
            byte[] lp = nodes[0];
            int p = Listpack.first(lp, 0);
            long entries = Listpack.integer(lp, p);
            if (limit > 0 && deleted + entries > limit) {
                break;
            }
            boolean removeNode;
            if (byLength) {
                removeNode = length - entries >= maxLen;
            } else {
                removeNode = lastIdOfNode(0).compareTo(minId) < 0;
            }
            if (!prepared) {
                prepareWrite();
                prepared = true;
            }
            if (removeNode) {
                removeNode(0);
                length -= entries;
                deleted += entries;
                continue;
            }
            if (approx) {
                break;
            }
            NodeWalker w = new NodeWalker(lp, masters[0]);
            int marked = 0;
            List<int[]> toMark = new ArrayList<>();
            while (w.next()) {
                boolean stop = byLength ? length - marked <= maxLen : w.id.compareTo(minId) >= 0;
                if (stop) {
                    break;
                }
                if ((w.flags & FLAG_DELETED) == 0) {
                    toMark.add(new int[] {w.flagsAt, w.flags});
                    marked++;
                }
            }
            if (marked > 0) {
                byte[] writable = writableNode(0, 0);
                for (int[] m : toMark) {
                    Listpack.replaceIntegerInPlace(writable, m[0], m[1] | FLAG_DELETED);
                }
                int q = Listpack.first(writable, 0);
                writable = setInteger(0, writable, q, entries - marked);
                q = Listpack.next(writable, Listpack.first(writable, 0));
                setInteger(0, writable, q, Listpack.integer(writable, q) + marked);
                length -= marked;
                deleted += marked;
            }
            break;
        }
        if (length == 0) {
            firstId = StreamId.MIN;
        } else if (deleted > 0) {
            refreshFirstId();
        }
        return deleted;
    }

    /** The id of node {@code n}'s last entry, tombstone or not (lpGetEdgeStreamID). */
    private StreamId lastIdOfNode(int n) {
        NodeWalker w = new NodeWalker(nodes[n], masters[n]);
        StreamId last = masters[n];
        while (w.next()) {
            last = w.id;
        }
        return last;
    }

    /** The first id of the stream, tombstones included (XTRIM/XADD's rewritten MINID). */
    StreamId firstIdWithTombstones() {
        if (nodeCount == 0) {
            return StreamId.MIN;
        }
        NodeWalker w = new NodeWalker(nodes[0], masters[0]);
        return w.next() ? w.id : StreamId.MIN;
    }

    // ---- copies and snapshots ----------------------------------------------------------------------

    /** A deep copy (COPY): nodes are changed in place, so each is copied; groups too. */
    Stream copy() {
        Stream c = shallowCopy(epochs);
        for (int i = 0; i < c.nodeCount; i++) {
            c.nodes[i] = Arrays.copyOf(nodes[i], Listpack.totalBytes(nodes[i], 0));
            c.nodeBytes += HeapSizes.bytes(c.nodes[i].length) - HeapSizes.bytes(nodes[i].length);
        }
        return c;
    }

    private Stream shallowCopy(SnapshotEpoch e) {
        Stream c = new Stream(e);
        c.nodes = Arrays.copyOf(nodes, Math.max(4, nodeCount));
        c.masters = Arrays.copyOf(masters, Math.max(4, nodeCount));
        c.nodeCount = nodeCount;
        c.nodeBytes = nodeBytes;
        c.length = length;
        c.lastId = lastId;
        c.firstId = firstId;
        c.maxDeletedId = maxDeletedId;
        c.entriesAdded = entriesAdded;
        if (groups != null) {
            c.groups = newGroupMap();
            for (var g : groups.entrySet()) {
                c.groups.put(g.getKey(), g.getValue().copy());
            }
        }
        return c;
    }

    /** Before every change (store thread): keeps the running snapshot's view. */
    void prepareWrite() {
        int active = epochs.active();
        if (active == imageEpoch) {
            return;
        }
        imageEpoch = active;
        synchronized (this) {
            if (active == 0) {
                sharedImage = null;
                sharedEpoch = 0;
            } else if (sharedEpoch != active) {
                sharedImage = shallowCopy(epochs);
                sharedEpoch = active;
            }
        }
    }

    /**
     * The stream as it was when the snapshot of {@code epoch} started: the owner's image if it
     * changed the stream since, else one taken now under the lock the owner's first change
     * needs, so it cannot be torn.
     */
    Stream imageFor(int epoch) {
        synchronized (this) {
            if (sharedEpoch != epoch) {
                sharedImage = shallowCopy(epochs);
                sharedEpoch = epoch;
            }
            return sharedImage;
        }
    }
}
