package dev.panda.script.lib;

import dev.panda.protocol.Doubles;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Lua CJSON 2.1.0 as Redis bundles it ({@code deps/lua/src/lua_cjson.c}): {@code cjson.encode}
 * and {@code cjson.decode} with its number format ({@code %.14g}), escapes ({@code /} too), array
 * detection (positive integer keys, not excessively sparse; an empty table is {@code {}}), depth
 * limits, error texts and configuration functions. Object members come out in the order LuaJ's
 * table iterates, which for several keys may differ from C Lua's. Store thread only.
 */
public final class CjsonLib extends TwoArgFunction {
    /** cjson.null: decoded JSON nulls, and encoded as null. */
    public static final LuaUserdata NULL = new LuaUserdata(new Object()) {
        @Override
        public String tojstring() {
            return "userdata: (nil)";
        }
    };

    private int sparseRatio = 2;
    private int sparseSafe = 10;
    private boolean sparseConvert;
    private int encodeMaxDepth = 1000;
    private int decodeMaxDepth = 1000;
    private int precision = 14;
    private boolean keepBuffer = true;
    private int encodeInvalid; // 0 no, 1 yes, 2 "null"
    private boolean decodeInvalid = true;

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        LuaTable t = build();
        env.set("cjson", t);
        return t;
    }

    LuaTable build() {
        LuaTable t = new LuaTable();
        t.rawset("encode", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() != 1) {
                    throw LuaArgs.bad(1, "encode", "expected 1 argument");
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                encode(args.arg1(), 0, out);
                return LuaString.valueOf(out.toByteArray());
            }
        });
        t.rawset("decode", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() != 1) {
                    throw LuaArgs.bad(1, "decode", "expected 1 argument");
                }
                LuaString s = LuaArgs.string(args, 1, "decode");
                return new Decoder(s.m_bytes, s.m_offset, s.m_offset + s.m_length).document();
            }
        });
        t.rawset("encode_sparse_array", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                String f = "encode_sparse_array";
                maxArgs(args, 3, f);
                if (!args.arg1().isnil()) {
                    sparseConvert = option(args, f, "off", "on") == 1;
                }
                if (!args.arg(2).isnil()) {
                    sparseRatio = range(args, 2, f, 0, Integer.MAX_VALUE);
                }
                if (!args.arg(3).isnil()) {
                    sparseSafe = range(args, 3, f, 0, Integer.MAX_VALUE);
                }
                return varargsOf(valueOf(sparseConvert), valueOf(sparseRatio), valueOf(sparseSafe));
            }
        });
        t.rawset("encode_max_depth", intOption("encode_max_depth", v -> encodeMaxDepth = v, () -> encodeMaxDepth, 1, Integer.MAX_VALUE));
        t.rawset("decode_max_depth", intOption("decode_max_depth", v -> decodeMaxDepth = v, () -> decodeMaxDepth, 1, Integer.MAX_VALUE));
        t.rawset("encode_number_precision", intOption("encode_number_precision", v -> precision = v, () -> precision, 1, 14));
        t.rawset("encode_keep_buffer", enumOption("encode_keep_buffer", v -> keepBuffer = v == 1,
                () -> valueOf(keepBuffer), "off", "on"));
        t.rawset("encode_invalid_numbers", enumOption("encode_invalid_numbers", v -> encodeInvalid = v,
                () -> encodeInvalid == 2 ? valueOf("null") : valueOf(encodeInvalid == 1), "off", "on", "null"));
        t.rawset("decode_invalid_numbers", enumOption("decode_invalid_numbers", v -> decodeInvalid = v == 1,
                () -> valueOf(decodeInvalid), "off", "on"));
        t.rawset("new", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return new CjsonLib().build();
            }
        });
        t.rawset("null", NULL);
        t.rawset("_NAME", "cjson");
        t.rawset("_VERSION", "2.1.0");
        return t;
    }

    /** json_arg_init: more than {@code max} arguments is an error on the first extra one. */
    private static void maxArgs(Varargs args, int max, String function) {
        if (args.narg() > max) {
            throw LuaArgs.bad(max + 1, function, "found too many arguments");
        }
    }

    /** json_integer_option's range check (lua_cjson reports it against argument 1 whichever it was). */
    private static int range(Varargs args, int i, String function, int min, int max) {
        int n = (int) LuaArgs.number(args, i, function);
        if (n < min || n > max) {
            throw LuaArgs.bad(1, function, "expected integer between " + min + " and " + max);
        }
        return n;
    }

    /** json_enum_option: a boolean (off/on), or one of the option names. */
    private static int option(Varargs args, String function, String... names) {
        LuaValue v = args.arg1();
        if (v.isboolean()) {
            return v.toboolean() ? 1 : 0;
        }
        String given = LuaArgs.string(args, 1, function).tojstring();
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(given)) {
                return i;
            }
        }
        throw LuaArgs.bad(1, function, "invalid option '" + given + "'");
    }

    /** A setting of named choices (json_enum_option): sets it when given, answers the current value. */
    private static VarArgFunction enumOption(String function, java.util.function.IntConsumer set,
            java.util.function.Supplier<LuaValue> get, String... names) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                maxArgs(args, 1, function);
                if (!args.arg1().isnil()) {
                    set.accept(option(args, function, names));
                }
                return get.get();
            }
        };
    }

    private static VarArgFunction intOption(String function, java.util.function.IntConsumer set, java.util.function.IntSupplier get,
            int min, int max) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                maxArgs(args, 1, function);
                if (!args.arg1().isnil()) {
                    set.accept(range(args, 1, function, min, max));
                }
                return valueOf(get.getAsInt());
            }
        };
    }

    // ---- encoding --------------------------------------------------------------------------------

    private static LuaError cannot(LuaValue v, String reason) {
        return new LuaError("Cannot serialise " + v.typename() + ": " + reason);
    }

    private void encode(LuaValue v, int depth, ByteArrayOutputStream out) {
        switch (v.type()) {
            case LuaValue.TSTRING -> string(v.checkstring(), out);
            case LuaValue.TNUMBER -> number(v, out);
            case LuaValue.TBOOLEAN -> ascii(out, v.toboolean() ? "true" : "false");
            case LuaValue.TNIL -> ascii(out, "null");
            case LuaValue.TTABLE -> {
                depth++;
                if (depth > encodeMaxDepth) {
                    throw new LuaError("Cannot serialise, excessive nesting (" + depth + ")");
                }
                int len = arrayLength(v);
                if (len > 0) {
                    out.write('[');
                    for (int i = 1; i <= len; i++) {
                        if (i > 1) {
                            out.write(',');
                        }
                        encode(v.rawget(i), depth, out);
                    }
                    out.write(']');
                } else {
                    out.write('{');
                    boolean comma = false;
                    LuaValue k = LuaValue.NIL;
                    while (true) {
                        Varargs n = v.next(k);
                        if ((k = n.arg1()).isnil()) {
                            break;
                        }
                        if (comma) {
                            out.write(',');
                        }
                        comma = true;
                        if (k.type() == LuaValue.TNUMBER) {
                            out.write('"');
                            number(k, out);
                            ascii(out, "\":");
                        } else if (k.type() == LuaValue.TSTRING) {
                            string(k.checkstring(), out);
                            out.write(':');
                        } else {
                            throw cannot(k, "table key must be a number or string");
                        }
                        encode(n.arg(2), depth, out);
                    }
                    out.write('}');
                }
            }
            default -> {
                if (v == NULL) {
                    ascii(out, "null");
                } else {
                    throw cannot(v, "type not supported");
                }
            }
        }
    }

    /** lua_array_length: the array's size, 0 for an object (or an empty table). */
    private int arrayLength(LuaValue t) {
        double max = 0;
        int items = 0;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            if (k.type() == LuaValue.TNUMBER) {
                double d = k.todouble();
                if (d != 0 && Math.floor(d) == d && d >= 1) {
                    max = Math.max(max, d);
                    items++;
                    continue;
                }
            }
            return 0;
        }
        if (sparseRatio > 0 && max > (double) items * sparseRatio && max > sparseSafe) {
            if (!sparseConvert) {
                throw cannot(t, "excessively sparse array");
            }
            return 0;
        }
        return (int) max;
    }

    private void number(LuaValue v, ByteArrayOutputStream out) {
        double d = v.todouble();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            if (encodeInvalid == 0) {
                throw cannot(v, "must not be NaN or Inf");
            }
            if (encodeInvalid == 2) {
                ascii(out, "null");
                return;
            }
            if (Double.isNaN(d)) {
                ascii(out, "nan");
                return;
            }
        }
        ascii(out, Doubles.formatG(d, precision));
    }

    private static void string(LuaString s, ByteArrayOutputStream out) {
        out.write('"');
        for (int i = 0; i < s.m_length; i++) {
            int c = s.m_bytes[s.m_offset + i] & 0xff;
            switch (c) {
                case '"' -> ascii(out, "\\\"");
                case '\\' -> ascii(out, "\\\\");
                case '/' -> ascii(out, "\\/");
                case '\b' -> ascii(out, "\\b");
                case '\t' -> ascii(out, "\\t");
                case '\n' -> ascii(out, "\\n");
                case '\f' -> ascii(out, "\\f");
                case '\r' -> ascii(out, "\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        ascii(out, String.format("\\u%04x", c));
                    } else {
                        out.write(c);
                    }
                }
            }
        }
        out.write('"');
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    // ---- decoding --------------------------------------------------------------------------------

    /** A recursive-descent reader with lua_cjson's tokens and error texts. */
    private final class Decoder {
        private final byte[] b;
        private final int start;
        private final int end;
        private int pos;
        private int depth;

        Decoder(byte[] b, int start, int end) {
            this.b = b;
            this.start = start;
            this.end = end;
            this.pos = start;
        }

        LuaValue document() {
            if (end - start >= 2 && (b[start] == 0 || b[start + 1] == 0)) {
                throw new LuaError("JSON parser does not support UTF-16 or UTF-32");
            }
            LuaValue v = value(token());
            Token t = token();
            if (t.type != T_END) {
                throw expected("the end", t);
            }
            return v;
        }

        static final int T_OBJ_BEGIN = 0;
        static final int T_OBJ_END = 1;
        static final int T_ARR_BEGIN = 2;
        static final int T_ARR_END = 3;
        static final int T_STRING = 4;
        static final int T_NUMBER = 5;
        static final int T_BOOLEAN = 6;
        static final int T_NULL = 7;
        static final int T_COLON = 8;
        static final int T_COMMA = 9;
        static final int T_END = 10;
        static final int T_ERROR = 12;
        final String[] names = {"T_OBJ_BEGIN", "T_OBJ_END", "T_ARR_BEGIN", "T_ARR_END", "T_STRING", "T_NUMBER", "T_BOOLEAN",
                "T_NULL", "T_COLON", "T_COMMA", "T_END", "T_WHITESPACE", "T_ERROR", "T_UNKNOWN"};

        final class Token {
            int type;
            int index;
            LuaValue value;
            String error;
        }

        private LuaError expected(String what, Token t) {
            String found = t.type == T_ERROR ? t.error : names[t.type];
            return new LuaError("Expected " + what + " but found " + found + " at character " + (t.index - start + 1));
        }

        private Token token() {
            while (pos < end && (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\r' || b[pos] == '\n')) {
                pos++;
            }
            Token t = new Token();
            t.index = pos;
            if (pos >= end || b[pos] == 0) {
                t.type = T_END;
                return t;
            }
            int c = b[pos] & 0xff;
            switch (c) {
                case '{' -> { t.type = T_OBJ_BEGIN; pos++; return t; }
                case '}' -> { t.type = T_OBJ_END; pos++; return t; }
                case '[' -> { t.type = T_ARR_BEGIN; pos++; return t; }
                case ']' -> { t.type = T_ARR_END; pos++; return t; }
                case ':' -> { t.type = T_COLON; pos++; return t; }
                case ',' -> { t.type = T_COMMA; pos++; return t; }
                case '"' -> { string(t); return t; }
                default -> { }
            }
            if (c == '-' || (c >= '0' && c <= '9')) {
                if (!decodeInvalid && invalidNumber()) {
                    return error(t, "invalid number");
                }
                return number(t);
            }
            if (matches("true")) {
                t.type = T_BOOLEAN;
                t.value = LuaValue.TRUE;
                pos += 4;
                return t;
            }
            if (matches("false")) {
                t.type = T_BOOLEAN;
                t.value = LuaValue.FALSE;
                pos += 5;
                return t;
            }
            if (matches("null")) {
                t.type = T_NULL;
                pos += 4;
                return t;
            }
            if (decodeInvalid && invalidNumber()) {
                return number(t);
            }
            return error(t, "invalid token");
        }

        private Token error(Token t, String message) {
            t.index = pos; // lua_cjson reports where the error is, not where the token began
            t.type = T_ERROR;
            t.error = message;
            return t;
        }

        private boolean matches(String word) {
            if (end - pos < word.length()) {
                return false;
            }
            for (int i = 0; i < word.length(); i++) {
                if (b[pos + i] != word.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        /** json_is_invalid_number: what strict JSON forbids but strtod reads (+, hex, leading zeros, inf, nan). */
        private boolean invalidNumber() {
            int p = pos;
            if (b[p] == '+') {
                return true;
            }
            if (b[p] == '-') {
                p++;
            }
            if (p < end && b[p] == '0') {
                int c2 = p + 1 < end ? b[p + 1] : 0;
                return (c2 | 0x20) == 'x' || (c2 >= '0' && c2 <= '9');
            }
            if (p < end && b[p] <= '9') {
                return false;
            }
            String rest = new String(b, p, Math.min(3, end - p), StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
            return rest.equals("inf") || rest.equals("nan");
        }

        private Token number(Token t) {
            t.type = T_NUMBER;
            int p = pos;
            // The longest prefix strtod reads: sign, digits, fraction, exponent; hex; inf/nan.
            int q = p;
            if (q < end && (b[q] == '-' || b[q] == '+')) {
                q++;
            }
            String head = new String(b, q, Math.min(8, end - q), StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
            double value;
            if (head.startsWith("inf") || head.startsWith("nan")) {
                int len = head.startsWith("infinity") ? 8 : 3;
                value = head.startsWith("nan") ? Double.NaN : Double.POSITIVE_INFINITY;
                q += len;
                if (b[p] == '-') {
                    value = -value;
                }
            } else if (head.startsWith("0x")) {
                // strtod's hexadecimal form: digits, an optional fraction, an optional binary exponent
                int r = q + 2;
                int digitsStart = r;
                while (r < end && (Character.digit(b[r], 16) >= 0 || b[r] == '.')) {
                    r++;
                }
                if (r == digitsStart) {
                    r = q + 1; // "0x" without digits reads as 0
                    value = 0;
                } else {
                    String mant = new String(b, digitsStart, r - digitsStart, StandardCharsets.ISO_8859_1);
                    String exp = "p0";
                    if (r < end && (b[r] == 'p' || b[r] == 'P')) {
                        int e = r + 1;
                        if (e < end && (b[e] == '+' || b[e] == '-')) {
                            e++;
                        }
                        int ed = e;
                        while (ed < end && b[ed] >= '0' && b[ed] <= '9') {
                            ed++;
                        }
                        if (ed > e) {
                            exp = new String(b, r, ed - r, StandardCharsets.ISO_8859_1);
                            r = ed;
                        }
                    }
                    value = Double.parseDouble("0x" + (mant.startsWith(".") ? "0" + mant : mant) + exp);
                }
                if (b[p] == '-') {
                    value = -value;
                }
                q = r;
            } else {
                int r = q;
                while (r < end && b[r] >= '0' && b[r] <= '9') {
                    r++;
                }
                boolean digits = r > q;
                if (r < end && b[r] == '.') {
                    int f = r + 1;
                    while (f < end && b[f] >= '0' && b[f] <= '9') {
                        f++;
                    }
                    digits |= f > r + 1;
                    r = f;
                }
                if (!digits) {
                    return error(t, "invalid number");
                }
                if (r < end && (b[r] == 'e' || b[r] == 'E')) {
                    int e = r + 1;
                    if (e < end && (b[e] == '+' || b[e] == '-')) {
                        e++;
                    }
                    int ed = e;
                    while (ed < end && b[ed] >= '0' && b[ed] <= '9') {
                        ed++;
                    }
                    if (ed > e) {
                        r = ed;
                    }
                }
                value = Double.parseDouble(new String(b, p, r - p, StandardCharsets.ISO_8859_1));
                q = r;
            }
            pos = q;
            t.value = LuaValue.valueOf(value);
            return t;
        }

        private void string(Token t) {
            t.type = T_STRING;
            ByteArrayOutputStream s = new ByteArrayOutputStream();
            pos++;
            while (true) {
                if (pos >= end || b[pos] == 0) {
                    error(t, "unexpected end of string");
                    return;
                }
                int c = b[pos] & 0xff;
                if (c == '"') {
                    pos++;
                    break;
                }
                if (c != '\\') {
                    s.write(c);
                    pos++;
                    continue;
                }
                if (pos + 1 >= end) {
                    error(t, "unexpected end of string");
                    return;
                }
                int e = b[pos + 1];
                switch (e) {
                    case '"', '\\', '/' -> { s.write(e); pos += 2; }
                    case 'b' -> { s.write('\b'); pos += 2; }
                    case 'f' -> { s.write('\f'); pos += 2; }
                    case 'n' -> { s.write('\n'); pos += 2; }
                    case 'r' -> { s.write('\r'); pos += 2; }
                    case 't' -> { s.write('\t'); pos += 2; }
                    case 'u' -> {
                        if (!unicode(s)) {
                            error(t, "invalid unicode escape code");
                            return;
                        }
                    }
                    default -> {
                        error(t, "invalid escape code");
                        return;
                    }
                }
            }
            t.value = LuaString.valueOf(s.toByteArray());
        }

        private int hex4(int at) {
            if (at + 4 > end) {
                return -1;
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(b[at + i], 16);
                if (d < 0) {
                    return -1;
                }
                v = v << 4 | d;
            }
            return v;
        }

        private boolean unicode(ByteArrayOutputStream s) {
            int cp = hex4(pos + 2);
            if (cp < 0) {
                return false;
            }
            int len = 6;
            if ((cp & 0xF800) == 0xD800) {
                if ((cp & 0x400) != 0 || pos + 7 >= end || b[pos + 6] != '\\' || b[pos + 7] != 'u') {
                    return false;
                }
                int low = hex4(pos + 8);
                if (low < 0 || (low & 0xFC00) != 0xDC00) {
                    return false;
                }
                cp = (((cp & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000;
                len = 12;
            }
            if (cp <= 0x7F) {
                s.write(cp);
            } else if (cp <= 0x7FF) {
                s.write(cp >> 6 | 0xC0);
                s.write(cp & 0x3F | 0x80);
            } else if (cp <= 0xFFFF) {
                s.write(cp >> 12 | 0xE0);
                s.write(cp >> 6 & 0x3F | 0x80);
                s.write(cp & 0x3F | 0x80);
            } else {
                s.write(cp >> 18 | 0xF0);
                s.write(cp >> 12 & 0x3F | 0x80);
                s.write(cp >> 6 & 0x3F | 0x80);
                s.write(cp & 0x3F | 0x80);
            }
            pos += len;
            return true;
        }

        private LuaValue value(Token t) {
            switch (t.type) {
                case T_STRING, T_NUMBER, T_BOOLEAN:
                    return t.value;
                case T_NULL:
                    return NULL;
                case T_OBJ_BEGIN:
                    return object();
                case T_ARR_BEGIN:
                    return array();
                default:
                    throw expected("value", t);
            }
        }

        private void descend() {
            depth++;
            if (depth > decodeMaxDepth) {
                throw new LuaError("Found too many nested data structures (" + depth + ") at character " + (pos - start));
            }
        }

        private LuaValue object() {
            descend();
            LuaTable table = new LuaTable();
            Token t = token();
            if (t.type == T_OBJ_END) {
                depth--;
                return table;
            }
            while (true) {
                if (t.type != T_STRING) {
                    throw expected("object key string", t);
                }
                LuaValue key = t.value;
                t = token();
                if (t.type != T_COLON) {
                    throw expected("colon", t);
                }
                table.rawset(key, value(token()));
                t = token();
                if (t.type == T_OBJ_END) {
                    depth--;
                    return table;
                }
                if (t.type != T_COMMA) {
                    throw expected("comma or object end", t);
                }
                t = token();
            }
        }

        private LuaValue array() {
            descend();
            LuaTable table = new LuaTable();
            Token t = token();
            if (t.type == T_ARR_END) {
                depth--;
                return table;
            }
            for (int i = 1; ; i++) {
                table.rawset(i, value(t));
                t = token();
                if (t.type == T_ARR_END) {
                    depth--;
                    return table;
                }
                if (t.type != T_COMMA) {
                    throw expected("comma or array end", t);
                }
                t = token();
            }
        }
    }
}
