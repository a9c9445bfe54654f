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
 * SLOWLOG, MONITOR, LATENCY and INFO latencystats, asserted against Panda
 * ({@link PandaDiagnosticsIT}) and against Debian's real redis-server 7.0.15
 * ({@link RedisDiagnosticsIT}), so the reply formats, truncation, escaping and redaction are
 * proven to be Redis's. Times, ids and durations vary and are checked by their shape. Test thread.
 */
abstract class DiagnosticsContract extends ServerContract {
    @AfterEach
    void restoreDefaults() throws IOException {
        assertThat(c.call("CONFIG", "SET", "slowlog-log-slower-than", "10000", "slowlog-max-len", "128",
                "latency-monitor-threshold", "0")).isEqualTo(OK);
    }

    private String address(RespConnection conn) {
        return "127.0.0.1:" + conn.localPort();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> entry(List<Object> entries, int i) {
        return (List<Object>) entries.get(i);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> args(List<Object> entry) {
        return (List<Object>) entry.get(3);
    }

    // ---- SLOWLOG ------------------------------------------------------------------------------

    @Test
    void slowlogKeepsCommandsAsRedisTruncatesAndRedactsThem() throws IOException {
        // A second of slack below: Redis stamps entries with time(), which reads the kernel's coarse
        // clock and can still show the previous second a few milliseconds after this one began.
        long before = System.currentTimeMillis() / 1000 - 1;
        assertThat(c.call("CONFIG", "SET", "slowlog-log-slower-than", "0")).isEqualTo(OK);
        assertThat(c.call("SLOWLOG", "RESET")).isEqualTo(OK);
        assertThat(c.call("CLIENT", "SETNAME", "observer")).isEqualTo(OK);
        c.call("ECHO", "x".repeat(200));
        String[] mset = new String[41];
        mset[0] = "MSET";
        for (int i = 1; i < mset.length; i++) {
            mset[i] = Integer.toString(i - 1);
        }
        assertThat(c.call(mset)).isEqualTo(OK);
        c.call("AUTH", "someone", "secret");

        List<Object> entries = RespValue.list(c.call("SLOWLOG", "GET", "10"));
        assertThat(entries).hasSize(5);
        List<Object> auth = entry(entries, 0);
        assertThat(auth).hasSize(6);
        assertThat(args(auth)).containsExactly("AUTH", "(redacted)", "(redacted)");
        assertThat(auth.get(4)).isEqualTo(address(c));
        assertThat(auth.get(5)).isEqualTo("observer");
        List<Object> msetArgs = args(entry(entries, 1));
        assertThat(msetArgs).hasSize(32);
        assertThat(msetArgs.get(30)).isEqualTo("29");
        assertThat(msetArgs.get(31)).isEqualTo("... (10 more arguments)");
        assertThat(args(entry(entries, 2))).containsExactly("ECHO", "x".repeat(128) + "... (72 more bytes)");
        assertThat(args(entry(entries, 3))).containsExactly("CLIENT", "SETNAME", "observer");
        assertThat(args(entry(entries, 4))).containsExactly("SLOWLOG", "RESET");
        assertThat(entry(entries, 4).get(5)).as("the name the client had when the command ran").isEqualTo("");
        long firstId = (Long) entry(entries, 4).get(0);
        for (int i = 0; i < 5; i++) {
            List<Object> e = entry(entries, i);
            assertThat(e.get(0)).as("ids count up, newest first").isEqualTo(firstId + 4 - i);
            assertThat((Long) e.get(1)).isBetween(before, System.currentTimeMillis() / 1000 + 1);
            assertThat((Long) e.get(2)).isGreaterThanOrEqualTo(0L);
        }
        assertThat(c.call("SLOWLOG", "LEN")).as("SLOWLOG GET itself was logged after it ran").isEqualTo(":6\r\n");
        assertThat(RespValue.list(c.call("SLOWLOG", "GET", "-1"))).hasSize(7);
        assertThat(RespValue.list(c.call("SLOWLOG", "GET"))).as("default count").hasSize(8);
        assertThat(c.call("SLOWLOG", "GET", "0")).isEqualTo("*0\r\n");
    }

    @Test
    void slowlogRecordsADebugSleepAtTheDefaultThreshold() throws IOException {
        assertThat(c.call("SLOWLOG", "RESET")).isEqualTo(OK);
        assertThat(c.call("DEBUG", "SLEEP", "0.02")).isEqualTo(OK);
        assertThat(c.call("GET", "fast")).isEqualTo(RespConnection.NIL);
        List<Object> entries = RespValue.list(c.call("SLOWLOG", "GET"));
        assertThat(entries).as("only the sleep took 10 ms or more").hasSize(1);
        assertThat(args(entry(entries, 0))).containsExactly("DEBUG", "SLEEP", "0.02");
        assertThat((Long) entry(entries, 0).get(2)).isGreaterThanOrEqualTo(20_000L);
    }

    @Test
    void slowlogMaxLenKeepsTheNewestAndANegativeThresholdTurnsItOff() throws IOException {
        assertThat(c.call("CONFIG", "SET", "slowlog-log-slower-than", "0", "slowlog-max-len", "2")).isEqualTo(OK);
        c.call("PING", "a");
        c.call("PING", "b");
        c.call("PING", "c");
        List<Object> entries = RespValue.list(c.call("SLOWLOG", "GET", "-1"));
        assertThat(entries).hasSize(2);
        assertThat(args(entry(entries, 0))).containsExactly("PING", "c");
        assertThat(args(entry(entries, 1))).containsExactly("PING", "b");
        assertThat(c.call("CONFIG", "SET", "slowlog-log-slower-than", "-1")).isEqualTo(OK);
        assertThat(c.call("SLOWLOG", "RESET")).isEqualTo(OK);
        assertThat(c.call("DEBUG", "SLEEP", "0.01")).isEqualTo(OK);
        assertThat(c.call("SLOWLOG", "LEN")).isEqualTo(":0\r\n");
        assertThat(c.call("CONFIG", "SET", "slowlog-log-slower-than", "-2")).isEqualTo(error(
                "ERR CONFIG SET failed (possibly related to argument 'slowlog-log-slower-than') - argument must be between -1 and "
                        + "9223372036854775807 inclusive"));
    }

    @Test
    void slowlogErrorsAndHelp() throws IOException {
        assertThat(c.call("SLOWLOG", "GET", "-2")).isEqualTo(error("ERR count should be greater than or equal to -1"));
        assertThat(c.call("SLOWLOG", "GET", "abc")).isEqualTo(error("ERR count should be greater than or equal to -1"));
        assertThat(c.call("SLOWLOG", "GET", "1", "2"))
                .isEqualTo(error("ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP."));
        assertThat(c.call("SLOWLOG", "LEN", "2")).isEqualTo(error("ERR wrong number of arguments for 'slowlog|len' command"));
        assertThat(c.call("SLOWLOG", "FOO")).isEqualTo(error("ERR unknown subcommand 'FOO'. Try SLOWLOG HELP."));
        assertThat(c.call("SLOWLOG")).isEqualTo(error("ERR wrong number of arguments for 'slowlog' command"));
        assertThat(c.call("SLOWLOG", "HELP")).isEqualTo("*12\r\n"
                + "+SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                + "+GET [<count>]\r\n"
                + "+    Return top <count> entries from the slowlog (default: 10, -1 mean all).\r\n"
                + "+    Entries are made of:\r\n"
                + "+    id, timestamp, time in microseconds, arguments array, client IP and port,\r\n"
                + "+    client name\r\n"
                + "+LEN\r\n"
                + "+    Return the length of the slowlog.\r\n"
                + "+RESET\r\n"
                + "+    Reset the slowlog.\r\n"
                + "+HELP\r\n"
                + "+    Prints this help.\r\n");
    }

    // ---- MONITOR ------------------------------------------------------------------------------

    /** The next feed line with its time and client port replaced, so lines compare exactly. */
    private static String feedLine(RespConnection monitor) throws IOException {
        String line = monitor.readReply();
        assertThat(line).matches("(?s)\\+\\d{10}\\.\\d{6} \\[\\d+ 127\\.0\\.0\\.1:\\d+\\] .*\r\n");
        return line.replaceFirst("^\\+\\d{10}\\.\\d{6} \\[(\\d+) 127\\.0\\.0\\.1:\\d+\\]", "+T [$1 ADDR]");
    }

    @Test
    void monitorShowsEveryCommandOfOtherClientsInOrderAsRedisWritesIt() throws IOException {
        try (RespConnection monitor = new RespConnection(port())) {
            assertThat(monitor.call("MONITOR")).isEqualTo(OK);
            c.call("SET", "k", "a\"b\\c\n\r\t\u0007\b\u0001 é~");
            c.call("GET", "k");
            c.call("CONFIG", "GET", "maxclients"); // administrative: not shown
            c.call("AUTH", "secret");
            c.call("AUTH", "someone", "secret");
            c.call("HELLO", "2", "AUTH", "someone", "secret");
            c.call("GETT", "x"); // unknown: never ran, not shown
            c.call("GET"); // wrong arity: not shown
            c.call("SELECT", "3");
            c.call("SET", "n", "1234");
            c.call("SELECT", "0");
            List<String> expected = List.of(
                    "+T [0 ADDR] \"SET\" \"k\" \"a\\\"b\\\\c\\n\\r\\t\\a\\b\\x01 \\xc3\\xa9~\"\r\n",
                    "+T [0 ADDR] \"GET\" \"k\"\r\n",
                    "+T [0 ADDR] \"AUTH\" \"(redacted)\"\r\n",
                    "+T [0 ADDR] \"AUTH\" \"(redacted)\" \"(redacted)\"\r\n",
                    "+T [0 ADDR] \"HELLO\" \"2\" \"AUTH\" \"(redacted)\" \"(redacted)\"\r\n",
                    "+T [3 ADDR] \"SELECT\" \"3\"\r\n",
                    "+T [3 ADDR] \"SET\" \"n\" \"1234\"\r\n",
                    "+T [0 ADDR] \"SELECT\" \"0\"\r\n");
            List<String> got = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) {
                got.add(feedLine(monitor));
            }
            assertThat(got).containsExactlyElementsOf(expected);

            // A monitor may ping but not touch the keyspace; a second MONITOR gets no reply.
            assertThat(monitor.call("GET", "k")).isEqualTo(error("ERR Replica can't interact with the keyspace"));
            monitor.send(RespConnection.encode("MONITOR"));
            assertThat(monitor.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(feedLine(monitor)).isEqualTo("+T [0 ADDR] \"PING\"\r\n");
            String clients = c.call("CLIENT", "LIST");
            assertThat(clients).contains("addr=" + address(monitor) + " ").containsPattern("flags=O db=0 .* cmd=ping ");
        }
    }

    @Test
    void everyMonitorGetsTheFeed() throws IOException {
        try (RespConnection m1 = new RespConnection(port()); RespConnection m2 = new RespConnection(port())) {
            assertThat(m1.call("MONITOR")).isEqualTo(OK);
            assertThat(m2.call("MONITOR")).isEqualTo(OK);
            for (int i = 0; i < 50; i++) {
                c.call("SET", "key" + i, "v" + i);
            }
            for (RespConnection m : List.of(m1, m2)) {
                for (int i = 0; i < 50; i++) {
                    assertThat(feedLine(m)).isEqualTo("+T [0 ADDR] \"SET\" \"key" + i + "\" \"v" + i + "\"\r\n");
                }
            }
        }
    }

    // ---- LATENCY and INFO latencystats --------------------------------------------------------

    @Test
    void latencyMonitorSamplesCommandsOverTheThreshold() throws IOException {
        assertThat(c.call("LATENCY", "RESET")).startsWith(":");
        assertThat(c.call("LATENCY", "LATEST")).isEqualTo("*0\r\n");
        assertThat(c.call("CONFIG", "SET", "latency-monitor-threshold", "5")).isEqualTo(OK);
        assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        assertThat(c.call("DEBUG", "SLEEP", "0.02")).isEqualTo(OK);
        List<Object> latest = RespValue.list(c.call("LATENCY", "LATEST"));
        assertThat(latest).hasSize(1);
        @SuppressWarnings("unchecked")
        List<Object> row = (List<Object>) latest.get(0);
        assertThat(row.get(0)).isEqualTo("command");
        assertThat((Long) row.get(1)).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.api.Assertions.within(5L));
        assertThat((Long) row.get(2)).isGreaterThanOrEqualTo(20L);
        assertThat((Long) row.get(3)).isEqualTo(row.get(2));
        List<Object> history = RespValue.list(c.call("LATENCY", "HISTORY", "command"));
        assertThat(history).hasSize(1);
        assertThat(history.get(0)).isEqualTo(List.of(row.get(1), row.get(2)));
        assertThat(c.call("LATENCY", "HISTORY", "no-such-event")).isEqualTo("*0\r\n");
        assertThat(c.call("LATENCY", "HISTORY")).isEqualTo(error("ERR wrong number of arguments for 'latency|history' command"));
        assertThat(c.call("LATENCY", "RESET", "command", "no-such-event")).isEqualTo(":1\r\n");
        assertThat(c.call("LATENCY", "LATEST")).isEqualTo("*0\r\n");
        assertThat(c.call("LATENCY", "FOO")).isEqualTo(error("ERR unknown subcommand 'FOO'. Try LATENCY HELP."));
    }

    private static final String DOCTOR_DISABLED = "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this "
            + "Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. "
            + "If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
    private static final String DOCTOR_QUIET = "Dave, no latency spike was observed during the lifetime of this Redis "
            + "instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and "
            + "think things over.\n";

    @Test
    void latencyDoctorAndGraphWithoutSamples() throws IOException {
        assertThat(c.call("LATENCY", "RESET")).startsWith(":");
        assertThat(c.call("LATENCY", "DOCTOR")).isEqualTo(RespConnection.bulk(DOCTOR_DISABLED));
        // On, with a threshold no command here reaches even on a loaded machine (1 ms did, in CI).
        assertThat(c.call("CONFIG", "SET", "latency-monitor-threshold", "60000")).isEqualTo(OK);
        assertThat(c.call("LATENCY", "DOCTOR")).isEqualTo(RespConnection.bulk(DOCTOR_QUIET));
        try (RespConnection resp3 = new RespConnection(port())) {
            assertThat(resp3.call("HELLO", "3")).startsWith("%");
            assertThat(resp3.call("LATENCY", "DOCTOR"))
                    .isEqualTo("=" + (DOCTOR_QUIET.length() + 4) + "\r\ntxt:" + DOCTOR_QUIET + "\r\n");
        }
        assertThat(c.call("LATENCY", "GRAPH", "command")).isEqualTo(error("ERR No samples available for event 'command'"));
        assertThat(c.call("LATENCY", "GRAPH")).isEqualTo(error("ERR wrong number of arguments for 'latency|graph' command"));
        assertThat(c.call("LATENCY", "DOCTOR", "x"))
                .isEqualTo(error("ERR wrong number of arguments for 'latency|doctor' command"));
        assertThat(c.call("CONFIG", "SET", "latency-monitor-threshold", "0")).isEqualTo(OK);
    }

    /**
     * Two "command" spikes in different seconds: GRAPH and DOCTOR must be exactly what Panda's
     * {@code LatencyGraph} and {@code LatencyReport} write for the samples HISTORY gives, as seen
     * at some second around now (the labels and the period depend on the server's clock). The
     * monitor is turned off before reading, so no slow read (a cold JVM's first DOCTOR can take
     * tens of milliseconds) adds a sample between the replies compared.
     */
    @Test
    void latencyGraphAndDoctorDescribeTheSamplesAsRedisDoes() throws IOException, InterruptedException {
        assertThat(c.call("LATENCY", "RESET")).startsWith(":");
        assertThat(c.call("CONFIG", "SET", "latency-monitor-threshold", "10")).isEqualTo(OK);
        assertThat(c.call("DEBUG", "SLEEP", "0.05")).isEqualTo(OK);
        Thread.sleep(1000); // the next spike falls in a later second, so both are kept
        assertThat(c.call("DEBUG", "SLEEP", "0.02")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "SET", "latency-monitor-threshold", "0")).isEqualTo(OK);
        String graph = c.call("LATENCY", "GRAPH", "command");
        String doctor = c.call("LATENCY", "DOCTOR");
        long now = System.currentTimeMillis() / 1000;

        List<Object> history = RespValue.list(c.call("LATENCY", "HISTORY", "command"));
        assertThat(history).hasSizeGreaterThanOrEqualTo(2);
        long[] seconds = new long[history.size()];
        long[] millis = new long[history.size()];
        for (int i = 0; i < history.size(); i++) {
            seconds[i] = (Long) ((List<?>) history.get(i)).get(0);
            millis[i] = (Long) ((List<?>) history.get(i)).get(1);
        }
        long high = java.util.Arrays.stream(millis).max().orElseThrow();
        long low = java.util.Arrays.stream(millis).min().orElseThrow();
        assertThat(high).isGreaterThanOrEqualTo(50);
        assertThat(low).isGreaterThanOrEqualTo(10);
        long allTimeHigh = (Long) ((List<?>) RespValue.list(c.call("LATENCY", "LATEST")).get(0)).get(3);
        dev.panda.command.LatencyMonitor.Samples samples =
                new dev.panda.command.LatencyMonitor.Samples("command", seconds, millis, allTimeHigh);
        List<String> graphs = new ArrayList<>();
        List<String> doctors = new ArrayList<>();
        for (long t = now - 2; t <= now + 1; t++) {
            graphs.add(RespConnection.bulk(dev.panda.command.LatencyGraph.render(samples, t)));
            doctors.add(RespConnection.bulk(dev.panda.command.LatencyReport.render(List.of(samples), 0, 10000, t,
                    new dev.panda.command.LatencyReport.Server(10, false, 0))));
        }
        assertThat(graph).startsWith("$").contains("\r\ncommand - high " + high + " ms, low " + low + " ms (all time high "
                + allTimeHigh + " ms)\n" + "-".repeat(80) + "\n");
        assertThat(graphs).contains(graph);
        assertThat(doctor).contains("1. command: " + history.size() + " latency spikes (average ",
                "\nI have a few advices for you:\n\n", "'CONFIG SET slowlog-log-slower-than 0'");
        assertThat(doctors).contains(doctor);
        assertThat(c.call("LATENCY", "GRAPH", "COMMAND")).as("events are matched exactly")
                .isEqualTo(error("ERR No samples available for event 'COMMAND'"));
        assertThat(c.call("LATENCY", "RESET", "COMMAND")).as("but reset ignoring case").isEqualTo(":1\r\n");
        assertThat(c.call("LATENCY", "LATEST")).isEqualTo("*0\r\n");
    }

