package dev.panda.it;

import static dev.panda.it.RespConnection.OK;
import static dev.panda.it.RespConnection.array;
import static dev.panda.it.RespConnection.bulk;
import static dev.panda.it.RespConnection.error;
import static dev.panda.it.RespConnection.integer;
import static dev.panda.it.RespConnection.simple;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DEBUG's subcommands, asserted against Panda ({@link PandaDebugIT}) and against Debian's real
 * redis-server 7.0.15 ({@link RedisDebugIT}), so every digest below is Redis's own for the same
 * data, and every reply and error is Redis's. Deadlines are absolute and far away (2100), so the
 * dataset is the same on every run. Test thread.
 */
abstract class DebugContract extends ServerContract {
    private static final String ZEROS = "0".repeat(40);
    private static final String YEAR_2100_MS = "4102444800000";

    /** One key of every type in every encoding Redis 7.0 has, a deadline on some, and a second database. */
    private void mixedDataset() throws IOException {
        String[][] commands = {
                {"SET", "s:int", "12345"},
                {"SET", "s:negative", "-42"},
                {"SET", "s:embstr", "hello"},
                {"SET", "s:raw", "x".repeat(60)},
                {"SET", "s:expiring", "soon", "PXAT", YEAR_2100_MS},
                {"RPUSH", "l:small", "a", "b", "1", "-3", "1234567890123"},
                {"HSET", "h:listpack", "f", "v", "n", "1", "x", "123456789"},
                {"HSET", "h:table", "f", "v", "long", "y".repeat(80)},
                {"SADD", "set:intset", "1", "2", "3", "-5", "100000"},
                {"SADD", "set:table", "a", "b", "c", "1"},
                {"ZADD", "z:listpack", "1", "a", "2.5", "b", "-inf", "c", "1e20", "d", "0.1", "e", "3", "10", "-0", "neg0"},
                {"ZADD", "z:skiplist", "1", "a", "0.1", "z".repeat(70), "inf", "top"},
                {"XADD", "st", "1-1", "a", "1", "b", "2"},
                {"XADD", "st", "2-0", "c", "3"},
                {"XADD", "st", "3-0", "d", "4", "e", "five"},
                {"XDEL", "st", "2-0"},
                {"XGROUP", "CREATE", "st", "g", "0"},
                {"PEXPIREAT", "h:listpack", YEAR_2100_MS},
        };
        for (String[] command : commands) {
            assertThat(c.call(command)).as(String.join(" ", command)).doesNotStartWith("-");
        }
        String[] list = new String[302];
        list[0] = "RPUSH";
        list[1] = "l:large";
        for (int i = 0; i < 300; i++) {
            list[i + 2] = i % 3 == 0 ? Integer.toString(i * 7) : "element-" + i;
        }
        assertThat(c.call(list)).isEqualTo(integer(300));
        String[] zset = new String[2 + 2 * 200];
        zset[0] = "ZADD";
        zset[1] = "z:large";
        for (int i = 0; i < 200; i++) {
            zset[2 + 2 * i] = Double.toString(i / 7.0);
            zset[3 + 2 * i] = "m" + i;
        }
        assertThat(c.call(zset)).isEqualTo(integer(200));
        assertThat(c.call("SELECT", "1")).isEqualTo(OK);
        assertThat(c.call("SET", "s:int", "12345")).isEqualTo(OK);
        assertThat(c.call("SELECT", "0")).isEqualTo(OK);
    }

    private String digestValue(String key) throws IOException {
        String reply = c.call("DEBUG", "DIGEST-VALUE", key);
        assertThat(reply).startsWith("*1\r\n+");
        return reply.substring(5, reply.length() - 2);
    }

    // ---- DIGEST and DIGEST-VALUE -----------------------------------------------------------------

    @Test
    void emptyDatasetDigestsToZeros() throws IOException {
        assertThat(c.call("DEBUG", "DIGEST")).isEqualTo(simple(ZEROS));
        assertThat(c.call("DEBUG", "DIGEST-VALUE", "missing", "other")).isEqualTo(array(simple(ZEROS), simple(ZEROS)));
        assertThat(c.call("DEBUG", "DIGEST-VALUE")).isEqualTo("*0\r\n");
    }

