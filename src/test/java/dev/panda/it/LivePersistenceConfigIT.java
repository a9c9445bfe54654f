package dev.panda.it;

import static dev.panda.it.PersistenceIT.info;
import static dev.panda.it.RespConnection.OK;
import static dev.panda.it.RespConnection.array;
import static dev.panda.it.RespConnection.bulk;
import static dev.panda.it.RespConnection.error;
import static dev.panda.it.RespConnection.integer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONFIG SET appendonly and dir while the server runs, as Redis 7.0 allows: the log turned on
 * counts once its base snapshot is stored, turned off it stops growing, and the data moves to
 * another directory without losing an acknowledged write; each checked by killing the process
 * (SIGKILL) and starting it again. The replies and errors are compared with redis-server's.
 */
class LivePersistenceConfigIT {
    @TempDir
    Path tmp;

    private static List<String> args(Path dir, String... more) {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--save", "", "--appendfsync", "always", "--enable-protected-configs", "yes"));
        args.addAll(List.of(more));
        return args;
    }

    private static void kill(PandaProcess panda) throws InterruptedException {
        panda.process.toHandle().destroyForcibly();
        panda.awaitExit();
    }

    private static void awaitBase(RespConnection c) throws Exception {
        Poll.until("the log's base snapshot is stored", Duration.ofSeconds(60),
                () -> info(c, "aof_rewrite_in_progress").equals("0") && info(c, "aof_rewrite_scheduled").equals("0"));
    }

    @Test
    void logTurnedOnLiveKeepsEveryLaterWriteAcrossAKill() throws Exception {
        Path dir = tmp.resolve("data");
        try (PandaProcess panda = PandaProcess.startJar(args(dir, "--appendonly", "no"), Map.of())) {
            try (RespConnection c = new RespConnection(panda.awaitReady())) {
                assertThat(c.call("RPUSH", "list", "a", "b", "c")).isEqualTo(integer(3));
                assertThat(info(c, "aof_enabled")).isEqualTo("0");
                assertThat(c.call("CONFIG", "SET", "appendonly", "yes")).isEqualTo(OK);
                assertThat(c.call("CONFIG", "GET", "appendonly")).isEqualTo(array(bulk("appendonly"), bulk("yes")));
                assertThat(info(c, "aof_enabled")).isEqualTo("1");
                awaitBase(c);
                assertThat(dir.resolve("wal/base-pending")).doesNotExist();
                assertThat(c.call("RPUSH", "list", "d")).isEqualTo(integer(4));
                assertThat(c.call("INCRBY", "n", "3")).isEqualTo(integer(3));
            }
            kill(panda);
        }
        try (PandaProcess panda = PandaProcess.startJar(args(dir, "--appendonly", "yes"), Map.of());
                RespConnection c = new RespConnection(panda.awaitReady())) {
            assertThat(c.call("LRANGE", "list", "0", "-1")).isEqualTo(array(bulk("a"), bulk("b"), bulk("c"), bulk("d")));
            assertThat(c.call("GET", "n")).isEqualTo(bulk("3"));
        }
    }

    @Test
    void logTurnedOffLiveStopsGrowingAndNothingIsAppliedTwice() throws Exception {
        Path dir = tmp.resolve("data");
        try (PandaProcess panda = PandaProcess.startJar(args(dir), Map.of())) {
            try (RespConnection c = new RespConnection(panda.awaitReady())) {
                assertThat(c.call("RPUSH", "list", "a", "b", "c")).isEqualTo(integer(3));
                assertThat(c.call("CONFIG", "SET", "appendonly", "no")).isEqualTo(OK);
                assertThat(info(c, "aof_enabled")).isEqualTo("0");
                long logBytes = walBytes(dir);
                assertThat(c.call("RPUSH", "list", "d")).isEqualTo(integer(4));
                assertThat(walBytes(dir)).isEqualTo(logBytes);
                // The snapshot taken with the log off covers the records the log holds: a
                // restart must not apply them again on top of it.
                assertThat(c.call("SAVE")).isEqualTo(OK);
            }
            kill(panda);
        }
        for (int round = 0; round < 2; round++) {
            try (PandaProcess panda = PandaProcess.startJar(args(dir, "--appendonly", "no"), Map.of())) {
                try (RespConnection c = new RespConnection(panda.awaitReady())) {
                    assertThat(c.call("LRANGE", "list", "0", "-1"))
                            .isEqualTo(array(bulk("a"), bulk("b"), bulk("c"), bulk("d")));
                    assertThat(c.call("SAVE")).isEqualTo(OK);
                }
                kill(panda);
            }
        }
    }

