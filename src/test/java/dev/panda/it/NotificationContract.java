package dev.panda.it;

import static dev.panda.it.RespConnection.OK;
import static dev.panda.it.RespConnection.error;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Keyspace notifications ({@code notify-keyspace-events}), asserted against Panda
 * ({@link PandaNotificationIT}) and Debian's real redis-server ({@link RedisNotificationIT}): each
 * command's events, in order, on both channels, for each class. A subscriber takes every
 * {@code __key*__:*} message up to a marker published after the command. Test thread.
 */
abstract class NotificationContract extends ServerContract {
    @AfterEach
    void notificationsOff() throws IOException {
        try (RespConnection admin = new RespConnection(port())) {
            admin.call("CONFIG", "SET", "notify-keyspace-events", "");
        }
    }

    /** Each command's notifications as "channel message" lines, a "|" after each command. */
    List<String> events(String classes, String[]... commands) throws IOException {
        assertThat(c.call("CONFIG", "SET", "notify-keyspace-events", classes)).isEqualTo(OK);
        List<String> out = new ArrayList<>();
        try (RespConnection sub = new RespConnection(port())) {
            sub.call("PSUBSCRIBE", "__key*__:*");
            sub.call("SUBSCRIBE", "marker");
            for (String[] command : commands) {
                c.call(command);
                c.call("PUBLISH", "marker", "m");
                while (true) {
                    List<Object> message = RespValue.list(sub.readReply());
                    if (message.get(0).equals("message")) {
                        break;
                    }
                    out.add(message.get(2) + " " + message.get(3));
                }
                out.add("|");
            }
        }
        return out;
    }

    static String[] cmd(String... args) {
        return args;
    }

    @Test
    void stringAndGenericEventsOnBothChannels() throws IOException {
        assertThat(events("KEA",
                cmd("SET", "k", "v", "EX", "100"),
                cmd("SET", "k", "v", "KEEPTTL"),
                cmd("INCRBY", "n", "5"),
                cmd("INCRBYFLOAT", "f", "1.5"),
                cmd("APPEND", "k", "x"),
                cmd("SETRANGE", "k", "1", "yy"),
                cmd("PERSIST", "k"),
                cmd("RENAME", "f", "g"),
                cmd("COPY", "g", "h"),
                cmd("MOVE", "h", "1"),
                cmd("GETDEL", "g"),
                cmd("DEL", "nokey"),
                cmd("FLUSHDB"))).containsExactly(
                "__keyspace@0__:k set", "__keyevent@0__:set k", "__keyspace@0__:k expire", "__keyevent@0__:expire k", "|",
                "__keyspace@0__:k set", "__keyevent@0__:set k", "|",
                "__keyspace@0__:n incrby", "__keyevent@0__:incrby n", "|",
                "__keyspace@0__:f incrbyfloat", "__keyevent@0__:incrbyfloat f", "|",
                "__keyspace@0__:k append", "__keyevent@0__:append k", "|",
                "__keyspace@0__:k setrange", "__keyevent@0__:setrange k", "|",
                "__keyspace@0__:k persist", "__keyevent@0__:persist k", "|",
                "__keyspace@0__:f rename_from", "__keyevent@0__:rename_from f",
                "__keyspace@0__:g rename_to", "__keyevent@0__:rename_to g", "|",
                "__keyspace@0__:h copy_to", "__keyevent@0__:copy_to h", "|",
                "__keyspace@0__:h move_from", "__keyevent@0__:move_from h",
                "__keyspace@1__:h move_to", "__keyevent@1__:move_to h", "|",
                "__keyspace@0__:g del", "__keyevent@0__:del g", "|",
                "|",
                "|");
    }

