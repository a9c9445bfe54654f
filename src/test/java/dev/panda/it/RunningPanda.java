package dev.panda.it;

import dev.panda.config.ServerConfig;
import dev.panda.server.PandaServer;
import dev.panda.store.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Panda server inside the test JVM, on 127.0.0.1 and an ephemeral port, with its own
 * temporary data directory. Test thread; the server runs on its own event loop.
 */
final class RunningPanda implements AutoCloseable {
    final PandaServer server;
    final int port;
    final Path dir;

    RunningPanda(String... extraArgs) throws Exception {
        this(Files.createTempDirectory("panda-it"), extraArgs);
    }

    /** A server on an existing data directory (restart tests). */
    RunningPanda(Path dir, String... extraArgs) throws Exception {
        this(dir, server -> { }, extraArgs);
    }

    /** As above, with {@code beforeStart} run on the server before it loads and listens. */
    RunningPanda(Path dir, java.util.function.Consumer<PandaServer> beforeStart, String... extraArgs) throws Exception {
        this.dir = dir;
        List<String> args = new ArrayList<>(List.of("--port", "0", "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", ""));
        args.addAll(List.of(extraArgs));
        server = new PandaServer(ServerConfig.load(args, Map.of()), Clock.SYSTEM);
        beforeStart.accept(server);
        try {
            port = server.start();
        } catch (Exception | Error e) {
            server.stop(); // a failed start leaves nothing listening behind
            throw e;
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
