package dev.panda.script.lib;

import static dev.panda.script.lib.LuaCases.c;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** bit against answers recorded from Redis 7.0.15 (see {@link LuaCases}). */
class BitLibTest {
    static Stream<Arguments> cases() {
        return Stream.of(
            c("L(bit.tobit(0), bit.tobit(1), bit.tobit(-1), bit.tobit(2^31), bit.tobit(2^32), bit.tobit(2^32 + 5), bit.tobit(-2^31 - 1))", "0|1|-1|-2147483648|0|5|2147483647"),
            c("L(bit.tobit(0.5), bit.tobit(1.5), bit.tobit(2.5), bit.tobit(-0.5), bit.tobit(-1.5), bit.tobit(0.49999), bit.tobit(3.7))", "0|2|2|0|-2|0|4"),
            c("L(bit.tobit(2^52), bit.tobit(2^53 + 2), bit.tobit(1e15), bit.tobit(-1e15), bit.tobit(1e100), bit.tobit(1/0), bit.tobit(0/0))", "0|1|-1530494976|1530494976|630506365|0|0"),
            c("L(bit.tobit('10'), bit.tobit('0x10'), bit.tobit(' 7 '))", "10|16|7"),
            c("E(function() return bit.tobit() end)", "bad argument #1 to 'tobit' (number expected, got no value)"),
            c("E(function() return bit.tobit('x') end)", "bad argument #1 to 'tobit' (number expected, got string)"),
            c("E(function() return bit.tobit({}) end)", "bad argument #1 to 'tobit' (number expected, got table)"),
            c("E(function() return bit.tobit(nil) end)", "bad argument #1 to 'tobit' (number expected, got nil)"),
            c("L(bit.bnot(0), bit.bnot(-1), bit.bnot(5), bit.bnot(2^31))", "-1|0|-6|2147483647"),
            c("L(bit.band(0xff, 0x0f), bit.band(-1, 0x7fffffff), bit.band(7), bit.band(0xf0f0, 0xff00, 0x0ff0))", "15|2147483647|7|0"),
            c("L(bit.bor(1, 2, 4, 8), bit.bor(-2^31, 1), bit.bor(0))", "15|-2147483647|0"),
            c("L(bit.bxor(0xff, 0x0f), bit.bxor(-1, 1), bit.bxor(1, 2, 3))", "240|-2|0"),
            c("L(bit.lshift(1, 0), bit.lshift(1, 31), bit.lshift(1, 32), bit.lshift(1, 33), bit.lshift(-1, 4), bit.lshift(1, -1))", "1|-2147483648|1|2|-16|-2147483648"),
            c("L(bit.rshift(-1, 1), bit.rshift(-1, 28), bit.rshift(256, 4), bit.rshift(1, 32), bit.rshift(-256, 0))", "2147483647|15|16|1|-256"),
            c("L(bit.arshift(-256, 4), bit.arshift(-1, 31), bit.arshift(256, 4), bit.arshift(2^31, 1))", "-16|-1|16|-1073741824"),
            c("L(bit.rol(0x12345678, 4), bit.rol(-1, 7), bit.rol(1, 31), bit.rol(1, 32))", "591751041|-1|-2147483648|1"),
            c("L(bit.ror(0x12345678, 4), bit.ror(1, 1), bit.ror(0x12345678, 36))", "-2128394905|-2147483648|-2128394905"),
            c("L(bit.bswap(0x12345678), bit.bswap(-1), bit.bswap(0xff))", "2018915346|-1|-16777216"),
            c("L(bit.tohex(1), bit.tohex(-1), bit.tohex(255, 2), bit.tohex(255, -2), bit.tohex(0x1234abcd, -8), bit.tohex(0x1234abcd, 12))", "00000001|ffffffff|ff|FF|1234ABCD|1234abcd"),
            c("L(bit.tohex(65535, 0), bit.tohex(65535, 3), bit.tohex(-65535, -6), bit.tohex(2^32 + 10), bit.tohex(1.5))", "|fff|FF0001|0000000a|00000002"),
            c("E(function() return bit.tohex(1, 'x') end)", "bad argument #2 to 'tohex' (number expected, got string)"),
            c("L(bit.tohex(1, '4'))", "0001"),
            c("E(function() return bit.band(1, {}) end)", "bad argument #2 to 'band' (number expected, got table)"),
            c("E(function() return bit.lshift(1) end)", "bad argument #2 to 'lshift' (number expected, got no value)"),
            c("E(function() return bit.band(1, nil) end)", "bad argument #2 to 'band' (number expected, got nil)"),
            c("E(function() return bit.lshift(1, {}) end)", "bad argument #2 to 'lshift' (number expected, got table)"),
            c("L(bit.tobit(0x7fffffff + 1), bit.tobit(4294967295), bit.tobit(-4294967296))", "-2147483648|-1|0"),
            c("L(bit.band(0xdeadbeef, 0xffffffff), bit.bxor(0xdeadbeef, 0))", "-559038737|-559038737")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesRedis(String expr, String expected) {
        assertThat(LuaCases.run(expr)).isEqualTo(expected);
    }
}
