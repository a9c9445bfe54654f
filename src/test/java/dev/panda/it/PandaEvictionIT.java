package dev.panda.it;

import static dev.panda.it.RespConnection.OK;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The maxmemory and eviction assertions against Panda, plus what Panda reports beyond Redis 7.0:
 * the count of clients closed at their output buffer limit (7.0 only logs them; 7.2 counts them
 * under the same INFO name).
 */
class PandaEvictionIT extends EvictionContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.panda();

    @Override
    protected int port() {
        return SERVER.port();
    }

    @Test
    void clientsClosedAtTheOutputBufferLimitAreCounted() throws Exception {
        long before = Long.parseLong(infoField("stats", "client_output_buffer_limit_disconnections"));
        assertThat(c.call("CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 0 0")).isEqualTo(OK);
        assertThat(c.call("SET", "bigkey", value(512 * 1024, 'b'))).isEqualTo(OK);
        try (RespConnection slow = new RespConnection(port())) {
            assertThat(slow.call("PING")).isEqualTo("+PONG\r\n");
            ByteArrayOutputStream gets = new ByteArrayOutputStream();
            for (int i = 0; i < 200; i++) {
                gets.writeBytes(RespConnection.encode("GET", "bigkey"));
            }
            slow.send(gets.toByteArray());
            Poll.until("the disconnection to be counted", Duration.ofSeconds(10),
                    () -> Long.parseLong(infoField("stats", "client_output_buffer_limit_disconnections")) == before + 1);
        }
        assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
    }
}
