package dev.panda.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Pub/Sub through a client library (Jedis's subscribe API) and a subscriber that stops reading:
 * it is disconnected once its unsent messages pass the pubsub output limit (32 MB), and the
 * server keeps serving everyone else. Test thread (and a Jedis subscriber thread).
 */
class PubSubLimitsIT {
    private static RunningPanda panda;

    @BeforeAll
    static void start() throws Exception {
        panda = new RunningPanda();
    }

    @AfterAll
    static void stop() {
        panda.close();
    }

    @Test
    void jedisSubscribersReceiveWhatIsPublished() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        CountDownLatch subscribed = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(3);
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                received.add(channel + ":" + message);
                done.countDown();
            }

            @Override
            public void onPMessage(String pattern, String channel, String message) {
                received.add(pattern + ">" + channel + ":" + message);
                done.countDown();
            }

            @Override
            public void onPSubscribe(String pattern, int subscribedChannels) {
                subscribed.countDown();
            }
        };
        Thread t = new Thread(() -> {
            try (Jedis jedis = new Jedis("127.0.0.1", panda.port)) {
                jedis.psubscribe(listener, "orders.*");
            }
        }, "jedis-subscriber");
        t.start();
        assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();
        try (Jedis jedis = new Jedis("127.0.0.1", panda.port)) {
            assertThat(jedis.publish("orders.new", "1")).isEqualTo(1);
            assertThat(jedis.publish("orders.paid", "2")).isEqualTo(1);
            assertThat(jedis.publish("other", "3")).isZero();
            assertThat(jedis.publish("orders.new", "4")).isEqualTo(1);
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        listener.punsubscribe();
        t.join(10_000);
        assertThat(received).containsExactly("orders.*>orders.new:1", "orders.*>orders.paid:2", "orders.*>orders.new:4");
    }

    @Test
    void aSubscriberThatDoesNotReadIsDisconnected() throws Exception {
        try (RespConnection sleeper = new RespConnection(panda.port); RespConnection c = new RespConnection(panda.port)) {
            sleeper.call("CLIENT", "SETNAME", "sleeper");
            sleeper.call("SUBSCRIBE", "flood"); // then never reads again
            String payload = "x".repeat(1 << 20);
            for (int i = 0; i < 80; i++) {
                c.call("PUBLISH", "flood", payload);
            }
            Poll.until("the sleeping subscriber was disconnected", Duration.ofSeconds(30),
                    () -> !c.call("CLIENT", "LIST").contains("name=sleeper"));
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(c.call("PUBSUB", "NUMSUB", "flood")).isEqualTo(
                    RespConnection.array(RespConnection.bulk("flood"), RespConnection.integer(0)));
        }
    }

    /** CONFIG SET client-output-buffer-limit: a soft limit held for longer than its seconds disconnects too. */
    @Test
    void theSoftLimitDisconnectsAfterItsSeconds() throws Exception {
        try (RespConnection sleeper = new RespConnection(panda.port); RespConnection c = new RespConnection(panda.port)) {
            assertThat(c.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 2mb 1")).isEqualTo(RespConnection.OK);
            assertThat(c.call("CONFIG", "GET", "client-output-buffer-limit")).isEqualTo(RespConnection.array(
                    RespConnection.bulk("client-output-buffer-limit"),
                    RespConnection.bulk("normal 0 0 0 slave 268435456 67108864 60 pubsub 0 2097152 1")));
            try {
                sleeper.call("CLIENT", "SETNAME", "soft-sleeper");
                sleeper.call("SUBSCRIBE", "trickle"); // then never reads again
                String payload = "y".repeat(256 << 10);
                long start = System.nanoTime();
                Poll.until("the subscriber went over its soft limit long enough to be disconnected", Duration.ofSeconds(30), () -> {
                    c.call("PUBLISH", "trickle", payload);
                    return !c.call("CLIENT", "LIST").contains("name=soft-sleeper");
                });
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(900));
            } finally {
                c.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 32mb 8mb 60");
            }
            assertThat(c.call("CONFIG", "SET", "client-output-buffer-limit", "bogus 1 2 3")).startsWith(
                    "-ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Invalid client class");
        }
    }
}