    @Test
    void everyTypeInEveryEncodingDigestsAsRedis() throws IOException {
        mixedDataset();
        assertThat(c.call("OBJECT", "ENCODING", "s:int")).isEqualTo(bulk("int"));
        assertThat(c.call("OBJECT", "ENCODING", "s:raw")).isEqualTo(bulk("raw"));
        assertThat(c.call("OBJECT", "ENCODING", "h:table")).isEqualTo(bulk("hashtable"));
        assertThat(c.call("OBJECT", "ENCODING", "set:intset")).isEqualTo(bulk("intset"));
        assertThat(c.call("OBJECT", "ENCODING", "z:listpack")).isEqualTo(bulk("listpack"));
        assertThat(c.call("OBJECT", "ENCODING", "z:skiplist")).isEqualTo(bulk("skiplist"));
        assertThat(c.call("OBJECT", "ENCODING", "z:large")).isEqualTo(bulk("skiplist"));
        String[][] expected = {
                {"s:int", "e1cf90774e995ae03de66e8109dc5cb9d9c2dc83"},
                {"s:negative", "ce70a5674f228eaf3e2c2d01f6152e36f7e792a7"},
                {"s:embstr", "36b23a1456b2dce2c3ed252c456761301dba8060"},
                {"s:raw", "4a2e999a3f2e993c19ec0f697b7e2642bd8e7cbb"},
                {"s:expiring", "3165200877d3190912cace229788627a60a379ef"},
                {"l:small", "5ba44422ed3c810be57bc21770d234f61ff3286b"},
                {"l:large", "d01f9270b23f11d4da25594e8ffec998cf819c7e"},
                {"h:listpack", "0add8b6b05155fae5987d426f0c89c5e0c054e61"},
                {"h:table", "d56c34a5caae17869894a66a3274f66320aa1ec8"},
                {"set:intset", "1ed7e76f32098645c31d43488139d4a78cbebd28"},
                {"set:table", "6c563d3f017ec5083ac0b9f29fc635f90a47f2d9"},
                {"z:listpack", "c600b096e2fe914dec22e2cf9c906cfa26d8d65b"},
                {"z:skiplist", "533bf55a35f4351f8adaf6caca5f9108352aba92"},
                {"z:large", "4b9ff40801b55f18f48fe050ff99b991b41fe7e2"},
                {"st", "702c98ef26985fb579380847dc4621eeaf42f72b"},
        };
        StringBuilder actual = new StringBuilder();
        StringBuilder wanted = new StringBuilder();
        for (String[] e : expected) {
            actual.append(e[0]).append(' ').append(digestValue(e[0])).append('\n');
            wanted.append(e[0]).append(' ').append(e[1]).append('\n');
        }
        assertThat(actual.toString()).isEqualTo(wanted.toString());
    }

    @Test
    void datasetDigestAsRedisAcrossDatabasesAndDeadlines() throws IOException {
        mixedDataset();
        String digest = simple("e01c4d3e838de5948b4799500f5d918ca0525e23");
        assertThat(c.call("DEBUG", "DIGEST")).isEqualTo(digest);
        // The same value digests the same in either order of insertion (sets, hashes, keys xor).
        assertThat(c.call("DEL", "set:table")).isEqualTo(integer(1));
        assertThat(c.call("SADD", "set:table", "1", "c", "b", "a")).isEqualTo(integer(4));
        assertThat(c.call("DEBUG", "DIGEST")).isEqualTo(digest);
        // A deadline counts, not its time.
        assertThat(c.call("PEXPIREAT", "s:expiring", "4102444800001")).isEqualTo(integer(1));
        assertThat(c.call("DEBUG", "DIGEST")).isEqualTo(digest);
        assertThat(c.call("PERSIST", "s:expiring")).isEqualTo(integer(1));
        assertThat(c.call("DEBUG", "DIGEST")).isNotEqualTo(digest);
        // The database a key is in counts.
        assertThat(c.call("MOVE", "s:negative", "2")).isEqualTo(integer(1));
        String moved = c.call("DEBUG", "DIGEST");
        assertThat(c.call("SELECT", "2")).isEqualTo(OK);
        assertThat(c.call("MOVE", "s:negative", "0")).isEqualTo(integer(1));
        assertThat(c.call("DEBUG", "DIGEST")).isNotEqualTo(moved);
        assertThat(c.call("SELECT", "0")).isEqualTo(OK);
    }

    @Test
    void listOrderMattersSetOrderDoesNot() throws IOException {
        c.call("RPUSH", "a", "x", "y");
        c.call("RPUSH", "b", "y", "x");
        assertThat(digestValue("a")).isNotEqualTo(digestValue("b"));
        c.call("SADD", "s1", "x", "y");
        c.call("SADD", "s2", "y", "x");
        assertThat(digestValue("s1")).isEqualTo(digestValue("s2"));
    }

    // ---- RELOAD --------------------------------------------------------------------------------

