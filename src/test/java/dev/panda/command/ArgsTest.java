package dev.panda.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArgsTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "-1", "7", "10", "123456789", "-987654321", "9223372036854775807",
            "-9223372036854775808", "9223372036854775806", "-9223372036854775807"})
    void tryParseLongAcceptsCanonicalIntegers(String text) {
        assertThat(Args.tryParseLong(b(text))).isEqualTo(Long.parseLong(text));
    }

    @Test
    void tryParseLongExtremes() {
        assertThat(Args.tryParseLong(b(Long.toString(Long.MAX_VALUE)))).isEqualTo(Long.MAX_VALUE);
        assertThat(Args.tryParseLong(b(Long.toString(Long.MIN_VALUE)))).isEqualTo(Long.MIN_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "+1", " 1", "1 ", "01", "00", "-0", "-01", "-", "+", "1a", "a1", "1.0", "1e3", "0x10",
            "9223372036854775808", "-9223372036854775809", "18446744073709551616", "99999999999999999999",
            "-99999999999999999999", "123456789012345678901", "١"})
    void tryParseLongRejectsWhatString2llRejects(String text) {
        assertThat(Args.tryParseLong(b(text))).isNull();
    }

    @Test
    void tryParseLongRejectsNulAndLongInput() {
        assertThat(Args.tryParseLong(new byte[] {'1', 0})).isNull();
        assertThat(Args.tryParseLong(b("1".repeat(25)))).isNull();
    }

    @Test
    void parseLongThrowsTheGivenError() {
        assertThat(Args.parseLong(b("42"))).isEqualTo(42);
        assertThatThrownBy(() -> Args.parseLong(b("4 2")))
                .isInstanceOf(Args.Invalid.class).hasMessage("ERR value is not an integer or out of range");
        assertThatThrownBy(() -> Args.parseLong(b("x"), "ERR custom"))
                .isInstanceOf(Args.Invalid.class).hasMessage("ERR custom");
    }

    @Test
    void parseIntRejectsValuesOutsideInt() {
        assertThat(Args.parseInt(b("2147483647"))).isEqualTo(Integer.MAX_VALUE);
        assertThat(Args.parseInt(b("-2147483648"))).isEqualTo(Integer.MIN_VALUE);
        assertThatThrownBy(() -> Args.parseInt(b("2147483648"))).hasMessage(Errors.NOT_INTEGER);
        assertThatThrownBy(() -> Args.parseInt(b("-2147483649"))).hasMessage(Errors.NOT_INTEGER);
    }

    @Test
    void parseDoubleAcceptsRedisFloats() {
        assertThat(Args.parseDouble(b("1e3"), Errors.NOT_FLOAT)).isEqualTo(1000.0);
        assertThat(Args.parseDouble(b("1E3"), Errors.NOT_FLOAT)).isEqualTo(1000.0);
        assertThat(Args.parseDouble(b(".5"), Errors.NOT_FLOAT)).isEqualTo(0.5);
        assertThat(Args.parseDouble(b("-1.25"), Errors.NOT_FLOAT)).isEqualTo(-1.25);
        assertThat(Args.parseDouble(b("+2"), Errors.NOT_FLOAT)).isEqualTo(2.0);
        assertThat(Args.parseDouble(b("10"), Errors.NOT_FLOAT)).isEqualTo(10.0);
        assertThat(Args.parseDouble(b("1.5e-3"), Errors.NOT_FLOAT)).isEqualTo(0.0015);
        assertThat(Args.parseDouble(b("inf"), Errors.NOT_FLOAT)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Args.parseDouble(b("+inf"), Errors.NOT_FLOAT)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Args.parseDouble(b("-inf"), Errors.NOT_FLOAT)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Args.parseDouble(b("INF"), Errors.NOT_FLOAT)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Args.parseDouble(b("Infinity"), Errors.NOT_FLOAT)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Args.parseDouble(b("-infinity"), Errors.NOT_FLOAT)).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nan", "NaN", "-nan", "+nan", "NAN", " 1", "1 ", "\t1", "1\n", "", "abc", "1d", "1f", "1.0D",
            "1e", "e3", "--1", "1..2", "1,5", "0x1p3"})
    void parseDoubleRejects(String text) {
        assertThatThrownBy(() -> Args.parseDouble(b(text), Errors.NOT_FLOAT))
                .isInstanceOf(Args.Invalid.class).hasMessage(Errors.NOT_FLOAT);
    }

    @Test
    void formatDoubleAsRedisPrintsIncrByFloat() {
        assertThat(Args.formatDouble(10.5 + 0.1)).isEqualTo("10.6");
        assertThat(Args.formatDouble(5.0e3 + 2.0e2)).isEqualTo("5200");
        assertThat(Args.formatDouble(0.1 + 0.2)).isEqualTo("0.3");
        assertThat(Args.formatDouble(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(Args.formatDouble(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    }

    @Test
    void formatDoublePlainNotationWithoutTrailingZeros() {
        assertThat(Args.formatDouble(3.0)).isEqualTo("3");
        assertThat(Args.formatDouble(0.0)).isEqualTo("0");
        assertThat(Args.formatDouble(-2.5)).isEqualTo("-2.5");
        assertThat(Args.formatDouble(0.0001)).isEqualTo("0.0001");
        assertThat(Args.formatDouble(1.5e-10)).isEqualTo("0.00000000015");
        assertThat(Args.formatDouble(1e20)).isEqualTo("100000000000000000000");
        assertThat(Args.formatDouble(-1e20)).isEqualTo("-100000000000000000000");
        assertThat(Args.formatDouble(1.0 / 3)).isEqualTo("0.3333333333333333");
        assertThat(Args.formatDouble(3.0e15 + 0.5)).isEqualTo("3000000000000000");
        assertThat(Args.formatDouble(123456789.125)).isEqualTo("123456789.125");
    }

    @Test
    void formatDoubleRoundTripsThroughParseDouble() {
        for (double d : new double[] {1.1, -0.75, 1e-5, 42, 17.25, 1e16}) {
            assertThat(Args.parseDouble(b(Args.formatDouble(d)), Errors.NOT_FLOAT)).isEqualTo(d);
        }
    }

    @Test
    void isComparesCaseInsensitively() {
        assertThat(Args.is(b("EX"), "ex")).isTrue();
        assertThat(Args.is(b("eX"), "ex")).isTrue();
        assertThat(Args.is(b("ex"), "ex")).isTrue();
        assertThat(Args.is(b("exat"), "ex")).isFalse();
        assertThat(Args.is(b("e"), "ex")).isFalse();
        assertThat(Args.is(b("fx"), "ex")).isFalse();
    }

    @Test
    void textAndBytesAreUtf8() {
        assertThat(Args.text(Args.bytes("héllo"))).isEqualTo("héllo");
        assertThat(Args.bytes("é")).containsExactly((byte) 0xc3, (byte) 0xa9);
    }
}
