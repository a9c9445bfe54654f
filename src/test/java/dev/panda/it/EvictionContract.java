package dev.panda.it;

import static dev.panda.it.RespConnection.NIL;
import static dev.panda.it.RespConnection.OK;
import static dev.panda.it.RespConnection.array;
import static dev.panda.it.RespConnection.bulk;
import static dev.panda.it.RespConnection.error;
import static dev.panda.it.RespConnection.integer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * maxmemory and eviction, asserted against Panda ({@link PandaEvictionIT}) and against Debian's
 * real redis-server 7.0.15 ({@link RedisEvictionIT}): the maxmemory configuration and its error
 * texts, the OOM error for denyoom commands (plain, queued in MULTI, and from scripts), what each
 * policy evicts and what it keeps, OBJECT FREQ and IDLETIME, MEMORY, the INFO fields, and the
 * normal clients' output buffer limit. Exact replies wherever Redis's reply is deterministic;
 * memory amounts only relative to the server's own used_memory, never Redis-internal numbers.
 * Eviction tests write big values in pipelined batches to stay fast. Test thread.
 */
abstract class EvictionContract extends ServerContract {
    static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

    @AfterEach
    void restoreDefaults() throws IOException {
        assertThat(c.call("CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", "noeviction", "maxmemory-samples", "5",
                "lfu-log-factor", "10", "lfu-decay-time", "1", "maxmemory-eviction-tenacity", "10",
                "client-output-buffer-limit", "normal 0 0 0", "notify-keyspace-events", "", "maxmemory-clients", "0")).isEqualTo(OK);
        assertThat(c.call("FLUSHALL")).isEqualTo(OK);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** A field of an INFO section, as text. */
    String infoField(String section, String field) throws IOException {
        String info = (String) RespValue.parse(c.call("INFO", section));
        for (String line : info.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("INFO " + section + " has no field " + field + ":\n" + info);
    }

    long usedMemory() throws IOException {
        return Long.parseLong(infoField("memory", "used_memory"));
    }

    long evictedKeys() throws IOException {
        return Long.parseLong(infoField("stats", "evicted_keys"));
    }

    long dbsize() throws IOException {
        return (Long) RespValue.parse(c.call("DBSIZE"));
    }

    boolean exists(String key) throws IOException {
        return c.call("EXISTS", key).equals(integer(1));
    }

    static String value(int size, char fill) {
        return String.valueOf(fill).repeat(size);
    }

    /** Sends the commands in one write and returns their replies in order. */
    List<String> pipeline(List<String[]> commands) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String[] command : commands) {
            out.writeBytes(RespConnection.encode(command));
        }
        c.send(out.toByteArray());
        List<String> replies = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            replies.add(c.readReply());
        }
        return replies;
    }

    /** SETs {@code prefix + i} for i in [from, to) to {@code value} (with EX {@code ttl} when > 0), pipelined; returns the replies. */
    List<String> setAll(String prefix, int from, int to, String value, long ttl) throws IOException {
        List<String[]> commands = new ArrayList<>();
        for (int i = from; i < to; i++) {
            commands.add(ttl > 0 ? new String[] {"SET", prefix + i, value, "EX", Long.toString(ttl)}
                    : new String[] {"SET", prefix + i, value});
        }
        return pipeline(commands);
    }

    /** A flat RESP array of alternating names and values, as a map. */
    static Map<String, Object> asMap(String reply) {
        List<Object> flat = RespValue.list(reply);
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < flat.size(); i += 2) {
            map.put((String) flat.get(i), flat.get(i + 1));
        }
        return map;
    }

    static String configError(String name, String message) {
        return error("ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + message);
    }

    // ---- configuration ------------------------------------------------------------------------

    @Test
    void maxmemoryConfigurationDefaults() throws IOException {
        assertThat(asMap(c.call("CONFIG", "GET", "maxmemory*"))).isEqualTo(Map.of(
                "maxmemory", "0",
                "maxmemory-policy", "noeviction",
                "maxmemory-samples", "5",
                "maxmemory-eviction-tenacity", "10",
                "maxmemory-clients", "0"));
        assertThat(asMap(c.call("CONFIG", "GET", "lfu-*"))).isEqualTo(Map.of("lfu-log-factor", "10", "lfu-decay-time", "1"));
    }

    @Test
    void maxmemoryAcceptsMemoryUnitsAndReadsBackBytes() throws IOException {
        assertThat(c.call("CONFIG", "SET", "maxmemory", "256mb")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "GET", "maxmemory")).isEqualTo(array(bulk("maxmemory"), bulk("268435456")));
        assertThat(c.call("CONFIG", "SET", "maxmemory", "1gb")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "GET", "maxmemory")).isEqualTo(array(bulk("maxmemory"), bulk("1073741824")));
        assertThat(c.call("CONFIG", "SET", "maxmemory", "1GB")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "GET", "maxmemory")).isEqualTo(array(bulk("maxmemory"), bulk("1073741824")));
        assertThat(c.call("CONFIG", "SET", "maxmemory", "1k")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "GET", "maxmemory")).as("k is 1000, kb is 1024").isEqualTo(array(bulk("maxmemory"), bulk("1000")));
        assertThat(c.call("CONFIG", "SET", "maxmemory", "100000")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "GET", "maxmemory")).isEqualTo(array(bulk("maxmemory"), bulk("100000")));
        assertThat(c.call("CONFIG", "SET", "maxmemory-policy", "ALLKEYS-LRU")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "GET", "maxmemory-policy")).isEqualTo(array(bulk("maxmemory-policy"), bulk("allkeys-lru")));
        assertThat(c.call("CONFIG", "SET", "maxmemory-samples", "64", "maxmemory-eviction-tenacity", "100",
                "lfu-log-factor", "0", "lfu-decay-time", "0")).isEqualTo(OK);
        assertThat(asMap(c.call("CONFIG", "GET", "maxmemory-samples")).get("maxmemory-samples")).isEqualTo("64");
        assertThat(asMap(c.call("CONFIG", "GET", "lfu-*"))).isEqualTo(Map.of("lfu-log-factor", "0", "lfu-decay-time", "0"));
        assertThat(c.call("CONFIG", "SET", "maxmemory", "0")).isEqualTo(OK);
    }

    @Test
    void invalidMaxmemorySettingsAreRejectedWithRedisTexts() throws IOException {
        assertThat(c.call("CONFIG", "SET", "maxmemory-policy", "foo")).isEqualTo(configError("maxmemory-policy",
                "argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, "
                        + "allkeys-lru, allkeys-lfu, allkeys-random, noeviction"));
        assertThat(c.call("CONFIG", "SET", "maxmemory", "abc")).isEqualTo(configError("maxmemory", "argument must be a memory value"));
        assertThat(c.call("CONFIG", "SET", "maxmemory", "-1")).isEqualTo(configError("maxmemory", "argument must be a memory value"));
        assertThat(c.call("CONFIG", "SET", "maxmemory", "1.5gb")).isEqualTo(configError("maxmemory", "argument must be a memory value"));
        assertThat(c.call("CONFIG", "SET", "maxmemory-samples", "0"))
                .isEqualTo(configError("maxmemory-samples", "argument must be between 1 and 2147483647 inclusive"));
        assertThat(c.call("CONFIG", "SET", "maxmemory-eviction-tenacity", "101"))
                .isEqualTo(configError("maxmemory-eviction-tenacity", "argument must be between 0 and 100 inclusive"));
        assertThat(c.call("CONFIG", "SET", "lfu-log-factor", "-1"))
                .isEqualTo(configError("lfu-log-factor", "argument must be between 0 and 2147483647 inclusive"));
        assertThat(c.call("CONFIG", "SET", "lfu-decay-time", "-1"))
                .isEqualTo(configError("lfu-decay-time", "argument must be between 0 and 2147483647 inclusive"));
        assertThat(asMap(c.call("CONFIG", "GET", "maxmemory*")))
                .as("a rejected CONFIG SET changes nothing")
                .containsEntry("maxmemory", "0").containsEntry("maxmemory-policy", "noeviction").containsEntry("maxmemory-samples", "5");
    }

    // ---- OOM under noeviction -----------------------------------------------------------------

    @Test
    void denyoomCommandsGetTheOomErrorAndOthersStillRun() throws IOException {
        assertThat(c.call("SET", "existing", "v")).isEqualTo(OK);
        assertThat(c.call("RPUSH", "list", "a", "b")).isEqualTo(integer(2));
        assertThat(c.call("SET", "other", "v")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "SET", "maxmemory", "1")).isEqualTo(OK);

        assertThat(c.call("SET", "k", "v")).isEqualTo(error(OOM));
        assertThat(c.call("LPUSH", "l", "a")).isEqualTo(error(OOM));
        assertThat(c.call("RPUSH", "list", "c")).isEqualTo(error(OOM));
        assertThat(c.call("HSET", "h", "f", "v")).isEqualTo(error(OOM));
        assertThat(c.call("SADD", "s", "a")).isEqualTo(error(OOM));
        assertThat(c.call("ZADD", "z", "1", "a")).isEqualTo(error(OOM));
        assertThat(c.call("XADD", "x", "*", "f", "v")).isEqualTo(error(OOM));
        assertThat(c.call("INCR", "n")).isEqualTo(error(OOM));
        assertThat(c.call("APPEND", "existing", "x")).isEqualTo(error(OOM));
        assertThat(c.call("SETRANGE", "existing", "0", "x")).isEqualTo(error(OOM));
        assertThat(c.call("SETEX", "a", "10", "b")).isEqualTo(error(OOM));
        assertThat(c.call("PFADD", "hll", "a")).isEqualTo(error(OOM));
        assertThat(c.call("GETSET", "list", "x")).as("the OOM check comes before the type check").isEqualTo(error(OOM));

        assertThat(c.call("GET", "existing")).isEqualTo(bulk("v"));
        assertThat(c.call("EXISTS", "existing")).isEqualTo(integer(1));
        assertThat(c.call("TYPE", "list")).isEqualTo("+list\r\n");
        assertThat(c.call("EXPIRE", "existing", "100")).as("EXPIRE is not denyoom").isEqualTo(integer(1));
        assertThat(c.call("PERSIST", "existing")).isEqualTo(integer(1));
        assertThat(c.call("LPOP", "list")).as("LPOP frees memory and is not denyoom").isEqualTo(bulk("a"));
        assertThat(c.call("DEL", "existing")).isEqualTo(integer(1));
        assertThat(c.call("UNLINK", "other")).isEqualTo(integer(1));
        assertThat(c.call("FLUSHALL")).isEqualTo(OK);
        assertThat(c.call("SET", "k", "v")).as("still over a 1-byte limit with an empty dataset").isEqualTo(error(OOM));
        assertThat(c.call("PING")).isEqualTo("+PONG\r\n");

        assertThat(c.call("CONFIG", "SET", "maxmemory", "0")).isEqualTo(OK);
        assertThat(c.call("SET", "k", "v")).isEqualTo(OK);
    }

    @Test
    void noevictionFillsUpThenRefusesWritesAndEvictsNothing() throws IOException {
        String big = value(100 * 1024, 'n');
        long evictedBefore = evictedKeys();
        assertThat(c.call("CONFIG", "SET", "maxmemory", Long.toString(usedMemory() + 2L * 1024 * 1024))).isEqualTo(OK);
        List<String> replies = setAll("k:", 0, 40, big, 0);
        int accepted = replies.indexOf(error(OOM));
        assertThat(accepted).as("some writes fit, then the limit is reached: " + replies).isBetween(5, 25);
        assertThat(replies.subList(0, accepted)).containsOnly(OK);
        assertThat(replies.subList(accepted, 40)).as("once full, every later write is refused").containsOnly(error(OOM));
        assertThat(dbsize()).isEqualTo(accepted);
        assertThat(evictedKeys()).isEqualTo(evictedBefore);
        assertThat(c.call("GET", "k:0")).isEqualTo(bulk(big));

        // Deleting keys makes room again.
        assertThat(c.call("DEL", "k:0", "k:1", "k:2", "k:3")).isEqualTo(integer(4));
        assertThat(c.call("SET", "again", big)).isEqualTo(OK);
    }

    @Test
    void commandFlagsShowWhichCommandsAreDenyoom() throws IOException {
        for (String name : List.of("set", "lpush", "hset", "sadd", "zadd", "xadd", "incr", "append", "setrange")) {
            assertThat(commandFlags(name)).as(name).contains("denyoom");
        }
        for (String name : List.of("get", "del", "expire", "lpop", "exists")) {
            assertThat(commandFlags(name)).as(name).doesNotContain("denyoom");
        }
    }

    @SuppressWarnings("unchecked")
    private List<Object> commandFlags(String name) throws IOException {
        List<Object> info = RespValue.list(c.call("COMMAND", "INFO", name));
        return (List<Object>) ((List<Object>) info.get(0)).get(2);
    }

    // ---- MULTI/EXEC ---------------------------------------------------------------------------

    @Test
    void underOomEveryQueuedCommandIsRejectedAndExecAborts() throws IOException {
        assertThat(c.call("SET", "a", "old")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "SET", "maxmemory", "1")).isEqualTo(OK);
        assertThat(c.call("MULTI")).isEqualTo(OK);
        assertThat(c.call("SET", "a", "b")).isEqualTo(error(OOM));
        assertThat(c.call("GET", "a")).as("inside MULTI even reads are refused under OOM").isEqualTo(error(OOM));
        assertThat(c.call("DEL", "a")).isEqualTo(error(OOM));
        assertThat(c.call("EXEC")).isEqualTo(error("EXECABORT Transaction discarded because of previous errors."));
        assertThat(c.call("GET", "a")).isEqualTo(bulk("old"));

        assertThat(c.call("MULTI")).isEqualTo(OK);
        assertThat(c.call("GET", "a")).isEqualTo(error(OOM));
        assertThat(c.call("DISCARD")).as("DISCARD is never refused").isEqualTo(OK);
    }

    @Test
    void oomThatBeginsAfterQueuingAbortsExecOfAWritingTransaction() throws IOException {
        assertThat(c.call("MULTI")).isEqualTo(OK);
        assertThat(c.call("SET", "a", "b")).isEqualTo("+QUEUED\r\n");
        assertThat(c.call("GET", "a")).isEqualTo("+QUEUED\r\n");
        try (RespConnection admin = new RespConnection(port())) {
            assertThat(admin.call("CONFIG", "SET", "maxmemory", "1")).isEqualTo(OK);
        }
        assertThat(c.call("EXEC")).isEqualTo(error("EXECABORT Transaction discarded because of: " + OOM));
        assertThat(c.call("GET", "a")).isEqualTo(NIL);
    }

    @Test
    void aReadOnlyTransactionQueuedBeforeOomStillExecutes() throws IOException {
        assertThat(c.call("SET", "a", "v")).isEqualTo(OK);
        assertThat(c.call("MULTI")).isEqualTo(OK);
        assertThat(c.call("GET", "a")).isEqualTo("+QUEUED\r\n");
        assertThat(c.call("DEL", "a")).isEqualTo("+QUEUED\r\n");
        try (RespConnection admin = new RespConnection(port())) {
            assertThat(admin.call("CONFIG", "SET", "maxmemory", "1")).isEqualTo(OK);
        }
        assertThat(c.call("EXEC")).isEqualTo(array(bulk("v"), integer(1)));
    }

    // ---- scripts and functions ----------------------------------------------------------------

    @Test
    void scriptsUnderOom() throws IOException {
        assertThat(c.call("SET", "k", "v0")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "SET", "maxmemory", "1")).isEqualTo(OK);

        String set = "return redis.call('set','k','v')";
        assertThat(c.call("EVAL", set, "0")).isEqualTo(ScriptContract.scriptError(OOM, set, 1));
        assertThat(c.call("EVAL", "return redis.pcall('set','k','v')", "0")).isEqualTo(error(OOM));
        assertThat(c.call("EVAL", "return redis.call('get','k')", "0")).isEqualTo(bulk("v0"));
        assertThat(c.call("EVAL_RO", "return redis.call('get','k')", "0")).isEqualTo(bulk("v0"));
        assertThat(c.call("EVAL", "#!lua\nreturn redis.call('get','k')", "0"))
                .as("a shebang script without no-writes may write, so it is refused up front").isEqualTo(error(OOM));
        assertThat(c.call("EVAL", "#!lua flags=no-writes\nreturn redis.call('get','k')", "0")).isEqualTo(bulk("v0"));
        assertThat(c.call("EVAL", "#!lua flags=allow-oom\nreturn redis.call('set','k','v2')", "0")).isEqualTo(OK);
        assertThat(c.call("GET", "k")).isEqualTo(bulk("v2"));
        assertThat(c.call("EVAL", "return redis.call('del','k')", "0")).as("DEL is not denyoom").isEqualTo(integer(1));
    }

    @Test
    void functionsUnderOom() throws IOException {
        String lib = "#!lua name=evictlib\n"
                + "redis.register_function('w', function() return redis.call('set','k','v') end)\n"
                + "redis.register_function{function_name='r', callback=function() return redis.call('get','k') end, flags={'no-writes'}}\n";
        assertThat(c.call("FUNCTION", "LOAD", lib)).isEqualTo(bulk("evictlib"));
        try {
            assertThat(c.call("SET", "k", "v0")).isEqualTo(OK);
            assertThat(c.call("CONFIG", "SET", "maxmemory", "1")).isEqualTo(OK);
            assertThat(c.call("FCALL", "w", "0")).isEqualTo(error(OOM));
            assertThat(c.call("FCALL", "r", "0")).isEqualTo(bulk("v0"));
            assertThat(c.call("FCALL_RO", "r", "0")).isEqualTo(bulk("v0"));
            assertThat(c.call("FUNCTION", "LOAD", "REPLACE", lib)).as("FUNCTION LOAD is denyoom").isEqualTo(error(OOM));
        } finally {
            assertThat(c.call("CONFIG", "SET", "maxmemory", "0")).isEqualTo(OK);
            assertThat(c.call("FUNCTION", "FLUSH")).isEqualTo(OK);
        }
    }

    // ---- volatile policies --------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"})
    void volatilePoliciesEvictOnlyKeysWithATtl(String policy) throws IOException {
        String big = value(100 * 1024, 'p');
        assertThat(setAll("p:", 0, 20, big, 0)).containsOnly(OK);
        assertThat(setAll("t:", 0, 5, big, 3600)).containsOnly(OK);
        assertThat(c.call("CONFIG", "SET", "maxmemory-policy", policy, "maxmemory-eviction-tenacity", "100")).isEqualTo(OK);
        long evictedBefore = evictedKeys();
        long limit = usedMemory() + 1024 * 1024;
        assertThat(c.call("CONFIG", "SET", "maxmemory", Long.toString(limit))).isEqualTo(OK);

        for (int batch = 0; batch < 5; batch++) {
            assertThat(setAll("t:", 5 + batch * 10, 15 + batch * 10, big, 3600)).as("writes while keys with a TTL remain").containsOnly(OK);
        }
        long evicted = evictedKeys() - evictedBefore;
        assertThat(evicted).isGreaterThan(0);
        assertThat(dbsize()).as("every write added a key; only eviction removed any").isEqualTo(75 - evicted);
        for (int i = 0; i < 20; i++) {
            assertThat(exists("p:" + i)).as("persistent key p:" + i).isTrue();
        }

        // With less room than the persistent keys take, every key with a TTL goes and then writes fail.
        assertThat(c.call("CONFIG", "SET", "maxmemory", Long.toString(limit - 2 * 1024 * 1024))).isEqualTo(OK);
        assertThat(c.call("SET", "new", "v")).isEqualTo(error(OOM));
        assertThat(dbsize()).isEqualTo(20);
        for (int i = 0; i < 20; i++) {
            assertThat(exists("p:" + i)).as("persistent key p:" + i).isTrue();
        }
        assertThat(c.call("GET", "p:0")).isEqualTo(bulk(big));
        assertThat(c.call("DEL", "p:0")).isEqualTo(integer(1));
    }

    @Test
    void volatileTtlEvictsTheSoonestDeadlinesFirst() throws IOException {
        String big = value(100 * 1024, 't');
        // t:0 expires first, t:39 last.
        List<String[]> writes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            writes.add(new String[] {"SET", "t:" + i, big, "EX", Long.toString(10_000 + 100L * i)});
        }
        assertThat(pipeline(writes)).containsOnly(OK);
        assertThat(c.call("CONFIG", "SET", "maxmemory-policy", "volatile-ttl", "maxmemory-samples", "10",
                "maxmemory-eviction-tenacity", "100")).isEqualTo(OK);
        long evictedBefore = evictedKeys();
        assertThat(c.call("CONFIG", "SET", "maxmemory", Long.toString(usedMemory() + 200 * 1024))).isEqualTo(OK);
        // Persistent writes force roughly ten evictions, all among the keys with a TTL.
        assertThat(setAll("p:", 0, 10, big, 0)).containsOnly(OK);

        long evicted = evictedKeys() - evictedBefore;
        assertThat(evicted).isBetween(5L, 20L);
        List<Integer> gone = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            if (!exists("t:" + i)) {
                gone.add(i);
            }
        }
        assertThat(gone).hasSize((int) evicted);
        assertThat(gone).as("evicted among the earliest three quarters of deadlines").allMatch(i -> i < 30);
        assertThat(gone.stream().filter(i -> i < 20).count()).as("mostly from the earliest half: " + gone)
                .isGreaterThanOrEqualTo(gone.size() * 3L / 4);
        for (int i = 0; i < 10; i++) {
            assertThat(exists("p:" + i)).isTrue();
        }
    }

    // ---- allkeys policies ---------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"allkeys-lru", "allkeys-lfu", "allkeys-random"})
    void allkeysPoliciesKeepMemoryUnderTheLimitWithoutRefusingWrites(String policy) throws IOException {
        int size = 50 * 1024;
        String big = value(size, 'a');
        assertThat(c.call("CONFIG", "SET", "maxmemory-policy", policy)).isEqualTo(OK);
        long evictedBefore = evictedKeys();
        long limit = usedMemory() + 32L * 1024 * 1024;
        // Redis checks the limit before each command, so a write may leave it over by about one value.
        long slack = 2L * size + 256 * 1024;
        assertThat(c.call("CONFIG", "SET", "maxmemory", Long.toString(limit))).isEqualTo(OK);

        for (int batch = 0; batch < 20; batch++) {
            assertThat(setAll("k:", batch * 100, batch * 100 + 100, big, 0)).as("no write is refused").containsOnly(OK);
            long used = usedMemory();
            assertThat(used).as("used_memory after batch " + batch).isLessThanOrEqualTo(limit + slack);
        }
        long keys = dbsize();
        long evicted = evictedKeys() - evictedBefore;
        assertThat(keys).isLessThan(2000);
        assertThat(evicted).as("each write added a key; only eviction removed any").isEqualTo(2000 - keys);
        assertThat(keys * size).as("eviction keeps the dataset near the limit, not far below it").isGreaterThan(8L * 1024 * 1024);
    }

    @Test
    void aGigabyteWrittenInto256MegabytesUnderAllkeysLruStaysWithinTheLimit() throws IOException {
        int size = 16 * 1024;
        String big = value(size, 'g');
        assertThat(c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru", "maxmemory", "256mb")).isEqualTo(OK);
        long limit = 256L * 1024 * 1024;
        long slack = 2L * size + 256 * 1024;
        long evictedBefore = evictedKeys();
        int batches = 1024;
        for (int batch = 0; batch < batches; batch++) { // 1024 x 64 x 16 KB = 1 GB
            assertThat(setAll("g:", batch * 64, batch * 64 + 64, big, 0)).as("no write is refused").containsOnly(OK);
            if (batch % 64 == 63) {
                assertThat(usedMemory()).as("used_memory after %d MB", (batch + 1) / 64 * 64).isLessThanOrEqualTo(limit + slack);
            }
        }
        long keys = dbsize();
        assertThat(evictedKeys() - evictedBefore).isEqualTo(batches * 64L - keys);
        assertThat(keys * size).as("the dataset fills most of the limit").isGreaterThan(limit / 2);
    }

    @Test
    void anEvictedKeyFailsTheTransactionThatWatchedIt() throws IOException {
        assertThat(c.call("SET", "watched", value(100 * 1024, 'w'))).isEqualTo(OK);
        try (RespConnection other = new RespConnection(port())) {
            assertThat(c.call("WATCH", "watched")).isEqualTo(OK);
            assertThat(other.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random", "maxmemory", "1")).isEqualTo(OK);
            other.call("GET", "watched"); // any command evicts first
            assertThat(other.call("EXISTS", "watched")).isEqualTo(integer(0));
            assertThat(other.call("CONFIG", "SET", "maxmemory", "0")).isEqualTo(OK);
            assertThat(c.call("MULTI")).isEqualTo(OK);
            assertThat(c.call("SET", "watched", "again")).isEqualTo("+QUEUED\r\n");
            assertThat(c.call("EXEC")).as("the eviction touched the watched key").isEqualTo("*-1\r\n");
            assertThat(c.call("EXISTS", "watched")).isEqualTo(integer(0));
        }
    }

    @Test
    void evictionsAreNotifiedAsEvictedKeyEvents() throws IOException {
        String big = value(100 * 1024, 'e');
        assertThat(c.call("CONFIG", "SET", "notify-keyspace-events", "Ee", "maxmemory-policy", "allkeys-random")).isEqualTo(OK);
        try (RespConnection sub = new RespConnection(port())) {
            assertThat(sub.call("SUBSCRIBE", "__keyevent@0__:evicted"))
                    .isEqualTo(array(bulk("subscribe"), bulk("__keyevent@0__:evicted"), integer(1)));
            long evictedBefore = evictedKeys();
            assertThat(c.call("CONFIG", "SET", "maxmemory", Long.toString(usedMemory() + 1024 * 1024))).isEqualTo(OK);
            assertThat(setAll("k:", 0, 30, big, 0)).containsOnly(OK);
            long evicted = evictedKeys() - evictedBefore;
            assertThat(evicted).isPositive().isEqualTo(30 - dbsize());
            for (int i = 0; i < evicted; i++) {
                List<Object> message = RespValue.list(sub.readReply());
                assertThat(message.subList(0, 2)).containsExactly("message", "__keyevent@0__:evicted");
                assertThat(exists((String) message.get(2))).as("evicted " + message.get(2)).isFalse();
            }
            assertThat(sub.call("PING")).as("no more evicted events than evicted keys")
                    .isEqualTo(array(bulk("pong"), bulk("")));
        }
    }

    @Test
    void loweringMaxmemoryEvictsWithoutFurtherWrites() throws Exception {
        String big = value(100 * 1024, 'r');
        assertThat(setAll("k:", 0, 100, big, 0)).containsOnly(OK);
        assertThat(c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random")).isEqualTo(OK);
        long limit = usedMemory() - 5L * 1024 * 1024;
        assertThat(c.call("CONFIG", "SET", "maxmemory", Long.toString(limit))).isEqualTo(OK);
        Poll.until("used_memory to fall under maxmemory", Duration.ofSeconds(10), () -> usedMemory() <= limit);
        assertThat(dbsize()).isLessThan(100).isGreaterThan(10);
        assertThat(evictedKeys()).isGreaterThanOrEqualTo(100 - dbsize());
    }

    @Test
    void allkeysLruKeepsTheRecentlyReadKeys() throws Exception {
        int size = 50 * 1024;
        String big = value(size, 'c');
        String hot = value(1024, 'h');
        assertThat(c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru", "maxmemory-samples", "10")).isEqualTo(OK);
        long limit = usedMemory() + 32L * 1024 * 1024;
        assertThat(c.call("CONFIG", "SET", "maxmemory", Long.toString(limit))).isEqualTo(OK);
        assertThat(setAll("hot:", 0, 50, hot, 0)).containsOnly(OK);
        // Cold keys up to about half of the limit, no eviction yet.
        assertThat(setAll("cold:", 0, 320, big, 0)).containsOnly(OK);
        // The LRU clock counts seconds: wait until the cold keys are seen idle, then read the hot keys.
        Poll.until("the last cold key idle for a second", Duration.ofSeconds(5),
                () -> (Long) RespValue.parse(c.call("OBJECT", "IDLETIME", "cold:319")) >= 1);
        readHotKeys(1);
        for (int batch = 0; batch < 10; batch++) {
            assertThat(setAll("new:", batch * 50, batch * 50 + 50, big, 0)).containsOnly(OK);
            readHotKeys(1);
        }
        assertThat(evictedKeys()).isGreaterThan(0);
        for (int i = 0; i < 50; i++) {
            assertThat(exists("hot:" + i)).as("hot:" + i).isTrue();
        }
    }

    @Test
    void allkeysLfuKeepsTheFrequentlyReadKeys() throws Exception {
        int size = 50 * 1024;
        String big = value(size, 'c');
        String hot = value(1024, 'h');
        assertThat(c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu")).isEqualTo(OK);
        long limit = usedMemory() + 32L * 1024 * 1024;
        assertThat(c.call("CONFIG", "SET", "maxmemory", Long.toString(limit))).isEqualTo(OK);
        assertThat(setAll("hot:", 0, 50, hot, 0)).containsOnly(OK);
        readHotKeys(10);
        for (int batch = 0; batch < 20; batch++) {
            assertThat(setAll("cold:", batch * 50, batch * 50 + 50, big, 0)).containsOnly(OK);
            readHotKeys(2);
        }
        assertThat(evictedKeys()).isGreaterThan(0);
        for (int i = 0; i < 50; i++) {
            assertThat(exists("hot:" + i)).as("hot:" + i).isTrue();
        }
    }

    private void readHotKeys(int times) throws IOException {
        List<String[]> reads = new ArrayList<>();
        for (int t = 0; t < times; t++) {
            for (int i = 0; i < 50; i++) {
                reads.add(new String[] {"GET", "hot:" + i});
            }
        }
        assertThat(pipeline(reads)).doesNotContain(NIL);
    }

    // ---- OBJECT FREQ and IDLETIME -------------------------------------------------------------

    static final String LFU_NOT_SELECTED = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that "
            + "when switching between policies at runtime LRU and LFU data will take some time to adjust.";
    static final String LFU_SELECTED = "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
            + "switching between policies at runtime LRU and LFU data will take some time to adjust.";

    @Test
    void objectFreqCountsAccessesUnderAnLfuPolicy() throws IOException {
        // Without decay and with a log factor of 0, every access increments the counter, starting at 5.
        assertThat(c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu", "lfu-log-factor", "0", "lfu-decay-time", "0")).isEqualTo(OK);
        assertThat(c.call("SET", "k", "v")).isEqualTo(OK);
        assertThat(c.call("OBJECT", "FREQ", "k")).isEqualTo(integer(5));
        for (int i = 0; i < 10; i++) {
            assertThat(c.call("GET", "k")).isEqualTo(bulk("v"));
        }
        assertThat(c.call("OBJECT", "FREQ", "k")).as("OBJECT FREQ itself does not count").isEqualTo(integer(15));
        assertThat(c.call("OBJECT", "FREQ", "missing")).isEqualTo(NIL);
        assertThat(c.call("OBJECT", "IDLETIME", "k")).isEqualTo(error(LFU_SELECTED));

        // With the default log factor the counter still grows, ever more slowly.
        assertThat(c.call("CONFIG", "SET", "lfu-log-factor", "10")).isEqualTo(OK);
        assertThat(c.call("SET", "k2", "v")).isEqualTo(OK);
        assertThat(c.call("OBJECT", "FREQ", "k2")).isEqualTo(integer(5));
        for (int i = 0; i < 100; i++) {
            c.call("GET", "k2");
        }
        assertThat((Long) RespValue.parse(c.call("OBJECT", "FREQ", "k2"))).isBetween(6L, 15L);
    }

    @Test
    void objectFreqNeedsAnLfuPolicyAndIdletimeAnLruOne() throws IOException {
        assertThat(c.call("OBJECT", "FREQ", "missing")).as("the key is looked up before the policy is checked").isEqualTo(NIL);
        assertThat(c.call("SET", "k", "v")).isEqualTo(OK);
        assertThat(c.call("OBJECT", "FREQ", "k")).isEqualTo(error(LFU_NOT_SELECTED));
        assertThat(c.call("OBJECT", "IDLETIME", "k")).isEqualTo(integer(0));
        assertThat(c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru")).isEqualTo(OK);
        assertThat(c.call("OBJECT", "FREQ", "k")).isEqualTo(error(LFU_NOT_SELECTED));
        assertThat(c.call("CONFIG", "SET", "maxmemory-policy", "volatile-lfu")).isEqualTo(OK);
        assertThat(c.call("OBJECT", "IDLETIME", "k")).isEqualTo(error(LFU_SELECTED));
        assertThat(c.call("OBJECT", "FREQ", "missing")).isEqualTo(NIL);
    }

    // ---- MEMORY -------------------------------------------------------------------------------

    @Test
    void memoryUsage() throws IOException {
        String v = value(1000, 'm');
        assertThat(c.call("SET", "k", v)).isEqualTo(OK);
        assertThat((Long) RespValue.parse(c.call("MEMORY", "USAGE", "k"))).isGreaterThan(1000L);
        assertThat((Long) RespValue.parse(c.call("MEMORY", "USAGE", "k", "SAMPLES", "0"))).isGreaterThan(1000L);
        assertThat((Long) RespValue.parse(c.call("MEMORY", "USAGE", "k", "samples", "10"))).isGreaterThan(1000L);
        assertThat(c.call("MEMORY", "USAGE", "missing")).isEqualTo(NIL);
        assertThat(c.call("MEMORY", "USAGE", "k", "SAMPLES", "-1")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("MEMORY", "USAGE", "k", "SAMPLES", "x")).isEqualTo(error("ERR value is not an integer or out of range"));
        assertThat(c.call("MEMORY", "USAGE", "k", "FOO", "1")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("MEMORY", "USAGE")).isEqualTo(error("ERR wrong number of arguments for 'memory|usage' command"));

        assertThat(c.call("RPUSH", "list", value(100, 'a'), value(100, 'b'), value(100, 'c'))).isEqualTo(integer(3));
        assertThat((Long) RespValue.parse(c.call("MEMORY", "USAGE", "list"))).isGreaterThan(300L);
    }

    @Test
    void memoryStatsHasRedisFields() throws IOException {
        assertThat(c.call("SET", "a", "1")).isEqualTo(OK);
        assertThat(c.call("SET", "b", "2", "EX", "100")).isEqualTo(OK);
        Map<String, Object> stats = asMap(c.call("MEMORY", "STATS"));
        assertThat(stats).containsKeys("peak.allocated", "total.allocated", "startup.allocated", "replication.backlog",
                "clients.slaves", "clients.normal", "cluster.links", "aof.buffer", "lua.caches", "functions.caches", "db.0",
                "overhead.total", "keys.count", "keys.bytes-per-key", "dataset.bytes", "dataset.percentage", "peak.percentage",
                "allocator.allocated", "allocator.active", "allocator.resident", "allocator-fragmentation.ratio",
                "allocator-fragmentation.bytes", "allocator-rss.ratio", "allocator-rss.bytes", "rss-overhead.ratio",
                "rss-overhead.bytes", "fragmentation", "fragmentation.bytes");
        assertThat(stats.get("keys.count")).isEqualTo(2L);
        assertThat(stats.get("peak.allocated")).isInstanceOf(Long.class);
        assertThat(stats.get("total.allocated")).isInstanceOf(Long.class);
        assertThat(stats.get("dataset.bytes")).isInstanceOf(Long.class);
        assertThat((Long) stats.get("peak.allocated")).isGreaterThanOrEqualTo((Long) stats.get("total.allocated") - 1024 * 1024);
        assertThat(Double.parseDouble((String) stats.get("dataset.percentage"))).isBetween(0.0, 100.0);
        @SuppressWarnings("unchecked")
        List<Object> db0 = (List<Object>) stats.get("db.0");
        assertThat(List.of(db0.get(0), db0.get(2), db0.get(4)))
                .containsExactly("overhead.hashtable.main", "overhead.hashtable.expires", "overhead.hashtable.slot-to-keys");
        assertThat(List.of(db0.get(1), db0.get(3), db0.get(5))).allMatch(n -> n instanceof Long);
        assertThat(stats).doesNotContainKey("db.1");
    }

    @Test
    void memoryDoctorPurgeMallocStatsAndHelp() throws IOException {
        assertThat(c.call("FLUSHALL")).isEqualTo(OK);
        assertThat(c.call("MEMORY", "DOCTOR")).isEqualTo(bulk("Hi Sam, this instance is empty or is using very little memory, my"
                + " issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with"
                + " some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n"));
        assertThat(c.call("MEMORY", "PURGE")).isEqualTo(OK);
        assertThat(c.call("MEMORY", "MALLOC-STATS")).startsWith("$");
        assertThat(c.call("MEMORY", "HELP")).isEqualTo("*14\r\n"
                + "+MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                + "+DOCTOR\r\n"
                + "+    Return memory problems reports.\r\n"
                + "+MALLOC-STATS\r\n"
                + "+    Return internal statistics report from the memory allocator.\r\n"
                + "+PURGE\r\n"
                + "+    Attempt to purge dirty pages for reclamation by the allocator.\r\n"
                + "+STATS\r\n"
                + "+    Return information about the memory usage of the server.\r\n"
                + "+USAGE <key> [SAMPLES <count>]\r\n"
                + "+    Return memory in bytes used by <key> and its value. Nested values are\r\n"
                + "+    sampled up to <count> times (default: 5, 0 means sample all).\r\n"
                + "+HELP\r\n"
                + "+    Prints this help.\r\n");
        assertThat(c.call("MEMORY", "FOO")).isEqualTo(error("ERR unknown subcommand 'FOO'. Try MEMORY HELP."));
        assertThat(c.call("MEMORY")).isEqualTo(error("ERR wrong number of arguments for 'memory' command"));
    }

    // ---- INFO ---------------------------------------------------------------------------------

    @Test
    void infoReportsTheLimitThePolicyAndEvictions() throws IOException {
        assertThat(infoField("memory", "maxmemory")).isEqualTo("0");
        assertThat(infoField("memory", "maxmemory_human")).isEqualTo("0B");
        assertThat(infoField("memory", "maxmemory_policy")).isEqualTo("noeviction");
        assertThat(Long.parseLong(infoField("memory", "used_memory"))).isPositive();
        assertThat(infoField("memory", "used_memory_human")).matches("\\d+\\.\\d\\d[BKMG]");
        assertThat(Long.parseLong(infoField("memory", "used_memory_dataset"))).isNotNegative();
        assertThat(Long.parseLong(infoField("memory", "used_memory_overhead"))).isPositive();
        assertThat(Long.parseLong(infoField("memory", "used_memory_peak"))).isPositive();
        assertThat(infoField("memory", "mem_fragmentation_ratio")).matches("\\d+\\.\\d\\d");
        assertThat(Long.parseLong(infoField("stats", "evicted_keys"))).isNotNegative();

        assertThat(c.call("CONFIG", "SET", "maxmemory", "10mb", "maxmemory-policy", "allkeys-lru")).isEqualTo(OK);
        assertThat(infoField("memory", "maxmemory")).isEqualTo("10485760");
        assertThat(infoField("memory", "maxmemory_human")).isEqualTo("10.00M");
        assertThat(infoField("memory", "maxmemory_policy")).isEqualTo("allkeys-lru");
        assertThat(c.call("CONFIG", "SET", "maxmemory", "1536k", "maxmemory-policy", "volatile-ttl")).isEqualTo(OK);
        assertThat(infoField("memory", "maxmemory")).isEqualTo("1536000");
        assertThat(infoField("memory", "maxmemory_human")).isEqualTo("1.46M");
        assertThat(infoField("memory", "maxmemory_policy")).isEqualTo("volatile-ttl");
        assertThat(c.call("CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", "noeviction")).isEqualTo(OK);
        assertThat(infoField("memory", "maxmemory")).isEqualTo("0");
    }

    // ---- client output buffer limit -----------------------------------------------------------

    @Test
    void aClientThatDoesNotReadIsDisconnectedAtTheOutputBufferHardLimit() throws Exception {
        assertThat(c.call("CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 0 0")).isEqualTo(OK);
        assertThat(asMap(c.call("CONFIG", "GET", "client-output-buffer-limit")).get("client-output-buffer-limit"))
                .isEqualTo("normal 1048576 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
        assertThat(c.call("SET", "bigkey", value(512 * 1024, 'b'))).isEqualTo(OK);
        try (RespConnection slow = new RespConnection(port())) {
            assertThat(slow.call("PING")).isEqualTo("+PONG\r\n");
            String addr = "addr=127.0.0.1:" + slow.localPort() + " ";
            assertThat(c.call("CLIENT", "LIST")).contains(addr);
            ByteArrayOutputStream gets = new ByteArrayOutputStream();
            for (int i = 0; i < 200; i++) {
                gets.writeBytes(RespConnection.encode("GET", "bigkey"));
            }
            slow.send(gets.toByteArray()); // and never read the 100 MB of replies
            Poll.until("the client that does not read to be disconnected", Duration.ofSeconds(10),
                    () -> !c.call("CLIENT", "LIST").contains(addr));
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(c.call("STRLEN", "bigkey")).isEqualTo(integer(512 * 1024));
        }
    }

    @Test
    void clientsOverMaxmemoryClientsAreEvictedBiggestFirstExceptNoEvict() throws Exception {
        assertThat(c.call("CONFIG", "SET", "maxmemory-clients", "4mb")).isEqualTo(OK);
        assertThat(asMap(c.call("CONFIG", "GET", "maxmemory-clients")).get("maxmemory-clients")).isEqualTo("4194304");
        assertThat(c.call("CLIENT", "NO-EVICT", "on")).isEqualTo(OK);
        assertThat(c.call("SET", "bigkey", value(512 * 1024, 'b'))).isEqualTo(OK);
        long evictedBefore = Long.parseLong(infoField("stats", "evicted_clients"));
        try (RespConnection slow = new RespConnection(port())) {
            assertThat(slow.call("PING")).isEqualTo("+PONG\r\n");
            String addr = "addr=127.0.0.1:" + slow.localPort() + " ";
            ByteArrayOutputStream gets = new ByteArrayOutputStream();
            for (int i = 0; i < 200; i++) {
                gets.writeBytes(RespConnection.encode("GET", "bigkey"));
            }
            slow.send(gets.toByteArray()); // and never read the 100 MB of replies
            Poll.until("the client over maxmemory-clients to be evicted", Duration.ofSeconds(10),
                    () -> !c.call("CLIENT", "LIST").contains(addr));
            assertThat(Long.parseLong(infoField("stats", "evicted_clients"))).isGreaterThan(evictedBefore);
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        } finally {
            assertThat(c.call("CLIENT", "NO-EVICT", "off")).isEqualTo(OK);
        }
        assertThat(c.call("CONFIG", "SET", "maxmemory-clients", "10%")).isEqualTo(OK);
        assertThat(asMap(c.call("CONFIG", "GET", "maxmemory-clients")).get("maxmemory-clients")).isEqualTo("10%");
    }

    /**
     * maxmemory lowered far below the data, with no time limit on evicting (tenacity 100): the
     * run that evicts most keys at once is the eviction-cycle latency event (1 ms threshold), and
     * DOCTOR gives Redis's advice on sudden memory pressure.
     */
    @Test
    void aLongEvictionRunIsTheEvictionCycleLatencyEvent() throws Exception {
        try {
            assertThat(c.call("LATENCY", "RESET")).startsWith(":");
            long base = usedMemory();
            c.call("EVAL", "for i=1,100000 do redis.call('set','k'..i,'v') end return 1", "0");
            long used = usedMemory();
            assertThat(c.call("LATENCY", "LATEST")).doesNotContain("eviction");
            assertThat(c.call("CONFIG", "SET", "latency-monitor-threshold", "1", "maxmemory-policy", "allkeys-random",
                    "maxmemory-eviction-tenacity", "100")).isEqualTo(OK);
            assertThat(c.call("CONFIG", "SET", "maxmemory", Long.toString(base + (used - base) / 5))).isEqualTo(OK);
            Poll.until("an eviction-cycle sample", Duration.ofSeconds(10),
                    () -> c.call("LATENCY", "LATEST").contains("\r\neviction-cycle\r\n"));
            assertThat(dbsize()).isLessThan(50_000);
            assertThat(c.call("LATENCY", "DOCTOR")).contains(". eviction-cycle: ", "- Sudden changes to the 'maxmemory' "
                    + "setting via 'CONFIG SET', or allocation of large objects via sets or sorted sets intersections, STORE "
                    + "option of SORT, Redis Cluster large keys migrations (RESTORE command), may create sudden memory "
                    + "pressure forcing the server to block trying to evict keys. \n");
        } finally {
            c.call("CONFIG", "SET", "latency-monitor-threshold", "0");
        }
    }
}
