package dev.panda.it;

import static dev.panda.it.RespConnection.NIL;
import static dev.panda.it.RespConnection.OK;
import static dev.panda.it.RespConnection.integer;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Expiry seen from a client: lazy expiry hides a key the moment its deadline passes, and the
 * active cycle removes keys nobody reads. Waits poll for conditions; nothing sleeps for a TTL.
 */
class ExpiryIT {
    private static RunningPanda panda;

    @BeforeAll
    static void start() throws Exception {
        panda = new RunningPanda("--enable-debug-command", "yes");
    }

    @AfterAll
    static void stop() {
        panda.close();
    }

    @Test
    void expiredKeyIsInvisibleBeforeActiveCycleRuns() throws Exception {
        try (RespConnection c = new RespConnection(panda.port)) {
            c.call("SELECT", "5");
            c.call("FLUSHDB");
            assertThat(c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0")).isEqualTo(OK);
            try {
                for (String k : new String[] {"a", "b", "c", "d", "e", "sentinel"}) {
                    assertThat(c.call("SET", k, "v", "PX", "30")).isEqualTo(OK);
                }
                assertThat(c.call("SET", "keep", "v")).isEqualTo(OK);
                Poll.until("sentinel expired", Duration.ofSeconds(10), () -> c.call("EXISTS", "sentinel").equals(integer(0)));
                // Not yet removed, so still counted, as in Redis...
                assertThat(c.call("DBSIZE")).isEqualTo(integer(6));
                // ...but never visible.
                assertThat(c.call("GET", "a")).isEqualTo(NIL);
                assertThat(c.call("TYPE", "b")).isEqualTo("+none\r\n");
                assertThat(c.call("TTL", "c")).isEqualTo(integer(-2));
                assertThat(c.call("SCAN", "0", "COUNT", "100")).isEqualTo("*2\r\n$1\r\n0\r\n*1\r\n$4\r\nkeep\r\n");
                assertThat(c.call("KEYS", "*")).isEqualTo("*1\r\n$4\r\nkeep\r\n");
                assertThat(c.call("RANDOMKEY")).isEqualTo("$4\r\nkeep\r\n");
                assertThat(c.call("DBSIZE")).isEqualTo(integer(1));
            } finally {
                c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
            }
        }
    }

    @Test
    void activeCycleRemovesKeysNobodyReads() throws Exception {
        try (RespConnection c = new RespConnection(panda.port)) {
            c.call("SELECT", "6");
            c.call("FLUSHDB");
            for (int i = 0; i < 1000; i++) {
                c.call("SET", "k" + i, "v", "PX", Integer.toString(20 + i % 50));
            }
            c.call("SET", "persistent", "v");
            Poll.until("the active cycle removed every expired key", Duration.ofSeconds(10),
                    () -> c.call("DBSIZE").equals(integer(1)));
            assertThat(c.call("INFO", "stats")).containsPattern("expired_keys:(\\d{4,})");
            assertThat(c.call("INFO", "keyspace")).contains("db6:keys=1,expires=0");
        }
    }
}
