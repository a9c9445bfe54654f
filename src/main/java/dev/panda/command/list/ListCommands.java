package dev.panda.command.list;

import dev.panda.command.Args;
import dev.panda.command.Blocking;
import dev.panda.command.Client;
import dev.panda.command.Errors;
import dev.panda.command.IndexRange;
import dev.panda.command.MpopArgs;
import dev.panda.protocol.Reply;
import dev.panda.store.Count;
import dev.panda.store.Database;
import dev.panda.store.ListReader;
import dev.panda.store.Lists;
import dev.panda.store.Slice;
import dev.panda.store.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * The list commands with Redis 7.0's replies and error texts ({@code t_list.c}), blocking ones
 * included: arguments are parsed and replies shaped here; reads go through a {@link ListReader}
 * and every change through {@link Lists}, which logs it (a pop as how many it removed from which
 * end, LMOVE as a pop and a push in one record). A blocking command that finds nothing parks
 * its client with {@link Blocking}, which runs it again when a key it waits on gets elements.
 * Store thread only.
 */
public final class ListCommands {
    private final ListReader list = new ListReader();
    private final Slice slice = new Slice();
    private final Count count = new Count();

    private static Database db(Client c) {
        return c.server().keyspace().db(c.db());
    }

    private static Lists lists(Client c) {
        return db(c).lists();
    }

    private boolean read(Client c, byte[] key) {
        return Errors.checkType(lists(c).read(key, list)) == Status.OK;
    }

    // ---- pushes --------------------------------------------------------------------------------

    public void lpush(Client c, byte[][] argv, Reply r) {
        push(c, argv, r, true, false);
    }

    public void rpush(Client c, byte[][] argv, Reply r) {
        push(c, argv, r, false, false);
    }

    public void lpushx(Client c, byte[][] argv, Reply r) {
        push(c, argv, r, true, true);
    }

    public void rpushx(Client c, byte[][] argv, Reply r) {
        push(c, argv, r, false, true);
    }

    private void push(Client c, byte[][] argv, Reply r, boolean head, boolean onlyExisting) {
        if (onlyExisting && Errors.checkType(lists(c).check(argv[1])) == Status.NOT_FOUND) {
            r.integer(0);
            return;
        }
        Errors.checkType(lists(c).push(argv[1], head, argv, 2, argv.length, count));
        r.integer(count.value);
    }

    // ---- pops ----------------------------------------------------------------------------------

    public void lpop(Client c, byte[][] argv, Reply r) {
        pop(c, argv, r, true);
    }

    public void rpop(Client c, byte[][] argv, Reply r) {
        pop(c, argv, r, false);
    }

    private void pop(Client c, byte[][] argv, Reply r, boolean head) {
        if (argv.length > 3) {
            r.error(Errors.wrongArgs(head ? "lpop" : "rpop"));
            return;
        }
        boolean hasCount = argv.length == 3;
        long n = hasCount ? Args.parseNonNegative(argv[2], Errors.NOT_POSITIVE) : 1;
        Status s = Errors.checkType(lists(c).check(argv[1]));
        if (s == Status.NOT_FOUND) {
            if (hasCount) {
                r.nullArray();
            } else {
                r.nullBulk();
            }
            return;
        }
        if (hasCount && n == 0) {
            r.array(0);
            return;
        }
        List<byte[]> out = new ArrayList<>();
        lists(c).pop(argv[1], head, n, out);
        if (!hasCount) {
            r.bulk(out.get(0));
            return;
        }
        r.array(out.size());
        out.forEach(r::bulk);
    }

    // ---- reads ---------------------------------------------------------------------------------

    public void llen(Client c, byte[][] argv, Reply r) {
        r.integer(read(c, argv[1]) ? list.size() : 0);
    }

    public void lindex(Client c, byte[][] argv, Reply r) {
        long index = Args.parseLong(argv[2]);
        if (!read(c, argv[1])) {
            r.nullBulk();
            return;
        }
        long size = list.size();
        long i = index < 0 ? size + index : index;
        if (i < 0 || i >= size) {
            r.nullBulk();
            return;
        }
        list.get(i, slice);
        r.bulk(slice.array, slice.offset, slice.length);
    }

    public void lrange(Client c, byte[][] argv, Reply r) {
        long start = Args.parseLong(argv[2]);
        long end = Args.parseLong(argv[3]);
        if (!read(c, argv[1])) {
            r.array(0);
            return;
        }
        range(r, start, end, false);
    }

