package dev.panda.persistence.snapshot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Not a test: measures snapshot write (and read) speed and size for N rows of 16-byte keys and
 * 100-byte values, both compressions. Also a smoke test of the shaded jar:
 * {@code java -cp target/panda.jar:target/test-classes dev.panda.persistence.snapshot.SnapshotWriteBenchmark [rows] [dir]}.
 * Values are random printable ASCII (not incompressible noise, not trivially compressible).
 */
public final class SnapshotWriteBenchmark {
    private SnapshotWriteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("panda-snapbench");
        SnapshotRow[] rows = new SnapshotRow[n];
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            byte[] key = String.format("key:%012d", i).getBytes(); // 16 bytes
            byte[] value = new byte[100];
            for (int j = 0; j < value.length; j++) {
                value[j] = (byte) (' ' + rnd.nextInt(95));
            }
            rows[i] = SnapshotRow.string(i & 15, key, value, i % 10 == 0 ? 1_800_000_000_000L + i : -1);
        }
        for (int round = 0; round < 2; round++) { // round 0 warms the JIT
            for (Compression c : Compression.values()) {
                long t0 = System.nanoTime();
                Path file;
                try (ParquetSnapshotWriter w = ParquetSnapshotWriter.create(dir, round * 10L + c.ordinal(), c)) {
                    for (SnapshotRow r : rows) {
                        w.write(r);
                    }
                    file = w.commit();
                }
                long t1 = System.nanoTime();
                long[] count = {0};
                ParquetSnapshotReader.forEach(file, r -> count[0]++);
                long t2 = System.nanoTime();
                if (count[0] != n) {
                    throw new AssertionError("read back " + count[0] + " rows of " + n);
                }
                System.out.printf("%s%-6s rows=%d write=%.0f ms (%.0f rows/s) size=%.1f MB (%.1f B/row) read=%.0f ms (%.0f rows/s)%n",
                        round == 0 ? "warm-up " : "", c, n, (t1 - t0) / 1e6, n / ((t1 - t0) / 1e9),
                        Files.size(file) / 1e6, Files.size(file) / (double) n, (t2 - t1) / 1e6, n / ((t2 - t1) / 1e9));
                Files.delete(file);
            }
        }
    }
}
