package dev.panda.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panda.store.value.Encoding;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * DEBUG DIGEST's arithmetic without a server: values redis-server 7.0.15 computed for the same
 * data (see DebugContract), and a value's digest independent of its encoding. Test thread.
 */
class DatasetDigestTest {
    private final Keyspace keyspace = new Keyspace(2, () -> 1_700_000_000_000L);
    private final Database db = keyspace.db(0);
    private final DatasetDigest digest = new DatasetDigest();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void emptyDatasetAndMissingKeyAreZeros() {
        assertThat(DatasetDigest.hex(digest.dataset(keyspace))).isEqualTo("0".repeat(40));
        assertThat(DatasetDigest.hex(digest.value(db, b("missing")))).isEqualTo("0".repeat(40));
    }

    @Test
    void stringsAsRedis() {
        db.strings().set(b("e"), b("hello"), -1);
        db.strings().set(b("i"), b("12345"), -1);
        db.strings().set(b("x"), b("soon"), 4_102_444_800_000L);
        assertThat(DatasetDigest.hex(digest.value(db, b("e")))).isEqualTo("36b23a1456b2dce2c3ed252c456761301dba8060");
        assertThat(DatasetDigest.hex(digest.value(db, b("i")))).isEqualTo("e1cf90774e995ae03de66e8109dc5cb9d9c2dc83");
        assertThat(DatasetDigest.hex(digest.value(db, b("x")))).isEqualTo("3165200877d3190912cace229788627a60a379ef");
    }

    @Test
    void aHashDigestsTheSamePackedOrAsATable() {
        byte[][] pairs = {b("f"), b("v"), b("n"), b("1")};
        db.hashes().set(b("packed"), pairs, 0, pairs.length, new Count());
        keyspace.limits().hashMaxListpackEntries = 1;
        db.hashes().set(b("table"), pairs, 0, pairs.length, new Count());
        assertThat(db.encoding(b("packed"))).isEqualTo(Encoding.LISTPACK_HASH);
        assertThat(db.encoding(b("table"))).isEqualTo(Encoding.HASHTABLE_HASH);
        assertThat(digest.value(db, b("packed"))).isEqualTo(digest.value(db, b("table")));
    }

    @Test
    void theDatabaseCounts() {
        db.strings().set(b("k"), b("v"), -1);
        String in0 = DatasetDigest.hex(digest.dataset(keyspace));
        keyspace.swap(0, 1);
        assertThat(DatasetDigest.hex(digest.dataset(keyspace))).isNotEqualTo(in0).isNotEqualTo("0".repeat(40));
    }
}
