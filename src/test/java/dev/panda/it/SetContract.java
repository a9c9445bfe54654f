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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The set commands' replies, errors and encodings, asserted against Panda ({@link PandaSetIT})
 * and against Debian's real redis-server ({@link RedisSetIT}), so every expectation is Redis's
 * own. Replies whose order Redis leaves unspecified are compared as sets. Test thread.
 */
@SuppressWarnings("unchecked")
abstract class SetContract extends ServerContract {
    static final String WRONGTYPE = error("WRONGTYPE Operation against a key holding the wrong kind of value");
    static final String EMPTY = "*0\r\n";

    @BeforeEach
    void defaultLimits() throws IOException {
        assertThat(c.call("CONFIG", "SET", "set-max-intset-entries", "512")).isEqualTo(OK);
    }

    /** The members of a flat array (or RESP3 set) reply, as a sorted set. */
    static TreeSet<String> members(String raw) {
        Object v = RespValue.parse(raw);
        assertThat(v).isInstanceOf(List.class);
        TreeSet<String> out = new TreeSet<>();
        for (Object o : (List<?>) v) {
            out.add((String) o);
        }
        return out;
    }

    static TreeSet<String> setOf(String... items) {
        return new TreeSet<>(List.of(items));
    }

    private String encoding(String key) throws IOException {
        return c.call("OBJECT", "ENCODING", key);
    }

    // ---- adding, removing, membership ---------------------------------------------------------

    @Test
    void saddSremScard() throws IOException {
        assertThat(c.call("SADD", "s", "a", "b", "a")).isEqualTo(integer(2));
        assertThat(c.call("SADD", "s", "b", "c")).isEqualTo(integer(1));
        assertThat(c.call("SCARD", "s")).isEqualTo(integer(3));
        assertThat(c.call("SCARD", "missing")).isEqualTo(integer(0));
        assertThat(c.call("SREM", "s", "a", "zz", "a")).isEqualTo(integer(1));
        assertThat(c.call("SREM", "missing", "a")).isEqualTo(integer(0));
        assertThat(members(c.call("SMEMBERS", "s"))).isEqualTo(setOf("b", "c"));
        assertThat(c.call("SREM", "s", "b", "c")).isEqualTo(integer(2));
        assertThat(c.call("EXISTS", "s")).isEqualTo(integer(0));
        assertThat(c.call("SMEMBERS", "s")).isEqualTo(EMPTY);
        assertThat(c.call("TYPE", "s")).isEqualTo("+none\r\n");
    }

    @Test
    void emptyAndBinaryMembers() throws IOException {
        assertThat(c.call("SADD", "s", "", "a\r\nb", "\u0000")).isEqualTo(integer(3));
        assertThat(c.call("SISMEMBER", "s", "")).isEqualTo(integer(1));
        assertThat(c.call("SISMEMBER", "s", "a\r\nb")).isEqualTo(integer(1));
        assertThat(c.call("SISMEMBER", "s", "\u0000")).isEqualTo(integer(1));
        assertThat(c.call("SCARD", "s")).isEqualTo(integer(3));
        byte[] binary = {(byte) 0xff, 0, (byte) 0x80, 13, 10};
        assertThat(c.callBinary("SADD".getBytes(), "b".getBytes(), binary)).isEqualTo(integer(1));
        assertThat(c.callBinary("SISMEMBER".getBytes(), "b".getBytes(), binary)).isEqualTo(integer(1));
        assertThat(c.callForBulk("SPOP", "b")).isEqualTo(binary);
    }

    @Test
    void sismemberAndSmismember() throws IOException {
        c.call("SADD", "s", "a", "1");
        assertThat(c.call("SISMEMBER", "s", "a")).isEqualTo(integer(1));
        assertThat(c.call("SISMEMBER", "s", "1")).isEqualTo(integer(1));
        assertThat(c.call("SISMEMBER", "s", "01")).isEqualTo(integer(0));
        assertThat(c.call("SISMEMBER", "missing", "a")).isEqualTo(integer(0));
        assertThat(c.call("SMISMEMBER", "s", "a", "x", "1")).isEqualTo(array(integer(1), integer(0), integer(1)));
        assertThat(c.call("SMISMEMBER", "missing", "a", "b")).isEqualTo(array(integer(0), integer(0)));
        assertThat(c.call("SMISMEMBER", "s")).isEqualTo(error("ERR wrong number of arguments for 'smismember' command"));
    }

