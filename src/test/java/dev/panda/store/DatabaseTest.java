package dev.panda.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panda.expiry.ActiveExpiryCycle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DatabaseTest {
    private static final long T0 = 1_700_000_000_000L;

    /** The manual clock: tests move time by assigning it. */
    private long now = T0;
    private Keyspace keyspace;
    private Database db;
    private RecordingLog log;

    @BeforeEach
    void setUp() {
        keyspace = new Keyspace(4, () -> now);
        db = keyspace.db(0);
        log = new RecordingLog();
        keyspace.setEffectLog(log);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static List<String> strings(List<byte[]> keys) {
        return keys.stream().map(DatabaseTest::s).toList();
    }

    private List<String> scanAll(Database d) {
        List<byte[]> out = new ArrayList<>();
        long cursor = 0;
        do {
            cursor = d.scan(cursor, 3, out);
        } while (cursor != 0);
        return strings(out);
    }

    /** Records every effect as text, in order. */
    static final class RecordingLog implements EffectLog {
        final List<String> events = new ArrayList<>();

        @Override
        public void set(int db, byte[] key, Object value, long expireAtMs) {
            events.add("set " + db + " " + s(key) + " " + s((byte[]) value) + " " + expireAtMs);
        }

        @Override
        public void delete(int db, byte[] key) {
            events.add("delete " + db + " " + s(key));
        }

        @Override
        public void expireAt(int db, byte[] key, long expireAtMs) {
            events.add("expireAt " + db + " " + s(key) + " " + expireAtMs);
        }

        @Override
        public void persist(int db, byte[] key) {
            events.add("persist " + db + " " + s(key));
        }

        @Override
        public void flushDb(int db) {
            events.add("flushDb " + db);
        }

        @Override
        public void swapDb(int a, int b) {
            events.add("swapDb " + a + " " + b);
        }
    }

    /** An image's entries as "key=value@deadline". */
    private static Set<String> entries(DatabaseImage image) {
        Set<String> out = new HashSet<>();
        while (image.advance()) {
            assertThat(out.add(s(image.key()) + "=" + s((byte[]) image.value()) + "@" + image.expireAtMs())).isTrue();
        }
        return out;
    }

    @Test
    void anImageIsTheDatabaseAtTheMomentItWasTakenWithDeadlinesAndExpiredKeys() {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            long deadline = i % 3 == 0 ? T0 + 1000 + i : -1;
            db.set(b("k" + i), b("v" + i), deadline);
            expected.add("k" + i + "=v" + i + "@" + deadline);
        }
        now = T0 + 1500; // k0..k498 (every third) are past their deadline but not yet removed
        keyspace.db(1).set(b("other"), b("x"), -1);
        DatabaseImage image = db.freeze();
        DatabaseImage other = keyspace.db(1).freeze();
        assertThat(image.db()).isZero();
        assertThat(image.size()).isEqualTo(2000);

        // Everything that can change after it: overwrites, TTL changes, deletes, expiry, growth, swap, flush.
        for (int i = 0; i < 2000; i += 2) {
            db.set(b("k" + i), b("new"), T0 + 99_000);
        }
        for (int i = 1; i < 2000; i += 4) {
            db.persist(b("k" + i));
            db.delete(b("k" + (i + 2)));
        }
        db.expireDue(now, 10_000);
        for (int i = 0; i < 20_000; i++) {
            db.set(b("grow" + i), b("g"), -1);
        }
        keyspace.swap(0, 1);
        keyspace.db(0).flush();

        assertThat(entries(image)).isEqualTo(expected);
        assertThat(entries(other)).containsExactly("other=x@-1");
        image.release();
        other.release();
        assertThat(keyspace.db(0).size()).isZero();
        assertThat(keyspace.db(1).size()).isGreaterThan(20_000);
    }

    @Test
    void setGetDeleteWithoutTtl() {
        db.set(b("k"), b("v"), -1);
        assertThat(s((byte[]) db.get(b("k")))).isEqualTo("v");
        assertThat(db.exists(b("k"))).isTrue();
        assertThat(db.deadline(b("k"))).isEqualTo(-1);
        assertThat(db.size()).isEqualTo(1);
        assertThat(db.expiresSize()).isZero();
        assertThat(db.delete(b("k"))).isTrue();
        assertThat(db.delete(b("k"))).isFalse();
        assertThat(db.get(b("k"))).isNull();
        assertThat(db.size()).isZero();
    }

    @Test
    void readCountsHitsAndMisses() {
        db.set(b("k"), b("v"), -1);
        db.read(b("k"));
        db.read(b("k"));
        db.read(b("missing"));
        assertThat(keyspace.stats().hits).isEqualTo(2);
        assertThat(keyspace.stats().misses).isEqualTo(1);
        db.get(b("missing")); // get does not count
        assertThat(keyspace.stats().misses).isEqualTo(1);
    }

    @Test
    void setWithoutDeadlineClearsExistingTtl() {
        db.set(b("k"), b("v"), T0 + 1000);
        assertThat(db.deadline(b("k"))).isEqualTo(T0 + 1000);
        assertThat(db.expiresSize()).isEqualTo(1);
        db.set(b("k"), b("v2"), -1);
        assertThat(db.deadline(b("k"))).isEqualTo(-1);
        assertThat(db.expiresSize()).isZero();
        now = T0 + 5000;
        assertThat(s((byte[]) db.get(b("k")))).isEqualTo("v2");
        // The stale index entry is consumed without deleting the key.
        assertThat(db.expireDue(now, 100)).isEqualTo(1);
        assertThat(db.exists(b("k"))).isTrue();
    }

    @Nested
    class LazyExpiry {
        @BeforeEach
        void expiredKey() {
            db.set(b("gone"), b("v"), T0 + 100);
            db.set(b("live"), b("v"), -1);
            db.set(b("later"), b("v"), T0 + 10_000);
            now = T0 + 100; // the deadline itself counts as expired
        }

        private void assertInvisible(Function<Database, Object> operation) {
            // Before anything reads it, DBSIZE still counts the expired key (as Redis does).
            assertThat(db.size()).isEqualTo(3);
            operation.apply(db);
            assertThat(db.get(b("gone"))).isNull();
            assertThat(db.size()).isEqualTo(2);
            assertThat(db.expiresSize()).isEqualTo(1);
            assertThat(db.exists(b("live"))).isTrue();
            assertThat(db.exists(b("later"))).isTrue();
            assertThat(keyspace.stats().expiredKeys).isEqualTo(1);
            assertThat(log.events).containsOnlyOnce("delete 0 gone");
        }

        @Test
        void getReturnsNull() {
            assertInvisible(d -> {
                assertThat(d.get(b("gone"))).isNull();
                return null;
            });
        }

        @Test
        void readCountsAMiss() {
            assertInvisible(d -> {
                assertThat(d.read(b("gone"))).isNull();
                assertThat(keyspace.stats().misses).isEqualTo(1);
                assertThat(keyspace.stats().hits).isZero();
                return null;
            });
        }

        @Test
        void existsIsFalse() {
            assertInvisible(d -> {
                assertThat(d.exists(b("gone"))).isFalse();
                return null;
            });
        }

        @Test
        void keysOmitsIt() {
            assertInvisible(d -> {
                assertThat(strings(d.keys())).containsExactlyInAnyOrder("live", "later");
                return null;
            });
        }

        @Test
        void scanOmitsIt() {
            assertInvisible(d -> {
                assertThat(scanAll(d)).containsExactlyInAnyOrder("live", "later");
                return null;
            });
        }

        @Test
        void randomKeyNeverReturnsIt() {
            assertInvisible(d -> {
                SplittableRandom random = new SplittableRandom(3);
                for (int i = 0; i < 200; i++) {
                    assertThat(s(d.randomKey(random))).isIn("live", "later");
                }
                return null;
            });
        }

        @Test
        void deleteReportsAbsent() {
            assertInvisible(d -> {
                assertThat(d.delete(b("gone"))).isFalse();
                return null;
            });
        }

        @Test
        void expireAtAndPersistReportAbsent() {
            assertInvisible(d -> {
                assertThat(d.expireAt(b("gone"), T0 + 1_000_000)).isFalse();
                assertThat(d.persist(b("gone"))).isFalse();
                return null;
            });
        }

        @Test
        void idleTimeReportsAbsent() {
            assertInvisible(d -> {
                assertThat(d.idleSeconds(b("gone"))).isEqualTo(-1);
                return null;
            });
        }

        @Test
        void oneMillisecondEarlierItIsStillVisible() {
            now = T0 + 99;
            assertThat(db.exists(b("gone"))).isTrue();
            assertThat(db.size()).isEqualTo(3);
            assertThat(keyspace.stats().expiredKeys).isZero();
        }
    }

    @Test
    void randomKeyReturnsNullWhenEveryKeyExpired() {
        for (int i = 0; i < 50; i++) {
            db.set(b("k" + i), b("v"), T0 + 10);
        }
        now = T0 + 10;
        assertThat(db.size()).isEqualTo(50);
        assertThat(db.randomKey(new SplittableRandom(1))).isNull();
        assertThat(db.size()).isZero();
        assertThat(keyspace.stats().expiredKeys).isEqualTo(50);
    }

    @Test
    void expireDueRemovesOnlyDueKeysEarliestFirst() {
        db.set(b("c"), b("v"), T0 + 300);
        db.set(b("a"), b("v"), T0 + 100);
        db.set(b("e"), b("v"), T0 + 500);
        db.set(b("b"), b("v"), T0 + 200);
        db.set(b("d"), b("v"), T0 + 400);
        db.set(b("none"), b("v"), -1);
        log.events.clear();
        assertThat(db.nextDeadline()).isEqualTo(T0 + 100);

        now = T0 + 350;
        assertThat(db.expireDue(now, 1000)).isEqualTo(3);
        assertThat(log.events).containsExactly("delete 0 a", "delete 0 b", "delete 0 c");
        assertThat(strings(db.keys())).containsExactlyInAnyOrder("d", "e", "none");
        assertThat(db.size()).isEqualTo(3);
        assertThat(db.nextDeadline()).isEqualTo(T0 + 400);
        assertThat(keyspace.stats().expiredKeys).isEqualTo(3);
        // Nothing more is due.
        assertThat(db.expireDue(now, 1000)).isZero();
    }

    @Test
    void expireDueHonoursTheLimit() {
        for (int i = 0; i < 10; i++) {
            db.set(b("k" + i), b("v"), T0 + 10 * (10 - i)); // k9 earliest
        }
        log.events.clear();
        now = T0 + 1000;
        assertThat(db.expireDue(now, 3)).isEqualTo(3);
        assertThat(log.events).containsExactly("delete 0 k9", "delete 0 k8", "delete 0 k7");
        assertThat(db.size()).isEqualTo(7);
        assertThat(db.expireDue(now, 0)).isZero();
        assertThat(db.size()).isEqualTo(7);
        assertThat(db.expireDue(now, 100)).isEqualTo(7);
        assertThat(db.size()).isZero();
        assertThat(db.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void expireDueWithUseDeadlineEqualToNow() {
        db.set(b("k"), b("v"), T0 + 50);
        assertThat(db.expireDue(T0 + 49, 10)).isZero();
        assertThat(db.size()).isEqualTo(1);
        assertThat(db.expireDue(T0 + 50, 10)).isEqualTo(1);
        assertThat(db.size()).isZero();
    }

    @Test
    void ttlUpdateLeavesStaleEntriesThatAreIgnored() {
        db.set(b("k"), b("v"), T0 + 100);
        assertThat(db.expireAt(b("k"), T0 + 500)).isTrue();
        assertThat(db.deadline(b("k"))).isEqualTo(T0 + 500);
        // The old entry is still first in the index.
        assertThat(db.nextDeadline()).isEqualTo(T0 + 100);

        now = T0 + 200;
        assertThat(db.expireDue(now, 10)).as("the stale entry is consumed").isEqualTo(1);
        assertThat(db.exists(b("k"))).isTrue();
        assertThat(keyspace.stats().expiredKeys).isZero();
        assertThat(db.nextDeadline()).isEqualTo(T0 + 500);

        now = T0 + 500;
        assertThat(db.expireDue(now, 10)).isEqualTo(1);
        assertThat(db.size()).isZero();
        assertThat(keyspace.stats().expiredKeys).isEqualTo(1);
    }

    @Test
    void staleEntryForADeletedAndRecreatedKeyIsIgnored() {
        db.set(b("k"), b("v"), T0 + 100);
        db.delete(b("k"));
        db.set(b("k"), b("v2"), T0 + 1000);
        now = T0 + 100;
        assertThat(db.expireDue(now, 10)).isEqualTo(1);
        assertThat(s((byte[]) db.get(b("k")))).isEqualTo("v2");
    }

    @Test
    void loweringATtlExpiresAtTheNewDeadline() {
        db.set(b("k"), b("v"), T0 + 1000);
        db.expireAt(b("k"), T0 + 100);
        now = T0 + 100;
        assertThat(db.expireDue(now, 10)).isEqualTo(1);
        assertThat(db.size()).isZero();
        // The entry for the old deadline is stale and ignored later.
        now = T0 + 1000;
        assertThat(db.expireDue(now, 10)).isEqualTo(1);
        assertThat(keyspace.stats().expiredKeys).isEqualTo(1);
    }

    @Test
    void deadlineIndexIsRebuiltWhenMostlyStale() {
        db.set(b("k"), b("v"), T0 + 1_000_000);
        for (int i = 1; i <= 5_000; i++) {
            db.expireAt(b("k"), T0 + 1_000_000 + i);
        }
        // Without rebuilding, the index would hold 5001 entries for one key.
        int consumed = db.expireDue(Long.MAX_VALUE - 1, Integer.MAX_VALUE);
        assertThat(consumed).isBetween(1, 1025);
        assertThat(db.size()).isZero();
    }

    @Test
    void expireAtInThePastDeletes() {
        db.set(b("k"), b("v"), -1);
        db.set(b("k2"), b("v"), -1);
        log.events.clear();
        assertThat(db.expireAt(b("k"), T0 - 1)).isTrue();
        assertThat(db.exists(b("k"))).isFalse();
        assertThat(db.expireAt(b("k2"), T0)).as("a deadline equal to now is past").isTrue();
        assertThat(db.exists(b("k2"))).isFalse();
        assertThat(db.size()).isZero();
        assertThat(db.expiresSize()).isZero();
        assertThat(log.events).containsExactly("delete 0 k", "delete 0 k2");
        assertThat(db.expireAt(b("missing"), T0 + 100)).isFalse();
        assertThat(db.expireAt(b("missing"), T0 - 100)).isFalse();
        assertThat(log.events).hasSize(2);
    }

    @Test
    void persistRemovesTheTtl() {
        db.set(b("k"), b("v"), T0 + 100);
        db.set(b("plain"), b("v"), -1);
        assertThat(db.persist(b("k"))).isTrue();
        assertThat(db.deadline(b("k"))).isEqualTo(-1);
        assertThat(db.persist(b("k"))).isFalse();
        assertThat(db.persist(b("plain"))).isFalse();
        assertThat(db.persist(b("missing"))).isFalse();
        assertThat(db.expiresSize()).isZero();
        now = T0 + 10_000;
        assertThat(db.expireDue(now, 10)).isEqualTo(1); // the stale index entry
        assertThat(db.exists(b("k"))).isTrue();
        assertThat(db.size()).isEqualTo(2);
    }

    @Test
    void flushEmptiesDataTtlsAndIndex() {
        for (int i = 0; i < 100; i++) {
            db.set(b("k" + i), b("v"), i % 2 == 0 ? T0 + 100 : -1);
        }
        keyspace.db(1).set(b("other"), b("v"), -1);
        db.flush();
        assertThat(db.size()).isZero();
        assertThat(db.expiresSize()).isZero();
        assertThat(db.nextDeadline()).isEqualTo(Long.MAX_VALUE);
        assertThat(db.keys()).isEmpty();
        assertThat(keyspace.db(1).exists(b("other"))).isTrue();
        now = T0 + 1000;
        assertThat(db.expireDue(now, 1000)).isZero();
        db.set(b("k1"), b("again"), -1);
        assertThat(s((byte[]) db.get(b("k1")))).isEqualTo("again");
    }

    @Test
    void flushAllEmptiesEveryDatabase() {
        for (int i = 0; i < keyspace.databaseCount(); i++) {
            keyspace.db(i).set(b("k"), b("v"), -1);
        }
        assertThat(keyspace.size()).isEqualTo(4);
        log.events.clear();
        keyspace.flushAll();
        assertThat(keyspace.size()).isZero();
        assertThat(log.events).containsExactly("flushDb 0", "flushDb 1", "flushDb 2", "flushDb 3");
    }

    @Test
    void swapExchangesContentsIncludingTtlsAndIndex() {
        Database db1 = keyspace.db(1);
        db.set(b("a"), b("in0"), T0 + 100);
        db.set(b("a2"), b("in0"), -1);
        db1.set(b("b"), b("in1"), T0 + 200);
        log.events.clear();

        keyspace.swap(0, 1);
        assertThat(log.events).containsExactly("swapDb 0 1");
        assertThat(db.index()).isZero();
        assertThat(db1.index()).isEqualTo(1);
        assertThat(strings(db.keys())).containsExactly("b");
        assertThat(strings(db1.keys())).containsExactlyInAnyOrder("a", "a2");
        assertThat(db1.deadline(b("a"))).isEqualTo(T0 + 100);
        assertThat(db.deadline(b("b"))).isEqualTo(T0 + 200);
        assertThat(db1.nextDeadline()).isEqualTo(T0 + 100);
        assertThat(db.nextDeadline()).isEqualTo(T0 + 200);

        // Expiry after the swap is reported against the database the key now lives in.
        now = T0 + 150;
        log.events.clear();
        assertThat(db1.expireDue(now, 10)).isEqualTo(1);
        assertThat(db.expireDue(now, 10)).isZero();
        assertThat(log.events).containsExactly("delete 1 a");
        assertThat(db.exists(b("b"))).isTrue();
    }

    @Test
    void swapWithItselfChangesNothingButIsReported() {
        db.set(b("a"), b("v"), -1);
        log.events.clear();
        keyspace.swap(2, 2);
        keyspace.swap(0, 0);
        assertThat(log.events).containsExactly("swapDb 2 2", "swapDb 0 0");
        assertThat(db.exists(b("a"))).isTrue();
    }

    @Test
    void idleTimeFollowsTheManualClockAndNoTouch() {
        db.set(b("k"), b("v"), -1);
        assertThat(db.idleSeconds(b("k"))).isZero();
        now += 10_000;
        assertThat(db.idleSeconds(b("k"))).isEqualTo(10);
        db.get(b("k"));
        assertThat(db.idleSeconds(b("k"))).isZero();
        now += 5_000;
        keyspace.setTouching(false);
        db.get(b("k"));
        assertThat(db.idleSeconds(b("k"))).isEqualTo(5);
        keyspace.setTouching(true);
        db.get(b("k"));
        assertThat(db.idleSeconds(b("k"))).isZero();
        assertThat(db.idleSeconds(b("missing"))).isEqualTo(-1);
    }

    @Test
    void scanReturnsEveryLiveKey() {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            db.set(b("k" + i), b("v"), i % 5 == 0 ? T0 + 10 : -1);
            if (i % 5 != 0) {
                expected.add("k" + i);
            }
        }
        now = T0 + 10;
        List<String> scanned = scanAll(db);
        assertThat(new HashSet<>(scanned)).isEqualTo(expected);
        assertThat(db.size()).isEqualTo(400);
    }

    @Nested
    class Effects {
        @Test
        void setWithDeadlineReportsTheAbsoluteDeadline() {
            db.set(b("k"), b("v"), T0 + 5000);
            keyspace.db(2).set(b("k"), b("w"), -1);
            assertThat(log.events).containsExactly("set 0 k v " + (T0 + 5000), "set 2 k w -1");
        }

        @Test
        void setKeepTtlReportsTheCurrentDeadline() {
            db.set(b("k"), b("v"), T0 + 5000);
            now = T0 + 1000;
            db.setKeepTtl(b("k"), b("v2"));
            db.set(b("plain"), b("v"), -1);
            db.setKeepTtl(b("plain"), b("v2"));
            db.setKeepTtl(b("new"), b("v"));
            assertThat(log.events).containsExactly(
                    "set 0 k v " + (T0 + 5000),
                    "set 0 k v2 " + (T0 + 5000),
                    "set 0 plain v -1",
                    "set 0 plain v2 -1",
                    "set 0 new v -1");
            assertThat(db.deadline(b("k"))).isEqualTo(T0 + 5000);
            assertThat(s((byte[]) db.get(b("k")))).isEqualTo("v2");
        }

        @Test
        void lazilyExpiredKeyIsReportedAsDelete() {
            db.set(b("k"), b("v"), T0 + 100);
            now = T0 + 100;
            assertThat(db.get(b("k"))).isNull();
            assertThat(db.get(b("k"))).isNull();
            assertThat(log.events).containsExactly("set 0 k v " + (T0 + 100), "delete 0 k");
        }

        @Test
        void activelyExpiredKeyIsReportedAsDelete() {
            keyspace.db(3).set(b("k"), b("v"), T0 + 100);
            now = T0 + 100;
            keyspace.db(3).expireDue(now, 10);
            assertThat(log.events).containsExactly("set 3 k v " + (T0 + 100), "delete 3 k");
        }

        @Test
        void deletePersistExpireAtFlushAndSwapAreReported() {
            db.set(b("a"), b("1"), -1);
            db.set(b("b"), b("2"), T0 + 100);
            db.delete(b("a"));
            db.delete(b("a")); // absent: nothing to report
            db.expireAt(b("b"), T0 + 200);
            db.persist(b("b"));
            db.persist(b("b")); // no TTL: nothing to report
            db.expireAt(b("b"), T0 - 1);
            db.flush();
            keyspace.swap(1, 3);
            assertThat(log.events).containsExactly(
                    "set 0 a 1 -1",
                    "set 0 b 2 " + (T0 + 100),
                    "delete 0 a",
                    "expireAt 0 b " + (T0 + 200),
                    "persist 0 b",
                    "delete 0 b",
                    "flushDb 0",
                    "swapDb 1 3");
        }

        @Test
        void readsReportNothing() {
            db.set(b("k"), b("v"), T0 + 1000);
            log.events.clear();
            db.get(b("k"));
            db.read(b("k"));
            db.exists(b("k"));
            db.keys();
            scanAll(db);
            db.randomKey(new SplittableRandom(1));
            db.deadline(b("k"));
            assertThat(log.events).isEmpty();
        }
    }

    @Nested
    class ActiveExpiry {
        @Test
        void removesDueKeysAcrossDatabases() {
            for (int i = 0; i < 100; i++) { // more than one budget chunk of 16
                keyspace.db(0).set(b("d0:" + i), b("v"), T0 + i);
            }
            keyspace.db(0).set(b("d0:later"), b("v"), T0 + 10_000);
            keyspace.db(2).set(b("d2:due"), b("v"), T0 + 50);
            keyspace.db(2).set(b("d2:plain"), b("v"), -1);
            keyspace.db(3).set(b("d3:due"), b("v"), T0 + 99);
            keyspace.db(3).set(b("d3:later"), b("v"), T0 + 100);
            log.events.clear();

            now = T0 + 99;
            ActiveExpiryCycle cycle = new ActiveExpiryCycle(keyspace);
            assertThat(cycle.isEnabled()).isTrue();
            assertThat(cycle.run(Long.MAX_VALUE)).isEqualTo(102);

            // Removed without any read: DBSIZE already reflects it.
            assertThat(keyspace.db(0).size()).isEqualTo(1);
            assertThat(keyspace.db(2).size()).isEqualTo(1);
            assertThat(keyspace.db(3).size()).isEqualTo(1);
            assertThat(strings(keyspace.db(0).keys())).containsExactly("d0:later");
            assertThat(strings(keyspace.db(3).keys())).containsExactly("d3:later");
            assertThat(keyspace.stats().expiredKeys).isEqualTo(102);
            assertThat(log.events).hasSize(102).allMatch(e -> e.startsWith("delete "));
            assertThat(log.events).contains("delete 2 d2:due", "delete 3 d3:due");

            assertThat(cycle.run(Long.MAX_VALUE)).isZero();
        }

        @Test
        void doesNothingWhenDisabled() {
            keyspace.db(0).set(b("a"), b("v"), T0 + 10);
            keyspace.db(1).set(b("b"), b("v"), T0 + 10);
            now = T0 + 10;
            ActiveExpiryCycle cycle = new ActiveExpiryCycle(keyspace);
            cycle.setEnabled(false);
            assertThat(cycle.isEnabled()).isFalse();
            assertThat(cycle.run(Long.MAX_VALUE)).isZero();
            assertThat(keyspace.size()).isEqualTo(2);
            assertThat(keyspace.stats().expiredKeys).isZero();

            cycle.setEnabled(true);
            assertThat(cycle.run(Long.MAX_VALUE)).isEqualTo(2);
            assertThat(keyspace.size()).isZero();
        }
    }
}
