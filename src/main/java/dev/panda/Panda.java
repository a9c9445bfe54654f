package dev.panda;

import dev.panda.config.ConfigException;
import dev.panda.config.ServerConfig;
import dev.panda.server.PandaServer;
import dev.panda.store.Clock;
import io.netty.util.ResourceLeakDetector;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point: {@code panda [CONFIG-FILE] [--directive value ...]}, as redis-server takes them.
 * Loads the configuration, starts the server, and stops it on SIGTERM, SIGINT or SHUTDOWN.
 *
 * <p>The layout of the code is in this package's {@code package-info.java}.
 *
 * <p>Main thread.
 */
public final class Panda {
    private static final Logger LOG = LoggerFactory.getLogger(Panda.class);

    private Panda() {
    }

    /**
     * Netty settings for a server in production, before any Netty class is initialised (tests,
     * which start servers in-process, keep Netty's own defaults). A system property set on the
     * command line wins over each.
     */
    static void applyNettyDefaults() {
        // Netty 4.2 declares JFR events for its buffer allocators; where JFR is available, loading
        // them runs JFR's bytecode instrumentation whether or not anything records: about 0.2 s
        // of CPU (and of JIT compilation) at every start, on the cores that load the data.
        // -Dio.netty.jfr.enabled=true brings the events back.
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        // The leak detector samples about one buffer in a hundred and records a stack trace for
        // it: a cost per request. -Dio.netty.leakDetection.level turns it back on.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    public static void main(String[] args) {
        applyNettyDefaults();
        ServerConfig config;
        try {
            config = ServerConfig.load(Arrays.asList(args), System.getenv());
        } catch (ConfigException e) {
            System.err.println("*** FATAL CONFIG ERROR (Panda " + dev.panda.command.ServerContext.PANDA_VERSION + ") ***");
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        try {
            Logging.configure(config);
        } catch (ConfigException e) {
            System.err.println("*** FATAL CONFIG ERROR (Panda " + dev.panda.command.ServerContext.PANDA_VERSION + ") ***");
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        PandaServer server = new PandaServer(config, Clock.SYSTEM);
        // SIGTERM and SIGINT stop the server and exit 0, as redis-server does (a plain JVM exits 143).
        // Installed before start-up, so that a signal right after the "ready" line still stops
        // the server in order; one that comes during start-up takes effect once it is done.
        ShutdownSignal signal = new ShutdownSignal(server);
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> signal.received());
        }
        try {
            server.start();
        } catch (Exception e) {
            LOG.error("cannot start: {}", e.toString());
            server.stop();
            System.exit(1);
            return;
        }
        signal.started();
        server.awaitTermination();
    }

    /** Stops the server on SIGTERM/SIGINT, or once it has started if the signal came during start-up. Any thread. */
    private static final class ShutdownSignal {
        private final PandaServer server;
        private boolean started;
        private boolean requested;

        ShutdownSignal(PandaServer server) {
            this.server = server;
        }

        synchronized void received() {
            requested = true;
            if (started) {
                new Thread(server::stop, "panda-signal").start();
            }
        }

        synchronized void started() {
            started = true;
            if (requested) {
                new Thread(server::stop, "panda-signal").start();
            }
        }
    }
}
