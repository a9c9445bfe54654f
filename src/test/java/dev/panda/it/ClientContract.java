package dev.panda.it;

import static dev.panda.it.RespConnection.NIL;
import static dev.panda.it.RespConnection.OK;
import static dev.panda.it.RespConnection.bulk;
import static dev.panda.it.RespConnection.error;
import static dev.panda.it.RespConnection.integer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * CLIENT PAUSE and UNPAUSE, CLIENT LIST and KILL by type, and CLIENT HELP, asserted against
 * Panda ({@link PandaClientIT}) and Debian's real redis-server ({@link RedisClientIT}). Test thread.
 */
abstract class ClientContract extends ServerContract {

    @Test
    void pauseWriteHoldsWritesUntilUnpause() throws IOException {
        try (RespConnection writer = new RespConnection(port()); RespConnection reader = new RespConnection(port())) {
            assertThat(writer.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(c.call("CLIENT", "PAUSE", "20000", "WRITE")).isEqualTo(OK);
            writer.send(RespConnection.encode("SET", "k", "v"));
            writer.send(RespConnection.encode("GET", "k")); // behind the postponed SET
            awaitBlocked(1);
            assertThat(reader.call("GET", "k")).isEqualTo(NIL); // reads still run
            assertThat(reader.call("CLIENT", "LIST")).contains("flags=b");
            assertThat(c.call("CLIENT", "UNPAUSE")).isEqualTo(OK);
            assertThat(writer.readReply()).isEqualTo(OK);
            assertThat(writer.readReply()).isEqualTo(bulk("v"));
            assertThat(blocked()).isZero();
        }
    }

    @Test
    void pauseAllHoldsEveryCommandUntilItEnds() throws IOException {
        try (RespConnection other = new RespConnection(port())) {
            assertThat(other.call("PING")).isEqualTo("+PONG\r\n");
            long start = System.nanoTime();
            assertThat(c.call("CLIENT", "PAUSE", "300", "ALL")).isEqualTo(OK);
            assertThat(other.call("PING")).isEqualTo("+PONG\r\n");
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(250);
        }
    }

    @Test
    void pauseErrors() throws IOException {
        assertThat(c.call("CLIENT", "PAUSE", "abc")).isEqualTo(error("ERR timeout is not an integer or out of range"));
        assertThat(c.call("CLIENT", "PAUSE", "-1")).isEqualTo(error("ERR timeout is negative"));
        assertThat(c.call("CLIENT", "PAUSE", "10", "BOGUS")).isEqualTo(error("ERR CLIENT PAUSE mode must be WRITE or ALL"));
        assertThat(c.call("CLIENT", "UNPAUSE")).isEqualTo(OK);
    }

    @Test
    void listAndKillByType() throws IOException {
        try (RespConnection sub = new RespConnection(port())) {
            assertThat(sub.call("SUBSCRIBE", "ch")).startsWith("*3\r\n");
            String pubsub = new String(c.callForBulk("CLIENT", "LIST", "TYPE", "pubsub"), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(pubsub.lines().count()).isEqualTo(1);
            assertThat(pubsub).contains("flags=P").contains("sub=1").contains("cmd=subscribe");
            String normal = new String(c.callForBulk("CLIENT", "LIST", "TYPE", "normal"), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(normal.lines().count()).isEqualTo(1);
            assertThat(normal).contains("cmd=client|list");
            assertThat(c.call("CLIENT", "LIST", "TYPE", "bogus")).isEqualTo(error("ERR Unknown client type 'bogus'"));
            assertThat(c.call("CLIENT", "KILL", "TYPE", "pubsub")).isEqualTo(integer(1));
            assertThat(sub.closedByServer()).isTrue();
        }
    }

    @Test
    void helpListsRedisSubcommands() throws IOException {
        String help = c.call("CLIENT", "HELP");
        assertThat(help).startsWith("*48\r\n+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CACHING (YES|NO)\r\n")
                .contains("+PAUSE <timeout> [WRITE|ALL]\r\n+    Suspend all, or just write, clients for <timeout> milliseconds.\r\n")
                .endsWith("+HELP\r\n+    Prints this help.\r\n");
    }
}
