package dev.panda.persistence.wal;

import static dev.panda.persistence.wal.WalTestSupport.b;
import static dev.panda.persistence.wal.WalTestSupport.replayAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panda.store.Keyspace;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalEffectLogTest {
    @TempDir
    Path dir;

    @Test
    void everyEffectBecomesItsRecord() throws Exception {
        try (WalWriter w = WalWriter.open(dir, 1)) {
            WalEffectLog log = new WalEffectLog(w);
            log.set(1, b("k"), b("v"), -1);
            log.set(1, b("t"), b("w"), 5000);
            log.set(1, b("n"), b("x"), -7);
            log.expireAt(2, b("k"), 9000);
            log.persist(2, b("k"));
            log.delete(3, b("k"));
            log.flushDb(4);
            log.swapDb(5, 6);
            assertThatThrownBy(() -> log.set(0, b("k"), 42L, -1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java.lang.Long");
            assertThat(w.lastSeq()).isEqualTo(8);
        }
        assertThat(replayAll(dir)).containsExactly(
                new WalRecord.Set(1, 1, b("k"), WalRecord.VALUE_TYPE_STRING, b("v"), -1),
                new WalRecord.Set(2, 1, b("t"), WalRecord.VALUE_TYPE_STRING, b("w"), 5000),
                new WalRecord.Set(3, 1, b("n"), WalRecord.VALUE_TYPE_STRING, b("x"), -1),
                new WalRecord.ExpireAt(4, 2, b("k"), 9000),
                new WalRecord.Persist(5, 2, b("k")),
                new WalRecord.Delete(6, 3, b("k")),
                new WalRecord.FlushDb(7, 4),
                new WalRecord.SwapDb(8, 5, 6));
    }

    @Test
    void aKeyspaceLogsItsChangesThroughTheAdapter() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000);
        Keyspace keyspace = new Keyspace(16, now::get);
        try (WalWriter w = WalWriter.open(dir, 1)) {
            keyspace.setEffectLog(new WalEffectLog(w));
            keyspace.db(0).set(b("a"), b("1"), -1);
            keyspace.db(0).expireAt(b("a"), 2_000_000);
            keyspace.db(0).delete(b("a"));
            keyspace.swap(0, 1);
        }
        assertThat(replayAll(dir)).containsExactly(
                new WalRecord.Set(1, 0, b("a"), WalRecord.VALUE_TYPE_STRING, b("1"), -1),
                new WalRecord.ExpireAt(2, 0, b("a"), 2_000_000),
                new WalRecord.Delete(3, 0, b("a")),
                new WalRecord.SwapDb(4, 0, 1));
    }
}
