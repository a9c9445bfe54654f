package dev.panda.it;

import static dev.panda.it.RespConnection.NIL;
import static dev.panda.it.RespConnection.array;
import static dev.panda.it.RespConnection.bulk;
import static dev.panda.it.RespConnection.error;
import static dev.panda.it.RespConnection.integer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Blocking pops across several connections, asserted against Panda ({@link PandaBlockingIT})
 * and against Debian's real redis-server ({@link RedisBlockingIT}): who is served, in which
 * order, with which reply, after a timeout, a CLIENT UNBLOCK, a push inside MULTI, or a waiter
 * that disconnected. A waiter is known to be parked when INFO's blocked_clients says so (polled,
 * never a fixed sleep). Test thread.
 */
abstract class BlockingContract extends ServerContract {
    static final String NULL_ARRAY = "*-1\r\n";

    private final List<RespConnection> others = new ArrayList<>();

    @AfterEach
    void closeOthers() throws IOException {
        for (RespConnection o : others) {
            o.close();
        }
    }

    private RespConnection connect() throws IOException {
        RespConnection o = new RespConnection(port());
        others.add(o);
        return o;
    }

    private static byte[] command(String... args) {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return RespConnection.encodeBinary(b);
    }

    /** Sends a blocking command on a new connection and waits until the server counts it blocked. */
    private RespConnection block(int blockedBefore, String... args) throws IOException {
        RespConnection o = connect();
        o.send(command(args));
        awaitBlocked(blockedBefore + 1);
        return o;
    }

    @Test
    void anElementAlreadyThereIsServedAtOnce() throws IOException {
        c.call("RPUSH", "b", "x");
        assertThat(c.call("BLPOP", "a", "b", "0")).isEqualTo(array(bulk("b"), bulk("x")));
        c.call("ZADD", "z", "1", "m");
        assertThat(c.call("BZPOPMAX", "y", "z", "0")).isEqualTo(array(bulk("z"), bulk("m"), bulk("1")));
        assertThat(c.call("BLPOP", "a", "-1")).isEqualTo(error("ERR timeout is negative"));
        assertThat(c.call("BLPOP", "a", "x")).isEqualTo(error("ERR timeout is not a float or out of range"));
    }

    @Test
    void twoWaitersOnOneKeyAreServedInArrivalOrder() throws IOException {
        RespConnection first = block(0, "BLPOP", "q", "0");
        RespConnection second = block(1, "BRPOP", "q", "0");
        assertThat(c.call("RPUSH", "q", "1", "2", "3")).isEqualTo(integer(3));
        assertThat(first.readReply()).isEqualTo(array(bulk("q"), bulk("1")));
        assertThat(second.readReply()).isEqualTo(array(bulk("q"), bulk("3")));
        assertThat(c.call("LRANGE", "q", "0", "-1")).isEqualTo(array(bulk("2")));
        assertThat(blocked()).isZero();
    }

    @Test
    void aWaiterOnSeveralKeysIsServedByTheOneThatGetsElements() throws IOException {
        RespConnection w = block(0, "BLPOP", "k1", "k2", "k3", "0");
        c.call("RPUSH", "k3", "v");
        assertThat(w.readReply()).isEqualTo(array(bulk("k3"), bulk("v")));
        assertThat(c.call("EXISTS", "k3")).isEqualTo(integer(0));
    }

    @Test
    void timeoutsAnswerNullArrays() throws IOException {
        assertThat(c.call("BLPOP", "none", "0.05")).isEqualTo(NULL_ARRAY);
        assertThat(c.call("BZPOPMIN", "none", "0.05")).isEqualTo(NULL_ARRAY);
        assertThat(c.call("BLMOVE", "none", "dst", "LEFT", "LEFT", "0.05")).isEqualTo(NULL_ARRAY);
        assertThat(c.call("BLMPOP", "0.05", "1", "none", "LEFT")).isEqualTo(NULL_ARRAY);
    }

    @Test
    void lmoveOntoAKeyWithWaitersServesThem() throws IOException {
        RespConnection w = block(0, "BLMOVE", "mid", "end", "LEFT", "RIGHT", "0");
        RespConnection w2 = block(1, "BRPOP", "end", "0");
        c.call("RPUSH", "start", "job");
        assertThat(c.call("LMOVE", "start", "mid", "LEFT", "LEFT")).isEqualTo(bulk("job"));
        assertThat(w.readReply()).isEqualTo(bulk("job"));
        assertThat(w2.readReply()).isEqualTo(array(bulk("end"), bulk("job")));
        assertThat(c.call("EXISTS", "start", "mid", "end")).isEqualTo(integer(0));
    }

