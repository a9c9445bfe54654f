package dev.panda.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class GlobTest {

    private static boolean matches(String pattern, String string) {
        return Glob.matches(pattern.getBytes(StandardCharsets.ISO_8859_1), string.getBytes(StandardCharsets.ISO_8859_1), false);
    }

    private static boolean matchesNoCase(String pattern, String string) {
        return Glob.matches(pattern.getBytes(StandardCharsets.ISO_8859_1), string.getBytes(StandardCharsets.ISO_8859_1), true);
    }

    // Examples from the Redis KEYS documentation.

    @Test
    void questionMarkMatchesOneCharacter() {
        assertThat(matches("h?llo", "hello")).isTrue();
        assertThat(matches("h?llo", "hallo")).isTrue();
        assertThat(matches("h?llo", "hxllo")).isTrue();
        assertThat(matches("h?llo", "hllo")).isFalse();
        assertThat(matches("h?llo", "heello")).isFalse();
    }

    @Test
    void starMatchesAnyRun() {
        assertThat(matches("h*llo", "hllo")).isTrue();
        assertThat(matches("h*llo", "heeeello")).isTrue();
        assertThat(matches("h*llo", "hello")).isTrue();
        assertThat(matches("h*llo", "hellox")).isFalse();
        assertThat(matches("h*llo", "ello")).isFalse();
    }

    @Test
    void classMatchesListedCharacters() {
        assertThat(matches("h[ae]llo", "hello")).isTrue();
        assertThat(matches("h[ae]llo", "hallo")).isTrue();
        assertThat(matches("h[ae]llo", "hillo")).isFalse();
        assertThat(matches("h[ae]llo", "hllo")).isFalse();
    }

    @Test
    void negatedClass() {
        assertThat(matches("h[^e]llo", "hallo")).isTrue();
        assertThat(matches("h[^e]llo", "hbllo")).isTrue();
        assertThat(matches("h[^e]llo", "hello")).isFalse();
        assertThat(matches("[^a]", "a")).isFalse();
        assertThat(matches("[^a]", "b")).isTrue();
    }

    @Test
    void rangeClass() {
        assertThat(matches("h[a-b]llo", "hallo")).isTrue();
        assertThat(matches("h[a-b]llo", "hbllo")).isTrue();
        assertThat(matches("h[a-b]llo", "hcllo")).isFalse();
        assertThat(matches("[a-z]", "m")).isTrue();
        assertThat(matches("[a-z]", "M")).isFalse();
        assertThat(matches("[a-z]", "0")).isFalse();
        // A reversed range is the same range.
        assertThat(matches("[z-a]", "m")).isTrue();
        assertThat(matches("[0-9a-f]x", "cx")).isTrue();
        assertThat(matches("[0-9a-f]x", "gx")).isFalse();
    }

    @Test
    void escapes() {
        assertThat(matches("h\\*llo", "h*llo")).isTrue();
        assertThat(matches("h\\*llo", "hello")).isFalse();
        assertThat(matches("h\\?llo", "h?llo")).isTrue();
        assertThat(matches("h\\?llo", "hallo")).isFalse();
        assertThat(matches("\\[a]", "[a]")).isTrue();
        assertThat(matches("\\[a]", "a")).isFalse();
        // Inside a class.
        assertThat(matches("[\\]]", "]")).isTrue();
        assertThat(matches("[\\^a]", "^")).isTrue();
        assertThat(matches("[\\-]", "-")).isTrue();
        assertThat(matches("[\\-]", "a")).isFalse();
        // A trailing backslash stands for itself.
        assertThat(matches("a\\", "a\\")).isTrue();
    }

    @Test
    void star() {
        assertThat(matches("*", "anything")).isTrue();
        assertThat(matches("*", "a")).isTrue();
        assertThat(matches("**", "abc")).isTrue();
        assertThat(matches("a*", "a")).isTrue();
        assertThat(matches("a*", "abc")).isTrue();
        assertThat(matches("a*", "ba")).isFalse();
        assertThat(matches("*c", "abc")).isTrue();
        assertThat(matches("*c", "abcd")).isFalse();
        assertThat(matches("a**c", "abbbc")).isTrue();
        assertThat(matches("*a*b*", "xxaxxbxx")).isTrue();
        assertThat(matches("*a*b*", "xxbxxaxx")).isFalse();
        assertThat(matches("user:*:name", "user:42:name")).isTrue();
        assertThat(matches("user:*:name", "user:42:age")).isFalse();
    }

    @Test
    void literalAndEmpty() {
        assertThat(matches("hello", "hello")).isTrue();
        assertThat(matches("hello", "hell")).isFalse();
        assertThat(matches("hell", "hello")).isFalse();
        assertThat(matches("", "")).isTrue();
        assertThat(matches("", "a")).isFalse();
        assertThat(matches("a", "")).isFalse();
        assertThat(matches("?", "")).isFalse();
    }

    @Test
    void noCase() {
        assertThat(matches("HELLO", "hello")).isFalse();
        assertThat(matchesNoCase("HELLO", "hello")).isTrue();
        assertThat(matchesNoCase("h*O", "HellO")).isTrue();
        assertThat(matchesNoCase("h[AE]llo", "hello")).isTrue();
        assertThat(matchesNoCase("h[A-C]llo", "hbllo")).isTrue();
        assertThat(matchesNoCase("h[^E]llo", "hello")).isFalse();
        assertThat(matchesNoCase("maxmemory*", "MaxMemory-Policy")).isTrue();
    }

    @Test
    void unterminatedClassEndsAtThePatternEnd() {
        assertThat(matches("[abc", "a")).isTrue();
        assertThat(matches("[abc", "d")).isFalse();
        assertThat(matches("x[", "x")).isFalse();
    }

    @Test
    void bytesAboveAsciiMatchLiterally() {
        byte[] key = {'k', (byte) 0xe9, (byte) 0xff};
        assertThat(Glob.matches(new byte[] {'k', '?', (byte) 0xff}, key, false)).isTrue();
        assertThat(Glob.matches(new byte[] {'k', '*'}, key, true)).isTrue();
        assertThat(Glob.matches(new byte[] {'k', (byte) 0xe9, (byte) 0xfe}, key, false)).isFalse();
    }

    /**
     * Redis CVE-2022-36021: a pattern with many stars against a long string that does not match
     * must not backtrack exponentially (Redis gives up once the rest of the pattern has failed at
     * every position). The timeout only guards against a hang.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pathologicalPatternIsRejectedWithoutExponentialBacktracking() {
        String string = "a".repeat(200);
        String pattern = "*a".repeat(30) + "*b";
        assertThat(matches(pattern, string)).isFalse();
        assertThat(matches(pattern, string + "b")).isTrue();
        assertThat(matches("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", "a".repeat(100))).isFalse();
    }

    /**
     * Differential check against java.util.regex for random small patterns: cutting the search
     * short for pathological patterns must never change a result.
     */
    @Test
    void agreesWithARegexTranslationOnRandomPatterns() {
        String[] tokens = {"a", "b", "*", "*", "?", "[ab]", "[^a]", "[a-b]", "\\*", "\\a"};
        String[] regex = {"a", "b", ".*", ".*", ".", "[ab]", "[^a]", "[a-b]", "\\*", "a"};
        Random random = new Random(2024);
        for (int round = 0; round < 20_000; round++) {
            StringBuilder glob = new StringBuilder();
            StringBuilder re = new StringBuilder();
            int n = random.nextInt(8);
            for (int i = 0; i < n; i++) {
                int t = random.nextInt(tokens.length);
                glob.append(tokens[t]);
                re.append(regex[t]);
            }
            StringBuilder string = new StringBuilder();
            int len = random.nextInt(10);
            for (int i = 0; i < len; i++) {
                string.append("ab*".charAt(random.nextInt(3)));
            }
            boolean expected = Pattern.compile(re.toString(), Pattern.DOTALL).matcher(string).matches();
            assertThat(matches(glob.toString(), string.toString()))
                    .as("pattern %s string %s", glob, string).isEqualTo(expected);
        }
    }
}
