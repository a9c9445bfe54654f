package dev.panda.command;

import dev.panda.store.value.RedisIntegers;
import java.nio.charset.StandardCharsets;

/**
 * Parsing of command arguments with Redis's rules: integers are exact (no spaces, no '+', no
 * leading zeros, within 64 bits), floats reject NaN. Pure functions; any thread.
 */
public final class Args {
    private Args() {
    }

    /** Thrown with the Redis error text to reply when an argument is invalid. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message, null, false, false);
        }
    }

    public static String text(byte[] arg) {
        return new String(arg, StandardCharsets.UTF_8);
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static boolean is(byte[] arg, String lowerCaseWord) {
        if (arg.length != lowerCaseWord.length()) {
            return false;
        }
        for (int i = 0; i < arg.length; i++) {
            int c = arg[i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lowerCaseWord.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The value if {@code bytes} is a canonical 64-bit decimal integer, else throws NOT_INTEGER. */
    public static long parseLong(byte[] bytes) {
        return parseLong(bytes, Errors.NOT_INTEGER);
    }

    public static long parseLong(byte[] bytes, String error) {
        Long v = tryParseLong(bytes);
        if (v == null) {
            throw new Invalid(error);
        }
        return v;
    }

    /** As Redis's {@code string2ll}: null if not a canonical integer. */
    public static Long tryParseLong(byte[] b) {
        return tryParseLong(b, 0, b.length);
    }

    /** As {@link #tryParseLong(byte[])} for {@code b[off, off + n)}. */
    public static Long tryParseLong(byte[] b, int off, int n) {
        return RedisIntegers.isCanonical(b, off, n) ? RedisIntegers.parseCanonical(b, off, n) : null;
    }

    /**
     * Redis's {@code getPositiveLongFromObjectOrReply} with a message: a non-negative integer,
     * else {@code error} for a negative number and for a non-number alike.
     */
    public static long parseNonNegative(byte[] bytes, String error) {
        long v = parseLong(bytes, error);
        if (v < 0) {
            throw new Invalid(error);
        }
        return v;
    }

    public static int parseInt(byte[] bytes) {
        long v = parseLong(bytes);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new Invalid(Errors.NOT_INTEGER);
        }
        return (int) v;
    }

    /** As Redis's {@code string2ld}/{@code strtold}: no spaces, no NaN; "inf" allowed. */
    public static double parseDouble(byte[] bytes, String error) {
        if (bytes.length > 0 && bytes.length < 16 && RedisIntegers.isCanonical(bytes, 0, bytes.length)) {
            return RedisIntegers.parseCanonical(bytes, 0, bytes.length); // exact: below 2^53
        }
        String s = text(bytes);
        if (s.isEmpty() || Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1))) {
            throw new Invalid(error);
        }
        double d = Strtod.parse(s);
        if (Double.isNaN(d)) {
            throw new Invalid(error);
        }
        return d;
    }

    /**
     * A double as Redis prints INCRBYFLOAT results and RESP2 doubles: plain notation, at most 16
     * significant digits (what a double holds exactly, and what Redis's long double arithmetic
     * shows for sums such as 0.1 + 0.2), no trailing zeros; inf and -inf by name.
     */
    public static String formatDouble(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e17) {
            return Long.toString((long) value);
        }
        return new java.math.BigDecimal(value).round(java.math.MathContext.DECIMAL64).stripTrailingZeros().toPlainString();
    }
}
