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
import org.junit.jupiter.api.Test;

/**
 * The list commands' replies, errors and encodings, asserted against Panda ({@link PandaListIT})
 * and against Debian's real redis-server ({@link RedisListIT}), so every expectation is Redis's
 * own. Test thread.
 */
abstract class ListContract extends ServerContract {
    static final String WRONGTYPE = error("WRONGTYPE Operation against a key holding the wrong kind of value");
    static final String EMPTY = "*0\r\n";
    static final String NULL_ARRAY = "*-1\r\n";

    private static String bulks(String... items) {
        List<String> b = new ArrayList<>();
        for (String i : items) {
            b.add(bulk(i));
        }
        return array(b.toArray(new String[0]));
    }

    @Test
    void pushesPopsAndLength() throws IOException {
        assertThat(c.call("RPUSH", "l", "a", "b", "c")).isEqualTo(integer(3));
        assertThat(c.call("LPUSH", "l", "x", "y")).isEqualTo(integer(5));
        assertThat(c.call("LRANGE", "l", "0", "-1")).isEqualTo(bulks("y", "x", "a", "b", "c"));
        assertThat(c.call("LLEN", "l")).isEqualTo(integer(5));
        assertThat(c.call("LLEN", "missing")).isEqualTo(integer(0));
        assertThat(c.call("LPOP", "l")).isEqualTo(bulk("y"));
        assertThat(c.call("RPOP", "l")).isEqualTo(bulk("c"));
        assertThat(c.call("LPOP", "l", "2")).isEqualTo(bulks("x", "a"));
        assertThat(c.call("RPOP", "l", "0")).isEqualTo(EMPTY);
        assertThat(c.call("RPOP", "l", "5")).isEqualTo(bulks("b"));
        assertThat(c.call("EXISTS", "l")).isEqualTo(integer(0));
        assertThat(c.call("LPOP", "l")).isEqualTo(NIL);
        assertThat(c.call("LPOP", "l", "1")).isEqualTo(NULL_ARRAY);
        assertThat(c.call("RPOP", "l", "-1")).isEqualTo(error("ERR value is out of range, must be positive"));
        assertThat(c.call("RPOP", "l", "x")).isEqualTo(error("ERR value is out of range, must be positive"));
        assertThat(c.call("LPOP", "l", "1", "2")).isEqualTo(error("ERR wrong number of arguments for 'lpop' command"));
        assertThat(c.call("LPUSH", "l")).isEqualTo(error("ERR wrong number of arguments for 'lpush' command"));
    }

    @Test
    void pushxOnlyOnExistingLists() throws IOException {
        assertThat(c.call("LPUSHX", "l", "a")).isEqualTo(integer(0));
        assertThat(c.call("RPUSHX", "l", "a")).isEqualTo(integer(0));
        assertThat(c.call("EXISTS", "l")).isEqualTo(integer(0));
        c.call("RPUSH", "l", "a");
        assertThat(c.call("LPUSHX", "l", "b", "c")).isEqualTo(integer(3));
        assertThat(c.call("RPUSHX", "l", "d")).isEqualTo(integer(4));
        assertThat(c.call("LRANGE", "l", "0", "-1")).isEqualTo(bulks("c", "b", "a", "d"));
        c.call("SET", "s", "v");
        assertThat(c.call("LPUSHX", "s", "a")).isEqualTo(WRONGTYPE);
    }

    @Test
    void rangesAndIndexes() throws IOException {
        c.call("RPUSH", "l", "a", "b", "c", "d", "e");
        assertThat(c.call("LRANGE", "l", "1", "3")).isEqualTo(bulks("b", "c", "d"));
        assertThat(c.call("LRANGE", "l", "-2", "100")).isEqualTo(bulks("d", "e"));
        assertThat(c.call("LRANGE", "l", "-100", "0")).isEqualTo(bulks("a"));
        assertThat(c.call("LRANGE", "l", "3", "1")).isEqualTo(EMPTY);
        assertThat(c.call("LRANGE", "l", "5", "10")).isEqualTo(EMPTY);
        assertThat(c.call("LRANGE", "missing", "0", "-1")).isEqualTo(EMPTY);
        assertThat(c.call("LRANGE", "l", "a", "1")).isEqualTo(error("ERR value is not an integer or out of range"));
        assertThat(c.call("LINDEX", "l", "0")).isEqualTo(bulk("a"));
        assertThat(c.call("LINDEX", "l", "-1")).isEqualTo(bulk("e"));
        assertThat(c.call("LINDEX", "l", "5")).isEqualTo(NIL);
        assertThat(c.call("LINDEX", "l", "-6")).isEqualTo(NIL);
        assertThat(c.call("LINDEX", "missing", "0")).isEqualTo(NIL);
        assertThat(c.call("LINDEX", "l", "x")).isEqualTo(error("ERR value is not an integer or out of range"));
    }

