package dev.panda.it;

import static dev.panda.it.RespConnection.NIL;
import static dev.panda.it.RespConnection.OK;
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
 * The stream commands' replies and error texts, asserted against Panda ({@link PandaStreamIT})
 * and against Debian's real redis-server ({@link RedisStreamIT}): ids, ranges, trimming, consumer
 * groups, blocking reads across connections, XINFO and DUMP/RESTORE. Replies holding times are
 * checked by shape. The seeded random sequences are in {@link DifferentialIT}'s stream family.
 * Test thread.
 */
abstract class StreamContract extends ServerContract {
    static final String WRONGTYPE = error("WRONGTYPE Operation against a key holding the wrong kind of value");
    static final String NULL_ARRAY = "*-1\r\n";
    static final String TOP = error("ERR The ID specified in XADD is equal or smaller than the target stream top item");
    static final String INVALID = error("ERR Invalid stream ID specified as stream command argument");

    private final List<RespConnection> others = new ArrayList<>();

    @AfterEach
    void closeOthers() throws IOException {
        for (RespConnection o : others) {
            o.close();
        }
    }

    private static String entry(String id, String... fv) {
        String[] b = new String[fv.length];
        for (int i = 0; i < fv.length; i++) {
            b[i] = bulk(fv[i]);
        }
        return array(bulk(id), array(b));
    }

    @Test
    void addsWithExplicitPartialAndAutomaticIds() throws IOException {
        assertThat(c.call("XADD", "s", "1-1", "a", "1")).isEqualTo(bulk("1-1"));
        assertThat(c.call("XADD", "s", "1-*", "a", "2")).isEqualTo(bulk("1-2"));
        assertThat(c.call("XADD", "s", "5-*", "b", "3")).isEqualTo(bulk("5-0"));
        assertThat(c.call("XADD", "s", "5-0", "b", "3")).isEqualTo(TOP);
        assertThat(c.call("XADD", "s", "4", "b", "3")).isEqualTo(TOP);
        assertThat(c.call("XADD", "t", "0-0", "a", "1")).isEqualTo(error("ERR The ID specified in XADD must be greater than 0-0"));
        assertThat(c.call("XADD", "s", "x-1", "a", "1")).isEqualTo(INVALID);
        assertThat(c.call("XADD", "s", "-", "a", "1")).isEqualTo(INVALID);
        assertThat(c.call("XADD", "s", "6-1", "a")).isEqualTo(error("ERR wrong number of arguments for 'xadd' command"));
        assertThat(c.call("XADD", "none", "NOMKSTREAM", "*", "a", "1")).isEqualTo(NIL);
        assertThat(c.call("EXISTS", "none")).isEqualTo(integer(0));
        assertThat(c.call("XADD", "s", "*", "c", "4")).matches("\\$\\d+\r\n\\d{13}-0\r\n");
        assertThat(c.call("XLEN", "s")).isEqualTo(integer(4));
        assertThat(c.call("TYPE", "s")).isEqualTo("+stream\r\n");
        assertThat(c.call("OBJECT", "ENCODING", "s")).isEqualTo(bulk("stream"));
        c.call("SET", "str", "x");
        assertThat(c.call("XADD", "str", "*", "a", "1")).isEqualTo(WRONGTYPE);
        assertThat(c.call("XLEN", "str")).isEqualTo(WRONGTYPE);
    }

    @Test
    void rangesAreInclusiveExclusiveAndCounted() throws IOException {
        for (int i = 1; i <= 5; i++) {
            c.call("XADD", "s", i + "-0", "n", String.valueOf(i));
        }
        assertThat(c.call("XRANGE", "s", "2", "3")).isEqualTo(array(entry("2-0", "n", "2"), entry("3-0", "n", "3")));
        assertThat(c.call("XRANGE", "s", "(2-0", "(4-0")).isEqualTo(array(entry("3-0", "n", "3")));
        assertThat(c.call("XREVRANGE", "s", "+", "-", "COUNT", "2")).isEqualTo(array(entry("5-0", "n", "5"), entry("4-0", "n", "4")));
        assertThat(c.call("XRANGE", "s", "-", "+", "COUNT", "0")).isEqualTo(NULL_ARRAY);
        assertThat(c.call("XRANGE", "s", "4", "2")).isEqualTo("*0\r\n");
        assertThat(c.call("XRANGE", "none", "-", "+")).isEqualTo("*0\r\n");
        assertThat(c.call("XRANGE", "s", "(-", "+")).isEqualTo(INVALID);
        assertThat(c.call("XRANGE", "s", "-", "+", "LIMIT", "1")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("XDEL", "s", "3-0", "9-0")).isEqualTo(integer(1));
        assertThat(c.call("XRANGE", "s", "2", "4")).isEqualTo(array(entry("2-0", "n", "2"), entry("4-0", "n", "4")));
        assertThat(c.call("XADD", "s", "5-0", "n", "x")).isEqualTo(TOP); // ids stay monotonic after deletes
    }