    @Test
    void arityErrors() throws IOException {
        assertThat(c.call("SADD", "s")).isEqualTo(error("ERR wrong number of arguments for 'sadd' command"));
        assertThat(c.call("SREM", "s")).isEqualTo(error("ERR wrong number of arguments for 'srem' command"));
        assertThat(c.call("SCARD")).isEqualTo(error("ERR wrong number of arguments for 'scard' command"));
        assertThat(c.call("SMOVE", "a", "b")).isEqualTo(error("ERR wrong number of arguments for 'smove' command"));
        assertThat(c.call("SINTER")).isEqualTo(error("ERR wrong number of arguments for 'sinter' command"));
        assertThat(c.call("SINTERSTORE", "d")).isEqualTo(error("ERR wrong number of arguments for 'sinterstore' command"));
        assertThat(c.call("SINTERCARD", "1")).isEqualTo(error("ERR wrong number of arguments for 'sintercard' command"));
        assertThat(c.call("SSCAN", "s")).isEqualTo(error("ERR wrong number of arguments for 'sscan' command"));
        assertThat(c.call("SPOP")).isEqualTo(error("ERR wrong number of arguments for 'spop' command"));
        assertThat(c.call("SPOP", "s", "1", "2")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("SRANDMEMBER", "s", "1", "2")).isEqualTo(error("ERR syntax error"));
    }

    @Test
    void wrongTypeEverywhere() throws IOException {
        c.call("SET", "str", "x");
        c.call("SADD", "s", "a");
        for (String[] cmd : List.of(
                new String[] {"SADD", "str", "a"}, new String[] {"SREM", "str", "a"},
                new String[] {"SCARD", "str"}, new String[] {"SMEMBERS", "str"},
                new String[] {"SISMEMBER", "str", "a"}, new String[] {"SMISMEMBER", "str", "a"},
                new String[] {"SPOP", "str"}, new String[] {"SPOP", "str", "2"},
                new String[] {"SRANDMEMBER", "str"}, new String[] {"SRANDMEMBER", "str", "2"},
                new String[] {"SINTER", "s", "str"}, new String[] {"SINTER", "missing", "str"},
                new String[] {"SINTERCARD", "2", "missing", "str"}, new String[] {"SUNION", "s", "str"},
                new String[] {"SDIFF", "s", "str"}, new String[] {"SDIFF", "missing", "str"},
                new String[] {"SINTERSTORE", "d", "s", "str"}, new String[] {"SUNIONSTORE", "d", "str"},
                new String[] {"SDIFFSTORE", "d", "str"}, new String[] {"SSCAN", "str", "0"},
                new String[] {"SMOVE", "str", "s", "a"}, new String[] {"SMOVE", "s", "str", "a"})) {
            assertThat(c.call(cmd)).as(String.join(" ", cmd)).isEqualTo(WRONGTYPE);
        }
        // And the reverse: string commands on a set.
        for (String[] cmd : List.of(new String[] {"GET", "s"}, new String[] {"APPEND", "s", "x"},
                new String[] {"INCR", "s"}, new String[] {"STRLEN", "s"}, new String[] {"GETRANGE", "s", "0", "1"},
                new String[] {"SETRANGE", "s", "0", "x"}, new String[] {"GETDEL", "s"}, new String[] {"GETSET", "s", "x"},
                new String[] {"HGET", "s", "f"}, new String[] {"HSET", "s", "f", "v"})) {
            assertThat(c.call(cmd)).as(String.join(" ", cmd)).isEqualTo(WRONGTYPE);
        }
        assertThat(c.call("MGET", "s", "str")).isEqualTo(array(NIL, bulk("x")));
        assertThat(c.call("SET", "s", "now a string")).isEqualTo(OK);
        assertThat(c.call("TYPE", "s")).isEqualTo("+string\r\n");
    }

    // ---- encodings ----------------------------------------------------------------------------