    @Test
    void latencyHelpListsRedisSubcommands() throws IOException {
        assertThat(c.call("LATENCY", "HELP")).isEqualTo("*17\r\n"
                + "+LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                + "+DOCTOR\r\n"
                + "+    Return a human readable latency analysis report.\r\n"
                + "+GRAPH <event>\r\n"
                + "+    Return an ASCII latency graph for the <event> class.\r\n"
                + "+HISTORY <event>\r\n"
                + "+    Return time-latency samples for the <event> class.\r\n"
                + "+LATEST\r\n"
                + "+    Return the latest latency samples for all events.\r\n"
                + "+RESET [<event> ...]\r\n"
                + "+    Reset latency data of one or more <event> classes.\r\n"
                + "+    (default: reset all data for all event classes)\r\n"
                + "+HISTOGRAM [COMMAND ...]\r\n"
                + "+    Return a cumulative distribution of latencies in the format of a histogram for the specified "
                + "command names.\r\n"
                + "+    If no commands are specified then all histograms are replied.\r\n"
                + "+HELP\r\n"
                + "+    Prints this help.\r\n");
    }

    @Test
    void latencyHistogramIsCumulativeOverPowersOfTwoMicroseconds() throws IOException {
        assertThat(c.call("CONFIG", "RESETSTAT")).isEqualTo(OK);
        for (int i = 0; i < 20; i++) {
            c.call("SET", "k" + i, "v");
        }
        List<Object> reply = RespValue.list(c.call("LATENCY", "HISTOGRAM", "set", "no-such-command"));
        assertThat(reply).hasSize(2).startsWith("set");
        @SuppressWarnings("unchecked")
        List<Object> set = (List<Object>) reply.get(1);
        assertThat(set.subList(0, 3)).containsExactly("calls", 20L, "histogram_usec");
        @SuppressWarnings("unchecked")
        List<Object> buckets = (List<Object>) set.get(3);
        long previousBound = 0;
        long previousCount = 0;
        for (int i = 0; i < buckets.size(); i += 2) {
            long bound = (Long) buckets.get(i);
            long count = (Long) buckets.get(i + 1);
            assertThat(bound).isGreaterThan(previousBound);
            assertThat(count).isGreaterThan(previousCount);
            previousBound = bound;
            previousCount = count;
        }
        assertThat(previousCount).isEqualTo(20);
        assertThat(c.call("LATENCY", "HISTOGRAM", "no-such-command")).isEqualTo("*0\r\n");
    }

