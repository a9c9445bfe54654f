package dev.panda.script.lib;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Argument checks with Lua 5.1's messages ({@code luaL_argerror}, {@code luaL_typerror}):
 * {@code bad argument #2 to 'pack' (number expected, got no value)}. LuaJ's own checks leave out
 * the function's name and the argument's position. Pure; any thread.
 */
final class LuaArgs {
    private LuaArgs() {
    }

    static LuaError bad(int i, String function, String message) {
        return new LuaError("bad argument #" + i + " to '" + function + "' (" + message + ")");
    }

    /** luaL_typename: "no value" past the last argument. */
    static String got(Varargs a, int i) {
        return i > a.narg() ? "no value" : a.arg(i).typename();
    }

    static double number(Varargs a, int i, String function) {
        LuaValue v = a.arg(i);
        if (v.isnumber()) {
            return v.todouble();
        }
        throw bad(i, function, "number expected, got " + got(a, i));
    }

    static LuaString string(Varargs a, int i, String function) {
        LuaValue v = a.arg(i);
        if (v.isstring()) {
            return v.strvalue();
        }
        throw bad(i, function, "string expected, got " + got(a, i));
    }
}