    @Test
    void reloadKeepsTheDatasetExactly() throws IOException {
        mixedDataset();
        String before = c.call("DEBUG", "DIGEST");
        assertThat(c.call("DEBUG", "RELOAD")).isEqualTo(OK);
        assertThat(c.call("DEBUG", "DIGEST")).isEqualTo(before);
        assertThat(c.call("DBSIZE")).isEqualTo(integer(15));
        assertThat(c.call("PEXPIRETIME", "s:expiring")).isEqualTo(integer(Long.parseLong(YEAR_2100_MS)));

        // NOSAVE: back to what was saved; NOSAVE NOFLUSH MERGE: what was saved, over what is there.
        assertThat(c.call("SET", "after", "1")).isEqualTo(OK);
        assertThat(c.call("DEL", "st")).isEqualTo(integer(1));
        assertThat(c.call("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE")).isEqualTo(OK);
        assertThat(c.call("EXISTS", "after", "st")).isEqualTo(integer(2));
        assertThat(c.call("DEBUG", "RELOAD", "NOSAVE")).isEqualTo(OK);
        assertThat(c.call("DEBUG", "DIGEST")).isEqualTo(before);
        assertThat(c.call("DEBUG", "RELOAD", "bogus")).isEqualTo(error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options."));
    }

    // ---- OBJECT --------------------------------------------------------------------------------

    @Test
    void objectShowsRedisLineForEachEncoding() throws IOException {
        mixedDataset();
        String line = "\\+Value at:0x[0-9a-f]+ refcount:\\d+ encoding:%s serializedlength:\\d+ lru:\\d+ lru_seconds_idle:\\d+%s\r\n";
        assertThat(c.call("DEBUG", "OBJECT", "s:raw")).matches(String.format(line, "raw", ""));
        assertThat(c.call("DEBUG", "OBJECT", "s:embstr")).matches(String.format(line, "embstr", ""));
        assertThat(c.call("DEBUG", "OBJECT", "set:intset")).matches(String.format(line, "intset", ""));
        assertThat(c.call("DEBUG", "OBJECT", "z:skiplist")).matches(String.format(line, "skiplist", ""));
        assertThat(c.call("DEBUG", "OBJECT", "st")).matches(String.format(line, "stream", ""));
        assertThat(c.call("DEBUG", "OBJECT", "l:small")).matches(String.format(line, "quicklist",
                " ql_nodes:1 ql_avg_node:5.00 ql_listpack_max:-2 ql_compressed:0 ql_uncompressed_size:\\d+"));
        assertThat(c.call("DEBUG", "OBJECT", "l:large")).matches(String.format(line, "quicklist",
                " ql_nodes:\\d+ ql_avg_node:\\d+\\.\\d\\d ql_listpack_max:-2 ql_compressed:0 ql_uncompressed_size:\\d+"));
        assertThat(c.call("DEBUG", "OBJECT", "missing")).isEqualTo(error("ERR no such key"));
        String object = c.call("DEBUG", "OBJECT", "s:raw");
        long lru = Long.parseLong(object.replaceAll("(?s).* lru:(\\d+) .*", "$1"));
        assertThat(lru).as("Redis's LRU clock: Unix seconds mod 2^24").isCloseTo((System.currentTimeMillis() / 1000) & 0xFF_FFFF,
                org.assertj.core.data.Offset.offset(5L));
        String hits = stat("keyspace_hits");
        c.call("DEBUG", "OBJECT", "h:table");
        c.call("DEBUG", "OBJECT", "l:large");
        assertThat(stat("keyspace_hits")).as("DEBUG OBJECT reads no key").isEqualTo(hits);
    }

    /** Fields of DEBUG OBJECT's line by name. */
    private long serializedLength(String key) throws IOException {
        String line = c.call("DEBUG", "OBJECT", key);
        assertThat(line).as(key).contains(" serializedlength:");
        return Long.parseLong(line.replaceAll("(?s).* serializedlength:(\\d+) .*", "$1"));
    }

    private static String[] command(String name, String key, int n, java.util.function.IntFunction<String> item) {
        String[] argv = new String[2 + n];
        argv[0] = name;
        argv[1] = key;
        for (int i = 0; i < n; i++) {
            argv[2 + i] = item.apply(i);
        }
        return argv;
    }

    /**
     * serializedlength is Redis's rdbSavedObjectLen: the value's RDB form in its encoding,
     * integers encoded, strings past 20 bytes LZF-compressed where that saves four bytes,
     * listpacks and intsets as one string, and all of it uncompressed with rdbcompression no.
     */
    @Test
    void objectSerializedLengthAsRedis() throws IOException {
        String lorem = String.join(" ", java.util.stream.IntStream.range(0, 200).mapToObj(i -> "lorem ipsum dolor sit amet " + i).toList());
        String[][] commands = {
                {"SET", "s:int", "12345"}, {"SET", "s:small", "7"}, {"SET", "s:big", "12345678901"}, {"SET", "s:neg", "-40000"},
                {"SET", "s:embstr", "hello"}, {"SET", "s:raw", "x".repeat(60)}, {"SET", "s:21", "a".repeat(21)},
                {"SET", "s:text", "the quick brown fox jumps over the lazy dog, the quick brown fox jumps again and again"},
                {"SET", "s:lorem", lorem},
                {"RPUSH", "l:small", "a", "b", "1", "-3", "1234567890123"},
                command("RPUSH", "l:rep", 50, i -> "element-" + i),
                {"HSET", "h:lp", "f", "v", "n", "1", "x", "123456789"},
                command("HSET", "h:lp2", 60, i -> i % 2 == 0 ? "field" + i / 2 : "value" + i / 2),
                {"HSET", "h:table", "f", "v", "long", "y".repeat(80), "n", "42"},
                command("HSET", "h:big", 1200, i -> i % 2 == 0 ? "field" + i / 2 : "value-" + (i / 2) * (i / 2)),
                {"SADD", "set:intset", "1", "2", "3", "-5", "100000"}, {"SADD", "set:intset64", "1", "5000000000"},
                {"SADD", "set:table", "a", "b", "c", "1"},
                command("SADD", "set:big", 1000, i -> "member:" + i),
                command("SADD", "set:bigint", 700, i -> Integer.toString(i * 3)),
                {"ZADD", "z:lp", "1", "a", "2.5", "b", "-inf", "c", "1e20", "d", "0.1", "e", "3", "10"},
                command("ZADD", "z:lp2", 80, i -> i % 2 == 0 ? Integer.toString(i / 2) : "member" + i / 2),
                {"ZADD", "z:skip", "1", "a", "0.1", "z".repeat(70), "inf", "top"},
                command("ZADD", "z:big", 400, i -> i % 2 == 0 ? Double.toString(i / 2 / 7.0) : "m" + i / 2),
        };
        for (String[] command : commands) {
            assertThat(c.call(command)).as(command[0] + " " + command[1]).doesNotStartWith("-");
        }
        // Streams: three listpack nodes, consumer groups with pending entries, deleted entries.
        for (int i = 1; i <= 250; i++) {
            assertThat(c.call("XADD", "st:big", i + "-0", "field", "value-" + i, "other", Integer.toString(i * 7))).startsWith("$");
        }
        String[][] streamCommands = {
                {"XGROUP", "CREATE", "st:big", "g1", "0"}, {"XREADGROUP", "GROUP", "g1", "alice", "COUNT", "5", "STREAMS", "st:big", ">"},
                {"XREADGROUP", "GROUP", "g1", "bob", "COUNT", "3", "STREAMS", "st:big", ">"}, {"XDEL", "st:big", "10-0", "11-0"},
                {"XADD", "st", "1-1", "a", "1", "b", "2"}, {"XADD", "st", "2-0", "c", "3"}, {"XADD", "st", "3-0", "d", "4", "e", "five"},
                {"XDEL", "st", "2-0"}, {"XGROUP", "CREATE", "st", "g", "0"},
        };
        for (String[] command : streamCommands) {
            assertThat(c.call(command)).as(String.join(" ", command)).doesNotStartWith("-");
        }
        String[][] expected = {
                {"s:int", "3"}, {"s:small", "2"}, {"s:big", "12"}, {"s:neg", "5"}, {"s:embstr", "6"}, {"s:raw", "12"},
                {"s:21", "9"}, {"s:text", "70"}, {"s:lorem", "1022"}, {"l:small", "31"}, {"l:rep", "276"}, {"h:lp", "28"},
                {"h:lp2", "267"}, {"h:table", "27"}, {"h:big", "12629"}, {"set:intset", "29"}, {"set:intset64", "25"},
                {"set:table", "9"}, {"set:big", "10892"}, {"set:bigint", "2059"}, {"z:lp", "62"}, {"z:lp2", "291"},
                {"z:skip", "44"}, {"z:big", "2492"}, {"st", "118"}, {"st:big", "3458"},
        };
        StringBuilder actual = new StringBuilder();
        StringBuilder wanted = new StringBuilder();
        for (String[] e : expected) {
            actual.append(e[0]).append(' ').append(serializedLength(e[0])).append('\n');
            wanted.append(e[0]).append(' ').append(e[1]).append('\n');
        }
        assertThat(actual.toString()).isEqualTo(wanted.toString());
        assertThat(c.call("CONFIG", "SET", "rdbcompression", "no")).isEqualTo(OK);
        try {
            assertThat(serializedLength("s:lorem")).isEqualTo(6091);
            assertThat(serializedLength("h:lp2")).isEqualTo(529);
        } finally {
            assertThat(c.call("CONFIG", "SET", "rdbcompression", "yes")).isEqualTo(OK);
        }
    }

    // ---- PROTOCOL ------------------------------------------------------------------------------

    @Test
    void protocolRepliesInResp2() throws IOException {
        assertThat(c.call("DEBUG", "PROTOCOL", "string")).isEqualTo(bulk("Hello World"));
        assertThat(c.call("DEBUG", "PROTOCOL", "integer")).isEqualTo(integer(12345));
        assertThat(c.call("DEBUG", "PROTOCOL", "double")).isEqualTo(bulk("3.141"));
        assertThat(c.call("DEBUG", "PROTOCOL", "bignum")).isEqualTo(bulk("1234567999999999999999999999999999999"));
        assertThat(c.call("DEBUG", "PROTOCOL", "null")).isEqualTo("$-1\r\n");
        assertThat(c.call("DEBUG", "PROTOCOL", "array")).isEqualTo(array(integer(0), integer(1), integer(2)));
        assertThat(c.call("DEBUG", "PROTOCOL", "set")).isEqualTo(array(integer(0), integer(1), integer(2)));
        assertThat(c.call("DEBUG", "PROTOCOL", "map"))
                .isEqualTo(array(integer(0), integer(0), integer(1), integer(1), integer(2), integer(0)));
        assertThat(c.call("DEBUG", "PROTOCOL", "attrib")).isEqualTo(bulk("Some real reply following the attribute"));
        assertThat(c.call("DEBUG", "PROTOCOL", "push")).isEqualTo(error("ERR RESP2 is not supported by this command"));
        assertThat(c.call("DEBUG", "PROTOCOL", "verbatim")).isEqualTo(bulk("This is a verbatim\nstring"));
        assertThat(c.call("DEBUG", "PROTOCOL", "true")).isEqualTo(integer(1));
        assertThat(c.call("DEBUG", "PROTOCOL", "false")).isEqualTo(integer(0));
        assertThat(c.call("DEBUG", "PROTOCOL", "nope")).isEqualTo(error("ERR Wrong protocol type name. Please use one of the "
                + "following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false"));
    }

    @Test
    void protocolRepliesInResp3() throws IOException {
        assertThat(c.call("HELLO", "3")).startsWith("%");
        assertThat(c.call("DEBUG", "PROTOCOL", "string")).isEqualTo(bulk("Hello World"));
        assertThat(c.call("DEBUG", "PROTOCOL", "integer")).isEqualTo(integer(12345));
        assertThat(c.call("DEBUG", "PROTOCOL", "double")).isEqualTo(",3.141\r\n");
        assertThat(c.call("DEBUG", "PROTOCOL", "bignum")).isEqualTo("(1234567999999999999999999999999999999\r\n");
        assertThat(c.call("DEBUG", "PROTOCOL", "null")).isEqualTo("_\r\n");
        assertThat(c.call("DEBUG", "PROTOCOL", "array")).isEqualTo(array(integer(0), integer(1), integer(2)));
        assertThat(c.call("DEBUG", "PROTOCOL", "set")).isEqualTo("~3\r\n:0\r\n:1\r\n:2\r\n");
        assertThat(c.call("DEBUG", "PROTOCOL", "map")).isEqualTo("%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n");
        assertThat(c.call("DEBUG", "PROTOCOL", "verbatim")).isEqualTo("=29\r\ntxt:This is a verbatim\nstring\r\n");
        assertThat(c.call("DEBUG", "PROTOCOL", "true")).isEqualTo("#t\r\n");
        assertThat(c.call("DEBUG", "PROTOCOL", "false")).isEqualTo("#f\r\n");
        // An attribute, then the reply it describes; a push, then a normal reply.
        c.send(RespConnection.encode("DEBUG", "PROTOCOL", "attrib"));
        assertThat(c.readReply()).isEqualTo("|1\r\n");
        assertThat(c.readReply() + c.readReply() + c.readReply())
                .isEqualTo(bulk("key-popularity") + array(bulk("key:123"), integer(90)) + bulk("Some real reply following the attribute"));
        c.send(RespConnection.encode("DEBUG", "PROTOCOL", "push"));
        assertThat(c.readReply() + c.readReply())
                .isEqualTo(">2\r\n" + bulk("server-cpu-usage") + integer(42) + bulk("Some real reply following the push reply"));
    }

    // ---- POPULATE ------------------------------------------------------------------------------

    @Test
    void populateWritesRedisKeysAndValues() throws IOException {
        assertThat(c.call("DEBUG", "POPULATE", "1000")).isEqualTo(OK);
        assertThat(c.call("DBSIZE")).isEqualTo(integer(1000));
        assertThat(c.call("MGET", "key:0", "key:999", "key:1000")).isEqualTo(array(bulk("value:0"), bulk("value:999"), "$-1\r\n"));
        assertThat(c.call("OBJECT", "ENCODING", "key:5")).isEqualTo(bulk("embstr"));
        assertThat(c.call("TTL", "key:5")).isEqualTo(integer(-1));
        // A size pads the text with zero bytes or cuts it; 0 is no size.
        assertThat(c.call("DEBUG", "POPULATE", "3", "pad", "10")).isEqualTo(OK);
        assertThat(c.call("GET", "pad:1")).isEqualTo(bulk("value:1\0\0\0"));
        assertThat(c.call("DEBUG", "POPULATE", "3", "cut", "3")).isEqualTo(OK);
        assertThat(c.call("GET", "cut:2")).isEqualTo(bulk("val"));
        assertThat(c.call("DEBUG", "POPULATE", "2", "zero", "0")).isEqualTo(OK);
        assertThat(c.call("GET", "zero:1")).isEqualTo(bulk("value:1"));
        assertThat(c.call("DEBUG", "POPULATE", "2", "long", "100")).isEqualTo(OK);
        assertThat(c.call("OBJECT", "ENCODING", "long:1")).isEqualTo(bulk("raw"));
        assertThat(c.call("STRLEN", "long:1")).isEqualTo(integer(100));
        // An empty prefix; a prefix that makes names past 127 bytes, which Redis cuts (so they collide).
        assertThat(c.call("DEBUG", "POPULATE", "2", "")).isEqualTo(OK);
        assertThat(c.call("MGET", ":0", ":1")).isEqualTo(array(bulk("value:0"), bulk("value:1")));
        String prefix = "p".repeat(130);
        assertThat(c.call("DEBUG", "POPULATE", "3", prefix)).isEqualTo(OK);
        assertThat(c.call("GET", "p".repeat(127))).isEqualTo(bulk("value:0"));
        assertThat(c.call("DEBUG", "POPULATE", "0")).isEqualTo(OK);
        assertThat(c.call("DBSIZE")).isEqualTo(integer(1000 + 3 + 3 + 2 + 2 + 2 + 1));
    }

    @Test
    void populateSkipsExistingKeysAndWorksOnTheSelectedDatabase() throws IOException {
        assertThat(c.call("SET", "key:1", "mine")).isEqualTo(OK);
        assertThat(c.call("HSET", "key:2", "f", "v")).isEqualTo(integer(1));
        assertThat(c.call("DEBUG", "POPULATE", "4")).isEqualTo(OK);
        assertThat(c.call("MGET", "key:0", "key:1", "key:3")).isEqualTo(array(bulk("value:0"), bulk("mine"), bulk("value:3")));
        assertThat(c.call("TYPE", "key:2")).isEqualTo(simple("hash"));
        assertThat(c.call("SELECT", "3")).isEqualTo(OK);
        assertThat(c.call("DEBUG", "POPULATE", "10", "three")).isEqualTo(OK);
        assertThat(c.call("DBSIZE")).isEqualTo(integer(10));
        assertThat(c.call("SELECT", "0")).isEqualTo(OK);
        assertThat(c.call("DBSIZE")).isEqualTo(integer(4));
        assertThat(c.call("EXISTS", "three:0")).isEqualTo(integer(0));
    }

    @Test
    void populatedDatasetDigestsAsRedis() throws IOException {
        assertThat(c.call("SET", "key:7", "mine")).isEqualTo(OK);
        assertThat(c.call("HSET", "key:8", "f", "v")).isEqualTo(integer(1));
        assertThat(c.call("DEBUG", "POPULATE", "10000")).isEqualTo(OK);
        assertThat(c.call("DEBUG", "POPULATE", "300", "padded", "40")).isEqualTo(OK);
        assertThat(c.call("DEBUG", "POPULATE", "300", "long", "100")).isEqualTo(OK);
        assertThat(c.call("DEBUG", "POPULATE", "10000")).isEqualTo(OK); // every key exists: nothing changes
        assertThat(c.call("DBSIZE")).isEqualTo(integer(10600));
        assertThat(c.call("DEBUG", "DIGEST")).isEqualTo(simple("fcd2fcccbbe03d6fe92f35043aa6a0f9374f821e"));
    }

    /** POPULATE adds keys as Redis's dbAdd: a "new" event for each, and no "set". */
    @Test
    void populateNotifiesNewKeysOnly() throws IOException {
        assertThat(c.call("CONFIG", "SET", "notify-keyspace-events", "KEAn")).isEqualTo(OK);
        try (RespConnection sub = new RespConnection(port())) {
            assertThat(sub.call("PSUBSCRIBE", "__keyevent@0__:*")).startsWith("*3\r\n");
            assertThat(c.call("DEBUG", "POPULATE", "2")).isEqualTo(OK);
            assertThat(c.call("SET", "marker", "1")).isEqualTo(OK);
            StringBuilder events = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                events.append(sub.readReply());
            }
            String pattern = "__keyevent@0__:*";
            assertThat(events.toString()).isEqualTo(
                    array(bulk("pmessage"), bulk(pattern), bulk("__keyevent@0__:new"), bulk("key:0"))
                    + array(bulk("pmessage"), bulk(pattern), bulk("__keyevent@0__:new"), bulk("key:1"))
                    + array(bulk("pmessage"), bulk(pattern), bulk("__keyevent@0__:new"), bulk("marker"))
                    + array(bulk("pmessage"), bulk(pattern), bulk("__keyevent@0__:set"), bulk("marker")));
        } finally {
            assertThat(c.call("CONFIG", "SET", "notify-keyspace-events", "")).isEqualTo(OK);
        }
    }

