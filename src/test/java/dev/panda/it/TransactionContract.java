package dev.panda.it;

import static dev.panda.it.RespConnection.NIL;
import static dev.panda.it.RespConnection.OK;
import static dev.panda.it.RespConnection.array;
import static dev.panda.it.RespConnection.bulk;
import static dev.panda.it.RespConnection.error;
import static dev.panda.it.RespConnection.integer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH, asserted against Panda ({@link PandaTransactionIT})
 * and against Debian's real redis-server ({@link RedisTransactionIT}). Test thread.
 */
abstract class TransactionContract extends ServerContract {
    static final String QUEUED = "+QUEUED\r\n";
    static final String NULL_ARRAY = "*-1\r\n";

    @Test
    void queuedCommandsRunAtExecWithTheirOwnReplies() throws IOException {
        assertThat(c.call("MULTI")).isEqualTo(OK);
        assertThat(c.call("SET", "a", "1")).isEqualTo(QUEUED);
        assertThat(c.call("INCR", "a")).isEqualTo(QUEUED);
        assertThat(c.call("LPUSH", "a", "x")).isEqualTo(QUEUED);
        assertThat(c.call("GET", "a")).isEqualTo(QUEUED);
        assertThat(c.call("EXEC")).isEqualTo(array(OK, integer(2),
                error("WRONGTYPE Operation against a key holding the wrong kind of value"), bulk("2")));
        assertThat(c.call("MULTI")).isEqualTo(OK);
        assertThat(c.call("EXEC")).isEqualTo("*0\r\n");
    }

    @Test
    void errorsOfTheTransactionItself() throws IOException {
        assertThat(c.call("EXEC")).isEqualTo(error("ERR EXEC without MULTI"));
        assertThat(c.call("DISCARD")).isEqualTo(error("ERR DISCARD without MULTI"));
        assertThat(c.call("MULTI")).isEqualTo(OK);
        assertThat(c.call("MULTI")).isEqualTo(error("ERR MULTI calls can not be nested"));
        assertThat(c.call("WATCH", "a")).isEqualTo(error("ERR WATCH inside MULTI is not allowed"));
        assertThat(c.call("SET", "a", "1")).isEqualTo(QUEUED);
        assertThat(c.call("DISCARD")).isEqualTo(OK);
        assertThat(c.call("EXISTS", "a")).isEqualTo(integer(0));
    }

    @Test
    void aQueueingErrorAbortsTheWholeTransaction() throws IOException {
        assertThat(c.call("MULTI")).isEqualTo(OK);
        assertThat(c.call("SET", "a", "1")).isEqualTo(QUEUED);
        assertThat(c.call("NOSUCHCOMMAND")).startsWith("-ERR unknown command 'NOSUCHCOMMAND'");
        assertThat(c.call("GET")).isEqualTo(error("ERR wrong number of arguments for 'get' command"));
        assertThat(c.call("EXEC")).isEqualTo(error("EXECABORT Transaction discarded because of previous errors."));
        assertThat(c.call("EXISTS", "a")).isEqualTo(integer(0));
        assertThat(c.call("EXEC")).isEqualTo(error("ERR EXEC without MULTI"));
    }

    @Test
    void aWatchedKeyChangedByAnotherClientFailsExec() throws IOException {
        try (RespConnection other = new RespConnection(port())) {
            c.call("SET", "k", "1");
            assertThat(c.call("WATCH", "k", "unrelated")).isEqualTo(OK);
            assertThat(other.call("SET", "k", "2")).isEqualTo(OK);
            assertThat(c.call("MULTI")).isEqualTo(OK);
            assertThat(c.call("SET", "k", "3")).isEqualTo(QUEUED);
            assertThat(c.call("EXEC")).isEqualTo(NULL_ARRAY);
            assertThat(c.call("GET", "k")).isEqualTo(bulk("2"));
            // The watch ends with EXEC: the next transaction runs.
            assertThat(c.call("MULTI")).isEqualTo(OK);
            assertThat(c.call("SET", "k", "3")).isEqualTo(QUEUED);
            assertThat(c.call("EXEC")).isEqualTo(array(OK));
        }
    }

