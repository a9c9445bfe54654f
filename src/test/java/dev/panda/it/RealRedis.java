package dev.panda.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's real redis-server, started on 127.0.0.1 and a free port with persistence off, so
 * the compatibility assertions are proven against Redis itself. When redis-server is missing
 * the tests are skipped with a loud message, except in CI (CI=true), where that is a failure.
 * Test thread.
 */
final class RealRedis implements AutoCloseable {
    final Process process;
    final int port;
    private final Path dir;

    private RealRedis(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    static String executable() {
        for (String p : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File f = new File(p, "redis-server");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    /** Starts redis-server, or skips (fails in CI) when it is not installed. */
    static RealRedis startOrSkip() throws Exception {
        return startOrSkip(new String[0]);
    }

    /** As {@link #startOrSkip()}, with more redis-server options (--aclfile …). */
    static RealRedis startOrSkip(String... extraArgs) throws Exception {
        String exe = executable();
        if (exe == null) {
            String msg = "redis-server is not installed: the comparison tests against real Redis are SKIPPED. "
                    + "Install the Debian package redis-server (scripts/test does this as root).";
            if ("true".equals(System.getenv("CI"))) {
                fail(msg + " In CI no comparison test may be skipped.");
            }
            System.err.println("\n**********\n" + msg + "\n**********\n");
            Assumptions.abort(msg);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("redis-it");
        List<String> command = new ArrayList<>(List.of(exe, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
                "--enable-debug-command", "yes"));
        command.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        RealRedis redis = new RealRedis(p, port, dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (RespConnection c = new RespConnection(port)) {
                if (c.call("PING").equals("+PONG\r\n")) {
                    return redis;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    redis.close();
                    throw new IllegalStateException("redis-server did not start: " + Files.readString(dir.resolve("redis.log")), e);
                }
                Thread.sleep(50);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
