package dev.panda.command;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The x86 80-bit {@code long double} that Redis's INCRBYFLOAT and HINCRBYFLOAT compute in, done
 * in software so that Panda's results are Redis's to the last digit: a 64-bit significand and a
 * 15-bit exponent (subnormals included), {@code strtold}'s correctly rounded parsing as Redis's
 * {@code string2ld} accepts it (decimal, hexadecimal and infinite values; no leading space, no
 * NaN, no underflow to zero), correctly rounded addition (round half to even), and
 * {@code ld2string}'s human format: {@code %.17Lf} with trailing zeros removed.
 *
 * <p>Immutable; any thread.
 */
public final class LongDouble {
    private static final int SIGNIFICAND_BITS = 64;
    /** The exponent of the lowest bit of the smallest subnormal: 2^-16445. */
    private static final int MIN_QUANTUM = -16445;
    /** Values reach 2^16384 and are infinite. */
    private static final int MAX_EXPONENT = 16384;
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern HEX = Pattern.compile("([+-]?)0[xX]([0-9a-fA-F]*)(?:\\.([0-9a-fA-F]*))?(?:[pP]([+-]?\\d+))?");

    public static final LongDouble ZERO = new LongDouble(false, BigInteger.ZERO, 0, false);

    private final boolean negative;
    /** value = significand × 2^quantum; significand < 2^64. */
    private final BigInteger significand;
    private final int quantum;
    private final boolean infinite;

    private LongDouble(boolean negative, BigInteger significand, int quantum, boolean infinite) {
        this.negative = negative;
        this.significand = significand;
        this.quantum = quantum;
        this.infinite = infinite;
    }

    public static LongDouble of(long value) {
        return round(value < 0, BigInteger.valueOf(value).abs(), 0);
    }

    public boolean isInfinite() {
        return infinite;
    }

    /**
     * Redis's string2ld: the value, or null when Redis would refuse the text (empty, leading
     * space, trailing characters, NaN, or a value that underflows to zero or overflows).
     */
    public static LongDouble parse(byte[] text) {
        if (text.length == 0 || text.length >= 5 * 1024) {
            return null;
        }
        String s = new String(text, StandardCharsets.ISO_8859_1);
        int nul = s.indexOf('\0');
        if (nul >= 0) {
            s = s.substring(0, nul); // strtold stops at the C string's end, as Redis's copy does
            if (s.isEmpty()) {
                return null;
            }
        }
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        switch (lower) {
            case "inf", "+inf", "infinity", "+infinity" -> {
                return new LongDouble(false, BigInteger.ZERO, 0, true);
            }
            case "-inf", "-infinity" -> {
                return new LongDouble(true, BigInteger.ZERO, 0, true);
            }
            default -> { }
        }
        LongDouble value;
        try {
            value = parseFinite(s);
        } catch (NumberFormatException e) {
            return null; // an exponent beyond any range: strtold overflows or underflows, and Redis refuses both
        }
        if (value == null) {
            return null;
        }
        boolean underflow = value.significand.signum() == 0 && !value.infinite && !isZeroText(s);
        return value.infinite || underflow ? null : value;
    }

    private static LongDouble parseFinite(String s) {
        LongDouble value;
        if (DECIMAL.matcher(s).matches()) {
            BigDecimal d = new BigDecimal(s.startsWith("+") ? s.substring(1) : s);
            value = fromDecimal(s.startsWith("-"), d.abs());
        } else {
            Matcher m = HEX.matcher(s);
            if (!m.matches() || (m.group(2).isEmpty() && (m.group(3) == null || m.group(3).isEmpty()))) {
                return null;
            }
            String fraction = m.group(3) == null ? "" : m.group(3);
            BigInteger digits = new BigInteger(m.group(2) + fraction + "0", 16).shiftRight(4);
            long exponent = (m.group(4) == null ? 0 : Long.parseLong(m.group(4))) - 4L * fraction.length();
            if (exponent > 100_000 || exponent < -100_000) {
                return null;
            }
            value = round(m.group(1).equals("-"), digits, (int) exponent);
        }
        return value;
    }

    /** Whether the text's significand is zero (so that a zero result is no underflow). */
    private static boolean isZeroText(String s) {
        String t = s.replaceFirst("^[+-]", "");
        boolean hex = t.startsWith("0x") || t.startsWith("0X");
        String significand = hex ? t.substring(2).split("[pP]")[0] : t.split("[eE]")[0];
        return !significand.matches(".*[1-9a-fA-F].*");
    }

