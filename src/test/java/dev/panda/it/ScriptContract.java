package dev.panda.it;

import static dev.panda.it.RespConnection.NIL;
import static dev.panda.it.RespConnection.OK;
import static dev.panda.it.RespConnection.array;
import static dev.panda.it.RespConnection.bulk;
import static dev.panda.it.RespConnection.error;
import static dev.panda.it.RespConnection.integer;
import static dev.panda.it.RespConnection.simple;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT, asserted against Panda ({@link PandaScriptIT})
 * and against Debian's real redis-server ({@link RedisScriptIT}): Redis's Lua environment, its
 * reply conversions both ways, its error tables and texts, shebang flags, and scripts as
 * applications write them. Test thread.
 */
abstract class ScriptContract extends ServerContract {
    static String sha(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The error Redis reports for a script that raised {@code message} at {@code line}. */
    static String scriptError(String message, String script, int line) {
        return error(message + " script: " + sha(script) + ", on @user_script:" + line + ".");
    }

    String eval(String script, String... keysThenArgs) throws IOException {
        String[] args = new String[keysThenArgs.length + 2];
        args[0] = "EVAL";
        args[1] = script;
        System.arraycopy(keysThenArgs, 0, args, 2, keysThenArgs.length);
        return c.call(args);
    }

    @Test
    void luaValuesBecomeRepliesAsInRedis() throws IOException {
        assertThat(eval("return 3.99", "0")).isEqualTo(integer(3));
        assertThat(eval("return -3.99", "0")).isEqualTo(integer(-3));
        assertThat(eval("return 'x'", "0")).isEqualTo(bulk("x"));
        assertThat(eval("return true", "0")).isEqualTo(integer(1));
        assertThat(eval("return false", "0")).isEqualTo(NIL);
        assertThat(eval("return nil", "0")).isEqualTo(NIL);
        assertThat(eval("return {1, 2, 'x', nil, 4}", "0")).isEqualTo(array(integer(1), integer(2), bulk("x")));
        assertThat(eval("return {1, {2.5, {'deep'}}, false, true}", "0"))
                .isEqualTo(array(integer(1), array(integer(2), array(bulk("deep"))), NIL, integer(1)));
        assertThat(eval("return {}", "0")).isEqualTo("*0\r\n");
        assertThat(eval("return {a = 1}", "0")).isEqualTo("*0\r\n");
        assertThat(eval("return redis.status_reply('FINE')", "0")).isEqualTo(simple("FINE"));
        assertThat(eval("return {ok = 'STATUS'}", "0")).isEqualTo(simple("STATUS"));
        assertThat(eval("return redis.error_reply('MY_ERR went wrong')", "0")).isEqualTo(error("MY_ERR went wrong"));
        assertThat(eval("return redis.error_reply('-CODE x')", "0")).isEqualTo(error("CODE x"));
        assertThat(eval("return redis.error_reply('nospace')", "0")).isEqualTo(error("ERR nospace"));
        assertThat(eval("return {err = 'RAW text'}", "0")).isEqualTo(error("RAW text"));
        assertThat(eval("return redis.error_reply(1)", "0")).isEqualTo(error("ERR wrong number or type of arguments"));
        assertThat(eval("return {1, redis.error_reply('E inner')}", "0")).isEqualTo(array(integer(1), error("E inner")));
    }

    @Test
    void repliesBecomeLuaValuesAsInRedis() throws IOException {
        c.call("SET", "s", "v");
        c.call("RPUSH", "l", "a", "b");
        assertThat(eval("return redis.call('GET', 'nokey') == false", "0")).isEqualTo(integer(1));
        assertThat(eval("return type(redis.call('SET', 'x', 'y'))", "0")).isEqualTo(bulk("table"));
        assertThat(eval("return redis.call('SET', 'x', 'y').ok", "0")).isEqualTo(bulk("OK"));
        assertThat(eval("return redis.call('LRANGE', 'l', 0, -1)", "0")).isEqualTo(array(bulk("a"), bulk("b")));
        assertThat(eval("return type(redis.call('INCR', 'n'))", "0")).isEqualTo(bulk("number"));
        assertThat(eval("local r = redis.pcall('INCR', 's'); return {type(r), r.err}", "0"))
                .isEqualTo(array(bulk("table"), bulk("ERR value is not an integer or out of range")));
        assertThat(eval("return redis.pcall('LPUSH', 's', 'x')", "0"))
                .isEqualTo(error("WRONGTYPE Operation against a key holding the wrong kind of value"));
        // Numbers are sent as %.17g; the reply of a float is its bulk text.
        assertThat(eval("redis.call('SET', 'f', 0.1); return redis.call('GET', 'f')", "0")).isEqualTo(bulk("0.10000000000000001"));
        assertThat(eval("redis.call('SET', 'f', 3); return redis.call('GET', 'f')", "0")).isEqualTo(bulk("3"));
        assertThat(eval("return redis.call('INCRBYFLOAT', 'g', 1.5)", "0")).isEqualTo(bulk("1.5"));
    }

    @Test
    void resp3RepliesInsideScripts() throws IOException {
        c.call("HSET", "h", "f", "v");
        c.call("ZADD", "z", "1.5", "m");
        assertThat(eval("redis.setresp(3); local r = redis.call('HGETALL', 'h'); return r.map.f", "0")).isEqualTo(bulk("v"));
        assertThat(eval("redis.setresp(3); return redis.call('HGETALL', 'h')", "0")).isEqualTo(array(bulk("f"), bulk("v")));
        assertThat(eval("redis.setresp(3); return redis.call('GET', 'nokey') == nil", "0")).isEqualTo(integer(1));
        assertThat(eval("redis.setresp(3); return redis.call('ZSCORE', 'z', 'm').double * 2", "0")).isEqualTo(integer(3));
        assertThat(eval("redis.setresp(3); return redis.call('ZSCORE', 'z', 'm')", "0")).isEqualTo(bulk("1.5"));
        assertThat(eval("redis.setresp(3); return true", "0")).isEqualTo(integer(1));
        assertThat(eval("redis.setresp(3); return false", "0")).isEqualTo(integer(0));
        assertThat(eval("return {double = 2.5}", "0")).isEqualTo(bulk("2.5"));
        assertThat(eval("redis.setresp(4)", "0")).isEqualTo(scriptError("ERR RESP version must be 2 or 3.", "redis.setresp(4)", 1));
    }

    @Test
    void errorsRaisedByScriptsNameTheScriptAndLine() throws IOException {
        String boom = "local x = 1\nerror('boom')";
        assertThat(eval(boom, "0")).isEqualTo(scriptError("ERR user_script:2: boom", boom, 2));
        String unknown = "return redis.call('nosuch')";
        assertThat(eval(unknown, "0")).isEqualTo(scriptError("ERR Unknown Redis command called from script", unknown, 1));
        String arity = "return redis.call('get')";
        assertThat(eval(arity, "0")).isEqualTo(scriptError("ERR Wrong number of args calling Redis command from script", arity, 1));
        String noscript = "return redis.call('multi')";
        assertThat(eval(noscript, "0")).isEqualTo(scriptError("ERR This Redis command is not allowed from script", noscript, 1));
        String noArgs = "return redis.call()";
        assertThat(eval(noArgs, "0")).isEqualTo(scriptError("ERR Please specify at least one argument for this redis lib call", noArgs, 1));
        String badArg = "return redis.call('get', {})";
        assertThat(eval(badArg, "0")).isEqualTo(scriptError("ERR Lua redis lib command arguments must be strings or integers", badArg, 1));
        c.call("SET", "s", "text");
        String wrongType = "local a = 1\nlocal b = 2\nreturn redis.call('LPUSH', 's', 'x')";
        assertThat(eval(wrongType, "0"))
                .isEqualTo(scriptError("WRONGTYPE Operation against a key holding the wrong kind of value", wrongType, 3));
        assertThat(eval("return {pcall(redis.call, 'nosuch')}", "0"))
                .isEqualTo(array(NIL, bulk("ERR Unknown Redis command called from script")));
        assertThat(eval("return {pcall(error, 'plain')}", "0")).isEqualTo(array(NIL, bulk("plain")));
        assertThat(eval("return {pcall(function() error('inner') end)}", "0")).isEqualTo(array(NIL, bulk("user_script:1: inner")));
        assertThat(eval("return {1, 2", "0")).startsWith("-ERR Error compiling script (new function): user_script:1: '}' expected");
    }

    @Test
    void globalsAndLibrariesAreProtected() throws IOException {
        assertThat(eval("x = 5", "0")).isEqualTo(scriptError("ERR user_script:1: Attempt to modify a readonly table", "x = 5", 1));
        assertThat(eval("return undefinedName", "0")).isEqualTo(scriptError(
                "ERR user_script:1: Script attempted to access nonexistent global variable 'undefinedName'", "return undefinedName", 1));
        assertThat(eval("string.upper = nil", "0"))
                .isEqualTo(scriptError("ERR user_script:1: Attempt to modify a readonly table", "string.upper = nil", 1));
        assertThat(eval("redis.call = nil", "0"))
                .isEqualTo(scriptError("ERR user_script:1: Attempt to modify a readonly table", "redis.call = nil", 1));
        assertThat(eval("return print", "0")).isEqualTo(scriptError(
                "ERR user_script:1: Script attempted to access nonexistent global variable 'print'", "return print", 1));
        assertThat(eval("local t = {} t.x = 1 return t.x", "0")).isEqualTo(integer(1));
        assertThat(eval("return {type(unpack), type(loadstring), type(cjson), type(cmsgpack), type(bit), type(struct), _VERSION}", "0"))
                .isEqualTo(array(bulk("function"), bulk("function"), bulk("table"), bulk("table"), bulk("table"), bulk("table"),
                        bulk("Lua 5.1")));
        assertThat(eval("cjson.encode = nil", "0"))
                .isEqualTo(scriptError("ERR user_script:1: Attempt to modify a readonly table", "cjson.encode = nil", 1));
        assertThat(eval("return {os == nil, io == nil}", "0")).isEqualTo(scriptError(
                "ERR user_script:1: Script attempted to access nonexistent global variable 'os'", "return {os == nil, io == nil}", 1));
    }

    @Test
    void luaFiveOneNumbersAndLibraries() throws IOException {
        assertThat(eval("return tostring(1/3) .. ' ' .. tostring(1e100) .. ' ' .. 2^53 .. ' ' .. 0.1 .. ' ' .. 10/2", "0"))
                .isEqualTo(bulk("0.33333333333333 1e+100 9.007199254741e+15 0.1 5"));
        assertThat(eval("return table.getn({1, 2, 3}) + select('#', unpack({1, 2})) + loadstring('return 10')()", "0"))
                .isEqualTo(integer(15));
        assertThat(eval("return math.mod(7, 3)", "0")).isEqualTo(integer(1));
        assertThat(eval("return string.rep('ab', 3) .. string.upper('x') .. ('y'):upper()", "0")).isEqualTo(bulk("abababXY"));
        assertThat(eval("return redis.sha1hex('')", "0")).isEqualTo(bulk("da39a3ee5e6b4b0d3255bfef95601890afd80709"));
        assertThat(eval("return redis.REDIS_VERSION_NUM > 0 and redis.LOG_WARNING == 3", "0")).isEqualTo(integer(1));
        // math.random is Redis's own generator: the same seed, the same numbers.
        assertThat(eval("math.randomseed(42); return {math.random(1000), math.random(10, 20), tostring(math.random())}", "0"))
                .isEqualTo(array(integer(745), integer(13), bulk("0.11108528222474")));
    }

    @Test
    void stringFormatIsCsPrintf() throws IOException {
        assertThat(eval("return string.format('%d|%5d|%-5d|%05d|%+d|% d|%.3d|%x|%X|%#x|%o|%#o|%u|%c|%%', "
                + "3.9, 42, 42, 42, 7, 7, 5, 255, 255, 255, 8, 8, 3, 65)", "0"))
                .isEqualTo(bulk("3|   42|42   |00042|+7| 7|005|ff|FF|0xff|10|010|3|A|%"));
        assertThat(eval("return string.format('%f|%.2f|%8.3f|%-8.1f|%08.2f|%e|%.3E|%g|%g|%g|%.3g|%10.4g|%G|%g', "
                + "1.5, 1.005, 3.14159, 2.5, -2.5, 12345.678, 0.000123, 0.1, 1e20, 100000, 1234567, 3.14159, 1e-10, 1/0)", "0"))
                .isEqualTo(bulk("1.500000|1.00|   3.142|2.5     |-0002.50|1.234568e+04|1.230E-04|0.1|1e+20|100000|1.23e+06|     3.142|1E-10|inf"));
        assertThat(eval("return string.format('%s|%10s|%-10s|%.2s|%5.1s|%q|%s', 'abc', 'r', 'l', 'xyz', 'abc', 'a\"b\\\\c\\n', 12.5)", "0"))
                .isEqualTo(bulk("abc|         r|l         |xy|    a|\"a\\\"b\\\\c\\\n\"|12.5"));
        String bad = "return string.format('%y', 1)";
        assertThat(eval(bad, "0")).isEqualTo(scriptError("ERR user_script:1: invalid option '%y' to 'format'", bad, 1));
    }

    static final String HEX = "local function hex(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end ";

    @Test
    void cjsonAsRedisBundlesIt() throws IOException {
        assertThat(eval("return cjson.encode({1, 2, 'x', {a = 1}, true, false})", "0")).isEqualTo(bulk("[1,2,\"x\",{\"a\":1},true,false]"));
        assertThat(eval("return cjson.encode({0.1, 1/3, 1e100, 2^53, 1e-5, 100, -7, 123456789012345})", "0"))
                .isEqualTo(bulk("[0.1,0.33333333333333,1e+100,9.007199254741e+15,1e-05,100,-7,1.2345678901234e+14]"));
        assertThat(eval("return cjson.encode('a/b\"c\\\\d\\n\\t\\1\\127')", "0")).isEqualTo(bulk("\"a\\/b\\\"c\\\\d\\n\\t\\u0001\\u007f\""));
        assertThat(eval("return cjson.encode({})", "0")).isEqualTo(bulk("{}"));
        assertThat(eval("return cjson.encode({[1] = 1, [2] = 2, [4] = 3})", "0")).isEqualTo(bulk("[1,2,null,3]"));
        String sparse = "return cjson.encode({[1] = 1, [2] = 2, [20] = 3})";
        assertThat(eval(sparse, "0")).isEqualTo(scriptError("ERR user_script:1: Cannot serialise table: excessively sparse array", sparse, 1));
        String badKey = "return cjson.encode({[true] = 1})";
        assertThat(eval(badKey, "0"))
                .isEqualTo(scriptError("ERR user_script:1: Cannot serialise boolean: table key must be a number or string", badKey, 1));
        assertThat(eval("local t = cjson.decode('{\"a\":[1,2,{\"b\":null}],\"c\":\"\\\\u00e9\",\"d\":1.5e3,\"e\":true}') "
                + "return {t.a[1], t.a[2], tostring(t.a[3].b == cjson.null), t.c, t.d, tostring(t.e)}", "0"))
                .isEqualTo(array(integer(1), integer(2), bulk("true"), bulk("é"), integer(1500), bulk("true")));
        String[][] decodeErrors = {
            {"[1,2", "Expected comma or array end but found T_END at character 5"},
            {"{1:2}", "Expected object key string but found T_NUMBER at character 2"},
            {"[1]x", "Expected the end but found invalid token at character 4"},
            {"\"abc", "Expected value but found unexpected end of string at character 5"},
            {"\"\\\\q\"", "Expected value but found invalid escape code at character 2"},
        };
        for (String[] e : decodeErrors) {
            String script = "return cjson.decode('" + e[0] + "')";
            assertThat(eval(script, "0")).isEqualTo(scriptError("ERR user_script:1: " + e[1], script, 1));
        }
    }

    @Test
    void cmsgpackBitAndStructAsRedisBundlesThem() throws IOException {
        assertThat(eval(HEX + "return hex(cmsgpack.pack(1, -1, 127, 128, 255, 256, 65535, 65536, -32, -33, -128, -129, -32768, -32769, "
                + "2^32, -2^31-1, 1.5, 0.1, 'abc', true, false, {1,2,3}, {a=1}))", "0")).isEqualTo(bulk(
                "01ff7fcc80ccffcd0100cdffffce00010000e0d0dfd080d1ff7fd18000d2ffff7fffcf0000000100000000d3ffffffff7fffffffca3fc00000"
                + "cb3fb999999999999aa3616263c3c29301020381a16101"));
        assertThat(eval("return {cmsgpack.unpack(cmsgpack.pack(1, 'two', {3, {4}}, 2^40))}", "0"))
                .isEqualTo(array(integer(1), bulk("two"), array(integer(3), array(integer(4))), integer(1099511627776L)));
        assertThat(eval("return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2, 1)}", "0")).isEqualTo(array(integer(-1), integer(2), integer(3)));
        String bad = "return cmsgpack.unpack('\\193')";
        assertThat(eval(bad, "0")).isEqualTo(scriptError("ERR user_script:1: Bad data format in input.", bad, 1));
        assertThat(eval("return {bit.tobit(0xffffffff), bit.tobit(2^32 + 1), bit.band(0xff, 0x0f, 7), bit.lshift(1, 31), "
                + "bit.rshift(-1, 28), bit.arshift(-256, 4), bit.rol(0x12345678, 8), bit.bswap(0x12345678), bit.tobit(2.5), "
                + "bit.tohex(-1), bit.tohex(255, -4)}", "0")).isEqualTo(array(integer(-1), integer(1), integer(7), integer(-2147483648L),
                integer(15), integer(-16), integer(878082066), integer(2018915346), integer(2), bulk("ffffffff"), bulk("00FF")));
        assertThat(eval(HEX + "return {hex(struct.pack('>i2<I4bBhHlLfd', 1, 2, -3, 250, -4, 65000, -5, 6, 1.5, 2.25)), "
                + "struct.size('>i2<I4bBhHlLfd'), struct.size('!8bd')}", "0")).isEqualTo(array(
                bulk("000102000000fdfafcffe8fdfbffffffffffffff06000000000000000000c03f0000000000000240"), integer(40), integer(16)));
        assertThat(eval("return {struct.unpack('bc0', struct.pack('bc0', 3, 'xyz'))}", "0")).isEqualTo(array(bulk("xyz"), integer(5)));
    }

    /** A job queue whose entries are MessagePack in a list, handed out as JSON. */
    @Test
    void aQueueScriptWithCmsgpackAndCjson() throws IOException {
        String enqueue = "local job = {id = tonumber(ARGV[1]), task = ARGV[2], tries = 0} "
                + "return redis.call('RPUSH', KEYS[1], cmsgpack.pack(job))";
        String dequeue = "local raw = redis.call('LPOP', KEYS[1]) if not raw then return false end "
                + "local job = cmsgpack.unpack(raw) job.tries = job.tries + 1 "
                + "redis.call('HSET', KEYS[2], job.id, cmsgpack.pack(job)) "
                + "return cjson.encode({job.id, job.task, job.tries})";
        assertThat(eval(enqueue, "1", "queue", "7", "resize")).isEqualTo(integer(1));
        assertThat(eval(enqueue, "1", "queue", "8", "crop/scale")).isEqualTo(integer(2));
        assertThat(eval(dequeue, "2", "queue", "running")).isEqualTo(bulk("[7,\"resize\",1]"));
        assertThat(eval(dequeue, "2", "queue", "running")).isEqualTo(bulk("[8,\"crop\\/scale\",1]"));
        assertThat(eval(dequeue, "2", "queue", "running")).isEqualTo(NIL);
        assertThat(eval("local j = cmsgpack.unpack(redis.call('HGET', KEYS[1], '8')) return {j.id, j.task, j.tries}", "1", "running"))
                .isEqualTo(array(integer(8), bulk("crop/scale"), integer(1)));
    }

    @Test
    void keysArgvAndTheirErrors() throws IOException {
        assertThat(eval("return {KEYS[1], KEYS[2], ARGV[1], #ARGV}", "2", "k1", "k2", "a1", "a2"))
                .isEqualTo(array(bulk("k1"), bulk("k2"), bulk("a1"), integer(2)));
        assertThat(eval("return 1", "-1")).isEqualTo(error("ERR Number of keys can't be negative"));
        assertThat(eval("return 1", "2", "a")).isEqualTo(error("ERR Number of keys can't be greater than number of args"));
        assertThat(eval("return 1", "x")).isEqualTo(error("ERR value is not an integer or out of range"));
        assertThat(c.call("EVAL", "return 1")).isEqualTo(error("ERR wrong number of arguments for 'eval' command"));
    }

    @Test
    void scriptCacheLoadExistsFlush() throws IOException {
        String body = "return 'cached'";
        assertThat(c.call("SCRIPT", "LOAD", body)).isEqualTo(bulk(sha(body)));
        assertThat(c.call("EVALSHA", sha(body), "0")).isEqualTo(bulk("cached"));
        assertThat(c.call("EVALSHA", sha(body).toUpperCase(), "0")).isEqualTo(bulk("cached"));
        assertThat(c.call("EVALSHA_RO", sha(body), "0")).isEqualTo(bulk("cached"));
        assertThat(c.call("SCRIPT", "EXISTS", sha(body), "0000000000000000000000000000000000000000"))
                .isEqualTo(array(integer(1), integer(0)));
        eval("return 'by eval'", "0");
        assertThat(c.call("SCRIPT", "EXISTS", sha("return 'by eval'"))).isEqualTo(array(integer(1)));
        assertThat(c.call("SCRIPT", "FLUSH", "bogus")).isEqualTo(error("ERR SCRIPT FLUSH only support SYNC|ASYNC option"));
        assertThat(c.call("SCRIPT", "FLUSH")).isEqualTo(OK);
        assertThat(c.call("EVALSHA", sha(body), "0")).isEqualTo(error("NOSCRIPT No matching script. Please use EVAL."));
        assertThat(c.call("EVALSHA", "short", "0")).isEqualTo(error("NOSCRIPT No matching script. Please use EVAL."));
        assertThat(c.call("SCRIPT", "KILL")).isEqualTo(error("NOTBUSY No scripts in execution right now."));
        assertThat(c.call("SCRIPT", "LOAD", "return {")).startsWith("-ERR Error compiling script (new function): user_script:1:");
        assertThat(c.call("SCRIPT", "NOSUCH")).isEqualTo(error("ERR unknown subcommand 'NOSUCH'. Try SCRIPT HELP."));
    }

    @Test
    void readOnlyScriptsAndShebangFlags() throws IOException {
        String write = "return redis.call('SET', 'a', 'b')";
        assertThat(c.call("EVAL_RO", write, "0"))
                .isEqualTo(scriptError("ERR Write commands are not allowed from read-only scripts.", write, 1));
        String noWrites = "#!lua flags=no-writes\nreturn redis.call('SET', 'a', 'b')";
        assertThat(eval(noWrites, "0")).isEqualTo(scriptError("ERR Write commands are not allowed from read-only scripts.", noWrites, 2));
        String flagged = "#!lua\nreturn redis.call('SET', 'a', 'b')";
        assertThat(eval(flagged, "0")).isEqualTo(OK);
        assertThat(c.call("EVAL_RO", flagged, "0")).isEqualTo(error("ERR Can not execute a script with write flag using *_ro command."));
        assertThat(c.call("EVAL_RO", "#!lua flags=no-writes\nreturn redis.call('GET', 'a')", "0")).isEqualTo(bulk("b"));
        assertThat(eval("#!lua flags=bogus\nreturn 1", "0")).isEqualTo(error("ERR Unexpected flag in script shebang: bogus"));
        assertThat(eval("#!lua other=1\nreturn 1", "0")).isEqualTo(error("ERR Unknown lua shebang option: other=1"));
        assertThat(eval("#!python\nreturn 1", "0")).isEqualTo(error("ERR Unexpected engine in script shebang: #!python"));
        assertThat(eval("#!lua", "0")).isEqualTo(error("ERR Invalid script shebang"));
        assertThat(eval("#!lua flags=no-writes,allow-oom,allow-stale\nreturn 7", "0")).isEqualTo(integer(7));
    }

    @Test
    void scriptsSelectTheirOwnDatabaseAndMayNotBlock() throws IOException {
        assertThat(eval("redis.call('SELECT', 1); redis.call('SET', 'k', 'in1'); return redis.call('GET', 'k')", "0"))
                .isEqualTo(bulk("in1"));
        assertThat(c.call("GET", "k")).isEqualTo(NIL);
        assertThat(c.call("SELECT", "1")).isEqualTo(OK);
        assertThat(c.call("GET", "k")).isEqualTo(bulk("in1"));
        assertThat(eval("return redis.call('GET', 'k')", "0")).isEqualTo(bulk("in1"));
        String blpop = "return redis.call('BLPOP', 'empty', 0)";
        assertThat(eval(blpop, "0")).isEqualTo(scriptError("ERR This Redis command is not allowed from script", blpop, 1));
        assertThat(eval("return redis.call('LPOP', 'empty')", "0")).isEqualTo(NIL);
    }

    @Test
    void aScriptWakesAClientBlockedOnItsKey() throws Exception {
        try (RespConnection blocked = new RespConnection(port())) {
            blocked.send(RespConnection.encode("BLPOP", "jobs", "5"));
            Poll.until("the client blocks", java.time.Duration.ofSeconds(5),
                    () -> c.call("INFO", "clients").contains("blocked_clients:1"));
            assertThat(eval("redis.call('RPUSH', KEYS[1], 'j1'); return redis.call('LLEN', KEYS[1])", "1", "jobs")).isEqualTo(integer(1));
            assertThat(blocked.readReply()).isEqualTo(array(bulk("jobs"), bulk("j1")));
            assertThat(c.call("LLEN", "jobs")).isEqualTo(integer(0));
        }
    }

    @Test
    void aTokenBucketRateLimiter() throws IOException {
        String limiter = """
                local key = KEYS[1]
                local rate = tonumber(ARGV[1])
                local capacity = tonumber(ARGV[2])
                local now = tonumber(ARGV[3])
                local requested = tonumber(ARGV[4])
                local state = redis.call('HMGET', key, 'tokens', 'ts')
                local tokens = tonumber(state[1]) or capacity
                local ts = tonumber(state[2]) or now
                tokens = math.min(capacity, tokens + (now - ts) * rate)
                local allowed = tokens >= requested
                if allowed then tokens = tokens - requested end
                redis.call('HSET', key, 'tokens', tokens, 'ts', now)
                redis.call('PEXPIRE', key, math.ceil(capacity / rate * 1000))
                return {allowed and 1 or 0, tostring(tokens)}
                """;
        String sha = c.call("SCRIPT", "LOAD", limiter);
        assertThat(sha).isEqualTo(bulk(sha(limiter)));
        StringBuilder transcript = new StringBuilder();
        long now = 1_000;
        for (int i = 0; i < 12; i++) {
            now += i % 4 == 0 ? 700 : 30;
            transcript.append(c.call("EVALSHA", sha(limiter), "1", "bucket", "0.0035", "5", Long.toString(now), "1"));
        }
        transcript.append(c.call("HGETALL", "bucket"));
        // tostring() prints Lua 5.1's %.14g; HSET gets the number as %.17g.
        assertThat(transcript.toString()).isEqualTo(
                "*2\r\n:1\r\n$1\r\n4\r\n*2\r\n:1\r\n$5\r\n3.105\r\n*2\r\n:1\r\n$4\r\n2.21\r\n*2\r\n:1\r\n"
                + "$5\r\n1.315\r\n*2\r\n:1\r\n$5\r\n2.765\r\n*2\r\n:1\r\n$4\r\n1.87\r\n*2\r\n:1\r\n$5\r\n"
                + "0.975\r\n*2\r\n:1\r\n$17\r\n0.080000000000001\r\n*2\r\n:1\r\n$4\r\n1.53\r\n*2\r\n:1\r\n"
                + "$5\r\n0.635\r\n*2\r\n:0\r\n$4\r\n0.74\r\n*2\r\n:0\r\n$5\r\n0.845\r\n*4\r\n$6\r\ntokens\r\n"
                + "$19\r\n0.84500000000000064\r\n$2\r\nts\r\n$4\r\n3370\r\n");
    }

    @Test
    void aCompareAndDeleteLockRelease() throws IOException {
        String release = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
        assertThat(c.call("SET", "lock", "token-1", "NX", "PX", "30000")).isEqualTo(OK);
        assertThat(eval(release, "1", "lock", "token-2")).isEqualTo(integer(0));
        assertThat(c.call("GET", "lock")).isEqualTo(bulk("token-1"));
        assertThat(eval(release, "1", "lock", "token-1")).isEqualTo(integer(1));
        assertThat(c.call("EXISTS", "lock")).isEqualTo(integer(0));
        assertThat(eval(release, "1", "lock", "token-1")).isEqualTo(integer(0));
    }

    @Test
    void scriptsInsideTransactions() throws IOException {
        assertThat(c.call("MULTI")).isEqualTo(OK);
        assertThat(eval("return redis.call('INCR', 'n')", "0")).isEqualTo("+QUEUED\r\n");
        assertThat(c.call("EVAL", "return 1", "x")).isEqualTo("+QUEUED\r\n");
        assertThat(c.call("EXEC")).isEqualTo(array(integer(1), error("ERR value is not an integer or out of range")));
    }
}
