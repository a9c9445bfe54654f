package dev.panda.store;

import dev.panda.store.value.Listpack;
import dev.panda.store.value.RedisIntegers;
import dev.panda.store.value.Scores;

/**
 * A read-only view of one sorted set, bound by {@link Zsets#read}: its size, a member's score
 * and rank, how many members lie before a bound, and a walk in either direction from any rank
 * handing out members as byte slices with their scores. A slice is valid until the next step
 * or the next change to the store. Reused by its owner from one command to the next.
 *
 * <p>Store thread only.
 */
public final class ZsetReader implements ValueReader {
    /** Where a range starts or ends: true for every member before the bound (a prefix of the order). */
    @FunctionalInterface
    public interface Bound {
        boolean before(double score, byte[] member, int off, int len);
    }

    private final byte[] digits = new byte[RedisIntegers.MAX_LENGTH];
    private final ScoreTree.Walk walk = new ScoreTree.Walk();
    private byte[] packed;
    private int base;
    private SortedSet large;

    // Walk state.
    private boolean forward;
    private int p = -1;
    private boolean started;

    /** The member of the current step (after {@link #next}). */
    public final Slice member = new Slice();
    /** The score of the current step, or the score {@link #find} found. */
    public double score;

    @Override
    public void bind(Object entry) {
        if (entry instanceof byte[] a) {
            packed = a;
            base = Entry.valueOffset(a);
            large = null;
        } else {
            packed = null;
            large = (SortedSet) ((LargeValue) entry).data;
        }
        p = -1;
    }

    @Override
    public void clear() {
        packed = null;
        large = null;
        p = -1;
    }

    public int size() {
        if (packed != null) {
            return Listpack.size(packed, base) / 2;
        }
        return large == null ? 0 : large.order.size();
    }

    /** Whether the packed (listpack) form holds the set. */
    public boolean packed() {
        return packed != null;
    }

    /** Looks the member up: true, with its score in {@link #score}, when present. */
    public boolean find(byte[] m) {
        if (packed != null) {
            int q = Listpack.find(packed, base, m, 0, m.length, 1);
            if (q < 0) {
                return false;
            }
            score = scoreAt(packed, Listpack.next(packed, q));
            return true;
        }
        if (large == null) {
            return false;
        }
        byte[] e = (byte[]) large.members.get(m);
        if (e == null) {
            return false;
        }
        score = ScoreTree.score(e);
        return true;
    }

    /** The member's rank from the lowest score (0-based), or -1 when absent. */
    public long rank(byte[] m) {
        if (packed != null) {
            long r = 0;
            for (int q = Listpack.first(packed, base); q >= 0; q = Listpack.next(packed, Listpack.next(packed, q))) {
                if (Listpack.matches(packed, q, m, 0, m.length)) {
                    return r;
                }
                r++;
            }
            return -1;
        }
        if (large == null) {
            return -1;
        }
        byte[] e = (byte[]) large.members.get(m);
        return e == null ? -1 : large.order.rank(e);
    }

    /** How many members, from the lowest, are before {@code bound}. */
    public long countBefore(Bound bound) {
        if (packed != null) {
            long n = 0;
            for (int q = Listpack.first(packed, base); q >= 0; q = Listpack.next(packed, Listpack.next(packed, q))) {
                slice(packed, q, member);
                if (!bound.before(scoreAt(packed, Listpack.next(packed, q)), member.array, member.offset, member.length)) {
                    break;
                }
                n++;
            }
            return n;
        }
        if (large == null) {
            return 0;
        }
        return large.order.countWhile(e -> bound.before(ScoreTree.score(e), e, ScoreTree.memberOffset(e), ScoreTree.memberLength(e)));
    }

    /** Positions the walk at {@code rank} (0 ≤ rank < size), towards higher ranks when {@code forward}. */
    public void seek(long rank, boolean forward) {
        this.forward = forward;
        this.started = false;
        if (packed != null) {
            p = Listpack.seek(packed, base, 2 * rank);
        } else {
            large.order.seek(rank, walk);
            p = 0;
        }
    }

    /** Moves to the next member of the walk ({@link #member}, {@link #score}); false past the end. */
    public boolean next() {
        if (p < 0) {
            return false;
        }
        if (packed != null) {
            if (started) {
                p = forward ? Listpack.next(packed, Listpack.next(packed, p)) : prevPair(p);
                if (p < 0) {
                    return false;
                }
            }
            started = true;
            slice(packed, p, member);
            score = scoreAt(packed, Listpack.next(packed, p));
            return true;
        }
        if (started) {
            if (forward) {
                walk.forward();
            } else {
                walk.backward();
            }
        }
        started = true;
        byte[] e = walk.current();
        if (e == null) {
            p = -1;
            return false;
        }
        member.set(e, ScoreTree.memberOffset(e), ScoreTree.memberLength(e));
        score = ScoreTree.score(e);
        return true;
    }

    /** Receives one member and its score (ZSCAN). */
    @FunctionalInterface
    public interface MemberVisitor {
        void member(byte[] m, int off, int len, double score);
    }

    /**
     * One ZSCAN step: a packed set is visited whole and 0 returned; a large one visits at least
     * {@code count} members when it has them and returns the next cursor, with SCAN's guarantees.
     */
    public long scan(long cursor, int count, MemberVisitor visitor) {
        if (packed != null) {
            for (int q = Listpack.first(packed, base); q >= 0; q = Listpack.next(packed, Listpack.next(packed, q))) {
                slice(packed, q, member);
                visitor.member(member.array, member.offset, member.length, scoreAt(packed, Listpack.next(packed, q)));
            }
            return 0;
        }
        if (large == null) {
            return 0;
        }
        return large.members.scan(cursor, count, o -> {
            byte[] e = (byte[]) o;
            visitor.member(e, ScoreTree.memberOffset(e), ScoreTree.memberLength(e), ScoreTree.score(e));
        });
    }

    private int prevPair(int q) {
        int s = Listpack.prev(packed, base, q);
        return s < 0 ? -1 : Listpack.prev(packed, base, s);
    }

    private void slice(byte[] a, int at, Slice out) {
        if (Listpack.isInteger(a, at)) {
            out.set(digits, 0, RedisIntegers.writeDecimal(Listpack.integer(a, at), digits, 0));
        } else {
            out.set(a, Listpack.stringOffset(a, at), Listpack.stringLength(a, at));
        }
    }

    static double scoreAt(byte[] a, int at) {
        if (Listpack.isInteger(a, at)) {
            return Listpack.integer(a, at);
        }
        return Scores.parse(a, Listpack.stringOffset(a, at), Listpack.stringLength(a, at));
    }
}