    @Test
    void setInsertRemoveTrim() throws IOException {
        c.call("RPUSH", "l", "a", "b", "a", "c", "a");
        assertThat(c.call("LSET", "l", "1", "B")).isEqualTo(OK);
        assertThat(c.call("LSET", "l", "-1", "A")).isEqualTo(OK);
        assertThat(c.call("LSET", "l", "5", "x")).isEqualTo(error("ERR index out of range"));
        assertThat(c.call("LSET", "missing", "0", "x")).isEqualTo(error("ERR no such key"));
        assertThat(c.call("LRANGE", "l", "0", "-1")).isEqualTo(bulks("a", "B", "a", "c", "A"));
        assertThat(c.call("LINSERT", "l", "BEFORE", "c", "x")).isEqualTo(integer(6));
        assertThat(c.call("LINSERT", "l", "after", "A", "z")).isEqualTo(integer(7));
        assertThat(c.call("LINSERT", "l", "after", "nope", "z")).isEqualTo(integer(-1));
        assertThat(c.call("LINSERT", "missing", "after", "a", "z")).isEqualTo(integer(0));
        assertThat(c.call("LINSERT", "l", "middle", "a", "z")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("LRANGE", "l", "0", "-1")).isEqualTo(bulks("a", "B", "a", "x", "c", "A", "z"));
        assertThat(c.call("LREM", "l", "1", "a")).isEqualTo(integer(1));
        c.call("RPUSH", "l", "a", "q", "a");
        assertThat(c.call("LREM", "l", "-1", "a")).isEqualTo(integer(1));
        assertThat(c.call("LRANGE", "l", "0", "-1")).isEqualTo(bulks("B", "a", "x", "c", "A", "z", "a", "q"));
        assertThat(c.call("LREM", "l", "0", "a")).isEqualTo(integer(2));
        assertThat(c.call("LREM", "missing", "0", "a")).isEqualTo(integer(0));
        assertThat(c.call("LTRIM", "l", "1", "-2")).isEqualTo(OK);
        assertThat(c.call("LRANGE", "l", "0", "-1")).isEqualTo(bulks("x", "c", "A", "z"));
        assertThat(c.call("LTRIM", "l", "-100", "1")).isEqualTo(OK);
        assertThat(c.call("LRANGE", "l", "0", "-1")).isEqualTo(bulks("x", "c"));
        assertThat(c.call("LTRIM", "l", "5", "10")).isEqualTo(OK);
        assertThat(c.call("EXISTS", "l")).isEqualTo(integer(0));
        assertThat(c.call("LTRIM", "missing", "0", "1")).isEqualTo(OK);
    }

    @Test
    void integersAndBinaryElementsComeBackAsWritten() throws IOException {
        c.call("RPUSH", "l", "1", "-5", "9223372036854775807", "007", "1.5", "", "a\r\nb");
        assertThat(c.call("LRANGE", "l", "0", "-1")).isEqualTo(bulks("1", "-5", "9223372036854775807", "007", "1.5", "", "a\r\nb"));
        assertThat(c.call("LPOS", "l", "007")).isEqualTo(integer(3));
        assertThat(c.call("LPOS", "l", "7")).isEqualTo(NIL);
        assertThat(c.call("LREM", "l", "0", "-5")).isEqualTo(integer(1));
        byte[] binary = {(byte) 0xff, 0, 13, 10};
        assertThat(c.callBinary("RPUSH".getBytes(), "b".getBytes(), binary)).isEqualTo(integer(1));
        assertThat(c.callBinaryForBulk("LINDEX".getBytes(), "b".getBytes(), "0".getBytes())).isEqualTo(binary);
    }

