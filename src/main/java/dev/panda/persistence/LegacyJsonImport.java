package dev.panda.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panda.store.Database;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Backward compatibility with the original Panda: its data file {@code kv_database.json}, a
 * JSON object of key to string value, is imported into database 0 when a data directory has no
 * Parquet snapshot yet. The file itself is never modified. Store thread, at start-up.
 */
final class LegacyJsonImport {
    static final String FILE = "kv_database.json";

    private LegacyJsonImport() {
    }

    static boolean present(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    /** Loads every key; returns how many. Throws on a file that is not a JSON object of strings. */
    static long load(Path dir, Database db) throws IOException {
        Path file = dir.resolve(FILE);
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        if (root == null || !root.isObject()) {
            throw new IOException(file + " is not a JSON object of keys to values");
        }
        long n = 0;
        for (var it = root.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            JsonNode v = e.getValue();
            String text = v.isTextual() ? v.asText() : v.toString();
            db.strings().set(e.getKey().getBytes(StandardCharsets.UTF_8), text.getBytes(StandardCharsets.UTF_8), -1);
            n++;
        }
        return n;
    }
}
