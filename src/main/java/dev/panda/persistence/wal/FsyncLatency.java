package dev.panda.persistence.wal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long the log's fsyncs took, in fixed buckets from 100 µs to 10 s, for the
 * {@code panda_wal_fsync_duration_seconds} histogram. An fsync costs far more than the atomic
 * increments that count it, so recording takes no lock and never allocates.
 *
 * <p>Any thread: the everysec fsync thread and the store thread record; the metrics endpoint
 * reads.
 */
public final class FsyncLatency {
    /** Bucket upper bounds in seconds; a last bucket counts the longer ones. */
    private static final double[] BOUNDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
        0.5, 1, 2.5, 5, 10};

    private final AtomicLongArray counts = new AtomicLongArray(BOUNDS.length + 1);
    private final AtomicLong sumNanos = new AtomicLong();

    void record(long nanos) {
        double seconds = nanos / 1e9;
        int i = 0;
        while (i < BOUNDS.length && seconds > BOUNDS[i]) {
            i++;
        }
        counts.incrementAndGet(i);
        sumNanos.addAndGet(nanos);
    }

    /** A copy of the distribution. Counts read one by one may be a record apart; fine for monitoring. */
    public Snapshot snapshot() {
        long[] c = new long[counts.length()];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts.get(i);
        }
        return new Snapshot(BOUNDS.clone(), c, sumNanos.get() / 1e9);
    }

    /**
     * Upper bounds in seconds (the last bucket, one longer than {@code upperBounds}, is
     * unbounded), per-bucket counts and the sum of all durations in seconds.
     */
    public record Snapshot(double[] upperBounds, long[] counts, double sumSeconds) { }
}