    @Test
    void untouchedWatchesAndUnwatchLetExecRun() throws IOException {
        try (RespConnection other = new RespConnection(port())) {
            assertThat(c.call("WATCH", "k")).isEqualTo(OK);
            other.call("SET", "elsewhere", "x");
            assertThat(c.call("MULTI")).isEqualTo(OK);
            c.call("INCR", "k");
            assertThat(c.call("EXEC")).isEqualTo(array(integer(1)));
            assertThat(c.call("WATCH", "k")).isEqualTo(OK);
            other.call("DEL", "k");
            assertThat(c.call("UNWATCH")).isEqualTo(OK);
            c.call("MULTI");
            c.call("INCR", "k");
            assertThat(c.call("EXEC")).isEqualTo(array(integer(1)));
        }
    }

    @Test
    void everyKindOfChangeTouchesAWatchedKey() throws IOException {
        try (RespConnection other = new RespConnection(port())) {
            String[][] changes = {{"HSET", "k", "f", "v"}, {"RPUSH", "k", "e"}, {"ZADD", "k", "1", "m"}, {"SADD", "k", "m"},
                    {"EXPIRE", "k", "100"}, {"DEL", "k"}, {"FLUSHDB"}, {"RENAME", "src", "k"}};
            for (String[] change : changes) {
                c.call("SET", "k", "v");
                c.call("SET", "src", "v");
                if (!change[0].equals("SET") && !change[0].equals("EXPIRE") && !change[0].equals("DEL")
                        && !change[0].equals("FLUSHDB") && !change[0].equals("RENAME")) {
                    c.call("DEL", "k");
                }
                assertThat(c.call("WATCH", "k")).isEqualTo(OK);
                assertThat(other.call(change)).as(String.join(" ", change)).doesNotStartWith("-");
                c.call("MULTI");
                c.call("PING");
                assertThat(c.call("EXEC")).as(String.join(" ", change)).isEqualTo(NULL_ARRAY);
            }
        }
    }

    @Test
    void aWatchedKeyThatExpiresFailsExec() throws Exception {
        c.call("SET", "k", "v", "PX", "30");
        assertThat(c.call("WATCH", "k")).isEqualTo(OK);
        Poll.until("the key expired", java.time.Duration.ofSeconds(5), () -> c.call("PTTL", "k").equals(integer(-2)));
        c.call("MULTI");
        c.call("PING");
        assertThat(c.call("EXEC")).isEqualTo(NULL_ARRAY);
    }

    /** FLUSHDB, FLUSHALL and SWAPDB break a WATCH only on a key that exists in a database they empty or replace. */
    @Test
    void flushesAndSwapsBreakOnlyWatchesOnKeysThatExist() throws IOException {
        try (RespConnection other = new RespConnection(port())) {
            assertThat(c.call("WATCH", "missing")).isEqualTo(OK);
            other.call("SET", "unrelated", "1");
            other.call("FLUSHDB");
            assertThat(c.call("MULTI")).isEqualTo(OK);
            assertThat(c.call("SET", "x", "1")).isEqualTo(QUEUED);
            assertThat(c.call("EXEC")).isEqualTo(array(OK));

            c.call("SET", "present", "1");
            assertThat(c.call("WATCH", "present")).isEqualTo(OK);
            other.call("FLUSHALL");
            assertThat(c.call("MULTI")).isEqualTo(OK);
            assertThat(c.call("SET", "x", "2")).isEqualTo(QUEUED);
            assertThat(c.call("EXEC")).isEqualTo(NULL_ARRAY);

            assertThat(c.call("WATCH", "k")).isEqualTo(OK);
            other.call("SELECT", "1");
            other.call("SET", "k", "in db 1");
            other.call("SWAPDB", "0", "1");
            assertThat(c.call("MULTI")).isEqualTo(OK);
            assertThat(c.call("GET", "k")).isEqualTo(QUEUED);
            assertThat(c.call("EXEC")).isEqualTo(NULL_ARRAY);
            other.call("FLUSHALL");
        }
    }
}
