package dev.panda.persistence.snapshot;

import static dev.panda.persistence.snapshot.SnapshotTestData.CREATED_MS;
import static dev.panda.persistence.snapshot.SnapshotTestData.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panda.persistence.crypto.EncryptionKeyException;
import dev.panda.persistence.crypto.EncryptionKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots with Parquet modular encryption: round trip, keys by id, plaintext migration, DuckDB. */
class EncryptedSnapshotTest {
    private static final String MARKER = "MARKER-a7c3e9";

    @TempDir
    Path dir;

    static byte[] key(int seed) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) (seed * 17));
        return k;
    }

    private static final EncryptionKeys KEY_A = EncryptionKeys.of(key(1));
    private static final EncryptionKeys KEY_B = EncryptionKeys.of(key(2));

    private static List<SnapshotRow> rows() {
        List<SnapshotRow> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            rows.add(SnapshotRow.string(i % 3, b(MARKER + "-key-" + i), b(MARKER + "-value-" + i), SnapshotRow.NO_EXPIRY));
        }
        rows.add(SnapshotRow.hash(0, b(MARKER + "-hash"), SnapshotRow.NO_EXPIRY, 0,
                new byte[][] {b(MARKER + "-field"), b(MARKER + "-hvalue")}));
        rows.add(SnapshotRow.set(0, b(MARKER + "-set"), SnapshotRow.NO_EXPIRY, 0, new byte[][] {b(MARKER + "-member")}));
        return rows;
    }

    private Path write(Path into, long seq, EncryptionKeys keys) throws IOException {
        try (ParquetSnapshotWriter w = ParquetSnapshotWriter.create(into, seq, Compression.SNAPPY, CREATED_MS,
                ParquetSnapshotWriter.DEFAULT_ROW_GROUP_BYTES, keys)) {
            for (SnapshotRow r : rows()) {
                w.write(r);
            }
            List<byte[][]> libs = new ArrayList<>();
            libs.add(new byte[][] {b("lib"), b("#!lua name=lib\n-- " + MARKER)});
            w.functions(libs);
            return w.commit();
        }
    }

    private static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
    }

    @Test
    void anEncryptedSnapshotRoundTripsAndHoldsNoPlaintext() throws Exception {
        Path file = write(dir, 7, KEY_A);
        byte[] bytes = Files.readAllBytes(file);
        assertThat(contains(bytes, MARKER)).isFalse();
        assertThat(new String(bytes, bytes.length - 4, 4, StandardCharsets.US_ASCII)).isEqualTo("PARE");
        // the footer's key metadata (in the clear) is the key id, never the key
        assertThat(contains(bytes, KEY_A.current().idHex())).isTrue();
        assertThat(contains(bytes, Base64.getEncoder().encodeToString(key(1)))).isFalse();

        List<SnapshotRow> read = new ArrayList<>();
        SnapshotInfo info = ParquetSnapshotReader.forEach(file, KEY_A, read::add);
        assertThat(info.walSeq()).isEqualTo(7);
        assertThat(read).hasSize(rows().size());
        assertThat(new String(read.get(0).key(), StandardCharsets.UTF_8)).startsWith(MARKER);
        assertThat(ParquetSnapshotReader.readFunctions(file, KEY_A)).hasSize(1);
        // the control: without a key the same rows are there in plaintext
        assertThat(contains(Files.readAllBytes(write(dir.resolve("plain"), 7, EncryptionKeys.NONE)), MARKER)).isTrue();
    }

    @Test
    void aMissingOrWrongKeyIsAKeyErrorNamingTheKeyIdNotDamage() throws Exception {
        Path file = write(dir, 7, KEY_A);
        assertThatThrownBy(() -> ParquetSnapshotReader.readInfo(file, KEY_B))
                .isInstanceOf(EncryptionKeyException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(KEY_A.current().idHex());
        assertThatThrownBy(() -> ParquetSnapshotReader.readInfo(file))
                .isInstanceOf(EncryptionKeyException.class)
                .hasMessageContaining("no encryption-key-file is configured");
        // the directory does not skip it as damaged (which would load older data)
        assertThatThrownBy(() -> new SnapshotDirectory(dir, KEY_B).list()).isInstanceOf(EncryptionKeyException.class);
        assertThat(new SnapshotDirectory(dir, KEY_A).list()).hasSize(1);
    }

    @Test
    void oldKeysReadAfterARotationAndPlaintextSnapshotsReadWithAKey() throws Exception {
        Path old = write(dir, 7, KEY_A);
        EncryptionKeys rotated = EncryptionKeys.of(key(2), key(1));
        assertThat(ParquetSnapshotReader.readInfo(old, rotated).walSeq()).isEqualTo(7);
        Path plain = write(dir.resolve("p"), 8, EncryptionKeys.NONE);
        assertThat(ParquetSnapshotReader.readInfo(plain, rotated).walSeq()).isEqualTo(8);
        Path fresh = write(dir.resolve("n"), 9, rotated);
        assertThatThrownBy(() -> ParquetSnapshotReader.readInfo(fresh, KEY_A)).isInstanceOf(EncryptionKeyException.class);
        assertThat(ParquetSnapshotReader.readInfo(fresh, KEY_B).walSeq()).isEqualTo(9);
    }

    @Test
    void aDamagedEncryptedSnapshotIsDamageNotAKeyError() throws Exception {
        Path file = write(dir, 7, KEY_A);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 40] ^= 1; // inside the encrypted footer
        Files.write(file, bytes);
        assertThatThrownBy(() -> ParquetSnapshotReader.readInfo(file, KEY_A))
                .isInstanceOf(SnapshotFormatException.class)
                .isNotInstanceOf(EncryptionKeyException.class);
        assertThat(new SnapshotDirectory(dir, KEY_A).list()).isEmpty(); // skipped with a warning, as damage
    }

    /**
     * DuckDB 1.4.2 cannot read parquet-java's modular encryption (duckdb/duckdb#18524: its AAD
     * handling differs from the spec), even with the right key: the README says so. When this
     * test fails, DuckDB has become compatible and the README's analyst section can say so.
     */
    @Test
    void duckDbCannotReadParquetJavaEncryptionEvenWithTheKey() throws Exception {
        Path file = write(dir, 7, KEY_A);
        String id = KEY_A.current().idHex();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
            st.execute("PRAGMA add_parquet_key('" + id + "', '" + Base64.getEncoder().encodeToString(key(1)) + "')");
            assertThatThrownBy(() -> duck.createStatement().executeQuery("SELECT count(*) FROM read_parquet('" + file
                    + "', encryption_config = {footer_key: '" + id + "'})"))
                    .isInstanceOf(java.sql.SQLException.class)
                    .hasMessageContaining("AES tag differs");
        }
    }

    /** The README's analyst recipe: the shipped DecryptSnapshot tool, then DuckDB on the plaintext copy. */
    @Test
    void decryptSnapshotWritesAPlaintextCopyThatDuckDbReads() throws Exception {
        Path file = write(dir, 7, KEY_A);
        Path keyFile = dir.resolve("panda.key");
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(key(1)) + "\n");
        Path copy = dev.panda.persistence.crypto.DecryptSnapshot.run(List.of("--key-file", keyFile.toString(),
                file.toString(), dir.resolve("plain").toString()));
        assertThat(copy.getFileName()).isEqualTo(file.getFileName());
        assertThat(ParquetSnapshotReader.readFunctions(copy)).hasSize(1);
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*), count(*) FILTER (WHERE decode(key) LIKE '" + MARKER
                        + "-key-%' AND decode(value) LIKE '" + MARKER + "-value-%') FROM read_parquet('" + copy
                        + "') WHERE type = 'string'")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(500);
            assertThat(rs.getLong(2)).isEqualTo(500);
        }
        Path wrong = dir.resolve("wrong.key");
        Files.writeString(wrong, Base64.getEncoder().encodeToString(key(2)));
        assertThatThrownBy(() -> dev.panda.persistence.crypto.DecryptSnapshot.run(List.of("--key-file", wrong.toString(),
                file.toString(), dir.resolve("plain2").toString()))).isInstanceOf(EncryptionKeyException.class);
    }
}
