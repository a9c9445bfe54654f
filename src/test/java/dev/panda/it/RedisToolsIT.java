package dev.panda.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Panda driven by Redis's own tools: redis-cli (commands, mass insertion with --pipe, --scan,
 * an interactive session with hints under tmux) and redis-benchmark. Skipped loudly when the
 * tools are missing, failed instead in CI. Test thread.
 */
class RedisToolsIT {
    private static RunningPanda panda;

    @BeforeAll
    static void start() throws Exception {
        requireTool("redis-cli", "redis-tools");
        panda = new RunningPanda();
    }

    static void requireTool(String program, String debianPackage) {
        if (!Commands.installed(program)) {
            String msg = program + " is not installed (Debian package " + debianPackage + "): these tests are SKIPPED";
            if ("true".equals(System.getenv("CI"))) {
                fail(msg + "; in CI nothing may be skipped");
            }
            System.err.println("\n**********\n" + msg + "\n**********\n");
            Assumptions.abort(msg);
        }
    }

    @AfterAll
    static void stop() {
        if (panda != null) {
            panda.close();
        }
    }

    @BeforeEach
    void flush() throws Exception {
        cli("FLUSHALL");
    }

    private static String cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(panda.port)));
        cmd.addAll(Arrays.asList(args));
        Commands.Result r = Commands.run(cmd, null, 60);
        assertThat(r.exitCode()).as("redis-cli %s: %s", Arrays.toString(args), r.output()).isZero();
        return r.output();
    }

    @Test
    void redisCliRunsCommands() throws Exception {
        assertThat(cli("PING")).isEqualTo("PONG\n");
        assertThat(cli("SET", "greeting", "hello world")).isEqualTo("OK\n");
        assertThat(cli("GET", "greeting")).isEqualTo("hello world\n");
        assertThat(cli("INCRBY", "n", "5")).isEqualTo("5\n");
        assertThat(cli("GET", "missing")).isEqualTo("\n");
        assertThat(cli("--no-raw", "GET", "missing")).isEqualTo("(nil)\n");
        assertThat(cli("--no-raw", "GET")).isEqualTo("(error) ERR wrong number of arguments for 'get' command\n");
        assertThat(cli("INFO", "server")).contains("redis_version:7.0.15");
        assertThat(cli("DBSIZE")).isEqualTo("2\n");
    }

    /** redis-cli's monitoring modes read Panda's INFO, SCAN, TYPE, MEMORY USAGE and PING as they read Redis's. */
    @Test
    void redisCliMonitoringModesRunClean() throws Exception {
        cli("SET", "s", "x".repeat(100));
        cli("RPUSH", "l", "a", "b", "c");
        cli("HSET", "h", "f", "v");
        String bigkeys = cli("--bigkeys");
        assertThat(bigkeys).contains("Biggest string found '\"s\"' has 100 bytes")
                .contains("Biggest   list found '\"l\"' has 3 items")
                .contains("1 lists with 3 items").contains("1 strings with 100 bytes");
        String memkeys = cli("--memkeys");
        assertThat(memkeys).contains("1 strings with").contains("1 hashs with").doesNotContain("ERR");
        // --stat and --latency-history run until stopped: a second of each.
        String port = Integer.toString(panda.port);
        Commands.Result stat = Commands.run(List.of("timeout", "1", "stdbuf", "-o0", "redis-cli", "-p", port, "--stat",
                "-i", "0.2"), null, 30);
        assertThat(stat.output()).contains("keys       mem      clients blocked requests            connections")
                .containsPattern("\\n3 +\\S+ +1 +0 +\\d+");
        Commands.Result history = Commands.run(List.of("timeout", "1", "stdbuf", "-o0", "redis-cli", "-p", port,
                "--latency-history", "-i", "1"), null, 30);
        assertThat(history.output()).containsPattern("(?m)^\\d+ \\d+ [0-9.]+ \\d+\\r?$"); // min max avg samples, off a terminal
    }

    @Test
    void redisCliLogsInAsAnAclUser() throws Exception {
        assertThat(cli("ACL", "SETUSER", "ops", "on", ">pw", "~*", "+@read", "+ping", "+acl|whoami")).isEqualTo("OK\n");
        try {
            assertThat(cli("--user", "ops", "--pass", "pw", "--no-auth-warning", "ACL", "WHOAMI")).isEqualTo("ops\n");
            assertThat(cli("--user", "ops", "--pass", "pw", "--no-auth-warning", "--no-raw", "SET", "k", "v"))
                    .isEqualTo("(error) NOPERM this user has no permissions to run the 'set' command\n");
            assertThat(cli("--user", "ops", "--pass", "bad", "--no-auth-warning", "--no-raw", "PING"))
                    .contains("WRONGPASS invalid username-password pair or user is disabled.");
        } finally {
            cli("ACL", "DELUSER", "ops");
        }
    }

    @Test
    void redisCliReadsCommandsFromStdin() throws Exception {
        Path script = Files.createTempFile("cli", ".txt");
        Files.writeString(script, "SET a 1\nINCR a\nGET a\nMSET b 2 c 3\nMGET a b c\n");
        Commands.Result r = Commands.run(List.of("redis-cli", "-p", Integer.toString(panda.port)), script, 60);
        Files.delete(script);
        assertThat(r.exitCode()).isZero();
        assertThat(r.output()).isEqualTo("OK\n2\n2\nOK\n2\n2\n3\n");
    }

    @Test
    void massInsertionWithPipeThenScan() throws Exception {
        Path data = Files.createTempFile("pipe", ".resp");
        try (BufferedWriter w = Files.newBufferedWriter(data, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 100_000; i++) {
                String key = "key:" + i;
                String value = "value-" + i;
                w.write("*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key + "\r\n$" + value.length() + "\r\n" + value + "\r\n");
            }
        }
        Commands.Result r = Commands.run(List.of("redis-cli", "-p", Integer.toString(panda.port), "--pipe"), data, 120);
        Files.delete(data);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("errors: 0, replies: 100000");
        assertThat(cli("DBSIZE")).isEqualTo("100000\n");
        assertThat(cli("GET", "key:99999")).isEqualTo("value-99999\n");

        String scanned = cli("--scan", "--pattern", "key:1234*");
        List<String> keys = Arrays.stream(scanned.split("\n")).filter(s -> !s.isEmpty()).sorted().toList();
        assertThat(keys).containsExactly("key:1234", "key:12340", "key:12341", "key:12342", "key:12343", "key:12344",
                "key:12345", "key:12346", "key:12347", "key:12348", "key:12349");
        assertThat(cli("--scan").split("\n")).hasSize(100_000);
    }

    @Test
    void redisBenchmarkCompletesWithoutErrors() throws Exception {
        requireTool("redis-benchmark", "redis-tools");
        Commands.Result r = Commands.run(List.of("redis-benchmark", "-h", "127.0.0.1", "-p", Integer.toString(panda.port),
                "-t", "ping,set,get,incr,mset", "-n", "20000", "-c", "20", "-q", "--csv"), null, 300);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).doesNotContainIgnoringCase("error")
                .contains("\"PING_INLINE\"", "\"PING_MBULK\"", "\"SET\"", "\"GET\"", "\"INCR\"", "\"MSET (10 keys)\"");
    }

    @Test
    void interactiveRedisCliShowsHintsFromCommandDocs() throws Exception {
        requireTool("tmux", "tmux");
        String session = "panda-it-" + ProcessHandle.current().pid();
        List<String> start = List.of("tmux", "new-session", "-d", "-s", session, "-x", "200", "-y", "10",
                "redis-cli -p " + panda.port + "; sleep 60");
        assertThat(Commands.run(start, null, 20).exitCode()).isZero();
        try {
            Poll.until("redis-cli prompt", Duration.ofSeconds(10), () -> pane(session).contains("127.0.0.1:" + panda.port + ">"));
            Commands.run(List.of("tmux", "send-keys", "-t", session, "SET mykey "), null, 10);
            Poll.until("hint for SET", Duration.ofSeconds(10),
                    () -> pane(session).contains("SET mykey value [NX|XX] [GET] [EX seconds|PX milliseconds"));
            Commands.run(List.of("tmux", "send-keys", "-t", session, "C-u", "GETEX k "), null, 10);
            Poll.until("hint for GETEX", Duration.ofSeconds(10), () -> pane(session).contains("PERSIST]"));
            Commands.run(List.of("tmux", "send-keys", "-t", session, "C-u", "set hinted yes", "Enter"), null, 10);
            Poll.until("command ran", Duration.ofSeconds(10), () -> pane(session).contains("OK"));
            assertThat(cli("GET", "hinted")).isEqualTo("yes\n");
        } finally {
            Commands.run(List.of("tmux", "kill-session", "-t", session), null, 10);
        }
    }

    private static String pane(String session) throws Exception {
        return Commands.run(List.of("tmux", "capture-pane", "-p", "-t", session), null, 10).output();
    }
}
