package dev.panda.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panda.store.value.Encoding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The list and sorted-set store operations against plain Java models, through random
 * operation sequences with small encoding limits so that nodes split, empty and convert:
 * {@link Lists} and {@link QuickList} against a linked list, {@link Zsets},
 * {@link ScoreTree} and {@link ZsetReader} against a sorted map.
 */
class ListsAndZsetsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(Slice slice) {
        return new String(slice.array, slice.offset, slice.length, StandardCharsets.UTF_8);
    }

    private static List<String> contents(Database db, byte[] key) {
        ListReader r = new ListReader();
        List<String> out = new ArrayList<>();
        if (db.lists().read(key, r) != Status.OK) {
            return out;
        }
        Slice slice = new Slice();
        if (r.size() > 0) {
            r.seek(0, true);
            while (r.next(slice)) {
                out.add(s(slice));
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {-2, 3, 128})
    void listOperationsMatchALinkedList(int sizeLimit) {
        Keyspace keyspace = new Keyspace(1, () -> 0L);
        keyspace.limits().listMaxListpackSize = sizeLimit;
        Database db = keyspace.db(0);
        byte[] key = b("l");
        LinkedList<String> model = new LinkedList<>();
        Random random = new Random(sizeLimit + 7);
        Count count = new Count();
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            String v = random.nextInt(4) == 0 ? Integer.toString(random.nextInt(50)) : "v" + random.nextInt(60) + "x".repeat(random.nextInt(3) * 20);
            switch (op) {
                case 0, 1 -> {
                    boolean head = random.nextBoolean();
                    int n = 1 + random.nextInt(5);
                    byte[][] items = new byte[n][];
                    for (int i = 0; i < n; i++) {
                        items[i] = b(v + i);
                        if (head) {
                            model.addFirst(v + i);
                        } else {
                            model.addLast(v + i);
                        }
                    }
                    db.lists().push(key, head, items, 0, n, count);
                    assertEquals(model.size(), count.value);
                }
                case 2 -> {
                    boolean head = random.nextBoolean();
                    int n = 1 + random.nextInt(4);
                    List<byte[]> out = new ArrayList<>();
                    db.lists().pop(key, head, n, out);
                    for (byte[] got : out) {
                        assertEquals(head ? model.removeFirst() : model.removeLast(), new String(got, StandardCharsets.UTF_8));
                    }
                }
                case 3 -> {
                    if (!model.isEmpty()) {
                        int i = random.nextInt(model.size());
                        db.lists().set(key, i, b(v), count);
                        model.set(i, v);
                    }
                }
                case 4 -> {
                    if (!model.isEmpty()) {
                        int i = random.nextInt(model.size() + 1);
                        db.lists().insertAt(key, i, b(v));
                        model.add(i, v);
                    }
                }
                case 5 -> {
                    long c = random.nextInt(5) - 2;
                    db.lists().remove(key, c, b(v), count);
                    long removed = 0;
                    if (c >= 0) {
                        for (var it = model.iterator(); it.hasNext() && (c == 0 || removed < c); ) {
                            if (it.next().equals(v)) {
                                it.remove();
                                removed++;
                            }
                        }
                    } else {
                        for (var it = model.descendingIterator(); it.hasNext() && removed < -c; ) {
                            if (it.next().equals(v)) {
                                it.remove();
                                removed++;
                            }
                        }
                    }
                    assertEquals(removed, count.value);
                }
                case 6 -> {
                    if (random.nextInt(20) == 0 && !model.isEmpty()) {
                        int start = random.nextInt(model.size());
                        int stop = start + random.nextInt(model.size());
                        db.lists().trim(key, start, stop);
                        List<String> kept = new ArrayList<>(model.subList(start, Math.min(stop + 1, model.size())));
                        model.clear();
                        model.addAll(kept);
                    }
                }
                default -> {
                    if (!model.isEmpty()) {
                        ListReader r = new ListReader();
                        db.lists().read(key, r);
                        int i = random.nextInt(model.size());
                        Slice slice = new Slice();
                        boolean forward = random.nextBoolean();
                        r.seek(i, forward);
                        for (int k = 0; k < 5 && (forward ? i + k < model.size() : i - k >= 0); k++) {
                            assertTrue(r.next(slice));
                            assertEquals(model.get(forward ? i + k : i - k), s(slice));
                        }
                    }
                }
            }
            if (step % 500 == 0) {
                assertEquals(model, contents(db, key), "step " + step);
            }
            assertEquals(model.isEmpty(), !db.exists(key));
            if (!model.isEmpty()) {
                assertEquals(Encoding.QUICKLIST, db.encoding(key));
            }
        }
        assertEquals(model, contents(db, key));
    }

    private static final Comparator<String[]> ORDER = (x, y) -> {
        int c = Double.compare(Double.parseDouble(x[1]), Double.parseDouble(y[1]));
        return c != 0 ? c : x[0].compareTo(y[0]);
    };

    @ParameterizedTest
    @ValueSource(ints = {128, 4})
    void sortedSetOperationsMatchASortedMap(int maxEntries) {
        Keyspace keyspace = new Keyspace(1, () -> 0L);
        keyspace.limits().zsetMaxListpackEntries = maxEntries;
        Database db = keyspace.db(0);
        byte[] key = b("z");
        TreeMap<String, Double> model = new TreeMap<>();
        Random random = new Random(maxEntries);
        Zsets.AddResult result = new Zsets.AddResult();
        Count count = new Count();
        ZsetReader r = new ZsetReader();
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(6);
            int universe = step < 10_000 ? 400 : 60;
            String m = "m" + random.nextInt(universe);
            double score = random.nextInt(4) == 0 ? random.nextInt(10) : random.nextGaussian() * 100;
            switch (op) {
                case 0, 1, 2 -> {
                    db.zsets().add(key, 0, new byte[][] {b(m)}, new double[] {score}, 1, result);
                    assertEquals(model.containsKey(m) ? 0 : 1, result.added);
                    model.put(m, score);
                }
                case 3 -> {
                    db.zsets().remove(key, new byte[][] {b(m)}, 0, 1, count);
                    assertEquals(model.remove(m) != null ? 1 : 0, count.value);
                }
                case 4 -> {
                    if (!model.isEmpty()) {
                        int n = model.size();
                        long lo = random.nextInt(n);
                        long hi = Math.min(n, lo + 1 + random.nextInt(3));
                        List<String[]> sorted = sorted(model);
                        List<byte[]> members = new ArrayList<>();
                        List<Double> scores = new ArrayList<>();
                        db.zsets().removeRanks(key, lo, hi, false, members, scores);
                        for (int i = (int) lo; i < hi; i++) {
                            assertEquals(sorted.get(i)[0], new String(members.get(i - (int) lo), StandardCharsets.UTF_8));
                            model.remove(sorted.get(i)[0]);
                        }
                    }
                }
                default -> {
                    if (db.zsets().read(key, r) == Status.OK) {
                        List<String[]> sorted = sorted(model);
                        assertEquals(sorted.size(), r.size());
                        int i = random.nextInt(sorted.size());
                        assertEquals(i, r.rank(b(sorted.get(i)[0])));
                        assertTrue(r.find(b(sorted.get(i)[0])));
                        assertEquals(Double.parseDouble(sorted.get(i)[1]), r.score);
                        double bound = Double.parseDouble(sorted.get(i)[1]);
                        long below = sorted.stream().filter(e -> Double.parseDouble(e[1]) < bound).count();
                        assertEquals(below, r.countBefore((sc, a, off, len) -> sc < bound));
                        boolean forward = random.nextBoolean();
                        r.seek(i, forward);
                        for (int k = 0; k < 4 && (forward ? i + k < sorted.size() : i - k >= 0); k++) {
                            assertTrue(r.next());
                            assertEquals(sorted.get(forward ? i + k : i - k)[0], s(r.member));
                        }
                    }
                }
            }
            assertEquals(model.isEmpty(), !db.exists(key));
        }
        if (!model.isEmpty()) {
            assertEquals(model.size() > maxEntries ? Encoding.SKIPLIST : db.encoding(key), db.encoding(key));
        }
    }

    private static List<String[]> sorted(TreeMap<String, Double> model) {
        List<String[]> out = new ArrayList<>();
        model.forEach((k, v) -> out.add(new String[] {k, Double.toString(v)}));
        out.sort(ORDER);
        return out;
    }

    @Test
    void scoreTreeRanksAMillionEntriesInOrder() {
        ScoreTree tree = new ScoreTree();
        Random random = new Random(1);
        int n = 200_000;
        List<byte[]> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] e = ScoreTree.entry(b("m" + i), 0, ("m" + i).length(), random.nextInt(1000));
            all.add(e);
            tree.insert(e);
        }
        all.sort(ScoreTree::compare);
        assertEquals(n, tree.size());
        for (int i = 0; i < n; i += 997) {
            assertEquals(i, tree.rank(all.get(i)));
            ScoreTree.Walk w = new ScoreTree.Walk();
            tree.seek(i, w);
            assertTrue(w.current() == all.get(i));
        }
        for (int i = 0; i < n; i += 2) {
            assertTrue(tree.remove(all.get(i)));
        }
        assertEquals(n / 2, tree.size());
        ScoreTree.Walk w = new ScoreTree.Walk();
        tree.seek(0, w);
        for (int i = 1; i < n; i += 2) {
            assertTrue(w.current() == all.get(i));
            w.forward();
        }
        assertEquals(null, w.current());
    }

    /** A snapshot's image keeps a large list as it was while pushes and pops write nodes in place. */
    @Test
    void aSnapshotSeesTheListAsItWasWhileNodesChangeInPlace() {
        Keyspace keyspace = new Keyspace(1, () -> 0L);
        Database db = keyspace.db(0);
        byte[] key = b("l");
        Count count = new Count();
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            db.lists().push(key, false, new byte[][] {b("e" + i)}, 0, 1, count);
            before.add("e" + i);
        }
        int epoch = keyspace.snapshots().begin();
        DatabaseImage image = db.freeze(epoch);
        List<byte[]> popped = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            db.lists().push(key, i % 2 == 0, new byte[][] {b("new" + i)}, 0, 1, count);
            db.lists().pop(key, i % 3 == 0, 1, popped);
        }
        assertTrue(image.advance());
        ElementCursor cursor = image.elements();
        List<String> seen = new ArrayList<>();
        while (cursor.next()) {
            seen.add(new String(cursor.array(), cursor.offset(), cursor.length(), StandardCharsets.UTF_8));
        }
        assertEquals(before, seen);
        image.release();
        keyspace.snapshots().end(epoch);
        assertEquals(1000, contents(db, key).size());
    }
}
