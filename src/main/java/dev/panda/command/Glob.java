package dev.panda.command;

/**
 * Redis's glob-style matching ({@code stringmatchlen}): {@code *}, {@code ?}, {@code [abc]},
 * {@code [^a]}, {@code [a-z]} and backslash escapes, on bytes. Used by KEYS, SCAN MATCH and
 * CONFIG GET. Pure function; any thread.
 */
public final class Glob {
    private Glob() {
    }

    public static boolean matches(byte[] pattern, byte[] string, boolean noCase) {
        return match(pattern, 0, string, 0, noCase, 0, new boolean[1]);
    }

    private static int fold(int c, boolean noCase) {
        return noCase && c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    /**
     * {@code skipLongerMatches[0]} is Redis's fix for CVE-2022-36021: once the rest of the pattern
     * after a '*' has failed at every position, earlier stars cannot help by consuming more, so
     * the whole match fails instead of backtracking exponentially.
     */
    private static boolean match(byte[] p, int pi, byte[] s, int si, boolean noCase, int depth, boolean[] skipLongerMatches) {
        if (depth > 1000) {
            return false; // pathological patterns: stop rather than recurse without bound
        }
        while (pi < p.length && si < s.length) {
            switch (p[pi]) {
                case '*' -> {
                    while (pi + 1 < p.length && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == p.length) {
                        return true;
                    }
                    for (int k = si; k < s.length; k++) {
                        if (match(p, pi + 1, s, k, noCase, depth + 1, skipLongerMatches)) {
                            return true;
                        }
                        if (skipLongerMatches[0]) {
                            return false;
                        }
                    }
                    skipLongerMatches[0] = true;
                    return false;
                }
                case '?' -> si++;
                case '[' -> {
                    pi++;
                    boolean not = pi < p.length && p[pi] == '^';
                    if (not) {
                        pi++;
                    }
                    boolean matched = false;
                    while (pi < p.length) {
                        if (p[pi] == '\\' && pi + 1 < p.length) {
                            pi++;
                            matched |= p[pi] == s[si];
                        } else if (p[pi] == ']') {
                            break;
                        } else if (pi + 2 < p.length && p[pi + 1] == '-') {
                            int start = fold(p[pi] & 0xff, noCase);
                            int end = fold(p[pi + 2] & 0xff, noCase);
                            int c = fold(s[si] & 0xff, noCase);
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            pi += 2;
                            matched |= c >= start && c <= end;
                        } else {
                            matched |= fold(p[pi], noCase) == fold(s[si], noCase);
                        }
                        pi++;
                    }
                    if (pi >= p.length) {
                        pi--; // unterminated class: Redis treats the end as its close
                    }
                    if (matched == not) {
                        return false;
                    }
                    si++;
                }
                case '\\' -> {
                    if (pi + 1 < p.length) {
                        pi++;
                    }
                    if (fold(p[pi], noCase) != fold(s[si], noCase)) {
                        return false;
                    }
                    si++;
                }
                default -> {
                    if (fold(p[pi], noCase) != fold(s[si], noCase)) {
                        return false;
                    }
                    si++;
                }
            }
            pi++;
        }
        while (pi < p.length && p[pi] == '*') {
            pi++;
        }
        return pi == p.length && si == s.length;
    }
}
