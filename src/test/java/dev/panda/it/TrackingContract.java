package dev.panda.it;

import static dev.panda.it.RespConnection.OK;
import static dev.panda.it.RespConnection.array;
import static dev.panda.it.RespConnection.bulk;
import static dev.panda.it.RespConnection.error;
import static dev.panda.it.RespConnection.integer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Client-side caching (CLIENT TRACKING, CACHING, TRACKINGINFO, GETREDIR), asserted against Panda
 * ({@link PandaTrackingIT}) and Debian's real redis-server ({@link RedisTrackingIT}): which
 * changes invalidate which clients, in RESP3 pushes and in RESP2 through a redirect, and the
 * options' errors. "Nothing more arrived" is checked with a PING whose PONG must come next.
 * Test thread.
 */
abstract class TrackingContract extends ServerContract {
    static final String PONG3 = "+PONG\r\n";

    static String invalidate(String... keys) {
        String[] bulks = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            bulks[i] = bulk(keys[i]);
        }
        return ">2\r\n" + bulk("invalidate") + array(bulks);
    }

    RespConnection resp3() throws IOException {
        RespConnection r = new RespConnection(port());
        r.call("HELLO", "3");
        return r;
    }

    @Test
    void aReadKeyIsInvalidatedOnceWhenAnotherClientChangesIt() throws IOException {
        try (RespConnection a = resp3()) {
            c.call("SET", "k1", "v1");
            c.call("SET", "k2", "v2");
            assertThat(a.call("CLIENT", "TRACKING", "ON")).isEqualTo(OK);
            assertThat(a.call("GET", "k1")).isEqualTo(bulk("v1"));
            assertThat(a.call("MGET", "k1", "k2")).isEqualTo(array(bulk("v1"), bulk("v2")));
            assertThat(c.call("SET", "k1", "x")).isEqualTo(OK);
            assertThat(a.readReply()).isEqualTo(invalidate("k1"));
            assertThat(c.call("SET", "k1", "y")).isEqualTo(OK); // no longer tracked: nothing is sent
            assertThat(a.call("PING")).isEqualTo(PONG3);
            assertThat(c.call("HSET", "k2", "f", "v")).startsWith("-WRONGTYPE");
            assertThat(c.call("DEL", "k2")).isEqualTo(integer(1));
            assertThat(a.readReply()).isEqualTo(invalidate("k2"));
            // Its own write invalidates too, after the reply, unless NOLOOP.
            assertThat(a.call("GET", "k1")).isEqualTo(bulk("y"));
            assertThat(a.call("SET", "k1", "mine")).isEqualTo(OK);
            assertThat(a.readReply()).isEqualTo(invalidate("k1"));
            assertThat(a.call("CLIENT", "GETREDIR")).isEqualTo(integer(0));
            assertThat(a.call("CLIENT", "TRACKINGINFO")).isEqualTo("%3\r\n" + bulk("flags") + "~1\r\n" + bulk("on")
                    + bulk("redirect") + integer(0) + bulk("prefixes") + "*0\r\n");
            assertThat(a.call("CLIENT", "TRACKING", "OFF")).isEqualTo(OK);
            assertThat(a.call("CLIENT", "GETREDIR")).isEqualTo(integer(-1));
        }
    }

    @Test
    void optinTracksOnlyAfterCachingYesAndNoloopSkipsOwnWrites() throws IOException {
        try (RespConnection a = resp3()) {
            c.call("SET", "k", "v");
            assertThat(a.call("CLIENT", "TRACKING", "ON", "OPTIN", "NOLOOP")).isEqualTo(OK);
            assertThat(a.call("GET", "k")).isEqualTo(bulk("v"));
            c.call("SET", "k", "w");
            assertThat(a.call("PING")).isEqualTo(PONG3);
            assertThat(a.call("CLIENT", "CACHING", "YES")).isEqualTo(OK);
            assertThat(a.call("CLIENT", "TRACKINGINFO")).contains(bulk("optin") + bulk("caching-yes") + bulk("noloop"));
            assertThat(a.call("GET", "k")).isEqualTo(bulk("w"));
            c.call("SET", "k", "x");
            assertThat(a.readReply()).isEqualTo(invalidate("k"));
            assertThat(a.call("CLIENT", "CACHING", "YES")).isEqualTo(OK);
            assertThat(a.call("GET", "k")).isEqualTo(bulk("x"));
            assertThat(a.call("SET", "k", "self")).isEqualTo(OK);
            assertThat(a.call("PING")).isEqualTo(PONG3);
        }
    }

    @Test
    void broadcastModeSendsEveryKeyUnderItsPrefixes() throws IOException {
        try (RespConnection a = resp3()) {
            assertThat(a.call("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "user:", "PREFIX", "use")).isEqualTo(error(
                    "ERR Prefix 'user:' overlaps with another provided prefix 'use'. Prefixes for a single client must not overlap."));
            assertThat(a.call("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "user:", "PREFIX", "obj:")).isEqualTo(OK);
            assertThat(c.call("SET", "user:1", "a")).isEqualTo(OK);
            assertThat(a.readReply()).isEqualTo(invalidate("user:1"));
            assertThat(c.call("SET", "other", "a")).isEqualTo(OK);
            assertThat(c.call("SET", "obj:2", "b")).isEqualTo(OK);
            assertThat(a.readReply()).isEqualTo(invalidate("obj:2"));
            assertThat(a.call("CLIENT", "TRACKINGINFO")).isEqualTo("%3\r\n" + bulk("flags") + "~2\r\n" + bulk("on") + bulk("bcast")
                    + bulk("redirect") + integer(0) + bulk("prefixes") + array(bulk("obj:"), bulk("user:")));
            assertThat(a.call("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "obj:x")).isEqualTo(error(
                    "ERR Prefix 'obj:x' overlaps with an existing prefix 'obj:'. Prefixes for a single client must not overlap."));
        }
    }

    @Test
    void resp2ClientsGetInvalidationsThroughARedirectSubscribedToTheChannel() throws IOException {
        try (RespConnection target = new RespConnection(port()); RespConnection a = new RespConnection(port())) {
            String id = target.call("CLIENT", "ID").substring(1).trim();
            target.call("SUBSCRIBE", "__redis__:invalidate");
            assertThat(a.call("CLIENT", "TRACKING", "ON", "REDIRECT", id)).isEqualTo(OK);
            assertThat(a.call("CLIENT", "GETREDIR")).isEqualTo(integer(Long.parseLong(id)));
            c.call("SET", "k", "v");
            assertThat(a.call("GET", "k")).isEqualTo(bulk("v"));
            c.call("SET", "k", "w");
            assertThat(target.readReply()).isEqualTo(array(bulk("message"), bulk("__redis__:invalidate"), array(bulk("k"))));
            assertThat(a.call("GET", "k")).isEqualTo(bulk("w"));
            c.call("FLUSHALL");
            assertThat(target.readReply()).isEqualTo(array(bulk("message"), bulk("__redis__:invalidate"), "$-1\r\n"));
        }
    }

    @Test
    void optionErrors() throws IOException {
        assertThat(c.call("CLIENT", "TRACKING", "ON", "PREFIX", "x")).isEqualTo(error("ERR PREFIX option requires BCAST mode to be enabled"));
        assertThat(c.call("CLIENT", "TRACKING", "ON", "OPTIN", "OPTOUT")).isEqualTo(error("ERR You can't specify both OPTIN mode and OPTOUT mode"));
        assertThat(c.call("CLIENT", "TRACKING", "ON", "BCAST", "OPTIN")).isEqualTo(error("ERR OPTIN and OPTOUT are not compatible with BCAST"));
        assertThat(c.call("CLIENT", "TRACKING", "ON", "REDIRECT", "999999")).isEqualTo(error("ERR The client ID you want redirect to does not exist"));
        assertThat(c.call("CLIENT", "TRACKING", "MAYBE")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("CLIENT", "TRACKING", "ON", "BOGUS")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("CLIENT", "CACHING", "YES")).isEqualTo(error(
                "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled"));
        assertThat(c.call("CLIENT", "TRACKING", "ON")).isEqualTo(OK);
        assertThat(c.call("CLIENT", "CACHING", "YES")).isEqualTo(error("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode."));
        assertThat(c.call("CLIENT", "CACHING", "NO")).isEqualTo(error("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode."));
        assertThat(c.call("CLIENT", "TRACKING", "ON", "BCAST")).isEqualTo(error("ERR You can't switch BCAST mode on/off before disabling "
                + "tracking for this client, and then re-enabling it with a different mode."));
        assertThat(c.call("CLIENT", "TRACKING", "OFF")).isEqualTo(OK);
    }
}
