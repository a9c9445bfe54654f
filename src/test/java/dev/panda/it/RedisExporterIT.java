package dev.panda.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Prometheus's redis_exporter (Debian's prometheus-redis-exporter) scraping Panda and a real
 * redis-server 7.0.15 holding the same data: every metric it exports for Redis is exported for
 * Panda too, and the ones that follow from the data and the connections have the same values.
 * Test thread.
 */
class RedisExporterIT {
    private static RunningPanda panda;
    private static RealRedis redis;

    @BeforeAll
    static void start() throws Exception {
        redis = RealRedis.startOrSkip();
        panda = new RunningPanda("--appendonly", "no");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (panda != null) {
            panda.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static String exporter() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File f = new File(dir, "prometheus-redis-exporter");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        String msg = "prometheus-redis-exporter is not installed: RedisExporterIT is SKIPPED (scripts/test installs it as root)";
        if ("true".equals(System.getenv("CI"))) {
            fail(msg);
        }
        Assumptions.abort(msg);
        return null;
    }

    /** One scrape of an exporter pointed at {@code port}: series (name with labels) to value. */
    private static Map<String, Double> scrape(String exe, int port) throws Exception {
        int web;
        try (ServerSocket s = new ServerSocket(0)) {
            web = s.getLocalPort();
        }
        Path log = Files.createTempFile("exporter", ".log");
        Process p = new ProcessBuilder(exe, "--redis.addr=redis://127.0.0.1:" + port,
                "--web.listen-address=127.0.0.1:" + web).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build();
            String body = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (body == null) {
                try {
                    body = http.send(get, HttpResponse.BodyHandlers.ofString()).body();
                } catch (IOException e) {
                    if (System.nanoTime() > deadline || !p.isAlive()) {
                        throw new IllegalStateException("redis_exporter did not answer: " + Files.readString(log), e);
                    }
                    Thread.sleep(100);
                }
            }
            Map<String, Double> series = new TreeMap<>();
            for (String line : body.split("\n")) {
                if (line.startsWith("#") || line.isBlank() || line.startsWith("go_") || line.startsWith("process_")
                        || line.startsWith("promhttp_")) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
            return series;
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    private static java.util.Set<String> names(Map<String, Double> series) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        series.keySet().forEach(s -> names.add(s.replaceFirst("\\{.*", "")));
        return names;
    }

    @Test
    void everyMetricOfRedisWithTheSameValues() throws Exception {
        String exe = exporter();
        for (int port : List.of(panda.port, redis.port)) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("FLUSHALL");
                for (int i = 0; i < 20; i++) {
                    c.call("SET", "k" + i, "v" + i);
                }
                for (int i = 0; i < 5; i++) {
                    c.call("EXPIRE", "k" + i, "1000");
                }
                c.call("SELECT", "3");
                c.call("HSET", "h", "f", "v");
                c.call("SELECT", "0");
                c.call("GET", "missing");
                c.call("GET", "k1");
            }
        }
        Map<String, Double> fromPanda = scrape(exe, panda.port);
        Map<String, Double> fromRedis = scrape(exe, redis.port);
        assertThat(names(fromRedis)).hasSizeGreaterThan(100);
        assertThat(names(fromPanda)).containsAll(names(fromRedis));
        for (String series : List.of("redis_up", "redis_db_keys{db=\"db0\"}", "redis_db_keys{db=\"db3\"}",
                "redis_db_keys_expiring{db=\"db0\"}", "redis_db_keys_expiring{db=\"db3\"}", "redis_connected_clients",
                "redis_blocked_clients", "redis_keyspace_hits_total", "redis_keyspace_misses_total",
                "redis_config_maxclients", "redis_config_maxmemory", "redis_evicted_keys_total", "redis_pubsub_channels",
                "redis_connected_slaves", "redis_cluster_enabled")) {
            assertThat(fromPanda.get(series)).as(series).isNotNull().isEqualTo(fromRedis.get(series));
        }
        for (String positive : List.of("redis_memory_used_bytes", "redis_commands_processed_total",
                "redis_connections_received_total", "redis_net_input_bytes_total",
                "redis_net_output_bytes_total", "redis_cpu_user_seconds_total")) {
            assertThat(fromPanda.get(positive)).as(positive).isNotNull().isPositive();
        }
        assertThat(fromPanda.get("redis_uptime_in_seconds")).isNotNull().isNotNegative();
        assertThat(fromPanda).containsKey("redis_commands_total{cmd=\"set\"}");
        assertThat(fromPanda.get("redis_commands_total{cmd=\"set\"}")).isEqualTo(fromRedis.get("redis_commands_total{cmd=\"set\"}"));
    }
}