    @Test
    void populateErrorsAsRedis() throws IOException {
        String notPositive = error("ERR value is out of range, must be positive");
        assertThat(c.call("DEBUG", "POPULATE", "-1")).isEqualTo(notPositive);
        assertThat(c.call("DEBUG", "POPULATE", "ten")).isEqualTo(notPositive);
        assertThat(c.call("DEBUG", "POPULATE", "3", "p", "-1")).isEqualTo(notPositive);
        assertThat(c.call("DEBUG", "POPULATE", "3", "p", "big")).isEqualTo(notPositive);
        String usage = error("ERR unknown subcommand or wrong number of arguments for 'POPULATE'. Try DEBUG HELP.");
        assertThat(c.call("DEBUG", "POPULATE")).isEqualTo(usage);
        assertThat(c.call("DEBUG", "POPULATE", "1", "p", "2", "3")).isEqualTo(usage);
        assertThat(c.call("DBSIZE")).isEqualTo(integer(0));
    }

    // ---- HTSTATS -------------------------------------------------------------------------------

    private static final String EMPTY_TABLE = "Hash table 0 stats (main hash table):\nNo stats available for empty dictionaries\n";
    /** The lines of one table's stats up to its distribution; the figures are each server's own. */
    private static final String TABLE_STATS = "Hash table 0 stats \\(main hash table\\):\n table size: \\d+\n number of elements: %d\n"
            + " different slots: \\d+\n max chain length: \\d+\n avg chain length \\(counted\\): \\d+\\.\\d\\d\n"
            + " avg chain length \\(computed\\): \\d+\\.\\d\\d\n Chain length distribution:\n(   \\d+: \\d+ \\(\\d+\\.\\d\\d%%\\)\n)+";

