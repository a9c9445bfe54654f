package dev.panda.store.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RedisIntegersTest {
    private static boolean canonical(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return RedisIntegers.isCanonical(b, 0, b.length);
    }

    private static long parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return RedisIntegers.parseCanonical(b, 0, b.length);
    }

    /** string2ll's rule, spelled with the JDK: the text survives a round trip through long. */
    private static boolean roundTrips(String s) {
        try {
            return Long.toString(Long.parseLong(s)).equals(s);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Test
    void acceptsExactlyTheCanonicalIntegers() {
        for (String s : new String[] {"0", "1", "-1", "9", "10", "127", "-4096", "9223372036854775807",
                "-9223372036854775808", "1000000000000000000"}) {
            assertThat(canonical(s)).as(s).isTrue();
            assertThat(parse(s)).as(s).isEqualTo(Long.parseLong(s));
        }
        for (String s : new String[] {"", "-", "-0", "00", "01", "-01", "+1", " 1", "1 ", "1a", "a1", "1.0", "0x10",
                "9223372036854775808", "-9223372036854775809", "18446744073709551616", "99999999999999999999",
                "-99999999999999999999", "100000000000000000000", "--1", "1-", "\u00001"}) {
            assertThat(canonical(s)).as("'%s'", s).isFalse();
        }
    }

    @Test
    void respectsTheSlice() {
        byte[] b = "x-12345y".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(RedisIntegers.isCanonical(b, 1, 6)).isTrue();
        assertThat(RedisIntegers.parseCanonical(b, 1, 6)).isEqualTo(-12345);
        assertThat(RedisIntegers.isCanonical(b, 1, 7)).isFalse();
        assertThat(RedisIntegers.isCanonical(b, 2, 0)).isFalse();
    }

    @Test
    void agreesWithTheJdkOnRandomText() {
        SplittableRandom r = new SplittableRandom(7);
        String alphabet = "0123456789-+ a";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder s = new StringBuilder();
            int len = r.nextInt(23);
            for (int j = 0; j < len; j++) {
                // Mostly digits, so that long numbers near the overflow bounds come up.
                s.append(r.nextInt(10) < 8 ? (char) ('0' + r.nextInt(10)) : alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String t = s.toString();
            assertThat(canonical(t)).as("'%s'", t).isEqualTo(roundTrips(t));
            if (roundTrips(t)) {
                assertThat(parse(t)).isEqualTo(Long.parseLong(t));
            }
        }
    }

    @Test
    void writesDecimalAsTheJdkDoes() {
        long[] edges = {0, 1, -1, 9, 10, -9, -10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1,
                Integer.MAX_VALUE, Integer.MIN_VALUE, 1_000_000_000_000_000_000L, -999_999_999_999_999_999L};
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 100_000 + edges.length; i++) {
            long v = i < edges.length ? edges[i] : r.nextLong() >> r.nextInt(64);
            byte[] expected = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
            assertThat(RedisIntegers.decimalLength(v)).isEqualTo(expected.length);
            assertThat(RedisIntegers.toBytes(v)).isEqualTo(expected);
            byte[] dst = new byte[30];
            assertThat(RedisIntegers.writeDecimal(v, dst, 3)).isEqualTo(expected.length);
            assertThat(RedisIntegers.isCanonical(dst, 3, expected.length)).isTrue();
            assertThat(RedisIntegers.parseCanonical(dst, 3, expected.length)).isEqualTo(v);
        }
    }
}
