package dev.panda.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Panda as a separate operating-system process (target/panda.jar, or any launcher such as
 * scripts/panda-server), for what only a real process shows: exit codes, signals, start-up
 * errors. Its output is collected by a reader thread; the test thread waits on it.
 */
final class PandaProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("ready to accept connections tcp port=(\\d+)");

    final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final Thread reader;

    private PandaProcess(Process process) {
        this.process = process;
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "panda-output");
        reader.setDaemon(true);
        reader.start();
    }

    static String jar() {
        return System.getProperty("panda.jar", "target/panda.jar");
    }

    /** Starts {@code java -jar panda.jar args...} with extra environment variables. */
    static PandaProcess startJar(List<String> args, Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java", "-Xmx256m", "-jar", jar()));
        cmd.addAll(args);
        return start(cmd, env);
    }

    static PandaProcess start(List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PANDA_"));
        pb.environment().putAll(env);
        return new PandaProcess(pb.start());
    }

    /** Waits for the start-up line and returns the port Panda listens on. */
    int awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.add(line);
                Matcher m = READY.matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            } else if (!process.isAlive() && lines.isEmpty()) {
                break;
            }
        }
        throw new AssertionError("Panda did not become ready; output:\n" + String.join("\n", seen));
    }

    /** Waits for the process to end and returns its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Panda did not exit");
        }
        return process.exitValue();
    }

    /** Waits (at most 10 s) until the process has printed a line containing {@code text}. */
    boolean awaitOutput(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        if (seen.stream().anyMatch(l -> l.contains(text))) {
            return true;
        }
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.add(line);
                if (line.contains(text)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Everything the process printed so far (after it has exited, everything). */
    String output() throws InterruptedException {
        if (!process.isAlive()) {
            reader.join(10_000);
        }
        lines.drainTo(seen);
        return String.join("\n", seen);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
