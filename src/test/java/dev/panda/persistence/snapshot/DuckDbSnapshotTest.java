package dev.panda.persistence.snapshot;

import static dev.panda.persistence.snapshot.SnapshotTestData.CREATED_MS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** DuckDB's own (C++) Parquet reader opens our snapshots: the files are not only readable by us. */
class DuckDbSnapshotTest {
    @TempDir
    Path dir;

    private Connection duck;

    @BeforeEach
    void open() throws SQLException {
        duck = DriverManager.getConnection("jdbc:duckdb:");
    }

    @AfterEach
    void close() throws SQLException {
        duck.close();
    }

    private static String lit(Path file) {
        return "'" + file.toAbsolutePath().toString().replace("'", "''") + "'";
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void duckDbReadsEveryRowAsWritten(Compression compression) throws IOException, SQLException {
        List<SnapshotRow> rows = SnapshotTestData.mixedRows();
        Path file = SnapshotTestData.write(dir, 42, CREATED_MS, compression, rows);

        List<SnapshotRow> seen = new ArrayList<>();
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery("SELECT db, key, type, value, expire_at_ms FROM read_parquet("
                        + lit(file) + ") ORDER BY db, key")) {
            while (rs.next()) {
                int db = rs.getInt(1);
                byte[] key = rs.getBytes(2);
                String type = rs.getString(3);
                byte[] value = rs.getBytes(4);
                long expire = rs.getLong(5);
                if (rs.wasNull()) {
                    expire = SnapshotRow.NO_EXPIRY;
                }
                seen.add(new SnapshotRow(db, key, type, value, expire));
            }
        }
        List<SnapshotRow> expected = new ArrayList<>(rows);
        expected.sort(SnapshotTestData.BY_DB_KEY);
        assertThat(seen).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(seen.get(i)).as("row %d", i).isEqualTo(expected.get(i));
        }
    }

    @Test
    void duckDbSeesTheSchemaTypesAndNulls() throws IOException, SQLException {
        Path file = SnapshotTestData.write(dir, 1, CREATED_MS, Compression.ZSTD, SnapshotTestData.mixedRows());

        Map<String, String> types = new LinkedHashMap<>();
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet(" + lit(file) + ")")) {
            while (rs.next()) {
                types.put(rs.getString("column_name"), rs.getString("column_type"));
            }
        }
        assertThat(types).containsExactly(
                Map.entry("db", "INTEGER"),
                Map.entry("key", "BLOB"),
                Map.entry("type", "VARCHAR"),
                Map.entry("value", "BLOB"),
                Map.entry("expire_at_ms", "BIGINT"),
                Map.entry("chunk", "INTEGER"),
                Map.entry("hash", "MAP(BLOB, BLOB)"),
                Map.entry("set", "BLOB[]"),
                Map.entry("list", "BLOB[]"),
                Map.entry("zset", "STRUCT(member BLOB, score DOUBLE)[]"),
                Map.entry("stream", "STRUCT(id VARCHAR, fields MAP(BLOB, BLOB))[]"));

        long withExpiry = SnapshotTestData.mixedRows().stream().filter(SnapshotRow::hasExpiry).count();
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*), count(expire_at_ms), max(expire_at_ms),"
                        + " sum(octet_length(value)), count(DISTINCT db) FROM read_parquet(" + lit(file) + ")")) {
            assertThat(rs.next()).isTrue();
            List<SnapshotRow> rows = SnapshotTestData.mixedRows();
            assertThat(rs.getLong(1)).isEqualTo(rows.size());
            assertThat(rs.getLong(2)).isEqualTo(withExpiry);
            assertThat(rs.getLong(3)).isEqualTo(Long.MAX_VALUE);
            assertThat(rs.getLong(4)).isEqualTo(rows.stream().mapToLong(r -> r.value().length).sum());
            assertThat(rs.getLong(5)).isEqualTo(5);
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void footerMetadataIsVisibleToDuckDb(Compression compression) throws IOException, SQLException {
        Path file = SnapshotTestData.write(dir, 987_654_321L, CREATED_MS, compression,
                SnapshotTestData.smallRows(1234, 7));

        Map<String, String> kv = new LinkedHashMap<>();
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery("SELECT key, value FROM parquet_kv_metadata(" + lit(file) + ")")) {
            while (rs.next()) {
                kv.put(new String(rs.getBytes(1), StandardCharsets.UTF_8),
                        new String(rs.getBytes(2), StandardCharsets.UTF_8));
            }
        }
        assertThat(kv)
                .containsEntry("panda.format.version", "4")
                .containsEntry("panda.wal.seq", "987654321")
                .containsEntry("panda.key.count", "1234")
                .containsEntry("panda.created.ms", Long.toString(CREATED_MS));

        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery("SELECT DISTINCT compression FROM parquet_metadata(" + lit(file) + ")")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(compression.name());
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void duckDbReadsManyRowGroupsAndGlobsIgnoreTempFiles() throws IOException, SQLException {
        List<SnapshotRow> rows = SnapshotTestData.smallRows(30_000, 8);
        try (ParquetSnapshotWriter w = ParquetSnapshotWriter.create(dir, 2, Compression.ZSTD, CREATED_MS, 64 * 1024);
                ParquetSnapshotWriter open = ParquetSnapshotWriter.create(dir, 3, Compression.ZSTD, CREATED_MS)) {
            for (SnapshotRow r : rows) {
                w.write(r);
                open.write(r);
            }
            w.commit();
            // `open` stays uncommitted: its temp file must not be picked up by a *.parquet glob
            try (Statement st = duck.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT key), max(file_row_number) FROM "
                            + "read_parquet(" + lit(dir.resolve("*.parquet")) + ", file_row_number = true)")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(rows.size());
                assertThat(rs.getLong(2)).isEqualTo(rows.size());
                assertThat(rs.getLong(3)).isEqualTo(rows.size() - 1);
            }
            try (Statement st = duck.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(DISTINCT row_group_id) FROM parquet_metadata("
                            + lit(dir.resolve("*.parquet")) + ")")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isGreaterThan(3);
            }
        }
    }

    @Test
    void duckDbReadsHashesAndSetsAndPutsChunksBackTogether() throws IOException, SQLException {
        Path file = SnapshotTestData.write(dir, 3, CREATED_MS, Compression.SNAPPY, SnapshotTestData.collectionRows());
        Map<String, Long> sizes = new LinkedHashMap<>();
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery("SELECT decode(key) AS k, sum(coalesce(cardinality(hash), 0)"
                        + " + coalesce(len(set), 0)) FROM read_parquet(" + lit(file) + ")"
                        + " WHERE type IN ('hash', 'set') GROUP BY k ORDER BY k")) {
            while (rs.next()) {
                sizes.put(rs.getString(1), rs.getLong(2));
            }
        }
        assertThat(sizes).containsExactly(Map.entry("bighash", 300L), Map.entry("bigset", 300L),
                Map.entry("h", 2L), Map.entry("i", 3L));
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery("SELECT decode(e.key), decode(e.value) FROM (SELECT unnest(map_entries(hash)) AS e"
                        + " FROM read_parquet(" + lit(file) + ") WHERE decode(key) = 'bighash') WHERE decode(e.key) = 'field:2:7'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(2)).isEqualTo("value 7");
            assertThat(rs.next()).isFalse();
        }
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery("SELECT string_agg(decode(m), ',' ORDER BY decode(m)) FROM (SELECT unnest(set) AS m"
                        + " FROM read_parquet(" + lit(file) + ") WHERE decode(key) = 'i')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("-2,1,3");
        }
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE chunk = 0), count(*) FROM read_parquet(" + lit(file) + ")")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(6); // keys
            assertThat(rs.getLong(2)).isEqualTo(10); // rows
        }
    }

    private static byte[] score(double d) {
        byte[] b = new byte[8];
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(d);
        return b;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void duckDbReadsListsInOrderAndSortedSetsWithTheirScores() throws IOException, SQLException {
        List<SnapshotRow> rows = List.of(
                new SnapshotRow(0, b("queue"), SnapshotRow.TYPE_LIST, new byte[0], -1, 0, new byte[][] {b("j1"), b("j2")}),
                new SnapshotRow(0, b("queue"), SnapshotRow.TYPE_LIST, new byte[0], -1, 1, new byte[][] {b("j3")}),
                new SnapshotRow(0, b("board"), SnapshotRow.TYPE_ZSET, new byte[0], 5_000, 0,
                        new byte[][] {b("ann"), score(10.5), b("bob"), score(Double.NEGATIVE_INFINITY)}));
        Path file = SnapshotTestData.write(dir, 4, CREATED_MS, Compression.ZSTD, rows);
        assertThat(SnapshotTestData.readAll(file)).isEqualTo(rows);
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery("SELECT string_agg(decode(e), ',') FROM (SELECT unnest(list) AS e"
                        + " FROM read_parquet(" + lit(file) + ") WHERE type = 'list' ORDER BY chunk)")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("j1,j2,j3");
        }
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery("SELECT decode(z.member), z.score FROM (SELECT unnest(zset) AS z"
                        + " FROM read_parquet(" + lit(file) + ") WHERE type = 'zset') ORDER BY z.score DESC")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("ann");
            assertThat(rs.getDouble(2)).isEqualTo(10.5);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("bob");
            assertThat(rs.getDouble(2)).isEqualTo(Double.NEGATIVE_INFINITY);
        }
    }

    /** A stream's entries, across its rows, are there for SQL: ids, and fields by name. */
    @Test
    void duckDbReadsStreamEntriesAcrossRows() throws IOException, SQLException {
        List<SnapshotRow> rows = List.of(
                new SnapshotRow(0, b("events"), SnapshotRow.TYPE_STREAM, b("rdb payload"), -1, 0,
                        new byte[][] {b("1-0"), b("2"), b("kind"), b("click"), b("user"), b("7"), b("2-0"), b("1"), b("kind"), b("view")}),
                new SnapshotRow(0, b("events"), SnapshotRow.TYPE_STREAM, new byte[0], -1, 1,
                        new byte[][] {b("3-5"), b("1"), b("kind"), b("click")}));
        Path file = SnapshotTestData.write(dir, 5, CREATED_MS, Compression.ZSTD, rows);
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery("SELECT e.id, decode(e.fields[encode('kind')]) FROM (SELECT unnest(stream) AS e, chunk"
                        + " FROM read_parquet(" + lit(file) + ") WHERE type = 'stream') ORDER BY chunk, e.id")) {
            List<String> seen = new java.util.ArrayList<>();
            while (rs.next()) {
                seen.add(rs.getString(1) + "=" + rs.getString(2));
            }
            assertThat(seen).containsExactly("1-0=click", "2-0=view", "3-5=click");
        }
        List<SnapshotRow> back = SnapshotTestData.readAll(file);
        assertThat(back).hasSize(2);
        assertThat(back.get(0).value()).isEqualTo(b("rdb payload")); // what a load restores from
    }
}
