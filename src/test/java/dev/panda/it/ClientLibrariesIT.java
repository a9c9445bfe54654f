package dev.panda.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Panda driven by the client libraries users run: Jedis (RESP2, pooled and plain, pipelines)
 * and Lettuce (RESP3 after its automatic HELLO, sync and async). Test thread.
 */
class ClientLibrariesIT {
    private static RunningPanda panda;

    @BeforeAll
    static void start() throws Exception {
        panda = new RunningPanda();
    }

    @AfterAll
    static void stop() {
        panda.close();
    }

    @BeforeEach
    void flush() throws Exception {
        try (RespConnection c = new RespConnection(panda.port)) {
            c.call("FLUSHALL");
        }
    }

    @Test
    void jedisStringsKeysAndTtls() {
        try (Jedis jedis = new Jedis("127.0.0.1", panda.port)) {
            assertThat(jedis.ping()).isEqualTo("PONG");
            assertThat(jedis.set("user:1", "ada")).isEqualTo("OK");
            assertThat(jedis.get("user:1")).isEqualTo("ada");
            assertThat(jedis.set("user:1", "bob", SetParams.setParams().nx())).isNull();
            assertThat(jedis.setGet("user:1", "cy")).isEqualTo("ada");
            assertThat(jedis.incr("hits")).isEqualTo(1);
            assertThat(jedis.incrBy("hits", 9)).isEqualTo(10);
            assertThat(jedis.incrByFloat("f", 1.5)).isEqualTo(1.5);
            assertThat(jedis.mset("a", "1", "b", "2")).isEqualTo("OK");
            assertThat(jedis.mget("a", "b", "c")).containsExactly("1", "2", null);
            assertThat(jedis.setex("temp", 100, "x")).isEqualTo("OK");
            assertThat(jedis.ttl("temp")).isBetween(99L, 100L);
            assertThat(jedis.expire("a", 50)).isEqualTo(1);
            assertThat(jedis.persist("a")).isEqualTo(1);
            assertThat(jedis.exists("a", "b", "zz")).isEqualTo(2);
            assertThat(jedis.type("a")).isEqualTo("string");
            assertThat(jedis.del("a", "b")).isEqualTo(2);
            assertThat(jedis.dbSize()).isEqualTo(4);
            assertThatThrownBy(() -> jedis.incr("user:1")).isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR value is not an integer or out of range");
            assertThat(jedis.select(2)).isEqualTo("OK");
            assertThat(jedis.get("user:1")).isNull();
        }
    }

    @Test
    void jedisBinaryKeysAndValuesRoundTrip() {
        byte[] key = {0, 1, 2, (byte) 0xff, '\r', '\n'};
        byte[] value = new byte[256];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        try (Jedis jedis = new Jedis("127.0.0.1", panda.port)) {
            assertThat(jedis.set(key, value)).isEqualTo("OK");
            assertThat(jedis.get(key)).isEqualTo(value);
            assertThat(jedis.strlen(key)).isEqualTo(256);
            assertThat(jedis.keys("*".getBytes(StandardCharsets.UTF_8))).containsExactly(key);
        }
    }