    @Test
    void trimmingByLengthAndId() throws IOException {
        for (int i = 1; i <= 10; i++) {
            c.call("XADD", "s", i + "-0", "n", String.valueOf(i));
        }
        assertThat(c.call("XTRIM", "s", "MAXLEN", "7")).isEqualTo(integer(3));
        assertThat(c.call("XTRIM", "s", "MINID", "6")).isEqualTo(integer(2));
        assertThat(c.call("XTRIM", "s", "MAXLEN", "~", "1")).isEqualTo(integer(0)); // one node: nothing whole to drop
        assertThat(c.call("XADD", "s", "MAXLEN", "2", "11-0", "n", "11")).isEqualTo(bulk("11-0"));
        assertThat(c.call("XRANGE", "s", "-", "+")).isEqualTo(array(entry("10-0", "n", "10"), entry("11-0", "n", "11")));
        assertThat(c.call("XTRIM", "s", "MAXLEN", "1", "LIMIT", "1"))
                .isEqualTo(error("ERR syntax error, LIMIT cannot be used without the special ~ option"));
        assertThat(c.call("XTRIM", "s", "MAXLEN", "1", "MINID", "1"))
                .isEqualTo(error("ERR syntax error, MAXLEN and MINID options at the same time are not compatible"));
        assertThat(c.call("XTRIM", "s", "MAXLEN", "-1")).isEqualTo(error("ERR The MAXLEN argument must be >= 0."));
        assertThat(c.call("XTRIM", "s")).isEqualTo(error("ERR wrong number of arguments for 'xtrim' command"));
        assertThat(c.call("XTRIM", "none", "MAXLEN", "0")).isEqualTo(integer(0));
    }

    @Test
    void setIdChecksTheTopAndTheCounters() throws IOException {
        c.call("XADD", "s", "5-0", "a", "1");
        assertThat(c.call("XSETID", "s", "4-0")).isEqualTo(error("ERR The ID specified in XSETID is smaller than the target stream top item"));
        assertThat(c.call("XSETID", "s", "9-0", "ENTRIESADDED", "0"))
                .isEqualTo(error("ERR The entries_added specified in XSETID is smaller than the target stream length"));
        assertThat(c.call("XSETID", "s", "9-0", "MAXDELETEDID", "10-0"))
                .isEqualTo(error("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id"));
        assertThat(c.call("XSETID", "s", "9-0", "ENTRIESADDED", "7", "MAXDELETEDID", "3-0")).isEqualTo(OK);
        assertThat(c.call("XADD", "s", "9-0", "a", "1")).isEqualTo(TOP);
        assertThat(c.call("XSETID", "none", "1-0")).isEqualTo(error("ERR no such key"));
        List<Object> info = RespValue.list(c.call("XINFO", "STREAM", "s"));
        assertThat(info.subList(6, 14)).containsExactly("last-generated-id", "9-0", "max-deleted-entry-id", "3-0",
                "entries-added", 7L, "recorded-first-entry-id", "5-0");
    }