    /** The nearest value to a non-negative decimal (round half to even, as strtold). */
    private static LongDouble fromDecimal(boolean negative, BigDecimal d) {
        if (d.signum() == 0) {
            return new LongDouble(negative, BigInteger.ZERO, 0, false);
        }
        if (d.scale() < -MAX_EXPONENT || d.precision() - d.scale() > 4940) {
            return new LongDouble(negative, BigInteger.ZERO, 0, true); // far past the largest value
        }
        if (d.precision() - d.scale() < -4960) {
            return new LongDouble(negative, BigInteger.ZERO, 0, false); // far below the smallest subnormal
        }
        BigInteger p = d.unscaledValue();
        BigInteger q = BigInteger.ONE;
        if (d.scale() > 0) {
            q = BigInteger.TEN.pow(d.scale());
        } else {
            p = p.multiply(BigInteger.TEN.pow(-d.scale()));
        }
        return roundRatio(negative, p, q);
    }

    /** The nearest value to p/q (both positive). */
    private static LongDouble roundRatio(boolean negative, BigInteger p, BigInteger q) {
        int e = p.bitLength() - q.bitLength(); // floor(log2(p/q)) is e or e - 1
        boolean below = e >= 0 ? p.compareTo(q.shiftLeft(e)) < 0 : p.shiftLeft(-e).compareTo(q) < 0;
        if (below) {
            e--;
        }
        int quantum = Math.max(e - (SIGNIFICAND_BITS - 1), MIN_QUANTUM);
        BigInteger num = quantum >= 0 ? p : p.shiftLeft(-quantum);
        BigInteger den = quantum >= 0 ? q.shiftLeft(quantum) : q;
        BigInteger[] qr = num.divideAndRemainder(den);
        BigInteger m = qr[0];
        int cmp = qr[1].shiftLeft(1).compareTo(den);
        if (cmp > 0 || (cmp == 0 && m.testBit(0))) {
            m = m.add(BigInteger.ONE);
        }
        return normalise(negative, m, quantum);
    }

    /** The nearest value to magnitude × 2^exponent (exact integers in, rounded half to even). */
    private static LongDouble round(boolean negative, BigInteger magnitude, int exponent) {
        if (magnitude.signum() == 0) {
            return new LongDouble(negative, BigInteger.ZERO, 0, false);
        }
        int excess = Math.max(magnitude.bitLength() - SIGNIFICAND_BITS, MIN_QUANTUM - exponent);
        if (excess <= 0) {
            return normalise(negative, magnitude, exponent);
        }
        BigInteger m = magnitude.shiftRight(excess);
        boolean half = magnitude.testBit(excess - 1);
        boolean rest = magnitude.getLowestSetBit() < excess - 1;
        if (half && (rest || m.testBit(0))) {
            m = m.add(BigInteger.ONE);
        }
        return normalise(negative, m, exponent + excess);
    }

    private static LongDouble normalise(boolean negative, BigInteger m, int quantum) {
        if (m.bitLength() > SIGNIFICAND_BITS) {
            m = m.shiftRight(1); // rounding carried to 2^64, which is even
            quantum++;
        }
        if (m.signum() != 0 && m.bitLength() + quantum > MAX_EXPONENT) {
            return new LongDouble(negative, BigInteger.ZERO, 0, true);
        }
        return new LongDouble(negative, m, quantum, false);
    }

    /** The correctly rounded sum; infinite when it overflows (or either operand is). */
    public LongDouble add(LongDouble other) {
        if (infinite || other.infinite) {
            return new LongDouble(infinite ? negative : other.negative, BigInteger.ZERO, 0, true); // NaN is refused alike
        }
        int q = Math.min(quantum, other.quantum);
        BigInteger a = significand.shiftLeft(quantum - q);
        BigInteger b = other.significand.shiftLeft(other.quantum - q);
        BigInteger sum = (negative ? a.negate() : a).add(other.negative ? b.negate() : b);
        if (sum.signum() == 0) {
            return new LongDouble(negative && other.negative, BigInteger.ZERO, 0, false);
        }
        return round(sum.signum() < 0, sum.abs(), q);
    }

    /** The exact value. */
    private BigDecimal exact() {
        BigDecimal v = quantum >= 0 ? new BigDecimal(significand.shiftLeft(quantum))
                : new BigDecimal(significand.multiply(BigInteger.valueOf(5).pow(-quantum)), -quantum);
        return negative ? v.negate() : v;
    }

    /** Redis's ld2string in LD_STR_HUMAN mode: %.17Lf without trailing zeros, "-0" as "0". */
    public String toHumanString() {
        if (infinite) {
            return negative ? "-inf" : "inf";
        }
        String s = exact().setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        if (negative && significand.signum() == 0) {
            s = "-" + s; // %Lf prints the sign of negative zero
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        s = s.substring(0, end);
        if (s.equals("-0")) {
            return "0";
        }
        return s;
    }

    @Override
    public String toString() {
        return toHumanString();
    }
}
