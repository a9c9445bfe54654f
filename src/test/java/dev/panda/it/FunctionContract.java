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
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FUNCTION and FCALL, asserted against Panda ({@link PandaFunctionIT}) and against Debian's real
 * redis-server ({@link RedisFunctionIT}): loading libraries and its errors, calling, read-only
 * functions, listing, deleting, and DUMP/RESTORE payloads in Redis's own format. Test thread.
 */
abstract class FunctionContract extends ServerContract {
    /** FUNCTION DUMP of the library {@code dumped} taken from redis-server 7.0 (its source LZF-compressed). */
    static final String REDIS_DUMP = "f5c3407040d11f23216c7561206e616d653d64756d7065640a72656469732e7265676973746572175f66756e"
            + "6374696f6e28276563686f5f7477696365272c20e00016116b6579732c2061726773292072657475726e600c055b315d202e2ee0000a03"
            + "656e6429e01759016872e02c5ae004650164290a00e3c7448f7ff6d12e";

    static final String LIB = "#!lua name=mylib\n"
            + "redis.register_function{function_name='getkey', callback=function(keys, args) return redis.call('GET', keys[1]) end,"
            + " flags={'no-writes'}, description='reads a key'}\n"
            + "redis.register_function('setkey', function(keys, args) return redis.call('SET', keys[1], args[1]) end)\n";

    @BeforeEach
    void noLibraries() throws IOException {
        assertThat(c.call("FUNCTION", "FLUSH")).isEqualTo(OK);
    }

    String load(String code) throws IOException {
        return c.call("FUNCTION", "LOAD", code);
    }

    @Test
    void loadCallAndReadOnlyCalls() throws IOException {
        assertThat(load(LIB)).isEqualTo(bulk("mylib"));
        assertThat(c.call("FCALL", "setkey", "1", "k", "v")).isEqualTo(OK);
        assertThat(c.call("FCALL", "getkey", "1", "k")).isEqualTo(bulk("v"));
        assertThat(c.call("FCALL_RO", "getkey", "1", "k")).isEqualTo(bulk("v"));
        assertThat(c.call("FCALL_RO", "setkey", "1", "k", "w"))
                .isEqualTo(error("ERR Can not execute a script with write flag using *_ro command."));
        assertThat(c.call("FCALL", "nosuch", "0")).isEqualTo(error("ERR Function not found"));
        assertThat(c.call("FCALL", "getkey", "x")).isEqualTo(error("ERR Bad number of keys provided"));
        assertThat(c.call("FCALL", "getkey", "2", "k")).isEqualTo(error("ERR Number of keys can't be greater than number of args"));
        assertThat(c.call("FCALL", "getkey", "-1")).isEqualTo(error("ERR Number of keys can't be negative"));
        assertThat(load(LIB)).isEqualTo(error("ERR Library 'mylib' already exists"));
        assertThat(c.call("FUNCTION", "LOAD", "REPLACE", LIB.replace("'v'", "'w'"))).isEqualTo(bulk("mylib"));
        assertThat(c.call("FUNCTION", "LOAD", "BOGUS", LIB)).isEqualTo(error("ERR Unknown option given: BOGUS"));
    }

    @Test
    void loadErrorsAreRedis() throws IOException {
        assertThat(load("return 1")).isEqualTo(error("ERR Missing library metadata"));
        assertThat(load("#!lua")).isEqualTo(error("ERR Invalid library metadata"));
        assertThat(load("#!js name=x\n")).isEqualTo(error("ERR Engine 'js' not found"));
        assertThat(load("#!lua\n")).isEqualTo(error("ERR Library name was not given"));
        assertThat(load("#!lua name=a-b\n")).isEqualTo(error(
                "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"));
        assertThat(load("#!lua name=x foo=bar\n")).isEqualTo(error("ERR Invalid metadata value given: foo=bar"));
        assertThat(load("#!lua name=x name=y\n"))
                .isEqualTo(error("ERR Invalid metadata value, name argument was given multiple times"));
        assertThat(load("#!lua name=x\nreturn 1")).isEqualTo(error("ERR No functions registered"));
        assertThat(load("#!lua name=x\nerror('boom')")).isEqualTo(error(
                "ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'error'"));
        assertThat(load("#!lua name=x\nlocal n = string.len('a')")).isEqualTo(error(
                "ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'string'"));
        assertThat(load("#!lua name=x\nredis.call('PING')")).isEqualTo(error(
                "ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'call'"));
        assertThat(load("#!lua name=x\nredis.register_function('f', function() end)\nredis.register_function('f', function() end)"))
                .isEqualTo(error("ERR Error registering functions: ERR Function already exists in the library"));
        assertThat(load("#!lua name=x\nredis.register_function{function_name='f', callback=function() end, flags={'bogus'}}"))
                .isEqualTo(error("ERR Error registering functions: ERR unknown flag given"));
        assertThat(load("#!lua name=x\nredis.register_function('f')"))
                .isEqualTo(error("ERR Error registering functions: ERR calling redis.register_function with a single argument is only "
                        + "applicable to Lua table (representing named arguments)."));
        assertThat(load("#!lua name=x\nredis.register_function('f', 1)"))
                .isEqualTo(error("ERR Error registering functions: ERR second argument to redis.register_function must be a function"));
        assertThat(load("#!lua name=x\nredis.register_function{callback=function() end}"))
                .isEqualTo(error("ERR Error registering functions: ERR redis.register_function must get a function name argument"));
        assertThat(load("#!lua name=x\nredis.register_function{function_name='f', other=1}"))
                .isEqualTo(error("ERR Error registering functions: ERR unknown argument given to redis.register_function"));
        assertThat(load("#!lua name=x\nx = =")).startsWith("-ERR Error compiling function: user_function:2:");
        assertThat(load(LIB)).isEqualTo(bulk("mylib"));
        assertThat(load("#!lua name=other\nredis.register_function('getkey', function() return 1 end)"))
                .isEqualTo(error("ERR Function getkey already exists"));
    }

