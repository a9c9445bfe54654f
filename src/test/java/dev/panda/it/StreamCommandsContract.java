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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stream commands' replies and errors (XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XSETID,
 * XREAD, XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO), byte for byte as Redis
 * 7.0 answers them, asserted against Panda ({@link PandaStreamCommandsIT}) and against Debian's real
 * redis-server ({@link RedisStreamCommandsIT}). Ids are explicit wherever a reply is compared exactly;
 * values that depend on the clock (idle times, delivery and seen times, automatic ids) are
 * checked by shape or within a tolerance. Blocking reads use a second connection, and a waiter is
 * known to be parked when INFO's blocked_clients says so (polled, never a fixed sleep). Test
 * thread.
 */
@SuppressWarnings("unchecked")
abstract class StreamCommandsContract extends ServerContract {
    static final String WRONGTYPE = error("WRONGTYPE Operation against a key holding the wrong kind of value");
    static final String INVALID_ID = error("ERR Invalid stream ID specified as stream command argument");
    static final String NOT_GREATER = error("ERR The ID specified in XADD is equal or smaller than the target stream top item");
    static final String NO_KEY_FOR_XGROUP = error("ERR The XGROUP subcommand requires the key to exist."
            + " Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.");
    static final String SYNTAX = error("ERR syntax error");
    static final String NOT_INTEGER = error("ERR value is not an integer or out of range");
    static final String NULL_ARRAY = "*-1\r\n";
    static final String EMPTY = "*0\r\n";

    private final List<RespConnection> others = new ArrayList<>();