    @Test
    void consumerGroupsDeliverAcknowledgeAndReportLag() throws IOException {
        for (int i = 1; i <= 4; i++) {
            c.call("XADD", "s", i + "-0", "n", String.valueOf(i));
        }
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "0")).isEqualTo(OK);
        assertThat(c.call("XGROUP", "CREATE", "s", "g", "0")).isEqualTo(error("BUSYGROUP Consumer Group name already exists"));
        assertThat(c.call("XGROUP", "CREATE", "none", "g", "$")).isEqualTo(error("ERR The XGROUP subcommand requires the key to "
                + "exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically."));
        assertThat(c.call("XGROUP", "CREATE", "m", "g", "$", "MKSTREAM")).isEqualTo(OK);
        assertThat(c.call("XLEN", "m")).isEqualTo(integer(0));
        assertThat(c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"))
                .isEqualTo(array(array(bulk("s"), array(entry("1-0", "n", "1"), entry("2-0", "n", "2")))));
        assertThat(c.call("XREADGROUP", "GROUP", "g", "bob", "NOACK", "COUNT", "1", "STREAMS", "s", ">"))
                .isEqualTo(array(array(bulk("s"), array(entry("3-0", "n", "3")))));
        assertThat(c.call("XREADGROUP", "GROUP", "nope", "a", "STREAMS", "s", ">"))
                .isEqualTo(error("NOGROUP No such key 's' or consumer group 'nope' in XREADGROUP with GROUP option"));
        assertThat(c.call("XPENDING", "s", "g")).isEqualTo(array(integer(2), bulk("1-0"), bulk("2-0"),
                array(array(bulk("alice"), bulk("2")))));
        c.call("XDEL", "s", "2-0");
        assertThat(c.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"))
                .isEqualTo(array(array(bulk("s"), array(entry("1-0", "n", "1"), array(bulk("2-0"), NULL_ARRAY)))));
        assertThat(c.call("XACK", "s", "g", "1-0", "9-0")).isEqualTo(integer(1));
        assertThat(c.call("XACK", "s", "g", "x")).isEqualTo(INVALID);
        List<Object> groups = RespValue.list(c.call("XINFO", "GROUPS", "s"));
        assertThat(groups.toString()).isEqualTo("[[name, g, consumers, 2, pending, 1, last-delivered-id, 3-0, entries-read, 3, lag, 1]]");
        assertThat(c.call("XGROUP", "DELCONSUMER", "s", "g", "alice")).isEqualTo(integer(1));
        assertThat(c.call("XGROUP", "CREATECONSUMER", "s", "g", "carol")).isEqualTo(integer(1));
        assertThat(c.call("XGROUP", "CREATECONSUMER", "s", "g", "carol")).isEqualTo(integer(0));
        assertThat(c.call("XGROUP", "SETID", "s", "nope", "0")).isEqualTo(error("NOGROUP No such consumer group 'nope' for key name 's'"));
        assertThat(c.call("XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", "0")).isEqualTo(OK);
        assertThat(c.call("XGROUP", "DESTROY", "s", "g")).isEqualTo(integer(1));
        assertThat(c.call("XGROUP", "DESTROY", "s", "g")).isEqualTo(integer(0));
    }

    @Test
    void claimsMoveEntriesBetweenConsumers() throws IOException {
        for (int i = 1; i <= 3; i++) {
            c.call("XADD", "s", i + "-0", "n", String.valueOf(i));
        }
        c.call("XGROUP", "CREATE", "s", "g", "0");
        c.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">");
        assertThat(c.call("XCLAIM", "s", "g", "bob", "0", "1-0", "2-0", "9-0", "JUSTID")).isEqualTo(array(bulk("1-0"), bulk("2-0")));
        assertThat(c.call("XCLAIM", "s", "g", "bob", "0", "3-0", "RETRYCOUNT", "7")).isEqualTo(array(entry("3-0", "n", "3")));
        assertThat(c.call("XCLAIM", "s", "g", "bob", "3600000", "3-0")).isEqualTo("*0\r\n");
        assertThat(c.call("XCLAIM", "s", "g", "bob", "0", "3-0", "BOGUS")).isEqualTo(error("ERR Unrecognized XCLAIM option 'BOGUS'"));
        assertThat(c.call("XCLAIM", "none", "g", "bob", "0", "3-0")).isEqualTo(error("NOGROUP No such key 'none' or consumer group 'g'"));
        List<Object> pending = RespValue.list(c.call("XPENDING", "s", "g", "-", "+", "10"));
        assertThat(pending).hasSize(3);
        assertThat(((List<?>) pending.get(2)).get(3)).isEqualTo(7L);
        assertThat(((List<?>) pending.get(0)).get(1)).isEqualTo("bob");
        c.call("XDEL", "s", "2-0");
        assertThat(c.call("XAUTOCLAIM", "s", "g", "carol", "0", "0", "COUNT", "1", "JUSTID")).isEqualTo(array(bulk("2-0"),
                array(bulk("1-0")), "*0\r\n"));
        assertThat(c.call("XAUTOCLAIM", "s", "g", "carol", "0", "0", "JUSTID")).isEqualTo(array(bulk("0-0"),
                array(bulk("1-0"), bulk("3-0")), array(bulk("2-0"))));
        assertThat(c.call("XAUTOCLAIM", "s", "g", "carol", "0", "0", "COUNT", "0")).isEqualTo(error("ERR COUNT must be > 0"));
        assertThat(c.call("XPENDING", "s", "g", "IDLE", "3600000", "-", "+", "10")).isEqualTo("*0\r\n");
    }

    @Test
    void xreadServesNewEntriesAndChecksItsArguments() throws IOException {
        c.call("XADD", "a", "1-0", "x", "1");
        c.call("XADD", "b", "2-0", "y", "2");
        assertThat(c.call("XREAD", "COUNT", "5", "STREAMS", "a", "b", "0", "1-0"))
                .isEqualTo(array(array(bulk("a"), array(entry("1-0", "x", "1"))), array(bulk("b"), array(entry("2-0", "y", "2")))));
        assertThat(c.call("XREAD", "STREAMS", "a", "none", "$", "0")).isEqualTo(NULL_ARRAY);
        assertThat(c.call("XREAD", "STREAMS", "a", "b", "0")).isEqualTo(error(
                "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified."));
        assertThat(c.call("XREAD", "STREAMS", "a", ">")).isEqualTo(error(
                "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option."));
        assertThat(c.call("XREAD", "BLOCK", "-1", "STREAMS", "a", "$")).isEqualTo(error("ERR timeout is negative"));
        assertThat(c.call("XREAD", "BLOCK", "20", "STREAMS", "a", "$")).isEqualTo(NULL_ARRAY);
        assertThat(c.call("MULTI")).isEqualTo(OK);
        c.call("XREAD", "BLOCK", "0", "STREAMS", "a", "$");
        assertThat(c.call("EXEC")).isEqualTo(array(NULL_ARRAY));
    }

    @Test
    void blockedReadersWakeOnAnAdd() throws IOException {
        c.call("XADD", "s", "1-0", "x", "1");
        c.call("XGROUP", "CREATE", "s", "g", "$");
        RespConnection reader = new RespConnection(port());
        others.add(reader);
        RespConnection grouped = new RespConnection(port());
        others.add(grouped);
        reader.send(encode("XREAD", "BLOCK", "0", "STREAMS", "s", "$"));
        awaitBlocked(1);
        grouped.send(encode("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"));
        awaitBlocked(2);
        assertThat(c.call("XADD", "s", "2-0", "y", "2")).isEqualTo(bulk("2-0"));
        String expected = array(array(bulk("s"), array(entry("2-0", "y", "2"))));
        assertThat(reader.readReply()).isEqualTo(expected);
        assertThat(grouped.readReply()).isEqualTo(expected);
        assertThat(c.call("XPENDING", "s", "g")).isEqualTo(array(integer(1), bulk("2-0"), bulk("2-0"),
                array(array(bulk("alice"), bulk("1")))));
    }

    @Test
    void groupReadersFailWhenTheirGroupOrStreamGoes() throws IOException {
        c.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        c.call("XGROUP", "CREATE", "t", "g", "$", "MKSTREAM");
        RespConnection first = new RespConnection(port());
        others.add(first);
        RespConnection second = new RespConnection(port());
        others.add(second);
        RespConnection plain = new RespConnection(port());
        others.add(plain);
        first.send(encode("XREADGROUP", "GROUP", "g", "a", "BLOCK", "0", "STREAMS", "s", ">"));
        awaitBlocked(1);
        second.send(encode("XREADGROUP", "GROUP", "g", "b", "BLOCK", "0", "STREAMS", "t", ">"));
        awaitBlocked(2);
        plain.send(encode("XREAD", "BLOCK", "0", "STREAMS", "t", "$"));
        awaitBlocked(3);
        assertThat(c.call("XGROUP", "DESTROY", "s", "g")).isEqualTo(integer(1));
        assertThat(first.readReply()).isEqualTo(error("NOGROUP the consumer group this client was blocked on no longer exists"));
        assertThat(c.call("DEL", "t")).isEqualTo(integer(1));
        assertThat(second.readReply()).isEqualTo(error("UNBLOCKED the stream key no longer exists"));
        awaitBlocked(1); // a plain XREAD keeps waiting
        assertThat(c.call("XADD", "t", "5-0", "k", "v")).isEqualTo(bulk("5-0"));
        assertThat(plain.readReply()).isEqualTo(array(array(bulk("t"), array(entry("5-0", "k", "v")))));
    }

    @Test
    void dumpAndRestoreKeepEntriesAndGroups() throws IOException {
        c.call("XADD", "s", "1-0", "x", "1");
        c.call("XADD", "s", "2-0", "y", "2");
        c.call("XGROUP", "CREATE", "s", "g", "0");
        c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", ">");
        byte[] payload = c.callForBulk("DUMP", "s");
        assertThat(c.callBinary(b("RESTORE"), b("copy"), b("0"), payload)).isEqualTo(OK);
        assertThat(c.call("XRANGE", "copy", "-", "+")).isEqualTo(c.call("XRANGE", "s", "-", "+"));
        assertThat(c.call("XINFO", "GROUPS", "copy")).isEqualTo(c.call("XINFO", "GROUPS", "s"));
        assertThat(c.call("XPENDING", "copy", "g")).isEqualTo(c.call("XPENDING", "s", "g"));
        payload[payload.length - 1] ^= 1;
        assertThat(c.callBinary(b("RESTORE"), b("bad"), b("0"), payload))
                .isEqualTo(error("ERR DUMP payload version or checksum are wrong"));
        assertThat(c.call("EXISTS", "bad")).isEqualTo(integer(0));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] encode(String... args) {
        return RespConnection.encode(args);
    }
}