    @Test
    void startingWithTheLogOffOverALogNeverAppliesItTwice() throws Exception {
        Path dir = tmp.resolve("data");
        try (PandaProcess panda = PandaProcess.startJar(args(dir), Map.of())) {
            try (RespConnection c = new RespConnection(panda.awaitReady())) {
                assertThat(c.call("RPUSH", "list", "a", "b")).isEqualTo(integer(2));
            }
            kill(panda);
        }
        try (PandaProcess panda = PandaProcess.startJar(args(dir, "--appendonly", "no"), Map.of())) {
            try (RespConnection c = new RespConnection(panda.awaitReady())) {
                assertThat(c.call("SAVE")).isEqualTo(OK);
            }
            kill(panda);
        }
        try (PandaProcess panda = PandaProcess.startJar(args(dir), Map.of());
                RespConnection c = new RespConnection(panda.awaitReady())) {
            assertThat(c.call("LRANGE", "list", "0", "-1")).isEqualTo(array(bulk("a"), bulk("b")));
        }
    }

    @Test
    void killedBeforeTheBaseSnapshotStartsFromTheLastSnapshot() throws Exception {
        Path dir = tmp.resolve("data");
        try (PandaProcess panda = PandaProcess.startJar(args(dir, "--appendonly", "no"), Map.of())) {
            try (RespConnection c = new RespConnection(panda.awaitReady())) {
                fill(c, 150_000, 1000); // about 150 MB: the base snapshot takes seconds to write
                assertThat(c.call("SAVE")).isEqualTo(OK);
                assertThat(c.call("SET", "late", "unlogged")).isEqualTo(OK);
                // The log turns on, a write goes into it, and the kill comes before its base
                // snapshot (150 MB) is stored.
                assertThat(c.call("CONFIG", "SET", "appendonly", "yes")).isEqualTo(OK);
                assertThat(c.call("SET", "after", "1")).isEqualTo(OK);
                assertThat(info(c, "aof_rewrite_in_progress")).as("the base snapshot is still being written").isEqualTo("1");
            }
            kill(panda);
        }
        assertThat(dir.resolve("wal/base-pending"))
                .as("the kill came before the base snapshot was stored (else this test checks nothing)").exists();
        try (PandaProcess panda = PandaProcess.startJar(args(dir, "--appendonly", "yes"), Map.of())) {
            try (RespConnection c = new RespConnection(panda.awaitReady())) {
                assertThat(c.call("DBSIZE")).isEqualTo(integer(150_000));
                assertThat(c.call("EXISTS", "late", "after")).isEqualTo(integer(0));
                assertThat(c.call("SET", "after", "2")).isEqualTo(OK);
            }
            assertThat(panda.output()).contains("never got its base snapshot");
            kill(panda);
        }
        try (Stream<Path> files = Files.list(dir.resolve("wal"))) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".unbased"))
                    .noneMatch(n -> n.equals("base-pending"));
        }
        try (PandaProcess panda = PandaProcess.startJar(args(dir, "--appendonly", "yes"), Map.of());
                RespConnection c = new RespConnection(panda.awaitReady())) {
            assertThat(c.call("GET", "after")).isEqualTo(bulk("2"));
            assertThat(c.call("DBSIZE")).isEqualTo(integer(150_001));
        }
    }

    @Test
    void turnedOffAndOnBeforeItsBaseTheLogStillNeverStopsAStart() throws Exception {
        Path dir = tmp.resolve("data");
        try (PandaProcess panda = PandaProcess.startJar(args(dir, "--appendonly", "no"), Map.of())) {
            try (RespConnection c = new RespConnection(panda.awaitReady())) {
                fill(c, 150_000, 1000);
                assertThat(c.call("SAVE")).isEqualTo(OK);
                assertThat(c.call("CONFIG", "SET", "appendonly", "yes")).isEqualTo(OK);
                assertThat(c.call("SET", "first", "1")).isEqualTo(OK);
                assertThat(c.call("CONFIG", "SET", "appendonly", "no")).isEqualTo(OK);
                assertThat(c.call("CONFIG", "SET", "appendonly", "yes")).isEqualTo(OK);
                assertThat(c.call("SET", "second", "2")).isEqualTo(OK);
                assertThat(info(c, "aof_rewrite_in_progress")).as("the base snapshot is still being written").isEqualTo("1");
            }
            kill(panda);
        }
        // Two gaps in the log, one per time it was turned on: both wait for a base.
        assertThat(Files.readAllLines(dir.resolve("wal/base-pending"))).hasSize(2);
        try (PandaProcess panda = PandaProcess.startJar(args(dir, "--appendonly", "yes"), Map.of());
                RespConnection c = new RespConnection(panda.awaitReady())) {
            assertThat(c.call("DBSIZE")).isEqualTo(integer(150_000));
            assertThat(c.call("EXISTS", "first", "second")).isEqualTo(integer(0));
        }
    }

    @Test
    void dataMovesToAnotherDirectoryWithoutLosingAWrite() throws Exception {
        Path from = tmp.resolve("from");
        Path to = Files.createDirectories(tmp.resolve("to"));
        try (PandaProcess panda = PandaProcess.startJar(args(from), Map.of())) {
            try (RespConnection c = new RespConnection(panda.awaitReady())) {
                assertThat(c.call("RPUSH", "list", "a", "b")).isEqualTo(integer(2));
                assertThat(c.call("CONFIG", "SET", "dir", to.toString())).isEqualTo(OK);
                assertThat(c.call("CONFIG", "GET", "dir")).isEqualTo(array(bulk("dir"), bulk(to.toString())));
                assertThat(c.call("RPUSH", "list", "c")).isEqualTo(integer(3));
                assertThat(panda.awaitOutput("data directory is now " + to)).isTrue();
                assertThat(c.call("RPUSH", "list", "d")).isEqualTo(integer(4));
            }
            kill(panda);
        }
        try (PandaProcess panda = PandaProcess.startJar(args(to), Map.of());
                RespConnection c = new RespConnection(panda.awaitReady())) {
            assertThat(c.call("LRANGE", "list", "0", "-1")).isEqualTo(array(bulk("a"), bulk("b"), bulk("c"), bulk("d")));
        }
        // The old directory is left as it was at the move: complete up to then.
        try (PandaProcess panda = PandaProcess.startJar(args(from), Map.of());
                RespConnection c = new RespConnection(panda.awaitReady())) {
            assertThat(c.call("LRANGE", "list", "0", "-1").split("\r\n").length).isGreaterThanOrEqualTo(5);
            assertThat(c.call("LINDEX", "list", "3")).isEqualTo(RespConnection.NIL);
        }
    }

    @Test
    void movingWithTheLogOffSendsTheNextSnapshotThere() throws Exception {
        Path from = tmp.resolve("from");
        Path to = Files.createDirectories(tmp.resolve("to"));
        try (PandaProcess panda = PandaProcess.startJar(args(from, "--appendonly", "no"), Map.of());
                RespConnection c = new RespConnection(panda.awaitReady())) {
            assertThat(c.call("SET", "k", "v")).isEqualTo(OK);
            assertThat(c.call("CONFIG", "SET", "dir", to.toString())).isEqualTo(OK);
            assertThat(c.call("SAVE")).isEqualTo(OK);
            try (Stream<Path> files = Files.list(to)) {
                assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("snapshot-"));
            }
            // Turning the log on afterwards puts it in the new directory.
            assertThat(c.call("CONFIG", "SET", "appendonly", "yes")).isEqualTo(OK);
            awaitBase(c);
            assertThat(to.resolve("wal")).isDirectory();
        }
    }

    @Test
    void repliesAndErrorsAreRedis() throws Exception {
        Path panDir = tmp.resolve("panda");
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        Path occupied = Files.createDirectories(tmp.resolve("occupied"));
        Files.writeString(occupied.resolve("snapshot-00000000000000000001-1.parquet"), "not really");
        try (RealRedis redis = RealRedis.startOrSkip("--enable-protected-configs", "yes");
                PandaProcess panda = PandaProcess.startJar(args(panDir, "--appendonly", "no"), Map.of());
                RespConnection r = new RespConnection(redis.port);
                RespConnection p = new RespConnection(panda.awaitReady())) {
            for (RespConnection c : List.of(r, p)) {
                String start = c.call("CONFIG", "GET", "dir").split("\r\n")[4];
                Files.createDirectories(Path.of(start, "sub"));
                assertThat(c.call("CONFIG", "SET", "dir", tmp.resolve("missing").toString())).isEqualTo(
                        error("ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory"));
                assertThat(c.call("CONFIG", "SET", "dir", file.toString())).isEqualTo(
                        error("ERR CONFIG SET failed (possibly related to argument 'dir') - Not a directory"));
                // A relative directory is taken from the current one, and shown absolute.
                assertThat(c.call("CONFIG", "SET", "dir", "sub")).isEqualTo(OK);
                assertThat(c.call("CONFIG", "GET", "dir"))
                        .isEqualTo(array(bulk("dir"), bulk(Path.of(start, "sub").toRealPath().toString())));
                // A failing directive in the same CONFIG SET puts dir back.
                assertThat(c.call("CONFIG", "SET", "dir", start, "maxmemory-policy", "bogus")).startsWith("-ERR CONFIG SET failed");
                assertThat(c.call("CONFIG", "GET", "dir")).isEqualTo(array(bulk("dir"), bulk(Path.of(start, "sub").toRealPath().toString())));
                assertThat(c.call("CONFIG", "SET", "appendonly", "maybe")).isEqualTo(
                        error("ERR CONFIG SET failed (possibly related to argument 'appendonly') - argument must be 'yes' or 'no'"));
                assertThat(c.call("CONFIG", "SET", "appendonly", "yes")).isEqualTo(OK);
                assertThat(info(c, "aof_enabled")).isEqualTo("1");
                Poll.until("the first AOF rewrite / base snapshot is done", Duration.ofSeconds(30),
                        () -> info(c, "aof_rewrite_in_progress").equals("0") && info(c, "aof_rewrite_scheduled").equals("0"));
                assertThat(c.call("CONFIG", "SET", "appendonly", "no")).isEqualTo(OK);
                assertThat(info(c, "aof_enabled")).isEqualTo("0");
            }
            // Panda alone: a directory holding another server's snapshots is refused.
            assertThat(p.call("CONFIG", "SET", "dir", occupied.toString())).isEqualTo(error(
                    "ERR CONFIG SET failed (possibly related to argument 'dir') - the directory already holds Panda data"
                            + " (snapshots or a write-ahead log)"));
        }
    }

    private static long walBytes(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("wal"))) {
            long total = 0;
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }

    /** {@code keys} string keys of {@code bytes} bytes each, pipelined in MSETs of 100. */
    private static void fill(RespConnection c, int keys, int bytes) throws Exception {
        String value = "v".repeat(bytes);
        int batches = 0;
        for (int i = 0; i < keys; i += 100) {
            List<String> argv = new ArrayList<>(List.of("MSET"));
            for (int k = i; k < Math.min(keys, i + 100); k++) {
                argv.add("key:" + k);
                argv.add(value);
            }
            c.send(new String(RespConnection.encode(argv.toArray(new String[0]))));
            batches++;
            if (batches == 50) {
                for (int b = 0; b < batches; b++) {
                    assertThat(c.readReply()).isEqualTo(OK);
                }
                batches = 0;
            }
        }
        for (int b = 0; b < batches; b++) {
            assertThat(c.readReply()).isEqualTo(OK);
        }
    }
}