    @Test
    void infoLatencystatsGivesConfiguredPercentilesPerCommand() throws IOException {
        assertThat(c.call("CONFIG", "RESETSTAT")).isEqualTo(OK);
        c.call("SET", "k", "v");
        c.call("GET", "k");
        String info = c.call("INFO", "latencystats");
        assertThat(info).containsPattern("# Latencystats\r\n")
                .containsPattern("latency_percentiles_usec_set:p50=\\d+\\.\\d{3},p99=\\d+\\.\\d{3},p99\\.9=\\d+\\.\\d{3}\r\n")
                .containsPattern("latency_percentiles_usec_get:p50=\\d+\\.\\d{3},p99=\\d+\\.\\d{3},p99\\.9=\\d+\\.\\d{3}\r\n")
                .doesNotContain("_usec_del:");
        assertThat(c.call("INFO")).doesNotContain("# Latencystats");
        assertThat(c.call("INFO", "everything")).containsPattern("# Errorstats\r\n(.*\r\n)*\r\n# Latencystats\r\n");
        assertThat(c.call("CONFIG", "SET", "latency-tracking-info-percentiles", "99.90 50.0")).isEqualTo(OK);
        assertThat(c.call("CONFIG", "GET", "latency-tracking-info-percentiles"))
                .isEqualTo(RespConnection.array(RespConnection.bulk("latency-tracking-info-percentiles"), RespConnection.bulk("99.9 50")));
        assertThat(c.call("INFO", "latencystats")).containsPattern("latency_percentiles_usec_set:p99\\.9=\\d+\\.\\d{3},p50=\\d+\\.\\d{3}\r\n");
        assertThat(c.call("CONFIG", "SET", "latency-tracking-info-percentiles", "200")).isEqualTo(error(
                "ERR CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - "
                        + "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"));
        assertThat(c.call("CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9")).isEqualTo(OK);
    }

