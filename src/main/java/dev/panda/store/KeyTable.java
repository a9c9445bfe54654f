package dev.panda.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Open-addressing hash table of entries that carry their own key, with linear probing and
 * backward-shift deletion (no tombstones). It holds the keyspace (entries as {@link Entry}
 * describes them, or {@link LargeValue}s) and the elements of large hashes and sets (arrays that
 * start with the element's length as a varint, then its bytes, then, for a hash, the value).
 *
 * <p>One array of slots and no node objects: a slot costs one reference, and the key is read
 * from the entry itself ({@code keyPrefix} bytes into its array), so a string key is a single
 * object. Hashes are recomputed when needed rather than stored.
 *
 * <p>{@link #scan} keeps Redis's SCAN guarantee: the cursor walks <em>home buckets</em>
 * ({@code hash & mask}) in reverse-binary order, exactly as Redis's dict does, and with linear
 * probing every entry whose home is bucket {@code b} sits in the run of occupied slots that
 * starts at {@code b}. So an entry present for the whole iteration is returned at least once,
 * even when the table grows or shrinks between calls.
 *
 * <p>Snapshots read a table from another thread through a {@link TableImage}: every write below
 * first lets the image keep the page it changes. The keyspace's tables are imaged when the
 * snapshot starts ({@link #freeze}); a collection's table is imaged lazily, by whichever comes
 * first, its owner's first change after the snapshot started ({@link #prepareWrite}) or the
 * snapshot reaching it ({@link #imageFor}), so unchanged collections cost the snapshot nothing.
 *
 * <p>Store thread only, except {@link #imageFor} (the snapshot reader).
 */
public final class KeyTable {
    private static final int MIN_CAPACITY = 4;
    private static final VarHandle SHARED_IMAGE;

    static {
        try {
            SHARED_IMAGE = MethodHandles.lookup().findVarHandle(KeyTable.class, "sharedImage", TableImage.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Bytes of an entry's array before its key length: {@link Entry#META} in the keyspace, 0 in collections. */
    private final int keyPrefix;
    /** The snapshot clock a collection's table images itself by; null for the keyspace's own tables. */
    private final SnapshotEpoch epochs;
    private Object[] slots;
    private int mask;
    private int size;
    /** Heap bytes of the entries held ({@link HeapSizes#entry}); the slots array is added on demand. */
    private long entryBytes;
    /** The image a running snapshot reads, whose pages are copied before they change; or null. */
    private TableImage image;
    /** The epoch {@link #image} was prepared for (collections). */
    private int imageEpoch;
    /** A collection's image as installed by either thread for the current epoch (CAS). */
    @SuppressWarnings("unused")
    private volatile TableImage sharedImage;

    /** A keyspace table. */
    KeyTable() {
        this(Entry.META, null, 16);
    }

    /** A collection's table; {@code expected} elements fit without growing. */
    KeyTable(SnapshotEpoch epochs, int expected) {
        this(0, epochs, capacityFor(expected));
    }

    private KeyTable(int keyPrefix, SnapshotEpoch epochs, int capacity) {
        this.keyPrefix = keyPrefix;
        this.epochs = epochs;
        // A collection born while a snapshot runs is not in that snapshot: it never needs an image for it.
        this.imageEpoch = epochs == null ? 0 : epochs.active();
        allocate(capacity);
    }

    private void allocate(int capacity) {
        image = null; // the imaged array is never written again: the image needs no more copies
        slots = new Object[capacity];
        mask = capacity - 1;
    }

    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** Murmur3-style hash of bytes (four at a time); never used as a persisted value. */
    public static int hash(byte[] key, int off, int len) {
        int h = 0x9747b28c ^ len;
        int i = off;
        int end = off + len;
        for (; i + 3 < end; i += 4) {
            int k = (int) INT_LE.get(key, i);
            k *= 0xcc9e2d51;
            k = Integer.rotateLeft(k, 15);
            k *= 0x1b873593;
            h ^= k;
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        for (; i < end; i++) {
            h ^= (key[i] & 0xff) * 0xcc9e2d51;
            h = Integer.rotateLeft(h, 15) * 0x1b873593;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    public static int hash(byte[] key) {
        return hash(key, 0, key.length);
    }

    private static byte[] arrayOf(Object entry) {
        return entry instanceof byte[] b ? b : ((LargeValue) entry).head;
    }

    private int hashOf(Object entry) {
        byte[] a = arrayOf(entry);
        int len = Entry.readVarint(a, keyPrefix);
        return hash(a, keyPrefix + Entry.varintLength(len), len);
    }

    private boolean matches(Object entry, byte[] key, int off, int len) {
        byte[] a = arrayOf(entry);
        if (Entry.readVarint(a, keyPrefix) != len) {
            return false;
        }
        int p = keyPrefix + Entry.varintLength(len);
        return Arrays.equals(a, p, p + len, key, off, off + len);
    }

    private int home(int slot) {
        return hashOf(slots[slot]) & mask;
    }

    /** The slot holding the key, or {@code -1 - slot} of the free slot that ends its probe run. */
    private int slotOf(byte[] key, int off, int len, int h) {
        int i = h & mask;
        Object e;
        while ((e = slots[i]) != null) {
            if (matches(e, key, off, len)) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1 - i;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return mask + 1;
    }

    /**
     * Heap bytes of the table and its entries (a large value's structure excluded: it is counted
     * by its own owner). O(1).
     */
    public long entryBytes() {
        return entryBytes;
    }

    public long heapBytes() {
        return 40 + HeapSizes.refs(slots.length) + entryBytes;
    }

    /** The entry whose key is {@code key}, or null. */
    public Object get(byte[] key) {
        return get(key, 0, key.length);
    }

    public Object get(byte[] key, int off, int len) {
        int slot = slotOf(key, off, len, hash(key, off, len));
        return slot >= 0 ? slots[slot] : null;
    }

    /** Stores the entry (replacing the one with the same key) and returns the one replaced, or null. */
    public Object put(Object entry) {
        byte[] a = arrayOf(entry);
        int len = Entry.readVarint(a, keyPrefix);
        int off = keyPrefix + Entry.varintLength(len);
        int h = hash(a, off, len);
        int slot = slotOf(a, off, len, h);
        if (slot >= 0) {
            Object old = slots[slot];
            beforeWrite(slot);
            slots[slot] = entry;
            entryBytes += HeapSizes.entry(entry) - HeapSizes.entry(old);
            return old;
        }
        if ((size + 1) * 4L > (mask + 1) * 3L) {
            resize((mask + 1) * 2);
            slot = slotOf(a, off, len, h);
        }
        int free = -1 - slot;
        beforeWrite(free);
        slots[free] = entry;
        size++;
        entryBytes += HeapSizes.entry(entry);
        return null;
    }

    /**
     * Stores an entry whose key the caller knows is absent, without looking for it: a snapshot
     * being loaded holds each key once, and skipping the comparisons along the probe run (each
     * a cache miss on another key) is most of the cost of a load. Wrong on a present key (it
     * would then be stored twice), so only loaders call it.
     */
    public void insertAbsent(Object entry) {
        if ((size + 1) * 4L > (mask + 1) * 3L) {
            resize((mask + 1) * 2);
        }
        int i = hashOf(entry) & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        beforeWrite(i);
        slots[i] = entry;
        size++;
        entryBytes += HeapSizes.entry(entry);
    }

    /** Grows the table at once to hold {@code expected} entries (a load that knows its size). */
    public void reserve(int expected) {
        int capacity = capacityFor(expected);
        if (capacity > mask + 1) {
            resize(capacity);
        }
    }

    /** Shrinks the table to the capacity its size calls for, after a {@link #reserve} that overshot. */
    public void fitToSize() {
        int capacity = capacityFor(size);
        if (capacity < mask + 1 && capacity >= minCapacity()) {
            resize(capacity);
        }
    }

    private int minCapacity() {
        return epochs == null ? 16 : MIN_CAPACITY;
    }

    /** The capacity that growth would have reached for {@code entries}: a power of two, at most 3/4 full. */
    private static int capacityFor(int entries) {
        long needed = Math.max(MIN_CAPACITY, (entries * 4L + 2) / 3);
        return (int) Math.min(1 << 30, Long.highestOneBit(needed - 1) << 1);
    }

    /** Removes the entry with this key and returns it, or null when absent. */
    public Object remove(byte[] key) {
        return remove(key, 0, key.length);
    }

    public Object remove(byte[] key, int off, int len) {
        int slot = slotOf(key, off, len, hash(key, off, len));
        if (slot < 0) {
            return null;
        }
        Object old = slots[slot];
        deleteSlot(slot);
        size--;
        entryBytes -= HeapSizes.entry(old);
        if (mask + 1 > minCapacity() && size * 8L < mask + 1) {
            resize((mask + 1) / 2);
        }
        return old;
    }

    /** Backward-shift deletion: later entries of the probe run move up so lookups never stop early. */
    private void deleteSlot(int hole) {
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            if (slots[i] == null) {
                break;
            }
            int home = home(i);
            // The entry at i may move into the hole only if its home is not in (hole, i].
            boolean homeBetween = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
            if (!homeBetween) {
                beforeWrite(hole);
                slots[hole] = slots[i];
                hole = i;
            }
        }
        beforeWrite(hole);
        slots[hole] = null;
    }

    private void beforeWrite(int slot) {
        if (image != null) {
            image.beforeWrite(slot);
        }
    }

    private void resize(int capacity) {
        Object[] old = slots;
        allocate(capacity);
        for (Object e : old) {
            if (e != null) {
                int i = hashOf(e) & mask;
                while (slots[i] != null) {
                    i = (i + 1) & mask;
                }
                slots[i] = e;
            }
        }
    }

    /** A table with the same entries (entries are immutable, so they are shared): COPY of a collection. */
    KeyTable copy() {
        KeyTable c = new KeyTable(keyPrefix, epochs, slots.length);
        System.arraycopy(slots, 0, c.slots, 0, slots.length);
        c.size = size;
        c.entryBytes = entryBytes;
        return c;
    }

    // ---- snapshots -----------------------------------------------------------------------------

    /**
     * Takes a point-in-time image of the entries for another thread to read while this table
     * goes on changing (see {@link TableImage}); {@link #release} it when that reader is done.
     * One image at a time. For the keyspace's own tables.
     */
    TableImage freeze() {
        image = new TableImage(slots, size, 0);
        return image;
    }

    /** The reader of {@code released} is done: writes stop keeping pages for it. */
    void release(TableImage released) {
        if (image == released) {
            image = null;
        }
    }

    /**
     * A collection's table is about to change (store thread, before every change): on the first
     * change since a snapshot started, an image of the table as it is (the snapshot's view)
     * is installed unless the snapshot already took one, so the writes that follow copy the
     * pages they touch first; once the snapshot is over, the image is dropped.
     */
    void prepareWrite() {
        int active = epochs.active();
        if (active == imageEpoch) {
            return;
        }
        imageEpoch = active;
        image = null;
        if (active == 0) {
            sharedImage = null;
            return;
        }
        TableImage current = sharedImage;
        if (current == null || current.epoch != active) {
            TableImage mine = new TableImage(slots, size, active);
            current = SHARED_IMAGE.compareAndSet(this, current, mine) ? mine : sharedImage;
        }
        image = current;
    }

    /**
     * Snapshot reader: the image of this collection's table as it was when the snapshot of
     * {@code epoch} started. If the owner has not changed the table since then, it has not made
     * an image either, and the live slots are that state; the image is installed with a CAS, so
     * should the owner change the table meanwhile, one of the two images wins and both use it.
     */
    TableImage imageFor(int epoch) {
        TableImage current = sharedImage;
        if (current != null && current.epoch == epoch) {
            return current;
        }
        // Read after the volatile read above: if the owner installed an image in between, these
        // slots may already be changed, but then the CAS below fails and the owner's image is used.
        TableImage mine = new TableImage(slots, size, epoch);
        return SHARED_IMAGE.compareAndSet(this, current, mine) ? mine : sharedImage;
    }

    // ---- statistics ----------------------------------------------------------------------------

    /** Longest chain Redis's dictGetStats counts by itself; longer ones share the last place. */
    public static final int STATS_VECTOR = 50;

    /**
     * The figures of Redis's {@code dictGetStats} for this table (DEBUG HTSTATS). Redis chains
     * the keys of a bucket; here a bucket's "chain" is the entries whose home slot it is,
     * which linear probing keeps in the run of slots from there.
     *
     * @param capacity      slots (Redis's table size)
     * @param size          entries
     * @param homes         slots that are the home of at least one entry (Redis's "different slots")
     * @param maxChain      most entries sharing a home slot
     * @param chains        {@code chains[n]}: home slots of n entries (n &lt; {@link #STATS_VECTOR} - 1; the last place for more)
     * @param maxProbe      farthest an entry sits from its home slot: the longest lookup walk
     */
    public record Stats(int capacity, int size, int homes, int maxChain, long[] chains, int maxProbe) {
    }

    /** This table's {@link Stats}: one pass over the slots. */
    public Stats stats() {
        int capacity = mask + 1;
        int[] perHome = new int[capacity];
        int maxProbe = 0;
        for (int i = 0; i < capacity; i++) {
            if (slots[i] != null) {
                int home = home(i);
                perHome[home]++;
                maxProbe = Math.max(maxProbe, (i - home) & mask);
            }
        }
        long[] chains = new long[STATS_VECTOR];
        int homes = 0;
        int maxChain = 0;
        for (int n : perHome) {
            chains[Math.min(n, STATS_VECTOR - 1)]++;
            if (n > 0) {
                homes++;
                maxChain = Math.max(maxChain, n);
            }
        }
        return new Stats(capacity, size, homes, maxChain, chains, maxProbe);
    }

    // ---- iteration -----------------------------------------------------------------------------

    /** Visits every entry. The visitor must not modify the table. */
    public void forEach(Consumer<Object> visitor) {
        for (Object e : slots) {
            if (e != null) {
                visitor.accept(e);
            }
        }
    }

    /**
     * Emits the entries of one or more home buckets starting at {@code cursor} until at least
     * {@code count} entries were emitted or {@code 10 * count} buckets were visited, and returns
     * the next cursor (0 when the iteration is complete). The visitor must not modify the table.
     */
    public long scan(long cursor, int count, Consumer<Object> visitor) {
        long v = cursor;
        int emitted = 0;
        long bucketsLeft = Math.max(10L * count, 10);
        final long m = mask;
        do {
            int home = (int) (v & m);
            for (int i = home; slots[i] != null; i = (i + 1) & mask) {
                if (home(i) == home) {
                    visitor.accept(slots[i]);
                    emitted++;
                }
            }
            v |= ~m;
            v = Long.reverse(v);
            v++;
            v = Long.reverse(v);
        } while (v != 0 && emitted < count && --bucketsLeft > 0);
        return v;
    }

    /** An entry chosen uniformly by slot, or null when empty. */
    /**
     * Up to {@code count} entries from consecutive slots after a random one (Redis's
     * dictGetSomeKeys: one random jump, then a sequential walk, at most {@code 10 * count} slots);
     * returns how many were put in {@code out}.
     */
    int sample(RandomGenerator random, Object[] out, int count) {
        if (size == 0) {
            return 0;
        }
        int i = random.nextInt(mask + 1);
        int n = 0;
        for (int steps = 10 * count; n < count && steps > 0; steps--) {
            Object e = slots[i];
            if (e != null) {
                out[n++] = e;
            }
            i = (i + 1) & mask;
        }
        return n;
    }

    public Object randomEntry(RandomGenerator random) {
        if (size == 0) {
            return null;
        }
        while (true) {
            Object e = slots[random.nextInt(mask + 1)];
            if (e != null) {
                return e;
            }
        }
    }
}