    @Test
    void sortedSetWaitersGetMemberAndScore() throws IOException {
        RespConnection w = block(0, "BZPOPMIN", "z", "0");
        RespConnection w2 = block(1, "BZMPOP", "0", "1", "z", "MAX", "COUNT", "2");
        c.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
        assertThat(w.readReply()).isEqualTo(array(bulk("z"), bulk("a"), bulk("1")));
        assertThat(w2.readReply()).isEqualTo(array(bulk("z"), array(array(bulk("d"), bulk("4")), array(bulk("c"), bulk("3")))));
        assertThat(c.call("ZRANGE", "z", "0", "-1")).isEqualTo(array(bulk("b")));
    }

    @Test
    void aListWaiterIgnoresASortedSetAtItsKey() throws IOException {
        RespConnection w = block(0, "BLPOP", "k", "0");
        c.call("ZADD", "k", "1", "a");
        c.call("DEL", "k");
        c.call("RPUSH", "k", "v");
        assertThat(w.readReply()).isEqualTo(array(bulk("k"), bulk("v")));
    }

    @Test
    void clientUnblockWithTimeoutOrError() throws IOException {
        RespConnection w = connect();
        long id = Long.parseLong(w.call("CLIENT", "ID").substring(1).trim());
        w.send(command("BLPOP", "q", "0"));
        awaitBlocked(1);
        RespConnection w2 = connect();
        long id2 = Long.parseLong(w2.call("CLIENT", "ID").substring(1).trim());
        w2.send(command("BRPOPLPUSH", "q", "d", "0"));
        awaitBlocked(2);
        assertThat(c.call("CLIENT", "UNBLOCK", Long.toString(id), "TIMEOUT")).isEqualTo(integer(1));
        assertThat(w.readReply()).isEqualTo(NULL_ARRAY);
        assertThat(c.call("CLIENT", "UNBLOCK", Long.toString(id2), "ERROR")).isEqualTo(integer(1));
        assertThat(w2.readReply()).isEqualTo(error("UNBLOCKED client unblocked via CLIENT UNBLOCK"));
        assertThat(c.call("CLIENT", "UNBLOCK", Long.toString(id2))).isEqualTo(integer(0));
        assertThat(c.call("CLIENT", "UNBLOCK", "999999")).isEqualTo(integer(0));
        assertThat(c.call("CLIENT", "UNBLOCK", Long.toString(id2), "MAYBE"))
                .isEqualTo(error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"));
    }

    @Test
    void aWaiterThatDisconnectsIsForgotten() throws IOException {
        RespConnection w = block(0, "BLPOP", "q", "0");
        w.close();
        others.remove(w);
        awaitBlocked(0);
        c.call("RPUSH", "q", "kept");
        assertThat(c.call("LRANGE", "q", "0", "-1")).isEqualTo(array(bulk("kept")));
    }

    @Test
    void commandsPipelinedAfterABlockedOneWaitForIt() throws IOException {
        RespConnection w = connect();
        byte[] a = command("BLPOP", "q", "0");
        byte[] b = command("LLEN", "q");
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        w.send(both);
        awaitBlocked(1);
        c.call("RPUSH", "q", "x", "y");
        assertThat(w.readReply()).isEqualTo(array(bulk("q"), bulk("x")));
        assertThat(w.readReply()).isEqualTo(integer(1));
    }

    @Test
    void aPushInsideMultiServesTheWaiterAfterExec() throws IOException {
        RespConnection w = block(0, "BLPOP", "q", "0");
        assertThat(c.call("MULTI")).isEqualTo("+OK\r\n");
        c.call("RPUSH", "q", "a");
        c.call("RPUSH", "q", "b");
        assertThat(c.call("EXEC")).isEqualTo(array(integer(1), integer(2)));
        assertThat(w.readReply()).isEqualTo(array(bulk("q"), bulk("a")));
        assertThat(c.call("LRANGE", "q", "0", "-1")).isEqualTo(array(bulk("b")));
    }

    @Test
    void blockingCommandsInsideMultiDoNotBlock() throws IOException {
        c.call("MULTI");
        c.call("BLPOP", "q", "0");
        c.call("BLMOVE", "q", "d", "LEFT", "LEFT", "0");
        c.call("BZPOPMIN", "z", "0");
        assertThat(c.call("EXEC")).isEqualTo(array(NULL_ARRAY, NIL, NULL_ARRAY));
    }
}
