package dev.panda.store;

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

    /** The epoch of the running snapshot, or 0 when none runs. */
    int active() {
        return active;
    }

    /** A snapshot starts: returns its epoch. */
    public int begin() {
        last = last == Integer.MAX_VALUE ? 1 : last + 1;
        active = last;
        return active;
    }

    /** The snapshot of {@code epoch} is over (written, failed or abandoned). */
    public void end(int epoch) {
        if (active == epoch) {
            active = 0;
        }
    }
}
