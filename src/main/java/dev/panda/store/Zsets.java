package dev.panda.store;

import dev.panda.store.value.Listpack;
import dev.panda.store.value.Scores;
import dev.panda.store.value.ValueType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Sorted-set values of one database, the store side of Redis's {@code t_zset.c}. A small sorted
 * set is a listpack of member, score, member, score… in (score, member) order inside its key's
 * entry, with scores written as Redis writes them; past {@code zset-max-listpack-entries} members
 * or a member longer than {@code zset-max-listpack-value} bytes it becomes a {@link SortedSet}
 * (OBJECT ENCODING {@code skiplist}), for good, as in Redis 7.0. Reads go through a
 * {@link ZsetReader}; every change goes through the operations here, which report the resulting
 * scores (or the removed members) as effects and delete a set they empty.
 *
 * <p>Store thread only.
 */
public final class Zsets {
    public static final int NX = 1;
    public static final int XX = 2;
    public static final int GT = 4;
    public static final int LT = 8;
    public static final int INCR = 16;
    private static final VarHandle DOUBLE_LE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    /** What ZADD did. */
    public static final class AddResult {
        public int added;
        public int updated;
        public int processed;
        /** The last element's resulting score (INCR). */
        public double score;
        /** An increment produced NaN: the command stopped there (earlier elements stay changed). */
        public boolean nan;

        void reset() {
            added = updated = processed = 0;
            nan = false;
        }
    }

    private final Database db;

    Zsets(Database db) {
        this.db = db;
    }

    public Status read(byte[] key, ZsetReader reader) {
        return ValueReader.open(db.lookupRead(key), ValueType.ZSET, reader);
    }

    public Status peek(byte[] key, ZsetReader reader) {
        return ValueReader.open(db.lookup(key), ValueType.ZSET, reader);
    }

    public Status check(byte[] key) {
        return Status.of(db.lookup(key), ValueType.ZSET);
    }

    /** The 8 bytes of a score as effects and snapshots carry it. */
    public static byte[] scoreBytes(double score) {
        byte[] b = new byte[8];
        DOUBLE_LE.set(b, 0, score);
        return b;
    }

    public static double scoreOf(byte[] eight) {
        return (double) DOUBLE_LE.get(eight, 0);
    }

    /**
     * ZADD (and ZINCRBY, GEOADD): applies {@code scores[i]} to {@code members[i]} for i below
     * {@code n} under the {@link #NX}… flags, as Redis's {@code zsetAdd}, creating the set (unless
     * XX). Stops at a NaN increment ({@link AddResult#nan}).
     */
    public Status add(byte[] key, int flags, byte[][] members, double[] scores, int n, AddResult out) {
        out.reset();
        Object e = db.lookup(key);
        if (e != null && Entry.type(e) != ValueType.ZSET) {
            return Status.WRONGTYPE;
        }
        if (e == null && (flags & XX) != 0) {
            return Status.OK;
        }
        EncodingLimits limits = db.keyspace().limits();
        Object updated = e;
        if (updated == null) {
            byte[] h = Entry.allocate(ValueType.ZSET, key, 0, key.length, -1, 0, db.keyspace().access().initial());
            updated = limits.zsetMaxListpackEntries == 0 || members[0].length > limits.zsetMaxListpackValue
                    ? new LargeValue(h, newSortedSet(n)) : Listpack.empty(h, h.length);
        }
        byte[][] items = new byte[2 * n][];
        int logged = 0;
        boolean incr = (flags & INCR) != 0;
        for (int i = 0; i < n; i++) {
            byte[] m = members[i];
            double score = scores[i] + 0.0; // -0 is stored as 0, as Redis does
            if (Double.isNaN(score)) {
                out.nan = true;
                break;
            }
            boolean present;
            double current = 0;
            if (updated instanceof byte[] a) {
                int base = Entry.valueOffset(a);
                int p = Listpack.find(a, base, m, 0, m.length, 1);
                present = p >= 0;
                if (present) {
                    current = ZsetReader.scoreAt(a, Listpack.next(a, p));
                }
            } else {
                byte[] entry = (byte[]) ((SortedSet) ((LargeValue) updated).data).members.get(m);
                present = entry != null;
                if (present) {
                    current = ScoreTree.score(entry);
                }
            }
            if (present) {
                if ((flags & NX) != 0) {
                    continue;
                }
                if (incr) {
                    score += current;
                    if (Double.isNaN(score)) {
                        out.nan = true;
                        break;
                    }
                }
                if (((flags & LT) != 0 && score >= current) || ((flags & GT) != 0 && score <= current)) {
                    continue;
                }
                out.processed++;
                out.score = score;
                if (score == current) {
                    continue;
                }
                out.updated++;
            } else {
                if ((flags & XX) != 0) {
                    continue;
                }
                if (updated instanceof byte[] a) {
                    int base = Entry.valueOffset(a);
                    if (Listpack.size(a, base) / 2 + 1 > limits.zsetMaxListpackEntries || m.length > limits.zsetMaxListpackValue
                            || !Listpack.safeToAdd(a, base, m.length + 32)) {
                        updated = toSortedSet(a);
                    }
                }
                out.processed++;
                out.added++;
                out.score = score;
            }
            updated = put(updated, m, score, present);
            items[logged++] = m;
            items[logged++] = scoreBytes(score);
        }
        if (updated != e && (e != null || logged > 0)) {
            db.store(updated, e);
        }
        if (logged > 0) {
            db.effects().zsetAdd(db.index(), key, items, 0, logged);
        }
        return Status.OK;
    }