    private String text(String reply) {
        return (String) RespValue.parse(reply);
    }

    @Test
    void htstatsGivesRedisTextForADatabase() throws IOException {
        assertThat(c.call("DEBUG", "HTSTATS", "0")).isEqualTo(bulk("[Dictionary HT]\n" + EMPTY_TABLE + "[Expires HT]\n" + EMPTY_TABLE));
        assertThat(c.call("DEBUG", "POPULATE", "100")).isEqualTo(OK);
        assertThat(c.call("SET", "e", "1", "EX", "1000")).isEqualTo(OK);
        String stats = text(c.call("DEBUG", "HTSTATS", "0"));
        assertThat(stats).containsPattern("^\\[Dictionary HT\\]\n" + String.format(TABLE_STATS, 101) + "(?s).*\\[Expires HT\\]\n"
                + "Hash table 0 stats \\(main hash table\\):\n(?s).* number of elements: 1\n");
        assertThat(c.call("DEBUG", "HTSTATS", "1")).isEqualTo(bulk("[Dictionary HT]\n" + EMPTY_TABLE + "[Expires HT]\n" + EMPTY_TABLE));
        assertThat(c.call("DEBUG", "HTSTATS", "16")).isEqualTo(error("ERR Out of range database"));
        assertThat(c.call("DEBUG", "HTSTATS", "-1")).isEqualTo(error("ERR Out of range database"));
        assertThat(c.call("DEBUG", "HTSTATS", "zero")).isEqualTo(error("ERR value is not an integer or out of range"));
        // Redis 7.0 has no "full" argument (7.2 added it).
        assertThat(c.call("DEBUG", "HTSTATS", "0", "full"))
                .isEqualTo(error("ERR unknown subcommand or wrong number of arguments for 'HTSTATS'. Try DEBUG HELP."));
    }

