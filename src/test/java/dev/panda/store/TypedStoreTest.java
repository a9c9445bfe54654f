package dev.panda.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panda.store.value.Encoding;
import dev.panda.store.value.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The typed store without a server: the statuses its operations return, the one stream of effects
 * they emit (exactly one effect per change, in order), encodings and their conversions,
 * collections deleted when emptied, scans, point-in-time images for snapshots, and loading.
 */
class TypedStoreTest {
    private long now = 1_700_000_000_000L;
    private Keyspace keyspace;
    private Database db;
    private final List<String> effects = new ArrayList<>();

    @BeforeEach
    void setUp() {
        keyspace = new Keyspace(4, () -> now);
        db = keyspace.db(0);
        keyspace.setEffects(new Effects() {
            @Override
            public void beginCommand() {
                effects.add("begin");
            }

            @Override
            public void endCommand() {
                effects.add("end");
            }

            @Override
            public void setString(int d, byte[] key, byte[] value, int off, int len, long expireAtMs) {
                effects.add("set " + d + " " + s(key) + " " + new String(value, off, len, StandardCharsets.UTF_8) + " " + expireAtMs);
            }

            @Override
            public void listPush(int d, byte[] key, boolean head, byte[][] items, int from, int to) {
                effects.add((head ? "lpush " : "rpush ") + d + " " + s(key) + " " + (to - from));
            }

            @Override
            public void listPop(int d, byte[] key, boolean head, long count) {
                effects.add((head ? "lpop " : "rpop ") + d + " " + s(key) + " " + count);
            }

            @Override
            public void listSet(int d, byte[] key, long index, byte[] value) {
                effects.add("lset " + d + " " + s(key) + " " + index + " " + s(value));
            }

            @Override
            public void listInsert(int d, byte[] key, long index, byte[] value) {
                effects.add("linsert " + d + " " + s(key) + " " + index + " " + s(value));
            }

            @Override
            public void listRemove(int d, byte[] key, long count, byte[] value) {
                effects.add("lrem " + d + " " + s(key) + " " + count + " " + s(value));
            }

            @Override
            public void zsetAdd(int d, byte[] key, byte[][] items, int from, int to) {
                StringBuilder b = new StringBuilder("zadd " + d + " " + s(key));
                for (int i = from; i < to; i += 2) {
                    b.append(' ').append(s(items[i])).append('=').append(Zsets.scoreOf(items[i + 1]));
                }
                effects.add(b.toString());
            }

            @Override
            public void zsetRemove(int d, byte[] key, byte[][] members, int from, int to) {
                effects.add("zrem " + d + " " + s(key) + " " + (to - from));
            }

            @Override
            public void delete(int d, byte[] key) {
                effects.add("del " + d + " " + s(key));
            }

            @Override
            public void stringWrite(int d, byte[] key, long offset, byte[] data, int off, int len) {
                effects.add("write " + d + " " + s(key) + " " + offset + " " + len);
            }

            @Override
            public void stream(int d, byte[] key, StreamChange change, byte[][] items) {
                effects.add("stream " + change + " " + d + " " + s(key));
            }

            @Override
            public void expireAt(int d, byte[] key, long atMs) {
                effects.add("expireAt " + d + " " + s(key) + " " + atMs);
            }

            @Override
            public void persist(int d, byte[] key) {
                effects.add("persist " + d + " " + s(key));
            }

            @Override
            public void flushDb(int d) {
                effects.add("flush " + d);
            }

            @Override
            public void swapDb(int a, int b) {
                effects.add("swap " + a + " " + b);
            }

            @Override
            public void rename(int d, byte[] from, byte[] to) {
                effects.add("rename " + d + " " + s(from) + " " + s(to));
            }

            @Override
            public void copy(int d, byte[] src, int dstDb, byte[] dst) {
                effects.add("copy " + d + " " + s(src) + " " + dstDb + " " + s(dst));
            }

            @Override
            public void move(int d, byte[] key, int dstDb) {
                effects.add("move " + d + " " + s(key) + " " + dstDb);
            }

            @Override
            public void hashSet(int d, byte[] key, byte[][] items, int from, int to) {
                effects.add("hset " + d + " " + s(key) + " " + join(items, from, to));
            }

            @Override
            public void hashDelete(int d, byte[] key, byte[][] fields, int from, int to) {
                effects.add("hdel " + d + " " + s(key) + " " + join(fields, from, to));
            }

            @Override
            public void setAdd(int d, byte[] key, byte[][] members, int from, int to) {
                effects.add("sadd " + d + " " + s(key) + " " + join(members, from, to));
            }

            @Override
            public void setRemove(int d, byte[] key, byte[][] members, int from, int to) {
                effects.add("srem " + d + " " + s(key) + " " + join(members, from, to));
            }
        });
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String join(byte[][] a, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(s(a[i]));
        }
        return String.join(",", out);
    }

