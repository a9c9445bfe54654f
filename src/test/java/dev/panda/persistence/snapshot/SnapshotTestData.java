package dev.panda.persistence.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/** Deterministic snapshot rows for the tests: binary-hostile keys and values, several dbs, expiries. */
final class SnapshotTestData {
    static final long CREATED_MS = 1_700_000_000_123L;
    static final int ONE_MB = 1024 * 1024;

    private SnapshotTestData() {
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A mix: empty key and value, zero bytes, 0xFF bytes, UTF-8, three 1 MB random values, four dbs
     * (0, 1, 7, 15), no expiry, expiry 0, ordinary deadlines and Long.MAX_VALUE.
     */
    static List<SnapshotRow> mixedRows() {
        SplittableRandom rnd = new SplittableRandom(42);
        List<SnapshotRow> rows = new ArrayList<>();
        rows.add(SnapshotRow.string(0, new byte[0], new byte[0], SnapshotRow.NO_EXPIRY));
        rows.add(SnapshotRow.string(0, new byte[] {0}, new byte[] {0, 0, 0}, SnapshotRow.NO_EXPIRY));
        rows.add(SnapshotRow.string(0, new byte[] {'a', 0, 'b'}, new byte[] {0, 'x', 0}, 0L));
        rows.add(SnapshotRow.string(0, new byte[] {(byte) 0xff, (byte) 0xfe, 0}, new byte[] {(byte) 0x80}, 1L));
        rows.add(SnapshotRow.string(1, b("ключ-🔑"), b("значение"), Long.MAX_VALUE));
        rows.add(SnapshotRow.string(1, b("same-key"), b("in db 1"), SnapshotRow.NO_EXPIRY));
        rows.add(SnapshotRow.string(7, b("same-key"), b("in db 7"), CREATED_MS + 60_000));
        for (int i = 0; i < 3; i++) {
            byte[] big = new byte[ONE_MB];
            rnd.nextBytes(big);
            big[0] = 0;
            big[ONE_MB - 1] = 0;
            rows.add(SnapshotRow.string(15, b("big:" + i), big, i == 1 ? SnapshotRow.NO_EXPIRY : CREATED_MS + i));
        }
        for (int i = 0; i < 2_000; i++) {
            byte[] key = new byte[1 + rnd.nextInt(40)];
            rnd.nextBytes(key);
            key[0] = (byte) i; // distinct first two bytes keep keys unique
            byte[] value = new byte[rnd.nextInt(300)];
            rnd.nextBytes(value);
            int db = i % 4 == 3 ? 7 : i % 4;
            long expire = rnd.nextInt(3) == 0 ? CREATED_MS + rnd.nextInt(1_000_000) : SnapshotRow.NO_EXPIRY;
            rows.add(SnapshotRow.string(db, concat(new byte[] {(byte) (i >> 8)}, key), value, expire));
        }
        return rows;
    }

    /**
     * Strings, hashes and sets together: binary and empty fields, values and members, a hash and
     * a set in several rows (chunks 0, 1, 2), deadlines, two dbs.
     */
    static List<SnapshotRow> collectionRows() {
        List<SnapshotRow> rows = new ArrayList<>();
        rows.add(SnapshotRow.string(0, b("s"), b("v"), SnapshotRow.NO_EXPIRY));
        rows.add(SnapshotRow.hash(0, b("h"), CREATED_MS + 5, 0, new byte[][] {b("f1"), b("v1"), new byte[0], new byte[] {0, (byte) 0xff}}));
        rows.add(SnapshotRow.set(0, b("i"), SnapshotRow.NO_EXPIRY, 0, new byte[][] {b("1"), b("-2"), b("3")}));
        for (int chunk = 0; chunk < 3; chunk++) {
            byte[][] pairs = new byte[200][];
            byte[][] members = new byte[100][];
            for (int i = 0; i < 100; i++) {
                pairs[2 * i] = b("field:" + chunk + ":" + i);
                pairs[2 * i + 1] = b("value " + i);
                members[i] = b("m" + chunk + ":" + i);
            }
            rows.add(SnapshotRow.hash(3, b("bighash"), SnapshotRow.NO_EXPIRY, chunk, pairs));
            rows.add(SnapshotRow.set(3, b("bigset"), CREATED_MS + 9, chunk, members));
        }
        rows.add(SnapshotRow.string(3, b("after"), new byte[0], 1L));
        return rows;
    }

    /** Small rows only (no megabyte values): for tests that write many files. */
    static List<SnapshotRow> smallRows(int n, int seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<SnapshotRow> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] value = new byte[rnd.nextInt(64)];
            rnd.nextBytes(value);
            rows.add(SnapshotRow.string(i % 3, b("k" + seed + ":" + i), value,
                    i % 5 == 0 ? CREATED_MS + i : SnapshotRow.NO_EXPIRY));
        }
        return rows;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Writes and commits a snapshot. */
    static Path write(Path dir, long walSeq, long createdMs, Compression c, List<SnapshotRow> rows) throws IOException {
        try (ParquetSnapshotWriter w = ParquetSnapshotWriter.create(dir, walSeq, c, createdMs)) {
            for (SnapshotRow r : rows) {
                w.write(r);
            }
            return w.commit();
        }
    }

    static List<SnapshotRow> readAll(Path file) throws IOException {
        List<SnapshotRow> out = new ArrayList<>();
        ParquetSnapshotReader.forEach(file, out::add);
        return out;
    }

    /** (db, key) order with keys compared as unsigned bytes, as DuckDB orders BLOBs. */
    static final Comparator<SnapshotRow> BY_DB_KEY = Comparator.comparingInt(SnapshotRow::db)
            .thenComparing(SnapshotRow::key, Arrays::compareUnsigned);
}
