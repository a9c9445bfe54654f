package dev.panda.store;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Which snapshot, if any, is reading the keyspace right now. A collection's table compares it
 * with the epoch it last prepared for before every change ({@link KeyTable#prepareWrite}), so the
 * first change after a snapshot starts keeps the snapshot's view of the page it touches, and
 * collections nobody changes cost the snapshot nothing.
 *
 * <p>Written on the store thread only ({@link #begin}, {@link #end}); snapshot readers get the
 * epoch number with the job, through the hand-off that starts them.
 */
public final class SnapshotEpoch {
    private int active;
    private int last;
    /**
     * Packed values stored since the running snapshot began: it can never read them (the key
     * table page that held the old value was copied for it before they were stored), so they
     * may change in place, as a page a forked Redis child has already copied.
     */
    private final Set<Object> fresh = Collections.newSetFromMap(new IdentityHashMap<>());

    /** The epoch of the running snapshot, or 0 when none runs. */
    int active() {
        return active;
    }

    /** A snapshot starts: returns its epoch. */
    public int begin() {
        last = last == Integer.MAX_VALUE ? 1 : last + 1;
        active = last;
        fresh.clear();
        return active;
    }

    /** The snapshot of {@code epoch} is over (written, failed or abandoned). */
    public void end(int epoch) {
        if (active == epoch) {
            active = 0;
            fresh.clear();
        }
    }

    /** Whether a packed value may be written in place: no snapshot runs, or it cannot see it. */
    boolean mayWriteInPlace(Object value) {
        return active == 0 || fresh.contains(value);
    }

    /** A packed value just stored in the key table (a new array): see {@link #mayWriteInPlace}. */
    void stored(Object value) {
        if (active != 0) {
            fresh.add(value);
        }
    }
}
