package dev.panda.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
    @TempDir
    Path dir;

    private Path file(String... lines) throws IOException {
        Path f = dir.resolve("panda.conf");
        Files.write(f, List.of(lines), StandardCharsets.UTF_8);
        return f;
    }

    private static ServerConfig load(Path file, Map<String, String> env, String... flags) throws ConfigException {
        List<String> args = new ArrayList<>();
        if (file != null) {
            args.add(file.toString());
        }
        args.addAll(List.of(flags));
        return ServerConfig.load(args, env);
    }

    @Test
    void defaults() throws ConfigException {
        for (ServerConfig c : List.of(ServerConfig.defaults(), ServerConfig.load(List.of(), Map.of()))) {
            assertThat(c.get("port")).isEqualTo("6379");
            assertThat(c.getInt("port")).isEqualTo(6379);
            assertThat(c.get("bind")).isEqualTo("127.0.0.1");
            assertThat(c.getInt("databases")).isEqualTo(16);
            assertThat(c.get("dir")).isEqualTo("./data");
            assertThat(c.get("save")).isEqualTo("3600 1 300 100 60 10000");
            assertThat(c.getBool("appendonly")).isTrue();
            assertThat(c.get("appendfsync")).isEqualTo("everysec");
            assertThat(c.get("requirepass")).isEmpty();
            assertThat(c.getLong("proto-max-bulk-len")).isEqualTo(512L * 1024 * 1024);
            assertThat(c.getLong("client-query-buffer-limit")).isEqualTo(1024L * 1024 * 1024);
            assertThat(c.file()).isNull();
        }
    }

    @Test
    void observabilityDefaultsAreRedisOnesAndMetricsAreOff() throws ConfigException {
        ServerConfig c = ServerConfig.load(List.of(), Map.of());
        assertThat(c.getLong("slowlog-log-slower-than")).isEqualTo(10000);
        assertThat(c.getLong("slowlog-max-len")).isEqualTo(128);
        assertThat(c.getLong("latency-monitor-threshold")).isZero();
        assertThat(c.get("latency-tracking-info-percentiles")).isEqualTo("50 99 99.9");
        assertThat(c.getInt("metrics-port")).isZero();
        assertThat(c.get("metrics-bind")).isEqualTo("127.0.0.1");
        assertThat(c.get("logfile")).isEmpty();
        ServerConfig flagged = ServerConfig.load(List.of("--metrics-port", "9121"), Map.of("PANDA_LOGFILE", "/tmp/p.log"));
        assertThat(flagged.getInt("metrics-port")).isEqualTo(9121);
        assertThat(flagged.get("logfile")).isEqualTo("/tmp/p.log");
        assertThatThrownBy(() -> ServerConfig.load(List.of("--metrics-port", "70000"), Map.of()))
                .hasMessageContaining("invalid value for 'metrics-port'");
    }

    @Test
    void configSetRunsTheListenersOfThatDirective() {
        ServerConfig c = ServerConfig.defaults();
        List<String> seen = new ArrayList<>();
        c.onChange("slowlog-max-len", seen::add);
        c.set("slowlog-max-len", "5");
        c.set("hz", "20");
        assertThatThrownBy(() -> c.set("slowlog-max-len", "-1")).isInstanceOf(IllegalArgumentException.class);
        assertThat(seen).containsExactly("5");
        assertThatThrownBy(() -> c.set("metrics-port", "1")).hasMessage("can't set immutable config");
        assertThatThrownBy(() -> c.onChange("no-such-directive", v -> { })).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void percentilesAreWrittenAsRedisWritesThem() {
        ServerConfig c = ServerConfig.defaults();
        c.set("latency-tracking-info-percentiles", " 99.90  50.0 0 100");
        assertThat(c.get("latency-tracking-info-percentiles")).isEqualTo("99.9 50 0 100");
        c.set("latency-tracking-info-percentiles", "");
        assertThat(c.get("latency-tracking-info-percentiles")).isEmpty();
        assertThatThrownBy(() -> c.set("latency-tracking-info-percentiles", "100.5"))
                .hasMessage("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
        assertThatThrownBy(() -> c.set("latency-tracking-info-percentiles", "abc"))
                .hasMessage("Invalid latency-tracking-info-percentiles parameters");
    }

    /** Redis's apply functions: one run per CONFIG SET for a group, after every value is set; a failure names the first of the group set. */
    @Test
    void appliersRunOnceAfterTheirDirectivesAreSetAndNameTheFirstOnFailure() {
        ServerConfig c = ServerConfig.defaults();
        List<String> seen = new ArrayList<>();
        c.onApply(java.util.Set.of("tls-cert-file", "tls-key-file"), () -> {
            seen.add(c.get("tls-cert-file") + "+" + c.get("tls-key-file"));
            if (c.get("tls-key-file").equals("bad.key")) {
                throw new IllegalArgumentException("Unable to update TLS configuration. Check server logs.");
            }
        });
        c.set("tls-cert-file", "a.crt");
        c.set("tls-key-file", "a.key");
        c.apply(List.of("maxclients", "tls-key-file", "tls-cert-file"));
        assertThat(seen).containsExactly("a.crt+a.key");
        c.apply(List.of("maxclients"));
        assertThat(seen).hasSize(1);
        c.set("tls-key-file", "bad.key");
        assertThatThrownBy(() -> c.apply(List.of("tls-key-file", "tls-cert-file")))
                .isInstanceOfSatisfying(ServerConfig.ApplyFailure.class, e -> {
                    assertThat(e.directive()).isEqualTo("tls-key-file");
                    assertThat(e.getMessage()).isEqualTo("Unable to update TLS configuration. Check server logs.");
                });
    }

    @Test
    void tlsDirectivesHaveRedisDefaults() {
        ServerConfig c = ServerConfig.defaults();
        assertThat(c.get("tls-port")).isEqualTo("0");
        assertThat(c.get("tls-auth-clients")).isEqualTo("yes");
        assertThat(c.get("tls-session-caching")).isEqualTo("yes");
        assertThat(c.get("tls-session-cache-size")).isEqualTo("20480");
        assertThat(c.get("tls-session-cache-timeout")).isEqualTo("300");
        assertThat(c.get("tls-prefer-server-ciphers")).isEqualTo("no");
        assertThat(c.get("tls-protocols")).isEmpty();
        assertThatThrownBy(() -> c.set("tls-auth-clients", "maybe")).hasMessage(
                "argument(s) must be one of the following: no, yes, optional");
    }

    @Test
    void everyDirectiveHasAValidDefault() {
        for (Directive d : ServerConfig.directives().values()) {
            assertThat(d.normalise(d.defaultValue())).as(d.name()).isEqualTo(d.defaultValue());
        }
    }

    @Test
    void fileWithCommentsAndQuotes() throws Exception {
        Path f = file(
                "# Panda test configuration",
                "",
                "   # an indented comment",
                "PORT 7001",
                "bind 127.0.0.1 ::1",
                "requirepass \"my secret\"",
                "dir '/tmp/some dir'",
                "loglevel WARNING",
                "  appendonly no  ",
                "proto-max-bulk-len 512mb",
                "timeout 30");
        ServerConfig c = load(f, Map.of());
        assertThat(c.file()).isEqualTo(f);
        assertThat(c.getInt("port")).isEqualTo(7001);
        assertThat(c.get("bind")).isEqualTo("127.0.0.1 ::1");
        assertThat(c.get("requirepass")).isEqualTo("my secret");
        assertThat(c.get("dir")).isEqualTo("/tmp/some dir");
        assertThat(c.get("loglevel")).isEqualTo("warning");
        assertThat(c.getBool("appendonly")).isFalse();
        assertThat(c.getLong("proto-max-bulk-len")).isEqualTo(512L * 1024 * 1024);
        assertThat(c.getInt("timeout")).isEqualTo(30);
        assertThat(c.getInt("databases")).isEqualTo(16); // untouched default
    }

    @Test
    void severalSaveLinesAddUp() throws Exception {
        ServerConfig c = load(file("save 900 1", "save 300 10", "save 60 10000"), Map.of());
        assertThat(c.get("save")).isEqualTo("900 1 300 10 60 10000");
    }

    @Test
    void saveEmptyClearsTheRules() throws Exception {
        assertThat(load(file("save \"\""), Map.of()).get("save")).isEmpty();
        assertThat(load(file("save 900 1", "save \"\""), Map.of()).get("save")).isEmpty();
        assertThat(load(file("save \"\"", "save 900 1"), Map.of()).get("save")).isEqualTo("900 1");
    }

    @Test
    void oddSaveParametersAreRejected() throws Exception {
        Path f = file("save 900");
        assertThatThrownBy(() -> load(f, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("save").hasMessageContaining("Invalid save parameters");
    }

    @Test
    void environment() throws Exception {
        ServerConfig c = load(null, Map.of(
                "PANDA_PORT", "7002",
                "PANDA_DATA_DIR", "/var/lib/panda",
                "PANDA_TCP_KEEPALIVE", "60",
                "PANDA_NOT_A_DIRECTIVE", "x",
                "PATH", "/usr/bin",
                "port", "1"));
        assertThat(c.getInt("port")).isEqualTo(7002);
        assertThat(c.get("dir")).isEqualTo("/var/lib/panda");
        assertThat(c.getInt("tcp-keepalive")).isEqualTo(60);
    }

    @Test
    void invalidEnvironmentValueNamesTheVariable() {
        assertThatThrownBy(() -> load(null, Map.of("PANDA_PORT", "http")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PANDA_PORT").hasMessageContaining("port");
    }

    @Test
    void flags() throws Exception {
        ServerConfig c = load(null, Map.of(), "--port", "7000", "--save", "", "--bind", "0.0.0.0", "::", "--APPENDONLY", "no");
        assertThat(c.getInt("port")).isEqualTo(7000);
        assertThat(c.get("save")).isEmpty();
        assertThat(c.get("bind")).isEqualTo("0.0.0.0 ::");
        assertThat(c.getBool("appendonly")).isFalse();
        assertThat(c.file()).isNull();

        assertThat(load(null, Map.of(), "--save", "900", "1", "300", "10").get("save")).isEqualTo("900 1 300 10");
    }

    @Test
    void malformedFlags() {
        assertThatThrownBy(() -> load(null, Map.of(), "--port")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--port").hasMessageContaining("wrong number of arguments");
        assertThatThrownBy(() -> load(null, Map.of(), "--port", "1", "2")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> load(null, Map.of(), "--")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> load(null, Map.of(), "--nosuch", "1")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("nosuch");
        assertThatThrownBy(() -> ServerConfig.load(List.of("a.conf", "b.conf"), Map.of()))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void precedenceFlagOverEnvironmentOverFileOverDefault() throws Exception {
        Path f = file("port 1111", "timeout 10", "hz 20");
        Map<String, String> env = Map.of("PANDA_PORT", "2222", "PANDA_TIMEOUT", "11");
        ServerConfig all = load(f, env, "--port", "3333");
        assertThat(all.getInt("port")).isEqualTo(3333);
        assertThat(all.getInt("timeout")).isEqualTo(11);
        assertThat(all.getInt("hz")).isEqualTo(20);
        assertThat(all.getInt("maxclients")).isEqualTo(10000);

        assertThat(load(f, env).getInt("port")).isEqualTo(2222);
        assertThat(load(f, Map.of()).getInt("port")).isEqualTo(1111);
        assertThat(load(null, Map.of()).getInt("port")).isEqualTo(6379);
        assertThat(load(null, env, "--port", "3333").getInt("port")).isEqualTo(3333);
    }

    @Test
    void unknownDirectiveNamesFileLineAndDirective() throws Exception {
        Path f = file("# comment", "port 7000", "frobnicate yes");
        assertThatThrownBy(() -> load(f, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("line 3")
                .hasMessageContaining("'frobnicate'");
    }

    @Test
    void malformedValueNamesFileLineAndDirective() throws Exception {
        Path f = file("", "port abc");
        assertThatThrownBy(() -> load(f, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("line 2")
                .hasMessageContaining("'port'")
                .hasMessageContaining("abc");
    }

    @Test
    void outOfRangeAndBadChoices() throws Exception {
        assertThatThrownBy(() -> load(file("port 70000"), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 1").hasMessageContaining("between 0 and 65535");
        assertThatThrownBy(() -> load(file("appendfsync sometimes"), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("appendfsync");
        assertThatThrownBy(() -> load(file("appendonly maybe"), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("appendonly");
        assertThatThrownBy(() -> load(file("port"), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("wrong number of arguments");
        assertThatThrownBy(() -> load(file("requirepass \"unterminated"), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 1").hasMessageContaining("unbalanced quotes");
    }

    @Test
    void missingFile() {
        Path missing = dir.resolve("missing.conf");
        assertThatThrownBy(() -> load(missing, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void memoryUnits() throws Exception {
        assertThat(Directive.parseMemory("1kb")).isEqualTo(1024);
        assertThat(Directive.parseMemory("1k")).isEqualTo(1000);
        assertThat(Directive.parseMemory("1KB")).isEqualTo(1024);
        assertThat(Directive.parseMemory("512mb")).isEqualTo(512L * 1024 * 1024);
        assertThat(Directive.parseMemory("2m")).isEqualTo(2_000_000);
        assertThat(Directive.parseMemory("1gb")).isEqualTo(1L << 30);
        assertThat(Directive.parseMemory("3g")).isEqualTo(3_000_000_000L);
        assertThat(Directive.parseMemory("10b")).isEqualTo(10);
        assertThat(Directive.parseMemory("4096")).isEqualTo(4096);
        for (String bad : new String[] {"abc", "", "kb", "1tb", "1.5mb", "9999999999gb"}) {
            assertThatThrownBy(() -> Directive.parseMemory(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        ServerConfig c = load(file("proto-max-bulk-len 2mb", "client-query-buffer-limit 2000k"), Map.of());
        assertThat(c.getLong("proto-max-bulk-len")).isEqualTo(2L * 1024 * 1024);
        assertThat(c.getLong("client-query-buffer-limit")).isEqualTo(2_000_000);
        assertThatThrownBy(() -> load(file("proto-max-bulk-len 1kb"), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("proto-max-bulk-len");
    }

    @Test
    void configSet() {
        ServerConfig c = ServerConfig.defaults();
        c.set("maxclients", "50");
        assertThat(c.getInt("maxclients")).isEqualTo(50);
        c.set("appendfsync", "ALWAYS");
        assertThat(c.get("appendfsync")).isEqualTo("always");
        c.set("client-query-buffer-limit", "2mb");
        assertThat(c.getLong("client-query-buffer-limit")).isEqualTo(2L * 1024 * 1024);
        assertThatThrownBy(() -> c.set("hz", "abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.set("hz", "-1")).isInstanceOf(IllegalArgumentException.class);
        assertThat(c.getInt("hz")).isEqualTo(10);
        c.set("hz", "0"); // accepted and kept within 1..500, as Redis does
        assertThat(c.getInt("hz")).isEqualTo(1);
        c.set("hz", "100000");
        assertThat(c.getInt("hz")).isEqualTo(500);
        assertThatThrownBy(() -> c.set("nosuch", "1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nosuch");
    }

    @Test
    void configSetOfImmutableDirectiveThrows() {
        ServerConfig c = ServerConfig.defaults();
        for (String name : new String[] {"databases", "daemonize", "logfile"}) {
            assertThatThrownBy(() -> c.set(name, "1")).as(name)
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("can't set immutable config");
        }
        // dir is protected first, as in Redis (enable-protected-configs no).
        assertThatThrownBy(() -> c.set("dir", "1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("can't set protected config");
        assertThat(c.getInt("port")).isEqualTo(6379);
        assertThat(c.get("dir")).isEqualTo("./data");
    }

    @Test
    void rewriteKeepsCommentsAndUpdatesValues() throws Exception {
        Path f = file(
                "# Panda configuration",
                "port 6380",
                "",
                "# Limits",
                "maxclients 100",
                "   # requirepass change-me",
                "save 900 1",
                "save 300 10",
                "appendfsync always",
                "# end");
        ServerConfig c = load(f, Map.of());
        c.set("maxclients", "200");
        c.set("save", "");
        c.set("hz", "25");
        c.set("requirepass", "two words");
        c.rewrite();

        assertThat(Files.readAllLines(f, StandardCharsets.UTF_8)).containsExactly(
                "# Panda configuration",
                "port 6380",
                "",
                "# Limits",
                "maxclients 200",
                "   # requirepass change-me",
                "save \"\"",
                "appendfsync always",
                "# end",
                "# Generated by CONFIG REWRITE",
                "requirepass \"two words\"",
                "hz 25");
        assertThat(Files.exists(dir.resolve("panda.conf.tmp"))).isFalse();

        ServerConfig reloaded = load(f, Map.of());
        for (String name : ServerConfig.directives().keySet()) {
            assertThat(reloaded.get(name)).as(name).isEqualTo(c.get(name));
        }
    }

    @Test
    void rewriteOfSaveRulesRoundTrips() throws Exception {
        Path f = file("save 900 1");
        ServerConfig c = load(f, Map.of());
        c.set("save", "60 5 10 1000");
        c.rewrite();
        assertThat(Files.readAllLines(f, StandardCharsets.UTF_8)).containsExactly("save 60 5 10 1000");
        assertThat(load(f, Map.of()).get("save")).isEqualTo("60 5 10 1000");
    }

    @Test
    void rewriteRoundTripsValuesWithQuotesAndBackslashes() throws Exception {
        Path f = file("port 6380");
        for (String password : new String[] {"p\"ss", "it's", "back\\slash", "a \"b\" c", "tab\there", "'", "x\\n y",
                "ünïcode pass", "new\nline\r", "\u0001ctl\u007f", "  padded  "}) {
            ServerConfig c = load(f, Map.of());
            c.set("requirepass", password);
            c.rewrite();
            assertThat(load(f, Map.of()).get("requirepass")).as(password).isEqualTo(password);
        }
        ServerConfig c = load(f, Map.of());
        c.set("requirepass", "say \"hi\"");
        c.rewrite();
        assertThat(Files.readAllLines(f, StandardCharsets.UTF_8)).contains("requirepass \"say \\\"hi\\\"\"");
    }

    @Test
    void rewriteWithoutAFileFails() {
        assertThatThrownBy(() -> ServerConfig.defaults().rewrite()).isInstanceOf(IOException.class);
    }
}
