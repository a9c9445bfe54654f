package dev.panda.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgumentSplitterTest {

    private static List<String> split(String line) {
        List<byte[]> args = ArgumentSplitter.split(line.getBytes(StandardCharsets.ISO_8859_1));
        return args == null ? null : args.stream().map(a -> new String(a, StandardCharsets.ISO_8859_1)).toList();
    }

    @Test
    void plainWords() {
        assertThat(split("set key value")).containsExactly("set", "key", "value");
        assertThat(split("  set \t key\r\n value  ")).containsExactly("set", "key", "value");
        assertThat(split("one")).containsExactly("one");
    }

    @Test
    void emptyAndBlankLinesGiveNoArguments() {
        assertThat(split("")).isEmpty();
        assertThat(split("   \t  ")).isEmpty();
    }

    @Test
    void doubleQuotesKeepSpaces() {
        assertThat(split("set \"a b\" c")).containsExactly("set", "a b", "c");
        assertThat(split("\"  leading and trailing  \"")).containsExactly("  leading and trailing  ");
    }

    @Test
    void doubleQuotedEscapes() {
        assertThat(split("\"\\n\\r\\t\\b\\a\\\\\\\"\"")).containsExactly("\n\r\t\b\u0007\\\"");
        // Any other escaped character stands for itself.
        assertThat(split("\"\\q\\'\"")).containsExactly("q'");
    }

    @Test
    void hexEscapes() {
        assertThat(split("\"\\x41\\x62\\x7a\"")).containsExactly("Abz");
        assertThat(split("\"\\xff\\x00\"")).containsExactly("\u00ff\u0000");
        assertThat(split("\"\\xFf\"")).containsExactly("\u00ff");
        // Not two hex digits: the backslash escapes the 'x' only.
        assertThat(split("\"\\xg1\"")).containsExactly("xg1");
        assertThat(split("\"\\x4\"")).containsExactly("x4");
    }

    @Test
    void hexEscapesAreOnlyUnderstoodInDoubleQuotes() {
        assertThat(split("\\x41")).containsExactly("\\x41");
        assertThat(split("'\\x41'")).containsExactly("\\x41");
    }

    @Test
    void singleQuotesOnlyUnderstandEscapedQuote() {
        assertThat(split("'c d'")).containsExactly("c d");
        assertThat(split("'it\\'s'")).containsExactly("it's");
        assertThat(split("'a\\nb'")).containsExactly("a\\nb");
        assertThat(split("'say \"hi\"'")).containsExactly("say \"hi\"");
    }

    @Test
    void quotesMayStartInsideAWord() {
        assertThat(split("ab\"c d\"")).containsExactly("abc d");
        assertThat(split("ab'c d'")).containsExactly("abc d");
    }

    @Test
    void closingQuoteFollowedByNonBlankIsAnError() {
        assertThat(split("\"foo\"bar")).isNull();
        assertThat(split("'foo'bar")).isNull();
        assertThat(split("\"foo\"\"bar\"")).isNull();
        assertThat(split("\"foo\" bar")).containsExactly("foo", "bar");
        assertThat(split("'foo'\tbar")).containsExactly("foo", "bar");
    }

    @Test
    void unterminatedQuotesAreAnError() {
        assertThat(split("\"foo")).isNull();
        assertThat(split("'foo")).isNull();
        assertThat(split("set \"foo bar")).isNull();
        assertThat(split("\"foo\\\"")).isNull(); // the escaped quote does not close
        assertThat(split("'foo\\'")).isNull();
        assertThat(split("\"foo\\")).isNull();
        assertThat(split("\"")).isNull();
    }

    @Test
    void emptyQuotedStringIsAnEmptyArgument() {
        assertThat(split("set k \"\"")).containsExactly("set", "k", "");
        assertThat(split("''")).containsExactly("");
        assertThat(split("\"\" \"\"")).containsExactly("", "");
    }

    @Test
    void nonAsciiBytesPassThrough() {
        byte[] line = {'s', 'e', 't', ' ', (byte) 0xc3, (byte) 0xa9, ' ', (byte) 0xff};
        List<byte[]> args = ArgumentSplitter.split(line);
        assertThat(args).hasSize(3);
        assertThat(args.get(1)).containsExactly((byte) 0xc3, (byte) 0xa9);
        assertThat(args.get(2)).containsExactly((byte) 0xff);
    }
}
