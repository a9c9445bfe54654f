package dev.panda.command.string;

import dev.panda.command.Args;
import dev.panda.command.Errors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExpiryOptionsTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final String SET_INVALID_EXPIRE = "ERR invalid expire time in 'set' command";

    private static byte[][] argv(String line) {
        return Arrays.stream(line.split(" ")).map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    private static ExpiryOptions.SetOptions set(String options) {
        return ExpiryOptions.parseSet(argv(("SET k v " + options).trim()), 3, "set", NOW);
    }

    private static ExpiryOptions.GetExOptions getex(String options) {
        return ExpiryOptions.parseGetEx(argv(("GETEX k " + options).trim()), NOW);
    }

    private static void assertSetFails(String options, String error) {
        assertThatThrownBy(() -> set(options)).as(options).isInstanceOf(Args.Invalid.class).hasMessage(error);
    }

    @Test
    void noOptions() {
        ExpiryOptions.SetOptions o = set("");
        assertThat(o.condition()).isEqualTo(ExpiryOptions.Condition.NONE);
        assertThat(o.deadline()).isEqualTo(-1);
        assertThat(o.keepTtl()).isFalse();
        assertThat(o.get()).isFalse();
    }

    @Test
    void flags() {
        assertThat(set("NX").condition()).isEqualTo(ExpiryOptions.Condition.NX);
        assertThat(set("xx").condition()).isEqualTo(ExpiryOptions.Condition.XX);
        assertThat(set("NX NX").condition()).isEqualTo(ExpiryOptions.Condition.NX);
        assertThat(set("GET").get()).isTrue();
        assertThat(set("KeepTtl").keepTtl()).isTrue();
        ExpiryOptions.SetOptions all = set("xx get keepttl");
        assertThat(all.condition()).isEqualTo(ExpiryOptions.Condition.XX);
        assertThat(all.get()).isTrue();
        assertThat(all.keepTtl()).isTrue();
        assertThat(all.deadline()).isEqualTo(-1);
    }

    @Test
    void deadlinesAreAbsolute() {
        assertThat(set("EX 10").deadline()).isEqualTo(NOW + 10_000);
        assertThat(set("ex 10").deadline()).isEqualTo(NOW + 10_000);
        assertThat(set("PX 1500").deadline()).isEqualTo(NOW + 1_500);
        assertThat(set("EXAT 2000000000").deadline()).isEqualTo(2_000_000_000_000L);
        assertThat(set("PXAT 1700000000123").deadline()).isEqualTo(1_700_000_000_123L);
        // An absolute deadline in the past is still a deadline (the key is deleted on use).
        assertThat(set("PXAT 1").deadline()).isEqualTo(1);
        ExpiryOptions.SetOptions o = set("NX PX 250 GET");
        assertThat(o.condition()).isEqualTo(ExpiryOptions.Condition.NX);
        assertThat(o.deadline()).isEqualTo(NOW + 250);
        assertThat(o.get()).isTrue();
    }

    @Test
    void repeatingTheSameUnitKeepsTheLast() {
        assertThat(set("EX 10 EX 20").deadline()).isEqualTo(NOW + 20_000);
    }

    @Test
    void conflictsAreSyntaxErrors() {
        for (String options : new String[] {"NX XX", "XX NX", "EX 10 PX 100", "PX 100 EX 10", "EX 10 EXAT 2000000000",
                "PXAT 1 PX 1", "KEEPTTL EX 10", "EX 10 KEEPTTL", "KEEPTTL PXAT 5", "EX", "PX", "NX EX", "FOO",
                "PERSIST", "EX 10 10"}) {
            assertSetFails(options, "ERR syntax error");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"EX 0", "EX -1", "PX 0", "PX -100", "EXAT 0", "PXAT -1", "EX 9223372036854775807",
            "EX 9223372036854776", "PX 9223372036854775807", "PX 9223372036854775000", "EXAT 9223372036854776"})
    void invalidExpireTimes(String options) {
        assertSetFails(options, SET_INVALID_EXPIRE);
    }

    @Test
    void largestValidTimes() {
        long maxSeconds = (Long.MAX_VALUE - NOW) / 1000;
        assertThat(set("EX " + maxSeconds).deadline()).isEqualTo(NOW + maxSeconds * 1000);
        assertSetFails("EX " + (maxSeconds + 1), SET_INVALID_EXPIRE);
        // Small enough to multiply, but adding now overflows.
        assertSetFails("EX 9223372036854775", SET_INVALID_EXPIRE);
        assertThat(set("PXAT 9223372036854775807").deadline()).isEqualTo(Long.MAX_VALUE);
        assertThat(set("PX " + (Long.MAX_VALUE - NOW)).deadline()).isEqualTo(Long.MAX_VALUE);
        assertSetFails("PX " + (Long.MAX_VALUE - NOW + 1), SET_INVALID_EXPIRE);
    }

    @Test
    void nonIntegerExpireIsNotAnInteger() {
        assertSetFails("EX abc", Errors.NOT_INTEGER);
        assertSetFails("EX 1.5", Errors.NOT_INTEGER);
        assertSetFails("PX 99999999999999999999", Errors.NOT_INTEGER);
    }

    @Test
    void syntaxErrorWinsOverInvalidExpire() {
        assertSetFails("EX -1 NX XX", "ERR syntax error");
        assertSetFails("EX 0 FOO", "ERR syntax error");
        assertSetFails("PX abc KEEPTTL", "ERR syntax error");
    }

    @Test
    void commandNameAppearsInTheError() {
        assertThatThrownBy(() -> ExpiryOptions.deadline(argv("0")[0], 1000, false, "setex", NOW))
                .hasMessage("ERR invalid expire time in 'setex' command");
        assertThat(ExpiryOptions.deadline(argv("5")[0], 1000, false, "setex", NOW)).isEqualTo(NOW + 5000);
        assertThat(ExpiryOptions.deadline(argv("5")[0], 1, false, "psetex", NOW)).isEqualTo(NOW + 5);
        assertThat(ExpiryOptions.deadline(argv("5")[0], 1000, true, "expireat", NOW)).isEqualTo(5000);
    }

    @Test
    void getExOptions() {
        assertThat(getex("")).isEqualTo(new ExpiryOptions.GetExOptions(-1, false));
        assertThat(getex("PERSIST")).isEqualTo(new ExpiryOptions.GetExOptions(-1, true));
        assertThat(getex("EX 10")).isEqualTo(new ExpiryOptions.GetExOptions(NOW + 10_000, false));
        assertThat(getex("px 10")).isEqualTo(new ExpiryOptions.GetExOptions(NOW + 10, false));
        assertThat(getex("EXAT 2000000000")).isEqualTo(new ExpiryOptions.GetExOptions(2_000_000_000_000L, false));
        assertThat(getex("PXAT 2000000000000")).isEqualTo(new ExpiryOptions.GetExOptions(2_000_000_000_000L, false));
    }

    @Test
    void getExConflicts() {
        for (String options : new String[] {"PERSIST EX 10", "EX 10 PERSIST", "EX 10 PX 10", "NX", "KEEPTTL", "GET", "EX"}) {
            assertThatThrownBy(() -> getex(options)).as(options).isInstanceOf(Args.Invalid.class).hasMessage("ERR syntax error");
        }
        assertThatThrownBy(() -> getex("EX 0")).hasMessage("ERR invalid expire time in 'getex' command");
        assertThatThrownBy(() -> getex("PX -1 PERSIST")).hasMessage("ERR syntax error");
    }
}
