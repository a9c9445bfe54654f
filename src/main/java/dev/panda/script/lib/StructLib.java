package dev.panda.script.lib;

import java.io.ByteArrayOutputStream;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Roberto Ierusalimschy's struct library as Redis bundles it ({@code deps/lua/src/lua_struct.c}),
 * with the sizes of Redis's x86-64 build (short 2, int 4, long and size_t 8, maximum alignment 8):
 * {@code pack}, {@code unpack} and {@code size} with the options {@code > < ! x b B h H l L T i
 * I c s f d} and the library's error texts. Store thread only.
 */
public final class StructLib extends TwoArgFunction {
    private static final int MAXINTSIZE = 32;
    private static final int MAXALIGN = 8;

    /** The parse state of one format: position, byte order and alignment. */
    private static final class Format {
        final String f;
        final String function;
        int i;
        boolean little = true; // x86's native order
        int align = 1;

        Format(String f, String function) {
            int nul = f.indexOf('\0');
            this.f = nul >= 0 ? f.substring(0, nul) : f; // the format is a C string

            this.function = function;
        }

        boolean more() {
            return i < f.length();
        }

        char next() {
            return f.charAt(i++);
        }

        int number(int dflt) {
            if (i >= f.length() || !Character.isDigit(f.charAt(i))) {
                return dflt;
            }
            long a = 0;
            while (i < f.length() && Character.isDigit(f.charAt(i))) {
                a = a * 10 + (f.charAt(i++) - '0');
                if (a > Integer.MAX_VALUE) {
                    throw new LuaError("integral size overflow");
                }
            }
            return (int) a;
        }

        int size(char opt) {
            return switch (opt) {
                case 'B', 'b', 'x' -> 1;
                case 'H', 'h' -> 2;
                case 'L', 'l', 'T', 'd' -> 8;
                case 'f' -> 4;
                case 'c' -> number(1);
                case 'i', 'I' -> {
                    int sz = number(4);
                    if (sz > MAXINTSIZE) {
                        throw new LuaError("integral size " + sz + " is larger than limit of " + MAXINTSIZE);
                    }
                    yield sz;
                }
                default -> 0;
            };
        }

        int toAlign(long len, char opt, int size) {
            if (size == 0 || opt == 'c') {
                return 0;
            }
            if (size > align) {
                size = align;
            }
            return (int) ((size - (len & (size - 1))) & (size - 1));
        }

