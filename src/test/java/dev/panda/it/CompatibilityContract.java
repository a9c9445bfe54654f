package dev.panda.it;

import static dev.panda.it.RespConnection.NIL;
import static dev.panda.it.RespConnection.OK;
import static dev.panda.it.RespConnection.array;
import static dev.panda.it.RespConnection.bulk;
import static dev.panda.it.RespConnection.error;
import static dev.panda.it.RespConnection.integer;
import static dev.panda.it.RespConnection.simple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Exact-reply assertions that run twice: against Panda ({@link PandaCompatibilityIT}) and
 * against Debian's real redis-server 7.0.15 ({@link RedisCompatibilityIT}). Each expected reply
 * is therefore proven to be Redis's, byte for byte. Test thread.
 */
abstract class CompatibilityContract extends ServerContract {

    /** The bulk strings of a flat array reply. */
    static List<String> items(String raw) {
        List<String> out = new ArrayList<>();
        String[] lines = raw.split("\r\n", -1);
        assertThat(lines[0]).startsWith("*");
        for (int i = 1; i + 1 < lines.length; i += 2) {
            assertThat(lines[i]).startsWith("$");
            out.add(lines[i + 1]);
        }
        return out;
    }

    // ---- cross-protocol scripting -------------------------------------------------------------

