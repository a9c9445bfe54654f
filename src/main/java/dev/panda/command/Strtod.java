package dev.panda.command;

import java.util.regex.Pattern;

/**
 * C's {@code strtod} as Redis uses it where the whole text must be a number (score ranges, and
 * through {@link Args#parseDouble} every float argument): leading white space, a sign, decimal
 * digits with a fraction and exponent, {@code inf}/{@code infinity} in any case; the empty text
 * reads as 0, as strtod leaves nothing behind. NaN for anything else (and for {@code nan}
 * itself, which Redis refuses). Pure function; any thread.
 */
public final class Strtod {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private Strtod() {
    }

    public static double parse(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        int i = 0;
        while (i < text.length() && " \t\n\u000b\f\r".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        String s = text.substring(i);
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        switch (lower) {
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> { }
        }
        if (!DECIMAL.matcher(s).matches()) {
            return Double.NaN;
        }
        return Double.parseDouble(s);
    }
}