    @Test
    void functionsSeeTheirArgumentsNotGlobals() throws IOException {
        assertThat(load("#!lua name=args\nredis.register_function('f', function(keys, args) return {keys[1], args[1], #keys, #args} end)\n"
                + "redis.register_function('g', function() return tostring(KEYS) end)\n"
                + "redis.register_function('e', function() error('inside') end)")).isEqualTo(bulk("args"));
        assertThat(c.call("FCALL", "f", "1", "k", "a", "b")).isEqualTo(array(bulk("k"), bulk("a"), integer(1), integer(2)));
        assertThat(c.call("FCALL", "g", "0")).isEqualTo(error(
                "ERR user_function:3: Script attempted to access nonexistent global variable 'KEYS' script: g, on @user_function:3."));
        assertThat(c.call("FCALL", "e", "0")).isEqualTo(error("ERR user_function:4: inside script: e, on @user_function:4."));
    }

    @Test
    void listDeleteStatsFlush() throws IOException {
        assertThat(c.call("FUNCTION", "LIST")).isEqualTo("*0\r\n");
        load(LIB);
        String list = c.call("FUNCTION", "LIST", "LIBRARYNAME", "my*");
        assertThat(list).startsWith("*1\r\n*6\r\n$12\r\nlibrary_name\r\n$5\r\nmylib\r\n$6\r\nengine\r\n$3\r\nLUA\r\n$9\r\nfunctions\r\n*2\r\n")
                .contains(array(bulk("name"), bulk("getkey"), bulk("description"), bulk("reads a key"), bulk("flags"),
                        array(simple("no-writes"))))
                .contains(array(bulk("name"), bulk("setkey"), bulk("description"), NIL, bulk("flags"), "*0\r\n"));
        assertThat(c.call("FUNCTION", "LIST", "LIBRARYNAME", "nomatch*")).isEqualTo("*0\r\n");
        assertThat(c.call("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "mylib")).contains(bulk("library_code") + bulk(LIB));
        assertThat(c.call("FUNCTION", "LIST", "LIBRARYNAME")).isEqualTo(error("ERR library name argument was not given"));
        assertThat(c.call("FUNCTION", "LIST", "BOGUS")).isEqualTo(error("ERR Unknown argument BOGUS"));
        assertThat(c.call("FUNCTION", "STATS")).isEqualTo(array(bulk("running_script"), NIL, bulk("engines"),
                array(bulk("LUA"), array(bulk("libraries_count"), integer(1), bulk("functions_count"), integer(2)))));
        assertThat(c.call("FUNCTION", "KILL")).isEqualTo(error("NOTBUSY No scripts in execution right now."));
        assertThat(c.call("FUNCTION", "DELETE", "nolib")).isEqualTo(error("ERR Library not found"));
        assertThat(c.call("FUNCTION", "DELETE", "mylib")).isEqualTo(OK);
        assertThat(c.call("FCALL", "getkey", "1", "k")).isEqualTo(error("ERR Function not found"));
        load(LIB);
        assertThat(c.call("FUNCTION", "FLUSH", "BOGUS")).isEqualTo(error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option"));
        assertThat(c.call("FUNCTION", "FLUSH", "SYNC")).isEqualTo(OK);
        assertThat(c.call("FUNCTION", "LIST")).isEqualTo("*0\r\n");
    }

    @Test
    void dumpAndRestoreSpeakRedissFormat() throws IOException {
        byte[] redisDump = HexFormat.of().parseHex(REDIS_DUMP);
        assertThat(c.callBinary(b("FUNCTION"), b("RESTORE"), redisDump)).isEqualTo(OK);
        assertThat(c.call("FCALL", "echo_thrice", "0", "ab")).isEqualTo(bulk("ababab"));
        assertThat(c.callBinary(b("FUNCTION"), b("RESTORE"), redisDump)).isEqualTo(error("ERR Library dumped already exists"));
        assertThat(c.callBinary(b("FUNCTION"), b("RESTORE"), redisDump, b("REPLACE"))).isEqualTo(OK);
        load(LIB);
        byte[] dump = c.callForBulk("FUNCTION", "DUMP");
        assertThat(c.call("FUNCTION", "FLUSH")).isEqualTo(OK);
        assertThat(c.callBinary(b("FUNCTION"), b("RESTORE"), dump)).isEqualTo(OK);
        assertThat(c.call("FCALL", "echo_twice", "0", "x")).isEqualTo(bulk("xx"));
        assertThat(c.call("FCALL", "setkey", "1", "k", "v")).isEqualTo(OK);
        assertThat(c.callBinary(b("FUNCTION"), b("RESTORE"), redisDump, b("FLUSH"))).isEqualTo(OK);
        assertThat(c.call("FCALL", "setkey", "1", "k", "v")).isEqualTo(error("ERR Function not found"));
        byte[] corrupt = redisDump.clone();
        corrupt[20] ^= 1;
        assertThat(c.callBinary(b("FUNCTION"), b("RESTORE"), corrupt)).isEqualTo(error("ERR DUMP payload version or checksum are wrong"));
        assertThat(c.callBinary(b("FUNCTION"), b("RESTORE"), redisDump, b("BOGUS")))
                .isEqualTo(error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE."));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