    @Test
    void lposRankCountMaxlen() throws IOException {
        c.call("RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c");
        assertThat(c.call("LPOS", "l", "c")).isEqualTo(integer(2));
        assertThat(c.call("LPOS", "l", "c", "RANK", "2")).isEqualTo(integer(6));
        assertThat(c.call("LPOS", "l", "c", "RANK", "-1")).isEqualTo(integer(7));
        assertThat(c.call("LPOS", "l", "c", "COUNT", "0")).isEqualTo(array(integer(2), integer(6), integer(7)));
        assertThat(c.call("LPOS", "l", "c", "COUNT", "2", "RANK", "-1")).isEqualTo(array(integer(7), integer(6)));
        assertThat(c.call("LPOS", "l", "c", "COUNT", "0", "MAXLEN", "7")).isEqualTo(array(integer(2), integer(6)));
        assertThat(c.call("LPOS", "l", "x", "COUNT", "1")).isEqualTo(EMPTY);
        assertThat(c.call("LPOS", "missing", "x")).isEqualTo(NIL);
        assertThat(c.call("LPOS", "missing", "x", "COUNT", "1")).isEqualTo(EMPTY);
        assertThat(c.call("LPOS", "l", "c", "RANK", "0")).isEqualTo(error(
                "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"));
        assertThat(c.call("LPOS", "l", "c", "COUNT", "-1")).isEqualTo(error("ERR COUNT can't be negative"));
        assertThat(c.call("LPOS", "l", "c", "COUNT", "x")).isEqualTo(error("ERR COUNT can't be negative"));
        assertThat(c.call("LPOS", "l", "c", "MAXLEN", "x")).isEqualTo(error("ERR MAXLEN can't be negative"));
        assertThat(c.call("LPOS", "l", "c", "MAXLEN", "-1")).isEqualTo(error("ERR MAXLEN can't be negative"));
        assertThat(c.call("LPOS", "l", "c", "RANK")).isEqualTo(error("ERR syntax error"));
    }

    @Test
    void rotatingAOneElementListOntoItselfKeepsItsDeadline() throws IOException {
        c.call("RPUSH", "one", "x");
        c.call("PEXPIREAT", "one", "4102444800713");
        assertThat(c.call("LMOVE", "one", "one", "LEFT", "RIGHT")).isEqualTo(bulk("x"));
        assertThat(c.call("BLMOVE", "one", "one", "RIGHT", "LEFT", "0")).isEqualTo(bulk("x"));
        assertThat(c.call("RPOPLPUSH", "one", "one")).isEqualTo(bulk("x"));
        assertThat(c.call("PEXPIRETIME", "one")).isEqualTo(integer(4102444800713L));
        assertThat(c.call("LRANGE", "one", "0", "-1")).isEqualTo(array(bulk("x")));
    }

    @Test
    void moves() throws IOException {
        c.call("RPUSH", "src", "a", "b", "c");
        assertThat(c.call("LMOVE", "src", "dst", "LEFT", "RIGHT")).isEqualTo(bulk("a"));
        assertThat(c.call("LMOVE", "src", "dst", "right", "left")).isEqualTo(bulk("c"));
        assertThat(c.call("RPOPLPUSH", "src", "dst")).isEqualTo(bulk("b"));
        assertThat(c.call("EXISTS", "src")).isEqualTo(integer(0));
        assertThat(c.call("LRANGE", "dst", "0", "-1")).isEqualTo(bulks("b", "c", "a"));
        assertThat(c.call("LMOVE", "src", "dst", "LEFT", "LEFT")).isEqualTo(NIL);
        assertThat(c.call("RPOPLPUSH", "dst", "dst")).isEqualTo(bulk("a"));
        assertThat(c.call("LRANGE", "dst", "0", "-1")).isEqualTo(bulks("a", "b", "c"));
        assertThat(c.call("LMOVE", "dst", "dst", "up", "LEFT")).isEqualTo(error("ERR syntax error"));
        c.call("SET", "str", "v");
        assertThat(c.call("LMOVE", "dst", "str", "LEFT", "LEFT")).isEqualTo(WRONGTYPE);
        assertThat(c.call("LRANGE", "dst", "0", "-1")).isEqualTo(bulks("a", "b", "c"));
        assertThat(c.call("LMOVE", "str", "dst", "LEFT", "LEFT")).isEqualTo(WRONGTYPE);
        assertThat(c.call("LMOVE", "missing", "str", "LEFT", "LEFT")).isEqualTo(NIL);
    }

