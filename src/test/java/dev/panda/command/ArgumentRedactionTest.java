package dev.panda.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ArgumentRedactionTest {
    private final CommandTable table = new CommandTable();

    private long mask(String... words) {
        byte[][] argv = Arrays.stream(words).map(w -> w.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        CommandSpec spec = table.find(words[0]);
        if (!spec.subcommands().isEmpty()) {
            spec = spec.subcommands().get(words[1].toLowerCase());
        }
        return ArgumentRedaction.mask(spec, argv);
    }

    @Test
    void authHidesUserAndPassword() {
        assertThat(mask("AUTH", "pw")).isEqualTo(0b10);
        assertThat(mask("auth", "user", "pw")).isEqualTo(0b110);
        assertThat(mask("AUTH", "a", "b", "c")).as("a syntax error comes before Redis redacts").isZero();
    }

    @Test
    void helloHidesTheCredentialsAfterAuthUpToASyntaxError() {
        assertThat(mask("HELLO", "3", "AUTH", "user", "pw")).isEqualTo(0b11000);
        assertThat(mask("HELLO", "2", "SETNAME", "x", "AUTH", "u", "p")).isEqualTo(0b1100000);
        assertThat(mask("HELLO", "2", "SETNAME", "x")).isZero();
        assertThat(mask("HELLO", "9", "AUTH", "u", "p")).as("bad protocol version: no option is parsed").isZero();
        assertThat(mask("HELLO", "3", "AUTH", "u")).isZero();
    }

    @Test
    void configSetHidesThePassword() {
        assertThat(mask("CONFIG", "SET", "requirepass", "pw")).isEqualTo(0b1000);
        assertThat(mask("CONFIG", "SET", "hz", "10", "REQUIREPASS", "pw")).isEqualTo(0b100000);
        assertThat(mask("CONFIG", "SET", "hz", "10")).isZero();
        assertThat(mask("GET", "requirepass")).isZero();
    }
}
