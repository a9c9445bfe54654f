package dev.panda.script;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Lua errors in Redis's shapes. Redis raises errors from {@code redis.call} as tables
 * {@code {err="CODE message"}} ({@code luaPushErrorBuff}), and reports a failed script as
 * {@code -CODE message script: <name>, on @<chunk>:<line>.}. LuaJ records where an error was
 * raised as a {@code "chunk:line "} prefix of its message (C Lua writes {@code "chunk:line: "}):
 * {@link #position} and {@link #value} read and rewrite it. Pure functions; any thread.
 */
public final class ScriptErrors {
    /** LuaJ's position prefix: the chunk name (with LuaJ's leading '@' kept) and the line. */
    private static final Pattern POSITION = Pattern.compile("^@?([^\\s:]+):(\\d+|\\?) ", Pattern.DOTALL);
    private static final LuaString ERR = LuaString.valueOf("err");

    private ScriptErrors() {
    }

    /**
     * Redis's error table for {@code text}: with a leading '-' the first word is the code,
     * without one the code is ERR; trailing CR/LF are trimmed.
     */
    public static LuaTable table(String text) {
        String code;
        String msg;
        if (text.startsWith("-")) {
            int space = text.indexOf(' ');
            if (space < 0) {
                code = "ERR";
                msg = text.substring(1);
            } else {
                code = text.substring(1, space);
                msg = text.substring(space + 1);
            }
        } else {
            code = "ERR";
            msg = text;
        }
        msg = trim(msg);
        LuaTable t = new LuaTable();
        t.rawset(ERR, LuaValue.valueOf(code + " " + msg));
        return t;
    }

    private static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == '\r' || s.charAt(start) == '\n')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == '\r' || s.charAt(end - 1) == '\n')) {
            end--;
        }
        return s.substring(start, end);
    }

    /** Where the error was raised, as Redis reports it ({@code "@user_script"}, line), or null. */
    public static String[] position(LuaError e) {
        String m = e.getMessage();
        if (m == null) {
            return null;
        }
        Matcher matcher = POSITION.matcher(m);
        return matcher.find() ? new String[] {"@" + matcher.group(1), matcher.group(2)} : null;
    }

    /**
     * The error value Lua code sees (pcall's second result): the raised object as is, or a
     * string error with C Lua's {@code "chunk:line: message"} position.
     */
    public static LuaValue value(LuaError e) {
        LuaValue v = e.getMessageObject();
        if (v == null) {
            return LuaValue.NIL;
        }
        if (!v.isstring() || v.isnumber()) {
            return v;
        }
        return LuaValue.valueOf(text(e));
    }

    /** A string error's text with C Lua's position prefix. */
    public static String text(LuaError e) {
        String m = e.getMessage();
        if (m == null) {
            return "nil";
        }
        Matcher matcher = POSITION.matcher(m);
        if (matcher.find()) {
            return matcher.group(1) + ":" + matcher.group(2) + ": " + m.substring(matcher.end());
        }
        return m;
    }

    /** The {@code err} text of an error table, or null when {@code v} is not one. */
    public static String errText(LuaValue v) {
        if (!v.istable()) {
            return null;
        }
        LuaValue err = v.rawget(ERR);
        return err.isstring() ? err.tojstring() : null;
    }
}
