package dev.panda.it;

import static dev.panda.it.PersistenceIT.awaitSnapshot;
import static dev.panda.it.PersistenceIT.dump;
import static dev.panda.it.PersistenceIT.info;
import static dev.panda.it.RespConnection.OK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.panda.persistence.storage.ArchiveNames;
import dev.panda.persistence.storage.S3Server;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots and sealed WAL segments in S3, against a real S3-compatible server (s3proxy): they
 * arrive in the bucket, a fresh data directory restores everything from S3 alone, an outage
 * (S3 killed mid-upload, S3 silent) leaves clients served and snapshots local until the backlog
 * catches up, and start-up with S3 down or misconfigured behaves as documented.
 */
class S3StorageIT {
    private static final String BUCKET = "panda";
    private static S3Server s3;

    @TempDir
    Path dir;
    @TempDir
    Path freshDir;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3Server.startForInProcessServers(BUCKET);
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    private static String[] s3Args(int port, String prefix, String... more) {
        List<String> args = new ArrayList<>(List.of("--use-s3", "yes", "--s3-bucket", BUCKET,
                "--s3-endpoint", "http://127.0.0.1:" + port, "--s3-path-style", "--s3-prefix", prefix,
                "--s3-timeout", "1000", "--wal-archive-interval", "1"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static Map<String, String> credentials(String secret) {
        return Map.of("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", secret,
                "AWS_EC2_METADATA_DISABLED", "true");
    }

    /** Waits until everything the log holds so far is in the bucket. */
    private static void awaitArchived(RespConnection c, String prefix) throws Exception {
        long lastSeq = Long.parseLong(info(c, "panda_wal_last_seq"));
        Poll.until("the log up to seq " + lastSeq + " is archived", Duration.ofSeconds(60), () ->
                info(c, "panda_storage_upload_backlog").equals("0") && info(c, "panda_storage_state").equals("ok")
                        && (lastSeq <= Long.parseLong(info(c, "panda_storage_archived_snapshot_wal_seq"))
                        || s3.keys(BUCKET, prefix + ArchiveNames.WAL).stream()
                                .anyMatch(k -> ArchiveNames.segmentRange(k.substring(prefix.length()))[1] >= lastSeq)));
    }

    /** Some of everything the log records: values, overwrites, deletes, counters, deadlines, databases. */
    private static void workload(RespConnection c, String tag, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            assertThat(c.call("SET", tag + ":" + i, "value-" + i)).isEqualTo(OK);
            if (i % 7 == 0) {
                c.call("PEXPIREAT", tag + ":" + i, "4102444800000");
            }
            if (i % 11 == 0) {
                c.call("DEL", tag + ":" + (i / 2));
            }
            c.call("INCR", "counter:" + tag);
        }
        c.call("SELECT", "5");
        c.call("SET", "in-db-5:" + tag, "x", "EX", "86400");
        c.call("SELECT", "0");
    }

    @Test
    void aFreshDirectoryRestoresEverythingArchivedFromS3Alone() throws Exception {
        // Configured the seed's way, through environment variables; killed with SIGKILL.
        Map<String, String> env = new TreeMap<>(credentials(S3Server.SECRET_KEY));
        env.putAll(Map.of("PANDA_USE_S3", "true", "PANDA_S3_BUCKET", BUCKET, "PANDA_S3_ENDPOINT", s3.endpoint().toString(),
                "PANDA_S3_PATH_STYLE", "true", "PANDA_S3_PREFIX", "restore/", "PANDA_WAL_ARCHIVE_INTERVAL", "1"));
        Map<String, String> expected;
        try (PandaProcess panda = PandaProcess.startJar(List.of("--port", "0", "--dir", dir.toString(), "--save", ""), env)) {
            int port = panda.awaitReady();
            try (RespConnection c = new RespConnection(port)) {
                workload(c, "before", 1500);
                c.call("BGSAVE");
                awaitSnapshot(c);
                workload(c, "after", 700);
                awaitArchived(c, "restore/");
                assertThat(c.call("STATS")).contains("Storage: S3 (" + BUCKET + "/restore/, us-east-1");
                expected = dump(c);
            }
            panda.process.destroyForcibly();
            assertThat(panda.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(s3.keys(BUCKET, "restore/snapshots/")).hasSize(1);
        assertThat(s3.keys(BUCKET, "restore/wal/")).isNotEmpty();

        try (RunningPanda fresh = new RunningPanda(freshDir, s3Args(s3.port(), "restore/"));
             RespConnection c = new RespConnection(fresh.port)) {
            assertThat(dump(c)).isEqualTo(expected);
            assertThat(expected).containsKeys("0/after:699", "0/before:1", "5/in-db-5:after", "0/counter:after");
        }
    }

    private static String fillerValue(int i) {
        byte[] raw = new byte[75];
        new Random(i).nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw); // 100 bytes that do not compress much
    }

    /** {@code n} keys with 100-byte values in database 2, pipelined. */
    private static void fill(RespConnection c, int n) throws IOException {
        c.call("SELECT", "2");
        int perCommand = 200;
        int inFlight = 0;
        for (int from = 0; from < n; from += perCommand) {
            List<String> args = new ArrayList<>(List.of("MSET"));
            for (int i = from; i < Math.min(n, from + perCommand); i++) {
                args.add("filler:" + i);
                args.add(fillerValue(i));
            }
            c.send(RespConnection.encode(args.toArray(String[]::new)));
            if (++inFlight == 50) {
                for (; inFlight > 0; inFlight--) {
                    assertThat(c.readReply()).isEqualTo(OK);
                }
            }
        }
        for (; inFlight > 0; inFlight--) {
            assertThat(c.readReply()).isEqualTo(OK);
        }
        c.call("SELECT", "0");
    }

    private static void checkFiller(RespConnection c, int n) throws IOException {
        c.call("SELECT", "2");
        assertThat(c.call("DBSIZE")).isEqualTo(RespConnection.integer(n));
        for (int from = 0; from < n; from += 1000) {
            List<String> args = new ArrayList<>(List.of("MGET"));
            List<String> values = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + 1000); i++) {
                args.add("filler:" + i);
                values.add(RespConnection.bulk(fillerValue(i)));
            }
            assertThat(c.call(args.toArray(String[]::new))).isEqualTo(RespConnection.array(values.toArray(String[]::new)));
        }
        c.call("SELECT", "0");
    }

    /** Every key outside the filler database, with value and deadline. */
    private static Map<String, String> workloadState(RespConnection c) throws IOException {
        Map<String, String> all = dump(c);
        all.keySet().removeIf(k -> k.startsWith("2/"));
        return all;
    }

    @Test
    void aLogTurnedOnLiveIsArchivedOnceItsBaseIsAndRestoresFromS3Alone() throws Exception {
        Map<String, String> expected;
        try (RunningPanda panda = new RunningPanda(dir, s3Args(s3.port(), "live/", "--appendonly", "no"));
             RespConnection c = new RespConnection(panda.port)) {
            workload(c, "unlogged", 300);
            assertThat(c.call("CONFIG", "SET", "appendonly", "yes")).isEqualTo(OK);
            workload(c, "logged", 500);
            Poll.until("the base snapshot is stored", Duration.ofSeconds(60),
                    () -> info(c, "aof_rewrite_in_progress").equals("0") && info(c, "aof_rewrite_scheduled").equals("0"));
            workload(c, "later", 300);
            awaitArchived(c, "live/");
            expected = dump(c);
        }
        assertThat(s3.keys(BUCKET, "live/snapshots/")).hasSize(1);
        try (RunningPanda fresh = new RunningPanda(freshDir, s3Args(s3.port(), "live/"));
             RespConnection c = new RespConnection(fresh.port)) {
            assertThat(dump(c)).isEqualTo(expected);
            assertThat(expected).containsKeys("0/unlogged:299", "0/logged:499", "0/later:299");
        }
    }

    @Test
    void anOutageKeepsClientsServedAndSnapshotsLocalUntilTheBacklogArrives() throws Exception {
        int filler = 200_000; // a ~22 MB snapshot: a multipart upload that the kill interrupts
        Map<String, String> expected;
        try (TcpFaultProxy proxy = new TcpFaultProxy(s3.port());
             RunningPanda panda = new RunningPanda(dir, s3Args(proxy.port(), "outage/"));
             RespConnection c = new RespConnection(panda.port)) {
            fill(c, filler);
            workload(c, "first", 300);
            c.call("BGSAVE");
            awaitSnapshot(c);
            awaitArchived(c, "outage/");
            assertThat(info(c, "panda_storage_state")).isEqualTo("ok");

            // S3 dies in the middle of the next snapshot's upload.
            long before = proxy.upstreamBytes();
            proxy.killAfterUpstreamBytes(4 << 20);
            workload(c, "second", 300);
            c.call("BGSAVE");
            awaitSnapshot(c);
            Poll.until("storage degraded", Duration.ofSeconds(30), () -> info(c, "panda_storage_state").equals("degraded"));
            assertThat(proxy.upstreamBytes() - before).isGreaterThanOrEqualTo(4 << 20);
            String snapshotSeq = info(c, "panda_snapshot_wal_seq");
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .anyMatch(n -> n.startsWith(String.format("snapshot-%020d-", Long.parseLong(snapshotSeq))));
            }
            assertThat(info(c, "panda_storage_archived_snapshot_wal_seq")).isNotEqualTo(snapshotSeq);

            // Then it answers nothing at all: writes, reads and a snapshot go on, none waits for S3.
            proxy.restore();
            proxy.silence();
            long worstNanos = 0;
            for (int i = 0; i < 2000; i++) {
                long t0 = System.nanoTime();
                assertThat(c.call("SET", "during:" + i, "v" + i)).isEqualTo(OK);
                assertThat(c.call("GET", "during:" + i)).isEqualTo(RespConnection.bulk("v" + i));
                worstNanos = Math.max(worstNanos, System.nanoTime() - t0);
                if (i == 500) {
                    c.call("BGSAVE");
                }
            }
            awaitSnapshot(c);
            // An S3 call here waits for its 1 s socket timeout; no client command came near that.
            assertThat(Duration.ofNanos(worstNanos)).isLessThan(Duration.ofMillis(900));
            assertThat(info(c, "panda_storage_state")).isEqualTo("degraded");
            assertThat(Long.parseLong(info(c, "panda_storage_upload_backlog"))).isPositive();
            assertThat(Long.parseLong(info(c, "panda_storage_upload_failures"))).isPositive();
            assertThat(c.call("STATS")).contains("degraded since");

            // S3 is back: the backlog arrives in order.
            proxy.restore();
            awaitArchived(c, "outage/");
            assertThat(info(c, "panda_storage_archived_snapshot_wal_seq")).isEqualTo(info(c, "panda_snapshot_wal_seq"));
            expected = workloadState(c);
        }
        assertThat(s3.client().listMultipartUploads(r -> r.bucket(BUCKET).prefix("outage/")).uploads()).isEmpty();

        try (RunningPanda fresh = new RunningPanda(freshDir, s3Args(s3.port(), "outage/"));
             RespConnection c = new RespConnection(fresh.port)) {
            checkFiller(c, filler);
            assertThat(workloadState(c)).isEqualTo(expected);
            assertThat(expected).containsKeys("0/during:1999", "0/second:299", "0/first:1");
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void s3DownAtStartUpWithoutLocalDataRefusesToStartUnlessToldTo() throws Exception {
        int down = closedPort();
        List<String> args = new ArrayList<>(List.of("--port", "0", "--dir", dir.toString()));
        args.addAll(List.of(s3Args(down, "down/")));
        try (PandaProcess panda = PandaProcess.startJar(args, credentials(S3Server.SECRET_KEY))) {
            assertThat(panda.awaitExit()).isEqualTo(1);
            assertThat(panda.output()).contains("unreachable").contains("Refusing to start")
                    .contains("no local data").contains("s3-start-offline yes");
        }
        int metricsPort = MetricsIT.freePort();
        try (RunningPanda panda = new RunningPanda(dir, s3Args(down, "down/", "--s3-start-offline", "yes",
                "--metrics-port", Integer.toString(metricsPort)));
             RespConnection c = new RespConnection(panda.port)) {
            assertThat(info(c, "panda_storage_state")).isEqualTo("degraded");
            assertThat(c.call("SET", "k", "v")).isEqualTo(OK);
            MetricsIT.Scrape metrics = MetricsIT.scrape(metricsPort);
            assertThat(metrics.value("panda_storage_backend_info{backend=\"s3\"}")).isEqualTo(1);
            assertThat(metrics.value("panda_storage_degraded")).isEqualTo(1);
            assertThat(metrics.value("panda_storage_upload_failures_total")).isPositive();
        }
    }

    @Test
    void s3DownAtStartUpWithLocalDataStartsFromItAndCatchesUpLater() throws Exception {
        try (RunningPanda local = new RunningPanda(dir); RespConnection c = new RespConnection(local.port)) {
            workload(c, "local", 200);
            assertThat(c.call("SAVE")).isEqualTo(OK);
            workload(c, "tail", 50);
        }
        try (TcpFaultProxy proxy = new TcpFaultProxy(s3.port())) {
            proxy.kill();
            try (RunningPanda panda = new RunningPanda(dir, s3Args(proxy.port(), "catchup/"));
                 RespConnection c = new RespConnection(panda.port)) {
                assertThat(c.call("GET", "tail:49")).isEqualTo(RespConnection.bulk("value-49"));
                assertThat(info(c, "panda_storage_state")).isEqualTo("degraded");
                proxy.restore();
                awaitArchived(c, "catchup/");
            }
        }
        assertThat(s3.keys(BUCKET, "catchup/snapshots/")).hasSize(1);
        assertThat(s3.keys(BUCKET, "catchup/wal/")).isNotEmpty();
    }

    @Test
    void wrongCredentialsAndAMissingBucketAreNamedAtStartUp() throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--dir", dir.toString()));
        args.addAll(List.of(s3Args(s3.port(), "creds/")));
        try (PandaProcess panda = PandaProcess.startJar(args, credentials("not-the-secret"))) {
            assertThat(panda.awaitExit()).isEqualTo(1);
            assertThat(panda.output()).contains("S3 bucket 'panda'").contains("refused the credentials")
                    .contains("AWS_ACCESS_KEY_ID").contains("Refusing to start");
        }
        List<String> missing = new ArrayList<>(args);
        missing.set(missing.indexOf(BUCKET), "no-such-bucket");
        try (PandaProcess panda = PandaProcess.startJar(missing, credentials(S3Server.SECRET_KEY))) {
            assertThat(panda.awaitExit()).isEqualTo(1);
            assertThat(panda.output()).contains("S3 bucket 'no-such-bucket'").contains("does not exist")
                    .contains("Refusing to start");
        }
    }
}
