package dev.panda.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyTableTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Every entry the table holds, by visiting it (independent of get). */
    private static Map<String, Object> contents(KeyTable t) {
        Map<String, Object> all = new HashMap<>();
        t.forEach((k, v) -> assertThat(all.put(s(k), v)).as("duplicate key %s", s(k)).isNull());
        return all;
    }

    @Test
    void aLoadReservesOnceInsertsWithoutLookupsAndGivesBackWhatItOverestimated() {
        KeyTable t = new KeyTable();
        t.reserve(1000);
        assertThat(t.capacity()).isEqualTo(2048); // 1000 at most 3/4 full
        Map<String, Object> expected = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            t.insertAbsent(b("k" + i), "v" + i, 7);
            expected.put("k" + i, "v" + i);
        }
        assertThat(t.capacity()).isEqualTo(2048);
        t.fitToSize();
        assertThat(t.capacity()).isEqualTo(512); // what growth from empty reaches for 300
        assertThat(contents(t)).isEqualTo(expected);
        for (int i = 0; i < 300; i++) {
            assertThat(t.get(b("k" + i))).isEqualTo("v" + i);
            assertThat(t.lastAccess(b("k" + i))).isEqualTo(7);
        }
        // Beyond the reservation it still grows, and ordinary puts find what was inserted.
        for (int i = 300; i < 5000; i++) {
            t.insertAbsent(b("k" + i), "v" + i, 0);
        }
        assertThat(t.put(b("k4999"), "new", 0)).isEqualTo("v4999");
        assertThat(t.size()).isEqualTo(5000);
        assertThat(t.remove(b("k0"))).isEqualTo("v0");
        assertThat(t.get(b("k1"))).isEqualTo("v1");
    }

    /** Everything an image holds, read page by page (each page once). */
    private static Map<String, Object> read(TableImage image, int fromPage, int toPage, Map<String, Object> into) {
        byte[][] keys = new byte[TableImage.PAGE_SLOTS][];
        Object[] values = new Object[TableImage.PAGE_SLOTS];
        for (int p = fromPage; p < toPage; p++) {
            int n = image.readPage(p, keys, values);
            for (int i = 0; i < n; i++) {
                if (keys[i] != null) {
                    assertThat(into.put(s(keys[i]), values[i])).as("duplicate key %s", s(keys[i])).isNull();
                }
            }
        }
        return into;
    }

    /** Random overwrites, inserts (growth) and deletes (backward shifts, shrinking). */
    private static void churn(KeyTable t, Random random, int operations, int keys, int[] fresh) {
        for (int n = 0; n < operations; n++) {
            int op = random.nextInt(10);
            if (op < 4) {
                t.put(b("k" + random.nextInt(keys)), "changed" + n, 0);
            } else if (op < 7) {
                t.remove(b("k" + random.nextInt(keys)));
            } else {
                t.put(b("new" + fresh[0]++), "v", 0);
            }
        }
    }

    @Test
    void anImageKeepsTheEntriesAsTheyWereWhileTheTableChangesGrowsAndShrinks() {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            KeyTable t = new KeyTable();
            for (int i = 0; i < 5000; i++) {
                t.put(b("k" + i), "v" + i, 0);
            }
            for (int i = 0; i < 1500; i++) {
                t.remove(b("k" + random.nextInt(5000)));
            }
            Map<String, Object> atFreeze = contents(t);
            TableImage image = t.freeze();
            assertThat(image.size()).isEqualTo(atFreeze.size());
            Map<String, Object> seen = new HashMap<>();
            int[] fresh = {0};
            int capacity = t.capacity();
            boolean resized = false;
            for (int page = 0; page < image.pages(); ) {
                int to = Math.min(image.pages(), page + 1 + random.nextInt(3));
                read(image, page, to, seen);
                page = to;
                // Between pages: changes that hit pages read and unread, sometimes enough to resize.
                churn(t, random, random.nextInt(300), 5000, fresh);
                if (seed % 2 == 1) {
                    for (int n = 0; n < 1000; n++) {
                        t.put(b("new" + fresh[0]++), "v", 0); // growth: the image's arrays are left behind
                    }
                }
                resized |= t.capacity() != capacity;
            }
            assertThat(seen).as("seed %d", seed).isEqualTo(atFreeze);
            if (seed % 2 == 1) {
                assertThat(resized).as("seed %d resized during the read", seed).isTrue();
            }
            t.release(image);
            assertThat(contents(t)).as("the table itself changed").isNotEqualTo(atFreeze);
        }
    }

    @Test
    void anImageReadOnAnotherThreadWhileTheOwnerWritesIsThePointInTimeState() throws Exception {
        for (long seed = 1; seed <= 30; seed++) {
            Random random = new Random(seed);
            KeyTable t = new KeyTable();
            for (int i = 0; i < 40_000; i++) {
                t.put(b("k" + i), "v" + i, 0);
            }
            // 65536 slots (64 pages); the churn below stays between 1/8 and 3/4 full: no resize.
            Map<String, Object> atFreeze = contents(t);
            int capacity = t.capacity();
            TableImage image = t.freeze();
            java.util.concurrent.CompletableFuture<Map<String, Object>> reader = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> read(image, 0, image.pages(), new HashMap<>()));
            int[] fresh = {0};
            while (!reader.isDone()) {
                churn(t, random, 50, 40_000, fresh);
                if (t.size() > 45_000) {
                    for (int i = 0; i < fresh[0]; i++) {
                        t.remove(b("new" + i));
                    }
                }
            }
            assertThat(reader.get()).as("seed %d", seed).isEqualTo(atFreeze);
            assertThat(t.capacity()).as("pages were copied, not left behind by a resize").isEqualTo(capacity);
            t.release(image);
        }
    }

    @Test
    void aReaderOvertakenByTheOwnerMidPageUsesTheOwnersCopyNotItsOwn() {
        KeyTable t = new KeyTable();
        for (int i = 0; i < 3000; i++) {
            t.put(b("k" + i), "v" + i, 0);
        }
        Map<String, Object> atFreeze = contents(t);
        TableImage image = t.freeze();
        byte[][] keys = new byte[TableImage.PAGE_SLOTS][];
        Object[] values = new Object[TableImage.PAGE_SLOTS];
        Map<String, Object> seen = new HashMap<>();
        for (int p = 0; p < image.pages(); p++) {
            // While the reader holds its claim, the owner changes every key (so every page).
            int n = image.readPage(p, keys, values, () -> {
                for (int i = 0; i < 3000; i++) {
                    t.put(b("k" + i), "changed", 0);
                }
            });
            for (int i = 0; i < n; i++) {
                if (keys[i] != null) {
                    seen.put(s(keys[i]), values[i]);
                }
            }
        }
        assertThat(seen).isEqualTo(atFreeze);
    }

    @Test
    void anImageReadsAsATableForLookups() {
        KeyTable t = new KeyTable();
        for (int i = 0; i < 3000; i++) {
            t.put(b("k" + i), (long) i, 0);
        }
        TableImage image = t.freeze();
        for (int i = 0; i < 3000; i += 2) {
            t.remove(b("k" + i));
        }
        t.put(b("k1"), 99L, 0);
        KeyTable copy = image.toTable();
        assertThat(copy.size()).isEqualTo(3000);
        for (int i = 0; i < 3000; i++) {
            assertThat(copy.get(b("k" + i))).isEqualTo((long) i);
        }
        assertThat(copy.get(b("absent"))).isNull();
    }

    @Test
    void emptyTable() {
        KeyTable t = new KeyTable();
        assertThat(t.size()).isZero();
        assertThat(t.capacity()).isEqualTo(16);
        assertThat(t.get(b("a"))).isNull();
        assertThat(t.containsKey(b("a"))).isFalse();
        assertThat(t.remove(b("a"))).isNull();
        assertThat(t.lastAccess(b("a"))).isEqualTo(-1);
        assertThat(t.randomKey(new SplittableRandom(1))).isNull();
        assertThat(t.scan(0, 10, (k, v) -> { throw new AssertionError("nothing to scan"); })).isZero();
    }

    @Test
    void putGetRemove() {
        KeyTable t = new KeyTable();
        assertThat(t.put(b("a"), "1", 5)).isNull();
        assertThat(t.put(b("b"), "2", 6)).isNull();
        assertThat(t.size()).isEqualTo(2);
        // Lookups compare contents, not array identity.
        assertThat(t.get(b("a"))).isEqualTo("1");
        assertThat(t.get(b("b"))).isEqualTo("2");
        assertThat(t.containsKey(b("a"))).isTrue();
        assertThat(t.lastAccess(b("a"))).isEqualTo(5);

        assertThat(t.put(b("a"), "1b", 9)).isEqualTo("1");
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.get(b("a"))).isEqualTo("1b");
        assertThat(t.lastAccess(b("a"))).isEqualTo(9);

        assertThat(t.remove(b("a"))).isEqualTo("1b");
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.get(b("a"))).isNull();
        assertThat(t.containsKey(b("a"))).isFalse();
        assertThat(t.remove(b("a"))).isNull();
        assertThat(t.get(b("b"))).isEqualTo("2");
    }

    @Test
    void emptyKeyAndBinaryKeysAreDistinct() {
        KeyTable t = new KeyTable();
        t.put(new byte[0], "empty", 0);
        t.put(new byte[] {0}, "zero", 0);
        t.put(new byte[] {0, 0}, "zerozero", 0);
        t.put(new byte[] {(byte) 0xff, (byte) 0x80, 1, 2, 3}, "high", 0);
        assertThat(t.get(new byte[0])).isEqualTo("empty");
        assertThat(t.get(new byte[] {0})).isEqualTo("zero");
        assertThat(t.get(new byte[] {0, 0})).isEqualTo("zerozero");
        assertThat(t.get(new byte[] {(byte) 0xff, (byte) 0x80, 1, 2, 3})).isEqualTo("high");
        assertThat(t.get(new byte[] {(byte) 0xff, (byte) 0x80, 1, 2})).isNull();
        assertThat(t.size()).isEqualTo(4);
    }

    @Test
    void getAndTouchRecordsAccessUnlessNegative() {
        KeyTable t = new KeyTable();
        t.put(b("k"), "v", 10);
        assertThat(t.getAndTouch(b("k"), 20)).isEqualTo("v");
        assertThat(t.lastAccess(b("k"))).isEqualTo(20);
        assertThat(t.getAndTouch(b("k"), -1)).isEqualTo("v");
        assertThat(t.lastAccess(b("k"))).isEqualTo(20);
        assertThat(t.getAndTouch(b("missing"), 30)).isNull();
    }

    @Test
    void growsBeforeExceedingThreeQuartersAndShrinksBelowOneEighth() {
        KeyTable t = new KeyTable();
        for (int i = 0; i < 12; i++) {
            t.put(b("k" + i), i, 0);
        }
        assertThat(t.capacity()).isEqualTo(16); // 12/16 is exactly 3/4
        t.put(b("k12"), 12, 0);
        assertThat(t.capacity()).isEqualTo(32);

        for (int i = 13; i < 10_000; i++) {
            t.put(b("k" + i), i, 0);
            assertThat(t.size() * 4L).isLessThanOrEqualTo(t.capacity() * 3L);
        }
        int big = t.capacity();
        assertThat(big).isGreaterThanOrEqualTo(10_000 * 4 / 3);
        assertThat(Integer.bitCount(big)).isEqualTo(1);
        for (int i = 0; i < 10_000; i++) {
            assertThat(t.get(b("k" + i))).isEqualTo(i);
        }

        for (int i = 0; i < 9_990; i++) {
            assertThat(t.remove(b("k" + i))).isEqualTo(i);
            if (t.capacity() > 16) {
                assertThat(t.size() * 8L).as("shrinks once below 1/8 full").isGreaterThanOrEqualTo(t.capacity() / 2);
            }
        }
        assertThat(t.capacity()).isLessThan(big);
        assertThat(t.capacity()).isEqualTo(64); // 10 * 8 >= 64: shrinking further would be premature
        assertThat(t.size()).isEqualTo(10);
        for (int i = 9_990; i < 10_000; i++) {
            assertThat(t.get(b("k" + i))).isEqualTo(i);
        }
        for (int i = 9_990; i < 10_000; i++) {
            t.remove(b("k" + i));
        }
        assertThat(t.size()).isZero();
        assertThat(t.capacity()).isEqualTo(16);
    }

    @Test
    void accessClockSurvivesResize() {
        KeyTable t = new KeyTable();
        for (int i = 0; i < 1000; i++) {
            t.put(b("k" + i), i, i);
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(t.lastAccess(b("k" + i))).isEqualTo(i);
        }
        for (int i = 0; i < 990; i++) {
            t.remove(b("k" + i));
        }
        for (int i = 990; i < 1000; i++) {
            assertThat(t.lastAccess(b("k" + i))).isEqualTo(i);
        }
    }

    @Test
    void clearEmptiesAndResetsCapacity() {
        KeyTable t = new KeyTable();
        for (int i = 0; i < 100; i++) {
            t.put(b("k" + i), i, 0);
        }
        t.clear();
        assertThat(t.size()).isZero();
        assertThat(t.capacity()).isEqualTo(16);
        assertThat(t.get(b("k1"))).isNull();
        assertThat(contents(t)).isEmpty();
        t.put(b("x"), "y", 0);
        assertThat(t.get(b("x"))).isEqualTo("y");
    }

    /**
     * Random operations against a HashMap model. A small key space forces long probe runs, many
     * overwrites and many backward-shift deletions; the phases drive the table up and down through
     * several resizes.
     */
    @Test
    void randomOperationsMatchHashMapModel() {
        Random random = new Random(0x5eed);
        KeyTable t = new KeyTable();
        Map<String, Integer> model = new HashMap<>();
        int ops = 100_000;
        for (int op = 0; op < ops; op++) {
            // Phases: grow-heavy, delete-heavy, mixed; key space varies too.
            int phase = (op / 10_000) % 3;
            int keySpace = phase == 2 ? 64 : 3_000;
            int putPercent = phase == 0 ? 75 : phase == 1 ? 20 : 50;
            String key = "key:" + random.nextInt(keySpace);
            int r = random.nextInt(100);
            if (r < putPercent) {
                int value = random.nextInt();
                Object old = t.put(b(key), value, 0);
                assertThat(old).isEqualTo(model.put(key, value));
            } else if (r < putPercent + 15) {
                assertThat(t.get(b(key))).isEqualTo(model.get(key));
                assertThat(t.containsKey(b(key))).isEqualTo(model.containsKey(key));
            } else {
                assertThat(t.remove(b(key))).isEqualTo(model.remove(key));
            }
            assertThat(t.size()).isEqualTo(model.size());
            if (op % 5_000 == 0) {
                assertThat(contents(t)).isEqualTo(new HashMap<>(model));
                for (Map.Entry<String, Integer> e : model.entrySet()) {
                    assertThat(t.get(b(e.getKey()))).isEqualTo(e.getValue());
                }
            }
        }
        assertThat(contents(t)).isEqualTo(new HashMap<>(model));
        for (int i = 0; i < 3_000; i++) {
            String key = "key:" + i;
            assertThat(t.get(b(key))).as(key).isEqualTo(model.get(key));
        }
    }

    /** Keys chosen to collide on their home slot, so deletions must shift whole runs (with wrap-around). */
    @Test
    void backwardShiftDeletionWithCollidingKeys() {
        // Find keys that share a home bucket in a 16-slot table, and keys whose home is the last slot.
        List<byte[]> sameHome = new ArrayList<>();
        List<byte[]> lastSlot = new ArrayList<>();
        for (int i = 0; sameHome.size() < 5 || lastSlot.size() < 3; i++) {
            byte[] k = b("c" + i);
            int home = KeyTable.hash(k) & 15;
            if (home == 14 && sameHome.size() < 5) {
                sameHome.add(k);
            } else if (home == 15 && lastSlot.size() < 3) {
                lastSlot.add(k);
            }
        }
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            KeyTable t = new KeyTable();
            Map<String, Integer> model = new HashMap<>();
            List<byte[]> all = new ArrayList<>(sameHome);
            all.addAll(lastSlot);
            java.util.Collections.shuffle(all, random);
            for (int i = 0; i < all.size(); i++) {
                t.put(all.get(i), i, 0);
                model.put(s(all.get(i)), i);
            }
            assertThat(t.capacity()).isEqualTo(16); // 8 keys: no resize, runs wrap past slot 15
            java.util.Collections.shuffle(all, random);
            for (byte[] k : all) {
                assertThat(t.remove(k)).isEqualTo(model.remove(s(k)));
                assertThat(contents(t)).isEqualTo(model);
                for (String live : model.keySet()) {
                    assertThat(t.get(b(live))).as("%s after removing %s", live, s(k)).isEqualTo(model.get(live));
                }
            }
            assertThat(t.size()).isZero();
        }
    }

    @Test
    void fullScanReturnsEveryKeyExactlyOnceWhenTableIsStable() {
        KeyTable t = new KeyTable();
        for (int i = 0; i < 5_000; i++) {
            t.put(b("k" + i), i, 0);
        }
        List<String> seen = new ArrayList<>();
        long cursor = 0;
        int calls = 0;
        do {
            cursor = t.scan(cursor, 10, (k, v) -> seen.add(s(k)));
            calls++;
        } while (cursor != 0);
        assertThat(calls).isGreaterThan(1);
        assertThat(seen).hasSize(5_000).doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).isEqualTo(contents(t).keySet());
    }

    @Test
    void scanCountBoundsWorkPerCall() {
        KeyTable t = new KeyTable();
        for (int i = 0; i < 1_000; i++) {
            t.put(b("k" + i), i, 0);
        }
        List<String> batch = new ArrayList<>();
        long cursor = t.scan(0, 5, (k, v) -> batch.add(s(k)));
        assertThat(cursor).isNotZero();
        assertThat(batch).isNotEmpty();
        // A call stops after the bucket in which it reached count; one bucket holds few keys.
        assertThat(batch.size()).isLessThan(5 + 16);
    }

    /**
     * The SCAN guarantee: keys present for the whole iteration are returned at least once, even
     * though other keys are inserted and deleted between calls so the table grows and shrinks.
     */
    @Test
    void scanReturnsStableKeysDespiteGrowthAndShrink() {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            KeyTable t = new KeyTable();
            Set<String> stable = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                String k = "stable:" + seed + ":" + i;
                stable.add(k);
                t.put(b(k), i, 0);
            }
            List<String> transientKeys = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            Set<Integer> capacities = new HashSet<>();
            boolean grew = false;
            boolean shrank = false;
            long cursor = 0;
            int next = 0;
            do {
                int before = t.capacity();
                cursor = t.scan(cursor, 1 + random.nextInt(20), (k, v) -> seen.add(s(k)));
                // Between calls: either add a burst (growth) or delete most transient keys (shrink).
                if (random.nextInt(3) > 0 && transientKeys.size() < 20_000) {
                    int n = random.nextInt(3_000);
                    for (int i = 0; i < n; i++) {
                        String k = "tmp:" + seed + ":" + next++;
                        transientKeys.add(k);
                        t.put(b(k), -1, 0);
                    }
                } else {
                    java.util.Collections.shuffle(transientKeys, random);
                    int keep = transientKeys.size() / (2 + random.nextInt(20));
                    for (String k : transientKeys.subList(keep, transientKeys.size())) {
                        assertThat(t.remove(b(k))).isEqualTo(-1);
                    }
                    transientKeys = new ArrayList<>(transientKeys.subList(0, keep));
                }
                grew |= t.capacity() > before;
                shrank |= t.capacity() < before;
                capacities.add(t.capacity());
            } while (cursor != 0);
            assertThat(grew).as("seed %d grew", seed).isTrue();
            assertThat(shrank).as("seed %d shrank", seed).isTrue();
            assertThat(seen).as("seed %d", seed).containsAll(stable);
        }
    }

    @Test
    void randomKeyReturnsExistingKeys() {
        KeyTable t = new KeyTable();
        Set<String> live = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            t.put(b("k" + i), i, 0);
            live.add("k" + i);
        }
        for (int i = 0; i < 480; i++) {
            t.remove(b("k" + i));
            live.remove("k" + i);
        }
        SplittableRandom random = new SplittableRandom(42);
        Set<String> drawn = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            byte[] k = t.randomKey(random);
            assertThat(k).isNotNull();
            assertThat(live).contains(s(k));
            drawn.add(s(k));
        }
        // With 20 keys and 2000 draws every key comes up (probability of missing one is negligible).
        assertThat(drawn).isEqualTo(live);

        KeyTable single = new KeyTable();
        single.put(b("only"), 1, 0);
        assertThat(s(single.randomKey(random))).isEqualTo("only");
    }
}