    @Test
    void jedisPipelineAndScanIteration() {
        try (Jedis jedis = new Jedis("127.0.0.1", panda.port)) {
            Pipeline p = jedis.pipelined();
            List<Response<String>> acks = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                acks.add(p.set("k" + i, "v" + i));
            }
            Response<Long> size = p.dbSize();
            p.sync();
            assertThat(acks).allMatch(r -> r.get().equals("OK"));
            assertThat(size.get()).isEqualTo(5000);

            Set<String> seen = new HashSet<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            int rounds = 0;
            do {
                ScanResult<String> page = jedis.scan(cursor, new ScanParams().count(100).match("k*"));
                seen.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals("0") && ++rounds < 10_000);
            assertThat(seen).hasSize(5000);
        }
    }

    @Test
    void jedisPooledClientAndClientName() {
        try (redis.clients.jedis.RedisClient pooled = redis.clients.jedis.RedisClient.create("127.0.0.1", panda.port)) {
            assertThat(pooled.set("p", "1")).isEqualTo("OK");
            assertThat(pooled.get("p")).isEqualTo("1");
        }
        try (Jedis jedis = new Jedis("127.0.0.1", panda.port, DefaultJedisClientConfig.builder().clientName("reporter").build())) {
            assertThat(jedis.clientGetname()).isEqualTo("reporter");
            assertThat(jedis.clientList()).contains("name=reporter");
            assertThat(jedis.info("keyspace")).contains("db0:keys=1,expires=0");
        }
    }

    @Test
    void jedisHashesAndSets() {
        try (Jedis jedis = new Jedis("127.0.0.1", panda.port)) {
            assertThat(jedis.hset("user:7", Map.of("name", "ada", "lang", "en"))).isEqualTo(2);
            assertThat(jedis.hget("user:7", "name")).isEqualTo("ada");
            assertThat(jedis.hgetAll("user:7")).isEqualTo(Map.of("name", "ada", "lang", "en"));
            assertThat(jedis.hincrBy("user:7", "visits", 3)).isEqualTo(3);
            assertThat(jedis.hincrByFloat("user:7", "score", 1.5)).isEqualTo(1.5);
            assertThat(jedis.hmget("user:7", "name", "nope")).containsExactly("ada", null);
            assertThat(jedis.hexists("user:7", "lang")).isTrue();
            assertThat(jedis.hdel("user:7", "lang", "nope")).isEqualTo(1);
            assertThat(jedis.hkeys("user:7")).containsExactlyInAnyOrder("name", "visits", "score");
            assertThat(jedis.hlen("user:7")).isEqualTo(3);
            assertThat(jedis.type("user:7")).isEqualTo("hash");
            assertThat(jedis.objectEncoding("user:7")).isEqualTo("listpack");

            assertThat(jedis.sadd("tags", "red", "green", "blue", "red")).isEqualTo(3);
            assertThat(jedis.smembers("tags")).containsExactlyInAnyOrder("red", "green", "blue");
            assertThat(jedis.sismember("tags", "green")).isTrue();
            assertThat(jedis.sadd("ids", "1", "2", "3")).isEqualTo(3);
            assertThat(jedis.objectEncoding("ids")).isEqualTo("intset");
            assertThat(jedis.srem("tags", "red")).isEqualTo(1);
            assertThat(jedis.scard("tags")).isEqualTo(2);
            assertThatThrownBy(() -> jedis.sadd("user:7", "x")).isInstanceOf(JedisDataException.class)
                    .hasMessage("WRONGTYPE Operation against a key holding the wrong kind of value");
            assertThatThrownBy(() -> jedis.get("tags")).isInstanceOf(JedisDataException.class)
                    .hasMessageStartingWith("WRONGTYPE");
        }
    }

    /**
     * A reliable work queue as Jedis users build one: producers LPUSH jobs, consumers move each
     * job to their own processing list with BLMOVE or BRPOPLPUSH (blocking while the queue is
     * empty), then acknowledge it with LREM. Every job must be delivered exactly once.
     */
    @Test
    void jedisWorkQueueDeliversEveryJobExactlyOnce() throws Exception {
        int producers = 3;
        int consumers = 4;
        int jobsEach = 2_000;
        java.util.concurrent.ConcurrentHashMap<String, Integer> delivered = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int w = 0; w < consumers; w++) {
            int id = w;
            threads.add(new Thread(() -> {
                try (Jedis jedis = new Jedis("127.0.0.1", panda.port)) {
                    String processing = "processing:" + id;
                    while (done.get() < producers * jobsEach) {
                        String job = id % 2 == 0
                                ? jedis.blmove("jobs", processing, redis.clients.jedis.args.ListDirection.RIGHT,
                                        redis.clients.jedis.args.ListDirection.LEFT, 0.2)
                                : jedis.brpoplpush("jobs", processing, 1);
                        if (job == null) {
                            continue;
                        }
                        delivered.merge(job, 1, Integer::sum);
                        assertThat(jedis.lrem(processing, 1, job)).isEqualTo(1);
                        done.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }, "consumer-" + w));
        }
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads.add(new Thread(() -> {
                try (Jedis jedis = new Jedis("127.0.0.1", panda.port)) {
                    for (int i = 0; i < jobsEach; i++) {
                        jedis.lpush("jobs", "job:" + id + ":" + i);
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }, "producer-" + p));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(120_000);
            assertThat(t.isAlive()).as(t.getName() + " finished").isFalse();
        }
        assertThat(failures).isEmpty();
        assertThat(delivered).hasSize(producers * jobsEach);
        assertThat(delivered.values()).allMatch(n -> n == 1);
        try (Jedis jedis = new Jedis("127.0.0.1", panda.port)) {
            assertThat(jedis.exists("jobs")).isFalse();
            assertThat(jedis.keys("processing:*")).isEmpty();
        }
    }

    /** Jedis's and Lettuce's transaction APIs: MULTI/EXEC, DISCARD, optimistic locking with WATCH. */
    @Test
    void jedisAndLettuceTransactions() {
        try (Jedis jedis = new Jedis("127.0.0.1", panda.port); Jedis other = new Jedis("127.0.0.1", panda.port)) {
            redis.clients.jedis.Transaction tx = jedis.multi();
            tx.set("balance", "100");
            tx.incrBy("balance", 50);
            tx.lpush("log", "deposit");
            List<Object> results = tx.exec();
            assertThat(results).containsExactly("OK", 150L, 1L);
            jedis.watch("balance");
            other.set("balance", "0");
            redis.clients.jedis.Transaction lost = jedis.multi();
            lost.incrBy("balance", 1);
            assertThat(lost.exec()).isNull();
            assertThat(jedis.get("balance")).isEqualTo("0");
            redis.clients.jedis.Transaction dropped = jedis.multi();
            dropped.set("never", "1");
            assertThat(dropped.discard()).isEqualTo("OK");
            assertThat(jedis.exists("never")).isFalse();
        }
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + panda.port);
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> sync = conn.sync();
            assertThat(sync.multi()).isEqualTo("OK");
            sync.set("lettuce", "1");
            sync.incr("lettuce");
            io.lettuce.core.TransactionResult result = sync.exec();
            assertThat(result.wasDiscarded()).isFalse();
            assertThat(result.<Long>get(1)).isEqualTo(2L);
        } finally {
            client.shutdown();
        }
    }

    /** A cache's view through the libraries: maxmemory settings, evictions, and OOM errors as exceptions. */
    @Test
    void jedisAndLettuceSeeTheMemoryLimit() {
        try (Jedis jedis = new Jedis("127.0.0.1", panda.port)) {
            assertThat(jedis.configGet("maxmemory*")).containsEntry("maxmemory", "0")
                    .containsEntry("maxmemory-policy", "noeviction").containsKeys("maxmemory-samples", "maxmemory-clients");
            jedis.set("kept", "v");
            assertThat(jedis.configSet("maxmemory", "1")).isEqualTo("OK");
            try {
                assertThatThrownBy(() -> jedis.set("refused", "v")).isInstanceOf(JedisDataException.class)
                        .hasMessage("OOM command not allowed when used memory > 'maxmemory'.");
                assertThat(jedis.get("kept")).isEqualTo("v");
                assertThat(jedis.del("kept")).isEqualTo(1L);
            } finally {
                jedis.configSet("maxmemory", "0");
                jedis.configSet("maxmemory-policy", "noeviction");
            }
        }
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + panda.port);
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> sync = conn.sync();
            sync.set("sized", "x".repeat(1000));
            assertThat(sync.memoryUsage("sized")).isGreaterThan(1000L);
            assertThat(sync.configGet("maxmemory-policy")).containsEntry("maxmemory-policy", "noeviction");
        } finally {
            client.shutdown();
        }
    }

    /** An application user with its own keys: Jedis and Lettuce log in with user and password and see NOPERM. */
    @Test
    void jedisAndLettuceAuthenticateAsAclUsers() {
        try (Jedis admin = new Jedis("127.0.0.1", panda.port)) {
            assertThat(admin.aclSetUser("app", "on", ">s3cret", "~app:*", "+@all", "-flushall")).isEqualTo("OK");
        }
        try {
            try (Jedis jedis = new Jedis("127.0.0.1", panda.port,
                    DefaultJedisClientConfig.builder().user("app").password("s3cret").build())) {
                assertThat(jedis.aclWhoAmI()).isEqualTo("app");
                assertThat(jedis.set("app:1", "v")).isEqualTo("OK");
                assertThatThrownBy(() -> jedis.get("other")).isInstanceOf(JedisDataException.class)
                        .hasMessage("NOPERM this user has no permissions to access one of the keys used as arguments");
                assertThatThrownBy(jedis::flushAll).isInstanceOf(JedisDataException.class)
                        .hasMessage("NOPERM this user has no permissions to run the 'flushall' command");
            }
            assertThatThrownBy(() -> new Jedis("127.0.0.1", panda.port,
                    DefaultJedisClientConfig.builder().user("app").password("wrong").build()).ping())
                    .hasMessageContaining("WRONGPASS invalid username-password pair or user is disabled.");
            RedisClient client = RedisClient.create(io.lettuce.core.RedisURI.builder().withHost("127.0.0.1")
                    .withPort(panda.port).withAuthentication("app", "s3cret").build());
            try (StatefulRedisConnection<String, String> conn = client.connect()) {
                RedisCommands<String, String> sync = conn.sync();
                assertThat(sync.aclWhoami()).isEqualTo("app");
                assertThat(sync.get("app:1")).isEqualTo("v");
                assertThatThrownBy(() -> sync.set("other", "v"))
                        .hasMessage("NOPERM this user has no permissions to access one of the keys used as arguments");
            } finally {
                client.shutdown();
            }
        } finally {
            try (Jedis admin = new Jedis("127.0.0.1", panda.port)) {
                admin.aclDelUser("app");
            }
        }
    }

    /**
     * Lettuce's client-side cache (ClientSideCaching over CLIENT TRACKING and RESP3 invalidation
     * pushes): a read fills the local cache, another client's write empties the entry, the next
     * read sees the new value.
     */
    @Test
    void lettuceClientSideCachingSeesOtherClientsWrites() throws Exception {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + panda.port);
        try (StatefulRedisConnection<String, String> conn = client.connect();
                StatefulRedisConnection<String, String> writer = client.connect()) {
            writer.sync().set("config:mode", "blue");
            Map<String, String> local = new java.util.concurrent.ConcurrentHashMap<>();
            io.lettuce.core.support.caching.CacheFrontend<String, String> cache = io.lettuce.core.support.caching.ClientSideCaching.enable(
                    io.lettuce.core.support.caching.CacheAccessor.forMap(local), conn, io.lettuce.core.TrackingArgs.Builder.enabled());
            assertThat(cache.get("config:mode")).isEqualTo("blue");
            assertThat(local).containsEntry("config:mode", "blue");
            writer.sync().set("config:mode", "green");
            Poll.until("the invalidation reaches the cache", java.time.Duration.ofSeconds(5), () -> !local.containsKey("config:mode"));
            assertThat(cache.get("config:mode")).isEqualTo("green");
            assertThat(local).containsEntry("config:mode", "green");
            cache.close();
        } finally {
            client.shutdown();
        }
    }

    /** Jedis's and Lettuce's pub/sub: channel and pattern subscribers receive what is published. */
    @Test
    void jedisAndLettucePubSub() throws Exception {
        List<String> received = java.util.Collections.synchronizedList(new ArrayList<>());
        redis.clients.jedis.JedisPubSub listener = new redis.clients.jedis.JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                received.add(channel + "=" + message);
            }

            @Override
            public void onPMessage(String pattern, String channel, String message) {
                received.add(pattern + ":" + channel + "=" + message);
            }
        };
        Thread subscriber = new Thread(() -> {
            try (Jedis jedis = new Jedis("127.0.0.1", panda.port)) {
                jedis.subscribe(listener, "news");
            }
        });
        subscriber.start();
        try (Jedis publisher = new Jedis("127.0.0.1", panda.port)) {
            Poll.until("jedis subscribed", java.time.Duration.ofSeconds(5), () -> publisher.pubsubNumSub("news").get("news") == 1L);
            listener.psubscribe("n*");
            Poll.until("jedis psubscribed", java.time.Duration.ofSeconds(5), () -> publisher.pubsubNumPat() == 1L);
            assertThat(publisher.publish("news", "hello")).isEqualTo(2);
            Poll.until("both deliveries", java.time.Duration.ofSeconds(5), () -> received.size() == 2);
            assertThat(received).containsExactlyInAnyOrder("news=hello", "n*:news=hello");
            listener.unsubscribe();
            listener.punsubscribe();
        }
        subscriber.join(5_000);
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + panda.port);
        try (io.lettuce.core.pubsub.StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
                StatefulRedisConnection<String, String> pub = client.connect()) {
            List<String> got = java.util.Collections.synchronizedList(new ArrayList<>());
            sub.addListener(new io.lettuce.core.pubsub.RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    got.add(channel + "=" + message);
                }
            });
            sub.sync().subscribe("orders");
            assertThat(sub.sync().ping()).isEqualTo("PONG"); // RESP3: ordinary replies on the subscribed connection
            assertThat(pub.sync().publish("orders", "o-1")).isEqualTo(1);
            Poll.until("lettuce delivery", java.time.Duration.ofSeconds(5), () -> got.size() == 1);
            assertThat(got).containsExactly("orders=o-1");
        } finally {
            client.shutdown();
        }
    }

    /** Scripts through the libraries' APIs: Jedis EVALSHA and FCALL, Lettuce EVAL with typed outputs. */
    @Test
    void jedisAndLettuceScripting() {
        try (Jedis jedis = new Jedis("127.0.0.1", panda.port)) {
            String sha = jedis.scriptLoad("return redis.call('INCRBY', KEYS[1], ARGV[1])");
            assertThat(jedis.evalsha(sha, List.of("counter"), List.of("5"))).isEqualTo(5L);
            assertThat(jedis.evalsha(sha, List.of("counter"), List.of("5"))).isEqualTo(10L);
            assertThat(jedis.scriptExists(sha)).isTrue();
            assertThat(jedis.functionLoad("#!lua name=jlib\nredis.register_function('double', function(keys, args) "
                    + "return args[1] * 2 end)")).isEqualTo("jlib");
            assertThat(jedis.fcall("double", List.of(), List.of("21"))).isEqualTo(42L);
            assertThatThrownBy(() -> jedis.eval("return redis.call('nosuch')")).isInstanceOf(JedisDataException.class)
                    .hasMessageContaining("Unknown Redis command called from script");
        }
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + panda.port);
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> sync = conn.sync();
            List<String> list = sync.eval("return {KEYS[1], ARGV[1]}", io.lettuce.core.ScriptOutputType.MULTI, new String[] {"k"}, "a");
            assertThat(list).containsExactly("k", "a");
            Long n = sync.eval("return 7", io.lettuce.core.ScriptOutputType.INTEGER);
            assertThat(n).isEqualTo(7L);
            Boolean b = sync.eval("return redis.call('SET', 'x', 'y', 'NX') ~= false", io.lettuce.core.ScriptOutputType.BOOLEAN);
            assertThat(b).isTrue();
        } finally {
            client.shutdown();
        }
    }

    /** A leaderboard with Jedis: scores, ranks, the top of the board, a member's neighbours. */
    @Test
    void jedisLeaderboard() {
        try (Jedis jedis = new Jedis("127.0.0.1", panda.port)) {
            for (int i = 0; i < 1000; i++) {
                jedis.zadd("board", i * 10, "player:" + i);
            }
            jedis.zincrby("board", 50_000, "player:3");
            assertThat(jedis.zrevrange("board", 0, 2)).containsExactly("player:3", "player:999", "player:998");
            assertThat(jedis.zrevrank("board", "player:3")).isZero();
            assertThat(jedis.zscore("board", "player:3")).isEqualTo(50_030.0);
            assertThat(jedis.zrank("board", "player:10")).isEqualTo(9);
            assertThat(jedis.zrank("board", "player:2")).isEqualTo(2);
            assertThat(jedis.zcount("board", 100, 199)).isEqualTo(10);
            assertThat(jedis.zrangeByScore("board", "(9970", "+inf")).containsExactly("player:998", "player:999", "player:3");
            assertThat(jedis.zrevrangeWithScores("board", 0, 0).get(0).getScore()).isEqualTo(50_030.0);
            assertThat(jedis.zpopmin("board").getElement()).isEqualTo("player:0");
            assertThat(jedis.zcard("board")).isEqualTo(999);
        }
    }

    @Test
    void lettuceHashesAndSetsOverResp3() {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + panda.port);
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> sync = conn.sync();
            assertThat(sync.hset("h", Map.of("a", "1", "b", "2"))).isEqualTo(2);
            assertThat(sync.hgetall("h")).isEqualTo(Map.of("a", "1", "b", "2"));
            assertThat(sync.hincrby("h", "a", 41)).isEqualTo(42);
            assertThat(sync.hrandfield("h")).isIn("a", "b");
            assertThat(sync.sadd("s", "x", "y", "z")).isEqualTo(3);
            assertThat(sync.smembers("s")).containsExactlyInAnyOrder("x", "y", "z");
            assertThat(sync.sinter("s", "missing")).isEmpty();
            assertThat(sync.sunion("s")).containsExactlyInAnyOrder("x", "y", "z");
            String popped = sync.spop("s");
            assertThat(popped).isIn("x", "y", "z");
            assertThat(sync.scard("s")).isEqualTo(2);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void lettuceSpeaksResp3AfterHello() throws Exception {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + panda.port);
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> sync = conn.sync();
            assertThat(sync.set("l", "v", SetArgs.Builder.ex(100))).isEqualTo("OK");
            assertThat(sync.get("l")).isEqualTo("v");
            assertThat(sync.get("missing")).isNull();
            assertThat(sync.ttl("l")).isBetween(99L, 100L);
            assertThat(sync.incrbyfloat("f", 0.25)).isEqualTo(0.25);
            assertThat(sync.configGet("maxclients")).isEqualTo(Map.of("maxclients", "10000"));
            assertThat(sync.clientList()).contains("resp=3").doesNotContain("lib-name"); // Redis 7.0 has no lib fields
            assertThat(sync.getex("l", io.lettuce.core.GetExArgs.Builder.persist())).isEqualTo("v");
            assertThat(sync.ttl("l")).isEqualTo(-1);

            RedisAsyncCommands<String, String> async = conn.async();
            List<RedisFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                futures.add(async.incr("counter"));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i + 1);
            }
        } finally {
            client.shutdown();
        }
    }

    /** A stream with a consumer group from Jedis: add, read as a group, acknowledge, see nothing pending. */
    @Test
    void jedisStreamConsumerGroup() {
        try (Jedis jedis = new Jedis("127.0.0.1", panda.port)) {
            for (int i = 0; i < 5; i++) {
                jedis.xadd("events", redis.clients.jedis.StreamEntryID.NEW_ENTRY, Map.of("n", Integer.toString(i)));
            }
            assertThat(jedis.xgroupCreate("events", "workers", new redis.clients.jedis.StreamEntryID("0-0"), false)).isEqualTo("OK");
            var read = jedis.xreadGroup("workers", "w1", redis.clients.jedis.params.XReadGroupParams.xReadGroupParams().count(3),
                    Map.of("events", redis.clients.jedis.StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
            List<redis.clients.jedis.resps.StreamEntry> entries = read.get(0).getValue();
            assertThat(entries).hasSize(3);
            assertThat(entries.get(0).getFields()).isEqualTo(Map.of("n", "0"));
            assertThat(jedis.xpending("events", "workers").getTotal()).isEqualTo(3);
            assertThat(jedis.xack("events", "workers", entries.get(0).getID(), entries.get(1).getID(), entries.get(2).getID())).isEqualTo(3);
            assertThat(jedis.xpending("events", "workers").getTotal()).isZero();
            assertThat(jedis.xlen("events")).isEqualTo(5);
        }
    }

    /** The same from Lettuce: XADD, XGROUP CREATE, XREADGROUP from the last consumed id, XACK, XPENDING. */
    @Test
    void lettuceStreamConsumerGroup() {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + panda.port);
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> sync = conn.sync();
            sync.xgroupCreate(io.lettuce.core.XReadArgs.StreamOffset.from("jobs", "0"), "g",
                    io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
            String id = sync.xadd("jobs", Map.of("task", "a"));
            sync.xadd("jobs", Map.of("task", "b"));
            var messages = sync.xreadgroup(io.lettuce.core.Consumer.from("g", "c1"),
                    io.lettuce.core.XReadArgs.StreamOffset.lastConsumed("jobs"));
            assertThat(messages).hasSize(2);
            assertThat(messages.get(0).getId()).isEqualTo(id);
            assertThat(messages.get(0).getBody()).isEqualTo(Map.of("task", "a"));
            assertThat(sync.xpending("jobs", "g").getCount()).isEqualTo(2);
            assertThat(sync.xack("jobs", "g", id)).isEqualTo(1);
            assertThat(sync.xpending("jobs", "g").getCount()).isEqualTo(1);
        } finally {
            client.shutdown();
        }
    }
}
