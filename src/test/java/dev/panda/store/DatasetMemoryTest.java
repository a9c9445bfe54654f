package dev.panda.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panda.store.value.StreamId;
import dev.panda.store.value.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The dataset's memory count ({@link Keyspace#datasetBytes}), kept as entries change, against
 * the same figure recounted from scratch after every command of a seeded random mix of every
 * type, large and packed encodings, deadlines, renames, copies, moves, flushes and evictions:
 * the incremental count must never drift.
 */
class DatasetMemoryTest {
    private long now = 1_700_000_000_000L;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** What the count should be, walked entry by entry. */
    private static long recount(Keyspace ks) {
        long bytes = 0;
        for (int i = 0; i < ks.databaseCount(); i++) {
            Database db = ks.db(i);
            KeyTable t = db.table();
            long[] entries = {0};
            t.forEach(e -> entries[0] += HeapSizes.entry(e) + (e instanceof LargeValue l ? l.dataBytes() : 0));
            bytes += 40 + HeapSizes.refs(t.capacity()) + entries[0] + db.expiresOverheadBytes();
        }
        return bytes;
    }

    @Test
    void incrementalCountEqualsRecountAfterEveryCommand() {
        Keyspace ks = new Keyspace(3, () -> now);
        Random rnd = new Random(18);
        Evictor evictor = new Evictor(ks);
        evictor.setPolicy(Evictor.Policy.ALLKEYS_LRU);
        for (int step = 0; step < 6000; step++) {
            now += 7;
            Database db = ks.db(rnd.nextInt(3));
            byte[] key = b("k" + rnd.nextInt(40));
            ks.startCommand();
            try {
                int op = rnd.nextInt(16);
                ValueType type = db.type(key);
                switch (op) {
                    case 0 -> db.strings().set(key, b("v".repeat(rnd.nextInt(200))), rnd.nextBoolean() ? -1 : now + 100_000);
                    case 1 -> {
                        if (type == null || type == ValueType.HASH) {
                            int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 700 : 5);
                            byte[][] items = new byte[2 * n][];
                            for (int i = 0; i < n; i++) {
                                items[2 * i] = b("f" + rnd.nextInt(1000));
                                items[2 * i + 1] = b("x".repeat(rnd.nextInt(rnd.nextInt(10) == 0 ? 100 : 10)));
                            }
                            db.hashes().set(key, items, 0, items.length, new Count());
                        }
                    }
                    case 2 -> {
                        if (type == ValueType.HASH) {
                            byte[][] fields = {b("f" + rnd.nextInt(1000)), b("f" + rnd.nextInt(1000))};
                            db.hashes().delete(key, fields, 0, 2, new Count());
                        }
                    }
                    case 3 -> {
                        if (type == null || type == ValueType.LIST) {
                            int n = 1 + rnd.nextInt(300);
                            byte[][] items = new byte[n][];
                            for (int i = 0; i < n; i++) {
                                items[i] = b("e".repeat(rnd.nextInt(80)));
                            }
                            db.lists().push(key, rnd.nextBoolean(), items, 0, n, new Count());
                        }
                    }
                    case 4 -> {
                        if (type == ValueType.LIST) {
                            db.lists().pop(key, rnd.nextBoolean(), 1 + rnd.nextInt(200), new ArrayList<>());
                        }
                    }
                    case 5 -> {
                        if (type == null || type == ValueType.SET) {
                            int n = 1 + rnd.nextInt(600);
                            byte[][] m = new byte[n][];
                            for (int i = 0; i < n; i++) {
                                m[i] = rnd.nextBoolean() ? b(Integer.toString(rnd.nextInt(5000))) : b("m" + rnd.nextInt(5000));
                            }
                            db.sets().add(key, m, 0, n, new Count());
                        }
                    }
                    case 6 -> {
                        if (type == ValueType.SET) {
                            byte[][] m = {b("m" + rnd.nextInt(5000)), b(Integer.toString(rnd.nextInt(5000)))};
                            db.sets().remove(key, m, 0, 2, new Count());
                        }
                    }
                    case 7 -> {
                        if (type == null || type == ValueType.ZSET) {
                            int n = 1 + rnd.nextInt(300);
                            byte[][] m = new byte[n][];
                            double[] sc = new double[n];
                            for (int i = 0; i < n; i++) {
                                m[i] = b("z" + rnd.nextInt(2000));
                                sc[i] = rnd.nextInt(100);
                            }
                            db.zsets().add(key, 0, m, sc, n, new Zsets.AddResult());
                        }
                    }
                    case 8 -> {
                        if (type == ValueType.ZSET) {
                            byte[][] m = {b("z" + rnd.nextInt(2000))};
                            db.zsets().remove(key, m, 0, 1, new Count());
                        }
                    }
                    case 9 -> {
                        if (type == null || type == ValueType.STREAM) {
                            byte[][] fv = {b("field"), b("value".repeat(rnd.nextInt(5)))};
                            db.streams().add(key, new StreamId(now, step), fv, 0, 2);
                        }
                    }
                    case 10 -> db.expireAt(key, rnd.nextBoolean() ? now + 50_000 : now + rnd.nextInt(30));
                    case 11 -> db.persist(key);
                    case 12 -> db.rename(key, b("k" + rnd.nextInt(40)));
                    case 13 -> db.copy(key, ks.db(rnd.nextInt(3)), b("k" + rnd.nextInt(40)), rnd.nextBoolean());
                    case 14 -> {
                        if (rnd.nextInt(50) == 0) {
                            db.flush();
                        } else if (rnd.nextInt(20) == 0) {
                            ks.swap(0, 1);
                        } else {
                            db.move(key, ks.db(rnd.nextInt(3)));
                        }
                    }
                    default -> {
                        if (rnd.nextBoolean()) {
                            db.delete(key);
                        } else {
                            evictor.evictOne();
                        }
                    }
                }
            } finally {
                ks.endCommand();
            }
            assertThat(ks.datasetBytes()).as("step %d", step).isEqualTo(recount(ks));
        }
        assertThat(ks.stats().evictedKeys).isPositive();
    }
}