    /** LRANGE's reply: elements start..end, normalised as Redis does. */
    private void range(Reply r, long start, long end, boolean reverse) {
        long[] range = IndexRange.of(start, end, list.size());
        if (range == null) {
            r.array(0);
            return;
        }
        long n = range[1] - range[0] + 1;
        r.array((int) n);
        list.seek(reverse ? range[1] : range[0], !reverse);
        for (long i = 0; i < n && list.next(slice); i++) {
            r.bulk(slice.array, slice.offset, slice.length);
        }
    }

    public void lpos(Client c, byte[][] argv, Reply r) {
        byte[] element = argv[2];
        long rank = 1;
        long wanted = -1;
        long maxlen = 0;
        for (int j = 3; j < argv.length; j++) {
            boolean more = j + 1 < argv.length;
            if (Args.is(argv[j], "rank") && more) {
                rank = Args.parseLong(argv[++j]);
                if (rank == 0) {
                    throw new Args.Invalid("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
                            + "or use negative to start from the end of the list");
                }
            } else if (Args.is(argv[j], "count") && more) {
                wanted = Args.parseNonNegative(argv[++j], "ERR COUNT can't be negative");
            } else if (Args.is(argv[j], "maxlen") && more) {
                maxlen = Args.parseNonNegative(argv[++j], "ERR MAXLEN can't be negative");
            } else {
                throw new Args.Invalid(Errors.SYNTAX);
            }
        }
        boolean forward = rank > 0;
        rank = Math.abs(rank);
        if (!read(c, argv[1])) {
            if (wanted != -1) {
                r.array(0);
            } else {
                r.nullBulk();
            }
            return;
        }
        long size = list.size();
        List<Long> found = new ArrayList<>();
        long matches = 0;
        long index = 0;
        list.seek(forward ? 0 : size - 1, forward);
        while (list.next(slice) && (maxlen == 0 || index < maxlen)) {
            if (java.util.Arrays.equals(slice.array, slice.offset, slice.offset + slice.length, element, 0, element.length)) {
                matches++;
                if (matches >= rank) {
                    found.add(forward ? index : size - index - 1);
                    if (wanted == -1 || (wanted != 0 && matches - rank + 1 >= wanted)) {
                        break;
                    }
                }
            }
            index++;
        }
        if (wanted != -1) {
            r.array(found.size());
            found.forEach(r::integer);
        } else if (found.isEmpty()) {
            r.nullBulk();
        } else {
            r.integer(found.get(0));
        }
    }

    // ---- changes -------------------------------------------------------------------------------

    public void lset(Client c, byte[][] argv, Reply r) {
        long index = Args.parseLong(argv[2]);
        Status s = Errors.checkType(lists(c).set(argv[1], index, argv[3], count));
        if (s == Status.NOT_FOUND) {
            r.error(Errors.NO_SUCH_KEY);
        } else if (count.value == 0) {
            r.error("ERR index out of range");
        } else {
            r.ok();
        }
    }

    public void linsert(Client c, byte[][] argv, Reply r) {
        boolean after;
        if (Args.is(argv[2], "after")) {
            after = true;
        } else if (Args.is(argv[2], "before")) {
            after = false;
        } else {
            throw new Args.Invalid(Errors.SYNTAX);
        }
        if (Errors.checkType(lists(c).peek(argv[1], list)) == Status.NOT_FOUND) {
            r.integer(0);
            return;
        }
        byte[] pivot = argv[3];
        long index = 0;
        long at = -1;
        long size = list.size();
        if (size > 0) {
            list.seek(0, true);
            while (list.next(slice)) {
                if (java.util.Arrays.equals(slice.array, slice.offset, slice.offset + slice.length, pivot, 0, pivot.length)) {
                    at = after ? index + 1 : index;
                    break;
                }
                index++;
            }
        }
        if (at < 0) {
            r.integer(-1);
            return;
        }
        lists(c).insertAt(argv[1], at, argv[4]);
        r.integer(size + 1);
    }

    public void lrem(Client c, byte[][] argv, Reply r) {
        long n = Args.parseLong(argv[2]);
        Errors.checkType(lists(c).remove(argv[1], n, argv[3], count));
        r.integer(count.value);
    }

    public void ltrim(Client c, byte[][] argv, Reply r) {
        long start = Args.parseLong(argv[2]);
        long end = Args.parseLong(argv[3]);
        if (Errors.checkType(lists(c).peek(argv[1], list)) == Status.NOT_FOUND) {
            r.ok();
            return;
        }
        long[] range = IndexRange.of(start, end, list.size());
        if (range == null) {
            lists(c).trim(argv[1], 1, 0); // empty: the list goes
        } else {
            lists(c).trim(argv[1], range[0], range[1]);
        }
        r.ok();
    }

    // ---- moves ---------------------------------------------------------------------------------

