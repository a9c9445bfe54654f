package dev.panda.it;

import static dev.panda.it.RespConnection.OK;
import static dev.panda.it.RespConnection.array;
import static dev.panda.it.RespConnection.bulk;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Panda as users start it: the launcher script, the shipped config file, flags and
 * environment variables with their precedence, start-up errors, SIGTERM and SHUTDOWN.
 */
class ServerProcessIT {
    @TempDir
    Path dir;

    @Test
    void launcherScriptRunsTheShippedConfigAndStopsOnSigterm() throws Exception {
        try (PandaProcess p = PandaProcess.start(List.of("scripts/panda-server", "conf/panda.conf", "--port", "0",
                "--dir", dir.toString(), "--enable-debug-command", "local"), Map.of())) {
            int port = p.awaitReady();
            try (RespConnection c = new RespConnection(port)) {
                assertThat(c.call("SET", "k", "v")).isEqualTo(OK);
                assertThat(c.call("CONFIG", "GET", "dir")).isEqualTo(array(bulk("dir"), bulk(dir.toString())));
                assertThat(c.call("CONFIG", "GET", "appendfsync")).isEqualTo(array(bulk("appendfsync"), bulk("everysec")));
                assertThat(c.call("DEBUG", "SLEEP", "0")).isEqualTo(OK);
            }
            p.process.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
            assertThat(p.awaitExit()).isZero();
            assertThat(p.output()).contains("Panda is shutting down").contains("Panda stopped");
        }
    }