    @Test
    void htstatsKeyGivesRedisTextForHashTablesOnly() throws IOException {
        // Small tables: a Redis table still being rehashed shows a second table.
        assertThat(c.call("SADD", "set:table", "a", "b", "c")).isEqualTo(integer(3));
        assertThat(c.call("HSET", "h:table", "f", "y".repeat(80))).isEqualTo(integer(1));
        assertThat(c.call("ZADD", "z:skiplist", "1", "z".repeat(70), "2", "b")).isEqualTo(integer(2));
        assertThat(text(c.call("DEBUG", "HTSTATS-KEY", "set:table"))).containsPattern("^" + String.format(TABLE_STATS, 3));
        assertThat(text(c.call("DEBUG", "HTSTATS-KEY", "h:table"))).containsPattern("^" + String.format(TABLE_STATS, 1));
        assertThat(text(c.call("DEBUG", "HTSTATS-KEY", "z:skiplist"))).containsPattern("^" + String.format(TABLE_STATS, 2));

        assertThat(c.call("HSET", "h:listpack", "f", "v")).isEqualTo(integer(1));
        assertThat(c.call("SADD", "set:intset", "1", "2")).isEqualTo(integer(2));
        assertThat(c.call("ZADD", "z:listpack", "1", "a")).isEqualTo(integer(1));
        assertThat(c.call("RPUSH", "l", "a")).isEqualTo(integer(1));
        assertThat(c.call("SET", "s", "x")).isEqualTo(OK);
        for (String key : List.of("h:listpack", "set:intset", "z:listpack", "l", "s")) {
            assertThat(c.call("DEBUG", "HTSTATS-KEY", key)).as(key)
                    .isEqualTo(error("ERR The value stored at the specified key is not represented using an hash table"));
        }
        assertThat(c.call("DEBUG", "HTSTATS-KEY", "missing")).isEqualTo(error("ERR no such key"));
        assertThat(c.call("DEBUG", "HTSTATS-KEY", "set:table", "full"))
                .isEqualTo(error("ERR unknown subcommand or wrong number of arguments for 'HTSTATS-KEY'. Try DEBUG HELP."));
        assertThat(c.call("HELLO", "3")).startsWith("%");
        assertThat(c.call("DEBUG", "HTSTATS-KEY", "h:table")).startsWith("=").contains("\r\ntxt:Hash table 0 stats (main hash table):\n");
    }