    /** Sets a member's score in either form; returns the (possibly new) value. */
    private static Object put(Object value, byte[] m, double score, boolean present) {
        if (value instanceof byte[] a) {
            int base = Entry.valueOffset(a);
            if (present) {
                int p = Listpack.find(a, base, m, 0, m.length, 1);
                a = Listpack.delete(a, base, p, 2);
            }
            return insertPacked(a, base, m, score);
        }
        LargeValue large = (LargeValue) value;
        SortedSet set = (SortedSet) large.data;
        set.members.prepareWrite();
        set.put(m, 0, m.length, score);
        return value;
    }

    /** Inserts (member, score) at its place in the (score, member) order of a packed set. */
    private static byte[] insertPacked(byte[] a, int base, byte[] m, double score) {
        byte[] text = Scores.toBytes(score);
        for (int p = Listpack.first(a, base); p >= 0; p = Listpack.next(a, Listpack.next(a, p))) {
            double s = ZsetReader.scoreAt(a, Listpack.next(a, p));
            if (s > score || (s == score && comparePacked(a, p, m) > 0)) {
                byte[] b = Listpack.insertBefore(a, base, p, m, 0, m.length);
                return Listpack.insertAfter(b, base, p, text, 0, text.length);
            }
        }
        return Listpack.appendPair(a, base, m, 0, m.length, text, 0, text.length);
    }

    /** The packed member at p against {@code m}, as memcmp of their bytes. */
    private static int comparePacked(byte[] a, int p, byte[] m) {
        if (Listpack.isInteger(a, p)) {
            byte[] digits = Listpack.bytes(a, p);
            return Arrays.compareUnsigned(digits, m);
        }
        int off = Listpack.stringOffset(a, p);
        return Arrays.compareUnsigned(a, off, off + Listpack.stringLength(a, p), m, 0, m.length);
    }

    private SortedSet newSortedSet(int expected) {
        return new SortedSet(new KeyTable(db.keyspace().snapshots(), expected), new ScoreTree());
    }

    /**
     * Turns a packed sorted set into its skip-list form in place, as Redis's SORT does to its
     * input ({@code zsetConvert}); nothing is logged: only the representation changes.
     */
    public void convertToSkiplist(byte[] key) {
        Object e = db.lookup(key);
        if (e instanceof byte[] a && Entry.type(a) == ValueType.ZSET) {
            db.store(toSortedSet(a), e);
        }
    }

    private LargeValue toSortedSet(byte[] a) {
        int base = Entry.valueOffset(a);
        SortedSet set = newSortedSet(Listpack.size(a, base) / 2 + 1);
        for (int p = Listpack.first(a, base); p >= 0; p = Listpack.next(a, Listpack.next(a, p))) {
            byte[] m = Listpack.bytes(a, p);
            set.put(m, 0, m.length, ZsetReader.scoreAt(a, Listpack.next(a, p)));
        }
        return new LargeValue(Entry.withValueRoom(a, 0), set);
    }

    /** ZREM: removes {@code members[from, to)}; {@code removed} receives how many were there. */
    public Status remove(byte[] key, byte[][] members, int from, int to, Count removed) {
        removed.value = 0;
        Object e = db.lookup(key);
        Status s = Status.of(e, ValueType.ZSET);
        if (s != Status.OK) {
            return s;
        }
        byte[][] gone = new byte[to - from][];
        int n = 0;
        Object updated = e;
        for (int i = from; i < to; i++) {
            byte[] m = members[i];
            if (updated instanceof byte[] a) {
                int base = Entry.valueOffset(a);
                int p = Listpack.find(a, base, m, 0, m.length, 1);
                if (p >= 0) {
                    updated = Listpack.delete(a, base, p, 2);
                    gone[n++] = m;
                }
            } else {
                SortedSet set = (SortedSet) ((LargeValue) updated).data;
                set.members.prepareWrite();
                if (set.remove(m, 0, m.length)) {
                    gone[n++] = m;
                }
            }
        }
        removed.value = n;
        finishRemoval(key, e, updated, gone, n);
        return Status.OK;
    }

