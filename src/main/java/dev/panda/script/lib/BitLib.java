package dev.panda.script.lib;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * LuaBitOp 1.0.2 as Redis bundles it ({@code deps/lua/src/lua_bit.c}): 32-bit operations on Lua
 * numbers, each argument reduced to 32 bits the way LuaBitOp does it (the low word of
 * {@code n + 2^52 + 2^51}, which rounds to nearest) and each result a signed 32-bit number.
 * Store thread only.
 */
public final class BitLib extends TwoArgFunction {
    private static final double ROUNDING_BIAS = 6755399441055744.0; // 2^52 + 2^51

    /** barg: the low 32 bits LuaBitOp takes from a number. */
    static int bits(Varargs args, int i, String function) {
        return (int) Double.doubleToRawLongBits(LuaArgs.number(args, i, function) + ROUNDING_BIAS);
    }

    private interface IntOp {
        int apply(Varargs args, String function);
    }

    private static VarArgFunction op(String function, IntOp f) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return LuaValue.valueOf(f.apply(args, function));
            }
        };
    }

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        LuaTable t = new LuaTable();
        t.rawset("tobit", op("tobit", (a, f) -> bits(a, 1, f)));
        t.rawset("bnot", op("bnot", (a, f) -> ~bits(a, 1, f)));
        t.rawset("band", op("band", (a, f) -> {
            int r = bits(a, 1, f);
            for (int i = 2; i <= a.narg(); i++) {
                r &= bits(a, i, f);
            }
            return r;
        }));
        t.rawset("bor", op("bor", (a, f) -> {
            int r = bits(a, 1, f);
            for (int i = 2; i <= a.narg(); i++) {
                r |= bits(a, i, f);
            }
            return r;
        }));
        t.rawset("bxor", op("bxor", (a, f) -> {
            int r = bits(a, 1, f);
            for (int i = 2; i <= a.narg(); i++) {
                r ^= bits(a, i, f);
            }
            return r;
        }));
        t.rawset("lshift", op("lshift", (a, f) -> bits(a, 1, f) << (bits(a, 2, f) & 31)));
        t.rawset("rshift", op("rshift", (a, f) -> bits(a, 1, f) >>> (bits(a, 2, f) & 31)));
        t.rawset("arshift", op("arshift", (a, f) -> bits(a, 1, f) >> (bits(a, 2, f) & 31)));
        t.rawset("rol", op("rol", (a, f) -> Integer.rotateLeft(bits(a, 1, f), bits(a, 2, f) & 31)));
        t.rawset("ror", op("ror", (a, f) -> Integer.rotateRight(bits(a, 1, f), bits(a, 2, f) & 31)));
        t.rawset("bswap", op("bswap", (a, f) -> Integer.reverseBytes(bits(a, 1, f))));
        t.rawset("tohex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                int b = bits(args, 1, "tohex");
                int n = args.narg() < 2 ? 8 : bits(args, 2, "tohex");
                String digits = "0123456789abcdef";
                if (n < 0) {
                    n = -n;
                    digits = "0123456789ABCDEF";
                }
                if (n > 8) {
                    n = 8;
                }
                char[] buf = new char[n];
                for (int i = n - 1; i >= 0; i--) {
                    buf[i] = digits.charAt(b & 15);
                    b >>>= 4;
                }
                return LuaValue.valueOf(new String(buf));
            }
        });
        env.set("bit", t);
        return t;
    }
}