    // ---- the rest ------------------------------------------------------------------------------

    @Test
    void smallSubcommandsReplyAsRedis() throws IOException {
        assertThat(c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0")).isEqualTo(OK);
        assertThat(c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1")).isEqualTo(OK);
        assertThat(c.call("DEBUG", "SLEEP", "0")).isEqualTo(OK);
        assertThat(c.call("DEBUG", "SLEEP", "not-a-number")).isEqualTo(OK); // strtod: no number, no sleep
        assertThat(c.call("DEBUG", "SLEEP", "-1")).isEqualTo(OK);
        assertThat(c.call("DEBUG", "LOG", "hello from the debug contract")).isEqualTo(OK);
        assertThat(c.call("DEBUG", "ERROR", "MYCODE something\nbroke")).isEqualTo(error("MYCODE something broke"));
        assertThat(c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "100mb")).isEqualTo(OK);
        assertThat(c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0")).isEqualTo(OK);
        for (String bad : List.of("5gb", "-1", "lots")) {
            assertThat(c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", bad))
                    .isEqualTo(error("ERR argument must be a memory value bigger than 1 and smaller than 4gb"));
        }
        String id = replId();
        assertThat(c.call("DEBUG", "CHANGE-REPL-ID")).isEqualTo(OK);
        assertThat(replId()).hasSize(40).isNotEqualTo(id);

        c.call("HSET", "h", "f", "v");
        c.call("RPUSH", "l", "a");
        assertThat(c.call("DEBUG", "LISTPACK", "h")).isEqualTo(simple("Listpack structure printed on stdout"));
        assertThat(c.call("DEBUG", "LISTPACK", "l")).isEqualTo(error("ERR Not a listpack encoded object."));
        assertThat(c.call("DEBUG", "LISTPACK", "missing")).isEqualTo(error("ERR no such key"));
        assertThat(c.call("DEBUG", "QUICKLIST", "l")).isEqualTo(simple("Quicklist structure printed on stdout"));
        assertThat(c.call("DEBUG", "QUICKLIST", "h")).isEqualTo(error("ERR Not a quicklist encoded object."));

        assertThat(c.call("DEBUG", "NO-SUCH-THING")).isEqualTo(error(
                "ERR unknown subcommand or wrong number of arguments for 'NO-SUCH-THING'. Try DEBUG HELP."));
        for (String absent : List.of("JMAP", "STRINGMATCH-LEN")) { // not in Redis 7.0
            assertThat(c.call("DEBUG", absent)).isEqualTo(error(
                    "ERR unknown subcommand or wrong number of arguments for '" + absent + "'. Try DEBUG HELP."));
        }
        assertThat(c.call("DEBUG", "DIGEST", "extra")).isEqualTo(error(
                "ERR unknown subcommand or wrong number of arguments for 'DIGEST'. Try DEBUG HELP."));
        assertThat(c.call("DEBUG", "OBJECT")).isEqualTo(error(
                "ERR unknown subcommand or wrong number of arguments for 'OBJECT'. Try DEBUG HELP."));
        assertThat(c.call("DEBUG")).isEqualTo(error("ERR wrong number of arguments for 'debug' command"));
    }

    private String stat(String field) throws IOException {
        String info = (String) RespValue.parse(c.call("INFO", "stats"));
        int at = info.indexOf(field + ":") + field.length() + 1;
        return info.substring(at, info.indexOf('\r', at));
    }

    private String replId() throws IOException {
        String info = (String) RespValue.parse(c.call("INFO", "replication"));
        int at = info.indexOf("master_replid:") + "master_replid:".length();
        return info.substring(at, info.indexOf('\r', at));
    }
}
