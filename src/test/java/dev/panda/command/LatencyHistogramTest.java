package dev.panda.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void durationsAreCountedByWholeMicrosecondsRoundedUp() {
        assertThat(LatencyHistogram.bucket(0)).isEqualTo(0);
        assertThat(LatencyHistogram.bucket(1)).isEqualTo(0);
        assertThat(LatencyHistogram.bucket(1000)).isEqualTo(0);
        assertThat(LatencyHistogram.bucket(1001)).isEqualTo(1);
        assertThat(LatencyHistogram.bucket(4000)).isEqualTo(3);
        assertThat(LatencyHistogram.upperBoundMicros(LatencyHistogram.bucket(4001))).isEqualTo(5);
    }

    @Test
    void everyDurationFallsInTheBucketWhoseBoundsHoldIt() {
        Random random = new Random(42);
        for (int n = 0; n < 100_000; n++) {
            long nanos = (long) Math.pow(10, random.nextDouble() * 12); // 1 ns to 1000 s
            double micros = Math.ceil(nanos / 1000.0);
            int i = LatencyHistogram.bucket(nanos);
            assertThat(micros).as("%d ns", nanos).isLessThanOrEqualTo(LatencyHistogram.upperBoundMicros(i));
            if (i > 0) {
                assertThat(micros).as("%d ns", nanos).isGreaterThan(LatencyHistogram.upperBoundMicros(i - 1));
            }
        }
    }

    @Test
    void boundsRiseAndIncludeEveryPowerOfTwoMicroseconds() {
        for (int i = 1; i < LatencyHistogram.OVERFLOW; i++) {
            assertThat(LatencyHistogram.upperBoundMicros(i)).isGreaterThan(LatencyHistogram.upperBoundMicros(i - 1));
        }
        for (int e = 0; e <= LatencyHistogram.MAX_EXPONENT; e++) {
            double bound = 1L << e;
            boolean found = false;
            for (int i = 0; i < LatencyHistogram.OVERFLOW; i++) {
                found |= LatencyHistogram.upperBoundMicros(i) == bound;
            }
            assertThat(found).as("2^%d µs is a bucket bound", e).isTrue();
        }
        assertThat(LatencyHistogram.upperBoundMicros(LatencyHistogram.OVERFLOW)).isInfinite();
        assertThat(LatencyHistogram.bucket(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.OVERFLOW);
    }

    @Test
    void countsAtPowersOfTwoAreExact() {
        LatencyHistogram h = new LatencyHistogram();
        long[] nanos = {500, 1_000, 1_001, 2_000, 3_500, 8_000, 8_001, 1_000_000, 1_048_576_000, 1_048_577_000};
        for (long n : nanos) {
            h.record(n);
        }
        long[] counts = h.copyCounts();
        assertThat(LatencyHistogram.total(counts)).isEqualTo(nanos.length);
        assertThat(LatencyHistogram.countAtMost(counts, 1)).isEqualTo(2);
        assertThat(LatencyHistogram.countAtMost(counts, 2)).isEqualTo(4);
        assertThat(LatencyHistogram.countAtMost(counts, 4)).isEqualTo(5);
        assertThat(LatencyHistogram.countAtMost(counts, 8)).isEqualTo(6);
        assertThat(LatencyHistogram.countAtMost(counts, 16)).isEqualTo(7);
        assertThat(LatencyHistogram.countAtMost(counts, 1024)).isEqualTo(8);
        assertThat(LatencyHistogram.countAtMost(counts, 1 << 20)).isEqualTo(9);
    }

    @Test
    void percentilesInterpolateWithinTheBucketAsHistogramQuantileDoes() {
        long[] empty = new long[LatencyHistogram.BUCKETS];
        assertThat(LatencyHistogram.percentileMicros(empty, 50)).isZero();

        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 100; i++) {
            h.record(3_500); // bucket (3, 4] µs
        }
        long[] counts = h.copyCounts();
        assertThat(LatencyHistogram.percentileMicros(counts, 50)).isCloseTo(3.5, within(1e-9));
        assertThat(LatencyHistogram.percentileMicros(counts, 100)).isCloseTo(4.0, within(1e-9));

        LatencyHistogram wide = new LatencyHistogram();
        for (int us = 1; us <= 10_000; us++) {
            wide.record(us * 1000L);
        }
        long[] w = wide.copyCounts();
        // Uniform 1..10000 µs: within a quarter octave (~19%) of the true value.
        assertThat(LatencyHistogram.percentileMicros(w, 50)).isCloseTo(5000, within(5000 * 0.19));
        assertThat(LatencyHistogram.percentileMicros(w, 99)).isCloseTo(9900, within(9900 * 0.19));
    }
}
