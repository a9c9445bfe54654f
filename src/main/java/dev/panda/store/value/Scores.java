package dev.panda.store.value;

import java.nio.charset.StandardCharsets;

/**
 * Sorted-set scores as Redis stores them in a listpack ({@code d2string}: an integral score
 * within ±2^52 as an integer, anything else as C's {@code "%.17g"}, {@code inf} and
 * {@code -inf} by name) and reads them back ({@code zzlGetScore}). Pure functions; any thread.
 */
public final class Scores {
    private static final double MIN_INTEGRAL = -4503599627370495d;
    private static final double MAX_INTEGRAL = 4503599627370496d;

    private Scores() {
    }

    /** Redis's {@code d2string} of the score, as bytes. */
    public static byte[] toBytes(double score) {
        if (score > MIN_INTEGRAL && score < MAX_INTEGRAL && score == (double) (long) score && !(score == 0 && 1 / score < 0)) {
            return RedisIntegers.toBytes((long) score);
        }
        return text(score).getBytes(StandardCharsets.US_ASCII);
    }

    /** C's {@code "%.17g"} with {@code inf}/{@code -inf} (Redis's RESP2 double replies). */
    public static String text(double score) {
        if (score == (double) (long) score && Math.abs(score) < 1e17 && !(score == 0 && 1 / score < 0)) {
            return Long.toString((long) score);
        }
        return dev.panda.protocol.Doubles.format(score);
    }

    /** A score stored as text (strtod of a value {@link #toBytes} wrote). */
    public static double parse(byte[] a, int off, int len) {
        String s = new String(a, off, len, StandardCharsets.US_ASCII);
        return switch (s) {
            case "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }
}
