package dev.panda.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Redis's long double INCRBYFLOAT arithmetic, with results taken from redis-server 7.0.15. Test thread. */
class LongDoubleTest {
    private static LongDouble ld(String s) {
        return LongDouble.parse(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String sum(String a, String b) {
        return ld(a).add(ld(b)).toHumanString();
    }

    @Test
    void sumsAsRedisPrintsThem() {
        assertThat(sum("0.024390243902439025", "-0.024390243902439025")).isEqualTo("0");
        assertThat(sum("0.1", "0.2")).isEqualTo("0.3"); // double arithmetic gives 0.30000000000000004
        assertThat(sum("10.5", "0.1")).isEqualTo("10.6");
        assertThat(sum("0", "0.000003814697265625")).isEqualTo("0.00000381469726562"); // a tie, rounded to even
        assertThat(sum("0", "5e-4940")).isEqualTo("0");
        assertThat(sum("-0", "0")).isEqualTo("0");
        assertThat(sum("0", "0x1p3")).isEqualTo("8");
        assertThat(sum("3", "-5")).isEqualTo("-2");
        assertThat(sum("0", "1e400")).startsWith("1000000000000000000028188068394758651458").hasSize(401);
    }

    @Test
    void refusesWhatString2ldRefuses() {
        for (String bad : new String[] {"", " 1", "1 ", "nan", "1e", "0x", ".", "1.5.5", "1e-5000", "1e5000", "abc"}) {
            assertThat(ld(bad)).as("'%s'", bad).isNull();
        }
        assertThat(ld("inf").isInfinite()).isTrue();
        assertThat(ld("1e4932").add(ld("1e4932")).isInfinite()).isTrue();
        assertThat(ld("+.5e1").toHumanString()).isEqualTo("5");
        assertThat(ld("0e0").toHumanString()).isEqualTo("0");
    }
}
