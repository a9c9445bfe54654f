package dev.panda.it;

import static dev.panda.it.RespConnection.NIL;
import static dev.panda.it.RespConnection.OK;
import static dev.panda.it.RespConnection.array;
import static dev.panda.it.RespConnection.bulk;
import static dev.panda.it.RespConnection.error;
import static dev.panda.it.RespConnection.integer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sorted-set commands' replies, errors, score formatting and encodings, asserted against
 * Panda ({@link PandaZsetIT}) and against Debian's real redis-server ({@link RedisZsetIT}), so
 * every expectation is Redis's own. Test thread.
 */
abstract class ZsetContract extends ServerContract {
    static final String WRONGTYPE = error("WRONGTYPE Operation against a key holding the wrong kind of value");
    static final String EMPTY = "*0\r\n";
    static final String NULL_ARRAY = "*-1\r\n";

    @BeforeEach
    void defaultLimits() throws IOException {
        assertThat(c.call("CONFIG", "SET", "zset-max-listpack-entries", "128")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "SET", "zset-max-listpack-value", "64")).isEqualTo(OK);
    }

    private static String bulks(String... items) {
        List<String> b = new ArrayList<>();
        for (String i : items) {
            b.add(bulk(i));
        }
        return array(b.toArray(new String[0]));
    }

    /** The same assertions run on the packed and the large encoding. */
    private void bothEncodings(IOConsumer test) throws IOException {
        test.accept("listpack");
        c.call("FLUSHALL");
        assertThat(c.call("CONFIG", "SET", "zset-max-listpack-entries", "0")).isEqualTo(OK);
        test.accept("skiplist");
    }

    @FunctionalInterface
    interface IOConsumer {
        void accept(String encoding) throws IOException;
    }

    @Test
    void zaddScoresAndFlags() throws IOException {
        bothEncodings(enc -> {
            assertThat(c.call("ZADD", "z", "1", "a", "2", "b", "1", "a")).isEqualTo(integer(2));
            assertThat(c.call("OBJECT", "ENCODING", "z")).isEqualTo(bulk(enc));
            assertThat(c.call("ZADD", "z", "NX", "5", "a", "3", "c")).isEqualTo(integer(1));
            assertThat(c.call("ZSCORE", "z", "a")).isEqualTo(bulk("1"));
            assertThat(c.call("ZADD", "z", "XX", "CH", "5", "a", "4", "d")).isEqualTo(integer(1));
            assertThat(c.call("ZSCORE", "z", "d")).isEqualTo(NIL);
            assertThat(c.call("ZADD", "z", "GT", "CH", "4", "a", "9", "b")).isEqualTo(integer(1));
            assertThat(c.call("ZADD", "z", "LT", "CH", "6", "a", "1", "c", "0", "e")).isEqualTo(integer(2));
            assertThat(c.call("ZRANGE", "z", "0", "-1", "WITHSCORES")).isEqualTo(
                    bulks("e", "0", "c", "1", "a", "5", "b", "9"));
            assertThat(c.call("ZADD", "z", "INCR", "2.5", "a")).isEqualTo(bulk("7.5"));
            assertThat(c.call("ZADD", "z", "NX", "INCR", "1", "a")).isEqualTo(NIL);
            assertThat(c.call("ZADD", "z", "XX", "INCR", "1", "nope")).isEqualTo(NIL);
            assertThat(c.call("ZADD", "z", "GT", "INCR", "-1", "a")).isEqualTo(NIL);
            assertThat(c.call("ZINCRBY", "z", "0.1", "a")).isEqualTo(bulk("7.5999999999999996"));
            assertThat(c.call("ZINCRBY", "z", "-1", "new")).isEqualTo(bulk("-1"));
            assertThat(c.call("ZADD", "none", "XX", "1", "a")).isEqualTo(integer(0));
            assertThat(c.call("EXISTS", "none")).isEqualTo(integer(0));
        });
    }

    @Test
    void zaddErrors() throws IOException {
        assertThat(c.call("ZADD", "z", "1")).isEqualTo(error("ERR wrong number of arguments for 'zadd' command"));
        assertThat(c.call("ZADD", "z", "1", "a", "2")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("ZADD", "z", "NX", "1")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("ZADD", "z", "NX", "XX", "1", "a")).isEqualTo(error("ERR XX and NX options at the same time are not compatible"));
        assertThat(c.call("ZADD", "z", "GT", "LT", "1", "a")).isEqualTo(error("ERR GT, LT, and/or NX options at the same time are not compatible"));
        assertThat(c.call("ZADD", "z", "NX", "GT", "1", "a")).isEqualTo(error("ERR GT, LT, and/or NX options at the same time are not compatible"));
        assertThat(c.call("ZADD", "z", "INCR", "1", "a", "2", "b")).isEqualTo(error("ERR INCR option supports a single increment-element pair"));
        assertThat(c.call("ZADD", "z", "x", "a")).isEqualTo(error("ERR value is not a valid float"));
        assertThat(c.call("ZADD", "z", "nan", "a")).isEqualTo(error("ERR value is not a valid float"));
        assertThat(c.call("ZADD", "z", "1", "a", "x", "b")).isEqualTo(error("ERR value is not a valid float"));
        assertThat(c.call("EXISTS", "z")).isEqualTo(integer(0));
        assertThat(c.call("ZADD", "z", "inf", "a")).isEqualTo(integer(1));
        assertThat(c.call("ZINCRBY", "z", "-inf", "a")).isEqualTo(error("ERR resulting score is not a number (NaN)"));
        assertThat(c.call("ZINCRBY", "z", "x", "a")).isEqualTo(error("ERR value is not a valid float"));
        c.call("SET", "s", "v");
        assertThat(c.call("ZADD", "s", "1", "a")).isEqualTo(WRONGTYPE);
    }

    @Test
    void scoresArePrintedAsRedisPrintsThem() throws IOException {
        c.call("ZADD", "z", "0.1", "a", "-0", "b", "1e20", "c", "-inf", "d", "+inf", "e", "3.0", "f", "1.5e-7", "g",
                "123456789012345678", "h", "4503599627370497", "i");
        assertThat(c.call("ZRANGE", "z", "0", "-1", "WITHSCORES")).isEqualTo(bulks("d", "-inf", "b", "0", "g",
                "1.4999999999999999e-07", "a", "0.10000000000000001", "f", "3", "i", "4503599627370497", "h",
                "1.2345678901234568e+17", "c", "1e+20", "e", "inf"));
        assertThat(c.call("ZSCORE", "z", "a")).isEqualTo(bulk("0.10000000000000001"));
        assertThat(c.call("ZMSCORE", "z", "e", "nope", "b")).isEqualTo(array(bulk("inf"), NIL, bulk("0")));
        assertThat(c.call("ZMSCORE", "missing", "a")).isEqualTo(array(NIL));
    }

    @Test
    void ranksAndCounts() throws IOException {
        bothEncodings(enc -> {
            c.call("ZADD", "z", "1", "a", "2", "b", "2", "c", "3", "d");
            assertThat(c.call("ZCARD", "z")).isEqualTo(integer(4));
            assertThat(c.call("ZCARD", "missing")).isEqualTo(integer(0));
            assertThat(c.call("ZRANK", "z", "c")).isEqualTo(integer(2));
            assertThat(c.call("ZREVRANK", "z", "c")).isEqualTo(integer(1));
            assertThat(c.call("ZRANK", "z", "x")).isEqualTo(NIL);
            assertThat(c.call("ZRANK", "missing", "x")).isEqualTo(NIL);
            assertThat(c.call("ZCOUNT", "z", "2", "3")).isEqualTo(integer(3));
            assertThat(c.call("ZCOUNT", "z", "(2", "3")).isEqualTo(integer(1));
            assertThat(c.call("ZCOUNT", "z", "-inf", "(2")).isEqualTo(integer(1));
            assertThat(c.call("ZCOUNT", "z", "3", "1")).isEqualTo(integer(0));
            assertThat(c.call("ZCOUNT", "z", "(2", "(2")).isEqualTo(integer(0));
            assertThat(c.call("ZCOUNT", "z", "x", "3")).isEqualTo(error("ERR min or max is not a float"));
            assertThat(c.call("ZCOUNT", "z", "nan", "3")).isEqualTo(error("ERR min or max is not a float"));
        });
    }

    @Test
    void rangesByRankScoreAndLex() throws IOException {
        bothEncodings(enc -> {
            c.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
            assertThat(c.call("ZRANGE", "z", "1", "2")).isEqualTo(bulks("b", "c"));
            assertThat(c.call("ZRANGE", "z", "-2", "100")).isEqualTo(bulks("d", "e"));
            assertThat(c.call("ZRANGE", "z", "0", "1", "REV")).isEqualTo(bulks("e", "d"));
            assertThat(c.call("ZREVRANGE", "z", "0", "1", "WITHSCORES")).isEqualTo(bulks("e", "5", "d", "4"));
            assertThat(c.call("ZRANGE", "z", "(1", "3", "BYSCORE")).isEqualTo(bulks("b", "c"));
            assertThat(c.call("ZRANGE", "z", "3", "(1", "BYSCORE", "REV")).isEqualTo(bulks("c", "b"));
            assertThat(c.call("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "2")).isEqualTo(bulks("b", "c"));
            assertThat(c.call("ZRANGE", "z", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "1", "2", "WITHSCORES"))
                    .isEqualTo(bulks("d", "4", "c", "3"));
            assertThat(c.call("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "-1", "2")).isEqualTo(EMPTY);
            assertThat(c.call("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "3", "-1")).isEqualTo(bulks("d", "e"));
            assertThat(c.call("ZRANGEBYSCORE", "z", "2", "4", "WITHSCORES", "LIMIT", "0", "1")).isEqualTo(bulks("b", "2"));
            assertThat(c.call("ZREVRANGEBYSCORE", "z", "4", "2")).isEqualTo(bulks("d", "c", "b"));
            assertThat(c.call("ZRANGE", "z", "0", "1", "LIMIT", "0", "1")).isEqualTo(
                    error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"));
            assertThat(c.call("ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES")).isEqualTo(
                    error("ERR syntax error, WITHSCORES not supported in combination with BYLEX"));
            assertThat(c.call("ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX")).isEqualTo(error("ERR syntax error"));
            assertThat(c.call("ZRANGE", "missing", "0", "-1")).isEqualTo(EMPTY);
            c.call("DEL", "z");
            c.call("ZADD", "z", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e");
            assertThat(c.call("ZRANGE", "z", "[b", "(d", "BYLEX")).isEqualTo(bulks("b", "c"));
            assertThat(c.call("ZRANGEBYLEX", "z", "-", "+", "LIMIT", "3", "5")).isEqualTo(bulks("d", "e"));
            assertThat(c.call("ZREVRANGEBYLEX", "z", "+", "(c")).isEqualTo(bulks("e", "d"));
            assertThat(c.call("ZRANGE", "z", "(d", "[b", "BYLEX", "REV")).isEqualTo(bulks("c", "b"));
            assertThat(c.call("ZLEXCOUNT", "z", "[b", "+")).isEqualTo(integer(4));
            assertThat(c.call("ZLEXCOUNT", "z", "(e", "+")).isEqualTo(integer(0));
            assertThat(c.call("ZLEXCOUNT", "z", "+", "-")).isEqualTo(integer(0));
            assertThat(c.call("ZLEXCOUNT", "z", "b", "+")).isEqualTo(error("ERR min or max not valid string range item"));
            assertThat(c.call("ZRANGEBYLEX", "z", "-x", "+")).isEqualTo(error("ERR min or max not valid string range item"));
        });
    }

    @Test
    void rangestore() throws IOException {
        c.call("ZADD", "z", "1", "a", "2", "b", "3", "c");
        assertThat(c.call("ZRANGESTORE", "dst", "z", "1", "-1")).isEqualTo(integer(2));
        assertThat(c.call("ZRANGE", "dst", "0", "-1", "WITHSCORES")).isEqualTo(bulks("b", "2", "c", "3"));
        assertThat(c.call("ZRANGESTORE", "dst", "z", "(3", "+inf", "BYSCORE")).isEqualTo(integer(0));
        assertThat(c.call("EXISTS", "dst")).isEqualTo(integer(0));
        assertThat(c.call("ZRANGESTORE", "dst", "z", "0", "-1", "WITHSCORES")).isEqualTo(error("ERR syntax error"));
        c.call("SET", "s", "v");
        assertThat(c.call("ZRANGESTORE", "s", "z", "0", "0")).isEqualTo(integer(1));
        assertThat(c.call("TYPE", "s")).isEqualTo("+zset\r\n");
    }

    @Test
    void removalsAndPops() throws IOException {
        bothEncodings(enc -> {
            c.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f");
            assertThat(c.call("ZREM", "z", "a", "x", "a")).isEqualTo(integer(1));
            assertThat(c.call("ZREMRANGEBYRANK", "z", "-1", "-1")).isEqualTo(integer(1));
            assertThat(c.call("ZREMRANGEBYSCORE", "z", "(2", "3")).isEqualTo(integer(1));
            assertThat(c.call("ZRANGE", "z", "0", "-1")).isEqualTo(bulks("b", "d", "e"));
            assertThat(c.call("ZPOPMIN", "z")).isEqualTo(bulks("b", "2"));
            assertThat(c.call("ZPOPMAX", "z", "5")).isEqualTo(bulks("e", "5", "d", "4"));
            assertThat(c.call("EXISTS", "z")).isEqualTo(integer(0));
            assertThat(c.call("ZPOPMIN", "z")).isEqualTo(EMPTY);
            assertThat(c.call("ZPOPMIN", "z", "-1")).isEqualTo(error("ERR value is out of range, must be positive"));
            assertThat(c.call("ZPOPMIN", "z", "1", "2")).isEqualTo(error("ERR syntax error"));
            c.call("ZADD", "z", "0", "a", "0", "b", "0", "c");
            assertThat(c.call("ZREMRANGEBYLEX", "z", "[b", "+")).isEqualTo(integer(2));
            assertThat(c.call("ZREMRANGEBYRANK", "z", "5", "10")).isEqualTo(integer(0));
            assertThat(c.call("ZPOPMAX", "z", "0")).isEqualTo(EMPTY);
            assertThat(c.call("ZREMRANGEBYRANK", "z", "0", "0")).isEqualTo(integer(1));
            assertThat(c.call("EXISTS", "z")).isEqualTo(integer(0));
        });
    }

    @Test
    void zmpop() throws IOException {
        c.call("ZADD", "b", "1", "x", "2", "y", "3", "z");
        assertThat(c.call("ZMPOP", "2", "a", "b", "MIN")).isEqualTo(array(bulk("b"), array(bulks("x", "1"))));
        assertThat(c.call("ZMPOP", "2", "a", "b", "MAX", "COUNT", "5")).isEqualTo(
                array(bulk("b"), array(bulks("z", "3"), bulks("y", "2"))));
        assertThat(c.call("ZMPOP", "2", "a", "b", "MAX")).isEqualTo(NULL_ARRAY);
        assertThat(c.call("ZMPOP", "0", "a", "MIN")).isEqualTo(error("ERR numkeys should be greater than 0"));
        assertThat(c.call("ZMPOP", "1", "a", "LEFT")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("ZMPOP", "1", "a", "MIN", "COUNT", "0")).isEqualTo(error("ERR count should be greater than 0"));
    }

    @Test
    void algebra() throws IOException {
        c.call("ZADD", "z1", "1", "a", "2", "b", "3", "c");
        c.call("ZADD", "z2", "10", "b", "20", "c", "30", "d");
        c.call("SADD", "s", "c", "d", "e");
        assertThat(c.call("ZUNION", "2", "z1", "z2", "WITHSCORES")).isEqualTo(bulks("a", "1", "b", "12", "c", "23", "d", "30"));
        assertThat(c.call("ZINTER", "2", "z1", "z2", "WEIGHTS", "2", "0.5", "WITHSCORES")).isEqualTo(bulks("b", "9", "c", "16"));
        assertThat(c.call("ZINTER", "3", "z1", "z2", "s", "AGGREGATE", "MAX", "WITHSCORES")).isEqualTo(bulks("c", "20"));
        assertThat(c.call("ZUNION", "2", "z1", "s", "AGGREGATE", "MIN")).isEqualTo(bulks("a", "c", "d", "e", "b"));
        assertThat(c.call("ZDIFF", "2", "z1", "z2", "WITHSCORES")).isEqualTo(bulks("a", "1"));
        assertThat(c.call("ZDIFF", "1", "missing")).isEqualTo(EMPTY);
        assertThat(c.call("ZUNIONSTORE", "out", "2", "z1", "z2", "WEIGHTS", "1", "-1")).isEqualTo(integer(4));
        assertThat(c.call("ZRANGE", "out", "0", "-1", "WITHSCORES")).isEqualTo(bulks("d", "-30", "c", "-17", "b", "-8", "a", "1"));
        assertThat(c.call("ZINTERSTORE", "out", "2", "z1", "missing")).isEqualTo(integer(0));
        assertThat(c.call("EXISTS", "out")).isEqualTo(integer(0));
        assertThat(c.call("ZDIFFSTORE", "out", "2", "z2", "s")).isEqualTo(integer(1));
        assertThat(c.call("ZINTERCARD", "2", "z1", "z2")).isEqualTo(integer(2));
        assertThat(c.call("ZINTERCARD", "2", "z1", "z2", "LIMIT", "1")).isEqualTo(integer(1));
        assertThat(c.call("ZINTERCARD", "2", "z1", "z2", "LIMIT", "-1")).isEqualTo(error("ERR LIMIT can't be negative"));
        assertThat(c.call("ZUNION", "0", "z1")).isEqualTo(error("ERR at least 1 input key is needed for 'zunion' command"));
        assertThat(c.call("ZUNIONSTORE", "o", "0", "z1")).isEqualTo(error("ERR at least 1 input key is needed for 'zunionstore' command"));
        assertThat(c.call("ZUNION", "3", "z1", "z2")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("ZUNION", "2", "z1", "z2", "WEIGHTS", "1", "x")).isEqualTo(error("ERR weight value is not a float"));
        assertThat(c.call("ZUNION", "2", "z1", "z2", "AGGREGATE", "AVG")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("ZDIFF", "2", "z1", "z2", "WEIGHTS", "1", "1")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("ZUNIONSTORE", "o", "1", "z1", "WITHSCORES")).isEqualTo(error("ERR syntax error"));
        c.call("SET", "str", "v");
        assertThat(c.call("ZUNION", "2", "z1", "str")).isEqualTo(WRONGTYPE);
        c.call("ZADD", "inf1", "inf", "a");
        c.call("ZADD", "inf2", "-inf", "a");
        assertThat(c.call("ZUNION", "2", "inf1", "inf2", "WITHSCORES")).isEqualTo(bulks("a", "0"));
    }

    @Test
    void randomMembersAndScan() throws IOException {
        bothEncodings(enc -> {
            c.call("ZADD", "z", "1", "a", "2", "b", "3", "c");
            assertThat(c.call("ZRANDMEMBER", "missing")).isEqualTo(NIL);
            assertThat(c.call("ZRANDMEMBER", "missing", "3")).isEqualTo(EMPTY);
            assertThat(c.call("ZRANDMEMBER", "z", "0")).isEqualTo(EMPTY);
            assertThat(c.call("ZRANDMEMBER", "z")).isIn(bulk("a"), bulk("b"), bulk("c"));
            assertThat(RespValue.parse(c.call("ZRANDMEMBER", "z", "5")) instanceof List<?> l ? l.size() : -1).isEqualTo(3);
            assertThat(RespValue.parse(c.call("ZRANDMEMBER", "z", "-5", "WITHSCORES")) instanceof List<?> l ? l.size() : -1).isEqualTo(10);
            assertThat(c.call("ZRANDMEMBER", "z", "2", "WITH")).isEqualTo(error("ERR syntax error"));
            assertThat(c.call("ZRANDMEMBER", "z", "x")).isEqualTo(error("ERR value is not an integer or out of range"));
            String scan = c.call("ZSCAN", "z", "0", "COUNT", "100");
            assertThat(scan).contains(bulk("a")).contains(bulk("3"));
            assertThat(c.call("ZSCAN", "z", "0", "MATCH", "b")).isEqualTo(array(bulk("0"), bulks("b", "2")));
            assertThat(c.call("ZSCAN", "missing", "0")).isEqualTo(array(bulk("0"), EMPTY));
        });
    }

    @Test
    void encodingsFollowTheLimits() throws IOException {
        c.call("ZADD", "z", "1", "a");
        assertThat(c.call("OBJECT", "ENCODING", "z")).isEqualTo(bulk("listpack"));
        c.call("ZADD", "z", "2", "x".repeat(65));
        assertThat(c.call("OBJECT", "ENCODING", "z")).isEqualTo(bulk("skiplist"));
        c.call("ZADD", "long", "1", "x".repeat(65));
        assertThat(c.call("OBJECT", "ENCODING", "long")).isEqualTo(bulk("skiplist"));
        assertThat(c.call("CONFIG", "SET", "zset-max-ziplist-entries", "2")).isEqualTo(OK);
        c.call("ZADD", "n", "1", "a", "2", "b");
        assertThat(c.call("OBJECT", "ENCODING", "n")).isEqualTo(bulk("listpack"));
        c.call("ZADD", "n", "3", "c");
        assertThat(c.call("OBJECT", "ENCODING", "n")).isEqualTo(bulk("skiplist"));
        c.call("ZREM", "n", "a", "b");
        assertThat(c.call("OBJECT", "ENCODING", "n")).isEqualTo(bulk("skiplist"));
        assertThat(c.call("ZRANGESTORE", "small", "n", "0", "-1")).isEqualTo(integer(1));
        assertThat(c.call("OBJECT", "ENCODING", "small")).isEqualTo(bulk("listpack"));
        assertThat(c.call("CONFIG", "GET", "zset-max-listpack-entries")).isEqualTo(array(bulk("zset-max-listpack-entries"), bulk("2")));
    }

    @Test
    void wrongTypes() throws IOException {
        c.call("SET", "s", "v");
        for (String[] cmd : new String[][] {{"ZCARD", "s"}, {"ZSCORE", "s", "a"}, {"ZRANGE", "s", "0", "1"}, {"ZRANK", "s", "a"},
                {"ZREM", "s", "a"}, {"ZPOPMIN", "s"}, {"ZINCRBY", "s", "1", "a"}, {"ZCOUNT", "s", "0", "1"},
                {"ZRANDMEMBER", "s"}, {"ZSCAN", "s", "0"}, {"ZREMRANGEBYRANK", "s", "0", "1"}, {"BZPOPMIN", "s", "0.01"}}) {
            assertThat(c.call(cmd)).as(String.join(" ", cmd)).isEqualTo(WRONGTYPE);
        }
        c.call("ZADD", "z", "1", "a");
        assertThat(c.call("LPUSH", "z", "a")).isEqualTo(WRONGTYPE);
        assertThat(c.call("TYPE", "z")).isEqualTo("+zset\r\n");
    }

    @Test
    void resp3ShapesPairsAndDoubles() throws IOException {
        assertThat(c.call("HELLO", "3")).startsWith("%");
        c.call("ZADD", "z", "1.5", "a", "2", "b");
        assertThat(c.call("ZSCORE", "z", "a")).isEqualTo(",1.5\r\n");
        assertThat(c.call("ZRANGE", "z", "0", "-1", "WITHSCORES")).isEqualTo("*2\r\n*2\r\n$1\r\na\r\n,1.5\r\n*2\r\n$1\r\nb\r\n,2\r\n");
        assertThat(c.call("ZPOPMIN", "z", "1")).isEqualTo("*1\r\n*2\r\n$1\r\na\r\n,1.5\r\n");
        assertThat(c.call("ZPOPMIN", "z")).isEqualTo("*2\r\n$1\r\nb\r\n,2\r\n");
        assertThat(c.call("ZPOPMIN", "z")).isEqualTo(EMPTY);
        assertThat(c.call("LPOP", "nothing")).isEqualTo("_\r\n");
        assertThat(c.call("LPOP", "nothing", "2")).isEqualTo("_\r\n");
    }
}
