package dev.panda.script.lib;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.provider.Arguments;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * Runs a Lua expression the way the expected answers were taken from a real Redis 7.0.15: each
 * case was sent as {@code EVAL "<prelude> return <expr>" 0} and its bulk reply recorded. The
 * prelude's helpers turn results into strings so both sides compare bytes: N (number as
 * "%.17g"), H (hex of a string), E (pcall, error text without its "chunk:line: " position),
 * L (values joined with '|').
 */
final class LuaCases {
    private static final String PRELUDE = String.join("\n",
        "local N = _N",
        "local function H(s) local o = {} for i = 1, #s do o[#o+1] = string.format('%02x', s:byte(i)) end return table.concat(o) end",
        "local function E(f, ...) local ok, e = pcall(f, ...) if ok then return 'OK' end return (string.gsub(tostring(e), '^[^:]*:%d+: ', '')) end",
        "local function L(...) local t = {...} local o = {} for i = 1, select('#', ...) do local v = t[i] if type(v) == 'number' then o[i] = N(v) elseif type(v) == 'string' then o[i] = v else o[i] = type(v) == 'userdata' and 'userdata' or tostring(v) end end return table.concat(o, '|') end",
        "");

    private LuaCases() {
    }

    static Arguments c(String expr, String expected) {
        return Arguments.of(expr, expected);
    }

    static Globals globals() {
        Globals g = new Globals();
        g.load(new JseBaseLib());
        g.load(new PackageLib());
        g.load(new TableLib());
        g.load(new StringLib());
        g.load(new JseMathLib());
        g.load(new org.luaj.vm2.lib.CoroutineLib());
        LoadState.install(g);
        LuaC.install(g);
        g.load(new CjsonLib());
        g.load(new CmsgpackLib());
        g.load(new BitLib());
        g.load(new StructLib());
        // C's string.format('%.17g') for the prelude's N: LuaJ's own number formatting differs
        g.set("_N", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue arg) {
                return LuaValue.valueOf(dev.panda.protocol.Doubles.formatG(arg.checkdouble(), 17));
            }
        });
        return g;
    }

    /** The expression's result as one char per byte (ISO-8859-1), like the recorded replies. */
    static String run(String expr) {
        LuaValue result = globals().load(PRELUDE + "return " + expr, "t").call();
        LuaString s = result.checkstring();
        return new String(s.m_bytes, s.m_offset, s.m_length, StandardCharsets.ISO_8859_1);
    }
}
