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
 * lua-cmsgpack 0.4.0 as Redis bundles it ({@code deps/lua/src/lua_cmsgpack.c}): {@code pack}
 * (numbers as the smallest integer that holds them, else float 32 when exact, else double;
 * tables with keys 1..n as arrays, others as maps; nesting past 16 as nil), {@code unpack},
 * {@code unpack_one} and {@code unpack_limit} with their offsets and error texts. Map entries
 * come out in LuaJ's iteration order. Store thread only.
 */
public final class CmsgpackLib extends TwoArgFunction {
    private static final int MAX_NESTING = 16;

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        LuaTable t = new LuaTable();
        t.rawset("pack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() == 0) {
                    throw new LuaError("bad argument #0 to 'pack' (MessagePack pack needs input.)");
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (int i = 1; i <= args.narg(); i++) {
                    encode(args.arg(i), 0, out);
                }
                return LuaString.valueOf(out.toByteArray());
            }
        });
        t.rawset("unpack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return unpack(LuaArgs.string(args, 1, "unpack"), 0, 0);
            }
        });
        t.rawset("unpack_one", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                LuaString in = LuaArgs.string(args, 1, "unpack_one");
                return unpack(in, 1, args.arg(2).isnil() ? 0 : (long) LuaArgs.number(args, 2, "unpack_one"));
            }
        });
        t.rawset("unpack_limit", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                LuaString in = LuaArgs.string(args, 1, "unpack_limit");
                long limit = (long) LuaArgs.number(args, 2, "unpack_limit");
                return unpack(in, limit, args.arg(3).isnil() ? 0 : (long) LuaArgs.number(args, 3, "unpack_limit"));
            }
        });
        t.rawset("_NAME", "cmsgpack");
        t.rawset("_VERSION", "lua-cmsgpack 0.4.0");
        t.rawset("_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo");
        t.rawset("_DESCRIPTION", "MessagePack C implementation for Lua");
        env.set("cmsgpack", t);
        return t;
    }

    // ---- encoding --------------------------------------------------------------------------------

    private static void encode(LuaValue v, int level, ByteArrayOutputStream out) {
        int type = v.type();
        if (type == LuaValue.TTABLE && level == MAX_NESTING) {
            type = LuaValue.TNIL;
        }
        switch (type) {
            case LuaValue.TSTRING -> {
                LuaString s = v.checkstring();
                int len = s.m_length;
                if (len < 32) {
                    out.write(0xa0 | len);
                } else if (len <= 0xff) {
                    out.write(0xd9);
                    out.write(len);
                } else if (len <= 0xffff) {
                    out.write(0xda);
                    be(out, len, 2);
                } else {
                    out.write(0xdb);
                    be(out, len, 4);
                }
                out.write(s.m_bytes, s.m_offset, len);
            }
            case LuaValue.TBOOLEAN -> out.write(v.toboolean() ? 0xc3 : 0xc2);
            case LuaValue.TNUMBER -> {
                double d = v.todouble();
                // IS_INT64_EQUIVALENT: (int64_t)d == d, false from 2^63 up (x86 turns those into INT64_MIN)
                if (d >= -0x1p63 && d < 0x1p63 && (double) (long) d == d) {
                    integer((long) d, out);
                } else {
                    float f = (float) d;
                    if (d == (double) f) {
                        out.write(0xca);
                        be(out, Float.floatToRawIntBits(f) & 0xffffffffL, 4);
                    } else {
                        out.write(0xcb);
                        be(out, Double.doubleToRawLongBits(d), 8);
                    }
                }
            }
            case LuaValue.TTABLE -> table(v, level, out);
            default -> out.write(0xc0);
        }
    }

    private static void integer(long n, ByteArrayOutputStream out) {
        if (n >= 0) {
            if (n <= 127) {
                out.write((int) n);
            } else if (n <= 0xff) {
                out.write(0xcc);
                out.write((int) n);
            } else if (n <= 0xffff) {
                out.write(0xcd);
                be(out, n, 2);
            } else if (n <= 0xffffffffL) {
                out.write(0xce);
                be(out, n, 4);
            } else {
                out.write(0xcf);
                be(out, n, 8);
            }
        } else if (n >= -32) {
            out.write((int) n & 0xff);
        } else if (n >= -128) {
            out.write(0xd0);
            out.write((int) n & 0xff);
        } else if (n >= -32768) {
            out.write(0xd1);
            be(out, n, 2);
        } else if (n >= -2147483648L) {
            out.write(0xd2);
            be(out, n, 4);
        } else {
            out.write(0xd3);
            be(out, n, 8);
        }
    }

    private static void be(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    /** table_is_an_array: every key a positive integer (of int range) and no holes. */
    private static boolean isArray(LuaValue t) {
        long count = 0;
        double max = 0;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            if (k.type() != LuaValue.TNUMBER) {
                return false;
            }
            double d = k.todouble();
            if (d <= 0 || (double) (int) d != d) {
                return false;
            }
            max = Math.max(max, d);
            count++;
        }
        return max == count;
    }

    private static void table(LuaValue t, int level, ByteArrayOutputStream out) {
        if (isArray(t)) {
            int len = t.rawlen();
            header(out, len, 0x90, 0xdc, 0xdd);
            for (int j = 1; j <= len; j++) {
                encode(t.rawget(j), level + 1, out);
            }
            return;
        }
        int count = 0;
        LuaValue k = LuaValue.NIL;
        while (!(k = t.next(k).arg1()).isnil()) {
            count++;
        }
        header(out, count, 0x80, 0xde, 0xdf);
        k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            encode(k, level + 1, out);
            encode(n.arg(2), level + 1, out);
        }
    }

    private static void header(ByteArrayOutputStream out, long n, int fix, int sixteen, int thirtyTwo) {
        if (n <= 15) {
            out.write(fix | (int) n);
        } else if (n <= 65535) {
            out.write(sixteen);
            be(out, n, 2);
        } else {
            out.write(thirtyTwo);
            be(out, n, 4);
        }
    }

    // ---- decoding --------------------------------------------------------------------------------

    /** Thrown inside decoding; becomes Redis's error text. */
    private static final class Eof extends RuntimeException {
        Eof() {
            super(null, null, false, false);
        }
    }

    private static final class BadFormat extends RuntimeException {
        BadFormat() {
            super(null, null, false, false);
        }
    }

    private static Varargs unpack(LuaString s, long limit, long offset) {
        int len = s.m_length;
        boolean all = limit == 0 && offset == 0;
        if (offset < 0 || limit < 0) {
            throw new LuaError("Invalid request to unpack with offset of " + offset + " and limit of " + len + ".");
        }
        if (offset > len) {
            throw new LuaError("Start offset " + offset + " greater than input length " + len + ".");
        }
        Cursor c = new Cursor(s.m_bytes, s.m_offset + (int) offset, s.m_offset + len);
        java.util.List<LuaValue> values = new java.util.ArrayList<>();
        long max = all ? Integer.MAX_VALUE : limit;
        try {
            while (c.pos < c.end && values.size() < max) {
                values.add(c.value());
            }
        } catch (Eof e) {
            throw new LuaError("Missing bytes in input.");
        } catch (BadFormat e) {
            throw new LuaError("Bad data format in input.");
        }
        if (!all) {
            values.add(0, LuaValue.valueOf(c.pos == c.end ? -1 : c.pos - s.m_offset));
        }
        return LuaValue.varargsOf(values.toArray(new LuaValue[0]));
    }

    private static final class Cursor {
        final byte[] b;
        int pos;
        final int end;

        Cursor(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        void need(int n) {
            if (end - pos < n) {
                throw new Eof();
            }
        }

        long be(int at, int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = v << 8 | (b[at + i] & 0xff);
            }
            return v;
        }

        LuaValue bytes(int headerLen, long len) {
            need(headerLen);
            if (len > end - pos - headerLen) {
                throw new Eof();
            }
            byte[] out = new byte[(int) len];
            System.arraycopy(b, pos + headerLen, out, 0, (int) len);
            pos += headerLen + (int) len;
            return LuaString.valueOf(out);
        }

        LuaValue array(int headerLen, long n) {
            pos += headerLen;
            LuaTable t = new LuaTable();
            for (int i = 1; i <= n; i++) {
                t.rawset(i, value());
            }
            return t;
        }

        LuaValue map(int headerLen, long n) {
            pos += headerLen;
            LuaTable t = new LuaTable();
            for (long i = 0; i < n; i++) {
                LuaValue k = value();
                LuaValue v = value();
                if (k.isnil()) {
                    throw new LuaError("table index is nil"); // lua_settable's error, as Redis's decoder raises it
                }
                t.rawset(k, v);
            }
            return t;
        }

        LuaValue value() {
            need(1);
            int c = b[pos] & 0xff;
            switch (c) {
                case 0xcc -> { need(2); pos += 2; return LuaValue.valueOf(b[pos - 1] & 0xff); }
                case 0xd0 -> { need(2); pos += 2; return LuaValue.valueOf(b[pos - 1]); }
                case 0xcd -> { need(3); long v = be(pos + 1, 2); pos += 3; return LuaValue.valueOf((double) v); }
                case 0xd1 -> { need(3); long v = (short) be(pos + 1, 2); pos += 3; return LuaValue.valueOf((double) v); }
                case 0xce -> { need(5); long v = be(pos + 1, 4); pos += 5; return LuaValue.valueOf((double) v); }
                case 0xd2 -> { need(5); long v = (int) be(pos + 1, 4); pos += 5; return LuaValue.valueOf((double) v); }
                case 0xcf -> {
                    need(9);
                    long v = be(pos + 1, 8);
                    pos += 9;
                    return LuaValue.valueOf((double) v); // Redis's Lua 5.1 build pushes uint64 as a signed integer
                }
                case 0xd3 -> { need(9); long v = be(pos + 1, 8); pos += 9; return LuaValue.valueOf((double) v); }
                case 0xc0 -> { pos++; return LuaValue.NIL; }
                case 0xc3 -> { pos++; return LuaValue.TRUE; }
                case 0xc2 -> { pos++; return LuaValue.FALSE; }
                case 0xca -> { need(5); float f = Float.intBitsToFloat((int) be(pos + 1, 4)); pos += 5; return LuaValue.valueOf(f); }
                case 0xcb -> { need(9); double d = Double.longBitsToDouble(be(pos + 1, 8)); pos += 9; return LuaValue.valueOf(d); }
                case 0xd9 -> { need(2); return bytes(2, b[pos + 1] & 0xff); }
                case 0xda -> { need(3); return bytes(3, be(pos + 1, 2)); }
                case 0xdb -> { need(5); return bytes(5, be(pos + 1, 4)); }
                case 0xdc -> { need(3); return array(3, be(pos + 1, 2)); }
                case 0xdd -> { need(5); return array(5, be(pos + 1, 4)); }
                case 0xde -> { need(3); return map(3, be(pos + 1, 2)); }
                case 0xdf -> { need(5); return map(5, be(pos + 1, 4)); }
                default -> { }
            }
            if ((c & 0x80) == 0) {
                pos++;
                return LuaValue.valueOf(c);
            }
            if ((c & 0xe0) == 0xe0) {
                pos++;
                return LuaValue.valueOf((byte) c);
            }
            if ((c & 0xe0) == 0xa0) {
                return bytes(1, c & 0x1f);
            }
            if ((c & 0xf0) == 0x90) {
                return array(1, c & 0xf);
            }
            if ((c & 0xf0) == 0x80) {
                return map(1, c & 0xf);
            }
            throw new BadFormat();
        }
    }
}
