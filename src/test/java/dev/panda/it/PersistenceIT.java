package dev.panda.it;

import static dev.panda.it.RespConnection.NIL;
import static dev.panda.it.RespConnection.OK;
import static dev.panda.it.RespConnection.bulk;
import static dev.panda.it.RespConnection.integer;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panda.persistence.snapshot.ParquetSnapshotReader;
import dev.panda.persistence.snapshot.SnapshotDirectory;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability seen from clients, in-process: restart on the same directory brings back every
 * write (WAL replay, snapshot + WAL), snapshots open in DuckDB, the WAL is compacted by
 * snapshots, damaged logs are handled as documented, the legacy JSON file is imported.
 */
class PersistenceIT {
    @TempDir
    Path dir;

    static String info(RespConnection c, String field) throws IOException {
        for (String line : c.call("INFO", "persistence").split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no INFO field " + field);
    }

    static void awaitSnapshot(RespConnection c) throws Exception {
        Poll.until("the background snapshot finishes", Duration.ofSeconds(60),
                () -> info(c, "rdb_bgsave_in_progress").equals("0"));
        assertThat(info(c, "rdb_last_bgsave_status")).isEqualTo("ok");
    }

    /** Every key of every database with its value and absolute deadline, via the protocol. */
    static Map<String, String> dump(RespConnection c) throws IOException {
        Map<String, String> all = new TreeMap<>();
        for (int db = 0; db < 16; db++) {
            c.call("SELECT", Integer.toString(db));
            for (String key : CompatibilityContract.items(c.call("KEYS", "*"))) {
                all.put(db + "/" + key, c.call("GET", key) + " @" + c.call("PEXPIRETIME", key));
            }
        }
        c.call("SELECT", "0");
        return all;
    }

    @Test
    void backgroundSnapshotsWithoutTheLogAreNotTakenForOlderOnes() throws Exception {
        try (RunningPanda panda = new RunningPanda(dir, "--appendonly", "yes"); RespConnection c = new RespConnection(panda.port)) {
            c.call("SET", "a", "1");
            assertThat(c.call("SAVE")).isEqualTo(OK); // a snapshot covering log seq 1
        }
        try (RunningPanda panda = new RunningPanda(dir, "--appendonly", "no"); RespConnection c = new RespConnection(panda.port)) {
            c.call("SET", "b", "2");
            c.call("BGSAVE");
            awaitSnapshot(c);
            c.call("SET", "c", "3");
            c.call("BGSAVE");
            awaitSnapshot(c);
        }
        try (RunningPanda panda = new RunningPanda(dir, "--appendonly", "no"); RespConnection c = new RespConnection(panda.port)) {
            assertThat(c.call("MGET", "a", "b", "c")).isEqualTo(RespConnection.array(bulk("1"), bulk("2"), bulk("3")));
        }
    }

    @Test
    void restartReplaysTheLogExactly() throws Exception {
        long deadline = System.currentTimeMillis() + 3_600_000;
        try (RunningPanda panda = new RunningPanda(dir, "--appendonly", "yes");
             RespConnection c = new RespConnection(panda.port)) {
            c.call("SET", "plain", "v");
            c.call("SET", "ttl", "v", "PXAT", Long.toString(deadline));
            for (int i = 0; i < 100; i++) {
                c.call("INCR", "counter");
            }
            c.call("SET", "gone", "x");
            c.call("DEL", "gone");
            c.call("SET", "persisted", "p", "EX", "100");
            c.call("PERSIST", "persisted");
            c.call("SELECT", "3");
            c.call("SET", "in3", "three");
            c.call("SWAPDB", "3", "4");
            c.call("INCRBYFLOAT", "f", "0.1");
            c.call("RENAME", "f", "float");
            assertThat(Long.parseLong(info(c, "panda_wal_last_seq"))).isGreaterThan(100);
        }
        try (RunningPanda panda = new RunningPanda(dir, "--appendonly", "yes");
             RespConnection c = new RespConnection(panda.port)) {
            assertThat(c.call("GET", "plain")).isEqualTo(bulk("v"));
            assertThat(c.call("PEXPIRETIME", "ttl")).isEqualTo(integer(deadline));
            assertThat(c.call("GET", "counter")).isEqualTo(bulk("100"));
            assertThat(c.call("EXISTS", "gone")).isEqualTo(integer(0));
            assertThat(c.call("TTL", "persisted")).isEqualTo(integer(-1));
            c.call("SELECT", "4");
            assertThat(c.call("GET", "in3")).isEqualTo(bulk("three"));
            c.call("SELECT", "3");
            assertThat(c.call("GET", "float")).isEqualTo(bulk("0.1"));
            assertThat(c.call("DBSIZE")).isEqualTo(integer(1));
        }
    }

    @Test
    void snapshotPlusLogEqualsTheLiveStateEvenWhenWritesRaceTheSnapshot() throws Exception {
        Map<String, String> live;
        try (RunningPanda panda = new RunningPanda(dir, "--appendonly", "yes");
             RespConnection c = new RespConnection(panda.port)) {
            Random random = new Random(42);
            for (int i = 0; i < 30_000; i++) {
                if (i == 15_000) {
                    assertThat(c.call("BGSAVE")).isEqualTo("+Background saving started\r\n");
                }
                String key = "k" + random.nextInt(3000);
                switch (random.nextInt(6)) {
                    case 0 -> c.call("SET", key, "v" + i);
                    case 1 -> c.call("DEL", key);
                    case 2 -> c.call("INCR", "n" + random.nextInt(50));
                    case 3 -> c.call("SET", key, "t" + i, "PX", Integer.toString(1_000_000 + random.nextInt(1000)));
                    case 4 -> c.call("EXPIRE", key, Integer.toString(5000 + random.nextInt(100)));
                    default -> c.call("APPEND", key, "+");
                }
            }
            awaitSnapshot(c);
            live = dump(c);
            assertThat(live).hasSizeGreaterThan(1000);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".parquet"))).hasSize(1);
        }
        try (RunningPanda panda = new RunningPanda(dir, "--appendonly", "yes");
             RespConnection c = new RespConnection(panda.port)) {
            assertThat(dump(c)).isEqualTo(live);
        }
    }

    /** MSET of keys prefix+from .. prefix+(to-1), each to its value + suffix. */
    private static void mset(RespConnection c, String prefix, int from, int to, String suffix) throws IOException {
        String[] mset = new String[1 + 2 * (to - from)];
        mset[0] = "MSET";
        for (int i = from; i < to; i++) {
            mset[1 + 2 * (i - from)] = prefix + i;
            mset[2 + 2 * (i - from)] = "v" + i + suffix;
        }
        assertThat(c.call(mset)).isEqualTo(OK);
    }

    /**
     * A background snapshot is the state when BGSAVE was answered, exactly: overwrites, deletes,
     * new keys, TTL changes, SWAPDB and FLUSHDB sent while it runs are not in the file (the
     * command thread copies the key-table pages it changes before the writer reads them).
     */
    @Test
    void aBackgroundSnapshotHoldsTheStateWhenItBeganWhateverFollowsDuringIt() throws Exception {
        int keys = 200_000;
        Map<String, String> expected = new TreeMap<>();
        try (RunningPanda panda = new RunningPanda(dir, "--appendonly", "no");
             RespConnection c = new RespConnection(panda.port)) {
            for (int i = 0; i < keys; i += 1000) {
                mset(c, "k", i, i + 1000, "");
            }
            for (int i = 0; i < keys; i++) {
                expected.put("0/k" + i, "v" + i + " @-1");
            }
            for (int i = 0; i < 100; i++) {
                c.call("PEXPIREAT", "k" + i, "4102444800000");
                expected.put("0/k" + i, "v" + i + " @4102444800000");
            }
            c.call("SELECT", "1");
            mset(c, "one", 0, 1000, "");
            for (int i = 0; i < 1000; i++) {
                expected.put("1/one" + i, "v" + i + " @-1");
            }
            c.call("SELECT", "0");

            assertThat(c.call("BGSAVE")).isEqualTo("+Background saving started\r\n");
            for (int i = 0; i < keys; i += 4000) {
                mset(c, "k", i, i + 1000, "-changed"); // overwrites in every part of the table
            }
            for (int i = 1000; i < keys; i += 2000) {
                c.call("DEL", "k" + i);
            }
            mset(c, "new", 0, 5000, ""); // grows the table
            c.call("PERSIST", "k0");
            c.call("PEXPIREAT", "k200", "4102444800000");
            c.call("SWAPDB", "0", "1");
            c.call("SELECT", "1");
            c.call("FLUSHDB");
            assertThat(info(c, "rdb_bgsave_in_progress"))
                    .as("the changes must land while the snapshot runs, or this test shows nothing").isEqualTo("1");
            awaitSnapshot(c);
        }
        Map<String, String> inFile = new TreeMap<>();
        Path file = new SnapshotDirectory(dir).newest().orElseThrow().file();
        ParquetSnapshotReader.forEach(file, row -> inFile.put(row.db() + "/" + new String(row.key(), UTF_8),
                new String(row.value(), UTF_8) + " @" + row.expireAtMs()));
        assertThat(inFile).hasSameSizeAs(expected);
        assertThat(inFile).isEqualTo(expected);
    }

    /**
     * The background writer runs at idle priority (SCHED_IDLE, where chrt can set it); one that
     * outlasts its grace (0 here) writes the rest at normal priority, and the file is complete.
     */
    @Test
    void aBackgroundSnapshotPastItsIdleGraceFinishesAtNormalPriority() throws Exception {
        int keys = 20_000;
        try (RunningPanda panda = new RunningPanda(dir, s -> s.persistence().minIdleGraceMillis(0),
                "--appendonly", "no");
             RespConnection c = new RespConnection(panda.port)) {
            for (int i = 0; i < keys; i += 1000) {
                String[] mset = new String[2001];
                mset[0] = "MSET";
                for (int j = 0; j < 1000; j++) {
                    mset[1 + 2 * j] = "k" + (i + j);
                    mset[2 + 2 * j] = "v" + (i + j);
                }
                assertThat(c.call(mset)).isEqualTo(OK);
            }
            assertThat(c.call("BGSAVE")).isEqualTo("+Background saving started\r\n");
            awaitSnapshot(c);
            Assumptions.assumeTrue(info(c, "panda_snapshot_writer_priority").equals("idle"),
                    "chrt could not put the writer thread under SCHED_IDLE here");
            assertThat(info(c, "panda_snapshot_priority_raises")).isEqualTo("1");
        }
        try (RunningPanda panda = new RunningPanda(dir, "--appendonly", "no");
             RespConnection c = new RespConnection(panda.port)) {
            assertThat(c.call("DBSIZE")).isEqualTo(integer(keys));
            assertThat(c.call("GET", "k" + (keys - 1))).isEqualTo(bulk("v" + (keys - 1)));
        }
    }

    @Test
    void snapshotsOpenInDuckDbKeyByKeyAndCompactTheLog() throws Exception {
        Map<String, String> expected = new HashMap<>();
        try (RunningPanda panda = new RunningPanda(dir, "--appendonly", "yes", "--wal-segment-size", "1mb");
             RespConnection c = new RespConnection(panda.port)) {
            String value = "x".repeat(300);
            for (int i = 0; i < 10_000; i++) {
                c.call("SET", "key:" + i, value + i);
                expected.put("key:" + i, value + i);
            }
            c.call("SELECT", "2");
            c.call("SET", "db2key", "in db 2", "PXAT", "4102444800000");
            long segmentsBefore = Long.parseLong(info(c, "panda_wal_segments"));
            assertThat(segmentsBefore).isGreaterThan(1);
            assertThat(c.call("SAVE")).isEqualTo(OK);
            assertThat(Long.parseLong(info(c, "panda_wal_segments"))).isLessThan(segmentsBefore);
            assertThat(c.call("STATS")).startsWith("$").contains("Storage: Local (" + dir + ")").contains("In-memory: 10001 keys");
        }
        Path snapshot;
        try (Stream<Path> files = Files.list(dir)) {
            snapshot = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             Statement st = duck.createStatement();
             ResultSet rs = st.executeQuery("SELECT db, decode(key) AS key, type, decode(value) AS value, expire_at_ms FROM read_parquet('"
                     + snapshot + "')")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                String key = rs.getString("key");
                String value = rs.getString("value");
                assertThat(rs.getString("type")).isEqualTo("string");
                if (rs.getInt("db") == 2) {
                    assertThat(key).isEqualTo("db2key");
                    assertThat(value).isEqualTo("in db 2");
                    assertThat(rs.getObject("expire_at_ms")).isNotNull();
                } else {
                    assertThat(rs.getInt("db")).isZero();
                    assertThat(value).isEqualTo(expected.get(key));
                    assertThat(rs.getObject("expire_at_ms")).isNull();
                }
            }
            assertThat(rows).isEqualTo(10_001);
        }
    }

    private static Path newestSegment(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("wal"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("wal-")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    /** Runs a server that writes k0..k99 (values {@code prefix + i}) to the log, then stops it. */
    private void writeHundredKeys(String prefix) throws Exception {
        try (RunningPanda panda = new RunningPanda(dir, "--appendonly", "yes");
             RespConnection c = new RespConnection(panda.port)) {
            for (int i = 0; i < 100; i++) {
                c.call("SET", "k" + i, prefix + i);
            }
        }
    }

    @Test
    void tornTailIsCutWithAWarningAndEverythingBeforeItLoads() throws Exception {
        writeHundredKeys("v");
        Path segment = newestSegment(dir);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 3); // the last record loses its end, as in a crash mid-write
        }
        try (RunningPanda panda = new RunningPanda(dir, "--appendonly", "yes");
             RespConnection c = new RespConnection(panda.port)) {
            assertThat(c.call("GET", "k98")).isEqualTo(bulk("v98"));
            assertThat(c.call("GET", "k99")).isEqualTo(NIL);
            assertThat(info(c, "panda_recovery_warning")).contains("torn WAL tail cut").contains(segment.getFileName().toString());
            assertThat(c.call("SET", "after", "1")).isEqualTo(OK);
        }
        try (RunningPanda panda = new RunningPanda(dir, "--appendonly", "yes");
             RespConnection c = new RespConnection(panda.port)) {
            assertThat(c.call("GET", "after")).isEqualTo(bulk("1"));
            assertThat(c.call("DBSIZE")).isEqualTo(integer(100));
        }
    }

    @Test
    void damageBeforeTheTailStopsStartupNamingFileAndOffset() throws Exception {
        writeHundredKeys("value-");
        Path segment = newestSegment(dir);
        byte[] bytes = Files.readAllBytes(segment);
        int middle = bytes.length / 2;
        bytes[middle] ^= 0x5a;
        Files.write(segment, bytes);
        assertThatThrownBy(() -> new RunningPanda(dir, "--appendonly", "yes"))
                .hasMessageContaining(segment.getFileName().toString());
        try (RunningPanda panda = new RunningPanda(dir, "--appendonly", "yes", "--wal-load-truncated", "yes");
             RespConnection c = new RespConnection(panda.port)) {
            assertThat(c.call("GET", "k0")).isEqualTo(bulk("value-0"));
            assertThat(info(c, "panda_recovery_warning")).contains("damage");
        }
    }

    @Test
    void legacyJsonIsImportedAndSnapshottedAndLeftUntouched() throws Exception {
        String json = "{\"user:1\": \"ada\", \"greeting\": \"hello world\"}";
        Files.writeString(dir.resolve("kv_database.json"), json);
        try (RunningPanda panda = new RunningPanda(dir);
             RespConnection c = new RespConnection(panda.port)) {
            assertThat(c.call("GET", "user:1")).isEqualTo(bulk("ada"));
            assertThat(c.call("GET", "greeting")).isEqualTo(bulk("hello world"));
        }
        assertThat(Files.readString(dir.resolve("kv_database.json"))).isEqualTo(json);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".parquet"))).hasSize(1);
        }
    }

    @Test
    void shutdownTakesAFinalSnapshotWhenSaveRulesExist() throws Exception {
        try (RunningPanda panda = new RunningPanda(dir, "--appendonly", "no", "--save", "3600 1");
             RespConnection c = new RespConnection(panda.port)) {
            c.call("SET", "k", "v");
            assertThat(c.call("BGSAVE", "foo")).isEqualTo(RespConnection.error("ERR syntax error"));
        }
        try (RunningPanda panda = new RunningPanda(dir, "--appendonly", "no");
             RespConnection c = new RespConnection(panda.port)) {
            assertThat(c.call("GET", "k")).isEqualTo(bulk("v"));
            assertThat(Long.parseLong(c.call("LASTSAVE").substring(1).trim())).isGreaterThan(0);
        }
    }

    @Test
    void seedTriggerTakesASnapshotEveryNChanges() throws Exception {
        try (RunningPanda panda = new RunningPanda(dir, "--appendonly", "yes", "--snapshot-interval", "100");
             RespConnection c = new RespConnection(panda.port)) {
            for (int i = 0; i < 150; i++) {
                c.call("SET", "k" + i, "v");
            }
            Poll.until("a snapshot by snapshot-interval", Duration.ofSeconds(30),
                    () -> !info(c, "panda_snapshot_wal_seq").equals("0") && info(c, "rdb_bgsave_in_progress").equals("0"));
            assertThat(Long.parseLong(info(c, "rdb_changes_since_last_save"))).isLessThan(100);
        }
    }


    /** A disk that takes {@code millis} for an operation (Thread.sleep sleeps at least that long). */
    private static Runnable slowDisk(long millis) {
        return () -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /**
     * The log's group commit is Redis's AOF latency events: on a disk taking 5 ms per write and per
     * fsync, with a 1 ms threshold, a write under appendfsync always is aof-write and aof-write-alone
     * (no fsync running, no snapshot being written) and its fsync aof-fsync-always; DOCTOR gives
     * Redis's advice for them. A background snapshot is Redis's fork: INFO counts it.
     */
    @Test
    void slowLogWritesAndFsyncsAreRedisAofLatencyEvents() throws Exception {
        dev.panda.persistence.wal.FaultyFiles disk = new dev.panda.persistence.wal.FaultyFiles();
        try (RunningPanda panda = new RunningPanda(dir, s -> s.persistence().useWalFiles(disk), "--appendonly", "yes",
                "--appendfsync", "always", "--latency-monitor-threshold", "1");
             RespConnection c = new RespConnection(panda.port)) {
            assertThat(c.call("SET", "a", "1")).isEqualTo(OK); // the segment's creation is behind us
            assertThat(c.call("LATENCY", "RESET")).startsWith(":");
            disk.beforeWrite = slowDisk(5);
            disk.beforeForce = slowDisk(5);
            assertThat(c.call("SET", "b", "2")).isEqualTo(OK);
            disk.beforeWrite = null;
            disk.beforeForce = null;
            String latest = c.call("LATENCY", "LATEST");
            assertThat(latest).contains("\r\naof-write-alone\r\n", "\r\naof-write\r\n", "\r\naof-fsync-always\r\n")
                    .doesNotContain("aof-write-pending-fsync", "aof-write-active-child");
            for (String event : List.of("aof-write", "aof-fsync-always")) {
                List<Object> history = RespValue.list(c.call("LATENCY", "HISTORY", event));
                assertThat(history).hasSize(1);
                assertThat((Long) ((List<?>) history.get(0)).get(1)).as(event + " ms").isGreaterThanOrEqualTo(5);
            }
            assertThat(c.call("LATENCY", "DOCTOR")).contains(
                    "- It is strongly advised to use local disks for persistence",
                    "- Your fsync policy is set to 'always'. It is very hard to get good performances with such a setup, "
                            + "if possible try to relax the fsync policy to 'onesec'.\n");

            String stats = c.call("INFO", "stats");
            assertThat(stats).contains("total_forks:0\r\n", "latest_fork_usec:0\r\n");
            assertThat(c.call("BGSAVE")).startsWith("+Background saving started");
            Poll.until("the snapshot written", Duration.ofSeconds(30), () -> info(c, "rdb_bgsave_in_progress").equals("0"));
            assertThat(c.call("INFO", "stats")).contains("total_forks:1\r\n").containsPattern("latest_fork_usec:\\d+\r\n");
            assertThat(c.call("CONFIG", "RESETSTAT")).isEqualTo(OK);
            assertThat(c.call("INFO", "stats")).contains("total_forks:0\r\n");
        }
    }

    @Test
    void fullDiskRefusesWritesKeepsReadsAndRecoversByItself() throws Exception {
        dev.panda.persistence.wal.FaultyFiles disk = new dev.panda.persistence.wal.FaultyFiles();
        try (RunningPanda panda = new RunningPanda(dir, s -> s.persistence().useWalFiles(disk), "--appendonly", "yes")) {
            try (RespConnection c = new RespConnection(panda.port)) {
                assertThat(c.call("SET", "a", "1")).isEqualTo(OK);
                disk.failWrites = dev.panda.persistence.wal.FaultyFiles.diskFull();
                // The write runs, but its log bytes cannot be written: no acknowledgement, the connection closes.
                assertThatThrownBy(() -> c.call("SET", "b", "2")).isInstanceOf(IOException.class);
            }
            try (RespConnection c = new RespConnection(panda.port)) {
                assertThat(c.call("SET", "c", "3")).startsWith("-MISCONF Errors writing to the write-ahead log: No space left on device");
                assertThat(c.call("GET", "a")).isEqualTo(bulk("1"));
                assertThat(info(c, "aof_last_write_status")).isEqualTo("err");
                disk.failWrites = null;
                Poll.until("writes are accepted again", Duration.ofSeconds(10), () -> c.call("SET", "d", "4").equals(OK));
                assertThat(info(c, "aof_last_write_status")).isEqualTo("ok");
            }
        }
        try (RunningPanda panda = new RunningPanda(dir, "--appendonly", "yes");
             RespConnection c = new RespConnection(panda.port)) {
            assertThat(c.call("GET", "a")).isEqualTo(bulk("1"));
            assertThat(c.call("GET", "d")).isEqualTo(bulk("4"));
            assertThat(c.call("EXISTS", "c")).isEqualTo(integer(0));
            // "b" ran before the failure and its log bytes were kept and written on the retry:
            // present though never acknowledged, which loses nothing anyone was told was saved.
            assertThat(c.call("GET", "b")).isEqualTo(bulk("2"));
        }
    }

    @Test
    void turningTheLogOffOnAFullDiskLetsWritesThrough() throws Exception {
        dev.panda.persistence.wal.FaultyFiles disk = new dev.panda.persistence.wal.FaultyFiles();
        try (RunningPanda panda = new RunningPanda(dir, s -> s.persistence().useWalFiles(disk), "--appendonly", "yes");
             RespConnection c = new RespConnection(panda.port)) {
            assertThat(c.call("SET", "a", "1")).isEqualTo(OK);
            disk.failWrites = dev.panda.persistence.wal.FaultyFiles.diskFull();
            try (RespConnection other = new RespConnection(panda.port)) {
                assertThatThrownBy(() -> other.call("SET", "b", "2")).isInstanceOf(IOException.class);
            }
            assertThat(c.call("SET", "c", "3")).startsWith("-MISCONF");
            assertThat(c.call("CONFIG", "SET", "appendonly", "no")).isEqualTo(OK);
            assertThat(c.call("SET", "c", "3")).isEqualTo(OK);
            assertThat(info(c, "aof_enabled")).isEqualTo("0");
            assertThat(info(c, "aof_last_write_status")).isEqualTo("ok");
        }
    }

    @Test
    void clientsGetLoadingWhileTheDatasetLoads() throws Exception {
        try (RunningPanda panda = new RunningPanda(dir, "--appendonly", "no");
             RespConnection c = new RespConnection(panda.port)) {
            for (int chunk = 0; chunk < 600; chunk++) {
                String[] mset = new String[1 + 2000];
                mset[0] = "MSET";
                for (int i = 0; i < 1000; i++) {
                    mset[1 + 2 * i] = "key:" + (chunk * 1000 + i);
                    mset[2 + 2 * i] = "value";
                }
                assertThat(c.call(mset)).isEqualTo(OK);
            }
            assertThat(c.call("SAVE")).isEqualTo(OK);
        }
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        java.util.concurrent.CompletableFuture<RunningPanda> starting = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new RunningPanda(dir, "--appendonly", "no", "--port", Integer.toString(port));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        boolean sawLoading = false;
        String loadingInfo = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!starting.isDone() && System.nanoTime() < deadline) {
            try (RespConnection c = new RespConnection(port)) {
                String reply = c.call("GET", "key:1");
                if (reply.startsWith("-LOADING")) {
                    sawLoading = true;
                    loadingInfo = c.call("INFO", "persistence");
                    break;
                }
            } catch (IOException notListeningYet) {
                Thread.sleep(5);
            }
        }
        try (RunningPanda panda = starting.get(60, java.util.concurrent.TimeUnit.SECONDS);
             RespConnection c = new RespConnection(panda.port)) {
            assertThat(sawLoading).as("a client connected during the load was answered -LOADING").isTrue();
            assertThat(loadingInfo).contains("loading:1").contains("loading_loaded_keys:");
            assertThat(c.call("GET", "key:599999")).isEqualTo(bulk("value"));
            assertThat(info(c, "loading")).isEqualTo("0");
        }
    }
}
