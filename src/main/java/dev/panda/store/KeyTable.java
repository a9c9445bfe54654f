package dev.panda.store;

import java.util.function.BiConsumer;

/**
 * Open-addressing hash table from binary keys to values, with linear probing and
 * backward-shift deletion (no tombstones).
 *
 * <p>Parallel arrays (key, value, last access) instead of one node object per entry keep the
 * per-key overhead at 12 bytes per slot (hashes are recomputed when needed rather than stored), which is what lets Panda's memory per key stay close to Redis's.
 *
 * <p>{@link #scan} keeps Redis's SCAN guarantee: the cursor walks <em>home buckets</em>
 * ({@code hash & mask}) in reverse-binary order, exactly as Redis's dict does, and with linear
 * probing every entry whose home is bucket {@code b} sits in the run of occupied slots that
 * starts at {@code b}. So a key present for the whole iteration is returned at least once,
 * even when the table grows or shrinks between calls.
 *
 * <p>A snapshot reads a table from another thread through a {@link TableImage} ({@link #freeze}):
 * every write below first lets the image keep the page it changes.
 *
 * <p>Not thread-safe: confined to one thread, the store thread (or a snapshot reader, for the
 * private table {@link TableImage#toTable} makes).
 */
public final class KeyTable {
    private static final int MIN_CAPACITY = 16;

    private byte[][] keys;
    private Object[] values;
    /** Last access per entry in {@link Keyspace#accessClock} units (seconds), for OBJECT IDLETIME. */
    private int[] access;
    private int mask;
    private int size;
    /** The image a running snapshot reads, whose pages are copied before they change; or null. */
    private TableImage image;

    public KeyTable() {
        allocate(MIN_CAPACITY);
    }

