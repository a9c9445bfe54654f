package dev.panda.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * Protected mode's decision, which the integration tests cannot reach (their servers listen on
 * loopback only): Redis's rule, including its exact-text loopback test.
 */
class ProtectedModeTest {
    private static InetSocketAddress at(String ip) {
        return new InetSocketAddress(ip, 50000);
    }

    @Test
    void withoutAPasswordOnlyLoopbackClientsAreServed() {
        assertThat(ProtectedMode.refuses(true, true, at("10.1.2.3"))).isTrue();
        assertThat(ProtectedMode.refuses(true, true, at("192.168.0.7"))).isTrue();
        assertThat(ProtectedMode.refuses(true, true, at("2001:db8::1"))).isTrue();
        assertThat(ProtectedMode.refuses(true, true, at("127.0.0.1"))).isFalse();
        assertThat(ProtectedMode.refuses(true, true, at("::1"))).isFalse();
        assertThat(ProtectedMode.refuses(true, true, at("127.0.0.2"))).as("Redis compares with 127.0.0.1 exactly").isTrue();
    }

    @Test
    void aPasswordOrProtectedModeOffLetsEveryoneConnect() {
        assertThat(ProtectedMode.refuses(true, false, at("10.1.2.3"))).isFalse();
        assertThat(ProtectedMode.refuses(false, true, at("10.1.2.3"))).isFalse();
    }

    @Test
    void theRefusalIsRedisesOwnText() {
        assertThat(ProtectedMode.DENIED).startsWith("-DENIED Redis is running in protected mode because protected mode is enabled")
                .endsWith("the server to start accepting connections from the outside.\r\n");
    }
}