    private static byte[][] items(String... s) {
        byte[][] out = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            out[i] = b(s[i]);
        }
        return out;
    }

    private TreeMap<String, String> hash(String key) {
        HashReader r = new HashReader();
        TreeMap<String, String> out = new TreeMap<>();
        if (db.hashes().read(b(key), r) == Status.OK) {
            r.forEach((f, fo, fl, v, vo, vl) -> out.put(new String(f, fo, fl, StandardCharsets.UTF_8),
                    new String(v, vo, vl, StandardCharsets.UTF_8)));
        }
        return out;
    }

    private TreeSet<String> set(String key) {
        SetReader r = new SetReader();
        TreeSet<String> out = new TreeSet<>();
        if (db.sets().read(b(key), r) == Status.OK) {
            r.forEach((m, off, len) -> out.add(new String(m, off, len, StandardCharsets.UTF_8)));
        }
        return out;
    }

    @Test
    void operationsReturnStatusesAndEmitOneEffectPerChange() {
        Count n = new Count();
        keyspace.startCommand();
        assertThat(db.hashes().set(b("h"), items("a", "1", "b", "2"), 0, 4, n)).isEqualTo(Status.OK);
        assertThat(n.value).isEqualTo(2);
        keyspace.endCommand();
        assertThat(db.hashes().set(b("h"), items("a", "1"), 0, 2, n)).isEqualTo(Status.OK);
        assertThat(n.value).isZero();
        assertThat(db.sets().add(b("h"), items("x"), 0, 1, n)).isEqualTo(Status.WRONGTYPE);
        assertThat(db.sets().remove(b("nope"), items("x"), 0, 1, n)).isEqualTo(Status.NOT_FOUND);
        assertThat(db.hashes().delete(b("h"), items("a", "zz"), 0, 2, n)).isEqualTo(Status.OK);
        assertThat(n.value).isEqualTo(1);
        assertThat(db.hashes().delete(b("h"), items("b"), 0, 1, n)).isEqualTo(Status.OK);
        assertThat(db.exists(b("h"))).isFalse(); // emptied: deleted
        assertThat(effects).containsExactly("begin", "hset 0 h a,1,b,2", "end",
                "hset 0 h a,1", // an unchanged value is still a write (as in Redis: HSET reports 0 new fields)
                "hdel 0 h a", "hdel 0 h b");
    }

    @Test
    void keyOperationsOnCollectionsAreEffectsOfTheirOwn() {
        Count n = new Count();
        db.sets().add(b("s"), items("1", "2"), 0, 2, n);
        effects.clear();
        assertThat(db.expireAt(b("s"), now + 5000)).isTrue();
        assertThat(db.rename(b("s"), b("t"))).isTrue();
        assertThat(db.copy(b("t"), keyspace.db(1), b("u"), false)).isTrue();
        assertThat(db.move(b("t"), keyspace.db(2))).isTrue();
        assertThat(keyspace.db(1).persist(b("u"))).isTrue();
        keyspace.swap(1, 2);
        db.flush();
        assertThat(effects).containsExactly("expireAt 0 s " + (now + 5000), "rename 0 s t", "copy 0 t 1 u", "move 0 t 2",
                "persist 1 u", "swap 1 2", "flush 0");
        assertThat(keyspace.db(1).type(b("t"))).isEqualTo(ValueType.SET);
        assertThat(keyspace.db(1).deadline(b("t"))).isEqualTo(now + 5000);
        assertThat(keyspace.db(2).deadline(b("u"))).isEqualTo(-1);
    }

    @Test
    void encodingsConvertAtTheLimitsAndNeverBack() {
        Count n = new Count();
        keyspace.limits().setMaxIntsetEntries = 3;
        db.sets().add(b("s"), items("1", "2", "3"), 0, 3, n);
        assertThat(db.encoding(b("s"))).isEqualTo(Encoding.INTSET);
        db.sets().add(b("s"), items("4"), 0, 1, n);
        assertThat(db.encoding(b("s"))).isEqualTo(Encoding.HASHTABLE_SET);
        db.sets().remove(b("s"), items("4", "3"), 0, 2, n);
        assertThat(db.encoding(b("s"))).isEqualTo(Encoding.HASHTABLE_SET);
        assertThat(set("s")).containsExactly("1", "2");

        keyspace.limits().hashMaxListpackValue = 4;
        db.hashes().set(b("h"), items("f", "1234"), 0, 2, n);
        assertThat(db.encoding(b("h"))).isEqualTo(Encoding.LISTPACK_HASH);
        db.hashes().set(b("h"), items("f", "12345"), 0, 2, n);
        assertThat(db.encoding(b("h"))).isEqualTo(Encoding.HASHTABLE_HASH);
        assertThat(hash("h")).containsEntry("f", "12345").hasSize(1);
        assertThat(db.count(ValueType.HASH)).isEqualTo(1);
        assertThat(db.count(ValueType.SET)).isEqualTo(1);
    }

    @Test
    void scanVisitsEveryKeyOfATypeWhileTheTableGrows() {
        Count n = new Count();
        for (int i = 0; i < 300; i++) {
            db.sets().add(b("s" + i), items("m"), 0, 1, n);
            db.strings().set(b("k" + i), b("v"), -1);
        }
        Set<String> seen = new HashSet<>();
        List<byte[]> out = new ArrayList<>();
        long cursor = 0;
        int steps = 0;
        do {
            out.clear();
            cursor = db.scan(cursor, 10, ValueType.SET, out);
            out.forEach(k -> seen.add(s(k)));
            if (steps++ == 3) {
                for (int i = 300; i < 3000; i++) { // grows the table mid-scan
                    db.strings().set(b("k" + i), b("v"), -1);
                }
            }
        } while (cursor != 0 && steps < 100_000);
        assertThat(seen).hasSize(300).allMatch(k -> k.startsWith("s"));
    }

    @Test
    void anImageKeepsTheStateAtItsStartWhileCollectionsChange() {
        Count n = new Count();
        byte[][] fields = new byte[2000][];
        for (int i = 0; i < 1000; i++) {
            fields[2 * i] = b("f" + i);
            fields[2 * i + 1] = b("v" + i);
        }
        db.hashes().set(b("h"), fields, 0, fields.length, n);
        db.sets().add(b("small"), items("1", "2"), 0, 2, n);
        int epoch = keyspace.snapshots().begin();
        DatabaseImage image = db.freeze(epoch);
        // After the snapshot started: change, delete and create.
        db.hashes().delete(b("h"), items("f0", "f1"), 0, 2, n);
        db.hashes().set(b("h"), items("new", "x", "f2", "changed"), 0, 4, n);
        db.sets().add(b("small"), items("word"), 0, 1, n);
        db.strings().set(b("later"), b("v"), -1);

        TreeMap<String, String> h = new TreeMap<>();
        TreeSet<String> small = new TreeSet<>();
        List<String> keys = new ArrayList<>();
        while (image.advance()) {
            String key = new String(image.keyArray(), image.keyOffset(), image.keyLength(), StandardCharsets.UTF_8);
            keys.add(key);
            ElementCursor c = image.elements();
            List<String> elements = new ArrayList<>();
            while (c.next()) {
                elements.add(new String(c.array(), c.offset(), c.length(), StandardCharsets.UTF_8));
            }
            if (key.equals("h")) {
                for (int i = 0; i < elements.size(); i += 2) {
                    h.put(elements.get(i), elements.get(i + 1));
                }
            } else {
                small.addAll(elements);
            }
        }
        image.release();
        keyspace.snapshots().end(epoch);
        assertThat(keys).containsExactlyInAnyOrder("h", "small");
        assertThat(h).hasSize(1000).containsEntry("f0", "v0").containsEntry("f2", "v2").doesNotContainKey("new");
        assertThat(small).containsExactly("1", "2");
        assertThat(hash("h")).hasSize(999).containsEntry("f2", "changed").doesNotContainKey("f0");
        assertThat(set("small")).containsExactly("1", "2", "word");
    }

    @Test
    void aPackedHashChangedInPlaceDuringASnapshotStillReadsAsItWas() {
        Count n = new Count();
        db.hashes().set(b("lp"), items("f", "aaaa", "g", "1"), 0, 4, n);
        int epoch = keyspace.snapshots().begin();
        DatabaseImage image = db.freeze(epoch);
        // Same-size values: the first write copies (the image holds the array), later ones may
        // write over the copy, which the image never sees.
        db.hashes().set(b("lp"), items("f", "bbbb"), 0, 2, n);
        db.hashes().set(b("lp"), items("f", "cccc", "g", "2"), 0, 4, n);
        assertThat(image.advance()).isTrue();
        ElementCursor c = image.elements();
        List<String> elements = new ArrayList<>();
        while (c.next()) {
            elements.add(new String(c.array(), c.offset(), c.length(), StandardCharsets.UTF_8));
        }
        image.release();
        keyspace.snapshots().end(epoch);
        assertThat(elements).containsExactly("f", "aaaa", "g", "1");
        assertThat(hash("lp")).containsEntry("f", "cccc").containsEntry("g", "2");
        db.hashes().set(b("lp"), items("f", "dddd"), 0, 2, n); // no snapshot: in place
        assertThat(hash("lp")).containsEntry("f", "dddd");
    }

    @Test
    void whileLoadingKeysPastTheirDeadlineStay() {
        db.strings().set(b("k"), b("v"), now + 100);
        now += 1000;
        keyspace.setLoading(true);
        assertThat(db.exists(b("k"))).isTrue();
        Count n = new Count();
        db.sets().add(b("s"), items("1"), 0, 1, n);
        assertThat(db.expireAt(b("s"), now - 1)).isTrue(); // kept, with its past deadline
        assertThat(db.exists(b("s"))).isTrue();
        keyspace.setLoading(false);
        assertThat(db.exists(b("k"))).isFalse();
        assertThat(db.exists(b("s"))).isFalse();
    }
}
