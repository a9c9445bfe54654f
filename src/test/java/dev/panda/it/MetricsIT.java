package dev.panda.it;

import static dev.panda.it.RespConnection.OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.panda.persistence.wal.FaultyFiles;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics endpoint of a real Panda: /metrics parsed back (names, types, values that move as
 * commands run) and checked by promtool, /health, /ready while loading and while the log cannot
 * be written. Test thread; each test starts its own server.
 */
class MetricsIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (\\S+)$");
    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$");

    @TempDir
    Path dir;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A scrape: samples by their series ("name{labels}") and metric types by family name. */
    record Scrape(String text, Map<String, Double> samples, Map<String, String> types) {
        double value(String series) {
            Double v = samples.get(series);
            if (v == null) {
                throw new AssertionError("no series " + series + " in:\n" + text);
            }
            return v;
        }
    }

    static Scrape scrape(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = get(port, "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        Map<String, Double> samples = new HashMap<>();
        Map<String, String> types = new HashMap<>();
        for (String line : response.body().split("\n")) {
            Matcher t = TYPE.matcher(line);
            if (t.matches()) {
                types.put(t.group(1), t.group(2));
            } else if (!line.startsWith("#") && !line.isEmpty()) {
                Matcher m = SAMPLE.matcher(line);
                assertThat(m.matches()).as("sample line: %s", line).isTrue();
                samples.put(m.group(1), Double.parseDouble(m.group(2).replace("+Inf", "Infinity")));
            }
        }
        return new Scrape(response.body(), samples, types);
    }

    private RunningPanda panda(int metricsPort, String... extra) throws Exception {
        String[] args = new String[extra.length + 4];
        args[0] = "--metrics-port";
        args[1] = Integer.toString(metricsPort);
        args[2] = "--enable-debug-command";
        args[3] = "yes";
        System.arraycopy(extra, 0, args, 4, extra.length);
        return new RunningPanda(dir, args);
    }

    @Test
    void metricsAreParsedBackAndMoveAsCommandsRun() throws Exception {
        int metricsPort = freePort();
        try (RunningPanda panda = panda(metricsPort); RespConnection c = new RespConnection(panda.port)) {
            assertThat(panda.server.metricsPort()).isEqualTo(metricsPort);
            assertThat(c.call("SET", "a", "1")).isEqualTo(OK);
            Scrape before = scrape(metricsPort);
            assertThat(before.types()).containsEntry("panda_commands_processed_total", "counter")
                    .containsEntry("panda_command_duration_seconds", "histogram")
                    .containsEntry("panda_connected_clients", "gauge")
                    .containsEntry("panda_db_keys", "gauge")
                    .containsEntry("panda_wal_fsync_duration_seconds", "histogram")
                    .containsEntry("panda_build_info", "gauge")
                    .containsEntry("panda_storage_backend_info", "gauge")
                    .containsEntry("jvm_memory_used_bytes", "gauge")
                    .containsEntry("process_resident_memory_bytes", "gauge");
            assertThat(before.value("panda_commands_processed_total{command=\"set\"}")).isEqualTo(1);
            assertThat(before.value("panda_connected_clients")).isEqualTo(1);
            assertThat(before.value("panda_db_keys{db=\"db0\"}")).isEqualTo(1);
            assertThat(before.value("panda_storage_backend_info{backend=\"local\"}")).isEqualTo(1);
            assertThat(before.value("panda_storage_degraded")).isZero();
            assertThat(before.value("panda_loading")).isZero();
            assertThat(before.value("panda_wal_writable")).isEqualTo(1);

            for (int i = 0; i < 10; i++) {
                assertThat(c.call("SET", "k" + i, "v", "EX", "100")).isEqualTo(OK);
            }
            c.call("GET", "k1");
            c.call("GET", "missing");
            c.call("INCR", "a");
            c.call("INCR", "k1"); // not an integer: runs and fails
            c.call("GET"); // wrong arity: rejected
            assertThat(c.call("DEBUG", "SLEEP", "0.02")).isEqualTo(OK);
            Scrape after = scrape(metricsPort);
            assertThat(after.value("panda_commands_processed_total{command=\"set\"}")).isEqualTo(11);
            assertThat(after.value("panda_commands_processed_total{command=\"get\"}")).isEqualTo(2);
            assertThat(after.value("panda_commands_failed_total{command=\"incr\"}")).isEqualTo(1);
            assertThat(after.value("panda_commands_rejected_total{command=\"get\"}")).isEqualTo(1);
            assertThat(after.value("panda_command_duration_seconds_count{command=\"set\"}")).isEqualTo(11);
            assertThat(after.value("panda_command_duration_seconds_bucket{command=\"set\",le=\"+Inf\"}")).isEqualTo(11);
            assertThat(after.value("panda_command_duration_seconds_bucket{command=\"debug\",le=\"0.016384\"}"))
                    .as("the 20 ms sleep is above 16 ms").isZero();
            assertThat(after.value("panda_command_duration_seconds_bucket{command=\"debug\",le=\"0.032768\"}")).isEqualTo(1);
            assertThat(after.value("panda_command_duration_seconds_sum{command=\"debug\"}")).isGreaterThanOrEqualTo(0.02);
            assertThat(after.value("panda_db_keys{db=\"db0\"}")).isEqualTo(11);
            assertThat(after.value("panda_db_keys_expiring{db=\"db0\"}")).isEqualTo(10);
            assertThat(after.value("panda_keyspace_hits_total")).isGreaterThan(before.value("panda_keyspace_hits_total"));
            assertThat(after.value("panda_keyspace_misses_total")).isGreaterThan(before.value("panda_keyspace_misses_total"));
            assertThat(after.value("panda_net_input_bytes_total")).isGreaterThan(before.value("panda_net_input_bytes_total"));
            assertThat(after.value("panda_net_output_bytes_total")).isGreaterThan(before.value("panda_net_output_bytes_total"));
            assertThat(after.value("panda_wal_written_bytes_total")).isGreaterThan(before.value("panda_wal_written_bytes_total"));
            assertThat(after.value("panda_slowlog_length")).as("DEBUG SLEEP 0.02 is over 10 ms").isEqualTo(1);
            assertThat(after.value("panda_memory_rss_bytes")).isGreaterThan(1 << 20);
            assertThat(after.value("panda_memory_heap_used_bytes")).isGreaterThan(0);
            assertThat(after.value("panda_memory_used_bytes")).as("the dataset's bytes, as INFO used_memory").isGreaterThan(0);
            assertThat(after.value("panda_memory_max_bytes")).isZero();
            assertThat(after.value("panda_evicted_keys_total")).isZero();

            // Consistent with INFO: the same counters.
            String info = c.call("INFO", "commandstats");
            assertThat(info).contains("cmdstat_set:calls=11,").contains("cmdstat_incr:calls=2,").contains("failed_calls=1");

            assertThat(c.call("SAVE")).isEqualTo(OK);
            Poll.until("fsyncs are counted", Duration.ofSeconds(5),
                    () -> scrape(metricsPort).value("panda_wal_fsync_duration_seconds_count") > 0);
            Scrape saved = scrape(metricsPort);
            assertThat(saved.value("panda_snapshot_size_bytes")).isGreaterThan(0);
            assertThat(saved.value("panda_snapshot_last_success")).isEqualTo(1);
            assertThat(saved.value("panda_snapshot_last_duration_seconds")).isGreaterThanOrEqualTo(0);
            assertThat(saved.value("panda_snapshot_age_seconds")).isLessThan(60);
            assertThat(saved.value("panda_changes_since_last_snapshot")).isZero();
        }
    }

    @Test
    void promtoolAcceptsTheOutput() throws Exception {
        if (!Commands.installed("promtool")) {
            String msg = "promtool is not installed: the metrics format check is SKIPPED. Install the Debian package "
                    + "prometheus (scripts/test does this as root).";
            if ("true".equals(System.getenv("CI"))) {
                fail(msg + " In CI no check may be skipped.");
            }
            System.err.println("\n**********\n" + msg + "\n**********\n");
            Assumptions.abort(msg);
        }
        int metricsPort = freePort();
        try (RunningPanda panda = panda(metricsPort); RespConnection c = new RespConnection(panda.port)) {
            c.call("SET", "a", "1");
            c.call("GET", "a");
            c.call("CONFIG", "GET", "port");
            c.call("NOSUCHCOMMAND");
            Path out = dir.resolve("metrics.txt");
            Files.writeString(out, get(metricsPort, "/metrics").body());
            Commands.Result result = Commands.run(List.of("promtool", "check", "metrics"), out, 60);
            assertThat(result.exitCode()).as("promtool check metrics:\n%s", result.output()).isZero();
        }
    }

    @Test
    void healthAndReadyAnswerAndUnknownPathsAreNotFound() throws Exception {
        int metricsPort = freePort();
        try (RunningPanda panda = panda(metricsPort)) {
            assertThat(get(metricsPort, "/health").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(metricsPort, "/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("OK\n");
            assertThat(get(metricsPort, "/").statusCode()).isEqualTo(404);
            assertThat(get(metricsPort, "/metricsx").statusCode()).isEqualTo(404);
            assertThat(get(metricsPort, "/ready/now").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void readyIs503WhileLoadingAnd200After() throws Exception {
        int metricsPort = freePort();
        // The log's file layer holds recovery until released: the server stays in its loading state.
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FaultyFiles held = new FaultyFiles();
        held.beforeList = () -> {
            reached.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        CompletableFuture<RunningPanda> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return new RunningPanda(dir, s -> s.persistence().useWalFiles(held),
                        "--metrics-port", Integer.toString(metricsPort));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertThat(reached.await(30, TimeUnit.SECONDS)).as("recovery started").isTrue();
            // The endpoint starts while the data loads (the load begins first): wait for it.
            Poll.until("the metrics endpoint answers while loading", Duration.ofSeconds(30), () -> {
                try {
                    get(metricsPort, "/health");
                    return true;
                } catch (java.net.ConnectException e) {
                    return false;
                }
            });
            HttpResponse<String> ready = get(metricsPort, "/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).isEqualTo("loading the dataset\n");
            assertThat(get(metricsPort, "/health").statusCode()).isEqualTo(200);
            Scrape loading = scrape(metricsPort);
            assertThat(loading.value("panda_loading")).isEqualTo(1);
            assertThat(loading.samples()).as("the keyspace belongs to the loader").doesNotContainKey("panda_db_keys{db=\"db0\"}");
        } finally {
            release.countDown();
        }
        try (RunningPanda panda = starting.get(60, TimeUnit.SECONDS)) {
            assertThat(get(metricsPort, "/ready").statusCode()).isEqualTo(200);
            assertThat(scrape(metricsPort).value("panda_loading")).isZero();
        }
    }

    @Test
    void readyIs503WhileTheLogCannotBeWritten() throws Exception {
        int metricsPort = freePort();
        FaultyFiles disk = new FaultyFiles();
        try (RunningPanda panda = new RunningPanda(dir, s -> s.persistence().useWalFiles(disk),
                "--metrics-port", Integer.toString(metricsPort))) {
            try (RespConnection c = new RespConnection(panda.port)) {
                assertThat(c.call("SET", "a", "1")).isEqualTo(OK);
                disk.failWrites = FaultyFiles.diskFull();
                try {
                    c.call("SET", "b", "2"); // not acknowledged: the connection closes
                } catch (IOException expected) {
                    // as intended
                }
            }
            HttpResponse<String> ready = get(metricsPort, "/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).startsWith("write-ahead log not writable: ").contains("No space left on device");
            Scrape failing = scrape(metricsPort);
            assertThat(failing.value("panda_wal_writable")).isZero();
            assertThat(failing.value("panda_wal_write_errors_total")).isGreaterThanOrEqualTo(1);
            disk.failWrites = null;
            Poll.until("ready again once the log can be written", Duration.ofSeconds(10),
                    () -> get(metricsPort, "/ready").statusCode() == 200);
        }
    }

    @Test
    void aScrapeWhileTheCommandThreadIsBusyIsAnsweredFromThePreviousSnapshot() throws Exception {
        int metricsPort = freePort();
        try (RunningPanda panda = panda(metricsPort); RespConnection c = new RespConnection(panda.port)) {
            assertThat(scrape(metricsPort).value("panda_metrics_stale_scrapes_total")).isZero();
            c.send(RespConnection.encode("DEBUG", "SLEEP", "4"));
            Thread.sleep(200);
            long start = System.nanoTime();
            Scrape during = scrape(metricsPort);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(millis).as("bounded wait for the store thread").isBetween(1500L, 3500L);
            assertThat(during.value("panda_metrics_stale_scrapes_total")).isEqualTo(1);
            assertThat(during.value("panda_connected_clients")).isEqualTo(1);
            assertThat(get(metricsPort, "/health").statusCode()).isEqualTo(200);
            assertThat(c.readReply()).isEqualTo(OK);
        }
    }

    @Test
    void metricsAreOffUnlessAPortIsSet() throws Exception {
        try (RunningPanda panda = new RunningPanda(dir)) {
            assertThat(panda.server.metricsPort()).isZero();
        }
    }

    @Test
    void aMetricsPortInUseStopsStartUp() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                    () -> new RunningPanda(dir, "--metrics-port", Integer.toString(taken.getLocalPort())).close());
            assertThat(e).hasMessageContaining("cannot listen for metrics on 127.0.0.1:" + taken.getLocalPort());
        }
    }
}
