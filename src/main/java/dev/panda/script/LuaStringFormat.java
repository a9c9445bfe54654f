package dev.panda.script;

import dev.panda.protocol.Doubles;
import java.io.ByteArrayOutputStream;
import java.util.Locale;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Lua 5.1's {@code string.format} ({@code lstrlib.c str_format}) with C's printf underneath:
 * flags {@code -+ #0}, width and precision of up to two digits, and the conversions
 * {@code c d i o u x X e E f g G q s %}. LuaJ's own ignores width and precision for numbers
 * ({@code %5.2f} of 1.5 gave "1.5"). Store thread only.
 */
public final class LuaStringFormat extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
        LuaString fmt = args.checkstring(1);
        byte[] f = fmt.m_bytes;
        int end = fmt.m_offset + fmt.m_length;
        ByteArrayOutputStream out = new ByteArrayOutputStream(fmt.m_length + 16);
        int arg = 1;
        for (int i = fmt.m_offset; i < end; i++) {
            byte ch = f[i];
            if (ch != '%') {
                out.write(ch);
                continue;
            }
            if (++i >= end) {
                throw new LuaError("invalid option '%' to 'format'");
            }
            if (f[i] == '%') {
                out.write('%');
                continue;
            }
            int specStart = i;
            while (i < end && "-+ #0".indexOf(f[i]) >= 0) {
                i++;
            }
            if (i - specStart > 5) {
                throw new LuaError("invalid format (repeated flags)");
            }
            String flags = new String(f, specStart, i - specStart, java.nio.charset.StandardCharsets.ISO_8859_1);
            int width = -1;
            int digits = 0;
            while (i < end && f[i] >= '0' && f[i] <= '9') {
                width = (width < 0 ? 0 : width * 10) + (f[i++] - '0');
                digits++;
            }
            int precision = -1;
            if (i < end && f[i] == '.') {
                i++;
                precision = 0;
                while (i < end && f[i] >= '0' && f[i] <= '9') {
                    precision = precision * 10 + (f[i++] - '0');
                    digits++;
                }
            }
            if (digits > 4 || width > 99 || precision > 99) {
                throw new LuaError("invalid format (width or precision too long)");
            }
            if (i >= end) {
                throw new LuaError("invalid option '%' to 'format'");
            }
            char conv = (char) f[i];
            arg++;
            String text;
            switch (conv) {
                case 'c' -> {
                    out.write((int) args.checkdouble(arg));
                    continue;
                }
                case 'd', 'i' -> text = integer((long) args.checkdouble(arg), flags, width, precision);
                case 'o', 'u', 'x', 'X' -> text = unsigned((long) args.checkdouble(arg), conv, flags, width, precision);
                case 'e', 'E', 'f', 'g', 'G' -> text = floating(args.checkdouble(arg), conv, flags, width, precision);
                case 'q' -> {
                    quoted(args.checkstring(arg), out);
                    continue;
                }
                case 's' -> {
                    LuaString s = args.arg(arg).isnumber() && !(args.arg(arg).type() == LuaValue.TSTRING)
                            ? LuaValue.valueOf(args.arg(arg).tojstring()) : args.checkstring(arg);
                    int len = precision >= 0 ? Math.min(precision, s.m_length) : s.m_length;
                    int pad = Math.max(0, width - len);
                    boolean left = flags.indexOf('-') >= 0;
                    if (!left) {
                        repeat(out, ' ', pad);
                    }
                    out.write(s.m_bytes, s.m_offset, len);
                    if (left) {
                        repeat(out, ' ', pad);
                    }
                    continue;
                }
                default -> throw new LuaError("invalid option '%" + conv + "' to 'format'");
            }
            byte[] b = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            out.write(b, 0, b.length);
        }
        return LuaString.valueOf(out.toByteArray());
    }

    private static void repeat(ByteArrayOutputStream out, char c, int n) {
        for (int k = 0; k < n; k++) {
            out.write(c);
        }
    }

    private static String integer(long v, String flags, int width, int precision) {
        String sign = v < 0 ? "-" : flags.indexOf('+') >= 0 ? "+" : flags.indexOf(' ') >= 0 ? " " : "";
        String digits = v == Long.MIN_VALUE ? "9223372036854775808" : Long.toString(Math.abs(v));
        if (precision == 0 && v == 0) {
            digits = "";
        }
        return pad(sign, zeros(digits, precision), flags, width, precision < 0);
    }

    private static String unsigned(long v, char conv, String flags, int width, int precision) {
        String digits = switch (conv) {
            case 'o' -> Long.toOctalString(v);
            case 'u' -> Long.toUnsignedString(v);
            case 'x' -> Long.toHexString(v);
            default -> Long.toHexString(v).toUpperCase(Locale.ROOT);
        };
        if (precision == 0 && v == 0) {
            digits = "";
        }
        digits = zeros(digits, precision);
        String prefix = "";
        if (flags.indexOf('#') >= 0 && v != 0) {
            if (conv == 'o' && !digits.startsWith("0")) {
                digits = "0" + digits;
            } else if (conv == 'x') {
                prefix = "0x";
            } else if (conv == 'X') {
                prefix = "0X";
            }
        }
        return pad(prefix, digits, flags, width, precision < 0);
    }

    private static String zeros(String digits, int precision) {
        StringBuilder sb = new StringBuilder();
        for (int k = digits.length(); k < precision; k++) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }

    private static String floating(double v, char conv, String flags, int width, int precision) {
        boolean upper = Character.isUpperCase(conv);
        String sign = (v < 0 || (v == 0 && 1 / v < 0)) ? "-" : flags.indexOf('+') >= 0 ? "+" : flags.indexOf(' ') >= 0 ? " " : "";
        double a = Math.abs(v);
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            String body = Double.isNaN(v) ? "nan" : "inf";
            return pad(Double.isNaN(v) ? (flags.indexOf('+') >= 0 ? "+" : "") : sign, upper ? body.toUpperCase(Locale.ROOT) : body,
                    flags, width, false);
        }
        int p = precision < 0 ? 6 : precision;
        String body;
        switch (Character.toLowerCase(conv)) {
            case 'f' -> body = new java.math.BigDecimal(a).setScale(p, java.math.RoundingMode.HALF_EVEN).toPlainString()
                    + (p == 0 && flags.indexOf('#') >= 0 ? "." : "");
            case 'e' -> body = String.format(Locale.ROOT, "%." + p + "e", a);
            default -> {
                body = Doubles.formatG(a, p == 0 ? 1 : p);
                if (flags.indexOf('#') >= 0 && body.indexOf('.') < 0 && body.indexOf('e') < 0) {
                    body = body + ".";
                }
            }
        }
        if (upper) {
            body = body.toUpperCase(Locale.ROOT);
        }
        return pad(sign, body, flags, width, true);
    }

    /** Fills to {@code width}: spaces on the left, on the right with '-', or zeros after the sign with '0'. */
    private static String pad(String sign, String body, String flags, int width, boolean zeroAllowed) {
        int len = sign.length() + body.length();
        if (width <= len) {
            return sign + body;
        }
        String fill = " ".repeat(width - len);
        if (flags.indexOf('-') >= 0) {
            return sign + body + fill;
        }
        if (flags.indexOf('0') >= 0 && zeroAllowed) {
            return sign + "0".repeat(width - len) + body;
        }
        return fill + sign + body;
    }

    /** {@code %q}: a Lua string literal that reads back as the same bytes. */
    private static void quoted(LuaString s, ByteArrayOutputStream out) {
        out.write('"');
        for (int k = 0; k < s.m_length; k++) {
            int b = s.m_bytes[s.m_offset + k] & 0xff;
            switch (b) {
                case '"', '\\', '\n' -> {
                    out.write('\\');
                    out.write(b);
                }
                case '\r' -> {
                    out.write('\\');
                    out.write('r');
                }
                case 0 -> {
                    out.write('\\');
                    out.write('0');
                    out.write('0');
                    out.write('0');
                }
                default -> out.write(b);
            }
        }
        out.write('"');
    }
}