    @Test
    void intsetBecomesHashtableOnAString() throws IOException {
        c.call("SADD", "s", "1", "2", "-3", "9223372036854775807", "-9223372036854775808");
        assertThat(encoding("s")).isEqualTo(bulk("intset"));
        assertThat(c.call("SADD", "s", "01")).isEqualTo(integer(1)); // not canonical: a string
        assertThat(encoding("s")).isEqualTo(bulk("hashtable"));
        c.call("SREM", "s", "01");
        assertThat(encoding("s")).isEqualTo(bulk("hashtable")); // never converts back
        assertThat(members(c.call("SMEMBERS", "s"))).isEqualTo(setOf("1", "2", "-3", "9223372036854775807", "-9223372036854775808"));
        c.call("SADD", "big", "9223372036854775808");
        assertThat(encoding("big")).isEqualTo(bulk("hashtable"));
        c.call("SADD", "word", "a");
        assertThat(encoding("word")).isEqualTo(bulk("hashtable"));
    }

    @Test
    void intsetBecomesHashtableWhenTooLarge() throws IOException {
        assertThat(c.call("CONFIG", "SET", "set-max-intset-entries", "4")).isEqualTo(OK);
        c.call("SADD", "s", "1", "2", "3", "4");
        assertThat(encoding("s")).isEqualTo(bulk("intset"));
        c.call("SADD", "s", "5");
        assertThat(encoding("s")).isEqualTo(bulk("hashtable"));
        c.call("SADD", "t", "1", "2", "3", "4", "5", "6");
        assertThat(encoding("t")).isEqualTo(bulk("hashtable"));
        assertThat(c.call("SCARD", "t")).isEqualTo(integer(6));
        // A *STORE result takes the encoding its members call for.
        c.call("SADD", "u", "1", "2");
        assertThat(c.call("SUNIONSTORE", "d", "u")).isEqualTo(integer(2));
        assertThat(encoding("d")).isEqualTo(bulk("intset"));
        assertThat(c.call("SUNIONSTORE", "d", "t")).isEqualTo(integer(6));
        assertThat(encoding("d")).isEqualTo(bulk("hashtable"));
        assertThat(c.call("SINTERSTORE", "d", "t", "s")).isEqualTo(integer(5));
        assertThat(encoding("d")).isEqualTo(bulk("hashtable"));
        assertThat(c.call("SDIFFSTORE", "d", "t", "s")).isEqualTo(integer(1));
        assertThat(encoding("d")).isEqualTo(bulk("intset"));
        assertThat(c.call("CONFIG", "GET", "set-max-intset-entries")).isEqualTo(array(bulk("set-max-intset-entries"), bulk("4")));
    }

    // ---- SMOVE --------------------------------------------------------------------------------

    @Test
    void smove() throws IOException {
        c.call("SADD", "a", "x", "1");
        assertThat(c.call("SMOVE", "a", "b", "x")).isEqualTo(integer(1));
        assertThat(encoding("b")).isEqualTo(bulk("hashtable"));
        assertThat(c.call("SMOVE", "a", "b", "x")).isEqualTo(integer(0));
        assertThat(c.call("SMOVE", "a", "c", "1")).isEqualTo(integer(1));
        assertThat(encoding("c")).isEqualTo(bulk("intset"));
        assertThat(c.call("EXISTS", "a")).isEqualTo(integer(0)); // emptied, so deleted
        assertThat(c.call("SMOVE", "missing", "b", "x")).isEqualTo(integer(0));
        c.call("SET", "str", "v");
        assertThat(c.call("SMOVE", "missing", "str", "x")).isEqualTo(integer(0)); // no source: no type check
        assertThat(c.call("SMOVE", "b", "str", "x")).isEqualTo(WRONGTYPE);
        assertThat(c.call("SMOVE", "b", "b", "x")).isEqualTo(integer(1));
        assertThat(c.call("SMOVE", "b", "b", "nope")).isEqualTo(integer(0));
        c.call("SADD", "d", "x");
        assertThat(c.call("SMOVE", "b", "d", "x")).isEqualTo(integer(1)); // already there: still 1
        assertThat(c.call("EXISTS", "b")).isEqualTo(integer(0));
        assertThat(c.call("SMEMBERS", "d")).isEqualTo(array(bulk("x")));
    }

    // ---- SPOP and SRANDMEMBER -----------------------------------------------------------------

