package dev.panda.command.zset;

import dev.panda.command.Args;
import dev.panda.command.Blocking;
import dev.panda.command.Client;
import dev.panda.command.Errors;
import dev.panda.command.IndexRange;
import dev.panda.command.MpopArgs;
import dev.panda.command.ScanOptions;
import dev.panda.command.Strtod;
import dev.panda.protocol.Reply;
import dev.panda.store.Count;
import dev.panda.store.Database;
import dev.panda.store.SetReader;
import dev.panda.store.Status;
import dev.panda.store.ZsetReader;
import dev.panda.store.Zsets;
import dev.panda.store.value.ValueType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The sorted-set commands with Redis 7.0's replies and error texts ({@code t_zset.c}), blocking
 * pops included: arguments are parsed and replies shaped here (scores as Redis prints them,
 * RESP3 pairs where Redis 7.0 sends them); reads go through a {@link ZsetReader} and every change
 * through {@link Zsets}, which logs the resulting scores or the removed members. Ranges by rank,
 * score or lex become rank intervals of the reader, so a range costs O(log n) plus its length on
 * a large set. Store thread only.
 */
public final class ZsetCommands {
    static final String NOT_FLOAT = "ERR value is not a valid float";
    static final String MINMAX_NOT_FLOAT = "ERR min or max is not a float";
    static final String MINMAX_NOT_LEX = "ERR min or max not valid string range item";

    private final ZsetReader zset = new ZsetReader();
    private final Count count = new Count();
    private final Zsets.AddResult added = new Zsets.AddResult();

    private static Database db(Client c) {
        return c.server().keyspace().db(c.db());
    }

    private static Zsets zsets(Client c) {
        return db(c).zsets();
    }

    private boolean read(Client c, byte[] key) {
        return Errors.checkType(zsets(c).read(key, zset)) == Status.OK;
    }

    // ---- ZADD, ZINCRBY, ZREM -------------------------------------------------------------------

