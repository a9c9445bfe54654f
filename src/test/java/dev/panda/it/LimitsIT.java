package dev.panda.it;

import static dev.panda.it.RespConnection.OK;
import static dev.panda.it.RespConnection.bulk;
import static dev.panda.it.RespConnection.error;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad and hostile input against Panda: oversized declarations, clients that never read,
 * too many clients, idle clients, passwords. Each offender gets an error or is closed alone;
 * everyone else keeps being served and memory stays bounded. Test thread.
 */
class LimitsIT {
    private static RunningPanda panda;

    @BeforeAll
    static void start() throws Exception {
        panda = new RunningPanda();
    }

    @AfterAll
    static void stop() {
        panda.close();
    }

    private static long infoField(RespConnection c, String section, String field) throws IOException {
        for (String line : c.call("INFO", section).split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1));
            }
        }
        throw new AssertionError("no field " + field);
    }

    @Test
    void declaredHugeBulkThatNeverArrivesAllocatesNothing() throws Exception {
        try (RespConnection watcher = new RespConnection(panda.port);
             RespConnection liar = new RespConnection(panda.port)) {
            long before = infoField(watcher, "memory", "network_buffers_used");
            liar.send("*2\r\n$3\r\nGET\r\n$400000000\r\nabc");
            liar.send("*2147483647\r\n");
            // The server keeps answering others while the lie is pending.
            assertThat(watcher.call("PING")).isEqualTo("+PONG\r\n");
            long after = infoField(watcher, "memory", "network_buffers_used");
            assertThat(after - before).isLessThan(64L * 1024 * 1024);
        }
    }

    @Test
    void bulkOverConfiguredLimitIsRejected() throws Exception {
        try (RespConnection admin = new RespConnection(panda.port)) {
            assertThat(admin.call("CONFIG", "SET", "proto-max-bulk-len", "1mb")).isEqualTo(OK);
            try (RespConnection c = new RespConnection(panda.port)) {
                c.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000000\r\n");
                assertThat(c.readReply()).isEqualTo(error("ERR Protocol error: invalid bulk length"));
                assertThat(c.closedByServer()).isTrue();
            } finally {
                assertThat(admin.call("CONFIG", "SET", "proto-max-bulk-len", "512mb")).isEqualTo(OK);
            }
        }
    }

    @Test
    void queryBufferLimitClosesTheClient() throws Exception {
        try (RespConnection admin = new RespConnection(panda.port)) {
            assertThat(admin.call("CONFIG", "SET", "client-query-buffer-limit", "1mb")).isEqualTo(OK);
            try (RespConnection c = new RespConnection(panda.port)) {
                c.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3000000\r\n");
                try {
                    c.send("x".repeat(1_500_000));
                } catch (java.net.SocketException e) {
                    // the server closed the connection while the rest was still being sent
                }
                // The error reply comes before the close; a reset (the close with our bytes
                // unread) may discard it here, but never may the command be accepted.
                String reply;
                try {
                    reply = c.readReply();
                } catch (java.net.SocketException e) {
                    reply = "(connection reset)";
                }
                assertThat(reply).isIn(error("ERR Protocol error: query buffer limit exceeded"), "(connection reset)");
                assertThat(c.closedByServer()).isTrue();
            } finally {
                assertThat(admin.call("CONFIG", "SET", "client-query-buffer-limit", "1gb")).isEqualTo(OK);
            }
            assertThat(admin.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void largeValuesWithinLimitsRoundTrip() throws Exception {
        try (RespConnection c = new RespConnection(panda.port)) {
            String big = "v".repeat(5_000_000);
            assertThat(c.call("SET", "big", big)).isEqualTo(OK);
            assertThat(c.call("STRLEN", "big")).isEqualTo(":5000000\r\n");
            assertThat(c.call("GET", "big")).isEqualTo(bulk(big));
        }
    }

    @Test
    void clientThatNeverReadsIsPausedNotBuffered() throws Exception {
        try (RespConnection admin = new RespConnection(panda.port);
             RespConnection greedy = new RespConnection(panda.port)) {
            assertThat(admin.call("SET", "mb", "x".repeat(1_000_000))).isEqualTo(OK);
            StringBuilder gets = new StringBuilder();
            for (int i = 0; i < 2000; i++) {
                gets.append("*2\r\n$3\r\nGET\r\n$2\r\nmb\r\n");
            }
            greedy.send(gets.toString()); // asks for 2 GB of replies and reads none of them
            long peak = 0;
            for (int i = 0; i < 20; i++) {
                assertThat(admin.call("PING")).isEqualTo("+PONG\r\n");
                peak = Math.max(peak, infoField(admin, "memory", "network_buffers_used"));
            }
            assertThat(peak).isLessThan(256L * 1024 * 1024);
            // Once the client reads, everything it asked for arrives, in order.
            for (int i = 0; i < 2000; i++) {
                assertThat(greedy.readReply().length()).isEqualTo("$1000000\r\n".length() + 1_000_000 + 2);
            }
            assertThat(greedy.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void maxclientsRejectsTheExtraConnection() throws Exception {
        try (RespConnection admin = new RespConnection(panda.port)) {
            int connected = (int) infoField(admin, "clients", "connected_clients");
            assertThat(admin.call("CONFIG", "SET", "maxclients", Integer.toString(connected + 1))).isEqualTo(OK);
            List<RespConnection> extra = new ArrayList<>();
            try {
                RespConnection ok = new RespConnection(panda.port);
                extra.add(ok);
                assertThat(ok.call("PING")).isEqualTo("+PONG\r\n");
                RespConnection rejected = new RespConnection(panda.port);
                extra.add(rejected);
                assertThat(rejected.readReply()).isEqualTo(error("ERR max number of clients reached"));
                assertThat(rejected.closedByServer()).isTrue();
                assertThat(infoField(admin, "stats", "rejected_connections")).isGreaterThanOrEqualTo(1);
            } finally {
                for (RespConnection c : extra) {
                    c.close();
                }
                assertThat(admin.call("CONFIG", "SET", "maxclients", "10000")).isEqualTo(OK);
            }
        }
    }

    @Test
    void idleClientsAreClosedAfterTimeout() throws Exception {
        try (RespConnection idle = new RespConnection(panda.port)) {
            assertThat(idle.call("PING")).isEqualTo("+PONG\r\n");
            try (RespConnection admin = new RespConnection(panda.port)) {
                assertThat(admin.call("CONFIG", "SET", "timeout", "1")).isEqualTo(OK);
            }
            try {
                Poll.until("the idle client is closed", Duration.ofSeconds(10), idle::closedByServer);
            } finally {
                try (RespConnection admin = new RespConnection(panda.port)) {
                    assertThat(admin.call("CONFIG", "SET", "timeout", "0")).isEqualTo(OK);
                }
            }
        }
    }

    @Test
    void requirepassGuardsEveryCommandButAuthAndHello() throws Exception {
        try (RunningPanda guarded = new RunningPanda("--requirepass", "s3cret");
             RespConnection c = new RespConnection(guarded.port)) {
            assertThat(c.call("GET", "k")).isEqualTo(error("NOAUTH Authentication required."));
            assertThat(c.call("HELLO", "3")).startsWith("-NOAUTH HELLO must be called with the client already authenticated");
            assertThat(c.call("AUTH", "wrong")).isEqualTo(error("WRONGPASS invalid username-password pair or user is disabled."));
            assertThat(c.call("AUTH", "s3cret")).isEqualTo(OK);
            assertThat(c.call("SET", "k", "v")).isEqualTo(OK);
            try (RespConnection other = new RespConnection(guarded.port)) {
                assertThat(other.call("HELLO", "3", "AUTH", "default", "s3cret")).startsWith("%7\r\n");
                assertThat(other.call("GET", "k")).isEqualTo(bulk("v"));
                assertThat(other.call("RESET")).isEqualTo("+RESET\r\n");
                assertThat(other.call("GET", "k")).isEqualTo(error("NOAUTH Authentication required."));
            }
        }
    }
}