    @BeforeEach
    void defaultNodeLimits() throws IOException {
        assertThat(c.call("CONFIG", "SET", "stream-node-max-entries", "100")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "SET", "stream-node-max-bytes", "4096")).isEqualTo(OK);
    }

    @AfterEach
    void closeOthers() throws IOException {
        for (RespConnection o : others) {
            o.close();
        }
    }

    // ---- expected replies and parsing ---------------------------------------------------------

    /** One entry as XRANGE answers it: [id, [field, value, ...]]. */
    static String entry(String id, String... fieldsAndValues) {
        String[] fv = new String[fieldsAndValues.length];
        for (int i = 0; i < fv.length; i++) {
            fv[i] = bulk(fieldsAndValues[i]);
        }
        return array(bulk(id), array(fv));
    }

    /** One stream of an XREAD/XREADGROUP reply: [key, [entry, ...]]. */
    static String stream(String key, String... entries) {
        return array(bulk(key), array(entries));
    }

    static String ids(String... ids) {
        String[] b = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            b[i] = bulk(ids[i]);
        }
        return array(b);
    }

    /** The ids of an XRANGE-shaped reply. */
    static List<String> idsOf(String raw) {
        List<String> out = new ArrayList<>();
        for (Object e : RespValue.list(raw)) {
            out.add((String) ((List<Object>) e).get(0));
        }
        return out;
    }

    /** A flat name/value reply (XINFO) as an ordered map. */
    static Map<String, Object> fields(Object flat) {
        List<Object> list = (List<Object>) flat;
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i += 2) {
            out.put((String) list.get(i), list.get(i + 1));
        }
        return out;
    }

    private Map<String, Object> infoStream(String key) throws IOException {
        return fields(RespValue.parse(c.call("XINFO", "STREAM", key)));
    }

    private Map<String, Object> infoGroup(String key, String group) throws IOException {
        for (Object g : RespValue.list(c.call("XINFO", "GROUPS", key))) {
            Map<String, Object> m = fields(g);
            if (group.equals(m.get("name"))) {
                return m;
            }
        }
        throw new AssertionError("no group " + group);
    }

    /** XPENDING's extended rows: [id, consumer, idle, deliveries]. */
    private List<List<Object>> pending(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("XPENDING"));
        cmd.addAll(List.of(args));
        List<List<Object>> out = new ArrayList<>();
        for (Object row : RespValue.list(c.call(cmd.toArray(new String[0])))) {
            out.add((List<Object>) row);
        }
        return out;
    }

    /** A pending row without its idle time: [id, consumer, deliveries]. */
    static List<Object> stable(List<Object> row) {
        return List.of(row.get(0), row.get(1), row.get(3));
    }

    private void add(String key, String id, String field, String value) throws IOException {
        assertThat(c.call("XADD", key, id, field, value)).isEqualTo(bulk(id));
    }

    /** Adds entries {@code i-0 f i} for i in [from, to]. */
    private void fill(String key, int from, int to) throws IOException {
        for (int i = from; i <= to; i++) {
            add(key, i + "-0", "f", Integer.toString(i));
        }
    }

    private RespConnection connect() throws IOException {
        RespConnection o = new RespConnection(port());
        others.add(o);
        return o;
    }

    /** Sends a blocking command on a new connection and waits until the server counts it blocked. */
    private RespConnection block(int blockedBefore, String... args) throws IOException {
        RespConnection o = connect();
        o.send(RespConnection.encode(args));
        awaitBlocked(blockedBefore + 1);
        return o;
    }

    // ---- XADD ---------------------------------------------------------------------------------

    @Test
    void xaddWithExplicitIds() throws IOException {
        assertThat(c.call("XADD", "s", "1-1", "a", "1")).isEqualTo(bulk("1-1"));
        assertThat(c.call("XADD", "s", "1-1", "a", "1")).isEqualTo(NOT_GREATER);
        assertThat(c.call("XADD", "s", "1-0", "a", "1")).isEqualTo(NOT_GREATER);
        assertThat(c.call("XADD", "s", "2-*", "b", "2")).isEqualTo(bulk("2-0"));
        assertThat(c.call("XADD", "s", "2-*", "c", "3")).isEqualTo(bulk("2-1"));
        assertThat(c.call("XADD", "s", "1-*", "x", "x")).isEqualTo(NOT_GREATER);
        assertThat(c.call("XADD", "s", "5", "d", "4")).isEqualTo(bulk("5-0")); // a bare ms is <ms>-0
        assertThat(c.call("XRANGE", "s", "-", "+")).isEqualTo(array(entry("1-1", "a", "1"), entry("2-0", "b", "2"),
                entry("2-1", "c", "3"), entry("5-0", "d", "4")));

        String zero = error("ERR The ID specified in XADD must be greater than 0-0");
        assertThat(c.call("XADD", "s", "0-0", "a", "1")).isEqualTo(zero);
        assertThat(c.call("XADD", "t", "0-0", "a", "1")).isEqualTo(zero);
        assertThat(c.call("EXISTS", "t")).isEqualTo(integer(0));
        assertThat(c.call("XADD", "t", "0-*", "a", "1")).isEqualTo(bulk("0-1"));
        for (String bad : List.of("abc", "1-x", "1-", "-1-0", "-5", "3-4-5", "", "+", "-", "18446744073709551616-0")) {
            assertThat(c.call("XADD", "s", bad, "a", "1")).as(bad).isEqualTo(INVALID_ID);
        }

        String max = "18446744073709551615-18446744073709551615";
        assertThat(c.call("XADD", "u", max, "a", "1")).isEqualTo(bulk(max));
        String exhausted = error("ERR The stream has exhausted the last possible ID, unable to add more items");
        assertThat(c.call("XADD", "u", "*", "a", "1")).isEqualTo(exhausted);
        assertThat(c.call("XADD", "u", "18446744073709551615-*", "a", "1")).isEqualTo(exhausted);
        assertThat(c.call("XADD", "v", "5-18446744073709551615", "a", "1")).isEqualTo(bulk("5-18446744073709551615"));
        assertThat(c.call("XADD", "v", "5-*", "a", "1")).isEqualTo(error("ERR Elements are too large to be stored"));
        assertThat(c.call("XADD", "v", "6-*", "a", "1")).isEqualTo(bulk("6-0"));
    }

    @Test
    void xaddWithAutomaticIds() throws IOException {
        String first = (String) RespValue.parse(c.call("XADD", "s", "*", "a", "1"));
        String second = (String) RespValue.parse(c.call("XADD", "s", "*", "b", "2"));
        assertThat(first).matches("\\d+-\\d+");
        assertThat(second).matches("\\d+-\\d+");
        long ms1 = Long.parseLong(first.split("-")[0]);
        long ms2 = Long.parseLong(second.split("-")[0]);
        assertThat(ms2 > ms1 || (ms2 == ms1 && Long.parseLong(second.split("-")[1]) > Long.parseLong(first.split("-")[1])))
                .as(second + " after " + first).isTrue();
        assertThat(Math.abs(ms1 - System.currentTimeMillis())).isLessThan(60_000);
        assertThat(idsOf(c.call("XRANGE", "s", "-", "+"))).containsExactly(first, second);

        // A top in the future: * keeps its ms and increments the sequence.
        assertThat(c.call("XSETID", "s", "99999999999999-5")).isEqualTo(OK);
        assertThat(c.call("XADD", "s", "*", "c", "3")).isEqualTo(bulk("99999999999999-6"));
        assertThat(c.call("XADD", "s", "99999999999999-*", "d", "4")).isEqualTo(bulk("99999999999999-7"));
        assertThat(c.call("XADD", "s", "99999999999999-9", "e", "5")).isEqualTo(bulk("99999999999999-9"));
        assertThat(c.call("XLEN", "s")).isEqualTo(integer(5));
    }

    @Test
    void xaddArityNomkstreamAndWrongType() throws IOException {
        String arity = error("ERR wrong number of arguments for 'xadd' command");
        assertThat(c.call("XADD", "s")).isEqualTo(arity);
        assertThat(c.call("XADD", "s", "*")).isEqualTo(arity);
        assertThat(c.call("XADD", "s", "*", "a")).isEqualTo(arity);
        assertThat(c.call("XADD", "s", "*", "a", "1", "b")).isEqualTo(arity);
        assertThat(c.call("XADD", "s", "1-1", "a", "1", "b")).isEqualTo(arity);
        assertThat(c.call("XADD", "s", "NOMKSTREAM")).isEqualTo(arity);
        assertThat(c.call("EXISTS", "s")).isEqualTo(integer(0));

        assertThat(c.call("XADD", "s", "NOMKSTREAM", "*", "a", "1")).isEqualTo(NIL);
        assertThat(c.call("XADD", "s", "NOMKSTREAM", "1-0", "a", "1")).isEqualTo(NIL);
        assertThat(c.call("EXISTS", "s")).isEqualTo(integer(0));
        assertThat(c.call("XADD", "s", "1-0", "a", "1", "b", "2")).isEqualTo(bulk("1-0"));
        assertThat(c.call("XADD", "s", "NOMKSTREAM", "2-0", "a", "1")).isEqualTo(bulk("2-0"));
        assertThat(c.call("XADD", "s", "MAXLEN", "1", "NOMKSTREAM", "3-0", "c", "3")).isEqualTo(bulk("3-0"));
        assertThat(c.call("XRANGE", "s", "-", "+")).isEqualTo(array(entry("3-0", "c", "3")));

        c.call("SET", "str", "v");
        assertThat(c.call("XADD", "str", "*", "a", "1")).isEqualTo(WRONGTYPE);
        assertThat(c.call("XADD", "str", "NOMKSTREAM", "*", "a", "1")).isEqualTo(WRONGTYPE);
        for (String[] cmd : List.of(new String[] {"XLEN", "str"}, new String[] {"XRANGE", "str", "-", "+"},
                new String[] {"XREVRANGE", "str", "+", "-"}, new String[] {"XDEL", "str", "1-0"},
                new String[] {"XTRIM", "str", "MAXLEN", "0"}, new String[] {"XSETID", "str", "1-0"},
                new String[] {"XREAD", "STREAMS", "str", "0"}, new String[] {"XREAD", "STREAMS", "str", "$"},
                new String[] {"XGROUP", "CREATE", "str", "g", "$"}, new String[] {"XGROUP", "CREATE", "str", "g", "$", "MKSTREAM"},
                new String[] {"XGROUP", "DESTROY", "str", "g"}, new String[] {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "str", ">"},
                new String[] {"XACK", "str", "g", "1-0"}, new String[] {"XPENDING", "str", "g"},
                new String[] {"XINFO", "STREAM", "str"}, new String[] {"XINFO", "GROUPS", "str"},
                new String[] {"GET", "s"})) {
            assertThat(c.call(cmd)).as(String.join(" ", cmd)).isEqualTo(WRONGTYPE);
        }
    }

    @Test
    void xaddTrimsExactlyWithMaxlenAndMinid() throws IOException {
        fill("s", 1, 3);
        assertThat(c.call("XADD", "s", "MAXLEN", "=", "2", "4-0", "f", "4")).isEqualTo(bulk("4-0"));
        assertThat(idsOf(c.call("XRANGE", "s", "-", "+"))).containsExactly("3-0", "4-0");
        assertThat(c.call("XADD", "s", "MAXLEN", "1", "5-0", "f", "5")).isEqualTo(bulk("5-0"));
        assertThat(idsOf(c.call("XRANGE", "s", "-", "+"))).containsExactly("5-0");
        assertThat(c.call("XADD", "s", "MINID", "=", "5-0", "6-0", "f", "6")).isEqualTo(bulk("6-0"));
        assertThat(idsOf(c.call("XRANGE", "s", "-", "+"))).containsExactly("5-0", "6-0");
        assertThat(c.call("XADD", "s", "MINID", "6", "7-0", "f", "7")).isEqualTo(bulk("7-0"));
        assertThat(idsOf(c.call("XRANGE", "s", "-", "+"))).containsExactly("6-0", "7-0");
        // MAXLEN 0 trims the new entry too; the empty stream stays, its top and counters moved.
        assertThat(c.call("XADD", "s", "MAXLEN", "0", "8-0", "f", "8")).isEqualTo(bulk("8-0"));
        assertThat(c.call("XLEN", "s")).isEqualTo(integer(0));
        assertThat(c.call("EXISTS", "s")).isEqualTo(integer(1));
        Map<String, Object> info = infoStream("s");
        assertThat(info.get("last-generated-id")).isEqualTo("8-0");
        assertThat(info.get("entries-added")).isEqualTo(8L);
        assertThat(info.get("max-deleted-entry-id")).isEqualTo("0-0"); // trimming does not record deletions
        assertThat(c.call("XADD", "s", "8-0", "f", "8")).isEqualTo(NOT_GREATER);
    }

    @Test
    void xaddApproximateTrimmingRemovesWholeNodes() throws IOException {
        assertThat(c.call("CONFIG", "SET", "stream-node-max-entries", "10")).isEqualTo(OK);
        fill("s", 1, 25); // nodes of 1-10, 11-20, 21-25
        assertThat(c.call("XADD", "s", "MAXLEN", "~", "12", "26-0", "f", "26")).isEqualTo(bulk("26-0"));
        assertThat(c.call("XLEN", "s")).isEqualTo(integer(16)); // one node gone; another would leave fewer than 12
        assertThat(c.call("XRANGE", "s", "-", "+", "COUNT", "1")).isEqualTo(array(entry("11-0", "f", "11")));
        assertThat(c.call("XADD", "s", "MAXLEN", "~", "0", "LIMIT", "5", "27-0", "f", "27")).isEqualTo(bulk("27-0"));
        assertThat(c.call("XLEN", "s")).isEqualTo(integer(17)); // a node of 10 exceeds LIMIT 5
        assertThat(c.call("XADD", "s", "MAXLEN", "~", "0", "LIMIT", "10", "28-0", "f", "28")).isEqualTo(bulk("28-0"));
        assertThat(c.call("XLEN", "s")).isEqualTo(integer(8));
        assertThat(c.call("XRANGE", "s", "-", "+", "COUNT", "1")).isEqualTo(array(entry("21-0", "f", "21")));
        // MINID ~ may remove the node holding the entry just added.
        assertThat(c.call("XADD", "s", "MINID", "~", "100", "29-0", "f", "29")).isEqualTo(bulk("29-0"));
        assertThat(c.call("XLEN", "s")).isEqualTo(integer(0));
    }

    @Test
    void trimmingSyntaxErrorsOfXaddAndXtrim() throws IOException {
        add("s", "1-0", "a", "1");
        assertThat(c.call("XADD", "s", "MAXLEN", "2", "LIMIT", "10", "*", "a", "1"))
                .isEqualTo(error("ERR syntax error, LIMIT cannot be used without the special ~ option"));
        assertThat(c.call("XADD", "s", "MAXLEN", "=", "2", "LIMIT", "10", "*", "a", "1"))
                .isEqualTo(error("ERR syntax error, LIMIT cannot be used without the special ~ option"));
        assertThat(c.call("XADD", "s", "LIMIT", "10", "*", "a", "1"))
                .isEqualTo(error("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"));
        assertThat(c.call("XADD", "s", "MAXLEN", "2", "MINID", "0", "*", "a", "1"))
                .isEqualTo(error("ERR syntax error, MAXLEN and MINID options at the same time are not compatible"));
        assertThat(c.call("XADD", "s", "MAXLEN", "-1", "*", "a", "1")).isEqualTo(error("ERR The MAXLEN argument must be >= 0."));
        assertThat(c.call("XADD", "s", "MAXLEN", "~", "-1", "*", "a", "1")).isEqualTo(error("ERR The MAXLEN argument must be >= 0."));
        assertThat(c.call("XADD", "s", "MAXLEN", "abc", "*", "a", "1")).isEqualTo(NOT_INTEGER);
        assertThat(c.call("XADD", "s", "MAXLEN", "~", "2", "LIMIT", "-1", "*", "a", "1")).isEqualTo(error("ERR The LIMIT argument must be >= 0."));
        assertThat(c.call("XADD", "s", "MAXLEN", "~", "2", "LIMIT", "abc", "*", "a", "1")).isEqualTo(NOT_INTEGER);
        assertThat(c.call("XADD", "s", "MINID", "-1", "*", "a", "1")).isEqualTo(INVALID_ID);
        assertThat(c.call("XADD", "s", "MINID", "abc", "*", "a", "1")).isEqualTo(INVALID_ID);
        assertThat(c.call("XTRIM", "s")).isEqualTo(error("ERR wrong number of arguments for 'xtrim' command"));
        assertThat(c.call("XTRIM", "s", "MAXLEN")).isEqualTo(error("ERR wrong number of arguments for 'xtrim' command"));
        assertThat(c.call("XTRIM", "s", "FOO", "1")).isEqualTo(SYNTAX);
        assertThat(c.call("XTRIM", "s", "MAXLEN", "1", "MINID", "1"))
                .isEqualTo(error("ERR syntax error, MAXLEN and MINID options at the same time are not compatible"));
        assertThat(c.call("XTRIM", "s", "MAXLEN", "1", "LIMIT", "1"))
                .isEqualTo(error("ERR syntax error, LIMIT cannot be used without the special ~ option"));
        assertThat(c.call("XTRIM", "s", "MAXLEN", "=", "1", "LIMIT", "1"))
                .isEqualTo(error("ERR syntax error, LIMIT cannot be used without the special ~ option"));
        assertThat(c.call("XTRIM", "s", "MAXLEN", "-1")).isEqualTo(error("ERR The MAXLEN argument must be >= 0."));
        assertThat(c.call("XTRIM", "s", "MAXLEN", "x")).isEqualTo(NOT_INTEGER);
        assertThat(c.call("XTRIM", "s", "MINID", "x")).isEqualTo(INVALID_ID);
        assertThat(c.call("XRANGE", "s", "-", "+")).isEqualTo(array(entry("1-0", "a", "1")));
    }

    // ---- XLEN, TYPE, XRANGE, XREVRANGE --------------------------------------------------------

    @Test
    void xlenTypeAndEncoding() throws IOException {
        assertThat(c.call("XLEN", "s")).isEqualTo(integer(0));
        assertThat(c.call("XLEN")).isEqualTo(error("ERR wrong number of arguments for 'xlen' command"));
        fill("s", 1, 3);
        assertThat(c.call("XLEN", "s")).isEqualTo(integer(3));
        assertThat(c.call("TYPE", "s")).isEqualTo("+stream\r\n");
        assertThat(c.call("OBJECT", "ENCODING", "s")).isEqualTo(bulk("stream"));
        assertThat(c.call("XGROUP", "CREATE", "e", "g", "$", "MKSTREAM")).isEqualTo(OK);
        assertThat(c.call("TYPE", "e")).isEqualTo("+stream\r\n");
        assertThat(c.call("OBJECT", "ENCODING", "e")).isEqualTo(bulk("stream"));
        assertThat(c.call("XLEN", "e")).isEqualTo(integer(0));
    }

    @Test
    void xrangeAndXrevrangeWithCount() throws IOException {
        add("s", "1-0", "a", "1");
        add("s", "1-5", "b", "2");
        add("s", "2-0", "c", "3");
        add("s", "3-3", "d", "4");
        String e1 = entry("1-0", "a", "1");
        String e2 = entry("1-5", "b", "2");
        String e3 = entry("2-0", "c", "3");
        String e4 = entry("3-3", "d", "4");
        assertThat(c.call("XRANGE", "s", "-", "+")).isEqualTo(array(e1, e2, e3, e4));
        assertThat(c.call("XRANGE", "s", "-", "+", "COUNT", "2")).isEqualTo(array(e1, e2));
        assertThat(c.call("XREVRANGE", "s", "+", "-")).isEqualTo(array(e4, e3, e2, e1));
        assertThat(c.call("XREVRANGE", "s", "+", "-", "COUNT", "1")).isEqualTo(array(e4));
        // COUNT 0 or negative answers a null array, not an empty one.
        assertThat(c.call("XRANGE", "s", "-", "+", "COUNT", "0")).isEqualTo(NULL_ARRAY);
        assertThat(c.call("XRANGE", "s", "-", "+", "COUNT", "-1")).isEqualTo(NULL_ARRAY);
        assertThat(c.call("XREVRANGE", "s", "+", "-", "COUNT", "0")).isEqualTo(NULL_ARRAY);
        assertThat(c.call("XREVRANGE", "s", "+", "-", "COUNT", "-5")).isEqualTo(NULL_ARRAY);
        assertThat(c.call("XRANGE", "s", "-", "+", "COUNT", "abc")).isEqualTo(NOT_INTEGER);
        assertThat(c.call("XRANGE", "s", "-", "+", "COUNT")).isEqualTo(SYNTAX);
        assertThat(c.call("XRANGE", "s", "-", "+", "COUNT", "1", "2")).isEqualTo(SYNTAX);
        assertThat(c.call("XRANGE", "s", "-", "+", "FOO", "1")).isEqualTo(SYNTAX);
        assertThat(c.call("XRANGE", "s", "-")).isEqualTo(error("ERR wrong number of arguments for 'xrange' command"));
        assertThat(c.call("XRANGE", "missing", "-", "+")).isEqualTo(EMPTY);
        assertThat(c.call("XREVRANGE", "missing", "+", "-")).isEqualTo(EMPTY);
    }

    @Test
    void xrangeWithExclusiveAndIncompleteIds() throws IOException {
        add("s", "1-0", "a", "1");
        add("s", "1-5", "b", "2");
        add("s", "2-0", "c", "3");
        add("s", "3-3", "d", "4");
        String e1 = entry("1-0", "a", "1");
        String e2 = entry("1-5", "b", "2");
        String e3 = entry("2-0", "c", "3");
        String e4 = entry("3-3", "d", "4");
        // An incomplete id is <ms>-0 as a start and <ms>-max as an end.
        assertThat(c.call("XRANGE", "s", "1", "1")).isEqualTo(array(e1, e2));
        assertThat(c.call("XRANGE", "s", "2", "3")).isEqualTo(array(e3, e4));
        assertThat(c.call("XREVRANGE", "s", "2", "1")).isEqualTo(array(e3, e2, e1));
        assertThat(c.call("XRANGE", "s", "(1-0", "+")).isEqualTo(array(e2, e3, e4));
        assertThat(c.call("XRANGE", "s", "(1", "+")).isEqualTo(array(e2, e3, e4));
        assertThat(c.call("XRANGE", "s", "-", "(2-0")).isEqualTo(array(e1, e2));
        assertThat(c.call("XRANGE", "s", "(1-5", "(3-3")).isEqualTo(array(e3));
        assertThat(c.call("XREVRANGE", "s", "(2-0", "(1-0")).isEqualTo(array(e2));
        assertThat(c.call("XREVRANGE", "s", "(2", "-")).isEqualTo(array(e3, e2, e1)); // (2 excludes 2-max only
        // Start after end: empty, not an error.
        assertThat(c.call("XRANGE", "s", "3", "1")).isEqualTo(EMPTY);
        assertThat(c.call("XRANGE", "s", "+", "-")).isEqualTo(EMPTY);
        assertThat(c.call("XREVRANGE", "s", "-", "+")).isEqualTo(EMPTY);
        assertThat(c.call("XRANGE", "s", "(3-3", "+")).isEqualTo(EMPTY);
        assertThat(c.call("XRANGE", "s", "-", "(0")).isEqualTo(EMPTY);
        // Exclusive bounds that cannot be stepped over.
        assertThat(c.call("XRANGE", "s", "-", "(0-0")).isEqualTo(error("ERR invalid end ID for the interval"));
        assertThat(c.call("XRANGE", "s", "(18446744073709551615-18446744073709551615", "+"))
                .isEqualTo(error("ERR invalid start ID for the interval"));
        for (String bad : List.of("(", "(-", "(+", "abc", "1-*", "18446744073709551616")) {
            assertThat(c.call("XRANGE", "s", bad, "+")).as(bad).isEqualTo(INVALID_ID);
        }
    }

    // ---- XDEL, XTRIM, XSETID ------------------------------------------------------------------

    @Test
    void xdelExistingAndMissingIds() throws IOException {
        fill("s", 1, 3);
        assertThat(c.call("XDEL", "s", "2-0")).isEqualTo(integer(1));
        assertThat(c.call("XDEL", "s", "2-0", "1-0", "9-0")).isEqualTo(integer(1));
        assertThat(c.call("XDEL", "s", "3-0", "abc")).isEqualTo(INVALID_ID); // all ids parsed first
        assertThat(c.call("XLEN", "s")).isEqualTo(integer(1));
        assertThat(c.call("XDEL", "s", "3")).isEqualTo(integer(1)); // 3 is 3-0
        assertThat(c.call("XLEN", "s")).isEqualTo(integer(0));
        assertThat(c.call("EXISTS", "s")).isEqualTo(integer(1)); // an emptied stream stays
        assertThat(c.call("XDEL", "missing", "1-0")).isEqualTo(integer(0));
        assertThat(c.call("XDEL", "s")).isEqualTo(error("ERR wrong number of arguments for 'xdel' command"));
        Map<String, Object> info = infoStream("s");
        assertThat(info.get("max-deleted-entry-id")).isEqualTo("3-0");
        assertThat(info.get("entries-added")).isEqualTo(3L);
        assertThat(info.get("recorded-first-entry-id")).isEqualTo("0-0");
        assertThat(info.get("first-entry")).isNull();
        assertThat(info.get("last-entry")).isNull();
    }

    @Test
    void xdelThenXaddKeepsIdsMonotonic() throws IOException {
        fill("s", 1, 3);
        assertThat(c.call("XDEL", "s", "3-0")).isEqualTo(integer(1));
        assertThat(c.call("XADD", "s", "3-0", "f", "again")).isEqualTo(NOT_GREATER);
        assertThat(c.call("XADD", "s", "2-5", "f", "between")).isEqualTo(NOT_GREATER);
        assertThat(c.call("XADD", "s", "3-*", "f", "x")).isEqualTo(bulk("3-1"));
        String auto = (String) RespValue.parse(c.call("XADD", "s", "*", "f", "y"));
        assertThat(Long.parseLong(auto.split("-")[0])).isGreaterThan(3);
        assertThat(c.call("XDEL", "s", auto)).isEqualTo(integer(1));
        assertThat(c.call("XADD", "s", auto, "f", "z")).isEqualTo(NOT_GREATER);
        Map<String, Object> info = infoStream("s");
        assertThat(info.get("last-generated-id")).isEqualTo(auto);
        assertThat(info.get("max-deleted-entry-id")).isEqualTo(auto);
        assertThat(info.get("entries-added")).isEqualTo(5L);
        assertThat(info.get("length")).isEqualTo(3L);
        assertThat(idsOf(c.call("XRANGE", "s", "-", "+"))).containsExactly("1-0", "2-0", "3-1");
    }

    @Test
    void xtrimExactly() throws IOException {
        fill("s", 1, 10);
        assertThat(c.call("XTRIM", "s", "MAXLEN", "8")).isEqualTo(integer(2));
        assertThat(c.call("XTRIM", "s", "MAXLEN", "=", "6")).isEqualTo(integer(2));
        assertThat(c.call("XTRIM", "s", "MAXLEN", "6")).isEqualTo(integer(0));
        assertThat(idsOf(c.call("XRANGE", "s", "-", "+"))).containsExactly("5-0", "6-0", "7-0", "8-0", "9-0", "10-0");
        assertThat(c.call("XTRIM", "s", "MINID", "7")).isEqualTo(integer(2));
        assertThat(c.call("XTRIM", "s", "MINID", "=", "8-0")).isEqualTo(integer(1));
        assertThat(c.call("XTRIM", "s", "MINID", "1-0")).isEqualTo(integer(0));
        assertThat(idsOf(c.call("XRANGE", "s", "-", "+"))).containsExactly("8-0", "9-0", "10-0");
        assertThat(c.call("XTRIM", "s", "MINID", "300")).isEqualTo(integer(3));
        assertThat(c.call("XLEN", "s")).isEqualTo(integer(0));
        assertThat(c.call("EXISTS", "s")).isEqualTo(integer(1));
        assertThat(infoStream("s").get("last-generated-id")).isEqualTo("10-0");
        assertThat(c.call("XTRIM", "missing", "MAXLEN", "0")).isEqualTo(integer(0));
        assertThat(c.call("EXISTS", "missing")).isEqualTo(integer(0));
    }

    @Test
    void xtrimApproximatelyAndWithLimit() throws IOException {
        fill("s", 1, 250); // nodes of 100, 100 and 50 entries
        assertThat(c.call("XTRIM", "s", "MAXLEN", "~", "180")).isEqualTo(integer(0));
        assertThat(c.call("XTRIM", "s", "MAXLEN", "~", "140")).isEqualTo(integer(100));
        assertThat(c.call("XRANGE", "s", "-", "+", "COUNT", "1")).isEqualTo(array(entry("101-0", "f", "101")));
        assertThat(c.call("XTRIM", "s", "MAXLEN", "~", "10", "LIMIT", "50")).isEqualTo(integer(0));
        assertThat(c.call("XTRIM", "s", "MAXLEN", "~", "10", "LIMIT", "100")).isEqualTo(integer(100));
        assertThat(c.call("XLEN", "s")).isEqualTo(integer(50));
        assertThat(c.call("XTRIM", "s", "MAXLEN", "10")).isEqualTo(integer(40));
        assertThat(c.call("XRANGE", "s", "-", "+", "COUNT", "1")).isEqualTo(array(entry("241-0", "f", "241")));
        assertThat(c.call("XTRIM", "s", "MINID", "245")).isEqualTo(integer(4));
        assertThat(c.call("XTRIM", "s", "MINID", "~", "300")).isEqualTo(integer(6)); // the whole last node
        assertThat(c.call("XLEN", "s")).isEqualTo(integer(0));
    }

    @Test
    void xsetidMovesTheTopAndSetsCounters() throws IOException {
        add("s", "1-0", "a", "1");
        add("s", "2-0", "b", "2");
        assertThat(c.call("XSETID", "s", "5-0")).isEqualTo(OK);
        assertThat(c.call("XADD", "s", "5-0", "c", "3")).isEqualTo(NOT_GREATER);
        assertThat(c.call("XADD", "s", "5-*", "c", "3")).isEqualTo(bulk("5-1"));
        assertThat(c.call("XSETID", "s", "5-1")).isEqualTo(OK); // equal to the top is fine
        assertThat(c.call("XSETID", "s", "10-0", "ENTRIESADDED", "10", "MAXDELETEDID", "3-0")).isEqualTo(OK);
        assertThat(c.call("XINFO", "STREAM", "s")).isEqualTo(array(
                bulk("length"), integer(3),
                bulk("radix-tree-keys"), integer(1),
                bulk("radix-tree-nodes"), integer(2),
                bulk("last-generated-id"), bulk("10-0"),
                bulk("max-deleted-entry-id"), bulk("3-0"),
                bulk("entries-added"), integer(10),
                bulk("recorded-first-entry-id"), bulk("1-0"),
                bulk("groups"), integer(0),
                bulk("first-entry"), entry("1-0", "a", "1"),
                bulk("last-entry"), entry("5-1", "c", "3")));
        // An empty stream's top may even move backwards.
        assertThat(c.call("XADD", "e", "1-0", "a", "1")).isEqualTo(bulk("1-0"));
        assertThat(c.call("XDEL", "e", "1-0")).isEqualTo(integer(1));
        assertThat(c.call("XSETID", "e", "0-5")).isEqualTo(OK);
        assertThat(infoStream("e").get("last-generated-id")).isEqualTo("0-5");
        assertThat(c.call("XADD", "e", "0-6", "a", "1")).isEqualTo(bulk("0-6"));
    }

    @Test
    void xsetidErrors() throws IOException {
        add("s", "1-0", "a", "1");
        add("s", "5-1", "b", "2");
        String smaller = error("ERR The ID specified in XSETID is smaller than the target stream top item");
        assertThat(c.call("XSETID", "s", "4-0")).isEqualTo(smaller);
        assertThat(c.call("XSETID", "s", "5")).isEqualTo(smaller); // 5 is 5-0
        assertThat(c.call("XSETID", "s", "11-0", "ENTRIESADDED", "1"))
                .isEqualTo(error("ERR The entries_added specified in XSETID is smaller than the target stream length"));
        assertThat(c.call("XSETID", "s", "11-0", "ENTRIESADDED", "-1")).isEqualTo(error("ERR entries_added must be positive"));
        assertThat(c.call("XSETID", "s", "11-0", "MAXDELETEDID", "20-0"))
                .isEqualTo(error("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id"));
        assertThat(c.call("XSETID", "s", "11-0", "ENTRIESADDED", "abc")).isEqualTo(NOT_INTEGER);
        assertThat(c.call("XSETID", "s", "11-0", "MAXDELETEDID", "abc")).isEqualTo(INVALID_ID);
        assertThat(c.call("XSETID", "s", "11-0", "FOO")).isEqualTo(SYNTAX);
        assertThat(c.call("XSETID", "s", "11-0", "ENTRIESADDED")).isEqualTo(SYNTAX);
        assertThat(c.call("XSETID", "s", "abc")).isEqualTo(INVALID_ID);
        assertThat(c.call("XSETID", "s", "*")).isEqualTo(INVALID_ID);
        assertThat(c.call("XSETID", "s")).isEqualTo(error("ERR wrong number of arguments for 'xsetid' command"));
        assertThat(c.call("XSETID", "missing", "1-0")).isEqualTo(error("ERR no such key"));
        assertThat(infoStream("s").get("last-generated-id")).isEqualTo("5-1");
    }

    // ---- XREAD --------------------------------------------------------------------------------

    @Test
    void xreadFromOneAndSeveralStreams() throws IOException {
        add("a", "1-0", "f", "1");
        add("a", "2-0", "f", "2");
        add("b", "1-0", "g", "1");
        String a1 = entry("1-0", "f", "1");
        String a2 = entry("2-0", "f", "2");
        String b1 = entry("1-0", "g", "1");
        assertThat(c.call("XREAD", "STREAMS", "a", "0")).isEqualTo(array(stream("a", a1, a2)));
        assertThat(c.call("XREAD", "COUNT", "1", "STREAMS", "a", "b", "0", "0")).isEqualTo(array(stream("a", a1), stream("b", b1)));
        assertThat(c.call("XREAD", "STREAMS", "a", "b", "1", "1")).isEqualTo(array(stream("a", a2))); // b has nothing after 1-0
        assertThat(c.call("XREAD", "STREAMS", "a", "missing", "0", "0")).isEqualTo(array(stream("a", a1, a2)));
        assertThat(c.call("XREAD", "COUNT", "0", "STREAMS", "a", "0")).isEqualTo(array(stream("a", a1, a2))); // no limit
        assertThat(c.call("XREAD", "COUNT", "-1", "STREAMS", "a", "0")).isEqualTo(array(stream("a", a1, a2)));
        assertThat(c.call("XREAD", "STREAMS", "a", "b", "2", "1-0")).isEqualTo(NULL_ARRAY);
        assertThat(c.call("XREAD", "STREAMS", "a", "$")).isEqualTo(NULL_ARRAY);
        assertThat(c.call("XREAD", "STREAMS", "missing", "0")).isEqualTo(NULL_ARRAY);
        assertThat(c.call("XREAD", "BLOCK", "0", "STREAMS", "a", "1")).isEqualTo(array(stream("a", a2))); // data at hand: no wait
    }

    @Test
    void xreadErrors() throws IOException {
        add("a", "1-0", "f", "1");
        String unbalanced = error("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
        assertThat(c.call("XREAD", "STREAMS", "a", "b", "0")).isEqualTo(unbalanced);
        assertThat(c.call("XREAD", "STREAMS", "a", "0", "STREAMS")).isEqualTo(unbalanced);
        assertThat(c.call("XREAD", "STREAMS", "a")).isEqualTo(error("ERR wrong number of arguments for 'xread' command"));
        assertThat(c.call("XREAD")).isEqualTo(error("ERR wrong number of arguments for 'xread' command"));
        assertThat(c.call("XREAD", "COUNT", "1", "a", "0")).isEqualTo(SYNTAX);
        assertThat(c.call("XREAD", "FOO", "STREAMS", "a", "0")).isEqualTo(SYNTAX);
        assertThat(c.call("XREAD", "COUNT", "abc", "STREAMS", "a", "0")).isEqualTo(NOT_INTEGER);
        assertThat(c.call("XREAD", "BLOCK", "-1", "STREAMS", "a", "0")).isEqualTo(error("ERR timeout is negative"));
        assertThat(c.call("XREAD", "BLOCK", "abc", "STREAMS", "a", "0")).isEqualTo(error("ERR timeout is not an integer or out of range"));
        assertThat(c.call("XREAD", "STREAMS", "a", ">")).isEqualTo(
                error("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option."));
        assertThat(c.call("XREAD", "NOACK", "STREAMS", "a", "0"))
                .isEqualTo(error("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead."));
        for (String bad : List.of("abc", "+", "-", "(1")) {
            assertThat(c.call("XREAD", "STREAMS", "a", bad)).as(bad).isEqualTo(INVALID_ID);
        }
    }

    // ---- blocking reads -----------------------------------------------------------------------

    @Test
    void xreadBlockIsWokenByAnXaddFromAnotherConnection() throws IOException {
        add("s", "1-0", "a", "1");
        RespConnection w = block(0, "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
        assertThat(c.call("XADD", "s", "2-0", "b", "2")).isEqualTo(bulk("2-0"));
        assertThat(w.readReply()).isEqualTo(array(stream("s", entry("2-0", "b", "2"))));
        assertThat(blocked()).isZero();

        // A waiter on a key that does not exist yet, woken by the key that gets an entry.
        RespConnection w2 = block(0, "XREAD", "BLOCK", "0", "STREAMS", "s", "new", "$", "$");
        assertThat(c.call("XADD", "new", "7-0", "n", "7")).isEqualTo(bulk("7-0"));
        assertThat(w2.readReply()).isEqualTo(array(stream("new", entry("7-0", "n", "7"))));

        // Entries added in one transaction reach the waiter together (COUNT still applies).
        RespConnection w3 = block(0, "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
        RespConnection w4 = block(1, "XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", "$");
        assertThat(c.call("MULTI")).isEqualTo(OK);
        c.call("XADD", "s", "3-0", "c", "3");
        c.call("XADD", "s", "4-0", "d", "4");
        assertThat(c.call("EXEC")).isEqualTo(ids("3-0", "4-0"));
        assertThat(w3.readReply()).isEqualTo(array(stream("s", entry("3-0", "c", "3"), entry("4-0", "d", "4"))));
        assertThat(w4.readReply()).isEqualTo(array(stream("s", entry("3-0", "c", "3"))));
    }

    @Test
    void xreadBlockWaitsForAnIdAfterTheTopItSawAtFirst() throws IOException {
        add("s", "5-0", "a", "1");
        RespConnection w = block(0, "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
        assertThat(c.call("XDEL", "s", "5-0")).isEqualTo(integer(1));
        assertThat(c.call("XSETID", "s", "3-0")).isEqualTo(OK);
        assertThat(c.call("XADD", "s", "4-0", "b", "2")).isEqualTo(bulk("4-0")); // not after 5-0: keeps waiting
        assertThat(blocked()).isEqualTo(1);
        assertThat(c.call("XADD", "s", "6-0", "c", "3")).isEqualTo(bulk("6-0"));
        assertThat(w.readReply()).isEqualTo(array(stream("s", entry("6-0", "c", "3"))));
    }

    @Test
    void blockTimeoutsAnswerNullArrays() throws IOException {
        add("s", "1-0", "a", "1");
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "$")).isEqualTo(OK);
        assertThat(c.call("XREAD", "BLOCK", "50", "STREAMS", "s", "$")).isEqualTo(NULL_ARRAY);
        assertThat(c.call("XREAD", "BLOCK", "50", "STREAMS", "missing", "0")).isEqualTo(NULL_ARRAY);
        assertThat(c.call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "50", "STREAMS", "s", ">")).isEqualTo(NULL_ARRAY);
        // A history read never blocks: it answers the (empty) pending list at once.
        assertThat(c.call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", "0")).isEqualTo(array(stream("s")));
        assertThat(blocked()).isZero();
    }

    @Test
    void blockingReadsInsideMultiDoNotBlock() throws IOException {
        add("s", "1-0", "a", "1");
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "$")).isEqualTo(OK);
        assertThat(c.call("MULTI")).isEqualTo(OK);
        assertThat(c.call("XREAD", "BLOCK", "0", "STREAMS", "s", "$")).isEqualTo("+QUEUED\r\n");
        assertThat(c.call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")).isEqualTo("+QUEUED\r\n");
        assertThat(c.call("XREAD", "BLOCK", "0", "STREAMS", "s", "0")).isEqualTo("+QUEUED\r\n");
        assertThat(c.call("EXEC")).isEqualTo(array(NULL_ARRAY, NULL_ARRAY, array(stream("s", entry("1-0", "a", "1")))));
    }

    @Test
    void xreadgroupBlockIsWokenAndEachEntryGoesToOneConsumer() throws IOException {
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")).isEqualTo(OK);
        RespConnection alice = block(0, "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
        RespConnection bob = block(1, "XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "s", ">");
        assertThat(c.call("XADD", "s", "1-0", "a", "1")).isEqualTo(bulk("1-0"));
        assertThat(alice.readReply()).isEqualTo(array(stream("s", entry("1-0", "a", "1"))));
        assertThat(blocked()).isEqualTo(1);
        assertThat(c.call("XADD", "s", "2-0", "b", "2")).isEqualTo(bulk("2-0"));
        assertThat(bob.readReply()).isEqualTo(array(stream("s", entry("2-0", "b", "2"))));
        assertThat(c.call("XPENDING", "s", "g")).isEqualTo(array(integer(2), bulk("1-0"), bulk("2-0"),
                array(array(bulk("alice"), bulk("1")), array(bulk("bob"), bulk("1")))));

        RespConnection noack = block(0, "XREADGROUP", "GROUP", "g", "carol", "NOACK", "BLOCK", "0", "STREAMS", "s", ">");
        assertThat(c.call("XADD", "s", "3-0", "c", "3")).isEqualTo(bulk("3-0"));
        assertThat(noack.readReply()).isEqualTo(array(stream("s", entry("3-0", "c", "3"))));
        assertThat(c.call("XPENDING", "s", "g")).isEqualTo(array(integer(2), bulk("1-0"), bulk("2-0"),
                array(array(bulk("alice"), bulk("1")), array(bulk("bob"), bulk("1")))));
        assertThat(infoGroup("s", "g").get("last-delivered-id")).isEqualTo("3-0");
    }

    @Test
    void aBlockedXreadgroupFailsWhenItsKeyOrGroupGoes() throws IOException {
        add("s", "1-0", "a", "1");
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "$")).isEqualTo(OK);
        RespConnection w = block(0, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
        assertThat(c.call("XGROUP", "DESTROY", "s", "g")).isEqualTo(integer(1));
        assertThat(w.readReply()).isEqualTo(error("NOGROUP the consumer group this client was blocked on no longer exists"));

        assertThat(c.call("XGROUP", "CREATE", "s", "g", "$")).isEqualTo(OK);
        RespConnection w2 = block(0, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
        assertThat(c.call("DEL", "s")).isEqualTo(integer(1));
        assertThat(w2.readReply()).isEqualTo(error("UNBLOCKED the stream key no longer exists"));

        add("s", "1-0", "a", "1");
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "$")).isEqualTo(OK);
        RespConnection w3 = block(0, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
        assertThat(c.call("SET", "s", "now a string")).isEqualTo(OK);
        assertThat(w3.readReply()).isEqualTo(error("UNBLOCKED the stream key no longer exists"));
        assertThat(blocked()).isZero();
    }

    // ---- XGROUP -------------------------------------------------------------------------------

    @Test
    void xgroupCreate() throws IOException {
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "$")).isEqualTo(NO_KEY_FOR_XGROUP);
        assertThat(c.call("EXISTS", "s")).isEqualTo(integer(0));
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")).isEqualTo(OK);
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")).isEqualTo(error("BUSYGROUP Consumer Group name already exists"));
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "0")).isEqualTo(error("BUSYGROUP Consumer Group name already exists"));
        add("s", "1-0", "a", "1");
        assertThat(c.call("XGROUP", "CREATE", "s", "at-top", "$")).isEqualTo(OK);
        assertThat(c.call("XGROUP", "CREATE", "s", "from-start", "0")).isEqualTo(OK);
        assertThat(c.call("XGROUP", "CREATE", "s", "ahead", "5")).isEqualTo(OK);
        assertThat(c.call("XGROUP", "CREATE", "s", "counted", "0", "ENTRIESREAD", "1")).isEqualTo(OK);
        assertThat(c.call("XGROUP", "CREATE", "s", "uncounted", "0", "ENTRIESREAD", "-1")).isEqualTo(OK);
        // Groups are listed by name, not by creation.
        assertThat(c.call("XINFO", "GROUPS", "s")).isEqualTo(array(
                group("ahead", 0, 0, "5-0", NIL, NIL), // beyond the top: no lag
                group("at-top", 0, 0, "1-0", NIL, integer(0)),
                group("counted", 0, 0, "0-0", integer(1), integer(0)),
                group("from-start", 0, 0, "0-0", NIL, integer(1)),
                group("g", 0, 0, "0-0", NIL, integer(1)),
                group("uncounted", 0, 0, "0-0", NIL, integer(1))));
        assertThat(infoStream("s").get("groups")).isEqualTo(6L);
    }

    /** One group of XINFO GROUPS. */
    static String group(String name, long consumers, long pending, String lastDelivered, String entriesRead, String lag) {
        return array(bulk("name"), bulk(name), bulk("consumers"), integer(consumers), bulk("pending"), integer(pending),
                bulk("last-delivered-id"), bulk(lastDelivered), bulk("entries-read"), entriesRead, bulk("lag"), lag);
    }

    @Test
    void xgroupCreateErrors() throws IOException {
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")).isEqualTo(OK);
        for (String bad : List.of("abc", ">", "+", "-")) {
            assertThat(c.call("XGROUP", "CREATE", "s", "g2", bad)).as(bad).isEqualTo(INVALID_ID);
        }
        String entriesRead = error("ERR value for ENTRIESREAD must be positive or -1");
        assertThat(c.call("XGROUP", "CREATE", "s", "g2", "$", "ENTRIESREAD", "-2")).isEqualTo(entriesRead);
        assertThat(c.call("XGROUP", "CREATE", "s", "g2", "$", "ENTRIESREAD", "abc")).isEqualTo(NOT_INTEGER);
        assertThat(c.call("XGROUP", "CREATE", "s", "g2", "$", "FOO"))
                .isEqualTo(error("ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP."));
        assertThat(c.call("XGROUP", "CREATE", "s", "g2")).isEqualTo(error("ERR wrong number of arguments for 'xgroup|create' command"));
        assertThat(c.call("XGROUP", "FOO", "s", "g")).isEqualTo(error("ERR unknown subcommand 'FOO'. Try XGROUP HELP."));
        assertThat(c.call("XGROUP")).isEqualTo(error("ERR wrong number of arguments for 'xgroup' command"));
        assertThat(c.call("XGROUP", "DESTROY", "s")).isEqualTo(error("ERR wrong number of arguments for 'xgroup|destroy' command"));
        assertThat(c.call("XGROUP", "CREATECONSUMER", "s", "g"))
                .isEqualTo(error("ERR wrong number of arguments for 'xgroup|createconsumer' command"));
        assertThat(c.call("XINFO", "GROUPS", "s")).isEqualTo(array(group("g", 0, 0, "0-0", NIL, integer(0))));
        List<Object> help = RespValue.list(c.call("XGROUP", "HELP"));
        assertThat((String) help.get(0)).startsWith("XGROUP <subcommand>");
        assertThat(help).hasSizeGreaterThan(5);
    }

    @Test
    void xgroupSetidDestroyAndConsumers() throws IOException {
        fill("s", 1, 3);
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "0")).isEqualTo(OK);
        assertThat(c.call("XGROUP", "SETID", "s", "g", "2-0")).isEqualTo(OK);
        assertThat(c.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">")).isEqualTo(array(stream("s", entry("3-0", "f", "3"))));
        assertThat(c.call("XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", "0")).isEqualTo(OK);
        assertThat(infoGroup("s", "g")).containsEntry("last-delivered-id", "0-0").containsEntry("entries-read", 0L)
                .containsEntry("lag", 3L);
        assertThat(c.call("XGROUP", "SETID", "s", "g", "$")).isEqualTo(OK);
        assertThat(infoGroup("s", "g")).containsEntry("last-delivered-id", "3-0").containsEntry("lag", 0L);
        assertThat(c.call("XGROUP", "SETID", "s", "g", "abc")).isEqualTo(INVALID_ID);
        assertThat(c.call("XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", "-5"))
                .isEqualTo(error("ERR value for ENTRIESREAD must be positive or -1"));
        assertThat(c.call("XGROUP", "SETID", "s", "g", "0", "FOO"))
                .isEqualTo(error("ERR unknown subcommand or wrong number of arguments for 'SETID'. Try XGROUP HELP."));
        String noGroup = error("NOGROUP No such consumer group 'nog' for key name 's'");
        assertThat(c.call("XGROUP", "SETID", "s", "nog", "0")).isEqualTo(noGroup);
        assertThat(c.call("XGROUP", "SETID", "missing", "g", "0")).isEqualTo(NO_KEY_FOR_XGROUP);

        assertThat(c.call("XGROUP", "CREATECONSUMER", "s", "g", "bob")).isEqualTo(integer(1));
        assertThat(c.call("XGROUP", "CREATECONSUMER", "s", "g", "bob")).isEqualTo(integer(0));
        assertThat(c.call("XGROUP", "CREATECONSUMER", "s", "nog", "bob")).isEqualTo(noGroup);
        assertThat(c.call("XGROUP", "CREATECONSUMER", "missing", "g", "bob")).isEqualTo(NO_KEY_FOR_XGROUP);
        assertThat(infoGroup("s", "g")).containsEntry("consumers", 2L).containsEntry("pending", 1L);
        assertThat(c.call("XGROUP", "DELCONSUMER", "s", "g", "alice")).isEqualTo(integer(1)); // its pending count
        assertThat(c.call("XGROUP", "DELCONSUMER", "s", "g", "alice")).isEqualTo(integer(0));
        assertThat(c.call("XGROUP", "DELCONSUMER", "s", "g", "bob")).isEqualTo(integer(0));
        assertThat(c.call("XGROUP", "DELCONSUMER", "s", "nog", "bob")).isEqualTo(noGroup);
        assertThat(c.call("XGROUP", "DELCONSUMER", "missing", "g", "bob")).isEqualTo(NO_KEY_FOR_XGROUP);
        assertThat(infoGroup("s", "g")).containsEntry("consumers", 0L).containsEntry("pending", 0L);
        assertThat(c.call("XPENDING", "s", "g")).isEqualTo(array(integer(0), NIL, NIL, NULL_ARRAY));

        assertThat(c.call("XGROUP", "DESTROY", "s", "g")).isEqualTo(integer(1));
        assertThat(c.call("XGROUP", "DESTROY", "s", "g")).isEqualTo(integer(0));
        assertThat(c.call("XGROUP", "DESTROY", "missing", "g")).isEqualTo(NO_KEY_FOR_XGROUP);
        assertThat(c.call("XINFO", "GROUPS", "s")).isEqualTo(EMPTY);
    }

    @Test
    void xgroupOnAnEmptyStream() throws IOException {
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM", "ENTRIESREAD", "3")).isEqualTo(OK);
        assertThat(c.call("XGROUP", "CREATE", "s", "g2", "7-3", "MKSTREAM")).isEqualTo(OK);
        assertThat(c.call("XINFO", "STREAM", "s")).isEqualTo(array(
                bulk("length"), integer(0),
                bulk("radix-tree-keys"), integer(0),
                bulk("radix-tree-nodes"), integer(1),
                bulk("last-generated-id"), bulk("0-0"),
                bulk("max-deleted-entry-id"), bulk("0-0"),
                bulk("entries-added"), integer(0),
                bulk("recorded-first-entry-id"), bulk("0-0"),
                bulk("groups"), integer(2),
                bulk("first-entry"), NIL,
                bulk("last-entry"), NIL));
        assertThat(c.call("XINFO", "GROUPS", "s")).isEqualTo(array(
                group("g", 0, 0, "0-0", integer(3), integer(0)),
                group("g2", 0, 0, "7-3", NIL, integer(0))));
        assertThat(c.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">")).isEqualTo(NULL_ARRAY);
        add("s", "7-4", "a", "1");
        assertThat(c.call("XREADGROUP", "GROUP", "g2", "c", "STREAMS", "s", ">")).isEqualTo(array(stream("s", entry("7-4", "a", "1"))));
        assertThat(c.call("XINFO", "GROUPS", "s")).isEqualTo(array(
                group("g", 0, 0, "0-0", integer(3), integer(-2)), // entries-read is trusted as given
                group("g2", 1, 1, "7-4", integer(1), integer(0))));
    }

    // ---- XREADGROUP ---------------------------------------------------------------------------

    @Test
    void xreadgroupDeliversNewEntriesAndHistory() throws IOException {
        fill("s", 1, 3);
        String e1 = entry("1-0", "f", "1");
        String e2 = entry("2-0", "f", "2");
        String e3 = entry("3-0", "f", "3");
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "0")).isEqualTo(OK);
        assertThat(c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">")).isEqualTo(array(stream("s", e1, e2)));
        // History: the consumer's own pending entries after the given id.
        assertThat(c.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0")).isEqualTo(array(stream("s", e1, e2)));
        assertThat(c.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "1")).isEqualTo(array(stream("s", e2)));
        assertThat(c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", "0-0")).isEqualTo(array(stream("s", e1)));
        assertThat(c.call("XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", "0")).isEqualTo(array(stream("s")));
        assertThat(c.call("XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">")).isEqualTo(array(stream("s", e3)));
        assertThat(c.call("XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">")).isEqualTo(NULL_ARRAY);
        // Each history read counts as a delivery.
        assertThat(pending("s", "g", "-", "+", "10").stream().map(StreamCommandsContract::stable).toList()).containsExactly(
                List.of("1-0", "alice", 3L), List.of("2-0", "alice", 3L), List.of("3-0", "bob", 1L));
        assertThat(c.call("XINFO", "GROUPS", "s")).isEqualTo(array(group("g", 2, 3, "3-0", integer(3), integer(0))));
    }

    @Test
    void xreadgroupWithNoackAndOverSeveralStreams() throws IOException {
        fill("a", 1, 2);
        fill("b", 1, 1);
        assertThat(c.call("XGROUP", "CREATE", "a", "g", "0")).isEqualTo(OK);
        assertThat(c.call("XGROUP", "CREATE", "b", "g", "0")).isEqualTo(OK);
        assertThat(c.call("XREADGROUP", "GROUP", "g", "c", "NOACK", "COUNT", "1", "STREAMS", "a", "b", ">", ">"))
                .isEqualTo(array(stream("a", entry("1-0", "f", "1")), stream("b", entry("1-0", "f", "1"))));
        assertThat(c.call("XPENDING", "a", "g")).isEqualTo(array(integer(0), NIL, NIL, NULL_ARRAY));
        assertThat(c.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "a", "b", ">", "0"))
                .isEqualTo(array(stream("a", entry("2-0", "f", "2")), stream("b")));
        assertThat(c.call("XPENDING", "a", "g")).isEqualTo(array(integer(1), bulk("2-0"), bulk("2-0"), array(array(bulk("c"), bulk("1")))));
        assertThat(infoGroup("a", "g")).containsEntry("last-delivered-id", "2-0").containsEntry("consumers", 1L);
    }

    @Test
    void xreadgroupErrors() throws IOException {
        fill("s", 1, 1);
        assertThat(c.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"))
                .isEqualTo(error("NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option"));
        assertThat(c.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "missing", ">"))
                .isEqualTo(error("NOGROUP No such key 'missing' or consumer group 'g' in XREADGROUP with GROUP option"));
        assertThat(c.call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "10", "STREAMS", "missing", ">"))
                .isEqualTo(error("NOGROUP No such key 'missing' or consumer group 'g' in XREADGROUP with GROUP option"));
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "0")).isEqualTo(OK);
        assertThat(c.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "t", ">", ">"))
                .isEqualTo(error("NOGROUP No such key 't' or consumer group 'g' in XREADGROUP with GROUP option"));
        assertThat(c.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "$")).isEqualTo(error(
                "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by"
                        + " specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set."));
        assertThat(c.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "abc")).isEqualTo(INVALID_ID);
        assertThat(c.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s"))
                .isEqualTo(error("ERR wrong number of arguments for 'xreadgroup' command"));
        assertThat(c.call("XREADGROUP", "GROUP", "g", "STREAMS", "s", ">"))
                .isEqualTo(error("ERR wrong number of arguments for 'xreadgroup' command"));
        assertThat(c.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "t", ">"))
                .isEqualTo(error("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.")); // sic
        assertThat(c.call("XPENDING", "s", "g")).isEqualTo(array(integer(0), NIL, NIL, NULL_ARRAY));
    }

    @Test
    void aDeletedPendingEntryReadsAsNilInHistory() throws IOException {
        fill("s", 1, 3);
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "0")).isEqualTo(OK);
        c.call("XREADGROUP", "GROUP", "g", "c", "COUNT", "2", "STREAMS", "s", ">");
        assertThat(c.call("XDEL", "s", "1-0")).isEqualTo(integer(1));
        assertThat(c.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "0"))
                .isEqualTo(array(stream("s", array(bulk("1-0"), NULL_ARRAY), entry("2-0", "f", "2"))));
        assertThat(c.call("XREADGROUP", "GROUP", "g", "c", "COUNT", "0", "STREAMS", "s", "0"))
                .isEqualTo(array(stream("s", array(bulk("1-0"), NULL_ARRAY), entry("2-0", "f", "2"))));
        assertThat(c.call("XPENDING", "s", "g")).isEqualTo(array(integer(2), bulk("1-0"), bulk("2-0"), array(array(bulk("c"), bulk("2")))));
        assertThat(c.call("XACK", "s", "g", "1-0")).isEqualTo(integer(1));
        assertThat(c.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "0")).isEqualTo(array(stream("s", entry("2-0", "f", "2"))));
    }

    // ---- XACK, XPENDING -----------------------------------------------------------------------

    @Test
    void xackAndThePendingSummary() throws IOException {
        fill("s", 1, 4);
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "0")).isEqualTo(OK);
        assertThat(c.call("XPENDING", "s", "g")).isEqualTo(array(integer(0), NIL, NIL, NULL_ARRAY));
        c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">");
        c.call("XREADGROUP", "GROUP", "g", "bob", "COUNT", "1", "STREAMS", "s", ">");
        // The per-consumer counts are bulk strings.
        assertThat(c.call("XPENDING", "s", "g")).isEqualTo(array(integer(3), bulk("1-0"), bulk("3-0"),
                array(array(bulk("alice"), bulk("2")), array(bulk("bob"), bulk("1")))));
        assertThat(c.call("XACK", "s", "g", "1-0", "9-0")).isEqualTo(integer(1));
        assertThat(c.call("XACK", "s", "g", "1-0")).isEqualTo(integer(0));
        assertThat(c.call("XACK", "s", "g", "abc")).isEqualTo(INVALID_ID);
        assertThat(c.call("XACK", "s", "g", "2-0", "abc")).isEqualTo(INVALID_ID);
        assertThat(c.call("XACK", "s", "nog", "2-0")).isEqualTo(integer(0));
        assertThat(c.call("XACK", "missing", "g", "2-0")).isEqualTo(integer(0));
        assertThat(c.call("XACK", "s", "g")).isEqualTo(error("ERR wrong number of arguments for 'xack' command"));
        assertThat(c.call("XPENDING", "s", "g")).isEqualTo(array(integer(2), bulk("2-0"), bulk("3-0"),
                array(array(bulk("alice"), bulk("1")), array(bulk("bob"), bulk("1")))));
        assertThat(c.call("XACK", "s", "g", "2-0", "3-0")).isEqualTo(integer(2));
        assertThat(c.call("XPENDING", "s", "g")).isEqualTo(array(integer(0), NIL, NIL, NULL_ARRAY));
        for (Object consumer : RespValue.list(c.call("XINFO", "CONSUMERS", "s", "g"))) {
            assertThat(fields(consumer)).containsEntry("pending", 0L);
        }
        assertThat(c.call("XPENDING", "s", "nog")).isEqualTo(error("NOGROUP No such key 's' or consumer group 'nog'"));
        assertThat(c.call("XPENDING", "missing", "g")).isEqualTo(error("NOGROUP No such key 'missing' or consumer group 'g'"));
        assertThat(c.call("XPENDING", "s")).isEqualTo(error("ERR wrong number of arguments for 'xpending' command"));
    }

    @Test
    void xpendingExtendedForm() throws IOException {
        fill("s", 1, 4);
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "0")).isEqualTo(OK);
        assertThat(c.call("XPENDING", "s", "g", "-", "+", "10")).isEqualTo(EMPTY);
        c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">");
        c.call("XREADGROUP", "GROUP", "g", "bob", "COUNT", "1", "STREAMS", "s", ">");
        c.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0");
        List<List<Object>> all = pending("s", "g", "-", "+", "10");
        assertThat(all.stream().map(StreamCommandsContract::stable).toList()).containsExactly(
                List.of("1-0", "alice", 2L), List.of("2-0", "alice", 2L), List.of("3-0", "bob", 1L));
        for (List<Object> row : all) {
            assertThat((Long) row.get(2)).as("idle of " + row.get(0)).isBetween(0L, 10_000L);
        }
        assertThat(pending("s", "g", "-", "+", "10", "alice").stream().map(StreamCommandsContract::stable).toList())
                .containsExactly(List.of("1-0", "alice", 2L), List.of("2-0", "alice", 2L));
        assertThat(pending("s", "g", "(1-0", "+", "1").stream().map(StreamCommandsContract::stable).toList())
                .containsExactly(List.of("2-0", "alice", 2L));
        assertThat(pending("s", "g", "-", "(3-0", "10").stream().map(StreamCommandsContract::stable).toList())
                .containsExactly(List.of("1-0", "alice", 2L), List.of("2-0", "alice", 2L));
        assertThat(pending("s", "g", "IDLE", "0", "-", "+", "10", "bob").stream().map(StreamCommandsContract::stable).toList())
                .containsExactly(List.of("3-0", "bob", 1L));
        assertThat(c.call("XPENDING", "s", "g", "IDLE", "3600000", "-", "+", "10")).isEqualTo(EMPTY);
        assertThat(c.call("XPENDING", "s", "g", "-", "+", "10", "nobody")).isEqualTo(EMPTY);
        assertThat(c.call("XPENDING", "s", "g", "-", "+", "0")).isEqualTo(EMPTY);
        assertThat(c.call("XPENDING", "s", "g", "-", "+", "-1")).isEqualTo(EMPTY);
        assertThat(c.call("XPENDING", "s", "g", "2", "1", "10")).isEqualTo(EMPTY);
        assertThat(c.call("XPENDING", "s", "g", "-", "+")).isEqualTo(SYNTAX);
        assertThat(c.call("XPENDING", "s", "g", "IDLE", "5")).isEqualTo(SYNTAX);
        assertThat(c.call("XPENDING", "s", "g", "-", "+", "abc")).isEqualTo(NOT_INTEGER);
        assertThat(c.call("XPENDING", "s", "g", "IDLE", "abc", "-", "+", "10")).isEqualTo(NOT_INTEGER);
        assertThat(c.call("XPENDING", "s", "nog", "-", "+", "10")).isEqualTo(error("NOGROUP No such key 's' or consumer group 'nog'"));
    }

    // ---- XCLAIM, XAUTOCLAIM -------------------------------------------------------------------

    @Test
    void xclaimTransfersOwnership() throws IOException {
        fill("s", 1, 4);
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "0")).isEqualTo(OK);
        c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "3", "STREAMS", "s", ">");
        // Not idle long enough: nothing moves, and no consumer is created.
        assertThat(c.call("XCLAIM", "s", "g", "bob", "3600000", "1-0")).isEqualTo(EMPTY);
        assertThat(RespValue.list(c.call("XINFO", "CONSUMERS", "s", "g"))).hasSize(1);
        assertThat(c.call("XCLAIM", "s", "g", "bob", "0", "1-0")).isEqualTo(array(entry("1-0", "f", "1")));
        // JUSTID does not count a delivery.
        assertThat(c.call("XCLAIM", "s", "g", "bob", "0", "1-0", "2-0", "JUSTID")).isEqualTo(ids("1-0", "2-0"));
        assertThat(pending("s", "g", "-", "+", "10").stream().map(StreamCommandsContract::stable).toList()).containsExactly(
                List.of("1-0", "bob", 2L), List.of("2-0", "bob", 1L), List.of("3-0", "alice", 1L));

        assertThat(c.call("XCLAIM", "s", "g", "carol", "0", "2-0", "IDLE", "5000", "RETRYCOUNT", "7"))
                .isEqualTo(array(entry("2-0", "f", "2")));
        List<Object> claimed = pending("s", "g", "2-0", "2-0", "1").get(0);
        assertThat(stable(claimed)).isEqualTo(List.of("2-0", "carol", 7L));
        assertThat((Long) claimed.get(2)).isBetween(5000L, 15_000L);

        long aMinuteAgo = System.currentTimeMillis() - 60_000;
        assertThat(c.call("XCLAIM", "s", "g", "dave", "0", "3-0", "TIME", Long.toString(aMinuteAgo), "JUSTID")).isEqualTo(ids("3-0"));
        claimed = pending("s", "g", "3-0", "3-0", "1").get(0);
        assertThat(stable(claimed)).isEqualTo(List.of("3-0", "dave", 1L));
        assertThat((Long) claimed.get(2)).isBetween(59_000L, 70_000L);

        // FORCE creates a pending entry for an existing, never delivered entry only.
        assertThat(c.call("XCLAIM", "s", "g", "carol", "0", "4-0")).isEqualTo(EMPTY);
        assertThat(c.call("XCLAIM", "s", "g", "carol", "0", "4-0", "FORCE")).isEqualTo(array(entry("4-0", "f", "4")));
        assertThat(c.call("XCLAIM", "s", "g", "carol", "0", "9-0", "FORCE")).isEqualTo(EMPTY);
        assertThat(stable(pending("s", "g", "4-0", "4-0", "1").get(0))).isEqualTo(List.of("4-0", "carol", 2L));

        assertThat(c.call("XCLAIM", "s", "g", "dave", "0", "3-0", "LASTID", "10-0", "JUSTID")).isEqualTo(ids("3-0"));
        assertThat(infoGroup("s", "g").get("last-delivered-id")).isEqualTo("10-0");
        assertThat(c.call("XCLAIM", "s", "g", "dave", "0", "3-0", "LASTID", "5-0", "JUSTID")).isEqualTo(ids("3-0"));
        assertThat(infoGroup("s", "g").get("last-delivered-id")).isEqualTo("10-0"); // never moves back

        // A deleted entry is dropped from the reply and from the pending list.
        assertThat(c.call("XDEL", "s", "1-0")).isEqualTo(integer(1));
        assertThat(c.call("XCLAIM", "s", "g", "dave", "0", "1-0", "2-0")).isEqualTo(array(entry("2-0", "f", "2")));
        assertThat(pending("s", "g", "-", "+", "10").stream().map(StreamCommandsContract::stable).toList()).containsExactly(
                List.of("2-0", "dave", 8L), List.of("3-0", "dave", 1L), List.of("4-0", "carol", 2L));
        assertThat(c.call("XPENDING", "s", "g")).isEqualTo(array(integer(3), bulk("2-0"), bulk("4-0"),
                array(array(bulk("carol"), bulk("1")), array(bulk("dave"), bulk("2")))));
    }

    @Test
    void claimErrors() throws IOException {
        fill("s", 1, 1);
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "0")).isEqualTo(OK);
        c.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">");
        assertThat(c.call("XCLAIM", "s", "g", "bob", "abc", "1-0")).isEqualTo(error("ERR Invalid min-idle-time argument for XCLAIM"));
        assertThat(c.call("XCLAIM", "s", "g", "bob", "0", "abc")).isEqualTo(error("ERR Unrecognized XCLAIM option 'abc'"));
        assertThat(c.call("XCLAIM", "s", "g", "bob", "0", "1-0", "FOO")).isEqualTo(error("ERR Unrecognized XCLAIM option 'FOO'"));
        assertThat(c.call("XCLAIM", "s", "g", "bob", "0", "1-0", "IDLE", "abc")).isEqualTo(error("ERR Invalid IDLE option argument for XCLAIM"));
        assertThat(c.call("XCLAIM", "s", "g", "bob", "0", "1-0", "LASTID", "abc")).isEqualTo(INVALID_ID);
        assertThat(c.call("XCLAIM", "s", "g", "bob", "0")).isEqualTo(error("ERR wrong number of arguments for 'xclaim' command"));
        assertThat(c.call("XCLAIM", "s", "nog", "bob", "0", "1-0")).isEqualTo(error("NOGROUP No such key 's' or consumer group 'nog'"));
        assertThat(c.call("XCLAIM", "missing", "g", "bob", "0", "1-0")).isEqualTo(error("NOGROUP No such key 'missing' or consumer group 'g'"));
        String count = error("ERR COUNT must be > 0");
        assertThat(c.call("XAUTOCLAIM", "s", "g", "bob", "0", "0", "COUNT", "0")).isEqualTo(count);
        assertThat(c.call("XAUTOCLAIM", "s", "g", "bob", "0", "0", "COUNT", "-1")).isEqualTo(count);
        assertThat(c.call("XAUTOCLAIM", "s", "g", "bob", "0", "0", "COUNT", "abc")).isEqualTo(count);
        assertThat(c.call("XAUTOCLAIM", "s", "g", "bob", "0", "0", "FOO")).isEqualTo(SYNTAX);
        assertThat(c.call("XAUTOCLAIM", "s", "g", "bob", "abc", "0")).isEqualTo(error("ERR Invalid min-idle-time argument for XAUTOCLAIM"));
        assertThat(c.call("XAUTOCLAIM", "s", "g", "bob", "0", "abc")).isEqualTo(INVALID_ID);
        assertThat(c.call("XAUTOCLAIM", "s", "g", "bob", "0")).isEqualTo(error("ERR wrong number of arguments for 'xautoclaim' command"));
        assertThat(c.call("XAUTOCLAIM", "s", "nog", "bob", "0", "0")).isEqualTo(error("NOGROUP No such key 's' or consumer group 'nog'"));
        assertThat(c.call("XAUTOCLAIM", "missing", "g", "bob", "0", "0")).isEqualTo(error("NOGROUP No such key 'missing' or consumer group 'g'"));
        assertThat(stable(pending("s", "g", "-", "+", "10").get(0))).isEqualTo(List.of("1-0", "alice", 1L));
    }

    @Test
    void xautoclaimScansWithACursorAndReportsDeletedIds() throws IOException {
        fill("s", 1, 5);
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "0")).isEqualTo(OK);
        c.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">");
        assertThat(c.call("XAUTOCLAIM", "s", "g", "carol", "3600000", "0")).isEqualTo(array(bulk("0-0"), EMPTY, EMPTY));
        assertThat(RespValue.list(c.call("XINFO", "CONSUMERS", "s", "g"))).hasSize(1); // carol was not created
        assertThat(c.call("XDEL", "s", "2-0", "4-0")).isEqualTo(integer(2));
        // COUNT bounds the entries scanned, deleted ones included; the cursor is the next id to scan.
        assertThat(c.call("XAUTOCLAIM", "s", "g", "bob", "0", "0", "COUNT", "2"))
                .isEqualTo(array(bulk("3-0"), array(entry("1-0", "f", "1")), ids("2-0")));
        assertThat(c.call("XAUTOCLAIM", "s", "g", "bob", "0", "3-0", "COUNT", "2"))
                .isEqualTo(array(bulk("5-0"), array(entry("3-0", "f", "3")), ids("4-0")));
        assertThat(c.call("XAUTOCLAIM", "s", "g", "bob", "0", "(3-0", "COUNT", "2"))
                .isEqualTo(array(bulk("0-0"), array(entry("5-0", "f", "5")), EMPTY));
        assertThat(c.call("XAUTOCLAIM", "s", "g", "dave", "0", "-", "JUSTID")).isEqualTo(array(bulk("0-0"), ids("1-0", "3-0", "5-0"), EMPTY));
        assertThat(c.call("XAUTOCLAIM", "s", "g", "dave", "0", "5", "JUSTID")).isEqualTo(array(bulk("0-0"), ids("5-0"), EMPTY));
        assertThat(c.call("XAUTOCLAIM", "s", "g", "dave", "0", "+", "JUSTID")).isEqualTo(array(bulk("0-0"), EMPTY, EMPTY));
        // Deleted entries left the pending list; JUSTID did not count deliveries.
        assertThat(pending("s", "g", "-", "+", "10").stream().map(StreamCommandsContract::stable).toList()).containsExactly(
                List.of("1-0", "dave", 2L), List.of("3-0", "dave", 2L), List.of("5-0", "dave", 2L));
        assertThat(c.call("XAUTOCLAIM", "s", "g", "erin", "0", "0", "COUNT", "100000000")).isEqualTo(array(bulk("0-0"),
                array(entry("1-0", "f", "1"), entry("3-0", "f", "3"), entry("5-0", "f", "5")), EMPTY));
    }

    // ---- XINFO --------------------------------------------------------------------------------

    @Test
    void xinfoStream() throws IOException {
        fill("s", 1, 3);
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "0")).isEqualTo(OK);
        assertThat(c.call("XINFO", "STREAM", "s")).isEqualTo(array(
                bulk("length"), integer(3),
                bulk("radix-tree-keys"), integer(1),
                bulk("radix-tree-nodes"), integer(2),
                bulk("last-generated-id"), bulk("3-0"),
                bulk("max-deleted-entry-id"), bulk("0-0"),
                bulk("entries-added"), integer(3),
                bulk("recorded-first-entry-id"), bulk("1-0"),
                bulk("groups"), integer(1),
                bulk("first-entry"), entry("1-0", "f", "1"),
                bulk("last-entry"), entry("3-0", "f", "3")));
        assertThat(c.call("XDEL", "s", "1-0")).isEqualTo(integer(1));
        Map<String, Object> info = infoStream("s");
        assertThat(info).containsEntry("length", 2L).containsEntry("max-deleted-entry-id", "1-0")
                .containsEntry("recorded-first-entry-id", "2-0").containsEntry("entries-added", 3L);
        assertThat(c.call("XINFO", "STREAM", "missing")).isEqualTo(error("ERR no such key"));
        assertThat(c.call("XINFO", "STREAM", "s", "FOO"))
                .isEqualTo(error("ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP."));
        assertThat(c.call("XINFO", "STREAM", "s", "COUNT", "1"))
                .isEqualTo(error("ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP."));
        assertThat(c.call("XINFO", "STREAM", "s", "FULL", "COUNT", "abc")).isEqualTo(NOT_INTEGER);
        assertThat(c.call("XINFO", "STREAM")).isEqualTo(error("ERR wrong number of arguments for 'xinfo|stream' command"));
        assertThat(c.call("XINFO", "FOO", "s")).isEqualTo(error("ERR unknown subcommand 'FOO'. Try XINFO HELP."));
        assertThat(c.call("XINFO")).isEqualTo(error("ERR wrong number of arguments for 'xinfo' command"));
        List<Object> help = RespValue.list(c.call("XINFO", "HELP"));
        assertThat((String) help.get(0)).startsWith("XINFO <subcommand>");
    }

    @Test
    void xinfoStreamFull() throws IOException {
        fill("s", 1, 3);
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "0")).isEqualTo(OK);
        assertThat(c.call("XGROUP", "CREATE", "s", "g2", "$")).isEqualTo(OK);
        long before = System.currentTimeMillis();
        c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">");
        long after = System.currentTimeMillis();

        for (String[] cmd : List.of(new String[] {"XINFO", "STREAM", "s", "FULL"}, new String[] {"XINFO", "STREAM", "s", "FULL", "COUNT", "0"},
                new String[] {"XINFO", "STREAM", "s", "FULL", "COUNT", "1"})) {
            boolean one = cmd.length == 6 && cmd[5].equals("1");
            Map<String, Object> full = fields(RespValue.parse(c.call(cmd)));
            assertThat(full.keySet()).as(String.join(" ", cmd)).containsExactly("length", "radix-tree-keys", "radix-tree-nodes",
                    "last-generated-id", "max-deleted-entry-id", "entries-added", "recorded-first-entry-id", "entries", "groups");
            assertThat(full).containsEntry("length", 3L).containsEntry("radix-tree-keys", 1L).containsEntry("radix-tree-nodes", 2L)
                    .containsEntry("last-generated-id", "3-0").containsEntry("max-deleted-entry-id", "0-0")
                    .containsEntry("entries-added", 3L).containsEntry("recorded-first-entry-id", "1-0");
            List<Object> entries = (List<Object>) full.get("entries");
            assertThat(entries).hasSize(one ? 1 : 3);
            assertThat(entries.get(0)).isEqualTo(List.of("1-0", List.of("f", "1")));

            List<Object> groups = (List<Object>) full.get("groups");
            assertThat(groups).hasSize(2);
            Map<String, Object> g = fields(groups.get(0));
            assertThat(g.keySet()).containsExactly("name", "last-delivered-id", "entries-read", "lag", "pel-count", "pending", "consumers");
            assertThat(g).containsEntry("name", "g").containsEntry("last-delivered-id", "2-0").containsEntry("entries-read", 2L)
                    .containsEntry("lag", 1L).containsEntry("pel-count", 2L);
            List<Object> pel = (List<Object>) g.get("pending");
            assertThat(pel).hasSize(one ? 1 : 2);
            for (int i = 0; i < pel.size(); i++) {
                List<Object> p = (List<Object>) pel.get(i);
                assertThat(List.of(p.get(0), p.get(1), p.get(3))).isEqualTo(List.of((i + 1) + "-0", "alice", 1L));
                assertThat((Long) p.get(2)).as("delivery time").isBetween(before - 1000, after + 1000);
            }
            List<Object> consumers = (List<Object>) g.get("consumers");
            assertThat(consumers).hasSize(1);
            Map<String, Object> alice = fields(consumers.get(0));
            assertThat(alice.keySet()).containsExactly("name", "seen-time", "pel-count", "pending");
            assertThat(alice).containsEntry("name", "alice").containsEntry("pel-count", 2L);
            assertThat((Long) alice.get("seen-time")).isBetween(before - 1000, after + 1000);
            List<Object> own = (List<Object>) alice.get("pending");
            assertThat(own).hasSize(one ? 1 : 2);
            for (int i = 0; i < own.size(); i++) {
                List<Object> p = (List<Object>) own.get(i);
                assertThat(List.of(p.get(0), p.get(2))).isEqualTo(List.of((i + 1) + "-0", 1L));
                assertThat((Long) p.get(1)).as("delivery time").isBetween(before - 1000, after + 1000);
            }
            assertThat(groups.get(1)).isEqualTo(Arrays.asList("name", "g2", "last-delivered-id", "3-0", "entries-read", null,
                    "lag", 0L, "pel-count", 0L, "pending", List.of(), "consumers", List.of()));
        }
    }

    @Test
    void xinfoGroupsEntriesReadAndLag() throws IOException {
        fill("s", 1, 4);
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "0")).isEqualTo(OK);
        assertThat(c.call("XINFO", "GROUPS", "s")).isEqualTo(array(group("g", 0, 0, "0-0", NIL, integer(4))));
        c.call("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">");
        assertThat(c.call("XINFO", "GROUPS", "s")).isEqualTo(array(group("g", 1, 1, "1-0", integer(1), integer(3))));
        // A deletion after the last delivered id makes the lag unknown...
        assertThat(c.call("XDEL", "s", "3-0")).isEqualTo(integer(1));
        assertThat(c.call("XINFO", "GROUPS", "s")).isEqualTo(array(group("g", 1, 1, "1-0", integer(1), NIL)));
        c.call("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">");
        assertThat(c.call("XINFO", "GROUPS", "s")).isEqualTo(array(group("g", 1, 2, "2-0", NIL, NIL)));
        // ...until the group reaches the last entry.
        c.call("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">");
        assertThat(c.call("XINFO", "GROUPS", "s")).isEqualTo(array(group("g", 1, 3, "4-0", integer(4), integer(0))));
        add("s", "5-0", "f", "5");
        assertThat(c.call("XINFO", "GROUPS", "s")).isEqualTo(array(group("g", 1, 3, "4-0", integer(4), integer(1))));
        // A deletion before the last delivered id does not matter...
        assertThat(c.call("XDEL", "s", "1-0")).isEqualTo(integer(1));
        assertThat(c.call("XINFO", "GROUPS", "s")).isEqualTo(array(group("g", 1, 3, "4-0", integer(4), integer(1))));
        // ...but moved back before the deleted 3-0, the group's lag is unknown again.
        assertThat(c.call("XGROUP", "SETID", "s", "g", "0")).isEqualTo(OK);
        assertThat(c.call("XINFO", "GROUPS", "s")).isEqualTo(array(group("g", 1, 3, "0-0", NIL, NIL)));
        assertThat(c.call("XINFO", "GROUPS", "missing")).isEqualTo(error("ERR no such key"));
    }

    @Test
    void xinfoConsumers() throws IOException {
        fill("s", 1, 3);
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "0")).isEqualTo(OK);
        assertThat(c.call("XINFO", "CONSUMERS", "s", "g")).isEqualTo(EMPTY);
        c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">");
        assertThat(c.call("XGROUP", "CREATECONSUMER", "s", "g", "bob")).isEqualTo(integer(1));
        List<Object> consumers = RespValue.list(c.call("XINFO", "CONSUMERS", "s", "g"));
        assertThat(consumers).hasSize(2);
        Map<String, Object> alice = fields(consumers.get(0));
        Map<String, Object> bob = fields(consumers.get(1));
        assertThat(alice.keySet()).containsExactly("name", "pending", "idle");
        assertThat(alice).containsEntry("name", "alice").containsEntry("pending", 2L);
        assertThat(bob).containsEntry("name", "bob").containsEntry("pending", 0L);
        assertThat((Long) alice.get("idle")).isBetween(0L, 10_000L);
        assertThat((Long) bob.get("idle")).isBetween(0L, 10_000L);
        assertThat(c.call("XINFO", "CONSUMERS", "s", "nog")).isEqualTo(error("NOGROUP No such consumer group 'nog' for key name 's'"));
        assertThat(c.call("XINFO", "CONSUMERS", "missing", "g")).isEqualTo(error("ERR no such key"));
    }
}