    public void zadd(Client c, byte[][] argv, Reply r) {
        int flags = 0;
        boolean ch = false;
        int i = 2;
        for (; i < argv.length; i++) {
            if (Args.is(argv[i], "nx")) {
                flags |= Zsets.NX;
            } else if (Args.is(argv[i], "xx")) {
                flags |= Zsets.XX;
            } else if (Args.is(argv[i], "ch")) {
                ch = true;
            } else if (Args.is(argv[i], "incr")) {
                flags |= Zsets.INCR;
            } else if (Args.is(argv[i], "gt")) {
                flags |= Zsets.GT;
            } else if (Args.is(argv[i], "lt")) {
                flags |= Zsets.LT;
            } else {
                break;
            }
        }
        int elements = argv.length - i;
        if (elements % 2 != 0 || elements == 0) {
            throw new Args.Invalid(Errors.SYNTAX);
        }
        elements /= 2;
        boolean nx = (flags & Zsets.NX) != 0;
        boolean gt = (flags & Zsets.GT) != 0;
        boolean lt = (flags & Zsets.LT) != 0;
        if (nx && (flags & Zsets.XX) != 0) {
            throw new Args.Invalid("ERR XX and NX options at the same time are not compatible");
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw new Args.Invalid("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        boolean incr = (flags & Zsets.INCR) != 0;
        if (incr && elements > 1) {
            throw new Args.Invalid("ERR INCR option supports a single increment-element pair");
        }
        double[] scores = new double[elements];
        byte[][] members = new byte[elements][];
        for (int j = 0; j < elements; j++) {
            scores[j] = Args.parseDouble(argv[i + 2 * j], NOT_FLOAT);
            members[j] = argv[i + 2 * j + 1];
        }
        Errors.checkType(zsets(c).add(argv[1], flags, members, scores, elements, added));
        if (added.nan) {
            r.error("ERR resulting score is not a number (NaN)");
            return;
        }
        if (incr) {
            if (added.processed > 0) {
                r.doubleValue(added.score);
            } else {
                r.nullBulk();
            }
        } else {
            r.integer(ch ? added.added + added.updated : added.added);
        }
    }

    public void zincrby(Client c, byte[][] argv, Reply r) {
        double by = Args.parseDouble(argv[2], NOT_FLOAT);
        Errors.checkType(zsets(c).add(argv[1], Zsets.INCR, new byte[][] {argv[3]}, new double[] {by}, 1, added));
        if (added.nan) {
            r.error("ERR resulting score is not a number (NaN)");
            return;
        }
        r.doubleValue(added.score);
    }

    public void zrem(Client c, byte[][] argv, Reply r) {
        Errors.checkType(zsets(c).remove(argv[1], argv, 2, argv.length, count));
        r.integer(count.value);
    }

    // ---- point reads ---------------------------------------------------------------------------

    public void zcard(Client c, byte[][] argv, Reply r) {
        r.integer(read(c, argv[1]) ? zset.size() : 0);
    }

    public void zscore(Client c, byte[][] argv, Reply r) {
        if (read(c, argv[1]) && zset.find(argv[2])) {
            r.doubleValue(zset.score);
        } else {
            r.nullBulk();
        }
    }

    public void zmscore(Client c, byte[][] argv, Reply r) {
        boolean exists = read(c, argv[1]);
        r.array(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            if (exists && zset.find(argv[i])) {
                r.doubleValue(zset.score);
            } else {
                r.nullBulk();
            }
        }
    }

    public void zrank(Client c, byte[][] argv, Reply r) {
        rank(c, argv, r, false);
    }

    public void zrevrank(Client c, byte[][] argv, Reply r) {
        rank(c, argv, r, true);
    }

    private void rank(Client c, byte[][] argv, Reply r, boolean reverse) {
        if (!read(c, argv[1])) {
            r.nullBulk();
            return;
        }
        long rank = zset.rank(argv[2]);
        if (rank < 0) {
            r.nullBulk();
        } else {
            r.integer(reverse ? zset.size() - 1 - rank : rank);
        }
    }

    // ---- ranges --------------------------------------------------------------------------------

    /** A score interval, as Redis's zrangespec. */
    record ScoreRange(double min, boolean minEx, double max, boolean maxEx) {
        static ScoreRange parse(byte[] min, byte[] max) {
            boolean minEx = min.length > 0 && min[0] == '(';
            boolean maxEx = max.length > 0 && max[0] == '(';
            return new ScoreRange(bound(min, minEx), minEx, bound(max, maxEx), maxEx);
        }

        private static double bound(byte[] arg, boolean exclusive) {
            String s = new String(arg, exclusive ? 1 : 0, arg.length - (exclusive ? 1 : 0), java.nio.charset.StandardCharsets.ISO_8859_1);
            double d = Strtod.parse(s);
            if (Double.isNaN(d)) {
                throw new Args.Invalid(MINMAX_NOT_FLOAT);
            }
            return d;
        }

        ZsetReader.Bound lower() {
            return minEx ? (s, m, o, l) -> s <= min : (s, m, o, l) -> s < min;
        }

        ZsetReader.Bound upper() {
            return maxEx ? (s, m, o, l) -> s < max : (s, m, o, l) -> s <= max;
        }
    }

    /** A lex interval, as Redis's zlexrangespec: {@code -} and {@code +} are the ends. */
    record LexRange(byte[] min, boolean minEx, byte[] max, boolean maxEx) {
        static final byte[] MINUS = new byte[0];
        static final byte[] PLUS = new byte[0];

        static LexRange parse(byte[] min, byte[] max) {
            byte[][] bounds = new byte[2][];
            boolean[] ex = new boolean[2];
            byte[][] args = {min, max};
            for (int i = 0; i < 2; i++) {
                byte[] a = args[i];
                if (a.length == 0) {
                    throw new Args.Invalid(MINMAX_NOT_LEX);
                }
                switch (a[0]) {
                    case '+' -> {
                        if (a.length != 1) {
                            throw new Args.Invalid(MINMAX_NOT_LEX);
                        }
                        bounds[i] = PLUS;
                    }
                    case '-' -> {
                        if (a.length != 1) {
                            throw new Args.Invalid(MINMAX_NOT_LEX);
                        }
                        bounds[i] = MINUS;
                    }
                    case '(', '[' -> {
                        bounds[i] = Arrays.copyOfRange(a, 1, a.length);
                        ex[i] = a[0] == '(';
                    }
                    default -> throw new Args.Invalid(MINMAX_NOT_LEX);
                }
            }
            return new LexRange(bounds[0], ex[0], bounds[1], ex[1]);
        }

        /** sdscmplex: the member against a bound ({@code -} below all, {@code +} above all). */
        static int compare(byte[] m, int off, int len, byte[] bound) {
            if (bound == MINUS) {
                return 1;
            }
            if (bound == PLUS) {
                return -1;
            }
            return Arrays.compareUnsigned(m, off, off + len, bound, 0, bound.length);
        }

        ZsetReader.Bound lower() {
            return (s, m, o, l) -> minEx ? compare(m, o, l, min) <= 0 : compare(m, o, l, min) < 0;
        }

        ZsetReader.Bound upper() {
            return (s, m, o, l) -> maxEx ? compare(m, o, l, max) < 0 : compare(m, o, l, max) <= 0;
        }
    }

    private enum By { RANK, SCORE, LEX }

    /** Ranks [lo, hi) of the bound reader that an interval covers. */
    private long[] interval(By by, Object range) {
        if (by == By.SCORE) {
            ScoreRange s = (ScoreRange) range;
            if (s.min > s.max || (s.min == s.max && (s.minEx || s.maxEx))) {
                return new long[] {0, 0};
            }
            return new long[] {zset.countBefore(s.lower()), zset.countBefore(s.upper())};
        }
        LexRange l = (LexRange) range;
        long lo = zset.countBefore(l.lower());
        if (!zset.packed()) {
            return new long[] {lo, Math.max(lo, zset.countBefore(l.upper()))};
        }
        // A packed set is walked from the first member past the minimum for as long as members
        // stay within the maximum, as Redis's listpack walk does (the same when scores are equal).
        long hi = lo;
        if (lo < zset.size()) {
            ZsetReader.Bound upper = l.upper();
            zset.seek(lo, true);
            while (zset.next() && upper.before(zset.score, zset.member.array, zset.member.offset, zset.member.length)) {
                hi++;
            }
        }
        return new long[] {lo, hi};
    }

    /** One member and score of a range result. */
    private record Scored(byte[] member, double score) {
    }

    /**
     * The ZRANGE family's core: the members of the range, in order (reversed with REV), after
     * LIMIT; the reader must be bound to the set.
     */
    private List<Scored> collect(By by, Object range, long start, long end, boolean reverse, long offset, long limit) {
        long size = zset.size();
        long lo;
        long hi;
        if (by == By.RANK) {
            long[] ranks = IndexRange.of(start, end, size);
            if (ranks == null) {
                return List.of();
            }
            lo = reverse ? size - 1 - ranks[1] : ranks[0];
            hi = reverse ? size - ranks[0] : ranks[1] + 1;
        } else {
            long[] iv = interval(by, range);
            lo = iv[0];
            hi = iv[1];
            if (offset < 0) {
                return List.of();
            }
            if (reverse) {
                hi -= offset;
                if (limit >= 0 && hi - lo > limit) {
                    lo = hi - limit;
                }
            } else {
                lo += offset;
                if (limit >= 0 && hi - lo > limit) {
                    hi = lo + limit;
                }
            }
        }
        if (hi <= lo) {
            return List.of();
        }
        List<Scored> out = new ArrayList<>((int) Math.min(hi - lo, 1 << 16));
        zset.seek(reverse ? hi - 1 : lo, !reverse);
        for (long i = lo; i < hi && zset.next(); i++) {
            out.add(new Scored(zset.member.toArray(), zset.score));
        }
        return out;
    }

    private static void replyRange(Reply r, List<Scored> items, boolean withScores) {
        boolean pairs = withScores && r.protocol() > 2;
        r.array(withScores && !pairs ? items.size() * 2 : items.size());
        for (Scored s : items) {
            if (pairs) {
                r.array(2);
            }
            r.bulk(s.member);
            if (withScores) {
                r.doubleValue(s.score);
            }
        }
    }

    /** ZRANGE, ZRANGESTORE and the older forms, parsed as zrangeGenericCommand does. */
    private void range(Client c, byte[][] argv, Reply r, int keyAt, byte[] dst, By fixedBy, Boolean fixedReverse) {
        By by = fixedBy;
        boolean reverse = fixedReverse != null && fixedReverse;
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        boolean limitGiven = false;
        for (int j = keyAt + 3; j < argv.length; j++) {
            int left = argv.length - j - 1;
            if (dst == null && Args.is(argv[j], "withscores")) {
                withScores = true;
            } else if (Args.is(argv[j], "limit") && left >= 2) {
                offset = Args.parseLong(argv[j + 1]);
                limit = Args.parseLong(argv[j + 2]);
                limitGiven = true;
                j += 2;
            } else if (fixedReverse == null && Args.is(argv[j], "rev")) {
                reverse = true;
            } else if (fixedBy == null && by == null && Args.is(argv[j], "bylex")) {
                by = By.LEX;
            } else if (fixedBy == null && by == null && Args.is(argv[j], "byscore")) {
                by = By.SCORE;
            } else {
                throw new Args.Invalid(Errors.SYNTAX);
            }
        }
        if (by == null) {
            by = By.RANK;
        }
        if (limitGiven && by == By.RANK) {
            throw new Args.Invalid("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && by == By.LEX) {
            throw new Args.Invalid("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        byte[] minArg = argv[keyAt + 1];
        byte[] maxArg = argv[keyAt + 2];
        if (reverse && by != By.RANK) {
            byte[] t = minArg;
            minArg = maxArg;
            maxArg = t;
        }
        long start = 0;
        long end = 0;
        Object range = null;
        switch (by) {
            case RANK -> {
                start = Args.parseLong(minArg);
                end = Args.parseLong(maxArg);
            }
            case SCORE -> range = ScoreRange.parse(minArg, maxArg);
            case LEX -> range = LexRange.parse(minArg, maxArg);
            default -> throw new IllegalStateException();
        }
        byte[] key = argv[keyAt];
        List<Scored> items;
        if (!read(c, key)) {
            items = List.of();
        } else {
            items = collect(by, range, start, end, reverse, offset, limit);
        }
        if (dst != null) {
            store(c, dst, items);
            r.integer(items.size());
        } else {
            replyRange(r, items, withScores);
        }
    }

    private static void store(Client c, byte[] dst, List<Scored> items) {
        byte[][] members = new byte[items.size()][];
        double[] scores = new double[items.size()];
        for (int i = 0; i < items.size(); i++) {
            members[i] = items.get(i).member;
            scores[i] = items.get(i).score;
        }
        zsets(c).store(dst, members, scores, members.length);
    }

    public void zrange(Client c, byte[][] argv, Reply r) {
        range(c, argv, r, 1, null, null, null);
    }

    public void zrangestore(Client c, byte[][] argv, Reply r) {
        range(c, argv, r, 2, argv[1], null, null);
    }

    public void zrevrange(Client c, byte[][] argv, Reply r) {
        range(c, argv, r, 1, null, By.RANK, true);
    }

    public void zrangebyscore(Client c, byte[][] argv, Reply r) {
        range(c, argv, r, 1, null, By.SCORE, false);
    }

    public void zrevrangebyscore(Client c, byte[][] argv, Reply r) {
        range(c, argv, r, 1, null, By.SCORE, true);
    }

    public void zrangebylex(Client c, byte[][] argv, Reply r) {
        range(c, argv, r, 1, null, By.LEX, false);
    }

    public void zrevrangebylex(Client c, byte[][] argv, Reply r) {
        range(c, argv, r, 1, null, By.LEX, true);
    }

    public void zcount(Client c, byte[][] argv, Reply r) {
        ScoreRange range = ScoreRange.parse(argv[2], argv[3]);
        if (!read(c, argv[1])) {
            r.integer(0);
            return;
        }
        long[] iv = interval(By.SCORE, range);
        r.integer(Math.max(0, iv[1] - iv[0]));
    }

    public void zlexcount(Client c, byte[][] argv, Reply r) {
        LexRange range = LexRange.parse(argv[2], argv[3]);
        if (!read(c, argv[1])) {
            r.integer(0);
            return;
        }
        long[] iv = interval(By.LEX, range);
        r.integer(iv[1] - iv[0]);
    }

    // ---- removals by range ---------------------------------------------------------------------

    public void zremrangebyrank(Client c, byte[][] argv, Reply r) {
        long start = Args.parseLong(argv[2]);
        long end = Args.parseLong(argv[3]);
        removeRange(c, argv, r, By.RANK, null, start, end);
    }

    public void zremrangebyscore(Client c, byte[][] argv, Reply r) {
        removeRange(c, argv, r, By.SCORE, ScoreRange.parse(argv[2], argv[3]), 0, 0);
    }

    public void zremrangebylex(Client c, byte[][] argv, Reply r) {
        removeRange(c, argv, r, By.LEX, LexRange.parse(argv[2], argv[3]), 0, 0);
    }

    private void removeRange(Client c, byte[][] argv, Reply r, By by, Object range, long start, long end) {
        if (Errors.checkType(zsets(c).peek(argv[1], zset)) == Status.NOT_FOUND) {
            r.integer(0);
            return;
        }
        long lo;
        long hi;
        if (by == By.RANK) {
            long[] ranks = IndexRange.of(start, end, zset.size());
            if (ranks == null) {
                r.integer(0);
                return;
            }
            lo = ranks[0];
            hi = ranks[1] + 1;
        } else {
            long[] iv = interval(by, range);
            lo = iv[0];
            hi = iv[1];
        }
        if (hi <= lo) {
            r.integer(0);
            return;
        }
        zsets(c).removeRanks(argv[1], lo, hi, false, null, null);
        r.integer(hi - lo);
    }

    // ---- pops ----------------------------------------------------------------------------------

    public void zpopmin(Client c, byte[][] argv, Reply r) {
        zpop(c, argv, r, false);
    }

    public void zpopmax(Client c, byte[][] argv, Reply r) {
        zpop(c, argv, r, true);
    }

    private void zpop(Client c, byte[][] argv, Reply r, boolean max) {
        if (argv.length > 3) {
            throw new Args.Invalid(Errors.SYNTAX);
        }
        long n = -1;
        if (argv.length == 3) {
            n = Args.parseNonNegative(argv[2], Errors.NOT_POSITIVE);
        }
        boolean nested = r.protocol() > 2 && n != -1;
        pop(c, argv[1], max, n, false, nested, false, r);
    }

    /**
     * genericZpopCommand: pops up to {@code n} (-1: one) from the lowest or highest scores and
     * replies flat, nested in pairs, with the key first, or null when the key is missing.
     */
    private void pop(Client c, byte[] key, boolean max, long n, boolean emitKey, boolean nested, boolean nilWhenEmpty, Reply r) {
        if (!read(c, key)) {
            if (nilWhenEmpty) {
                r.nullArray();
            } else {
                r.array(0);
            }
            return;
        }
        if (n == 0) {
            r.array(0);
            return;
        }
        long size = zset.size();
        long take = Math.min(n == -1 ? 1 : n, size);
        List<byte[]> members = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        zsets(c).removeRanks(key, max ? size - take : 0, max ? size : take, max, members, scores);
        if (!nested && !emitKey) {
            r.array((int) take * 2);
        } else if (nested && !emitKey) {
            r.array((int) take);
        } else if (!nested) {
            r.array((int) take * 2 + 1);
            r.bulk(key);
        } else {
            r.array(2);
            r.bulk(key);
            r.array((int) take);
        }
        for (int i = 0; i < members.size(); i++) {
            if (nested) {
                r.array(2);
            }
            r.bulk(members.get(i));
            r.doubleValue(scores.get(i));
        }
    }

    /** The first key among them holding a sorted set, or null (WRONGTYPE on the way throws). */
    private byte[] firstNonEmpty(Client c, byte[][] argv, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Errors.checkType(zsets(c).check(argv[i])) == Status.OK) {
                return argv[i];
            }
        }
        return null;
    }

    public void zmpop(Client c, byte[][] argv, Reply r) {
        MpopArgs m = MpopArgs.parse(argv, 1, "min", "max");
        byte[] key = firstNonEmpty(c, argv, m.firstKey(), m.endKey());
        if (key == null) {
            r.nullArray();
            return;
        }
        pop(c, key, m.second(), m.count(), true, true, true, r);
    }

    public void bzpopmin(Client c, byte[][] argv, Reply r) {
        bzpop(c, argv, r, false);
    }

    public void bzpopmax(Client c, byte[][] argv, Reply r) {
        bzpop(c, argv, r, true);
    }

    private void bzpop(Client c, byte[][] argv, Reply r, boolean max) {
        long deadline = Blocking.deadline(c, argv[argv.length - 1]);
        byte[] key = firstNonEmpty(c, argv, 1, argv.length - 1);
        if (key != null) {
            pop(c, key, max, -1, true, false, false, r);
            return;
        }
        Blocking.block(c, argv, Arrays.copyOfRange(argv, 1, argv.length - 1), deadline, r, false);
    }

    public void bzmpop(Client c, byte[][] argv, Reply r) {
        MpopArgs m = MpopArgs.parse(argv, 2, "min", "max");
        long deadline = Blocking.deadline(c, argv[1]);
        byte[] key = firstNonEmpty(c, argv, m.firstKey(), m.endKey());
        if (key != null) {
            pop(c, key, m.second(), m.count(), true, true, true, r);
            return;
        }
        Blocking.block(c, argv, Arrays.copyOfRange(argv, m.firstKey(), m.endKey()), deadline, r, false);
    }

    // ---- random members, scan ------------------------------------------------------------------

    public void zrandmember(Client c, byte[][] argv, Reply r) {
        if (argv.length > 4 || (argv.length == 4 && !Args.is(argv[3], "withscores"))) {
            throw new Args.Invalid(Errors.SYNTAX);
        }
        RandomGenerator random = c.server().keyspace().random();
        if (argv.length == 2) {
            if (!read(c, argv[1])) {
                r.nullBulk();
                return;
            }
            zset.seek(random.nextInt(zset.size()), true);
            zset.next();
            r.bulk(zset.member.array, zset.member.offset, zset.member.length);
            return;
        }
        long l = Args.parseLong(argv[2]);
        if (l == Long.MIN_VALUE) {
            throw new Args.Invalid("ERR value is out of range, value must between " + -Long.MAX_VALUE + " and " + Long.MAX_VALUE);
        }
        boolean withScores = argv.length == 4;
        if (l < 0 && withScores && l < -Long.MAX_VALUE / 2) {
            throw new Args.Invalid("ERR value is out of range");
        }
        if (!read(c, argv[1])) {
            r.array(0);
            return;
        }
        if (l == 0) {
            r.array(0);
            return;
        }
        int size = zset.size();
        List<Long> ranks = new ArrayList<>();
        if (l < 0) {
            if (-l > Errors.MAX_REPEATED_REPLY) {
                throw new Args.Invalid(Errors.REPLY_TOO_LARGE);
            }
            for (long i = 0; i < -l; i++) {
                ranks.add((long) random.nextInt(size));
            }
        } else if (l >= size) {
            for (long i = 0; i < size; i++) {
                ranks.add(i);
            }
        } else {
            // Floyd's sample of l distinct ranks, in random order.
            java.util.LinkedHashSet<Long> chosen = new java.util.LinkedHashSet<>();
            for (long j = size - l; j < size; j++) {
                long t = random.nextLong(j + 1);
                chosen.add(chosen.contains(t) ? j : t);
            }
            ranks.addAll(chosen);
        }
        boolean pairs = withScores && r.protocol() > 2;
        r.array(withScores && !pairs ? ranks.size() * 2 : ranks.size());
        for (long rank : ranks) {
            zset.seek(rank, true);
            zset.next();
            if (pairs) {
                r.array(2);
            }
            r.bulk(zset.member.array, zset.member.offset, zset.member.length);
            if (withScores) {
                r.doubleValue(zset.score);
            }
        }
    }

    public void zscan(Client c, byte[][] argv, Reply r) {
        long cursor = ScanOptions.cursor(argv[2]);
        if (!read(c, argv[1])) {
            ScanOptions.emptyReply(r);
            return;
        }
        ScanOptions o = ScanOptions.parse(argv, 3, false);
        List<byte[]> found = new ArrayList<>();
        long next = zset.scan(cursor, o.countHint(), (m, off, len, score) -> {
            if (o.matches(m, off, len)) {
                found.add(Arrays.copyOfRange(m, off, off + len));
                found.add(dev.panda.store.value.Scores.text(score).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
        });
        r.array(2);
        r.bulk(Long.toUnsignedString(next));
        r.array(found.size());
        found.forEach(r::bulk);
    }

    // ---- set algebra ---------------------------------------------------------------------------

    private enum Op { UNION, INTER, DIFF }

    private enum Aggregate { SUM, MIN, MAX }

    /** One input of ZUNION/ZINTER/ZDIFF: a sorted set or a set (scores 1), as member → score. */
    private record Source(Map<ByteBuffer, Double> members, double weight) {
    }

    public void zunion(Client c, byte[][] argv, Reply r) {
        algebra(c, argv, r, 1, null, Op.UNION, false);
    }

    public void zinter(Client c, byte[][] argv, Reply r) {
        algebra(c, argv, r, 1, null, Op.INTER, false);
    }

    public void zdiff(Client c, byte[][] argv, Reply r) {
        algebra(c, argv, r, 1, null, Op.DIFF, false);
    }

    public void zunionstore(Client c, byte[][] argv, Reply r) {
        algebra(c, argv, r, 2, argv[1], Op.UNION, false);
    }

    public void zinterstore(Client c, byte[][] argv, Reply r) {
        algebra(c, argv, r, 2, argv[1], Op.INTER, false);
    }

    public void zdiffstore(Client c, byte[][] argv, Reply r) {
        algebra(c, argv, r, 2, argv[1], Op.DIFF, false);
    }

    public void zintercard(Client c, byte[][] argv, Reply r) {
        algebra(c, argv, r, 1, null, Op.INTER, true);
    }

    private void algebra(Client c, byte[][] argv, Reply r, int numkeysAt, byte[] dst, Op op, boolean cardinalityOnly) {
        long setnum = Args.parseLong(argv[numkeysAt]);
        if (setnum < 1) {
            throw new Args.Invalid("ERR at least 1 input key is needed for '" + Args.text(argv[0]).toLowerCase(java.util.Locale.ROOT) + "' command");
        }
        if (setnum > argv.length - (numkeysAt + 1)) {
            throw new Args.Invalid(Errors.SYNTAX);
        }
        int n = (int) setnum;
        Database db = db(c);
        ValueType[] types = new ValueType[n];
        for (int i = 0; i < n; i++) {
            types[i] = db.type(argv[numkeysAt + 1 + i]);
            if (types[i] != null && types[i] != ValueType.ZSET && types[i] != ValueType.SET) {
                throw new Args.Invalid(Errors.WRONGTYPE);
            }
        }
        double[] weights = new double[n];
        Arrays.fill(weights, 1.0);
        Aggregate aggregate = Aggregate.SUM;
        boolean withScores = false;
        long limit = 0;
        int j = numkeysAt + 1 + n;
        int remaining = argv.length - j;
        while (remaining > 0) {
            if (op != Op.DIFF && !cardinalityOnly && remaining >= n + 1 && Args.is(argv[j], "weights")) {
                j++;
                remaining--;
                for (int i = 0; i < n; i++, j++, remaining--) {
                    weights[i] = Args.parseDouble(argv[j], "ERR weight value is not a float");
                }
            } else if (op != Op.DIFF && !cardinalityOnly && remaining >= 2 && Args.is(argv[j], "aggregate")) {
                j++;
                if (Args.is(argv[j], "sum")) {
                    aggregate = Aggregate.SUM;
                } else if (Args.is(argv[j], "min")) {
                    aggregate = Aggregate.MIN;
                } else if (Args.is(argv[j], "max")) {
                    aggregate = Aggregate.MAX;
                } else {
                    throw new Args.Invalid(Errors.SYNTAX);
                }
                j++;
                remaining -= 2;
            } else if (remaining >= 1 && dst == null && !cardinalityOnly && Args.is(argv[j], "withscores")) {
                j++;
                remaining--;
                withScores = true;
            } else if (cardinalityOnly && remaining >= 2 && Args.is(argv[j], "limit")) {
                limit = Args.parseNonNegative(argv[j + 1], "ERR LIMIT can't be negative");
                j += 2;
                remaining -= 2;
            } else {
                throw new Args.Invalid(Errors.SYNTAX);
            }
        }
        List<Source> sources = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sources.add(new Source(load(c, argv[numkeysAt + 1 + i], types[i]), weights[i]));
        }
        if (op != Op.DIFF) {
            sources.sort((a, b) -> Integer.compare(a.members.size(), b.members.size()));
        }
        Map<ByteBuffer, Double> result = new HashMap<>();
        switch (op) {
            case UNION -> {
                for (Source s : sources) {
                    for (var e : s.members.entrySet()) {
                        double v = weighted(e.getValue(), s.weight);
                        Double prev = result.get(e.getKey());
                        result.put(e.getKey(), prev == null ? v : combine(prev, v, aggregate));
                    }
                }
            }
            case INTER -> {
                if (!sources.get(0).members.isEmpty()) {
                    outer:
                    for (var e : sources.get(0).members.entrySet()) {
                        double score = weighted(e.getValue(), sources.get(0).weight);
                        for (int i = 1; i < sources.size(); i++) {
                            Double other = sources.get(i).members.get(e.getKey());
                            if (other == null) {
                                continue outer;
                            }
                            score = combine(score, weighted(other, sources.get(i).weight), aggregate);
                        }
                        result.put(e.getKey(), score);
                        if (cardinalityOnly && limit > 0 && result.size() >= limit) {
                            break;
                        }
                    }
                }
            }
            case DIFF -> {
                outer:
                for (var e : sources.get(0).members.entrySet()) {
                    for (int i = 1; i < sources.size(); i++) {
                        if (sources.get(i).members.containsKey(e.getKey())) {
                            continue outer;
                        }
                    }
                    result.put(e.getKey(), e.getValue());
                }
            }
            default -> throw new IllegalStateException();
        }
        if (cardinalityOnly) {
            r.integer(result.size());
            return;
        }
        List<Scored> items = new ArrayList<>(result.size());
        result.forEach((k, v) -> items.add(new Scored(k.array(), v)));
        items.sort((a, b) -> {
            int cmp = Double.compare(a.score, b.score);
            if (a.score == b.score) {
                cmp = 0;
            }
            return cmp != 0 ? cmp : Arrays.compareUnsigned(a.member, b.member);
        });
        if (dst != null) {
            store(c, dst, items);
            r.integer(items.size());
        } else {
            replyRange(r, items, withScores);
        }
    }

    private static double weighted(double score, double weight) {
        double v = score * weight;
        return Double.isNaN(v) ? 0 : v;
    }

    private static double combine(double a, double b, Aggregate aggregate) {
        return switch (aggregate) {
            case SUM -> {
                double s = a + b;
                yield Double.isNaN(s) ? 0 : s;
            }
            case MIN -> Math.min(a, b);
            case MAX -> Math.max(a, b);
        };
    }

    private Map<ByteBuffer, Double> load(Client c, byte[] key, ValueType type) {
        Map<ByteBuffer, Double> out = new HashMap<>();
        if (type == ValueType.ZSET) {
            ZsetReader reader = new ZsetReader();
            zsets(c).read(key, reader);
            if (reader.size() > 0) {
                reader.seek(0, true);
                while (reader.next()) {
                    out.put(ByteBuffer.wrap(reader.member.toArray()), reader.score);
                }
            }
        } else if (type == ValueType.SET) {
            SetReader set = new SetReader();
            db(c).sets().read(key, set);
            set.forEach((m, off, len) -> out.put(ByteBuffer.wrap(Arrays.copyOfRange(m, off, off + len)), 1.0));
        }
        return out;
    }
}
