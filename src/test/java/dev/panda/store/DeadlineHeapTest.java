package dev.panda.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeadlineHeapTest {

    private record Entry(long deadline, String key) { }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void emptyHeap() {
        DeadlineHeap heap = new DeadlineHeap();
        assertThat(heap.size()).isZero();
        assertThat(heap.peekDeadline()).isEqualTo(Long.MAX_VALUE);
        assertThat(heap.peekKey()).isNull();
        heap.pop(); // no-op
        assertThat(heap.size()).isZero();
    }

    @Test
    void popsInDeadlineOrder() {
        DeadlineHeap heap = new DeadlineHeap();
        heap.add(30, b("c"));
        heap.add(10, b("a"));
        heap.add(20, b("b"));
        assertThat(heap.size()).isEqualTo(3);
        assertThat(heap.peekDeadline()).isEqualTo(10);
        assertThat(s(heap.peekKey())).isEqualTo("a");
        heap.pop();
        assertThat(heap.peekDeadline()).isEqualTo(20);
        assertThat(s(heap.peekKey())).isEqualTo("b");
        heap.pop();
        assertThat(s(heap.peekKey())).isEqualTo("c");
        heap.pop();
        assertThat(heap.size()).isZero();
        assertThat(heap.peekDeadline()).isEqualTo(Long.MAX_VALUE);
        assertThat(heap.peekKey()).isNull();
    }

    /** Random deadlines (with duplicates) against a sorted model, interleaving adds and pops. */
    @Test
    void randomOperationsMatchSortedModel() {
        Random random = new Random(1234);
        DeadlineHeap heap = new DeadlineHeap();
        List<Entry> model = new ArrayList<>();
        Comparator<Entry> byDeadline = Comparator.comparingLong(Entry::deadline);
        for (int op = 0; op < 50_000; op++) {
            if (random.nextInt(100) < 60 || model.isEmpty()) {
                // Narrow range on some ops so equal deadlines are common.
                long deadline = random.nextBoolean() ? random.nextInt(100) : random.nextLong(Long.MAX_VALUE - 1);
                String key = "k" + op;
                heap.add(deadline, b(key));
                model.add(new Entry(deadline, key));
            } else {
                model.sort(byDeadline);
                Entry first = model.get(0);
                assertThat(heap.peekDeadline()).isEqualTo(first.deadline());
                byte[] key = heap.peekKey();
                // With equal deadlines any of the tied keys may come first.
                Entry popped = model.stream()
                        .filter(e -> e.deadline() == first.deadline() && e.key().equals(s(key)))
                        .findFirst().orElseThrow(() -> new AssertionError("heap top " + s(key) + " not among the earliest"));
                model.remove(popped);
                heap.pop();
            }
            assertThat(heap.size()).isEqualTo(model.size());
        }
        // Drain: the remaining deadlines come out sorted.
        model.sort(byDeadline);
        List<Long> drained = new ArrayList<>();
        List<String> drainedKeys = new ArrayList<>();
        while (heap.size() > 0) {
            drained.add(heap.peekDeadline());
            drainedKeys.add(s(heap.peekKey()));
            heap.pop();
        }
        assertThat(drained).isEqualTo(model.stream().map(Entry::deadline).toList());
        assertThat(drainedKeys).containsExactlyInAnyOrderElementsOf(model.stream().map(Entry::key).toList());
    }

    @Test
    void keysStayPairedWithTheirDeadlines() {
        Random random = new Random(99);
        DeadlineHeap heap = new DeadlineHeap();
        for (int i = 0; i < 5_000; i++) {
            long d = random.nextInt(1_000_000);
            heap.add(d, b(Long.toString(d)));
        }
        long previous = Long.MIN_VALUE;
        while (heap.size() > 0) {
            long d = heap.peekDeadline();
            assertThat(s(heap.peekKey())).isEqualTo(Long.toString(d));
            assertThat(d).isGreaterThanOrEqualTo(previous);
            previous = d;
            heap.pop();
        }
    }

    @Test
    void clearEmptiesTheHeap() {
        DeadlineHeap heap = new DeadlineHeap();
        for (int i = 0; i < 100; i++) {
            heap.add(i, b("k" + i));
        }
        heap.clear();
        assertThat(heap.size()).isZero();
        assertThat(heap.peekDeadline()).isEqualTo(Long.MAX_VALUE);
        heap.add(5, b("x"));
        assertThat(heap.peekDeadline()).isEqualTo(5);
    }

    @Test
    void isMostlyStaleOnlyForLargeHeapsWithMoreThanTwiceTheLiveEntries() {
        DeadlineHeap heap = new DeadlineHeap();
        for (int i = 0; i < 1024; i++) {
            heap.add(i, b("k" + i));
        }
        // Small heaps are never worth rebuilding, however stale.
        assertThat(heap.isMostlyStale(0)).isFalse();
        heap.add(2000, b("x"));
        assertThat(heap.size()).isEqualTo(1025);
        assertThat(heap.isMostlyStale(0)).isTrue();
        assertThat(heap.isMostlyStale(512)).isTrue();
        assertThat(heap.isMostlyStale(513)).isFalse(); // 1025 <= 2 * 513
        assertThat(heap.isMostlyStale(1025)).isFalse();
        for (int i = 0; i < 2000; i++) {
            heap.add(3000 + i, b("y" + i));
        }
        assertThat(heap.size()).isEqualTo(3025);
        assertThat(heap.isMostlyStale(1513)).isFalse(); // 3025 <= 3026
        assertThat(heap.isMostlyStale(1512)).isTrue(); // 3025 > 3024
    }
}
