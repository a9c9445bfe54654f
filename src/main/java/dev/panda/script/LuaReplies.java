package dev.panda.script;

import dev.panda.protocol.Reply;
import java.util.ArrayList;
import java.util.List;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * A script's result as the client's reply, converted as Redis's {@code luaReplyToRedisReply}
 * does: a number truncated to an integer, a string as a bulk string, {@code true} as 1 and
 * {@code false} as null (as booleans when the script chose RESP3), a table as an array cut at
 * its first nil, unless it is an error ({@code err}), status ({@code ok}), {@code double},
 * {@code big_number}, {@code verbatim_string}, {@code map} or {@code set} table; anything else
 * as null. Store thread only.
 */
public final class LuaReplies {
    private static final LuaString ERR = LuaString.valueOf("err");
    private static final LuaString OK = LuaString.valueOf("ok");
    private static final LuaString DOUBLE = LuaString.valueOf("double");
    private static final LuaString BIG_NUMBER = LuaString.valueOf("big_number");
    private static final LuaString VERBATIM = LuaString.valueOf("verbatim_string");
    private static final LuaString MAP = LuaString.valueOf("map");
    private static final LuaString SET = LuaString.valueOf("set");
    private static final LuaString FORMAT = LuaString.valueOf("format");
    private static final LuaString STRING = LuaString.valueOf("string");

    private LuaReplies() {
    }

    /** Writes {@code v}; {@code scriptProtocol} is the RESP version the script set with redis.setresp. */
    public static void write(LuaValue v, Reply r, int scriptProtocol) {
        switch (v.type()) {
            case LuaValue.TSTRING -> {
                LuaString s = v.checkstring();
                r.bulk(s.m_bytes, s.m_offset, s.m_length);
            }
            case LuaValue.TBOOLEAN -> {
                if (scriptProtocol == 2) {
                    if (v.toboolean()) {
                        r.integer(1);
                    } else {
                        r.nullBulk();
                    }
                } else {
                    r.bool(v.toboolean());
                }
            }
            case LuaValue.TNUMBER -> r.integer(toLong(v.todouble()));
            case LuaValue.TTABLE -> writeTable(v, r, scriptProtocol);
            default -> r.nullBulk();
        }
    }

    /** C's (long long) cast of a double, as x86 does it for values out of range. */
    static long toLong(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    private static void writeTable(LuaValue t, Reply r, int scriptProtocol) {
        LuaValue err = t.rawget(ERR);
        if (err.isstring()) {
            r.error(flatten(err.tojstring()));
            return;
        }
        LuaValue ok = t.rawget(OK);
        if (ok.isstring()) {
            r.simple(flatten(ok.tojstring()));
            return;
        }
        LuaValue dbl = t.rawget(DOUBLE);
        if (dbl.type() == LuaValue.TNUMBER) {
            r.doubleValue(dbl.todouble());
            return;
        }
        LuaValue big = t.rawget(BIG_NUMBER);
        if (big.isstring()) {
            r.bigNumber(flatten(big.tojstring()));
            return;
        }
        LuaValue verbatim = t.rawget(VERBATIM);
        if (verbatim.istable() && verbatim.rawget(FORMAT).isstring() && verbatim.rawget(STRING).isstring()) {
            r.verbatim(verbatim.rawget(STRING).tojstring());
            return;
        }
        LuaValue map = t.rawget(MAP);
        if (map.istable()) {
            List<LuaValue> entries = entries(map);
            r.map(entries.size() / 2);
            for (LuaValue e : entries) {
                write(e, r, scriptProtocol);
            }
            return;
        }
        LuaValue set = t.rawget(SET);
        if (set.istable()) {
            List<LuaValue> entries = entries(set);
            r.set(entries.size() / 2);
            for (int i = 0; i < entries.size(); i += 2) {
                write(entries.get(i), r, scriptProtocol);
            }
            return;
        }
        int n = 0;
        while (!t.rawget(n + 1).isnil()) {
            n++;
        }
        r.array(n);
        for (int i = 1; i <= n; i++) {
            write(t.rawget(i), r, scriptProtocol);
        }
    }

    /** Key, value, key, value… in the table's iteration order (as lua_next walks it). */
    private static List<LuaValue> entries(LuaValue table) {
        List<LuaValue> out = new ArrayList<>();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = table.next(k);
            if ((k = n.arg1()).isnil()) {
                return out;
            }
            out.add(k);
            out.add(n.arg(2));
        }
    }

    /** Redis maps CR and LF in status and error texts to spaces. */
    private static String flatten(String s) {
        return s.replace('\r', ' ').replace('\n', ' ');
    }
}