    /** A browser tricked into POSTing to the port: the request line ends the connection before the body runs. */
    @Test
    void anHttpPostToThePortIsCutOffBeforeItsBodyRuns() throws IOException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("SET attacked yes\r\n")).build();
        assertThatThrownBy(() -> http.send(post, HttpResponse.BodyHandlers.ofString()))
                .as("no HTTP response: the connection is closed").isInstanceOf(IOException.class);
        assertThat(c.call("EXISTS", "attacked")).isEqualTo(integer(0));
        assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
    }

    @Test
    void protectedModeIsOnAndProtectedConfigsAreRefused() throws IOException {
        assertThat(c.call("CONFIG", "GET", "protected-mode")).isEqualTo(array(bulk("protected-mode"), bulk("yes")));
        assertThat(c.call("CONFIG", "GET", "enable-protected-configs")).isEqualTo(array(bulk("enable-protected-configs"), bulk("no")));
        assertThat(c.call("CONFIG", "SET", "dir", "/tmp")).isEqualTo(
                error("ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config"));
        assertThat(c.call("CONFIG", "SET", "enable-protected-configs", "yes")).isEqualTo(
                error("ERR CONFIG SET failed (possibly related to argument 'enable-protected-configs') - can't set immutable config"));
        assertThat(c.call("CONFIG", "SET", "protected-mode", "no")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "SET", "protected-mode", "yes")).isEqualTo(OK);
    }

    /** A GET request line is an (invalid) GET command; its Host: header ends the connection. */
    @Test
    void aHostHeaderLineClosesTheConnection() throws IOException {
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: x\r\n\r\nSET attacked yes\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[256];
            for (int n; (n = in.read(buf)) >= 0; ) { // ends when the server closes
                got.write(buf, 0, n);
            }
            assertThat(got.toString(StandardCharsets.US_ASCII)).doesNotContain("+OK");
        }
        assertThat(c.call("EXISTS", "attacked")).isEqualTo(integer(0));
        assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
    }

    // ---- strings ------------------------------------------------------------------------------

    @Test
    void setAndGet() throws IOException {
        assertThat(c.call("GET", "k")).isEqualTo(NIL);
        assertThat(c.call("SET", "k", "v")).isEqualTo(OK);
        assertThat(c.call("GET", "k")).isEqualTo(bulk("v"));
        assertThat(c.call("SET", "k", "")).isEqualTo(OK);
        assertThat(c.call("GET", "k")).isEqualTo(bulk(""));
    }

    @Test
    void setConditionsAndGetOption() throws IOException {
        assertThat(c.call("SET", "k", "1", "XX")).isEqualTo(NIL);
        assertThat(c.call("SET", "k", "1", "NX")).isEqualTo(OK);
        assertThat(c.call("SET", "k", "2", "NX")).isEqualTo(NIL);
        assertThat(c.call("SET", "k", "3", "xx")).isEqualTo(OK);
        assertThat(c.call("SET", "k", "4", "GET")).isEqualTo(bulk("3"));
        assertThat(c.call("SET", "k", "5", "NX", "GET")).isEqualTo(bulk("4"));
        assertThat(c.call("GET", "k")).isEqualTo(bulk("4"));
        assertThat(c.call("SET", "new", "x", "GET")).isEqualTo(NIL);
    }

    @Test
    void setOptionErrors() throws IOException {
        assertThat(c.call("SET", "k", "v", "NX", "XX")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("SET", "k", "v", "EX", "10", "PX", "100")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("SET", "k", "v", "KEEPTTL", "EX", "10")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("SET", "k", "v", "EX")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("SET", "k", "v", "FOO")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("SET", "k", "v", "EX", "0")).isEqualTo(error("ERR invalid expire time in 'set' command"));
        assertThat(c.call("SET", "k", "v", "PX", "-5")).isEqualTo(error("ERR invalid expire time in 'set' command"));
        assertThat(c.call("SET", "k", "v", "EX", "abc")).isEqualTo(error("ERR value is not an integer or out of range"));
        assertThat(c.call("SET", "k", "v", "EX", "9223372036854775807"))
                .isEqualTo(error("ERR invalid expire time in 'set' command"));
        assertThat(c.call("SET", "k")).isEqualTo(error("ERR wrong number of arguments for 'set' command"));
        assertThat(c.call("EXISTS", "k")).isEqualTo(integer(0));
    }

    @Test
    void setWithTtlOptions() throws IOException {
        assertThat(c.call("SET", "k", "v", "EX", "100")).isEqualTo(OK);
        assertThat(c.call("TTL", "k")).isIn(integer(100), integer(99));
        assertThat(c.call("SET", "k", "v2", "KEEPTTL")).isEqualTo(OK);
        assertThat(c.call("TTL", "k")).isIn(integer(100), integer(99));
        assertThat(c.call("SET", "k", "v3")).isEqualTo(OK);
        assertThat(c.call("TTL", "k")).isEqualTo(integer(-1));
        long at = System.currentTimeMillis() / 1000 + 1000;
        assertThat(c.call("SET", "k", "v", "EXAT", Long.toString(at))).isEqualTo(OK);
        assertThat(c.call("EXPIRETIME", "k")).isEqualTo(integer(at));
        long pat = System.currentTimeMillis() + 500_000;
        assertThat(c.call("SET", "k", "v", "PXAT", Long.toString(pat))).isEqualTo(OK);
        assertThat(c.call("PEXPIRETIME", "k")).isEqualTo(integer(pat));
    }

    @Test
    void setnxSetexPsetex() throws IOException {
        assertThat(c.call("SETNX", "k", "a")).isEqualTo(integer(1));
        assertThat(c.call("SETNX", "k", "b")).isEqualTo(integer(0));
        assertThat(c.call("SETEX", "k", "100", "c")).isEqualTo(OK);
        assertThat(c.call("GET", "k")).isEqualTo(bulk("c"));
        assertThat(c.call("TTL", "k")).isIn(integer(100), integer(99));
        assertThat(c.call("SETEX", "k", "0", "c")).isEqualTo(error("ERR invalid expire time in 'setex' command"));
        assertThat(c.call("PSETEX", "k", "-1", "c")).isEqualTo(error("ERR invalid expire time in 'psetex' command"));
        assertThat(c.call("SETEX", "k", "x", "c")).isEqualTo(error("ERR value is not an integer or out of range"));
        assertThat(c.call("PSETEX", "k", "100000", "d")).isEqualTo(OK);
        assertThat(c.call("GET", "k")).isEqualTo(bulk("d"));
    }

    @Test
    void getsetGetdelGetex() throws IOException {
        assertThat(c.call("GETSET", "k", "1")).isEqualTo(NIL);
        assertThat(c.call("EXPIRE", "k", "100")).isEqualTo(integer(1));
        assertThat(c.call("GETSET", "k", "2")).isEqualTo(bulk("1"));
        assertThat(c.call("TTL", "k")).isEqualTo(integer(-1));
        assertThat(c.call("GETEX", "k", "EX", "100")).isEqualTo(bulk("2"));
        assertThat(c.call("TTL", "k")).isIn(integer(100), integer(99));
        assertThat(c.call("GETEX", "k", "PERSIST")).isEqualTo(bulk("2"));
        assertThat(c.call("TTL", "k")).isEqualTo(integer(-1));
        assertThat(c.call("GETEX", "k", "EX", "10", "PERSIST")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("GETEX", "k", "EX", "0")).isEqualTo(error("ERR invalid expire time in 'getex' command"));
        assertThat(c.call("GETEX", "missing")).isEqualTo(NIL);
        assertThat(c.call("GETDEL", "k")).isEqualTo(bulk("2"));
        assertThat(c.call("GETDEL", "k")).isEqualTo(NIL);
    }

    @Test
    void multiKeyStrings() throws IOException {
        assertThat(c.call("MSET", "a", "1", "b", "2")).isEqualTo(OK);
        assertThat(c.call("MGET", "a", "x", "b")).isEqualTo(array(bulk("1"), NIL, bulk("2")));
        assertThat(c.call("MSET", "a", "1", "b")).isEqualTo(error("ERR wrong number of arguments for 'mset' command"));
        assertThat(c.call("MSETNX", "c", "3", "a", "9")).isEqualTo(integer(0));
        assertThat(c.call("EXISTS", "c")).isEqualTo(integer(0));
        assertThat(c.call("MSETNX", "c", "3", "d", "4")).isEqualTo(integer(1));
        assertThat(c.call("MGET", "c", "d")).isEqualTo(array(bulk("3"), bulk("4")));
        assertThat(c.call("MGET")).isEqualTo(error("ERR wrong number of arguments for 'mget' command"));
    }

    @Test
    void appendAndStrlen() throws IOException {
        assertThat(c.call("APPEND", "k", "Hello")).isEqualTo(integer(5));
        assertThat(c.call("APPEND", "k", " World")).isEqualTo(integer(11));
        assertThat(c.call("GET", "k")).isEqualTo(bulk("Hello World"));
        assertThat(c.call("STRLEN", "k")).isEqualTo(integer(11));
        assertThat(c.call("STRLEN", "missing")).isEqualTo(integer(0));
    }

    @Test
    void counters() throws IOException {
        assertThat(c.call("INCR", "n")).isEqualTo(integer(1));
        assertThat(c.call("INCRBY", "n", "41")).isEqualTo(integer(42));
        assertThat(c.call("DECR", "n")).isEqualTo(integer(41));
        assertThat(c.call("DECRBY", "n", "50")).isEqualTo(integer(-9));
        assertThat(c.call("SET", "s", "abc")).isEqualTo(OK);
        assertThat(c.call("INCR", "s")).isEqualTo(error("ERR value is not an integer or out of range"));
        assertThat(c.call("INCRBY", "n", "x")).isEqualTo(error("ERR value is not an integer or out of range"));
        assertThat(c.call("SET", "s", " 1")).isEqualTo(OK);
        assertThat(c.call("INCR", "s")).isEqualTo(error("ERR value is not an integer or out of range"));
        assertThat(c.call("SET", "max", "9223372036854775807")).isEqualTo(OK);
        assertThat(c.call("INCR", "max")).isEqualTo(error("ERR increment or decrement would overflow"));
        assertThat(c.call("DECRBY", "n", "-9223372036854775808")).isEqualTo(error("ERR decrement would overflow"));
        assertThat(c.call("SET", "t", "5", "EX", "100")).isEqualTo(OK);
        assertThat(c.call("INCR", "t")).isEqualTo(integer(6));
        assertThat(c.call("TTL", "t")).isIn(integer(100), integer(99));
    }

    @Test
    void incrbyfloat() throws IOException {
        assertThat(c.call("SET", "f", "10.50")).isEqualTo(OK);
        assertThat(c.call("INCRBYFLOAT", "f", "0.1")).isEqualTo(bulk("10.6"));
        assertThat(c.call("INCRBYFLOAT", "f", "-5")).isEqualTo(bulk("5.6"));
        assertThat(c.call("SET", "f", "5.0e3")).isEqualTo(OK);
        assertThat(c.call("INCRBYFLOAT", "f", "2.0e2")).isEqualTo(bulk("5200"));
        assertThat(c.call("INCRBYFLOAT", "g", "0.1")).isEqualTo(bulk("0.1"));
        assertThat(c.call("INCRBYFLOAT", "g", "0.2")).isEqualTo(bulk("0.3"));
        assertThat(c.call("INCRBYFLOAT", "f", "abc")).isEqualTo(error("ERR value is not a valid float"));
        assertThat(c.call("INCRBYFLOAT", "f", "nan")).isEqualTo(error("ERR value is not a valid float"));
        assertThat(c.call("SET", "s", "x")).isEqualTo(OK);
        assertThat(c.call("INCRBYFLOAT", "s", "1")).isEqualTo(error("ERR value is not a valid float"));
    }

    @Test
    void ranges() throws IOException {
        assertThat(c.call("SET", "k", "This is a string")).isEqualTo(OK);
        assertThat(c.call("GETRANGE", "k", "0", "3")).isEqualTo(bulk("This"));
        assertThat(c.call("GETRANGE", "k", "-3", "-1")).isEqualTo(bulk("ing"));
        assertThat(c.call("GETRANGE", "k", "0", "-1")).isEqualTo(bulk("This is a string"));
        assertThat(c.call("GETRANGE", "k", "10", "100")).isEqualTo(bulk("string"));
        assertThat(c.call("GETRANGE", "k", "5", "2")).isEqualTo(bulk(""));
        assertThat(c.call("GETRANGE", "missing", "0", "-1")).isEqualTo(bulk(""));
        assertThat(c.call("SUBSTR", "k", "0", "3")).isEqualTo(bulk("This"));
        assertThat(c.call("SET", "h", "Hello World")).isEqualTo(OK);
        assertThat(c.call("SETRANGE", "h", "6", "Redis")).isEqualTo(integer(11));
        assertThat(c.call("GET", "h")).isEqualTo(bulk("Hello Redis"));
        assertThat(c.call("SETRANGE", "z", "3", "x")).isEqualTo(integer(4));
        assertThat(c.call("GET", "z")).isEqualTo(bulk("\0\0\0x"));
        assertThat(c.call("SETRANGE", "empty", "3", "")).isEqualTo(integer(0));
        assertThat(c.call("EXISTS", "empty")).isEqualTo(integer(0));
        assertThat(c.call("SETRANGE", "h", "-1", "x")).isEqualTo(error("ERR offset is out of range"));
        assertThat(c.call("SETRANGE", "h", "536870912", "x"))
                .isEqualTo(error("ERR string exceeds maximum allowed size (proto-max-bulk-len)"));
    }

    // ---- keys ---------------------------------------------------------------------------------

    @Test
    void delExistsTouchType() throws IOException {
        c.call("MSET", "a", "1", "b", "2");
        assertThat(c.call("EXISTS", "a", "a", "x")).isEqualTo(integer(2));
        assertThat(c.call("TOUCH", "a", "b", "x")).isEqualTo(integer(2));
        assertThat(c.call("TYPE", "a")).isEqualTo(simple("string"));
        assertThat(c.call("TYPE", "x")).isEqualTo(simple("none"));
        assertThat(c.call("DEL", "a", "b", "x")).isEqualTo(integer(2));
        assertThat(c.call("UNLINK", "a")).isEqualTo(integer(0));
        assertThat(c.call("DBSIZE")).isEqualTo(integer(0));
    }

    @Test
    void renameAndRenamenx() throws IOException {
        assertThat(c.call("RENAME", "x", "y")).isEqualTo(error("ERR no such key"));
        c.call("SET", "a", "1", "EX", "100");
        c.call("SET", "b", "2");
        assertThat(c.call("RENAME", "a", "a")).isEqualTo(OK);
        assertThat(c.call("RENAMENX", "a", "b")).isEqualTo(integer(0));
        assertThat(c.call("RENAME", "a", "c")).isEqualTo(OK);
        assertThat(c.call("GET", "c")).isEqualTo(bulk("1"));
        assertThat(c.call("TTL", "c")).isIn(integer(100), integer(99));
        assertThat(c.call("EXISTS", "a")).isEqualTo(integer(0));
        assertThat(c.call("RENAMENX", "c", "d")).isEqualTo(integer(1));
        assertThat(c.call("RENAMENX", "nope", "d")).isEqualTo(error("ERR no such key"));
    }

    @Test
    void copyAndMove() throws IOException {
        c.call("SET", "a", "1", "EX", "100");
        c.call("SET", "b", "2");
        assertThat(c.call("COPY", "a", "a")).isEqualTo(error("ERR source and destination objects are the same"));
        assertThat(c.call("COPY", "a", "b")).isEqualTo(integer(0));
        assertThat(c.call("COPY", "a", "b", "REPLACE")).isEqualTo(integer(1));
        assertThat(c.call("GET", "b")).isEqualTo(bulk("1"));
        assertThat(c.call("TTL", "b")).isIn(integer(100), integer(99));
        assertThat(c.call("COPY", "nope", "z")).isEqualTo(integer(0));
        assertThat(c.call("COPY", "a", "x", "DB", "99")).isEqualTo(error("ERR DB index is out of range"));
        assertThat(c.call("COPY", "a", "x", "FOO")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("COPY", "a", "a", "DB", "1")).isEqualTo(integer(1));
        assertThat(c.call("MOVE", "b", "0")).isEqualTo(error("ERR source and destination objects are the same"));
        assertThat(c.call("MOVE", "b", "99")).isEqualTo(error("ERR DB index is out of range"));
        assertThat(c.call("MOVE", "a", "1")).isEqualTo(integer(0));
        assertThat(c.call("MOVE", "b", "1")).isEqualTo(integer(1));
        assertThat(c.call("EXISTS", "b")).isEqualTo(integer(0));
        assertThat(c.call("SELECT", "1")).isEqualTo(OK);
        assertThat(c.call("MGET", "a", "b")).isEqualTo(array(bulk("1"), bulk("1")));
        assertThat(c.call("TTL", "b")).isIn(integer(100), integer(99));
    }

    @Test
    void randomkeyKeysAndScan() throws IOException {
        assertThat(c.call("RANDOMKEY")).isEqualTo(NIL);
        c.call("SET", "only", "1");
        assertThat(c.call("RANDOMKEY")).isEqualTo(bulk("only"));
        for (int i = 0; i < 500; i++) {
            c.call("SET", "user:" + i, Integer.toString(i));
        }
        c.call("MSET", "hello", "1", "hallo", "2", "hxllo", "3", "hllo", "4", "heeeello", "5");
        assertThat(new HashSet<>(items(c.call("KEYS", "h?llo")))).containsExactlyInAnyOrder("hello", "hallo", "hxllo");
        assertThat(new HashSet<>(items(c.call("KEYS", "h*llo")))).containsExactlyInAnyOrder("hello", "hallo", "hxllo", "hllo", "heeeello");
        assertThat(new HashSet<>(items(c.call("KEYS", "h[ae]llo")))).containsExactlyInAnyOrder("hello", "hallo");
        assertThat(new HashSet<>(items(c.call("KEYS", "h[^e]llo")))).containsExactlyInAnyOrder("hallo", "hxllo");
        assertThat(items(c.call("KEYS", "*"))).hasSize(506);

        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            String raw = c.call("SCAN", cursor, "MATCH", "user:*", "COUNT", "50");
            String[] lines = raw.split("\r\n");
            assertThat(lines[0]).isEqualTo("*2");
            cursor = lines[2];
            // "*2\r\n$N\r\n<cursor>\r\n" then the keys' array (the cursor's digits may also occur earlier)
            int keysAt = 0;
            for (int line = 0; line < 3; line++) {
                keysAt = raw.indexOf("\r\n", keysAt) + 2;
            }
            seen.addAll(items(raw.substring(keysAt)));
            calls++;
        } while (!cursor.equals("0") && calls < 10_000);
        assertThat(seen).hasSize(500).allMatch(k -> k.startsWith("user:"));
        assertThat(c.call("SCAN", "0", "COUNT", "0")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("SCAN", "abc")).isEqualTo(error("ERR invalid cursor"));
        assertThat(c.call("SCAN", "0", "TYPE", "hash", "COUNT", "1000")).startsWith("*2\r\n").endsWith("*0\r\n");
    }

    @Test
    void expireFamilyWithOptions() throws IOException {
        assertThat(c.call("EXPIRE", "k", "100")).isEqualTo(integer(0));
        c.call("SET", "k", "v");
        assertThat(c.call("TTL", "k")).isEqualTo(integer(-1));
        assertThat(c.call("TTL", "missing")).isEqualTo(integer(-2));
        assertThat(c.call("PTTL", "missing")).isEqualTo(integer(-2));
        assertThat(c.call("EXPIRE", "k", "100", "XX")).isEqualTo(integer(0));
        assertThat(c.call("EXPIRE", "k", "100", "GT")).isEqualTo(integer(0));
        assertThat(c.call("EXPIRE", "k", "100", "NX")).isEqualTo(integer(1));
        assertThat(c.call("EXPIRE", "k", "100", "NX")).isEqualTo(integer(0));
        assertThat(c.call("EXPIRE", "k", "50", "GT")).isEqualTo(integer(0));
        assertThat(c.call("EXPIRE", "k", "200", "GT")).isEqualTo(integer(1));
        assertThat(c.call("EXPIRE", "k", "300", "LT")).isEqualTo(integer(0));
        assertThat(c.call("EXPIRE", "k", "150", "LT", "XX")).isEqualTo(integer(1));
        assertThat(c.call("TTL", "k")).isIn(integer(150), integer(149));
        assertThat(c.call("EXPIRE", "k", "10", "NX", "XX"))
                .isEqualTo(error("ERR NX and XX, GT or LT options at the same time are not compatible"));
        assertThat(c.call("EXPIRE", "k", "10", "GT", "LT"))
                .isEqualTo(error("ERR GT and LT options at the same time are not compatible"));
        assertThat(c.call("EXPIRE", "k", "10", "FOO")).isEqualTo(error("ERR Unsupported option FOO"));
        assertThat(c.call("EXPIRE", "k", "abc")).isEqualTo(error("ERR value is not an integer or out of range"));
        assertThat(c.call("EXPIRE", "k", "9223372036854775807"))
                .isEqualTo(error("ERR invalid expire time in 'expire' command"));
        assertThat(c.call("PERSIST", "k")).isEqualTo(integer(1));
        assertThat(c.call("PERSIST", "k")).isEqualTo(integer(0));
        assertThat(c.call("EXPIRETIME", "k")).isEqualTo(integer(-1));
        long at = System.currentTimeMillis() + 1_000_000;
        assertThat(c.call("PEXPIREAT", "k", Long.toString(at))).isEqualTo(integer(1));
        assertThat(c.call("PEXPIRETIME", "k")).isEqualTo(integer(at));
        assertThat(c.call("EXPIRETIME", "k")).isEqualTo(integer((at + 500) / 1000));
        assertThat(c.call("EXPIREAT", "k", Long.toString(at / 1000 + 10))).isEqualTo(integer(1));
        assertThat(c.call("EXPIRETIME", "k")).isEqualTo(integer(at / 1000 + 10));
        assertThat(c.call("PEXPIRE", "k", "500000")).isEqualTo(integer(1));
        String pttl = c.call("PTTL", "k");
        assertThat(Long.parseLong(pttl.substring(1).trim())).isBetween(490_000L, 500_000L);
        // A deadline in the past deletes the key.
        assertThat(c.call("EXPIRE", "k", "-1")).isEqualTo(integer(1));
        assertThat(c.call("EXISTS", "k")).isEqualTo(integer(0));
    }

    @Test
    void objectSubcommands() throws IOException {
        c.call("MSET", "i", "123", "s", "hello", "r", "x".repeat(45), "big", "99999");
        assertThat(c.call("OBJECT", "ENCODING", "i")).isEqualTo(bulk("int"));
        assertThat(c.call("OBJECT", "ENCODING", "s")).isEqualTo(bulk("embstr"));
        assertThat(c.call("OBJECT", "ENCODING", "r")).isEqualTo(bulk("raw"));
        assertThat(c.call("OBJECT", "ENCODING", "missing")).isEqualTo(NIL);
        assertThat(c.call("OBJECT", "REFCOUNT", "i")).isEqualTo(integer(Integer.MAX_VALUE));
        assertThat(c.call("OBJECT", "REFCOUNT", "big")).isEqualTo(integer(1));
        assertThat(c.call("OBJECT", "REFCOUNT", "s")).isEqualTo(integer(1));
        assertThat(c.call("OBJECT", "IDLETIME", "s")).isEqualTo(integer(0));
        assertThat(c.call("OBJECT", "FREQ", "s")).startsWith("-ERR An LFU maxmemory policy is not selected");
        assertThat(c.call("OBJECT", "FOO", "s")).isEqualTo(error("ERR unknown subcommand 'FOO'. Try OBJECT HELP."));
        assertThat(c.call("OBJECT", "ENCODING")).isEqualTo(error("ERR wrong number of arguments for 'object|encoding' command"));
    }

    @Test
    void databases() throws IOException {
        assertThat(c.call("SELECT", "16")).isEqualTo(error("ERR DB index is out of range"));
        assertThat(c.call("SELECT", "abc")).isEqualTo(error("ERR value is not an integer or out of range"));
        c.call("SET", "in0", "a");
        assertThat(c.call("SWAPDB", "0", "1")).isEqualTo(OK);
        assertThat(c.call("EXISTS", "in0")).isEqualTo(integer(0));
        assertThat(c.call("SELECT", "1")).isEqualTo(OK);
        assertThat(c.call("GET", "in0")).isEqualTo(bulk("a"));
        assertThat(c.call("SWAPDB", "0", "99")).isEqualTo(error("ERR DB index is out of range"));
        assertThat(c.call("SWAPDB", "x", "1")).isEqualTo(error("ERR invalid first DB index"));
        assertThat(c.call("SWAPDB", "0", "y")).isEqualTo(error("ERR invalid second DB index"));
        assertThat(c.call("FLUSHDB", "ASYNC")).isEqualTo(OK);
        assertThat(c.call("DBSIZE")).isEqualTo(integer(0));
        assertThat(c.call("FLUSHDB", "FOO")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("FLUSHALL", "SYNC")).isEqualTo(OK);
    }

    // ---- connection ---------------------------------------------------------------------------

    @Test
    void pingEchoAndErrors() throws IOException {
        assertThat(c.call("PING")).isEqualTo(simple("PONG"));
        assertThat(c.call("PING", "hi")).isEqualTo(bulk("hi"));
        assertThat(c.call("PING", "a", "b")).isEqualTo(error("ERR wrong number of arguments for 'ping' command"));
        assertThat(c.call("ECHO", "x y")).isEqualTo(bulk("x y"));
        assertThat(c.call("GET")).isEqualTo(error("ERR wrong number of arguments for 'get' command"));
        assertThat(c.call("FOO", "a", "b")).isEqualTo(error("ERR unknown command 'FOO', with args beginning with: 'a' 'b' "));
        assertThat(c.call("foo")).isEqualTo(error("ERR unknown command 'foo', with args beginning with: "));
        assertThat(c.call("gEt", "nothing")).isEqualTo(NIL);
    }

    @Test
    void helloAndResp3() throws IOException {
        assertThat(c.call("HELLO", "4")).isEqualTo(error("NOPROTO unsupported protocol version"));
        assertThat(c.call("HELLO", "abc")).isEqualTo(error("ERR Protocol version is not an integer or out of range"));
        assertThat(c.call("HELLO", "3", "FOO")).isEqualTo(error("ERR Syntax error in HELLO option 'FOO'"));
        String hello = c.call("HELLO", "3");
        assertThat(hello).startsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n")
                .endsWith("$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n");
        assertThat(c.call("GET", "missing")).isEqualTo("_\r\n");
        assertThat(c.call("CONFIG", "GET", "databases")).isEqualTo("%1\r\n$9\r\ndatabases\r\n$2\r\n16\r\n");
        assertThat(c.call("HELLO", "2")).startsWith("*14\r\n");
        assertThat(c.call("GET", "missing")).isEqualTo(NIL);
    }

    @Test
    void authWithoutPassword() throws IOException {
        assertThat(c.call("AUTH", "secret")).isEqualTo(error(
                "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"));
        // Without requirepass the default user has no password: any password is accepted.
        assertThat(c.call("AUTH", "default", "secret")).isEqualTo(OK);
        assertThat(c.call("AUTH", "someone", "secret")).isEqualTo(error("WRONGPASS invalid username-password pair or user is disabled."));
    }

    @Test
    void clientSubcommands() throws IOException {
        assertThat(c.call("CLIENT", "GETNAME")).isEqualTo(NIL);
        assertThat(c.call("CLIENT", "SETNAME", "a b")).isEqualTo(error("ERR Client names cannot contain spaces, newlines or special characters."));
        assertThat(c.call("CLIENT", "SETNAME", "worker-1")).isEqualTo(OK);
        assertThat(c.call("CLIENT", "GETNAME")).isEqualTo(bulk("worker-1"));
        assertThat(c.call("CLIENT", "ID")).startsWith(":");
        assertThat(c.call("CLIENT", "INFO")).contains("name=worker-1").contains(" db=0 ");
        assertThat(c.call("CLIENT", "LIST")).contains("name=worker-1");
        assertThat(c.call("CLIENT", "FOO")).isEqualTo(error("ERR unknown subcommand 'FOO'. Try CLIENT HELP."));
        assertThat(c.call("CLIENT", "NO-EVICT", "maybe")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("CLIENT", "NO-EVICT", "on")).isEqualTo(OK);
        assertThat(c.call("CLIENT", "KILL", "1.2.3.4:5")).isEqualTo(error("ERR No such client"));
        assertThat(c.call("CLIENT", "SETNAME")).isEqualTo(error("ERR wrong number of arguments for 'client|setname' command"));
    }

    @Test
    void clientReplyModes() throws IOException {
        c.send(RespConnection.encode("CLIENT", "REPLY", "OFF"));
        c.send(RespConnection.encode("SET", "k", "1"));
        c.send(RespConnection.encode("CLIENT", "REPLY", "ON"));
        assertThat(c.readReply()).isEqualTo(OK);
        c.send(RespConnection.encode("CLIENT", "REPLY", "SKIP"));
        c.send(RespConnection.encode("GET", "k"));
        assertThat(c.call("ECHO", "after")).isEqualTo(bulk("after"));
        assertThat(c.call("GET", "k")).isEqualTo(bulk("1"));
    }

    @Test
    void clientKillByIdClosesTheOtherConnection() throws IOException {
        try (RespConnection other = new RespConnection(port())) {
            String id = other.call("CLIENT", "ID").substring(1).trim();
            assertThat(c.call("CLIENT", "KILL", "ID", id)).isEqualTo(integer(1));
            assertThat(other.closedByServer()).isTrue();
            assertThat(c.call("CLIENT", "KILL", "ID", id)).isEqualTo(integer(0));
        }
    }

    @Test
    void quitAndReset() throws IOException {
        c.call("SELECT", "3");
        c.call("CLIENT", "SETNAME", "x");
        assertThat(c.call("RESET")).isEqualTo(simple("RESET"));
        assertThat(c.call("CLIENT", "GETNAME")).isEqualTo(NIL);
        c.call("SET", "in0", "1");
        c.call("SELECT", "0");
        assertThat(c.call("EXISTS", "in0")).isEqualTo(integer(1));
        assertThat(c.call("QUIT")).isEqualTo(OK);
        assertThat(c.closedByServer()).isTrue();
    }

    // ---- server -------------------------------------------------------------------------------

    @Test
    void configGetAndSet() throws IOException {
        assertThat(c.call("CONFIG", "GET", "save")).isEqualTo(array(bulk("save"), bulk("")));
        assertThat(c.call("CONFIG", "GET", "appendonly")).isEqualTo(array(bulk("appendonly"), bulk("no")));
        assertThat(c.call("CONFIG", "GET", "maxclients")).isEqualTo(array(bulk("maxclients"), bulk("10000")));
        assertThat(c.call("CONFIG", "GET", "proto-max-bulk-len")).isEqualTo(array(bulk("proto-max-bulk-len"), bulk("536870912")));
        assertThat(c.call("CONFIG", "GET", "no-such-thing")).isEqualTo("*0\r\n");
        assertThat(c.call("CONFIG", "SET", "timeout", "7")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "GET", "timeout")).isEqualTo(array(bulk("timeout"), bulk("7")));
        assertThat(c.call("CONFIG", "SET", "timeout", "0")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "SET", "maxclients", "abc")).isEqualTo(error(
                "ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't be parsed into an integer"));
        assertThat(c.call("CONFIG", "SET", "databases", "3")).isEqualTo(error(
                "ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config"));
        assertThat(c.call("CONFIG", "SET", "foo", "bar")).isEqualTo(error(
                "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"));
        assertThat(c.call("CONFIG", "SET", "timeout")).isEqualTo(error("ERR wrong number of arguments for 'config|set' command"));
        assertThat(c.call("CONFIG", "SET", "save", "")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "RESETSTAT")).isEqualTo(OK);
    }

    @Test
    void commandIntrospection() throws IOException {
        // The table is captured from Redis 7.0.15, so these replies match to the byte.
        assertThat(c.call("COMMAND", "INFO", "get", "nosuch")).startsWith("*2\r\n*10\r\n$3\r\nget\r\n:2\r\n").endsWith("$-1\r\n");
        // statuses, sets, integers, maps and nested arrays, whole (as Redis 7.0.15 sends them)
        assertThat(c.call("COMMAND", "INFO", "get")).isEqualTo("*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n"
                + ":1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n"
                + "+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n"
                + ":1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n"
                + "$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n");
        assertThat(c.call("COMMAND", "DOCS", "get")).isEqualTo("*2\r\n$3\r\nget\r\n*10\r\n$7\r\nsummary\r\n"
                + "$22\r\nGet the value of a key\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n"
                + "$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\narguments\r\n*1\r\n*6\r\n$4\r\nname\r\n$3\r\nkey\r\n"
                + "$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n");
        // a container lists each of its subcommands (in an order Redis does not fix)
        assertThat(c.call("COMMAND", "INFO", "config").split("\\$\\d+\r\nconfig\\|", -1)).hasSize(6);
        try (RespConnection redisLike = new RespConnection(port())) {
            assertThat(redisLike.call("COMMAND", "DOCS", "set")).contains("Set the string value of a key");
        }
        assertThat(c.call("COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2")).isEqualTo(array(bulk("a"), bulk("b")));
        assertThat(c.call("COMMAND", "GETKEYS", "SET", "k", "v")).isEqualTo(array(bulk("k")));
        assertThat(c.call("COMMAND", "GETKEYS", "GET")).isEqualTo(error("ERR wrong number of arguments for 'command|getkeys' command"));
        assertThat(c.call("COMMAND", "GETKEYS", "GET", "a", "b")).isEqualTo(error("ERR Invalid number of arguments specified for command"));
        assertThat(c.call("COMMAND", "GETKEYS", "NOSUCH", "x")).isEqualTo(error("ERR Invalid command specified"));
        assertThat(c.call("COMMAND", "GETKEYS", "PING", "hello")).isEqualTo(error("ERR The command has no key arguments"));
        assertThat(c.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "getd*")).isEqualTo(array(bulk("getdel")));
        assertThat(c.call("COMMAND", "FOO")).isEqualTo(error("ERR unknown subcommand 'FOO'. Try COMMAND HELP."));
    }

    @Test
    void commandInfoMatchesRedisExactly() throws IOException {
        for (String cmd : List.of("get", "set", "mset", "expire", "scan", "object", "client", "config")) {
            String reply = c.call("COMMAND", "INFO", cmd);
            assertThat(reply).startsWith("*1\r\n*10\r\n$" + cmd.length() + "\r\n" + cmd + "\r\n");
            assertThat(reply.length()).isGreaterThan(40);
        }
    }

    @Test
    void infoAndTime() throws IOException {
        assertThat(c.call("CONFIG", "RESETSTAT")).isEqualTo(OK);
        c.call("SET", "a", "1");
        c.call("SET", "b", "1", "EX", "100");
        assertThat(c.call("INFO", "keyspace")).contains("# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=");
        assertThat(c.call("INFO")).contains("redis_version:7.0.15\r\n").contains("# Clients\r\nconnected_clients:")
                .contains("# Persistence\r\nloading:0\r\n").contains("total_commands_processed:")
                .contains("# Stats\r\n").contains("used_memory:");
        assertThat(c.call("INFO", "commandstats")).contains("cmdstat_set:calls=2,");
        String time = c.call("TIME");
        List<String> parts = items(time);
        assertThat(Long.parseLong(parts.get(0))).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
        assertThat(Long.parseLong(parts.get(1))).isBetween(0L, 999_999L);
        assertThat(c.call("LASTSAVE")).startsWith(":");
        assertThat(c.call("DEBUG", "SLEEP", "0")).isEqualTo(OK);
    }

    // ---- protocol -----------------------------------------------------------------------------

    @Test
    void inlineCommandsAndPipelining() throws IOException {
        c.send("SET inline 1\r\n");
        assertThat(c.readReply()).isEqualTo(OK);
        c.send("set \"a b\" 'c d'\r\nGET \"a b\"\r\n\r\nPING\n");
        assertThat(c.readReply()).isEqualTo(OK);
        assertThat(c.readReply()).isEqualTo(bulk("c d"));
        assertThat(c.readReply()).isEqualTo(simple("PONG"));
        c.send(new String(RespConnection.encode("INCR", "p")) + new String(RespConnection.encode("INCR", "p"))
                + new String(RespConnection.encode("GET", "p")));
        assertThat(c.readReply()).isEqualTo(integer(1));
        assertThat(c.readReply()).isEqualTo(integer(2));
        assertThat(c.readReply()).isEqualTo(bulk("2"));
    }

    private void assertProtocolError(String input, String message) throws IOException {
        try (RespConnection bad = new RespConnection(port())) {
            bad.send(input);
            assertThat(bad.readReply()).isEqualTo(error("ERR Protocol error: " + message));
            assertThat(bad.closedByServer()).isTrue();
        }
        assertThat(c.call("PING")).isEqualTo(simple("PONG"));
    }

    @Test
    void protocolErrorsCloseOnlyThatConnection() throws IOException {
        assertProtocolError("*abc\r\n", "invalid multibulk length");
        assertProtocolError("*1\r\nx\r\n", "expected '$', got 'x'");
        assertProtocolError("*1\r\n$-5\r\n", "invalid bulk length");
        assertProtocolError("*1\r\n$600000000\r\n", "invalid bulk length");
        assertProtocolError("set \"a b\r\n", "unbalanced quotes in request");
        assertProtocolError("x".repeat(70 * 1024), "too big inline request");
    }

    @Test
    void lcsAsRedisComputesIt() throws IOException {
        c.call("MSET", "key1", "ohmytext", "key2", "mynewtext", "a", "GTTCCAGGTCAAACTG", "b", "GTCACGATCTTGCAAGGT");
        assertThat(c.call("LCS", "key1", "key2")).isEqualTo(RespConnection.bulk("mytext"));
        assertThat(c.call("LCS", "key1", "key2", "LEN")).isEqualTo(RespConnection.integer(6));
        assertThat(c.call("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN")).isEqualTo(
                "*4\r\n" + RespConnection.bulk("matches") + "*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n"
                + RespConnection.bulk("len") + RespConnection.integer(6));
        assertThat(c.call("LCS", "a", "b")).isEqualTo(RespConnection.bulk("GTCAGTCAAG"));
        assertThat(c.call("LCS", "a", "b", "IDX")).startsWith("*4\r\n" + RespConnection.bulk("matches") + "*7\r\n*2\r\n*2\r\n:15\r\n:15\r\n");
        assertThat(c.call("LCS", "key1", "nokey")).isEqualTo(RespConnection.bulk(""));
        c.call("RPUSH", "list", "x");
        assertThat(c.call("LCS", "key1", "list")).isEqualTo(RespConnection.error("ERR The specified keys must contain string values"));
        assertThat(c.call("LCS", "key1", "key2", "LEN", "IDX"))
                .isEqualTo(RespConnection.error("ERR If you want both the length and indexes, please just use IDX."));
        assertThat(c.call("LCS", "key1", "key2", "BOGUS")).isEqualTo(RespConnection.error("ERR syntax error"));
    }

    /** HyperLogLog values are Redis's bytes: the same errors, and a corrupted sparse value is detected. */
    @Test
    void hyperLogLogErrors() throws IOException {
        assertThat(c.call("PFADD", "h", "a", "b", "c")).isEqualTo(RespConnection.integer(1));
        assertThat(c.call("PFADD", "h", "a")).isEqualTo(RespConnection.integer(0));
        assertThat(c.call("PFADD", "h")).isEqualTo(RespConnection.integer(0));
        assertThat(c.call("PFADD", "empty")).isEqualTo(RespConnection.integer(1));
        assertThat(c.call("PFCOUNT", "h")).isEqualTo(RespConnection.integer(3));
        assertThat(c.call("PFCOUNT", "h", "empty", "missing")).isEqualTo(RespConnection.integer(3));
        assertThat(c.call("PFMERGE", "m", "h", "missing")).isEqualTo(RespConnection.OK);
        assertThat(c.call("PFCOUNT", "m")).isEqualTo(RespConnection.integer(3));
        c.call("SET", "s", "not an hll");
        assertThat(c.call("PFADD", "s", "x")).isEqualTo(RespConnection.error("WRONGTYPE Key is not a valid HyperLogLog string value."));
        assertThat(c.call("PFCOUNT", "s")).isEqualTo(RespConnection.error("WRONGTYPE Key is not a valid HyperLogLog string value."));
        c.call("RPUSH", "l", "x");
        assertThat(c.call("PFCOUNT", "l")).isEqualTo(RespConnection.error("WRONGTYPE Operation against a key holding the wrong kind of value"));
        byte[] sparse = c.callForBulk("GET", "h");
        byte[] corrupt = java.util.Arrays.copyOf(sparse, sparse.length);
        corrupt[corrupt.length - 1] = 0x7f; // an XZERO opcode cut in half
        corrupt[15] |= (byte) 0x80; // and the cached cardinality marked stale, so PFCOUNT reads the registers
        c.callBinary("SET".getBytes(), "bad".getBytes(), corrupt);
        assertThat(c.call("PFCOUNT", "bad")).isEqualTo(RespConnection.error("INVALIDOBJ Corrupted HLL object detected"));
    }

    @Test
    void bitmapsAndTheirErrors() throws IOException {
        assertThat(c.call("SETBIT", "b", "7", "1")).isEqualTo(RespConnection.integer(0));
        assertThat(c.call("SETBIT", "b", "7", "1")).isEqualTo(RespConnection.integer(1));
        assertThat(c.call("SETBIT", "b", "100", "1")).isEqualTo(RespConnection.integer(0));
        assertThat(c.call("GET", "b")).isEqualTo(RespConnection.bulk("\u0001" + "\u0000".repeat(11) + "\u0008"));
        assertThat(c.call("GETBIT", "b", "100")).isEqualTo(RespConnection.integer(1));
        assertThat(c.call("GETBIT", "b", "100000")).isEqualTo(RespConnection.integer(0));
        assertThat(c.call("BITCOUNT", "b")).isEqualTo(RespConnection.integer(2));
        assertThat(c.call("BITCOUNT", "b", "0", "7", "BIT")).isEqualTo(RespConnection.integer(1));
        assertThat(c.call("BITCOUNT", "b", "-1", "-1")).isEqualTo(RespConnection.integer(1));
        assertThat(c.call("BITPOS", "b", "1")).isEqualTo(RespConnection.integer(7));
        assertThat(c.call("BITPOS", "b", "1", "1")).isEqualTo(RespConnection.integer(100));
        assertThat(c.call("BITPOS", "b", "0", "0", "-1")).isEqualTo(RespConnection.integer(0));
        assertThat(c.call("BITPOS", "b", "1", "8", "99", "BIT")).isEqualTo(RespConnection.integer(-1));
        assertThat(c.call("BITOP", "NOT", "nb", "b")).isEqualTo(RespConnection.integer(13));
        assertThat(c.call("BITCOUNT", "nb")).isEqualTo(RespConnection.integer(102));
        assertThat(c.call("BITOP", "AND", "none", "missing1", "missing2")).isEqualTo(RespConnection.integer(0));
        assertThat(c.call("SETBIT", "b", "-1", "1")).isEqualTo(RespConnection.error("ERR bit offset is not an integer or out of range"));
        assertThat(c.call("SETBIT", "b", "4294967296", "1")).isEqualTo(RespConnection.error("ERR bit offset is not an integer or out of range"));
        assertThat(c.call("SETBIT", "b", "1", "2")).isEqualTo(RespConnection.error("ERR bit is not an integer or out of range"));
        assertThat(c.call("BITPOS", "b", "2")).isEqualTo(RespConnection.error("ERR The bit argument must be 1 or 0."));
        assertThat(c.call("BITOP", "NOT", "d", "a", "b")).isEqualTo(RespConnection.error("ERR BITOP NOT must be called with a single source key."));
        assertThat(c.call("BITCOUNT", "b", "0", "1", "BOGUS")).isEqualTo(RespConnection.error("ERR syntax error"));
        assertThat(c.call("BITFIELD", "f", "SET", "u8", "0", "255", "INCRBY", "u8", "0", "10", "OVERFLOW", "SAT", "INCRBY", "i8", "#1",
                "200", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "300", "GET", "i16", "0")).isEqualTo(RespConnection.array(
                RespConnection.integer(0), RespConnection.integer(9), RespConnection.integer(127), "$-1\r\n",
                RespConnection.integer(2431)));
        assertThat(c.call("BITFIELD_RO", "f", "GET", "u4", "0")).isEqualTo(RespConnection.array(RespConnection.integer(0)));
        assertThat(c.call("BITFIELD_RO", "f", "SET", "u8", "0", "1"))
                .isEqualTo(RespConnection.error("ERR BITFIELD_RO only supports the GET subcommand"));
        assertThat(c.call("BITFIELD", "f", "GET", "u64", "0")).isEqualTo(RespConnection.error(
                "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."));
        assertThat(c.call("BITFIELD", "f", "OVERFLOW", "bogus")).isEqualTo(RespConnection.error("ERR Invalid OVERFLOW type specified"));
        c.call("RPUSH", "l", "x");
        assertThat(c.call("GETBIT", "l", "0")).isEqualTo(RespConnection.error("WRONGTYPE Operation against a key holding the wrong kind of value"));
    }

    @Test
    void sortWithPatternsLimitsAndStore() throws IOException {
        c.call("RPUSH", "ids", "3", "1", "2", "10");
        c.call("MSET", "w_1", "30", "w_2", "10", "w_3", "20", "w_10", "5", "o_1", "one", "o_2", "two", "o_3", "three");
        c.call("HSET", "h_1", "name", "n1");
        c.call("HSET", "h_10", "name", "n10");
        assertThat(c.call("SORT", "ids")).isEqualTo(RespConnection.array(RespConnection.bulk("1"), RespConnection.bulk("2"),
                RespConnection.bulk("3"), RespConnection.bulk("10")));
        assertThat(c.call("SORT", "ids", "ALPHA", "DESC", "LIMIT", "1", "2"))
                .isEqualTo(RespConnection.array(RespConnection.bulk("2"), RespConnection.bulk("10")));
        assertThat(c.call("SORT", "ids", "BY", "w_*", "GET", "#", "GET", "o_*", "GET", "h_*->name")).isEqualTo(RespConnection.array(
                RespConnection.bulk("10"), "$-1\r\n", RespConnection.bulk("n10"),
                RespConnection.bulk("2"), RespConnection.bulk("two"), "$-1\r\n",
                RespConnection.bulk("3"), RespConnection.bulk("three"), "$-1\r\n",
                RespConnection.bulk("1"), RespConnection.bulk("one"), RespConnection.bulk("n1")));
        assertThat(c.call("SORT", "ids", "BY", "nosort", "DESC", "LIMIT", "0", "2"))
                .isEqualTo(RespConnection.array(RespConnection.bulk("10"), RespConnection.bulk("2")));
        assertThat(c.call("SORT", "ids", "BY", "w_*", "DESC", "STORE", "out")).isEqualTo(RespConnection.integer(4));
        assertThat(c.call("LRANGE", "out", "0", "-1")).isEqualTo(RespConnection.array(RespConnection.bulk("1"),
                RespConnection.bulk("3"), RespConnection.bulk("2"), RespConnection.bulk("10")));
        c.call("ZADD", "z", "1", "a", "2", "b");
        assertThat(c.call("SORT", "z", "ALPHA")).isEqualTo(RespConnection.array(RespConnection.bulk("a"), RespConnection.bulk("b")));
        assertThat(c.call("OBJECT", "ENCODING", "z")).isEqualTo(RespConnection.bulk("skiplist")); // SORT converts it, as Redis does
        c.call("RPUSH", "words", "b", "a");
        assertThat(c.call("SORT", "words")).isEqualTo(RespConnection.error("ERR One or more scores can't be converted into double"));
        assertThat(c.call("SORT_RO", "ids", "STORE", "x")).isEqualTo(RespConnection.error("ERR syntax error"));
        assertThat(c.call("SORT", "ids", "LIMIT", "a", "b")).isEqualTo(RespConnection.error("ERR value is not an integer or out of range"));
        assertThat(c.call("SORT", "w_1")).isEqualTo(RespConnection.error("WRONGTYPE Operation against a key holding the wrong kind of value"));
        assertThat(c.call("SORT", "missing", "STORE", "out")).isEqualTo(RespConnection.integer(0));
        assertThat(c.call("EXISTS", "out")).isEqualTo(RespConnection.integer(0));
    }
}
