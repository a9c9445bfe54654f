package dev.panda.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What monitoring tools read, side by side with Debian's real redis-server 7.0.15: INFO
 * everything's sections and field names in Redis's order (Panda's own fields, named panda_* and a
 * few JVM ones, may follow Redis's in a section), errorstats, and CLIENT LIST's fields. Test thread.
 */
class OperationsParityIT {
    @org.junit.jupiter.api.extension.RegisterExtension
    static final SideBySide SERVERS = new SideBySide();

    /** INFO's headers and field names, without per-command, per-error and per-database lines. */
    private static List<String> infoFields(RespConnection c) throws IOException {
        String info = new String(c.callForBulk("INFO", "everything"), java.nio.charset.StandardCharsets.UTF_8);
        List<String> fields = new ArrayList<>();
        for (String line : info.split("\r\n")) {
            if (line.isEmpty() || line.startsWith("cmdstat_") || line.startsWith("latency_percentiles_usec_")
                    || line.startsWith("errorstat_") || line.matches("db\\d+:.*")) {
                continue;
            }
            fields.add(line.startsWith("#") ? line : line.substring(0, line.indexOf(':')));
        }
        return fields;
    }

    private static final List<String> PANDA_ONLY = List.of("java_version", "network_buffers_used", "jvm_heap_used",
            "jvm_heap_committed", "jvm_heap_max", "client_output_buffer_limit_disconnections");

    @Test
    void infoHasRedisSectionsAndFieldsInRedisOrder() throws IOException {
        try (RespConnection p = new RespConnection(SERVERS.panda.port); RespConnection r = new RespConnection(SERVERS.redis.port)) {
            List<String> pandaFields = new ArrayList<>(infoFields(p));
            pandaFields.removeIf(f -> f.startsWith("panda_") || PANDA_ONLY.contains(f));
            assertThat(pandaFields).isEqualTo(infoFields(r));
        }
    }

    @Test
    void errorsAreCountedByCodeAsRedisCountsThem() throws IOException {
        try (RespConnection p = new RespConnection(SERVERS.panda.port); RespConnection r = new RespConnection(SERVERS.redis.port)) {
            for (RespConnection c : List.of(p, r)) {
                c.call("CONFIG", "RESETSTAT");
                c.call("GET");
                c.call("NOSUCHCOMMAND");
                c.call("SET", "s", "v");
                c.call("LPUSH", "s", "x");
                c.call("AUTH", "nobody", "pw");
                c.call("EVAL", "return redis.error_reply('MYCODE something')", "0");
                c.call("MULTI");
                c.call("GET");
                c.call("EXEC");
            }
            assertThat(errorstats(p)).isEqualTo(errorstats(r))
                    .contains("errorstat_ERR:count=3", "errorstat_WRONGTYPE:count=1", "errorstat_MYCODE:count=1");
            assertThat(p.call("INFO", "stats")).contains("total_error_replies:7\r\n");
            assertThat(r.call("INFO", "stats")).contains("total_error_replies:7\r\n");
        }
    }

    private static List<String> errorstats(RespConnection c) throws IOException {
        String info = new String(c.callForBulk("INFO", "errorstats"), java.nio.charset.StandardCharsets.UTF_8);
        return Arrays.stream(info.split("\r\n")).filter(l -> l.startsWith("errorstat_")).toList();
    }

    /** CLIENT LIST's field names in order, and the values that follow from the same state. */
    @Test
    void clientListHasRedisFields() throws IOException {
        try (RespConnection p = new RespConnection(SERVERS.panda.port); RespConnection r = new RespConnection(SERVERS.redis.port)) {
            List<List<String>> lines = new ArrayList<>();
            for (RespConnection c : List.of(p, r)) {
                c.call("CLIENT", "SETNAME", "probe");
                c.call("SELECT", "2");
                String line = new String(c.callForBulk("CLIENT", "INFO"), java.nio.charset.StandardCharsets.UTF_8).trim();
                c.call("SELECT", "0");
                lines.add(Arrays.asList(line.split(" ")));
            }
            List<String> names = lines.get(1).stream().map(f -> f.substring(0, f.indexOf('='))).toList();
            assertThat(lines.get(0).stream().map(f -> f.substring(0, f.indexOf('='))).toList()).isEqualTo(names);
            for (String same : List.of("name=probe", "db=2", "flags=N", "sub=0", "multi=-1", "cmd=client|info",
                    "user=default", "redir=-1", "resp=2", "events=r")) {
                assertThat(lines.get(0)).contains(same);
                assertThat(lines.get(1)).contains(same);
            }
        }
    }

    private static java.util.Set<String> configNames(RespConnection c) throws IOException {
        List<String> flat = AclContract.bulks(c.call("CONFIG", "GET", "*"));
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (int i = 0; i < flat.size(); i += 2) {
            names.add(flat.get(i));
        }
        return names;
    }

    @Test
    void configKnowsEveryRedisDirective() throws IOException {
        try (RespConnection p = new RespConnection(SERVERS.panda.port); RespConnection r = new RespConnection(SERVERS.redis.port)) {
            java.util.Set<String> redisNames = configNames(r);
            assertThat(redisNames).hasSizeGreaterThan(180);
            assertThat(configNames(p)).containsAll(redisNames);
        }
    }

    /** CONFIG SET's checks, errors, aliases and all-or-nothing multi-directive sets, as Redis has them. */
    @Test
    void configSetAsRedis() throws IOException {
        List<String[]> commands = List.of(
                new String[] {"CONFIG", "SET", "activedefrag", "maybe"},
                new String[] {"CONFIG", "SET", "io-threads", "4"},
                new String[] {"CONFIG", "SET", "hz", "abc"},
                new String[] {"CONFIG", "SET", "repl-backlog-size", "1x"},
                new String[] {"CONFIG", "SET", "repl-backlog-size", "2mb"},
                new String[] {"CONFIG", "GET", "repl-backlog-size"},
                new String[] {"CONFIG", "SET", "oom-score-adj", "bogus"},
                new String[] {"CONFIG", "SET", "lazyfree-lazy-eviction", "yes", "lua-time-limit", "100"},
                new String[] {"CONFIG", "GET", "lua-time-limit"},
                new String[] {"CONFIG", "GET", "busy-reply-threshold"},
                new String[] {"CONFIG", "SET", "maxmemory-samples", "0"},
                new String[] {"CONFIG", "SET", "shutdown-on-sigint", "save now"},
                new String[] {"CONFIG", "GET", "shutdown-on-sigint"},
                new String[] {"CONFIG", "SET", "tracking-table-max-keys", "10", "hz", "-1"},
                new String[] {"CONFIG", "GET", "tracking-table-max-keys"},
                new String[] {"CONFIG", "SET", "hz", "0"},
                new String[] {"CONFIG", "GET", "hz"},
                new String[] {"CONFIG", "SET", "hz", "100000"},
                new String[] {"CONFIG", "GET", "hz"},
                new String[] {"CONFIG", "SET", "hz", "10"},
                new String[] {"CONFIG", "SET", "slowlog-max-len", "5", "slowlog-max-len", "6"},
                new String[] {"CONFIG", "SET", "nosuch", "1"},
                new String[] {"CONFIG", "SET", "hz"},
                new String[] {"CONFIG", "SET", "replica-read-only", "no", "slave-read-only", "yes"},
                new String[] {"CONFIG", "SET", "slave-read-only", "no"},
                new String[] {"CONFIG", "GET", "replica-read-only"},
                new String[] {"CONFIG", "SET", "dbfilename", "x.rdb"},
                new String[] {"CONFIG", "SET", "daemonize", "yes"},
                new String[] {"CONFIG", "SET", "active-expire-effort", "11"},
                new String[] {"CONFIG", "SET", "sanitize-dump-payload", "clients"},
                new String[] {"CONFIG", "GET", "sanitize-dump-payload"},
                new String[] {"CONFIG", "GET", "unixsocketperm"},
                new String[] {"CONFIG", "GET", "key-load-delay"},
                new String[] {"CONFIG", "GET", "*load-delay*"});
        try (RespConnection p = new RespConnection(SERVERS.panda.port); RespConnection r = new RespConnection(SERVERS.redis.port)) {
            for (String[] command : commands) {
                assertThat(p.call(command)).as(String.join(" ", command)).isEqualTo(r.call(command));
            }
            for (RespConnection c : List.of(p, r)) {
                c.call("CONFIG", "SET", "repl-backlog-size", "1mb", "lua-time-limit", "5000", "lazyfree-lazy-eviction", "no",
                        "shutdown-on-sigint", "default", "slave-read-only", "yes", "sanitize-dump-payload", "no");
            }
        }
    }

    @Test
    void latencyTrackingOffEmptiesLatencystats() throws IOException {
        try (RespConnection p = new RespConnection(SERVERS.panda.port); RespConnection r = new RespConnection(SERVERS.redis.port)) {
            for (RespConnection c : List.of(p, r)) {
                c.call("CONFIG", "SET", "latency-tracking", "no");
                c.call("CONFIG", "RESETSTAT");
                c.call("SET", "a", "1");
            }
            try {
                assertThat(p.call("INFO", "latencystats")).isEqualTo(r.call("INFO", "latencystats"));
                assertThat(p.call("INFO", "latencystats")).doesNotContain("latency_percentiles_usec_set");
            } finally {
                for (RespConnection c : List.of(p, r)) {
                    c.call("CONFIG", "SET", "latency-tracking", "yes");
                }
            }
        }
    }

    @Test
    void pidfileIsWrittenAndRemoved() throws Exception {
        java.nio.file.Path pidfile = java.nio.file.Files.createTempDirectory("panda-pid").resolve("panda.pid");
        try (RunningPanda p = new RunningPanda("--appendonly", "no", "--pidfile", pidfile.toString())) {
            assertThat(java.nio.file.Files.readString(pidfile).trim()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
        assertThat(pidfile).doesNotExist();
    }

    /** port and bind are mutable, as in Redis 7.0: the listener moves, open connections stay. */
    @Test
    void configSetPortAndBindMoveTheListener() throws Exception {
        int newPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            newPort = free.getLocalPort();
        }
        try (RunningPanda p = new RunningPanda("--appendonly", "no"); RespConnection c = new RespConnection(p.port);
             java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(c.call("CONFIG", "SET", "port", Integer.toString(newPort))).isEqualTo(RespConnection.OK);
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n"); // this connection stays
            try (RespConnection moved = new RespConnection(newPort)) {
                assertThat(moved.call("CONFIG", "GET", "port")).contains(Integer.toString(newPort));
                assertThat(moved.call("INFO", "server")).contains("tcp_port:" + newPort + "\r\n");
            }
            assertThat(c.call("CONFIG", "SET", "port", Integer.toString(taken.getLocalPort())))
                    .isEqualTo(RespConnection.error("ERR CONFIG SET failed (possibly related to argument 'port') - Unable to "
                            + "listen on this port. Check server logs."));
            assertThat(c.call("CONFIG", "GET", "port")).contains(Integer.toString(newPort));
            assertThat(c.call("CONFIG", "SET", "bind", "192.0.2.1")).isEqualTo(RespConnection.error("ERR CONFIG SET failed "
                    + "(possibly related to argument 'bind') - Failed to bind to specified addresses."));
            try (RespConnection still = new RespConnection(newPort)) {
                assertThat(still.call("PING")).isEqualTo("+PONG\r\n");
            }
        }
    }

    /** Client-side caching remembers the keys Redis does, movable ones included, and INFO counts them alike. */
    @Test
    void trackedKeysAndItemsAsRedis() throws IOException {
        try (RespConnection p = new RespConnection(SERVERS.panda.port); RespConnection r = new RespConnection(SERVERS.redis.port);
             RespConnection p2 = new RespConnection(SERVERS.panda.port); RespConnection r2 = new RespConnection(SERVERS.redis.port)) {
            p.call("FLUSHALL"); // before tracking starts: a flush pushes an invalidation to tracking clients
            r.call("FLUSHALL");
            for (RespConnection c : List.of(p, r, p2, r2)) {
                c.call("HELLO", "3");
                c.call("CLIENT", "TRACKING", "ON");
            }
            for (RespConnection c : List.of(p, r)) {
                c.call("GET", "a");
                c.call("MGET", "b", "c");
                c.call("ZUNION", "2", "z1", "z2");
                c.call("SINTERCARD", "2", "s1", "s2");
            }
            for (RespConnection c : List.of(p2, r2)) {
                c.call("GET", "a");
                c.call("EXISTS", "b");
            }
            try (RespConnection pInfo = new RespConnection(SERVERS.panda.port);
                 RespConnection rInfo = new RespConnection(SERVERS.redis.port)) {
                assertThat(trackingStats(pInfo)).isEqualTo(trackingStats(rInfo))
                        .contains("tracking_total_keys:7", "tracking_total_items:9");
            }
            for (RespConnection c : List.of(p, r, p2, r2)) {
                c.call("CLIENT", "TRACKING", "OFF");
            }
        }
    }

    private static List<String> trackingStats(RespConnection c) throws IOException {
        String info = new String(c.callForBulk("INFO", "stats"), java.nio.charset.StandardCharsets.UTF_8);
        return Arrays.stream(info.split("\r\n")).filter(l -> l.startsWith("tracking_total")).toList();
    }
}
