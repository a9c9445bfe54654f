package dev.panda.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MonitorsTest {

    private static String line(long redacted, byte[]... argv) {
        return new String(Monitors.format(1339518083, 107412, 0, "127.0.0.1:60866", argv, redacted), StandardCharsets.ISO_8859_1);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void formatsTheLineAsRedisDoes() {
        assertThat(line(0, b("keys"), b("*"))).isEqualTo("+1339518083.107412 [0 127.0.0.1:60866] \"keys\" \"*\"\r\n");
        assertThat(new String(Monitors.format(5, 7, 3, "127.0.0.1:1", new byte[][] {b("PING")}, 0), StandardCharsets.US_ASCII))
                .isEqualTo("+5.000007 [3 127.0.0.1:1] \"PING\"\r\n");
    }

    @Test
    void escapesArgumentsAsSdscatreprDoes() {
        byte[] arg = {'a', '"', 'b', '\\', 'c', '\n', '\r', '\t', 7, '\b', 1, (byte) 0xff, ' ', (byte) 0xc3, (byte) 0xa9, '~', 0x7f};
        assertThat(line(0, b("SET"), arg))
                .endsWith("\"SET\" \"a\\\"b\\\\c\\n\\r\\t\\a\\b\\x01\\xff \\xc3\\xa9~\\x7f\"\r\n");
    }

    @Test
    void redactedArgumentsAreNotShown() {
        assertThat(line(0b110, b("AUTH"), b("user"), b("secret"))).endsWith("\"AUTH\" \"(redacted)\" \"(redacted)\"\r\n");
    }
}