    /** A table over existing slots (an image's copy): same capacity, so the same homes. */
    KeyTable(byte[][] keys, Object[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.access = new int[keys.length];
        this.mask = keys.length - 1;
        this.size = size;
    }

    private void allocate(int capacity) {
        image = null; // the imaged arrays are never written again: the image needs no more copies
        keys = new byte[capacity][];
        values = new Object[capacity];
        access = new int[capacity];
        mask = capacity - 1;
    }

    private static final java.lang.invoke.VarHandle INT_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** Murmur3-style hash of the key bytes (four at a time); never used as a persisted value. */
    public static int hash(byte[] key) {
        int h = 0x9747b28c ^ key.length;
        int i = 0;
        for (; i + 3 < key.length; i += 4) {
            int k = (int) INT_LE.get(key, i);
            k *= 0xcc9e2d51;
            k = Integer.rotateLeft(k, 15);
            k *= 0x1b873593;
            h ^= k;
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        for (; i < key.length; i++) {
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

    private static boolean sameKey(byte[] a, byte[] b) {
        return a == b || java.util.Arrays.equals(a, b);
    }

    private int home(int slot) {
        return hash(keys[slot]) & mask;
    }

    private int slotOf(byte[] key, int h) {
        int i = h & mask;
        byte[] k;
        while ((k = keys[i]) != null) {
            if (sameKey(k, key)) {
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

    public Object get(byte[] key) {
        int slot = slotOf(key, hash(key));
        return slot >= 0 ? values[slot] : null;
    }

    /** As {@link #get}, recording an access at {@code clock} unless it is negative. */
    public Object getAndTouch(byte[] key, int clock) {
        int slot = slotOf(key, hash(key));
        if (slot < 0) {
            return null;
        }
        if (clock >= 0) {
            access[slot] = clock;
        }
        return values[slot];
    }

    /** The access clock of the key's last access, or -1 when absent. */
    public int lastAccess(byte[] key) {
        int slot = slotOf(key, hash(key));
        return slot < 0 ? -1 : access[slot];
    }

    public boolean containsKey(byte[] key) {
        return slotOf(key, hash(key)) >= 0;
    }

    /** Stores the value, records an access at {@code clock}, and returns the previous value or null. */
    public Object put(byte[] key, Object value, int clock) {
        int h = hash(key);
        int slot = slotOf(key, h);
        if (slot >= 0) {
            Object old = values[slot];
            beforeWrite(slot);
            values[slot] = value;
            access[slot] = clock;
            return old;
        }
        if ((size + 1) * 4L > (mask + 1) * 3L) {
            resize((mask + 1) * 2);
            slot = slotOf(key, h);
        }
        int free = -1 - slot;
        beforeWrite(free);
        keys[free] = key;
        values[free] = value;
        access[free] = clock;
        size++;
        return null;
    }

    /**
     * Stores an entry whose key the caller knows is absent, without looking for it: a snapshot
     * being loaded holds each key once, and skipping the comparisons along the probe run (each
     * a cache miss on another key) is most of the cost of a load. Wrong on a present key (it
     * would then be stored twice), so only the loader calls it.
     */
    public void insertAbsent(byte[] key, Object value, int clock) {
        if ((size + 1) * 4L > (mask + 1) * 3L) {
            resize((mask + 1) * 2);
        }
        int i = hash(key) & mask;
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        beforeWrite(i);
        keys[i] = key;
        values[i] = value;
        access[i] = clock;
        size++;
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
        if (capacity < mask + 1) {
            resize(capacity);
        }
    }

    /** The capacity that growth would have reached for {@code entries}: a power of two, at most 3/4 full. */
    private static int capacityFor(int entries) {
        long needed = Math.max(MIN_CAPACITY, (entries * 4L + 2) / 3);
        return (int) Math.min(1 << 30, Long.highestOneBit(needed - 1) << 1);
    }

    /** Removes the key and returns its value, or null when absent. */
    public Object remove(byte[] key) {
        int slot = slotOf(key, hash(key));
        if (slot < 0) {
            return null;
        }
        Object old = values[slot];
        deleteSlot(slot);
        size--;
        if (mask + 1 > MIN_CAPACITY && size * 8L < mask + 1) {
            resize((mask + 1) / 2);
        }
        return old;
    }

    /** Backward-shift deletion: later entries of the probe run move up so lookups never stop early. */
    private void deleteSlot(int hole) {
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            if (keys[i] == null) {
                break;
            }
            int home = home(i);
            // The entry at i may move into the hole only if its home is not in (hole, i].
            boolean homeBetween = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
            if (!homeBetween) {
                beforeWrite(hole);
                keys[hole] = keys[i];
                values[hole] = values[i];
                access[hole] = access[i];
                hole = i;
            }
        }
        beforeWrite(hole);
        keys[hole] = null;
        values[hole] = null;
        access[hole] = 0;
    }

    private void beforeWrite(int slot) {
        if (image != null) {
            image.beforeWrite(slot);
        }
    }

    /**
     * Takes a point-in-time image of the entries for another thread to read while this table
     * goes on changing (see {@link TableImage}); {@link #release} it when that reader is done.
     * One image at a time.
     */
    public TableImage freeze() {
        image = new TableImage(keys, values, size);
        return image;
    }

    /** The reader of {@code released} is done: writes stop keeping pages for it. */
    public void release(TableImage released) {
        if (image == released) {
            image = null;
        }
    }

    private void resize(int capacity) {
        byte[][] oldKeys = keys;
        Object[] oldValues = values;
        int[] oldAccess = access;
        allocate(capacity);
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != null) {
                int i = hash(oldKeys[j]) & mask;
                while (keys[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
                access[i] = oldAccess[j];
            }
        }
    }

    public void clear() {
        allocate(MIN_CAPACITY);
        size = 0;
    }

    /** Visits every entry. The visitor must not modify the table. */
    public void forEach(BiConsumer<byte[], Object> visitor) {
        for (int i = 0; i <= mask; i++) {
            if (keys[i] != null) {
                visitor.accept(keys[i], values[i]);
            }
        }
    }

    /**
     * Emits the entries of one or more home buckets starting at {@code cursor} until at least
     * {@code count} entries were emitted or {@code 10 * count} buckets were visited, and returns
     * the next cursor (0 when the iteration is complete). The visitor must not modify the table.
     */
    public long scan(long cursor, int count, BiConsumer<byte[], Object> visitor) {
        long v = cursor;
        int emitted = 0;
        long bucketsLeft = Math.max(10L * count, 10);
        final long m = mask;
        do {
            int home = (int) (v & m);
            for (int i = home; keys[i] != null; i = (i + 1) & mask) {
                if (home(i) == home) {
                    visitor.accept(keys[i], values[i]);
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

    /** A key chosen uniformly by slot, or null when empty. */
    public byte[] randomKey(java.util.random.RandomGenerator random) {
        if (size == 0) {
            return null;
        }
        while (true) {
            int i = random.nextInt(mask + 1);
            if (keys[i] != null) {
                return keys[i];
            }
        }
    }
}