    // ---- INFO figures of active expiry and of the clients' buffers ------------------------------

    /** A field of an INFO section, as text. */
    private String info(String section, String field) throws IOException {
        String text = new String(c.callForBulk("INFO", section), java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:^|\n)" + field + ":([^\r\n]*)").matcher(text);
        assertThat(m.find()).as(field + " in INFO " + section).isTrue();
        return m.group(1);
    }

    /** INFO keyspace's avg_ttl of database {@code db}, or -1 when the database has no keys. */
    private long avgTtl(int db) throws IOException {
        String text = new String(c.callForBulk("INFO", "keyspace"), java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("db" + db + ":keys=\\d+,expires=\\d+,avg_ttl=(\\d+)\r")
                .matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * The active expiry cycle's estimates: avg_ttl from the remaining TTLs of the keys it samples,
     * expired_stale_perc from the share it finds expired and not yet removed (many keys expiring
     * together), and its running time as a number of milliseconds.
     */
    @Test
    void activeExpiryEstimatesAvgTtlAndTheStaleShare() throws Exception {
        assertThat(c.call("CONFIG", "RESETSTAT")).isEqualTo(OK);
        assertThat(info("stats", "expired_stale_perc")).isEqualTo("0.00");
        c.call("EVAL", "for i=1,100 do redis.call('set','live'..i,'v','px',60000) end return 1", "0");
        Poll.until("avg_ttl estimated for db0", java.time.Duration.ofSeconds(10), () -> avgTtl(0) > 0);
        // One cycle's sample (all keys have 60 s, less the time since): Redis's first estimate is it.
        assertThat(avgTtl(0)).isBetween(50_000L, 60_000L);

        assertThat(c.call("SELECT", "1")).isEqualTo(OK);
        c.call("EVAL", "for i=1,20000 do redis.call('set','brief'..i,'v','px',100) end return 1", "0");
        Poll.until("expired_stale_perc above 0", java.time.Duration.ofSeconds(10),
                () -> Double.parseDouble(info("stats", "expired_stale_perc")) > 0);
        Poll.until("the brief keys expired", java.time.Duration.ofSeconds(10), () -> avgTtl(1) == -1);
        assertThat(c.call("SELECT", "0")).isEqualTo(OK);
        assertThat(info("stats", "expire_cycle_cpu_milliseconds")).matches("\\d+");
        assertThat(info("stats", "expired_time_cap_reached_count")).matches("\\d+");
        assertThat(avgTtl(0)).as("db0's estimate is its own").isBetween(40_000L, 60_000L);
        assertThat(c.call("FLUSHALL")).isEqualTo(OK);
    }

    /**
     * Many keys expiring at once keep the expiry cycle busy for milliseconds: with a 1 ms
     * threshold LATENCY records the expire-cycle event and DOCTOR gives Redis's advice for it.
     */
    @Test
    void latencyRecordsTheExpireCycle() throws Exception {
        assertThat(c.call("LATENCY", "RESET")).startsWith(":");
        assertThat(c.call("CONFIG", "SET", "latency-monitor-threshold", "1")).isEqualTo(OK);
        c.call("EVAL", "for i=1,100000 do redis.call('set','k'..i,'v','px',50) end return 1", "0");
        Poll.until("an expire-cycle sample", java.time.Duration.ofSeconds(10),
                () -> c.call("LATENCY", "LATEST").contains("\r\nexpire-cycle\r\n"));
        assertThat(c.call("LATENCY", "HISTORY", "expire-cycle")).startsWith("*1\r\n*2\r\n:");
        assertThat(c.call("LATENCY", "DOCTOR")).contains(". expire-cycle: 1 latency spikes (average ",
                "- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration "
                        + "parameter to 100 using 'CONFIG SET hz 100'.\n");
    }

    /**
     * client_recent_max_input_buffer shows a big argument a client sent in the last seconds, once
     * the periodic pass over the clients has seen it (the client stays connected meanwhile).
     */
    @Test
    void infoShowsTheRecentLargestInputBuffer() throws Exception {
        Poll.until("no big input in the last 8 seconds", java.time.Duration.ofSeconds(15),
                () -> Long.parseLong(info("clients", "client_recent_max_input_buffer")) < 1 << 20);
        try (RespConnection big = new RespConnection(port())) {
            assertThat(big.call("SET", "big", "x".repeat(1 << 20))).isEqualTo(OK);
            Poll.until("the 1 MB argument in client_recent_max_input_buffer", java.time.Duration.ofSeconds(5),
                    () -> Long.parseLong(info("clients", "client_recent_max_input_buffer")) >= 1 << 20);
            assertThat(Long.parseLong(info("clients", "client_recent_max_input_buffer"))).isLessThan(4 << 20);
            assertThat(info("clients", "client_recent_max_output_buffer")).matches("\\d+");
        }
    }
}
