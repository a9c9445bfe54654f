package dev.panda.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlowLogTest {

    private static byte[][] args(String... words) {
        return Arrays.stream(words).map(w -> w.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    private static List<String> text(byte[][] args) {
        return Arrays.stream(args).map(a -> new String(a, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void shortCommandsAreKeptAsTheyAre() {
        assertThat(text(SlowLog.truncate(args("SET", "k", "v"), 0))).containsExactly("SET", "k", "v");
    }

    @Test
    void moreThan32ArgumentsKeep31AndCountTheRestAsRedisDoes() {
        String[] words = new String[41];
        words[0] = "MSET";
        for (int i = 1; i < words.length; i++) {
            words[i] = Integer.toString(i - 1);
        }
        List<String> kept = text(SlowLog.truncate(args(words), 0));
        assertThat(kept).hasSize(32);
        assertThat(kept.get(30)).isEqualTo("29");
        assertThat(kept.get(31)).isEqualTo("... (10 more arguments)");
        assertThat(text(SlowLog.truncate(args(Arrays.copyOf(words, 32)), 0))).hasSize(32).doesNotContain("... (1 more arguments)");
    }

    @Test
    void argumentsOver128BytesAreCutWithTheCountOfBytesLeft() {
        String longArg = "x".repeat(200);
        List<String> kept = text(SlowLog.truncate(args("ECHO", longArg), 0));
        assertThat(kept.get(1)).isEqualTo("x".repeat(128) + "... (72 more bytes)");
        assertThat(text(SlowLog.truncate(args("ECHO", "y".repeat(128)), 0)).get(1)).isEqualTo("y".repeat(128));
    }

    @Test
    void redactedArgumentsAreReplaced() {
        assertThat(text(SlowLog.truncate(args("AUTH", "user", "secret"), 0b110))).containsExactly("AUTH", "(redacted)", "(redacted)");
    }
}
