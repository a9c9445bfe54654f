package dev.panda.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The open-addressing table under collections (and, with a header prefix, the keyspace): growth
 * and shrinking, SCAN's guarantee across resizes, uniform random entries, independent copies,
 * and the point-in-time images snapshots read while the owner writes.
 */
class KeyTableTest {
    private final SnapshotEpoch epochs = new SnapshotEpoch();

    private static byte[] member(String s) {
        byte[] m = s.getBytes(StandardCharsets.UTF_8);
        return Sets.memberEntry(m, 0, m.length);
    }

    private static String name(Object entry) {
        byte[] e = (byte[]) entry;
        int len = Entry.readVarint(e, 0);
        return new String(e, Entry.varintLength(len), len, StandardCharsets.UTF_8);
    }

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Set<String> imageContents(TableImage image) {
        Set<String> out = new TreeSet<>();
        Object[] page = new Object[TableImage.PAGE_SLOTS];
        for (int p = 0; p < image.pages(); p++) {
            int n = image.readPage(p, page);
            for (int i = 0; i < n; i++) {
                if (page[i] != null) {
                    out.add(name(page[i]));
                }
            }
        }
        return out;
    }

    /** DEBUG HTSTATS's figures add up: every slot is some chain's home, every entry in one chain. */
    @Test
    void statsCountEntriesByHomeSlot() {
        KeyTable t = new KeyTable(epochs, 0);
        assertThat(t.stats().size()).isZero();
        for (int i = 0; i < 3000; i++) {
            t.put(member("m" + i));
        }
        KeyTable.Stats s = t.stats();
        assertThat(s.capacity()).isEqualTo(t.capacity());
        assertThat(s.size()).isEqualTo(3000);
        long slots = 0;
        long entries = 0;
        for (int n = 0; n < s.chains().length; n++) {
            slots += s.chains()[n];
            entries += (long) n * s.chains()[n];
        }
        assertThat(slots).isEqualTo(s.capacity());
        assertThat(s.homes()).isEqualTo(s.capacity() - s.chains()[0]);
        assertThat(entries).as("no chain of 49 or more in a table at most 3/4 full").isEqualTo(3000);
        assertThat(s.maxChain()).isBetween(2, KeyTable.STATS_VECTOR - 2);
        assertThat(s.maxProbe()).isPositive().isLessThan(s.capacity());
    }

    @Test
    void growsShrinksAndFindsEveryEntry() {
        KeyTable t = new KeyTable(epochs, 0);
        for (int i = 0; i < 10_000; i++) {
            assertThat(t.put(member("m" + i))).isNull();
        }
        assertThat(t.put(member("m5"))).isNotNull(); // a replacement returns the old entry
        assertThat(t.size()).isEqualTo(10_000);
        assertThat(t.capacity()).isGreaterThan(10_000);
        for (int i = 0; i < 10_000; i += 2) {
            assertThat(t.remove(key("m" + i))).isNotNull();
        }
        assertThat(t.remove(key("m0"))).isNull();
        for (int i = 0; i < 10_000; i++) {
            assertThat(t.get(key("m" + i)) != null).as("m%d", i).isEqualTo(i % 2 == 1);
        }
        t.fitToSize();
        assertThat(t.size()).isEqualTo(5_000);
        assertThat(t.capacity()).isLessThan(16_384);
        for (int i = 1; i < 10_000; i += 2) {
            assertThat(t.get(key("m" + i))).isNotNull();
        }
    }

    @Test
    void scanReturnsEveryEntryPresentThroughoutWhileTheTableResizes() {
        KeyTable t = new KeyTable(epochs, 0);
        for (int i = 0; i < 500; i++) {
            t.insertAbsent(member("stay" + i));
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int step = 0;
        do {
            cursor = t.scan(cursor, 7, e -> seen.add(name(e)));
            step++;
            if (step == 5) {
                for (int i = 0; i < 5000; i++) { // grow
                    t.insertAbsent(member("more" + i));
                }
            } else if (step == 40) {
                for (int i = 0; i < 5000; i++) { // and shrink back
                    t.remove(key("more" + i));
                }
                t.fitToSize();
            }
        } while (cursor != 0 && step < 100_000);
        assertThat(cursor).isZero();
        for (int i = 0; i < 500; i++) {
            assertThat(seen).contains("stay" + i);
        }
    }

    @Test
    void randomEntriesReachEveryEntry() {
        KeyTable t = new KeyTable(epochs, 0);
        for (int i = 0; i < 10; i++) {
            t.insertAbsent(member("m" + i));
        }
        SplittableRandom random = new SplittableRandom(7);
        Set<String> drawn = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            drawn.add(name(t.randomEntry(random)));
        }
        assertThat(drawn).hasSize(10);
    }

    @Test
    void aCopyIsIndependent() {
        KeyTable t = new KeyTable(epochs, 0);
        t.insertAbsent(member("a"));
        KeyTable c = t.copy();
        c.insertAbsent(member("b"));
        t.remove(key("a"));
        assertThat(t.size()).isZero();
        assertThat(c.size()).isEqualTo(2);
        assertThat(c.get(key("a"))).isNotNull();
    }

    @Test
    void theImageOfACollectionIsItsStateWhenTheSnapshotStarted() {
        KeyTable written = new KeyTable(epochs, 0);
        KeyTable readFirst = new KeyTable(epochs, 0);
        KeyTable untouched = new KeyTable(epochs, 0);
        for (int i = 0; i < 3000; i++) { // several pages
            written.insertAbsent(member("m" + i));
            readFirst.insertAbsent(member("m" + i));
            untouched.insertAbsent(member("m" + i));
        }
        int epoch = epochs.begin();
        // The owner writes first: the image is taken then, and pages are copied as they change.
        written.prepareWrite();
        written.remove(key("m0"));
        written.insertAbsent(member("new"));
        for (int i = 3000; i < 6000; i++) { // forces a resize too
            written.prepareWrite();
            written.insertAbsent(member("m" + i));
        }
        // The snapshot reads first: changes after that do not show in its image.
        TableImage early = readFirst.imageFor(epoch);
        readFirst.prepareWrite();
        readFirst.remove(key("m1"));
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < 3000; i++) {
            expected.add("m" + i);
        }
        assertThat(imageContents(written.imageFor(epoch))).isEqualTo(expected);
        assertThat(imageContents(early)).isEqualTo(expected);
        assertThat(readFirst.imageFor(epoch)).isSameAs(early);
        assertThat(imageContents(untouched.imageFor(epoch))).isEqualTo(expected);
        epochs.end(epoch);
        assertThat(written.size()).isEqualTo(6000);
        assertThat(written.get(key("m0"))).isNull();
        assertThat(readFirst.get(key("m1"))).isNull();
    }
}
