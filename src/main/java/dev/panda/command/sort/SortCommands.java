package dev.panda.command.sort;

import dev.panda.command.Args;
import dev.panda.command.Client;
import dev.panda.command.Errors;
import dev.panda.command.geo.PartialSort;
import dev.panda.protocol.Reply;
import dev.panda.store.Count;
import dev.panda.store.Database;
import dev.panda.store.HashReader;
import dev.panda.store.ListReader;
import dev.panda.store.SetReader;
import dev.panda.store.Slice;
import dev.panda.store.Status;
import dev.panda.store.ZsetReader;
import dev.panda.store.value.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SORT and SORT_RO as Redis 7.0's {@code sort.c}: lists, sets and sorted sets; numeric or ALPHA
 * order, ASC/DESC, LIMIT, BY with key patterns ({@code *}, {@code ->field}) or a constant pattern
 * (no sorting), GET patterns ({@code #}, keys, hash fields), STORE as a list. Numeric ties fall
 * back to the elements' bytes as in Redis; the stable sort stands in for glibc's qsort (a merge
 * sort), and a BY sort with LIMIT uses Redis's partial quicksort. Store thread only.
 */
public final class SortCommands {
    /** One element with its sort key. */
    private static final class Item {
        final byte[] obj;
        double score;
        byte[] cmp;

        Item(byte[] obj) {
            this.obj = obj;
        }
    }

    public void sort(Client c, byte[][] argv, Reply r) {
        sortGeneric(c, argv, r, false);
    }

    public void sortRo(Client c, byte[][] argv, Reply r) {
        sortGeneric(c, argv, r, true);
    }

    private static int compareBytes(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    private static void sortGeneric(Client c, byte[][] argv, Reply r, boolean readonly) {
        boolean desc = false;
        boolean alpha = false;
        long limitStart = 0;
        long limitCount = -1;
        byte[] sortBy = null;
        byte[] storeKey = null;
        boolean dontSort = false;
        List<byte[]> gets = new ArrayList<>();
        for (int j = 2; j < argv.length; j++) {
            int left = argv.length - j - 1;
            if (Args.is(argv[j], "asc")) {
                desc = false;
            } else if (Args.is(argv[j], "desc")) {
                desc = true;
            } else if (Args.is(argv[j], "alpha")) {
                alpha = true;
            } else if (Args.is(argv[j], "limit") && left >= 2) {
                limitStart = Args.parseLong(argv[j + 1]);
                limitCount = Args.parseLong(argv[j + 2]);
                j += 2;
            } else if (!readonly && Args.is(argv[j], "store") && left >= 1) {
                storeKey = argv[++j];
            } else if (Args.is(argv[j], "by") && left >= 1) {
                sortBy = argv[++j];
                if (indexOf(sortBy, (byte) '*', 0) < 0) {
                    dontSort = true;
                }
            } else if (Args.is(argv[j], "get") && left >= 1) {
                gets.add(argv[++j]);
            } else {
                r.error(Errors.SYNTAX);
                return;
            }
        }
        Database db = c.server().keyspace().db(c.db());
        ValueType type = db.type(argv[1]);
        if (type != null && type != ValueType.LIST && type != ValueType.SET && type != ValueType.ZSET) {
            r.error(Errors.WRONGTYPE);
            return;
        }
        if (dontSort && type == ValueType.SET && (storeKey != null || c.isScript())) {
            dontSort = false; // a set has no order of its own: sort it, so the result does not depend on the representation
            alpha = true;
            sortBy = null;
        }
        if (type == ValueType.ZSET) {
            db.zsets().convertToSkiplist(argv[1]); // Redis's SORT leaves a sorted set skip-list encoded
        }
        List<Item> items = new ArrayList<>();
        long vectorLen = type == null ? 0 : size(db, argv[1], type);
        long start = Math.min(Math.max(limitStart, 0), vectorLen);
        limitCount = Math.min(Math.max(limitCount, -1), vectorLen);
        long end = limitCount < 0 ? vectorLen - 1 : start + limitCount - 1;
        if (start >= vectorLen) {
            start = vectorLen - 1;
            end = vectorLen - 2;
        }
        if (end >= vectorLen) {
            end = vectorLen - 1;
        }
        if (type == ValueType.LIST || type == ValueType.ZSET) {
            if (dontSort) {
                if (end >= start) {
                    collectOrdered(db, argv[1], type, start, end - start + 1, desc, items);
                    end -= start;
                    start = 0;
                }
            } else {
                collectOrdered(db, argv[1], type, 0, vectorLen, false, items);
            }
        } else if (type == ValueType.SET) {
            SetReader set = new SetReader();
            db.sets().read(argv[1], set);
            set.forEach((a, off, len) -> items.add(new Item(Arrays.copyOfRange(a, off, off + len))));
        }
        boolean conversionError = false;
        if (!dontSort) {
            for (Item it : items) {
                byte[] by = sortBy == null ? it.obj : lookupByPattern(db, sortBy, it.obj);
                if (by == null) {
                    continue;
                }
                if (alpha) {
                    if (sortBy != null) {
                        it.cmp = by;
                    }
                } else {
                    Double d = strtod(by);
                    if (d == null) {
                        conversionError = true;
                    } else {
                        it.score = d;
                    }
                }
            }
            final boolean isAlpha = alpha;
            final boolean byPattern = sortBy != null;
            final boolean isDesc = desc;
            Comparator<Item> cmp = (a, b) -> {
                int v;
                if (!isAlpha) {
                    v = a.score > b.score ? 1 : a.score < b.score ? -1 : compareBytes(a.obj, b.obj);
                } else if (byPattern) {
                    if (a.cmp == null || b.cmp == null) {
                        v = a.cmp == b.cmp ? 0 : a.cmp == null ? -1 : 1;
                    } else {
                        v = compareBytes(a.cmp, b.cmp);
                    }
                } else {
                    v = compareBytes(a.obj, b.obj);
                }
                return isDesc ? -v : v;
            };
            Item[] arr = items.toArray(new Item[0]);
            if (sortBy != null && (start != 0 || end != arr.length - 1) && arr.length > 0) {
                PartialSort.sort(arr, arr.length, cmp, (int) Math.max(0, start), (int) Math.max(0, end));
            } else {
                Arrays.sort(arr, cmp);
            }
            items.clear();
            items.addAll(Arrays.asList(arr));
        }
        int getOps = gets.size();
        long count = Math.max(0, end - start + 1);
        long outputLen = getOps > 0 ? getOps * count : count;
        if (conversionError) {
            r.error("ERR One or more scores can't be converted into double");
            return;
        }
        if (storeKey == null) {
            r.array((int) outputLen);
            for (long j = start; j <= end; j++) {
                Item it = items.get((int) j);
                if (getOps == 0) {
                    r.bulk(it.obj);
                }
                for (byte[] pattern : gets) {
                    byte[] val = lookupByPattern(db, pattern, it.obj);
                    if (val == null) {
                        r.nullBulk();
                    } else {
                        r.bulk(val);
                    }
                }
            }
            return;
        }
        List<byte[]> out = new ArrayList<>();
        for (long j = start; j <= end; j++) {
            Item it = items.get((int) j);
            if (getOps == 0) {
                out.add(it.obj);
            }
            for (byte[] pattern : gets) {
                byte[] val = lookupByPattern(db, pattern, it.obj);
                out.add(val == null ? new byte[0] : val);
            }
        }
        db.delete(storeKey);
        if (!out.isEmpty()) {
            byte[][] elements = out.toArray(new byte[0][]);
            db.lists().push(storeKey, false, elements, 0, elements.length, new Count());
        }
        r.integer(outputLen);
    }

    private static long size(Database db, byte[] key, ValueType type) {
        return switch (type) {
            case LIST -> {
                ListReader l = new ListReader();
                db.lists().read(key, l);
                yield l.size();
            }
            case SET -> {
                SetReader s = new SetReader();
                db.sets().read(key, s);
                yield s.size();
            }
            default -> {
                ZsetReader z = new ZsetReader();
                db.zsets().read(key, z);
                yield z.size();
            }
        };
    }

    /** {@code count} elements of a list or sorted set from position {@code start}, from the tail end when {@code desc}. */
    private static void collectOrdered(Database db, byte[] key, ValueType type, long start, long count, boolean desc, List<Item> out) {
        if (type == ValueType.LIST) {
            ListReader l = new ListReader();
            db.lists().read(key, l);
            Slice s = new Slice();
            l.seek(desc ? l.size() - start - 1 : start, !desc);
            for (long i = 0; i < count && l.next(s); i++) {
                out.add(new Item(s.toArray()));
            }
        } else {
            ZsetReader z = new ZsetReader();
            db.zsets().read(key, z);
            z.seek(desc ? z.size() - start - 1 : start, !desc);
            for (long i = 0; i < count && z.next(); i++) {
                out.add(new Item(z.member.toArray()));
            }
        }
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** lookupKeyByPattern: "#" is the element; the first '*' takes the element; "->field" reads a hash field. */
    private static byte[] lookupByPattern(Database db, byte[] pattern, byte[] subst) {
        if (pattern.length == 1 && pattern[0] == '#') {
            return subst;
        }
        int star = indexOf(pattern, (byte) '*', 0);
        if (star < 0) {
            return null;
        }
        int arrow = -1;
        for (int i = star + 1; i + 1 < pattern.length; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                arrow = i;
                break;
            }
        }
        byte[] field = null;
        int keyEnd = pattern.length;
        if (arrow >= 0 && arrow + 2 < pattern.length) {
            field = Arrays.copyOfRange(pattern, arrow + 2, pattern.length);
            keyEnd = arrow;
        }
        byte[] key = new byte[star + subst.length + (keyEnd - star - 1)];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(subst, 0, key, star, subst.length);
        System.arraycopy(pattern, star + 1, key, star + subst.length, keyEnd - star - 1);
        ValueType t = db.type(key);
        if (t == null) {
            return null;
        }
        Slice out = new Slice();
        if (field != null) {
            if (t != ValueType.HASH) {
                return null;
            }
            HashReader h = new HashReader();
            db.hashes().read(key, h);
            return h.get(field, out) ? out.toArray() : null;
        }
        if (t != ValueType.STRING) {
            return null;
        }
        return db.strings().get(key, out) == Status.OK ? out.toArray() : null;
    }

    /** strtod over the whole value, as SORT reads weights: null when it is not all a number, NaN, or out of range (ERANGE). */
    private static Double strtod(byte[] v) {
        String s = new String(v, java.nio.charset.StandardCharsets.ISO_8859_1);
        double d = dev.panda.command.Strtod.parse(s);
        if (Double.isNaN(d) || (Double.isInfinite(d) && !s.toLowerCase(java.util.Locale.ROOT).contains("inf"))) {
            return null;
        }
        return d;
    }
}