    private void finishRemoval(byte[] key, Object e, Object updated, byte[][] gone, int n) {
        if (n == 0) {
            return;
        }
        if (sizeOf(updated) == 0) {
            db.unlink(key);
        } else if (updated != e) {
            db.store(updated, e);
        }
        db.effects().zsetRemove(db.index(), key, gone, 0, n);
    }

    /**
     * Removes the members of ranks {@code [lo, hi)} (ZREMRANGEBY*, ZPOPMIN/MAX, the pops of ZMPOP),
     * handing them and their scores out in rank order, or from the highest when {@code reverse}.
     */
    public Status removeRanks(byte[] key, long lo, long hi, boolean reverse, java.util.List<byte[]> members, java.util.List<Double> scores) {
        ZsetReader reader = new ZsetReader();
        Status s = peek(key, reader);
        if (s != Status.OK || hi <= lo) {
            return s;
        }
        int n = (int) (hi - lo);
        byte[][] gone = new byte[n][];
        reader.seek(reverse ? hi - 1 : lo, !reverse);
        for (int i = 0; i < n && reader.next(); i++) {
            gone[i] = reader.member.toArray();
            if (members != null) {
                members.add(gone[i]);
                scores.add(reader.score);
            }
        }
        Count removed = new Count();
        return remove(key, gone, 0, n, removed);
    }

    /**
     * Replaces whatever key holds with a sorted set of these members and scores (the *STORE
     * commands); no members deletes the key. Logs a delete, then the members.
     */
    public void store(byte[] key, byte[][] members, double[] scores, int n) {
        db.delete(key);
        if (n > 0) {
            add(key, 0, members, scores, n, new AddResult());
        }
    }

    /** Replay of ZSET_ADD: the members get exactly these scores ({@code items}: member, 8-byte score…). */
    public void apply(byte[] key, byte[][] items, int from, int to) {
        int n = (to - from) / 2;
        byte[][] members = new byte[n][];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            members[i] = items[from + 2 * i];
            scores[i] = scoreOf(items[from + 2 * i + 1]);
        }
        add(key, 0, members, scores, n, new AddResult());
    }

    /**
     * Start-up load of a snapshot's sorted-set rows ({@code items}: member, 8-byte score…), or
     * more of them when {@code continued}, with the encoding a live set would have. Logs nothing.
     */
    public void load(byte[] key, byte[][] items, long expireAtMs, boolean continued) {
        if (!continued) {
            byte[] h = Entry.allocate(ValueType.ZSET, key, 0, key.length, expireAtMs, 0, db.keyspace().access().initial());
            db.loadAbsent(Listpack.empty(h, h.length));
        }
        apply(key, items, 0, items.length);
    }

    static int sizeOf(Object e) {
        if (e instanceof byte[] a) {
            return Listpack.size(a, Entry.valueOffset(a)) / 2;
        }
        return ((SortedSet) ((LargeValue) e).data).size();
    }

    /** A snapshot's walk over member, score (8 bytes), member, score… as of the snapshot of {@code epoch}. */
    static ElementCursor elements(Object entry, int epoch) {
        if (entry instanceof byte[] a) {
            ListpackCursor inner = new ListpackCursor(a, Entry.valueOffset(a));
            return new ElementCursor() {
                private boolean scoreNext;
                private byte[] scoreBytes;

                @Override
                public boolean next() {
                    if (!inner.next()) {
                        return false;
                    }
                    if (scoreNext) {
                        scoreBytes = scoreBytes(Scores.parse(inner.array(), inner.offset(), inner.length()));
                    }
                    scoreNext = !scoreNext;
                    return true;
                }

                @Override
                public byte[] array() {
                    return scoreNext ? inner.array() : scoreBytes;
                }

                @Override
                public int offset() {
                    return scoreNext ? inner.offset() : 0;
                }

                @Override
                public int length() {
                    return scoreNext ? inner.length() : 8;
                }
            };
        }
        return new TableCursor(((SortedSet) ((LargeValue) entry).data).members.imageFor(epoch), true);
    }
}