    @Test
    void lmpop() throws IOException {
        c.call("RPUSH", "b", "1", "2", "3");
        assertThat(c.call("LMPOP", "2", "a", "b", "LEFT")).isEqualTo(array(bulk("b"), bulks("1")));
        assertThat(c.call("LMPOP", "2", "a", "b", "RIGHT", "COUNT", "5")).isEqualTo(array(bulk("b"), bulks("3", "2")));
        assertThat(c.call("LMPOP", "2", "a", "b", "RIGHT")).isEqualTo(NULL_ARRAY);
        assertThat(c.call("LMPOP", "0", "a", "LEFT")).isEqualTo(error("ERR numkeys should be greater than 0"));
        assertThat(c.call("LMPOP", "x", "a", "LEFT")).isEqualTo(error("ERR numkeys should be greater than 0"));
        assertThat(c.call("LMPOP", "3", "a", "LEFT")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("LMPOP", "1", "a", "UP")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("LMPOP", "1", "a", "LEFT", "COUNT", "0")).isEqualTo(error("ERR count should be greater than 0"));
        assertThat(c.call("LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1")).isEqualTo(error("ERR syntax error"));
        c.call("SET", "s", "v");
        assertThat(c.call("LMPOP", "2", "a", "s", "LEFT")).isEqualTo(WRONGTYPE);
    }

    @Test
    void wrongTypes() throws IOException {
        c.call("SET", "s", "v");
        for (String[] cmd : new String[][] {{"LPUSH", "s", "a"}, {"RPUSH", "s", "a"}, {"LPOP", "s"}, {"RPOP", "s", "2"},
                {"LLEN", "s"}, {"LRANGE", "s", "0", "1"}, {"LINDEX", "s", "0"}, {"LSET", "s", "0", "a"},
                {"LINSERT", "s", "BEFORE", "a", "b"}, {"LREM", "s", "0", "a"}, {"LTRIM", "s", "0", "1"}, {"LPOS", "s", "a"},
                {"RPOPLPUSH", "s", "d"}, {"BLPOP", "s", "0.01"}}) {
            assertThat(c.call(cmd)).as(String.join(" ", cmd)).isEqualTo(WRONGTYPE);
        }
        c.call("RPUSH", "l", "a");
        assertThat(c.call("GET", "l")).isEqualTo(WRONGTYPE);
        assertThat(c.call("SADD", "l", "a")).isEqualTo(WRONGTYPE);
        assertThat(c.call("TYPE", "l")).isEqualTo("+list\r\n");
    }

    @Test
    void encodingIsQuicklistWhateverTheSize() throws IOException {
        c.call("RPUSH", "small", "a");
        assertThat(c.call("OBJECT", "ENCODING", "small")).isEqualTo(bulk("quicklist"));
        String[] args = new String[1002];
        args[0] = "RPUSH";
        args[1] = "big";
        for (int i = 2; i < args.length; i++) {
            args[i] = "element-" + i;
        }
        assertThat(c.call(args)).isEqualTo(integer(1000));
        assertThat(c.call("OBJECT", "ENCODING", "big")).isEqualTo(bulk("quicklist"));
        assertThat(c.call("LINDEX", "big", "500")).isEqualTo(bulk("element-502"));
        assertThat(c.call("LRANGE", "big", "998", "1000")).isEqualTo(bulks("element-1000", "element-1001"));
        assertThat(c.call("LINSERT", "big", "BEFORE", "element-700", "new")).isEqualTo(integer(1001));
        assertThat(c.call("LINDEX", "big", "698")).isEqualTo(bulk("new"));
        assertThat(c.call("LTRIM", "big", "600", "799")).isEqualTo(OK);
        assertThat(c.call("LLEN", "big")).isEqualTo(integer(200));
        assertThat(c.call("LINDEX", "big", "98")).isEqualTo(bulk("new"));
        assertThat(c.call("CONFIG", "GET", "list-max-listpack-size")).isEqualTo(array(bulk("list-max-listpack-size"), bulk("-2")));
        assertThat(c.call("CONFIG", "SET", "list-max-ziplist-size", "5")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "GET", "list-max-listpack-size")).isEqualTo(array(bulk("list-max-listpack-size"), bulk("5")));
        assertThat(c.call("CONFIG", "SET", "list-max-listpack-size", "-2")).isEqualTo(OK);
    }

    @Test
    void keyCommandsOnLists() throws IOException {
        c.call("RPUSH", "l", "a", "b");
        assertThat(c.call("RENAME", "l", "m")).isEqualTo(OK);
        assertThat(c.call("COPY", "m", "n")).isEqualTo(integer(1));
        c.call("RPUSH", "n", "c");
        assertThat(c.call("LRANGE", "m", "0", "-1")).isEqualTo(bulks("a", "b"));
        assertThat(c.call("LRANGE", "n", "0", "-1")).isEqualTo(bulks("a", "b", "c"));
        assertThat(c.call("SCAN", "0", "TYPE", "list")).startsWith("*2\r\n$1\r\n0\r\n*2\r\n");
    }
}