    static boolean side(byte[] arg) {
        if (Args.is(arg, "left")) {
            return true;
        }
        if (Args.is(arg, "right")) {
            return false;
        }
        throw new Args.Invalid(Errors.SYNTAX);
    }

    public void lmove(Client c, byte[][] argv, Reply r) {
        boolean from = side(argv[3]);
        boolean to = side(argv[4]);
        if (!move(c, argv[1], argv[2], from, to, r)) {
            r.nullBulk();
        }
    }

    public void rpoplpush(Client c, byte[][] argv, Reply r) {
        if (!move(c, argv[1], argv[2], false, true, r)) {
            r.nullBulk();
        }
    }

    /** Pops from src and pushes onto dst, replying with the element; false (no reply) when src is empty. */
    private boolean move(Client c, byte[] src, byte[] dst, boolean fromHead, boolean toHead, Reply r) {
        Lists lists = lists(c);
        if (Errors.checkType(lists.check(src)) == Status.NOT_FOUND) {
            return false;
        }
        Errors.checkType(lists.check(dst));
        // Rotating a one-element list onto itself empties it for an instant: Redis pushes before it
        // deletes, so the key keeps its deadline; here the deadline is given back.
        dev.panda.store.Database db = c.server().keyspace().db(c.db());
        long deadline = java.util.Arrays.equals(src, dst) ? db.deadline(src) : -1;
        List<byte[]> out = new ArrayList<>(1);
        lists.pop(src, fromHead, 1, out);
        byte[] value = out.get(0);
        lists.push(dst, toHead, new byte[][] {value}, 0, 1, count);
        if (deadline >= 0 && db.deadline(dst) < 0) {
            db.expireAt(dst, deadline);
        }
        r.bulk(value);
        return true;
    }

    public void lmpop(Client c, byte[][] argv, Reply r) {
        MpopArgs m = MpopArgs.parse(argv, 1, "left", "right");
        if (!mpop(c, argv, m, r)) {
            r.nullArray();
        }
    }

    /** Pops from the first non-empty list among the keys: [key, [elements]]; false (no reply) when none. */
    private boolean mpop(Client c, byte[][] argv, MpopArgs m, Reply r) {
        for (int i = m.firstKey(); i < m.endKey(); i++) {
            if (Errors.checkType(lists(c).check(argv[i])) == Status.OK) {
                List<byte[]> out = new ArrayList<>();
                lists(c).pop(argv[i], !m.second(), m.count(), out);
                r.array(2);
                r.bulk(argv[i]);
                r.array(out.size());
                out.forEach(r::bulk);
                return true;
            }
        }
        return false;
    }

    // ---- blocking ------------------------------------------------------------------------------

    public void blpop(Client c, byte[][] argv, Reply r) {
        bpop(c, argv, r, true);
    }

    public void brpop(Client c, byte[][] argv, Reply r) {
        bpop(c, argv, r, false);
    }

    private void bpop(Client c, byte[][] argv, Reply r, boolean head) {
        long deadline = Blocking.deadline(c, argv[argv.length - 1]);
        for (int i = 1; i < argv.length - 1; i++) {
            if (Errors.checkType(lists(c).check(argv[i])) == Status.OK) {
                List<byte[]> out = new ArrayList<>(1);
                lists(c).pop(argv[i], head, 1, out);
                r.array(2);
                r.bulk(argv[i]);
                r.bulk(out.get(0));
                return;
            }
        }
        Blocking.block(c, argv, java.util.Arrays.copyOfRange(argv, 1, argv.length - 1), deadline, r, false);
    }

    public void blmove(Client c, byte[][] argv, Reply r) {
        boolean from = side(argv[3]);
        boolean to = side(argv[4]);
        long deadline = Blocking.deadline(c, argv[5]);
        if (!move(c, argv[1], argv[2], from, to, r)) {
            Blocking.block(c, argv, new byte[][] {argv[1]}, deadline, r, true);
        }
    }

    public void brpoplpush(Client c, byte[][] argv, Reply r) {
        long deadline = Blocking.deadline(c, argv[3]);
        if (!move(c, argv[1], argv[2], false, true, r)) {
            Blocking.block(c, argv, new byte[][] {argv[1]}, deadline, r, true);
        }
    }

    public void blmpop(Client c, byte[][] argv, Reply r) {
        MpopArgs m = MpopArgs.parse(argv, 2, "left", "right");
        long deadline = Blocking.deadline(c, argv[1]);
        if (!mpop(c, argv, m, r)) {
            Blocking.block(c, argv, java.util.Arrays.copyOfRange(argv, m.firstKey(), m.endKey()), deadline, r, false);
        }
    }
}
