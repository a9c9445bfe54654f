package dev.panda.command.geo;

import java.util.Comparator;

/**
 * Redis's {@code pqsort} (NetBSD's quicksort, recursing only into the parts that overlap the
 * wanted range), ported step for step: GEORADIUS and GEOSEARCH with COUNT sort with it, and
 * since it is not stable, points at equal distances come out in its order, which only a faithful
 * port reproduces. Pure function on the array; any thread.
 */
public final class PartialSort {
    private PartialSort() {
    }

    /** Sorts {@code a[0, n)} enough that positions {@code [lrange, rrange]} hold what a full sort would. */
    public static <T> void sort(T[] a, int n, Comparator<? super T> cmp, int lrange, int rrange) {
        sort(a, 0, n, cmp, lrange, rrange);
    }

    private static <T> void sort(T[] a, int base, int n, Comparator<? super T> cmp, int lo, int hi) {
        while (true) {
            if (n < 7) {
                for (int pm = base + 1; pm < base + n; pm++) {
                    for (int pl = pm; pl > base && cmp.compare(a[pl - 1], a[pl]) > 0; pl--) {
                        swap(a, pl, pl - 1);
                    }
                }
                return;
            }
            int pm = base + n / 2;
            if (n > 7) {
                int pl = base;
                int pn = base + n - 1;
                if (n > 40) {
                    int d = n / 8;
                    pl = med3(a, pl, pl + d, pl + 2 * d, cmp);
                    pm = med3(a, pm - d, pm, pm + d, cmp);
                    pn = med3(a, pn - 2 * d, pn - d, pn, cmp);
                }
                pm = med3(a, pl, pm, pn, cmp);
            }
            swap(a, base, pm);
            int pa = base + 1;
            int pb = pa;
            int pc = base + n - 1;
            int pd = pc;
            while (true) {
                int c;
                while (pb <= pc && (c = cmp.compare(a[pb], a[base])) <= 0) {
                    if (c == 0) {
                        swap(a, pa, pb);
                        pa++;
                    }
                    pb++;
                }
                while (pb <= pc && (c = cmp.compare(a[pc], a[base])) >= 0) {
                    if (c == 0) {
                        swap(a, pc, pd);
                        pd--;
                    }
                    pc--;
                }
                if (pb > pc) {
                    break;
                }
                swap(a, pb, pc);
                pb++;
                pc--;
            }
            int pn = base + n;
            int r = Math.min(pa - base, pb - pa);
            vecswap(a, base, pb - r, r);
            r = Math.min(pd - pc, pn - pd - 1);
            vecswap(a, pb, pn - r, r);
            r = pb - pa;
            if (r > 1 && overlaps(base, base + r - 1, lo, hi)) {
                sort(a, base, r, cmp, lo, hi);
            }
            r = pd - pc;
            if (r > 1) {
                int start = pn - r;
                if (overlaps(start, start + r - 1, lo, hi)) {
                    base = start;
                    n = r;
                    continue;
                }
            }
            return;
        }
    }

    /** Whether the segment [s, e] holds any of the wanted positions [lo, hi] (Redis's test). */
    private static boolean overlaps(int s, int e, int lo, int hi) {
        return !((lo < s && hi < s) || (lo > e && hi > e));
    }

    private static <T> int med3(T[] a, int i, int j, int k, Comparator<? super T> cmp) {
        return cmp.compare(a[i], a[j]) < 0
                ? (cmp.compare(a[j], a[k]) < 0 ? j : (cmp.compare(a[i], a[k]) < 0 ? k : i))
                : (cmp.compare(a[j], a[k]) > 0 ? j : (cmp.compare(a[i], a[k]) < 0 ? i : k));
    }

    private static <T> void swap(T[] a, int i, int j) {
        T t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    private static <T> void vecswap(T[] a, int i, int j, int n) {
        for (int k = 0; k < n; k++) {
            swap(a, i + k, j + k);
        }
    }
}
