package dev.panda.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.panda.command.ServerContext;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * The HTTP endpoint on {@code metrics-bind}:{@code metrics-port}: {@code /metrics} in the
 * Prometheus text format (Panda's {@code panda_*} metrics, JVM and process metrics),
 * {@code /health} (200 while the process runs) and {@code /ready} (200 once the data is loaded
 * and the write-ahead log is writable, else 503 with the reason).
 *
 * <p>Its own thread ("panda-metrics") serves every request; it reads the store thread's counters
 * only through {@link StoreSnapshots} and never holds up the store thread.
 */
public final class MetricsEndpoint implements AutoCloseable {
    /** How long a scrape waits for the store thread before it uses the previous snapshot. */
    private static final long SNAPSHOT_WAIT_MILLIS = 2000;

    private final HttpServer http;
    private final ExecutorService thread;
    private final ServerContext server;

    private MetricsEndpoint(HttpServer http, ExecutorService thread, ServerContext server) {
        this.http = http;
        this.thread = thread;
        this.server = server;
    }

    /**
     * Starts serving on {@code bind}:{@code port} (0: any free port); {@code storeThread} runs the
     * snapshot requests. Throws when the address cannot be bound.
     */
    public static MetricsEndpoint start(ServerContext server, Executor storeThread, String bind, int port) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new PandaCollector(server, new StoreSnapshots(server, storeThread, SNAPSHOT_WAIT_MILLIS)));
        JvmMetrics.builder().register(registry);
        HttpServer http = HttpServer.create(new InetSocketAddress(bind, port), 16);
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "panda-metrics");
            t.setDaemon(true);
            return t;
        });
        MetricsEndpoint endpoint = new MetricsEndpoint(http, thread, server);
        MetricsHandler metrics = new MetricsHandler(registry);
        http.createContext("/metrics", exchange -> {
            if (exactly(exchange, "/metrics")) {
                metrics.handle(exchange);
            }
        });
        http.createContext("/health", exchange -> {
            if (exactly(exchange, "/health")) {
                respond(exchange, 200, "OK");
            }
        });
        http.createContext("/ready", endpoint::ready);
        http.createContext("/", exchange -> respond(exchange, 404, "Not found: try /metrics, /health or /ready"));
        http.setExecutor(thread);
        http.start();
        return endpoint;
    }

    /** The port actually bound. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** Null when the server is ready for traffic, else why not. Any thread: both flags are volatile. */
    static String notReadyReason(ServerContext server) {
        if (server.loading()) {
            return "loading the dataset";
        }
        String walBlocked = server.durability().writeBlockedReason();
        if (walBlocked != null) {
            return "write-ahead log not writable: " + walBlocked;
        }
        return null;
    }

    private void ready(HttpExchange exchange) throws IOException {
        if (!exactly(exchange, "/ready")) {
            return;
        }
        String reason = notReadyReason(server);
        respond(exchange, reason == null ? 200 : 503, reason == null ? "OK" : reason);
    }

    /** Paths are matched by prefix; anything longer than the exact path is not found. */
    private static boolean exactly(HttpExchange exchange, String path) throws IOException {
        if (exchange.getRequestURI().getPath().equals(path)) {
            return true;
        }
        respond(exchange, 404, "Not found: try /metrics, /health or /ready");
        return false;
    }

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        http.stop(0);
        thread.shutdownNow();
    }
}
