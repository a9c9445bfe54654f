package dev.panda.command;

import dev.panda.protocol.Reply;
import java.util.Arrays;

/**
 * The arguments SCAN, HSCAN and SSCAN share, parsed as Redis's {@code scanGenericCommand} does:
 * a cursor (an unsigned 64-bit number), then MATCH pattern, COUNT n (at least 1) and, for SCAN
 * only, TYPE name, in any order. Pure parsing; any thread.
 *
 * @param pattern  the MATCH pattern, or null to keep everything
 * @param typeName the TYPE name, or null
 */
public record ScanOptions(long count, byte[] pattern, String typeName) {

    /**
     * The cursor argument, read as Redis reads it ({@code strtoul}, then a check for a leading
     * space, trailing bytes and overflow): an optional sign ("-1" is 2^64 - 1), decimal digits,
     * and "" is 0. {@code ERR invalid cursor} otherwise.
     */
    public static long cursor(byte[] arg) {
        int i = 0;
        boolean negative = false;
        if (arg.length > 0 && (arg[0] == '+' || arg[0] == '-')) {
            negative = arg[0] == '-';
            i = 1;
            if (arg.length == 1) {
                throw new Args.Invalid("ERR invalid cursor"); // a sign and no digits: nothing parsed
            }
        }
        long value = 0;
        for (; i < arg.length; i++) {
            int d = arg[i] - '0';
            if (d < 0 || d > 9 || Long.compareUnsigned(value, 0x1999999999999999L) > 0
                    || (value == 0x1999999999999999L && d > 5)) {
                throw new Args.Invalid("ERR invalid cursor");
            }
            value = value * 10 + d;
        }
        return negative ? -value : value;
    }

    /** The options in {@code argv[from..]}; {@code ERR syntax error} for anything else. */
    public static ScanOptions parse(byte[][] argv, int from, boolean typeAllowed) {
        long count = 10;
        byte[] pattern = null;
        String typeName = null;
        for (int i = from; i < argv.length; i++) {
            boolean hasNext = i + 1 < argv.length;
            if (Args.is(argv[i], "count") && hasNext) {
                count = Args.parseLong(argv[++i]);
                if (count < 1) {
                    throw new Args.Invalid(Errors.SYNTAX);
                }
            } else if (Args.is(argv[i], "match") && hasNext) {
                pattern = argv[++i];
                if (pattern.length == 1 && pattern[0] == '*') {
                    pattern = null; // matches everything: no need to test
                }
            } else if (typeAllowed && Args.is(argv[i], "type") && hasNext) {
                typeName = Args.text(argv[++i]);
            } else {
                throw new Args.Invalid(Errors.SYNTAX);
            }
        }
        return new ScanOptions(count, pattern, typeName);
    }

    /** COUNT as the store's scan takes it. */
    public int countHint() {
        return (int) Math.min(count, Integer.MAX_VALUE / 10);
    }

    /** Whether {@code s[off, off + len)} passes MATCH. */
    public boolean matches(byte[] s, int off, int len) {
        return pattern == null || Glob.matches(pattern, off == 0 && len == s.length ? s : Arrays.copyOfRange(s, off, off + len), false);
    }

    /** The reply of a SCAN-family command over a missing key: cursor 0 and no elements. */
    public static void emptyReply(Reply r) {
        r.array(2);
        r.bulk("0");
        r.array(0);
    }
}
