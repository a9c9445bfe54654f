package dev.panda.it;

import static dev.panda.it.RespConnection.array;
import static dev.panda.it.RespConnection.bulk;
import static dev.panda.it.RespConnection.error;
import static dev.panda.it.RespConnection.integer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Pub/Sub, asserted against Panda ({@link PandaPubSubIT}) and against Debian's real redis-server
 * ({@link RedisPubSubIT}): confirmations, messages, pattern messages, subscribed mode in RESP2,
 * RESP3 pushes, PUBSUB introspection. Test thread.
 */
abstract class PubSubContract extends ServerContract {
    @Test
    void subscribersGetMessagesInOrder() throws IOException {
        try (RespConnection sub = new RespConnection(port())) {
            assertThat(sub.call("SUBSCRIBE", "news", "sport")).isEqualTo(array(bulk("subscribe"), bulk("news"), integer(1)));
            assertThat(sub.readReply()).isEqualTo(array(bulk("subscribe"), bulk("sport"), integer(2)));
            assertThat(c.call("PUBLISH", "news", "hello")).isEqualTo(integer(1));
            assertThat(c.call("PUBLISH", "nobody", "x")).isEqualTo(integer(0));
            assertThat(c.call("PUBLISH", "sport", "")).isEqualTo(integer(1));
            assertThat(sub.readReply()).isEqualTo(array(bulk("message"), bulk("news"), bulk("hello")));
            assertThat(sub.readReply()).isEqualTo(array(bulk("message"), bulk("sport"), bulk("")));
            assertThat(c.call("PUBSUB", "NUMSUB", "news", "nobody")).isEqualTo(array(bulk("news"), integer(1), bulk("nobody"), integer(0)));
            assertThat(c.call("PUBSUB", "CHANNELS", "n*")).isEqualTo(array(bulk("news")));
            assertThat(sub.call("UNSUBSCRIBE", "news")).isEqualTo(array(bulk("unsubscribe"), bulk("news"), integer(1)));
            assertThat(sub.call("UNSUBSCRIBE")).isEqualTo(array(bulk("unsubscribe"), bulk("sport"), integer(0)));
            assertThat(sub.call("UNSUBSCRIBE")).isEqualTo(array(bulk("unsubscribe"), RespConnection.NIL, integer(0)));
            assertThat(sub.call("GET", "k")).isEqualTo(RespConnection.NIL);
        }
    }

    @Test
    void patternSubscribersGetPmessages() throws IOException {
        try (RespConnection sub = new RespConnection(port())) {
            assertThat(sub.call("PSUBSCRIBE", "news.*")).isEqualTo(array(bulk("psubscribe"), bulk("news.*"), integer(1)));
            assertThat(sub.call("SUBSCRIBE", "news.it")).isEqualTo(array(bulk("subscribe"), bulk("news.it"), integer(2)));
            assertThat(c.call("PUBLISH", "news.it", "ciao")).isEqualTo(integer(2));
            assertThat(sub.readReply()).isEqualTo(array(bulk("message"), bulk("news.it"), bulk("ciao")));
            assertThat(sub.readReply()).isEqualTo(array(bulk("pmessage"), bulk("news.*"), bulk("news.it"), bulk("ciao")));
            assertThat(c.call("PUBSUB", "NUMPAT")).isEqualTo(integer(1));
            assertThat(sub.call("PUNSUBSCRIBE")).isEqualTo(array(bulk("punsubscribe"), bulk("news.*"), integer(1)));
        }
    }

    @Test
    void resp2SubscribedModeAllowsOnlyPubSubCommands() throws IOException {
        try (RespConnection sub = new RespConnection(port())) {
            sub.call("SUBSCRIBE", "ch");
            assertThat(sub.call("GET", "k")).isEqualTo(error(
                    "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"));
            assertThat(sub.call("PING")).isEqualTo(array(bulk("pong"), bulk("")));
            assertThat(sub.call("PING", "hi")).isEqualTo(array(bulk("pong"), bulk("hi")));
            assertThat(sub.call("RESET")).isEqualTo("+RESET\r\n");
            assertThat(sub.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(c.call("PUBLISH", "ch", "x")).isEqualTo(integer(0));
        }
    }

    @Test
    void resp3PushesInterleaveWithReplies() throws IOException {
        try (RespConnection sub = new RespConnection(port())) {
            assertThat(sub.call("HELLO", "3")).startsWith("%");
            assertThat(sub.call("SUBSCRIBE", "ch")).isEqualTo(">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n");
            assertThat(sub.call("SET", "k", "v")).isEqualTo("+OK\r\n");
            assertThat(c.call("PUBLISH", "ch", "m")).isEqualTo(integer(1));
            assertThat(sub.readReply()).isEqualTo(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\nm\r\n");
            assertThat(sub.call("GET", "k")).isEqualTo(bulk("v"));
        }
    }

    @Test
    void shardChannels() throws IOException {
        try (RespConnection sub = new RespConnection(port())) {
            assertThat(sub.call("SSUBSCRIBE", "s1")).isEqualTo(array(bulk("ssubscribe"), bulk("s1"), integer(1)));
            assertThat(c.call("SPUBLISH", "s1", "x")).isEqualTo(integer(1));
            assertThat(c.call("PUBLISH", "s1", "y")).isEqualTo(integer(0));
            assertThat(sub.readReply()).isEqualTo(array(bulk("smessage"), bulk("s1"), bulk("x")));
            assertThat(c.call("PUBSUB", "SHARDCHANNELS")).isEqualTo(array(bulk("s1")));
            assertThat(c.call("PUBSUB", "SHARDNUMSUB", "s1")).isEqualTo(array(bulk("s1"), integer(1)));
            assertThat(sub.call("SUNSUBSCRIBE")).isEqualTo(array(bulk("sunsubscribe"), bulk("s1"), integer(0)));
        }
    }
}
