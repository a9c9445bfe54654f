package dev.panda.persistence.crypto;

import dev.panda.persistence.snapshot.Compression;
import dev.panda.persistence.snapshot.ParquetSnapshotReader;
import dev.panda.persistence.snapshot.ParquetSnapshotWriter;
import dev.panda.persistence.snapshot.SnapshotInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * For analysts: writes a plaintext copy of an encrypted snapshot, which any Parquet reader
 * (DuckDB, pandas, Spark) opens; DuckDB 1.4 cannot read parquet-java's modular encryption itself.
 * The copy holds the data in the clear: write it where the data may be.
 *
 * <pre>
 * java -cp panda.jar dev.panda.persistence.crypto.DecryptSnapshot --key-file panda.key \
 *     [--key-file old.key ...] data/snapshot-...parquet OUT_DIR
 * </pre>
 *
 * <p>Runs on the main thread of its own JVM, never inside the server.
 */
public final class DecryptSnapshot {
    private DecryptSnapshot() {
    }

    public static void main(String[] args) {
        try {
            Path out = run(List.of(args));
            System.out.println(out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: DecryptSnapshot --key-file FILE [--key-file FILE ...] SNAPSHOT OUT_DIR");
            System.exit(2);
        } catch (IOException e) {
            System.err.println("cannot decrypt: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Decrypts; returns the plaintext snapshot written in the output directory (same file name). */
    public static Path run(List<String> args) throws IOException {
        List<Path> keyFiles = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--key-file") && i + 1 < args.size()) {
                keyFiles.add(Path.of(args.get(++i)));
            } else {
                rest.add(args.get(i));
            }
        }
        if (keyFiles.isEmpty() || rest.size() != 2) {
            throw new IllegalArgumentException("give at least one --key-file, the snapshot and an output directory");
        }
        EncryptionKeys keys = EncryptionKeys.load(keyFiles.get(0), keyFiles.subList(1, keyFiles.size()));
        Path in = Path.of(rest.get(0));
        Path outDir = Path.of(rest.get(1));
        SnapshotInfo info = ParquetSnapshotReader.readInfo(in, keys);
        Files.createDirectories(outDir);
        try (ParquetSnapshotWriter w = ParquetSnapshotWriter.create(outDir, info.walSeq(), Compression.SNAPPY,
                info.createdMs(), ParquetSnapshotWriter.DEFAULT_ROW_GROUP_BYTES, EncryptionKeys.NONE)) {
            IOException[] failure = new IOException[1];
            ParquetSnapshotReader.forEach(in, keys, row -> {
                if (failure[0] == null) {
                    try {
                        w.write(row);
                    } catch (IOException e) {
                        failure[0] = e;
                    }
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
            w.functions(ParquetSnapshotReader.readFunctions(in, keys));
            return w.commit();
        }
    }
}
