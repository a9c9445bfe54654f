package dev.panda.command.string;

import java.util.ArrayList;
import java.util.List;

/**
 * The longest common subsequence of two strings as Redis's {@code lcsCommand} computes it: the
 * full dynamic-programming table, then one walk back from its corner that builds the sequence and
 * the matched ranges (last first), so ties resolve as in Redis. Pure; any thread.
 */
final class Lcs {
    /** One matched range: positions in a and in b (inclusive), and its length. */
    record Match(int aStart, int aEnd, int bStart, int bEnd) {
        int length() {
            return aEnd - aStart + 1;
        }
    }

    /** The subsequence, its length, and the matches (Redis's order) of at least {@code minMatchLen}. */
    record Result(byte[] lcs, int length, List<Match> matches) {
    }

    private Lcs() {
    }

    static Result of(byte[] a, byte[] b, long minMatchLen) {
        int alen = a.length;
        int blen = b.length;
        int width = blen + 1;
        int[] table = new int[(alen + 1) * width];
        for (int i = 1; i <= alen; i++) {
            for (int j = 1; j <= blen; j++) {
                table[i * width + j] = a[i - 1] == b[j - 1] ? table[(i - 1) * width + j - 1] + 1
                        : Math.max(table[(i - 1) * width + j], table[i * width + j - 1]);
            }
        }
        int idx = table[alen * width + blen];
        int total = idx;
        byte[] result = new byte[idx];
        List<Match> matches = new ArrayList<>();
        int aStart = alen; // alen: no range open
        int aEnd = 0;
        int bStart = 0;
        int bEnd = 0;
        int i = alen;
        int j = blen;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                result[idx - 1] = a[i - 1];
                if (aStart == alen) {
                    aStart = i - 1;
                    aEnd = i - 1;
                    bStart = j - 1;
                    bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) {
                    emit = true;
                }
                idx--;
                i--;
                j--;
            } else {
                if (table[(i - 1) * width + j] > table[i * width + j - 1]) {
                    i--;
                } else {
                    j--;
                }
                if (aStart != alen) {
                    emit = true;
                }
            }
            if (emit) {
                Match m = new Match(aStart, aEnd, bStart, bEnd);
                if (minMatchLen == 0 || m.length() >= minMatchLen) {
                    matches.add(m);
                }
                aStart = alen;
            }
        }
        return new Result(result, total, matches);
    }
}
