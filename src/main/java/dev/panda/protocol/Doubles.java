package dev.panda.protocol;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * A double as Redis 7.0 replies with one ({@code addReplyDouble}): C's {@code "%.17g"}, so 17
 * significant digits with trailing zeros dropped, scientific notation for exponents below -4 or
 * from 17 up (e.g. {@code 1.0000000000000001e+17}), and {@code inf} / {@code -inf}. Pure
 * function; any thread.
 */
public final class Doubles {
    private Doubles() {
    }

    public static String format(double value) {
        return formatG(value, 17);
    }

    /**
     * C's {@code "%.<precision>g"}: {@code precision} significant digits, trailing zeros dropped,
     * scientific notation for exponents below -4 or from {@code precision} up; {@code inf},
     * {@code -inf}, {@code nan}. (Lua 5.1 prints numbers with {@code %.14g}.)
     */
    public static String formatG(double value, int precision) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (value == 0) {
            return (1 / value) < 0 ? "-0" : "0";
        }
        if (Math.abs(value) < POWERS_OF_TEN[precision] && value == (double) (long) value) {
            return Long.toString((long) value); // what %g prints for an integral value of fewer digits
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(precision, java.math.RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent >= -4 && exponent < precision) {
            String plain = rounded.toPlainString();
            return plain.indexOf('.') >= 0 ? stripZeros(plain) : plain;
        }
        BigDecimal mantissa = rounded.movePointLeft(exponent);
        String digits = stripZeros(mantissa.toPlainString());
        String sign = exponent < 0 ? "-" : "+";
        int abs = Math.abs(exponent);
        return digits + "e" + sign + (abs < 10 ? "0" : "") + abs;
    }

    private static final double[] POWERS_OF_TEN = new double[18];

    static {
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = Math.pow(10, i);
        }
    }

    private static String stripZeros(String decimal) {
        if (decimal.indexOf('.') < 0) {
            return decimal;
        }
        int end = decimal.length();
        while (decimal.charAt(end - 1) == '0') {
            end--;
        }
        if (decimal.charAt(end - 1) == '.') {
            end--;
        }
        return decimal.substring(0, end);
    }
}