    @Test
    void collectionEventsAndTheDelOfAnEmptiedKey() throws IOException {
        assertThat(events("E" + "lshz",
                cmd("HSET", "h", "a", "1"),
                cmd("HINCRBY", "h", "a", "1"),
                cmd("HDEL", "h", "a"),
                cmd("SADD", "s", "a", "b"),
                cmd("SMOVE", "s", "s2", "a"),
                cmd("RPUSH", "l", "a", "b", "c"),
                cmd("LPOP", "l"),
                cmd("LSET", "l", "0", "x"),
                cmd("LINSERT", "l", "BEFORE", "x", "w"),
                cmd("LREM", "l", "1", "w"),
                cmd("LTRIM", "l", "0", "0"),
                cmd("RPOPLPUSH", "l", "l2"),
                cmd("ZADD", "z", "1", "a", "2", "b"),
                cmd("ZADD", "z", "INCR", "5", "a"),
                cmd("ZPOPMIN", "z"),
                cmd("ZUNIONSTORE", "zu", "1", "z"),
                cmd("SINTERSTORE", "s", "nokey"))).containsExactly(
                "__keyevent@0__:hset h", "|",
                "__keyevent@0__:hincrby h", "|",
                "__keyevent@0__:hdel h", "|",
                "__keyevent@0__:sadd s", "|",
                "__keyevent@0__:srem s", "__keyevent@0__:sadd s2", "|",
                "__keyevent@0__:rpush l", "|",
                "__keyevent@0__:lpop l", "|",
                "__keyevent@0__:lset l", "|",
                "__keyevent@0__:linsert l", "|",
                "__keyevent@0__:lrem l", "|",
                "__keyevent@0__:ltrim l", "|",
                "__keyevent@0__:lpush l2", "__keyevent@0__:rpop l", "|",
                "__keyevent@0__:zadd z", "|",
                "__keyevent@0__:zincr z", "|",
                "__keyevent@0__:zpopmin z", "|",
                "__keyevent@0__:zunionstore zu", "|",
                "|");
    }

    @Test
    void genericClassAddsTheDelOfEmptiedKeys() throws IOException {
        assertThat(events("Kgl", cmd("RPUSH", "l", "a"), cmd("RPOP", "l"), cmd("SADD", "s", "x"), cmd("SINTERSTORE", "s", "nokey")))
                .containsExactly("__keyspace@0__:l rpush", "|", "__keyspace@0__:l rpop", "__keyspace@0__:l del", "|", "|",
                        "__keyspace@0__:s del", "|");
    }

    @Test
    void expiredMissAndNewKeyEvents() throws Exception {
        assertThat(events("Exmn", cmd("SET", "k", "v"), cmd("GET", "nokey"), cmd("SET", "gone", "v", "PX", "1")))
                .containsExactly("__keyevent@0__:new k", "|", "__keyevent@0__:keymiss nokey", "|", "__keyevent@0__:new gone", "|");
        // Only lazy expiry, so the GET below (not the active cycle, before anyone listens) expires it.
        assertThat(c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0")).isEqualTo(OK);
        try {
            Thread.sleep(20); // the 1 ms TTL runs out: time itself is the condition
            assertThat(events("Ex", cmd("GET", "gone"))).containsExactly("__keyevent@0__:expired gone", "|");
        } finally {
            c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        }
    }

    @Test
    void classesAreCheckedAndPrintedAsRedisPrintsThem() throws IOException {
        assertThat(c.call("CONFIG", "SET", "notify-keyspace-events", "gE$")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "GET", "notify-keyspace-events"))
                .isEqualTo(RespConnection.array(RespConnection.bulk("notify-keyspace-events"), RespConnection.bulk("g$E")));
        assertThat(c.call("CONFIG", "SET", "notify-keyspace-events", "KEA")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "GET", "notify-keyspace-events"))
                .isEqualTo(RespConnection.array(RespConnection.bulk("notify-keyspace-events"), RespConnection.bulk("AKE")));
        assertThat(c.call("CONFIG", "SET", "notify-keyspace-events", "Q")).isEqualTo(error("ERR CONFIG SET failed (possibly "
                + "related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'."));
        assertThat(events("g$", cmd("SET", "k", "v"))).containsExactly("|"); // no K or E: nothing is published
    }
}
