package dev.panda.command;

/**
 * One command's latency distribution, the single source of INFO latencystats, LATENCY HISTOGRAM
 * and the {@code panda_command_duration_seconds} histogram. Recording is a little integer
 * arithmetic and one increment of a plain {@code long}: no allocation, no lock, no call into a
 * metrics library, so it can run on every command.
 *
 * <p>Buckets are by whole microseconds, rounded up (as Redis reports durations): one bucket each
 * for 1, 2, 3 and 4 µs, then four per power of two up to 2^30 µs (about 18 minutes), then one
 * for anything longer. Every power of two is a bucket boundary, so the power-of-two buckets of
 * LATENCY HISTOGRAM and of the Prometheus histogram are exact sums; percentiles are interpolated
 * within a bucket of at most a quarter of an octave (as Prometheus's histogram_quantile does).
 *
 * <p>Store thread only. Other threads read a copy of the counts taken on the store thread.
 */
public final class LatencyHistogram {
    /** Buckets up to 2^MAX_EXPONENT µs; longer durations go to the overflow bucket. */
    public static final int MAX_EXPONENT = 30;
    /** Index of the overflow bucket; also the number of bounded buckets. */
    static final int OVERFLOW = 4 + (MAX_EXPONENT - 2) * 4;
    public static final int BUCKETS = OVERFLOW + 1;

    private final long[] counts = new long[BUCKETS];

    /** Counts one duration. */
    public void record(long nanos) {
        counts[bucket(nanos)]++;
    }

    static int bucket(long nanos) {
        long v = (nanos - 1) / 1000; // whole µs rounded up, minus one: bucket (2^e, 2^(e+1)] of µs
        if (v < 4) {
            return v < 0 ? 0 : (int) v;
        }
        int e = 63 - Long.numberOfLeadingZeros(v);
        if (e >= MAX_EXPONENT) {
            return OVERFLOW;
        }
        return 4 + ((e - 2) << 2) + (int) ((v >>> (e - 2)) & 3);
    }

    /** The largest duration, in µs, counted in bucket {@code i} (infinite for the overflow bucket). */
    public static double upperBoundMicros(int i) {
        if (i >= OVERFLOW) {
            return Double.POSITIVE_INFINITY;
        }
        if (i < 4) {
            return i + 1;
        }
        int e = (i - 4) / 4 + 2;
        int sub = (i - 4) % 4;
        return (double) ((5L + sub) << (e - 2));
    }

    public long[] copyCounts() {
        return counts.clone();
    }

    void reset() {
        java.util.Arrays.fill(counts, 0);
    }

    /** How many durations of at most {@code micros} µs the counts hold ({@code micros} a bucket boundary). */
    public static long countAtMost(long[] counts, double micros) {
        long n = 0;
        for (int i = 0; i < OVERFLOW && upperBoundMicros(i) <= micros; i++) {
            n += counts[i];
        }
        return n;
    }

    public static long total(long[] counts) {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /**
     * The {@code percentile} (0–100) in µs, interpolated linearly within its bucket as
     * Prometheus's histogram_quantile does; 0 when nothing was counted. A percentile that
     * falls in the overflow bucket is reported as the largest bounded value.
     */
    public static double percentileMicros(long[] counts, double percentile) {
        long total = total(counts);
        if (total == 0) {
            return 0;
        }
        double rank = percentile / 100.0 * total;
        long below = 0;
        for (int i = 0; i < BUCKETS; i++) {
            long c = counts[i];
            if (c > 0 && below + c >= rank) {
                if (i == OVERFLOW) {
                    return upperBoundMicros(OVERFLOW - 1);
                }
                double lower = i == 0 ? 0 : upperBoundMicros(i - 1);
                double upper = upperBoundMicros(i);
                return lower + (upper - lower) * Math.max(0, rank - below) / c;
            }
            below += c;
        }
        return upperBoundMicros(OVERFLOW - 1);
    }
}
