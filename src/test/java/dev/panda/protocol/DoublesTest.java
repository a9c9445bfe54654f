package dev.panda.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DoublesTest {
    /** Expected strings are what C's printf("%.17g") prints, as Redis 7.0 replies with them. */
    @Test
    void formatsAsPercentDot17g() {
        assertThat(Doubles.format(1.5)).isEqualTo("1.5");
        assertThat(Doubles.format(0.1)).isEqualTo("0.10000000000000001");
        assertThat(Doubles.format(3)).isEqualTo("3");
        assertThat(Doubles.format(-2.5)).isEqualTo("-2.5");
        assertThat(Doubles.format(1e17)).isEqualTo("1e+17");
        assertThat(Doubles.format(1.0000000000000002e17)).isEqualTo("1.0000000000000002e+17");
        assertThat(Doubles.format(12345678901234567.0)).isEqualTo("12345678901234568");
        assertThat(Doubles.format(0.0001)).isEqualTo("0.0001");
        assertThat(Doubles.format(0.00001)).isEqualTo("1.0000000000000001e-05");
        assertThat(Doubles.format(1e-300)).isEqualTo("1e-300");
        assertThat(Doubles.format(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(Doubles.format(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(Doubles.format(0.0)).isEqualTo("0");
        assertThat(Doubles.format(-0.0)).isEqualTo("-0");
    }
}