    @Test
    void spopWithoutCount() throws IOException {
        assertThat(c.call("SPOP", "missing")).isEqualTo(NIL);
        c.call("SADD", "s", "a", "b", "c");
        Set<String> popped = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            Object v = RespValue.parse(c.call("SPOP", "s"));
            assertThat(v).isIn("a", "b", "c");
            popped.add((String) v);
        }
        assertThat(popped).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(c.call("EXISTS", "s")).isEqualTo(integer(0));
    }

    @Test
    void spopWithCount() throws IOException {
        assertThat(c.call("SPOP", "missing", "3")).isEqualTo(EMPTY);
        assertThat(c.call("SPOP", "missing", "-1")).isEqualTo(error("ERR value is out of range, must be positive"));
        assertThat(c.call("SPOP", "missing", "x")).isEqualTo(error("ERR value is out of range, must be positive"));
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add("m" + i);
        }
        List<String> args = new ArrayList<>(List.of("SADD", "s"));
        args.addAll(all);
        c.call(args.toArray(new String[0]));
        assertThat(c.call("SPOP", "s", "0")).isEqualTo(EMPTY);
        TreeSet<String> seen = new TreeSet<>();
        for (int n : new int[] {1, 3, 20, 10}) { // 3 * 10 > 16 left: the shuffle path too
            TreeSet<String> got = members(c.call("SPOP", "s", Integer.toString(n)));
            assertThat(got).hasSize(n);
            assertThat(seen).doesNotContainAnyElementsOf(got);
            seen.addAll(got);
        }
        assertThat(c.call("SCARD", "s")).isEqualTo(integer(16));
        TreeSet<String> rest = members(c.call("SPOP", "s", "100"));
        assertThat(rest).hasSize(16);
        seen.addAll(rest);
        assertThat(seen).isEqualTo(new TreeSet<>(all));
        assertThat(c.call("EXISTS", "s")).isEqualTo(integer(0));
        c.call("SADD", "i", "5", "6", "7");
        assertThat(members(c.call("SPOP", "i", "2"))).isSubsetOf("5", "6", "7").hasSize(2);
        assertThat(c.call("SCARD", "i")).isEqualTo(integer(1));
    }

    @Test
    void srandmember() throws IOException {
        assertThat(c.call("SRANDMEMBER", "missing")).isEqualTo(NIL);
        assertThat(c.call("SRANDMEMBER", "missing", "5")).isEqualTo(EMPTY);
        assertThat(c.call("SRANDMEMBER", "missing", "-5")).isEqualTo(EMPTY);
        assertThat(c.call("SRANDMEMBER", "missing", "x")).isEqualTo(error("ERR value is not an integer or out of range"));
        assertThat(c.call("SRANDMEMBER", "missing", "-9223372036854775808"))
                .isEqualTo(error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"));
        c.call("SADD", "s", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        assertThat(c.call("SRANDMEMBER", "s", "0")).isEqualTo(EMPTY);
        assertThat(RespValue.parse(c.call("SRANDMEMBER", "s"))).isIn("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        List<Object> one = RespValue.list(c.call("SRANDMEMBER", "s", "1"));
        assertThat(one).hasSize(1);
        List<Object> repeated = RespValue.list(c.call("SRANDMEMBER", "s", "-30"));
        assertThat(repeated).hasSize(30);
        assertThat(new TreeSet<>(repeated.stream().map(String.class::cast).toList())).isSubsetOf(members(c.call("SMEMBERS", "s")));
        for (int n : new int[] {2, 3, 5, 9}) { // below and above a third of the set
            List<Object> distinct = RespValue.list(c.call("SRANDMEMBER", "s", Integer.toString(n)));
            assertThat(distinct).hasSize(n).doesNotHaveDuplicates();
        }
        assertThat(members(c.call("SRANDMEMBER", "s", "100"))).isEqualTo(members(c.call("SMEMBERS", "s")));
        assertThat(c.call("SCARD", "s")).isEqualTo(integer(10)); // nothing removed
        c.call("SADD", "i", "1", "2", "3");
        assertThat(members(c.call("SRANDMEMBER", "i", "3"))).isEqualTo(setOf("1", "2", "3"));
    }

    // ---- algebra ------------------------------------------------------------------------------

    @Test
    void sinterSunionSdiff() throws IOException {
        c.call("SADD", "a", "1", "2", "3", "x");
        c.call("SADD", "b", "2", "3", "4", "x", "y");
        c.call("SADD", "c", "3", "x", "z");
        assertThat(members(c.call("SINTER", "a", "b", "c"))).isEqualTo(setOf("3", "x"));
        assertThat(members(c.call("SINTER", "a", "a"))).isEqualTo(setOf("1", "2", "3", "x"));
        assertThat(c.call("SINTER", "a", "missing")).isEqualTo(EMPTY);
        assertThat(members(c.call("SUNION", "a", "b", "missing"))).isEqualTo(setOf("1", "2", "3", "4", "x", "y"));
        assertThat(c.call("SUNION", "missing")).isEqualTo(EMPTY);
        assertThat(members(c.call("SDIFF", "a", "b"))).isEqualTo(setOf("1"));
        assertThat(members(c.call("SDIFF", "b", "a", "c"))).isEqualTo(setOf("4", "y"));
        assertThat(members(c.call("SDIFF", "a", "missing"))).isEqualTo(setOf("1", "2", "3", "x"));
        assertThat(c.call("SDIFF", "a", "a")).isEqualTo(EMPTY);
        assertThat(c.call("SDIFF", "missing", "a")).isEqualTo(EMPTY);
    }

    @Test
    void storeVariants() throws IOException {
        c.call("SADD", "a", "1", "2", "3");
        c.call("SADD", "b", "3", "4");
        c.call("SET", "d", "a string with a ttl", "EX", "100");
        assertThat(c.call("SINTERSTORE", "d", "a", "b")).isEqualTo(integer(1));
        assertThat(c.call("TYPE", "d")).isEqualTo("+set\r\n");
        assertThat(c.call("TTL", "d")).isEqualTo(integer(-1));
        assertThat(c.call("SMEMBERS", "d")).isEqualTo(array(bulk("3")));
        assertThat(c.call("SUNIONSTORE", "d", "a", "b")).isEqualTo(integer(4));
        assertThat(members(c.call("SMEMBERS", "d"))).isEqualTo(setOf("1", "2", "3", "4"));
        assertThat(c.call("SDIFFSTORE", "d", "a", "b")).isEqualTo(integer(2));
        assertThat(members(c.call("SMEMBERS", "d"))).isEqualTo(setOf("1", "2"));
        assertThat(c.call("SUNIONSTORE", "a", "a", "b")).isEqualTo(integer(4)); // a source as destination
        assertThat(c.call("SCARD", "a")).isEqualTo(integer(4));
        // An empty result deletes the destination.
        assertThat(c.call("SINTERSTORE", "d", "a", "missing")).isEqualTo(integer(0));
        assertThat(c.call("EXISTS", "d")).isEqualTo(integer(0));
        c.call("SET", "d", "x");
        assertThat(c.call("SDIFFSTORE", "d", "b", "b")).isEqualTo(integer(0));
        assertThat(c.call("EXISTS", "d")).isEqualTo(integer(0));
        assertThat(c.call("SUNIONSTORE", "d", "missing")).isEqualTo(integer(0));
        assertThat(c.call("EXISTS", "d")).isEqualTo(integer(0));
    }

    @Test
    void sintercard() throws IOException {
        c.call("SADD", "a", "1", "2", "3", "4");
        c.call("SADD", "b", "2", "3", "4", "5");
        assertThat(c.call("SINTERCARD", "2", "a", "b")).isEqualTo(integer(3));
        assertThat(c.call("SINTERCARD", "2", "a", "b", "LIMIT", "2")).isEqualTo(integer(2));
        assertThat(c.call("SINTERCARD", "2", "a", "b", "limit", "0")).isEqualTo(integer(3));
        assertThat(c.call("SINTERCARD", "2", "a", "b", "LIMIT", "10")).isEqualTo(integer(3));
        assertThat(c.call("SINTERCARD", "1", "missing")).isEqualTo(integer(0));
        assertThat(c.call("SINTERCARD", "0", "a")).isEqualTo(error("ERR numkeys should be greater than 0"));
        assertThat(c.call("SINTERCARD", "x", "a")).isEqualTo(error("ERR numkeys should be greater than 0"));
        assertThat(c.call("SINTERCARD", "3", "a", "b")).isEqualTo(error("ERR Number of keys can't be greater than number of args"));
        assertThat(c.call("SINTERCARD", "2", "a", "b", "LIMIT", "-1")).isEqualTo(error("ERR LIMIT can't be negative"));
        assertThat(c.call("SINTERCARD", "2", "a", "b", "LIMIT", "x")).isEqualTo(error("ERR LIMIT can't be negative"));
        assertThat(c.call("SINTERCARD", "2", "a", "b", "LIMIT")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("SINTERCARD", "1", "a", "b")).isEqualTo(error("ERR syntax error"));
    }

    // ---- SSCAN --------------------------------------------------------------------------------

    @Test
    void sscan() throws IOException {
        assertThat(c.call("SSCAN", "missing", "0")).isEqualTo(array(bulk("0"), EMPTY));
        assertThat(c.call("SSCAN", "missing", "x")).isEqualTo(error("ERR invalid cursor"));
        assertThat(c.call("SSCAN", "missing", " 1")).isEqualTo(error("ERR invalid cursor"));
        assertThat(c.call("SSCAN", "missing", "18446744073709551616")).isEqualTo(error("ERR invalid cursor"));
        // Redis reads the cursor with strtoul: a sign is accepted, and "" is 0.
        assertThat(c.call("SSCAN", "missing", "-1")).isEqualTo(array(bulk("0"), EMPTY));
        assertThat(c.call("SSCAN", "missing", "")).isEqualTo(array(bulk("0"), EMPTY));
        c.call("SADD", "i", "3", "1", "2");
        // A small set answers whole, with cursor 0 (an intset in ascending order).
        assertThat(c.call("SSCAN", "i", "0")).isEqualTo(array(bulk("0"), array(bulk("1"), bulk("2"), bulk("3"))));
        assertThat(c.call("SSCAN", "i", "0", "MATCH", "2")).isEqualTo(array(bulk("0"), array(bulk("2"))));
        assertThat(c.call("SSCAN", "i", "0", "COUNT", "0")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("SSCAN", "i", "0", "COUNT", "x")).isEqualTo(error("ERR value is not an integer or out of range"));
        assertThat(c.call("SSCAN", "i", "0", "TYPE", "set")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("SSCAN", "i", "0", "MATCH")).isEqualTo(error("ERR syntax error"));
        // A large one iterates to cursor 0 and returns every member at least once.
        List<String> args = new ArrayList<>(List.of("SADD", "big"));
        for (int i = 0; i < 1000; i++) {
            args.add("member:" + i);
        }
        c.call(args.toArray(new String[0]));
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            List<Object> reply = RespValue.list(c.call("SSCAN", "big", cursor, "COUNT", "50"));
            cursor = (String) reply.get(0);
            for (Object m : (List<?>) reply.get(1)) {
                seen.add((String) m);
            }
            calls++;
        } while (!cursor.equals("0") && calls < 10_000);
        assertThat(cursor).isEqualTo("0");
        assertThat(seen).hasSize(1000);
        assertThat(calls).isGreaterThan(1);
        List<Object> matched = RespValue.list(c.call("SSCAN", "big", "0", "MATCH", "member:99*", "COUNT", "100000"));
        assertThat((List<Object>) matched.get(1)).containsExactlyInAnyOrder("member:99", "member:990", "member:991", "member:992",
                "member:993", "member:994", "member:995", "member:996", "member:997", "member:998", "member:999");
    }

    // ---- across the keyspace ------------------------------------------------------------------

    @Test
    void keyCommandsOnSets() throws IOException {
        c.call("SADD", "s", "a", "b");
        c.call("SADD", "i", "1", "2");
        c.call("SET", "str", "x");
        assertThat(c.call("TYPE", "s")).isEqualTo("+set\r\n");
        assertThat(c.call("TYPE", "i")).isEqualTo("+set\r\n");
        assertThat(c.call("EXISTS", "s", "i", "str", "nope")).isEqualTo(integer(3));
        assertThat(c.call("DBSIZE")).isEqualTo(integer(3));
        List<Object> scan = RespValue.list(c.call("SCAN", "0", "TYPE", "set", "COUNT", "100"));
        assertThat(scan.get(0)).isEqualTo("0");
        assertThat((List<Object>) scan.get(1)).containsExactlyInAnyOrder("s", "i");
        assertThat(c.call("EXPIRE", "s", "100")).isEqualTo(integer(1));
        assertThat(c.call("TTL", "s")).isEqualTo(integer(100));
        assertThat(c.call("PERSIST", "s")).isEqualTo(integer(1));
        assertThat(c.call("TTL", "s")).isEqualTo(integer(-1));
        assertThat(c.call("RENAME", "s", "t")).isEqualTo(OK);
        assertThat(members(c.call("SMEMBERS", "t"))).isEqualTo(setOf("a", "b"));
        assertThat(c.call("COPY", "t", "u")).isEqualTo(integer(1));
        c.call("SADD", "u", "c");
        assertThat(c.call("SCARD", "t")).isEqualTo(integer(2)); // the copy is independent
        assertThat(c.call("SCARD", "u")).isEqualTo(integer(3));
        assertThat(c.call("COPY", "i", "u")).isEqualTo(integer(0));
        assertThat(c.call("COPY", "i", "u", "REPLACE")).isEqualTo(integer(1));
        assertThat(encoding("u")).isEqualTo(bulk("intset"));
        assertThat(c.call("COPY", "i", "i2", "DB", "1")).isEqualTo(integer(1));
        assertThat(c.call("MOVE", "t", "1")).isEqualTo(integer(1));
        assertThat(c.call("EXISTS", "t")).isEqualTo(integer(0));
        assertThat(c.call("SELECT", "1")).isEqualTo(OK);
        assertThat(members(c.call("SMEMBERS", "t"))).isEqualTo(setOf("a", "b"));
        assertThat(members(c.call("SMEMBERS", "i2"))).isEqualTo(setOf("1", "2"));
        assertThat(c.call("SWAPDB", "0", "1")).isEqualTo(OK);
        assertThat(members(c.call("SMEMBERS", "u"))).isEqualTo(setOf("1", "2"));
        assertThat(c.call("SELECT", "0")).isEqualTo(OK);
        assertThat(c.call("SCARD", "t")).isEqualTo(integer(2));
        assertThat(c.call("DEL", "t", "i2")).isEqualTo(integer(2));
        assertThat(c.call("UNLINK", "str")).isEqualTo(integer(0)); // SWAPDB took it to db 1
        assertThat(c.call("FLUSHDB")).isEqualTo(OK);
        assertThat(c.call("DBSIZE")).isEqualTo(integer(0));
    }

    @Test
    void expiredSetIsGone() throws Exception {
        c.call("SADD", "s", "a");
        assertThat(c.call("PEXPIRE", "s", "50")).isEqualTo(integer(1));
        Poll.until("the set expired", java.time.Duration.ofSeconds(10), () -> c.call("SCARD", "s").equals(integer(0)));
        assertThat(c.call("SADD", "s", "b")).isEqualTo(integer(1));
        assertThat(c.call("SMEMBERS", "s")).isEqualTo(array(bulk("b")));
        assertThat(c.call("TTL", "s")).isEqualTo(integer(-1));
    }

    // ---- RESP3 --------------------------------------------------------------------------------

    @Test
    void resp3Shapes() throws IOException {
        c.call("HELLO", "3");
        c.call("SADD", "s", "a");
        assertThat(c.call("SMEMBERS", "s")).isEqualTo("~1\r\n$1\r\na\r\n");
        assertThat(c.call("SMEMBERS", "missing")).isEqualTo("~0\r\n");
        assertThat(c.call("SUNION", "s")).isEqualTo("~1\r\n$1\r\na\r\n");
        assertThat(c.call("SDIFF", "missing")).isEqualTo("~0\r\n");
        assertThat(c.call("SINTER", "s", "missing")).isEqualTo("~0\r\n");
        assertThat(c.call("SRANDMEMBER", "s", "1")).isEqualTo("*1\r\n$1\r\na\r\n");
        assertThat(c.call("SRANDMEMBER", "missing", "1")).isEqualTo("*0\r\n");
        assertThat(c.call("SRANDMEMBER", "missing")).isEqualTo("_\r\n");
        assertThat(c.call("SPOP", "missing")).isEqualTo("_\r\n");
        assertThat(c.call("SPOP", "missing", "1")).isEqualTo("~0\r\n");
        assertThat(c.call("SPOP", "s", "0")).isEqualTo("~0\r\n");
        assertThat(c.call("SPOP", "s", "5")).isEqualTo("~1\r\n$1\r\na\r\n");
        c.call("SADD", "s", "a", "b");
        assertThat(c.call("SPOP", "s", "1")).startsWith("~1\r\n");
        assertThat(c.call("SMISMEMBER", "s", "a", "b")).isIn("*2\r\n:1\r\n:0\r\n", "*2\r\n:0\r\n:1\r\n");
    }
}
