package dev.panda.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs external programs (redis-cli, redis-benchmark, tmux) with a time limit. Test thread. */
final class Commands {
    private Commands() {
    }

    record Result(int exitCode, String output) { }

    static boolean installed(String program) {
        for (String p : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            if (new File(p, program).canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** Runs the command with {@code stdin} as input (may be null) and returns exit code and output. */
    static Result run(List<String> command, Path stdin, long timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("cmd", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            if (stdin != null) {
                pb.redirectInput(stdin.toFile());
            } else {
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
