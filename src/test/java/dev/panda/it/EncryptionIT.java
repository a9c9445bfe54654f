package dev.panda.it;

import static dev.panda.it.PersistenceIT.awaitSnapshot;
import static dev.panda.it.PersistenceIT.info;
import static dev.panda.it.RespConnection.OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panda.persistence.crypto.EncryptionKeys;
import dev.panda.persistence.crypto.WalBlockCipher;
import dev.panda.persistence.snapshot.ParquetSnapshotReader;
import dev.panda.persistence.storage.ArchiveNames;
import dev.panda.persistence.storage.S3Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Encryption at rest end to end: no key or value in plaintext on disk or in S3 (with a control
 * run that finds them without a key), restarts with the right key, refusals with a wrong or
 * missing key that leave every file as it was, plaintext data migrating, key rotation, a crash.
 */
class EncryptionIT {
    private static final String MARKER = "QZXMARKER7f3a";
    private static final String BUCKET = "crypt";
    private static S3Server s3;

    @TempDir
    Path dir;
    @TempDir
    Path keys;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3Server.startForInProcessServers(BUCKET);
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    private Path keyFile(String name, int seed) throws IOException {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) seed);
        Path f = keys.resolve(name);
        Files.writeString(f, Base64.getEncoder().encodeToString(k) + "\n");
        return f;
    }

    private static String keyId(Path keyFile) throws IOException {
        return EncryptionKeys.load(keyFile, List.of()).current().idHex();
    }

    private static String[] args(String... more) {
        List<String> a = new ArrayList<>(List.of("--appendonly", "yes", "--appendfsync", "always"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    /** A marker key of every type, named and valued with MARKER and {@code tag}. */
    private static void writeMarkers(RespConnection c, String tag) throws IOException {
        String k = MARKER + "-" + tag + "-";
        assertThat(c.call("SET", k + "string", MARKER + "-string-value")).isEqualTo(OK);
        c.call("HSET", k + "hash", MARKER + "-field", MARKER + "-hash-value");
        c.call("RPUSH", k + "list", MARKER + "-list-value", "x");
        c.call("SADD", k + "set", MARKER + "-set-member", "y");
        c.call("ZADD", k + "zset", "1.5", MARKER + "-zset-member");
        c.call("XADD", k + "stream", "*", MARKER + "-stream-field", MARKER + "-stream-value");
        c.call("SET", "plain:" + tag, "x".repeat(200)); // filler
    }

    /** Every key with its type and content (via the protocol), to compare across restarts. */
    private static Map<String, String> state(RespConnection c) throws IOException {
        Map<String, String> all = new TreeMap<>();
        for (String key : CompatibilityContract.items(c.call("KEYS", "*"))) {
            String type = c.call("TYPE", key);
            String content = switch (type.trim()) {
                case "+string" -> c.call("GET", key);
                case "+hash" -> c.call("HGETALL", key);
                case "+list" -> c.call("LRANGE", key, "0", "-1");
                case "+set" -> c.call("SMEMBERS", key);
                case "+zset" -> c.call("ZRANGE", key, "0", "-1", "WITHSCORES");
                case "+stream" -> c.call("XRANGE", key, "-", "+");
                default -> type;
            };
            all.put(key, type.trim() + " " + content);
        }
        return all;
    }

    private static boolean containsMarker(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1).contains(MARKER);
    }

    /** Files under {@code root} that hold the marker. */
    private static List<String> filesWithMarker(Path root) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                if (containsMarker(Files.readAllBytes(p))) {
                    found.add(root.relativize(p).toString());
                }
            }
        }
        return found;
    }

    private static List<String> objectsWithMarker(String prefix) {
        List<String> found = new ArrayList<>();
        for (String key : s3.keys(BUCKET, prefix)) {
            if (containsMarker(s3.client().getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray())) {
                found.add(key);
            }
        }
        return found;
    }

    /** Every file under {@code root} with its bytes and modification time. */
    private static Map<String, String> fingerprint(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                FileTime t = Files.getLastModifiedTime(p);
                out.put(root.relativize(p).toString(), Arrays.hashCode(Files.readAllBytes(p)) + "/" + Files.size(p) + "@" + t);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {true, false})
    void noKeyOrValueIsInPlaintextOnDiskOrInS3(boolean encrypted) throws Exception {
        String prefix = "grep-" + encrypted + "/";
        List<String> a = new ArrayList<>(List.of(args("--use-s3", "yes", "--s3-bucket", BUCKET, "--s3-endpoint",
                s3.endpoint().toString(), "--s3-path-style", "--s3-prefix", prefix, "--s3-timeout", "2000",
                "--wal-archive-interval", "1")));
        if (encrypted) {
            a.addAll(List.of("--encryption-key-file", keyFile("panda.key", 1).toString()));
        }
        try (RunningPanda panda = new RunningPanda(dir, a.toArray(String[]::new)); RespConnection c = new RespConnection(panda.port)) {
            writeMarkers(c, "before");
            c.call("BGSAVE");
            awaitSnapshot(c);
            writeMarkers(c, "after"); // only in the WAL
            long lastSeq = Long.parseLong(info(c, "panda_wal_last_seq"));
            Poll.until("the log up to seq " + lastSeq + " is archived", Duration.ofSeconds(60), () ->
                    info(c, "panda_storage_upload_backlog").equals("0") && info(c, "panda_storage_state").equals("ok")
                            && s3.keys(BUCKET, prefix + ArchiveNames.WAL).stream()
                                    .anyMatch(k -> ArchiveNames.segmentRange(k.substring(prefix.length()))[1] >= lastSeq));
        }
        assertThat(s3.keys(BUCKET, prefix + ArchiveNames.SNAPSHOTS)).isNotEmpty();
        assertThat(s3.keys(BUCKET, prefix + ArchiveNames.WAL)).isNotEmpty();
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".parquet"))
                    .anyMatch(n -> n.startsWith("wal-"));
        }
        if (encrypted) {
            assertThat(filesWithMarker(dir)).isEmpty();
            assertThat(objectsWithMarker(prefix)).isEmpty();
        } else { // the control: the same check finds the data when it is not encrypted
            assertThat(filesWithMarker(dir)).anyMatch(f -> f.endsWith(".parquet")).anyMatch(f -> f.startsWith("wal"));
            assertThat(objectsWithMarker(prefix)).anyMatch(k -> k.contains(ArchiveNames.SNAPSHOTS))
                    .anyMatch(k -> k.contains(ArchiveNames.WAL));
        }
    }

    @Test
    void aFreshDirectoryRestoresEncryptedFilesFromS3OnlyWithTheKey(@TempDir Path fresh, @TempDir Path fresh2) throws Exception {
        Path key = keyFile("s3.key", 5);
        String prefix = "restore/";
        String[] s3Args = {"--use-s3", "yes", "--s3-bucket", BUCKET, "--s3-endpoint", s3.endpoint().toString(),
            "--s3-path-style", "--s3-prefix", prefix, "--s3-timeout", "2000", "--wal-archive-interval", "1"};
        Map<String, String> expected;
        try (RunningPanda panda = new RunningPanda(dir, args(concat(s3Args, "--encryption-key-file", key.toString())));
             RespConnection c = new RespConnection(panda.port)) {
            writeMarkers(c, "s3-snap");
            c.call("BGSAVE");
            awaitSnapshot(c);
            writeMarkers(c, "s3-wal");
            long lastSeq = Long.parseLong(info(c, "panda_wal_last_seq"));
            Poll.until("the log up to seq " + lastSeq + " is archived", Duration.ofSeconds(60), () ->
                    info(c, "panda_storage_upload_backlog").equals("0")
                            && s3.keys(BUCKET, prefix + ArchiveNames.WAL).stream()
                                    .anyMatch(k -> ArchiveNames.segmentRange(k.substring(prefix.length()))[1] >= lastSeq));
            expected = state(c);
        }
        Path wrong = keyFile("s3-wrong.key", 6);
        assertThatThrownBy(() -> new RunningPanda(fresh2, args(concat(s3Args, "--encryption-key-file", wrong.toString()))).close())
                .hasMessageContaining("archived snapshot")
                .hasMessageContaining("encrypted with key id " + keyId(key));
        try (Stream<Path> files = Files.walk(fresh2)) { // no half-restored snapshot left to be mistaken for data
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".parquet"));
        }
        try (RunningPanda panda = new RunningPanda(fresh, args(concat(s3Args, "--encryption-key-file", key.toString())));
             RespConnection c = new RespConnection(panda.port)) {
            assertThat(state(c)).isEqualTo(expected).containsKey(MARKER + "-s3-wal-list");
        }
    }

    private static String[] concat(String[] a, String... b) {
        List<String> out = new ArrayList<>(List.of(a));
        out.addAll(List.of(b));
        return out.toArray(String[]::new);
    }

    @Test
    void aWrongOrMissingKeyStopsStartUpAndChangesNothingThenTheRightKeyRecoversEverything() throws Exception {
        Path right = keyFile("right.key", 1);
        Map<String, String> expected;
        try (RunningPanda panda = new RunningPanda(dir, args("--encryption-key-file", right.toString()));
             RespConnection c = new RespConnection(panda.port)) {
            writeMarkers(c, "snap");
            c.call("BGSAVE");
            awaitSnapshot(c);
            writeMarkers(c, "wal");
            c.call("DEL", "plain:snap");
            expected = state(c);
        }
        Map<String, String> before = fingerprint(dir);
        assertThat(before.keySet()).anyMatch(f -> f.endsWith(".parquet")).anyMatch(f -> f.startsWith("wal"));

        Path wrong = keyFile("wrong.key", 2);
        assertThatThrownBy(() -> new RunningPanda(dir, args("--encryption-key-file", wrong.toString())).close())
                .hasMessageContaining("encrypted with key id " + keyId(right))
                .hasMessageContaining(keyId(wrong))
                .hasMessageContaining("Refusing to start");
        assertThat(fingerprint(dir)).isEqualTo(before);
        assertThatThrownBy(() -> new RunningPanda(dir, args()).close())
                .hasMessageContaining("no encryption-key-file is configured");
        assertThat(fingerprint(dir)).isEqualTo(before);
        Path garbage = keys.resolve("garbage.key");
        Files.writeString(garbage, "this is not a key\n");
        assertThatThrownBy(() -> new RunningPanda(dir, args("--encryption-key-file", garbage.toString())).close())
                .hasMessageContaining("not valid base64");
        assertThat(fingerprint(dir)).isEqualTo(before);

        try (RunningPanda panda = new RunningPanda(dir, args("--encryption-key-file", right.toString()));
             RespConnection c = new RespConnection(panda.port)) {
            assertThat(state(c)).isEqualTo(expected).containsKey(MARKER + "-wal-stream").containsKey(MARKER + "-snap-zset");
            assertThat(info(c, "panda_encryption_key_id")).isEqualTo(keyId(right));
        }
    }

    @Test
    void theServerProcessReportsAMissingKeyAndExitsWithoutChangingFiles() throws Exception {
        Path key = keyFile("panda.key", 3);
        Map<String, String> env = Map.of("PANDA_ENCRYPTION_KEY_FILE", key.toString());
        try (PandaProcess panda = PandaProcess.startJar(List.of("--port", "0", "--dir", dir.toString(), "--appendfsync",
                "always"), env)) {
            int port = panda.awaitReady();
            try (RespConnection c = new RespConnection(port)) {
                for (int i = 0; i < 500; i++) {
                    c.call("SET", MARKER + i, "v" + i);
                }
            }
            panda.process.toHandle().destroyForcibly(); // a crash: the acknowledged writes are in the WAL only
            assertThat(panda.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(filesWithMarker(dir)).isEmpty();
        Map<String, String> before = fingerprint(dir);
        try (PandaProcess panda = PandaProcess.startJar(List.of("--port", "0", "--dir", dir.toString()), Map.of())) {
            assertThat(panda.awaitExit()).isEqualTo(1);
            assertThat(panda.output()).contains("cannot start").contains("is encrypted (key id " + keyId(key) + ")")
                    .contains("no encryption-key-file is configured");
        }
        assertThat(fingerprint(dir)).isEqualTo(before);
        try (RunningPanda panda = new RunningPanda(dir, args("--encryption-key-file", key.toString()));
             RespConnection c = new RespConnection(panda.port)) {
            assertThat(c.call("DBSIZE")).isEqualTo(":500\r\n");
            assertThat(c.call("GET", MARKER + 499)).isEqualTo(RespConnection.bulk("v499"));
        }
    }

    /** Files in {@code dir} that are not encrypted with the key whose id is {@code id}. */
    private List<String> notEncryptedWith(String id) throws IOException {
        EncryptionKeys only = EncryptionKeys.load(keys.resolve(id.equals(keyId(keys.resolve("a.key"))) ? "a.key" : "b.key"),
                List.of());
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".parquet")) {
                    try {
                        ParquetSnapshotReader.readInfo(p, only);
                        if (!dev.panda.persistence.crypto.ParquetEncryption.isEncrypted(p)) {
                            out.add(name + " (plaintext)");
                        }
                    } catch (IOException e) {
                        out.add(name + " (" + e.getMessage() + ")");
                    }
                } else if (name.startsWith("wal-")) {
                    byte[] b = Files.readAllBytes(p);
                    if (!WalBlockCipher.isEncrypted(b, b.length)
                            || !Arrays.equals(WalBlockCipher.keyIdOf(Arrays.copyOf(b, 16)), only.current().id())) {
                        out.add(name);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void plaintextDataMigratesAndKeyRotationFollowsTheDocumentedProcedure() throws Exception {
        Path a = keyFile("a.key", 11);
        Path b = keyFile("b.key", 12);
        // 1. plaintext data, then a key is configured: it is read, and new files are encrypted
        try (RunningPanda panda = new RunningPanda(dir, args()); RespConnection c = new RespConnection(panda.port)) {
            assertThat(info(c, "panda_encryption_key_id")).isEmpty();
            writeMarkers(c, "plain-snap");
            c.call("BGSAVE");
            awaitSnapshot(c);
            writeMarkers(c, "plain-wal");
        }
        Map<String, String> expected;
        try (RunningPanda panda = new RunningPanda(dir, args("--encryption-key-file", a.toString()));
             RespConnection c = new RespConnection(panda.port)) {
            writeMarkers(c, "a-wal");
            c.call("BGSAVE");
            awaitSnapshot(c);
            Poll.until("every file is encrypted with key a", Duration.ofSeconds(30), () -> notEncryptedWith(keyId(a)).isEmpty());
            writeMarkers(c, "a-wal2");
            expected = state(c);
        }
        assertThat(filesWithMarker(dir)).isEmpty();
        // 2. rotation: new key current, old key readable; restart, BGSAVE; then the old key can go
        try (RunningPanda panda = new RunningPanda(dir, args("--encryption-key-file", b.toString(),
                "--encryption-old-key-files", a.toString())); RespConnection c = new RespConnection(panda.port)) {
            assertThat(state(c)).isEqualTo(expected);
            assertThat(notEncryptedWith(keyId(b))).isNotEmpty(); // a's files are still there until the snapshot
            writeMarkers(c, "b-wal");
            c.call("BGSAVE");
            awaitSnapshot(c);
            Poll.until("every file is encrypted with key b", Duration.ofSeconds(30), () -> notEncryptedWith(keyId(b)).isEmpty());
            writeMarkers(c, "b-wal2");
            expected = state(c);
        }
        try (RunningPanda panda = new RunningPanda(dir, args("--encryption-key-file", b.toString()));
             RespConnection c = new RespConnection(panda.port)) {
            assertThat(state(c)).isEqualTo(expected).containsKey(MARKER + "-plain-snap-hash").containsKey(MARKER + "-b-wal2-set");
        }
        assertThat(filesWithMarker(dir)).isEmpty();
    }
}