        void control(char opt) {
            switch (opt) {
                case ' ' -> { }
                case '>' -> little = false;
                case '<' -> little = true;
                case '!' -> {
                    int a = number(MAXALIGN);
                    if (a <= 0 || (a & (a - 1)) != 0) {
                        throw new LuaError("alignment " + a + " is not a power of 2");
                    }
                    align = a;
                }
                default -> throw new LuaError("bad argument #1 to '" + function + "' (invalid format option '" + opt + "')");
            }
        }
    }

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        LuaTable t = new LuaTable();
        t.rawset("pack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return pack(args);
            }
        });
        t.rawset("unpack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return unpack(args);
            }
        });
        t.rawset("size", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                Format h = new Format(LuaArgs.string(args, 1, "size").tojstring(), "size");
                long pos = 0;
                while (h.more()) {
                    char opt = h.next();
                    int size = h.size(opt);
                    pos += h.toAlign(pos, opt, size);
                    if (opt == 's') {
                        throw new LuaError("bad argument #1 to 'size' (option 's' has no fixed size)");
                    } else if (opt == 'c' && size == 0) {
                        throw new LuaError("bad argument #1 to 'size' (option 'c0' has no fixed size)");
                    }
                    if (!Character.isLetterOrDigit(opt)) {
                        h.control(opt);
                    }
                    pos += size;
                }
                return LuaValue.valueOf((double) pos);
            }
        });
        env.set("struct", t);
        return t;
    }

    private static Varargs pack(Varargs args) {
        Format h = new Format(LuaArgs.string(args, 1, "pack").tojstring(), "pack");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int arg = 2;
        long total = 0;
        while (h.more()) {
            char opt = h.next();
            int size = h.size(opt);
            int toAlign = h.toAlign(total, opt, size);
            total += toAlign;
            for (int k = 0; k < toAlign; k++) {
                b.write(0);
            }
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> writeInt(b, toUinttype(packNumber(args, arg++)), size, h.little);
                case 'x' -> b.write(0);
                case 'f' -> writeInt(b, Float.floatToRawIntBits((float) packNumber(args, arg++)) & 0xffffffffL, 4, h.little);
                case 'd' -> writeInt(b, Double.doubleToRawLongBits(packNumber(args, arg++)), 8, h.little);
                case 'c', 's' -> {
                    LuaString s = packString(args, arg++);
                    int l = s.m_length;
                    if (size == 0) {
                        size = l;
                    }
                    if (l < size) {
                        throw new LuaError("bad argument #" + arg + " to 'pack' (string too short)");
                    }
                    b.write(s.m_bytes, s.m_offset, size);
                    if (opt == 's') {
                        b.write(0);
                        size++;
                    }
                }
                default -> h.control(opt);
            }
            total += size;
        }
        return LuaString.valueOf(b.toByteArray());
    }

    /** b_pack's arguments: pushnil marks their end, so a missing one reads as nil, not "no value". */
    private static double packNumber(Varargs args, int i) {
        LuaValue v = args.arg(i);
        if (v.isnumber()) {
            return v.todouble();
        }
        throw LuaArgs.bad(i, "pack", "number expected, got " + v.typename());
    }

    private static LuaString packString(Varargs args, int i) {
        LuaValue v = args.arg(i);
        if (v.isstring()) {
            return v.strvalue();
        }
        throw LuaArgs.bad(i, "pack", "string expected, got " + v.typename());
    }

    /**
     * putinteger's conversion as x86-64 does it: a negative number through int64 (out of range:
     * INT64_MIN), others through uint64 (2^63 and up by subtracting 2^63 first), NaN as INT64_MIN.
     */
    private static long toUinttype(double n) {
        if (Double.isNaN(n)) {
            return Long.MIN_VALUE;
        }
        if (n < 0) {
            return n < -0x1p63 ? Long.MIN_VALUE : (long) n;
        }
        if (n < 0x1p63) {
            return (long) n;
        }
        double m = n - 0x1p63;
        return (m >= 0x1p63 ? Long.MIN_VALUE : (long) m) ^ Long.MIN_VALUE;
    }

    /** Writes the low bytes of a 64-bit value; bytes past the eighth are 0, as the shifts leave them. */
    private static void writeInt(ByteArrayOutputStream b, long value, int size, boolean little) {
        byte[] buf = new byte[size];
        for (int k = 0; k < size; k++) {
            int idx = little ? k : size - 1 - k;
            buf[idx] = k < 8 ? (byte) (value >>> (8 * k)) : 0;
        }
        b.write(buf, 0, size);
    }

    private static Varargs unpack(Varargs args) {
        Format h = new Format(LuaArgs.string(args, 1, "unpack").tojstring(), "unpack");
        LuaString data = LuaArgs.string(args, 2, "unpack");
        long ld = data.m_length;
        // pos is a size_t: a negative offset wraps round and fails the length check below
        long pos = args.arg(3).isnil() ? 1 : (long) LuaArgs.number(args, 3, "unpack");
        if (pos == 0) {
            throw new LuaError("bad argument #3 to 'unpack' (offset must be 1 or greater)");
        }
        pos--;
        java.util.List<LuaValue> out = new java.util.ArrayList<>();
        while (h.more()) {
            char opt = h.next();
            int size = h.size(opt);
            pos += h.toAlign(pos, opt, size);
            if (size > ld || Long.compareUnsigned(pos, ld - size) > 0) {
                throw new LuaError("bad argument #2 to 'unpack' (data string too short)");
            }
            int at = data.m_offset + (int) pos;
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    boolean signed = Character.isLowerCase(opt);
                    long l = 0;
                    for (int k = 0; k < size; k++) {
                        int idx = h.little ? size - 1 - k : k;
                        l = l << 8 | (data.m_bytes[at + idx] & 0xff);
                    }
                    double res;
                    if (signed) {
                        long mask = -1L << ((size * 8 - 1) & 63); // x86 takes shift counts modulo 64
                        if ((l & mask) != 0) {
                            l |= mask;
                        }
                        res = l;
                    } else {
                        res = l >= 0 ? l : Double.parseDouble(Long.toUnsignedString(l)); // rounded once, as C converts
                    }
                    out.add(LuaValue.valueOf(res));
                }
                case 'x' -> { }
                case 'f' -> out.add(LuaValue.valueOf(Float.intBitsToFloat((int) readInt(data.m_bytes, at, 4, h.little))));
                case 'd' -> out.add(LuaValue.valueOf(Double.longBitsToDouble(readInt(data.m_bytes, at, 8, h.little))));
                case 'c' -> {
                    if (size == 0) {
                        if (out.isEmpty() || !out.get(out.size() - 1).isnumber()) {
                            throw new LuaError("format 'c0' needs a previous size");
                        }
                        size = (int) out.remove(out.size() - 1).todouble();
                        if (size > ld || pos > ld - size) {
                            throw new LuaError("bad argument #2 to 'unpack' (data string too short)");
                        }
                    }
                    out.add(LuaString.valueOf(java.util.Arrays.copyOfRange(data.m_bytes, at, at + size)));
                }
                case 's' -> {
                    int e = at;
                    int limit = data.m_offset + data.m_length;
                    while (e < limit && data.m_bytes[e] != 0) {
                        e++;
                    }
                    if (e == limit) {
                        throw new LuaError("unfinished string in data");
                    }
                    size = e - at + 1;
                    out.add(LuaString.valueOf(java.util.Arrays.copyOfRange(data.m_bytes, at, e)));
                }
                default -> h.control(opt);
            }
            pos += size;
        }
        out.add(LuaValue.valueOf((double) (pos + 1)));
        return LuaValue.varargsOf(out.toArray(new LuaValue[0]));
    }

    private static long readInt(byte[] b, int at, int size, boolean little) {
        long l = 0;
        for (int k = 0; k < size; k++) {
            int idx = little ? size - 1 - k : k;
            l = l << 8 | (b[at + idx] & 0xff);
        }
        return l;
    }
}
