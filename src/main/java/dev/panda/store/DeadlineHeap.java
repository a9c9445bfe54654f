package dev.panda.store;

import java.util.Arrays;

/**
 * Min-heap of (deadline, key) pairs: the deadline index that active expiry walks from the
 * earliest deadline on, so it never scans keys that are not due.
 *
 * <p>Entries are never removed when a key's TTL changes or the key goes away; instead the
 * owner checks each popped entry against the key's current deadline and ignores stale ones
 * (lazy deletion). {@link #isMostlyStale} bounds the garbage: when the heap holds more than
 * twice the live entries, the owner rebuilds it from the live deadlines.
 *
 * <p>Not thread-safe: owned by the store thread.
 */
public final class DeadlineHeap {
    private long[] deadlines = new long[16];
    private byte[][] keys = new byte[16][];
    private int size;
    /** Heap bytes of the key copies held. */
    private long keyBytes;

    public int size() {
        return size;
    }

    /** Heap bytes of the index: its two arrays and the key copies. O(1). */
    public long heapBytes() {
        return 32 + HeapSizes.longs(deadlines.length) + HeapSizes.refs(keys.length) + keyBytes;
    }

    /** The deadline at heap position {@code i} (0 ≤ i < size), for sampling; possibly stale. */
    long deadlineAt(int i) {
        return deadlines[i];
    }

    /** The key at heap position {@code i}, for sampling. */
    byte[] keyAt(int i) {
        return keys[i];
    }

    public void add(long deadline, byte[] key) {
        if (size == deadlines.length) {
            deadlines = Arrays.copyOf(deadlines, size * 2);
            keys = Arrays.copyOf(keys, size * 2);
        }
        int i = size++;
        keyBytes += HeapSizes.bytes(key.length);
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (deadlines[parent] <= deadline) {
                break;
            }
            deadlines[i] = deadlines[parent];
            keys[i] = keys[parent];
            i = parent;
        }
        deadlines[i] = deadline;
        keys[i] = key;
    }

    /** Earliest deadline, or {@link Long#MAX_VALUE} when empty. */
    public long peekDeadline() {
        return size == 0 ? Long.MAX_VALUE : deadlines[0];
    }

    public byte[] peekKey() {
        return size == 0 ? null : keys[0];
    }

    /** Removes the earliest entry. */
    public void pop() {
        if (size == 0) {
            return;
        }
        size--;
        keyBytes -= HeapSizes.bytes(keys[0].length);
        long lastDeadline = deadlines[size];
        byte[] lastKey = keys[size];
        keys[size] = null;
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && deadlines[right] < deadlines[child]) {
                child = right;
            }
            if (lastDeadline <= deadlines[child]) {
                break;
            }
            deadlines[i] = deadlines[child];
            keys[i] = keys[child];
            i = child;
        }
        if (size > 0) {
            deadlines[i] = lastDeadline;
            keys[i] = lastKey;
        }
    }

    public void clear() {
        deadlines = new long[16];
        keys = new byte[16][];
        size = 0;
        keyBytes = 0;
    }

    /** True when stale entries outnumber live ones enough that a rebuild pays for itself. */
    public boolean isMostlyStale(int liveEntries) {
        return size > 1024 && size > 2L * liveEntries;
    }
}
