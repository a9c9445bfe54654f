package dev.panda.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The evictor's choices and the LFU counter without a server: what each policy may evict, the
 * order volatile-ttl and LRU prefer, and Redis's counter arithmetic (increments at log factor 0,
 * one decrement per decay period).
 */
class EvictorTest {
    private long now = 1_700_000_000_000L;
    private final Keyspace keyspace = new Keyspace(2, () -> now);
    private final Database db = keyspace.db(0);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> evict(Evictor evictor, int n) {
        List<String> gone = new ArrayList<>();
        List<Object> before = new ArrayList<>();
        db.table().forEach(before::add);
        for (int i = 0; i < n; i++) {
            assertThat(evictor.evictOne()).isTrue();
        }
        for (Object e : before) {
            byte[] key = Entry.key(e);
            if (!db.containsQuietly(key)) {
                gone.add(new String(key, StandardCharsets.UTF_8));
            }
        }
        return gone;
    }

    @Test
    void noevictionNeverEvicts() {
        db.strings().set(b("k"), b("v"), -1);
        Evictor evictor = new Evictor(keyspace);
        assertThat(evictor.evictOne()).isFalse();
        assertThat(db.size()).isEqualTo(1);
    }

    @Test
    void volatilePoliciesTakeOnlyKeysWithADeadlineAndStopWhenNoneIsLeft() {
        for (Evictor.Policy policy : List.of(Evictor.Policy.VOLATILE_LRU, Evictor.Policy.VOLATILE_LFU,
                Evictor.Policy.VOLATILE_RANDOM, Evictor.Policy.VOLATILE_TTL)) {
            db.flush();
            for (int i = 0; i < 50; i++) {
                db.strings().set(b("p" + i), b("v"), -1);
                db.strings().set(b("t" + i), b("v"), now + 60_000 + i);
            }
            Evictor evictor = new Evictor(keyspace);
            evictor.setPolicy(policy);
            List<String> gone = evict(evictor, 50);
            assertThat(gone).as(policy.name()).hasSize(50).allMatch(k -> k.startsWith("t"));
            assertThat(evictor.evictOne()).as(policy.name()).isFalse();
            assertThat(db.size()).isEqualTo(50);
        }
    }

    @Test
    void volatilePoliciesFindTheLastKeysWithADeadlineAmongManyDeletedOnes() {
        for (int i = 0; i < 20_000; i++) {
            db.strings().set(b("t" + i), b("v"), now + 60_000);
        }
        for (int i = 3; i < 20_000; i++) {
            db.delete(b("t" + i)); // leaves stale places in the deadline index
        }
        Evictor evictor = new Evictor(keyspace);
        evictor.setPolicy(Evictor.Policy.VOLATILE_LRU);
        assertThat(evict(evictor, 3)).containsExactlyInAnyOrder("t0", "t1", "t2");
        assertThat(evictor.evictOne()).isFalse();
    }

    @Test
    void volatileTtlTakesTheSoonestDeadlinesFirst() {
        for (int i = 0; i < 200; i++) {
            db.strings().set(b("t" + i), b("v"), now + 1000L * (i + 1));
        }
        Evictor evictor = new Evictor(keyspace);
        evictor.setPolicy(Evictor.Policy.VOLATILE_TTL);
        evictor.setSamples(20);
        List<String> gone = evict(evictor, 20);
        assertThat(gone).hasSize(20);
        assertThat(gone.stream().mapToInt(k -> Integer.parseInt(k.substring(1))).max().getAsInt())
                .as("sampled, so not exactly the first twenty, but all among the soonest").isLessThan(100);
    }

    @Test
    void allkeysLruTakesKeysIdleLongerThanTheOnesJustRead() {
        for (int i = 0; i < 100; i++) {
            db.strings().set(b("k" + i), b("v"), -1);
        }
        now += 3_600_000;
        keyspace.startCommand();
        for (int i = 0; i < 50; i++) {
            db.exists(b("k" + i)); // a read records the access
        }
        keyspace.endCommand();
        Evictor evictor = new Evictor(keyspace);
        evictor.setPolicy(Evictor.Policy.ALLKEYS_LRU);
        evictor.setSamples(10);
        assertThat(evict(evictor, 30)).allMatch(k -> Integer.parseInt(k.substring(1)) >= 50);
    }

    @Test
    void lfuCountsAccessesAndDecaysByOnePerPeriod() {
        KeyAccess access = keyspace.access();
        access.setLfu(true);
        access.setLogFactor(0);
        access.setDecayMinutes(1);
        db.strings().set(b("k"), b("v"), -1);
        assertThat(db.frequency(b("k"))).isEqualTo(KeyAccess.LFU_INIT);
        for (int i = 0; i < 10; i++) {
            db.exists(b("k"));
        }
        assertThat(db.frequency(b("k"))).isEqualTo(KeyAccess.LFU_INIT + 10);
        now += 3 * 60_000;
        assertThat(db.frequency(b("k"))).as("three periods of a minute").isEqualTo(KeyAccess.LFU_INIT + 7);
        access.setDecayMinutes(0);
        now += 600 * 60_000;
        assertThat(db.frequency(b("k"))).as("lfu-decay-time 0 never decays").isEqualTo(KeyAccess.LFU_INIT + 10);
    }

    /** eviction-del's timing: measured only while asked for (the latency monitor on), else no clock is read. */
    @Test
    void deletionsAreTimedOnlyWhenAsked() {
        for (int i = 0; i < 10; i++) {
            db.strings().set(b("k" + i), b("v"), -1);
        }
        Evictor evictor = new Evictor(keyspace);
        evictor.setPolicy(Evictor.Policy.ALLKEYS_RANDOM);
        assertThat(evictor.evictOne()).isTrue();
        assertThat(evictor.lastDeleteNanos()).isZero();
        evictor.timeDeletes(true);
        long before = System.nanoTime();
        assertThat(evictor.evictOne()).isTrue();
        assertThat(evictor.lastDeleteNanos()).isPositive().isLessThanOrEqualTo(System.nanoTime() - before);
        evictor.setPolicy(Evictor.Policy.ALLKEYS_LRU);
        assertThat(evictor.evictOne()).isTrue();
        assertThat(db.size()).isEqualTo(7);
    }
}
