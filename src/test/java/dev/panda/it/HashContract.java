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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hash commands' replies, errors and encodings, asserted against Panda ({@link PandaHashIT})
 * and against Debian's real redis-server ({@link RedisHashIT}). Replies whose order Redis leaves
 * unspecified are compared as sets or maps. Test thread.
 */
@SuppressWarnings("unchecked")
abstract class HashContract extends ServerContract {
    static final String WRONGTYPE = error("WRONGTYPE Operation against a key holding the wrong kind of value");
    static final String EMPTY = "*0\r\n";

    @BeforeEach
    void defaultLimits() throws IOException {
        assertThat(c.call("CONFIG", "SET", "hash-max-listpack-entries", "512")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "SET", "hash-max-listpack-value", "64")).isEqualTo(OK);
    }

    /** A flat field/value reply as a sorted map. */
    static TreeMap<String, String> pairs(String raw) {
        List<Object> flat = RespValue.list(raw);
        TreeMap<String, String> out = new TreeMap<>();
        for (int i = 0; i < flat.size(); i += 2) {
            out.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return out;
    }

    static Set<String> items(String raw) {
        Set<String> out = new HashSet<>();
        for (Object o : RespValue.list(raw)) {
            out.add((String) o);
        }
        return out;
    }

    private String encoding(String key) throws IOException {
        return c.call("OBJECT", "ENCODING", key);
    }

    @Test
    void setGetAndDelete() throws IOException {
        assertThat(c.call("HSET", "h", "a", "1", "b", "2")).isEqualTo(integer(2));
        assertThat(c.call("HSET", "h", "a", "10", "c", "3")).isEqualTo(integer(1)); // an update counts 0
        assertThat(c.call("HGET", "h", "a")).isEqualTo(bulk("10"));
        assertThat(c.call("HGET", "h", "zz")).isEqualTo(NIL);
        assertThat(c.call("HGET", "missing", "a")).isEqualTo(NIL);
        assertThat(c.call("HMGET", "h", "a", "zz", "b")).isEqualTo(array(bulk("10"), NIL, bulk("2")));
        assertThat(c.call("HMGET", "missing", "a", "b")).isEqualTo(array(NIL, NIL));
        assertThat(c.call("HMSET", "h", "d", "4", "e", "5")).isEqualTo(OK);
        assertThat(c.call("HSETNX", "h", "a", "x")).isEqualTo(integer(0));
        assertThat(c.call("HSETNX", "h", "f", "6")).isEqualTo(integer(1));
        assertThat(c.call("HSETNX", "new", "f", "6")).isEqualTo(integer(1));
        assertThat(c.call("HLEN", "h")).isEqualTo(integer(6));
        assertThat(c.call("HLEN", "missing")).isEqualTo(integer(0));
        assertThat(c.call("HSTRLEN", "h", "a")).isEqualTo(integer(2));
        assertThat(c.call("HSTRLEN", "h", "zz")).isEqualTo(integer(0));
        assertThat(c.call("HSTRLEN", "missing", "a")).isEqualTo(integer(0));
        assertThat(c.call("HEXISTS", "h", "b")).isEqualTo(integer(1));
        assertThat(c.call("HEXISTS", "h", "zz")).isEqualTo(integer(0));
        assertThat(c.call("HEXISTS", "missing", "b")).isEqualTo(integer(0));
        assertThat(items(c.call("HKEYS", "h"))).containsExactlyInAnyOrder("a", "b", "c", "d", "e", "f");
        assertThat(items(c.call("HVALS", "h"))).containsExactlyInAnyOrder("10", "2", "3", "4", "5", "6");
        assertThat(pairs(c.call("HGETALL", "h"))).containsExactlyEntriesOf(
                new TreeMap<>(Map.of("a", "10", "b", "2", "c", "3", "d", "4", "e", "5", "f", "6")));
        assertThat(c.call("HKEYS", "missing")).isEqualTo(EMPTY);
        assertThat(c.call("HVALS", "missing")).isEqualTo(EMPTY);
        assertThat(c.call("HGETALL", "missing")).isEqualTo(EMPTY);
        assertThat(c.call("HDEL", "h", "a", "zz", "a")).isEqualTo(integer(1));
        assertThat(c.call("HDEL", "missing", "a")).isEqualTo(integer(0));
        assertThat(c.call("HDEL", "h", "b", "c", "d", "e", "f")).isEqualTo(integer(5));
        assertThat(c.call("EXISTS", "h")).isEqualTo(integer(0)); // emptied, so deleted
    }

    @Test
    void arityAndSyntaxErrors() throws IOException {
        assertThat(c.call("HSET", "h", "a")).isEqualTo(error("ERR wrong number of arguments for 'hset' command"));
        assertThat(c.call("HSET", "h", "a", "1", "b")).isEqualTo(error("ERR wrong number of arguments for 'hset' command"));
        assertThat(c.call("HMSET", "h", "a", "1", "b")).isEqualTo(error("ERR wrong number of arguments for 'hmset' command"));
        assertThat(c.call("HGET", "h")).isEqualTo(error("ERR wrong number of arguments for 'hget' command"));
        assertThat(c.call("HDEL", "h")).isEqualTo(error("ERR wrong number of arguments for 'hdel' command"));
        assertThat(c.call("HMGET", "h")).isEqualTo(error("ERR wrong number of arguments for 'hmget' command"));
        assertThat(c.call("HSETNX", "h", "a")).isEqualTo(error("ERR wrong number of arguments for 'hsetnx' command"));
        assertThat(c.call("HINCRBY", "h", "a")).isEqualTo(error("ERR wrong number of arguments for 'hincrby' command"));
        assertThat(c.call("HSCAN", "h")).isEqualTo(error("ERR wrong number of arguments for 'hscan' command"));
        assertThat(c.call("EXISTS", "h")).isEqualTo(integer(0));
    }

    @Test
    void emptyAndBinaryFieldsAndValues() throws IOException {
        assertThat(c.call("HSET", "h", "", "empty field", "e", "", "a\r\nb", "\u0000")).isEqualTo(integer(3));
        assertThat(c.call("HGET", "h", "")).isEqualTo(bulk("empty field"));
        assertThat(c.call("HGET", "h", "e")).isEqualTo(bulk(""));
        assertThat(c.call("HGET", "h", "a\r\nb")).isEqualTo(bulk("\u0000"));
        byte[] field = {(byte) 0xff, 0, 10};
        byte[] value = {0, (byte) 0x80, (byte) 0xfe};
        assertThat(c.callBinary("HSET".getBytes(), "b".getBytes(), field, value)).isEqualTo(integer(1));
        assertThat(c.callBinary("HEXISTS".getBytes(), "b".getBytes(), field)).isEqualTo(integer(1));
        assertThat(c.callBinaryForBulk("HGET".getBytes(), "b".getBytes(), field)).isEqualTo(value);
    }

    @Test
    void wrongTypeBothWays() throws IOException {
        c.call("SET", "str", "v");
        c.call("HSET", "h", "f", "v");
        for (String[] cmd : List.of(new String[] {"HSET", "str", "a", "b"}, new String[] {"HSETNX", "str", "a", "b"},
                new String[] {"HGET", "str", "a"}, new String[] {"HMGET", "str", "a"}, new String[] {"HMSET", "str", "a", "b"},
                new String[] {"HDEL", "str", "a"}, new String[] {"HLEN", "str"}, new String[] {"HSTRLEN", "str", "a"},
                new String[] {"HEXISTS", "str", "a"}, new String[] {"HKEYS", "str"}, new String[] {"HVALS", "str"},
                new String[] {"HGETALL", "str"}, new String[] {"HINCRBY", "str", "a", "1"},
                new String[] {"HINCRBYFLOAT", "str", "a", "1"}, new String[] {"HRANDFIELD", "str"},
                new String[] {"HRANDFIELD", "str", "2"}, new String[] {"HSCAN", "str", "0"},
                new String[] {"GET", "h"}, new String[] {"APPEND", "h", "x"}, new String[] {"INCR", "h"},
                new String[] {"INCRBYFLOAT", "h", "1"}, new String[] {"STRLEN", "h"}, new String[] {"GETSET", "h", "x"},
                new String[] {"SETRANGE", "h", "0", "x"}, new String[] {"GETRANGE", "h", "0", "1"},
                new String[] {"SADD", "h", "x"}, new String[] {"SCARD", "h"})) {
            assertThat(c.call(cmd)).as(String.join(" ", cmd)).isEqualTo(WRONGTYPE);
        }
        // Arguments are checked before the type: a bad increment wins over WRONGTYPE.
        assertThat(c.call("HINCRBY", "str", "a", "x")).isEqualTo(error("ERR value is not an integer or out of range"));
        assertThat(c.call("HINCRBYFLOAT", "str", "a", "x")).isEqualTo(error("ERR value is not a valid float"));
        assertThat(c.call("SET", "h", "now a string")).isEqualTo(OK);
        assertThat(c.call("TYPE", "h")).isEqualTo("+string\r\n");
    }

    @Test
    void hincrby() throws IOException {
        assertThat(c.call("HINCRBY", "h", "n", "5")).isEqualTo(integer(5));
        assertThat(c.call("HINCRBY", "h", "n", "-10")).isEqualTo(integer(-5));
        assertThat(c.call("HINCRBY", "h", "n", "x")).isEqualTo(error("ERR value is not an integer or out of range"));
        assertThat(c.call("HINCRBY", "h", "n", "1.5")).isEqualTo(error("ERR value is not an integer or out of range"));
        assertThat(c.call("HINCRBY", "h", "n", "9223372036854775807")).isEqualTo(integer(9223372036854775802L));
        assertThat(c.call("HINCRBY", "h", "n", "10")).isEqualTo(error("ERR increment or decrement would overflow"));
        c.call("HSET", "h", "s", "abc", "sp", " 1");
        assertThat(c.call("HINCRBY", "h", "s", "1")).isEqualTo(error("ERR hash value is not an integer"));
        assertThat(c.call("HINCRBY", "h", "sp", "1")).isEqualTo(error("ERR hash value is not an integer"));
        assertThat(c.call("HGET", "h", "n")).isEqualTo(bulk("9223372036854775802"));
    }

    @Test
    void hincrbyfloat() throws IOException {
        assertThat(c.call("HINCRBYFLOAT", "h", "f", "1.5")).isEqualTo(bulk("1.5"));
        assertThat(c.call("HINCRBYFLOAT", "h", "f", "2.25")).isEqualTo(bulk("3.75"));
        assertThat(c.call("HINCRBYFLOAT", "h", "f", "-3.75")).isEqualTo(bulk("0"));
        assertThat(c.call("HINCRBYFLOAT", "h", "g", "10e3")).isEqualTo(bulk("10000"));
        assertThat(c.call("HINCRBYFLOAT", "h", "g", "-1e5")).isEqualTo(bulk("-90000"));
        assertThat(c.call("HINCRBYFLOAT", "h", "g", "x")).isEqualTo(error("ERR value is not a valid float"));
        assertThat(c.call("HINCRBYFLOAT", "h", "g", "inf")).isEqualTo(error("ERR value is NaN or Infinity"));
        c.call("HSET", "h", "s", "abc");
        assertThat(c.call("HINCRBYFLOAT", "h", "s", "1")).isEqualTo(error("ERR hash value is not a float"));
        c.call("HSET", "h", "i", "7");
        assertThat(c.call("HINCRBYFLOAT", "h", "i", "0.5")).isEqualTo(bulk("7.5"));
        assertThat(c.call("HGET", "h", "i")).isEqualTo(bulk("7.5"));
    }

    // ---- encodings ----------------------------------------------------------------------------

    @Test
    void listpackBecomesHashtableByCountAndByLength() throws IOException {
        assertThat(c.call("CONFIG", "SET", "hash-max-listpack-entries", "3")).isEqualTo(OK);
        c.call("HSET", "h", "a", "1", "b", "2", "c", "3");
        assertThat(encoding("h")).isEqualTo(bulk("listpack"));
        c.call("HSET", "h", "d", "4");
        assertThat(encoding("h")).isEqualTo(bulk("hashtable"));
        c.call("HDEL", "h", "a", "b", "c");
        assertThat(encoding("h")).isEqualTo(bulk("hashtable")); // never converts back
        assertThat(pairs(c.call("HGETALL", "h"))).containsExactlyEntriesOf(new TreeMap<>(Map.of("d", "4")));

        // The ziplist aliases set the same thresholds.
        assertThat(c.call("CONFIG", "SET", "hash-max-ziplist-entries", "100")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "GET", "hash-max-listpack-entries")).isEqualTo(array(bulk("hash-max-listpack-entries"), bulk("100")));
        assertThat(c.call("CONFIG", "SET", "hash-max-ziplist-value", "10")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "GET", "hash-max-listpack-value")).isEqualTo(array(bulk("hash-max-listpack-value"), bulk("10")));
        c.call("HSET", "v", "a", "0123456789");
        assertThat(encoding("v")).isEqualTo(bulk("listpack"));
        c.call("HSET", "v", "a", "01234567890"); // an overwrite with a longer value
        assertThat(encoding("v")).isEqualTo(bulk("hashtable"));
        c.call("HSET", "w", "0123456789x", "1"); // a long field
        assertThat(encoding("w")).isEqualTo(bulk("hashtable"));
        c.call("HSET", "x", "f", "1");
        c.call("HINCRBYFLOAT", "x", "f", "0.123456789");
        assertThat(encoding("x")).isEqualTo(bulk("hashtable"));
        c.call("HSETNX", "y", "f", "01234567890");
        assertThat(encoding("y")).isEqualTo(bulk("hashtable"));
    }

    @Test
    void aHashOfManyFields() throws IOException {
        List<String> args = new ArrayList<>(List.of("HSET", "big"));
        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            args.add("field:" + i);
            args.add("value:" + i);
            expected.put("field:" + i, "value:" + i);
        }
        assertThat(c.call(args.toArray(new String[0]))).isEqualTo(integer(1000));
        assertThat(encoding("big")).isEqualTo(bulk("hashtable"));
        assertThat(pairs(c.call("HGETALL", "big"))).isEqualTo(new TreeMap<>(expected));
        Map<String, String> seen = new HashMap<>();
        String cursor = "0";
        int calls = 0;
        do {
            List<Object> reply = RespValue.list(c.call("HSCAN", "big", cursor, "COUNT", "30"));
            cursor = (String) reply.get(0);
            List<Object> flat = (List<Object>) reply.get(1);
            for (int i = 0; i < flat.size(); i += 2) {
                seen.put((String) flat.get(i), (String) flat.get(i + 1));
            }
            calls++;
        } while (!cursor.equals("0") && calls < 10_000);
        assertThat(cursor).isEqualTo("0");
        assertThat(seen).isEqualTo(expected);
        assertThat(calls).isGreaterThan(1);
        List<Object> matched = RespValue.list(c.call("HSCAN", "big", "0", "MATCH", "field:99?", "COUNT", "100000"));
        assertThat(matched.get(0)).isEqualTo("0");
        assertThat(((List<Object>) matched.get(1))).hasSize(20);
    }

    @Test
    void hscanOfASmallHashAndErrors() throws IOException {
        c.call("HSET", "h", "a", "1", "b", "2");
        assertThat(c.call("HSCAN", "h", "0")).isEqualTo(array(bulk("0"), array(bulk("a"), bulk("1"), bulk("b"), bulk("2"))));
        assertThat(c.call("HSCAN", "h", "0", "MATCH", "b")).isEqualTo(array(bulk("0"), array(bulk("b"), bulk("2"))));
        assertThat(c.call("HSCAN", "missing", "0")).isEqualTo(array(bulk("0"), EMPTY));
        assertThat(c.call("HSCAN", "h", "x")).isEqualTo(error("ERR invalid cursor"));
        assertThat(c.call("HSCAN", "h", "0", "COUNT", "0")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("HSCAN", "h", "0", "MATCH")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("HSCAN", "h", "0", "TYPE", "hash")).isEqualTo(error("ERR syntax error"));
    }

    // ---- HRANDFIELD ---------------------------------------------------------------------------

    @Test
    void hrandfield() throws IOException {
        assertThat(c.call("HRANDFIELD", "missing")).isEqualTo(NIL);
        assertThat(c.call("HRANDFIELD", "missing", "5")).isEqualTo(EMPTY);
        assertThat(c.call("HRANDFIELD", "missing", "-5", "WITHVALUES")).isEqualTo(EMPTY);
        c.call("HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5", "f", "6");
        assertThat(RespValue.parse(c.call("HRANDFIELD", "h"))).isIn("a", "b", "c", "d", "e", "f");
        assertThat(c.call("HRANDFIELD", "h", "0")).isEqualTo(EMPTY);
        assertThat(items(c.call("HRANDFIELD", "h", "100"))).containsExactlyInAnyOrder("a", "b", "c", "d", "e", "f");
        assertThat(pairs(c.call("HRANDFIELD", "h", "100", "WITHVALUES"))).hasSize(6).containsEntry("c", "3");
        for (int n : new int[] {1, 2, 3, 5}) {
            List<Object> distinct = RespValue.list(c.call("HRANDFIELD", "h", Integer.toString(n)));
            assertThat(distinct).hasSize(n).doesNotHaveDuplicates();
        }
        List<Object> repeated = RespValue.list(c.call("HRANDFIELD", "h", "-20", "WITHVALUES"));
        assertThat(repeated).hasSize(40);
        for (int i = 0; i < repeated.size(); i += 2) {
            assertThat((String) repeated.get(i + 1)).isEqualTo(Integer.toString(((String) repeated.get(i)).charAt(0) - 'a' + 1));
        }
        assertThat(c.call("HRANDFIELD", "h", "5", "withvalues", "x")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("HRANDFIELD", "h", "5", "foo")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("HRANDFIELD", "h", "x")).isEqualTo(error("ERR value is not an integer or out of range"));
        assertThat(c.call("HRANDFIELD", "h", "-9223372036854775808"))
                .isEqualTo(error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"));
        assertThat(c.call("HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES")).isEqualTo(error("ERR value is out of range"));
        assertThat(c.call("HRANDFIELD", "h", "4611686018427387904", "WITHVALUES")).isEqualTo(error("ERR value is out of range"));
    }

    @Test
    void resp3Shapes() throws IOException {
        c.call("HELLO", "3");
        c.call("HSET", "h", "a", "1");
        assertThat(c.call("HGETALL", "h")).isEqualTo("%1\r\n$1\r\na\r\n$1\r\n1\r\n");
        assertThat(c.call("HGETALL", "missing")).isEqualTo("%0\r\n");
        assertThat(c.call("HRANDFIELD", "h", "1", "WITHVALUES")).isEqualTo("*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
        assertThat(c.call("HRANDFIELD", "h", "-2", "WITHVALUES")).isEqualTo("*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
        assertThat(c.call("HRANDFIELD", "h", "-2")).isEqualTo("*2\r\n$1\r\na\r\n$1\r\na\r\n");
        assertThat(c.call("HRANDFIELD", "missing")).isEqualTo("_\r\n");
        assertThat(c.call("HGET", "h", "zz")).isEqualTo("_\r\n");
    }

    // ---- across the keyspace ------------------------------------------------------------------

    @Test
    void keyCommandsOnHashes() throws IOException {
        c.call("HSET", "h", "a", "1", "b", "2");
        assertThat(c.call("TYPE", "h")).isEqualTo("+hash\r\n");
        List<Object> scan = RespValue.list(c.call("SCAN", "0", "TYPE", "hash", "COUNT", "100"));
        assertThat((List<Object>) scan.get(1)).containsExactly("h");
        assertThat(c.call("EXPIRE", "h", "100")).isEqualTo(integer(1));
        assertThat(c.call("TTL", "h")).isEqualTo(integer(100));
        c.call("HSET", "h", "c", "3");
        assertThat(c.call("TTL", "h")).isEqualTo(integer(100)); // a change keeps the deadline
        assertThat(c.call("RENAME", "h", "g")).isEqualTo(OK);
        assertThat(c.call("TTL", "g")).isEqualTo(integer(100));
        assertThat(c.call("COPY", "g", "copy")).isEqualTo(integer(1));
        c.call("HSET", "copy", "d", "4");
        assertThat(c.call("HLEN", "g")).isEqualTo(integer(3)); // the copy is independent
        assertThat(c.call("HLEN", "copy")).isEqualTo(integer(4));
        assertThat(c.call("MOVE", "g", "3")).isEqualTo(integer(1));
        assertThat(c.call("SELECT", "3")).isEqualTo(OK);
        assertThat(pairs(c.call("HGETALL", "g"))).containsExactlyEntriesOf(new TreeMap<>(Map.of("a", "1", "b", "2", "c", "3")));
        assertThat(c.call("SELECT", "0")).isEqualTo(OK);
        assertThat(c.call("DBSIZE")).isEqualTo(integer(1));
        assertThat(c.call("RANDOMKEY")).isEqualTo(bulk("copy"));
        assertThat(c.call("UNLINK", "copy")).isEqualTo(integer(1));
        assertThat(c.call("EXISTS", "copy")).isEqualTo(integer(0));
    }
}
