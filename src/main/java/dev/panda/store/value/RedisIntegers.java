package dev.panda.store.value;

/**
 * Redis's strict reading of a byte string as a 64-bit integer (util.c's {@code string2ll}, which
 * listpack's and intset's callers share), and the matching decimal writer ({@code ll2string}).
 *
 * <p>A string is <em>canonical</em> when turning it into a number and back gives the same bytes:
 * an optional {@code -}, then {@code 0} alone or a digit 1-9 followed by digits, at most 20 bytes,
 * within {@code long}. So {@code "-0"}, {@code "01"}, {@code "+1"}, {@code " 1"} and
 * {@code ""} are strings, not integers: Redis stores them as strings and so must Panda, or the
 * packed bytes (and the replies built from them) would differ.
 *
 * <p>Pure functions; any thread.
 */
public final class RedisIntegers {
    /** The longest canonical integer, {@code "-9223372036854775808"}. */
    public static final int MAX_LENGTH = 20;

    private static final long NEGATIVE_LIMIT_DIV_10 = Long.MIN_VALUE / 10;

    private RedisIntegers() {
    }

    /** True when {@code s[off, off+len)} is a canonical 64-bit integer. */
    public static boolean isCanonical(byte[] s, int off, int len) {
        if (len == 0 || len > MAX_LENGTH) {
            return false;
        }
        int i = off;
        int end = off + len;
        boolean negative = s[i] == '-';
        if (negative && ++i == end) {
            return false;
        }
        int d = s[i] - '0';
        if (d < 1 || d > 9) {
            return d == 0 && len == 1;
        }
        // Accumulate negatively, as Long.parseLong does, so Long.MIN_VALUE needs no special case.
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long acc = -d;
        for (i++; i < end; i++) {
            d = s[i] - '0';
            if (d < 0 || d > 9 || acc < NEGATIVE_LIMIT_DIV_10) {
                return false;
            }
            acc *= 10;
            if (acc < limit + d) {
                return false;
            }
            acc -= d;
        }
        return true;
    }

    /** The value of a string {@link #isCanonical} accepted; undefined for any other string. */
    public static long parseCanonical(byte[] s, int off, int len) {
        int i = off;
        int end = off + len;
        boolean negative = s[i] == '-';
        if (negative) {
            i++;
        }
        long acc = 0;
        for (; i < end; i++) {
            acc = acc * 10 - (s[i] - '0');
        }
        return negative ? acc : -acc;
    }

    /** How many bytes {@link #writeDecimal} writes for {@code v}. */
    public static int decimalLength(long v) {
        int n = 1;
        if (v < 0) {
            n = 2;
        } else {
            v = -v;
        }
        // v <= 0 from here on: one more digit per factor of ten.
        while (v <= -10) {
            v /= 10;
            n++;
        }
        return n;
    }

    /** Writes {@code v} in decimal at {@code dst[off]} and returns the number of bytes written. */
    public static int writeDecimal(long v, byte[] dst, int off) {
        int n = decimalLength(v);
        int i = off + n;
        long rest = v < 0 ? v : -v;
        do {
            dst[--i] = (byte) ('0' - (rest % 10));
            rest /= 10;
        } while (rest != 0);
        if (v < 0) {
            dst[off] = '-';
        }
        return n;
    }

    /** {@code v} in decimal, as Redis replies and stores it. */
    public static byte[] toBytes(long v) {
        byte[] out = new byte[decimalLength(v)];
        writeDecimal(v, out, 0);
        return out;
    }
}
