package dev.panda.store;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A point-in-time image of a {@link KeyTable}'s slots, which one other thread reads while the
 * table's owner goes on changing the table: copy-on-write by pages of {@value #PAGE_SLOTS}
 * slots, what a forked Redis child gets from the kernel. The owner pays nothing for reads and,
 * for writes, one array load per write plus a copy of a page (4 KiB of references, under a
 * microsecond) the first time it changes that page; the reader never makes the owner wait.
 *
 * <p>Each page goes through one of two paths, settled by an atomic state per page:
 * <ul>
 *   <li>the reader claims it ({@code UNTOUCHED -> READING}), copies its slots out of the live
 *       array, and keeps that copy if it can then mark it {@code READ};</li>
 *   <li>the owner, before its first write to a page the reader has not finished, marks it
 *       {@code COPIED} and publishes a copy taken before the write. A reader whose claim the
 *       owner overtook discards its own copy (it may hold some of the owner's new slots) and
 *       waits for the owner's, which is a microsecond away.</li>
 * </ul>
 * When the table moves to a new array (growth, shrinking, clearing) it stops writing to the
 * imaged one, so it simply drops the image ({@link KeyTable} does) and the rest of it needs no
 * copies at all.
 *
 * <p>Entries must not be changed in place once stored (a change stores a new entry), since the
 * image shares them.
 *
 * <p>Threads: {@link #beforeWrite} on the table's owner (the store thread); {@link #readPage}
 * on one reader thread (the snapshot writer, or the store thread itself for SAVE). Built on the
 * owner, then handed to the reader through a queue or executor (which publishes it).
 */
public final class TableImage {
    static final int PAGE_SHIFT = 10;
    public static final int PAGE_SLOTS = 1 << PAGE_SHIFT;
    private static final int UNTOUCHED = 0;
    private static final int READING = 1;
    private static final int READ = 2;
    private static final int COPIED = 3;

    private final Object[] slots;
    private final int size;
    /** The snapshot this image is for ({@link SnapshotEpoch}); 0 for the keyspace's own tables. */
    final int epoch;
    private final AtomicIntegerArray state;
    private final AtomicReferenceArray<Object[]> copies;
    /** Pages the owner has already dealt with: the owner's fast path, plain memory (owner only). */
    private final boolean[] ownerDone;

    TableImage(Object[] slots, int size, int epoch) {
        this.slots = slots;
        this.size = size;
        this.epoch = epoch;
        int pages = (slots.length + PAGE_SLOTS - 1) >>> PAGE_SHIFT;
        this.state = new AtomicIntegerArray(pages);
        this.copies = new AtomicReferenceArray<>(pages);
        this.ownerDone = new boolean[pages];
    }

    /** Entries in the table when the image was taken. */
    public int size() {
        return size;
    }

    /** Slots in the imaged table (a power of two). */
    public int capacity() {
        return slots.length;
    }

    public int pages() {
        return state.length();
    }

    /** Owner: the slot is about to change; keeps its page as it was if the reader still needs it. */
    void beforeWrite(int slot) {
        int page = slot >>> PAGE_SHIFT;
        if (ownerDone[page]) {
            return;
        }
        if (state.get(page) == READ) {
            ownerDone[page] = true; // the reader is done with it
            return;
        }
        // Copy first, then claim: if the copy fails (out of memory), nothing is marked and the
        // write does not happen either, so the reader is never left waiting for a copy.
        int from = page << PAGE_SHIFT;
        int to = Math.min(from + PAGE_SLOTS, slots.length);
        Object[] copy = Arrays.copyOfRange(slots, from, to);
        ownerDone[page] = true;
        int s;
        do {
            s = state.get(page);
            if (s == READ) {
                return; // finished reading meanwhile: the copy is not needed
            }
        } while (!state.compareAndSet(page, s, COPIED));
        copies.set(page, copy);
    }

    /**
     * Reader: copies the slots of {@code page} as they were when the image was taken into
     * {@code out} (at least {@link #PAGE_SLOTS} long; empty slots are null) and returns how many
     * slots the page has. Each page is read once.
     */
    public int readPage(int page, Object[] out) {
        return readPage(page, out, null);
    }

    /** As above; {@code whileClaimed} runs between the claim and the copy (tests: the owner overtakes). */
    int readPage(int page, Object[] out, Runnable whileClaimed) {
        int from = page << PAGE_SHIFT;
        int length = Math.min(PAGE_SLOTS, slots.length - from);
        if (state.compareAndSet(page, UNTOUCHED, READING)) {
            if (whileClaimed != null) {
                whileClaimed.run();
            }
            System.arraycopy(slots, from, out, 0, length);
            if (state.compareAndSet(page, READING, READ)) {
                return length;
            }
        }
        Object[] copy;
        while ((copy = copies.get(page)) == null) {
            Thread.onSpinWait(); // the owner marked the page and is copying it
        }
        System.arraycopy(copy, 0, out, 0, length);
        copies.set(page, null); // read once: the copy need not outlive the reading
        return length;
    }
}