    @Test
    void logfileReceivesTheLogWithTheStartUpBanner() throws Exception {
        Path log = dir.resolve("panda.log");
        Files.writeString(log, "an earlier line\n");
        int metricsPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            metricsPort = s.getLocalPort();
        }
        try (PandaProcess p = PandaProcess.startJar(List.of("--port", "0", "--dir", dir.toString(), "--logfile", log.toString(),
                "--metrics-port", Integer.toString(metricsPort)), Map.of())) {
            java.util.regex.Pattern ready = java.util.regex.Pattern.compile("ready to accept connections tcp port=(\\d+)");
            Poll.until("the ready line in the log file", java.time.Duration.ofSeconds(60),
                    () -> ready.matcher(Files.readString(log)).find());
            String text = Files.readString(log);
            assertThat(text).as("appended").startsWith("an earlier line\n");
            assertThat(text).containsPattern("Panda \\S+ \\(Redis 7\\.0\\.15 protocol\\) pid=\\d+ port=\\d+ dir=" + java.util.regex.Pattern.quote(
                    dir.toAbsolutePath().toString()) + " storage=local metrics=http://127\\.0\\.0\\.1:" + metricsPort + "/metrics")
                    .containsPattern("ready to accept connections tcp port=\\d+ bind=127\\.0\\.0\\.1 transport=\\w+ storage=local "
                            + "loaded 0 keys in \\d+ ms")
                    .containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main\\] PandaServer: ");
            java.util.regex.Matcher m = ready.matcher(text);
            assertThat(m.find()).isTrue();
            try (RespConnection c = new RespConnection(Integer.parseInt(m.group(1)))) {
                assertThat(c.call("CONFIG", "SET", "logfile", "/tmp/x")).startsWith("-ERR CONFIG SET failed");
                assertThat(c.call("CONFIG", "SET", "loglevel", "warning")).isEqualTo(OK);
                c.send(RespConnection.encode("SHUTDOWN", "NOSAVE"));
                assertThat(c.closedByServer()).isTrue();
            }
            assertThat(p.awaitExit()).isZero();
            assertThat(p.output()).as("nothing on stdout").doesNotContain("PandaServer");
            assertThat(Files.readString(log)).as("loglevel warning took effect").doesNotContain("Panda is shutting down");
        }
    }

    @Test
    void anUnwritableLogfileStopsStartUp() throws Exception {
        try (PandaProcess p = PandaProcess.startJar(List.of("--port", "0", "--dir", dir.toString(),
                "--logfile", dir.resolve("no-such-dir/panda.log").toString()), Map.of())) {
            assertThat(p.awaitExit()).isEqualTo(1);
            assertThat(p.output()).contains("FATAL CONFIG ERROR").contains("Can't open the log file");
        }
    }

    @Test
    void anHttpRequestIsLoggedAsAPossibleSecurityAttack() throws Exception {
        try (PandaProcess p = PandaProcess.startJar(List.of("--port", "0", "--dir", dir.toString()), Map.of())) {
            int port = p.awaitReady();
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("POST / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertThat(s.getInputStream().read()).as("closed without a reply").isEqualTo(-1);
            }
            try (RespConnection c = new RespConnection(port)) {
                assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
            }
            // Logged by the server as it closes that connection; waited for, as the log is written asynchronously.
            assertThat(p.awaitOutput("Possible SECURITY ATTACK detected")).as("the warning in the log: " + p.output()).isTrue();
        }
    }

    @Test
    void shutdownCommandStopsTheServerWithExitCodeZero() throws Exception {
        try (PandaProcess p = PandaProcess.startJar(List.of("--port", "0", "--dir", dir.toString()), Map.of())) {
            int port = p.awaitReady();
            try (RespConnection c = new RespConnection(port)) {
                c.send(RespConnection.encode("SHUTDOWN", "NOSAVE"));
                assertThat(c.closedByServer()).isTrue();
            }
            assertThat(p.awaitExit()).isZero();
        }
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsTheFile() throws Exception {
        Path conf = dir.resolve("panda.conf");
        Files.writeString(conf, "# test\nmaxclients 100\ntimeout 30\nhz 20\n");
        Map<String, String> env = Map.of("PANDA_MAXCLIENTS", "200", "PANDA_TIMEOUT", "40", "PANDA_DATA_DIR", dir.toString());
        try (PandaProcess p = PandaProcess.startJar(List.of(conf.toString(), "--port", "0", "--maxclients", "300"), env)) {
            int port = p.awaitReady();
            try (RespConnection c = new RespConnection(port)) {
                assertThat(c.call("CONFIG", "GET", "maxclients")).isEqualTo(array(bulk("maxclients"), bulk("300")));
                assertThat(c.call("CONFIG", "GET", "timeout")).isEqualTo(array(bulk("timeout"), bulk("40")));
                assertThat(c.call("CONFIG", "GET", "hz")).isEqualTo(array(bulk("hz"), bulk("20")));
                assertThat(c.call("CONFIG", "GET", "dir")).isEqualTo(array(bulk("dir"), bulk(dir.toString())));
                assertThat(c.call("CONFIG", "SET", "maxclients", "400")).isEqualTo(OK);
                assertThat(c.call("CONFIG", "REWRITE")).isEqualTo(OK);
            }
        }
        assertThat(Files.readString(conf)).startsWith("# test\nmaxclients 400\ntimeout 40\nhz 20\n");
    }

    @Test
    void unknownDirectiveStopsStartupNamingFileLineAndDirective() throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "port 7000\nbogus-directive yes\n");
        try (PandaProcess p = PandaProcess.startJar(List.of(conf.toString()), Map.of())) {
            assertThat(p.awaitExit()).isEqualTo(1);
            assertThat(p.output()).contains(conf.toString() + " line 2").contains("unknown directive 'bogus-directive'");
        }
    }

    @Test
    void malformedValuesStopStartup() throws Exception {
        try (PandaProcess p = PandaProcess.startJar(List.of("--port", "abc"), Map.of())) {
            assertThat(p.awaitExit()).isEqualTo(1);
            assertThat(p.output()).contains("command line option --port").contains("invalid value for 'port'");
        }
        try (PandaProcess p = PandaProcess.startJar(List.of("--port", "0"), Map.of("PANDA_APPENDFSYNC", "sometimes"))) {
            assertThat(p.awaitExit()).isEqualTo(1);
            assertThat(p.output()).contains("environment variable PANDA_APPENDFSYNC").contains("invalid value for 'appendfsync'");
        }
    }

    @Test
    void portInUseIsAClearStartupError() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             PandaProcess p = PandaProcess.startJar(List.of("--port", Integer.toString(taken.getLocalPort()),
                     "--dir", dir.toString()), Map.of())) {
            assertThat(p.awaitExit()).isEqualTo(1);
            assertThat(p.output()).contains("cannot start").containsIgnoringCase("address already in use");
        }
    }
}
