package dev.panda.script;

import dev.panda.protocol.Doubles;
import dev.panda.protocol.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * The reply of a command run by {@code redis.call}, built as the Lua value Redis's
 * {@code redisProtocolToLuaType} makes of it: integers as numbers, bulk strings as strings, a
 * RESP2 null as {@code false} and a RESP3 null as {@code nil}, arrays as tables, a status as
 * {@code {ok=...}}, an error as {@code {err=...}}; in RESP3 a map as {@code {map={...}}}, a set
 * as {@code {set={member=true}}}, a double as {@code {double=n}} and a verbatim string as
 * {@code {verbatim_string={format=..., string=...}}}. One builder per call.
 *
 * <p>Store thread only.
 */
public final class LuaReplyBuilder implements Reply {
    private static final LuaString OK = LuaString.valueOf("ok");
    private static final LuaString ERR = LuaString.valueOf("err");
    private static final LuaString MAP = LuaString.valueOf("map");
    private static final LuaString SET = LuaString.valueOf("set");
    private static final LuaString DOUBLE = LuaString.valueOf("double");

    /** An aggregate being filled: its table, how many elements it still expects, and its kind. */
    private static final class Frame {
        final LuaTable table = new LuaTable();
        final LuaValue wrapper;
        final char kind;
        int remaining;
        int index;
        LuaValue pendingKey;

        Frame(char kind, int remaining, LuaValue wrapperKey) {
            this.kind = kind;
            this.remaining = remaining;
            if (wrapperKey == null) {
                wrapper = table;
            } else {
                LuaTable w = new LuaTable();
                w.rawset(wrapperKey, table);
                wrapper = w;
            }
        }
    }

    private final int protocol;
    /** Aggregates being filled, innermost first; most replies are flat and never need one. */
    private ArrayDeque<Frame> frames;
    private LuaValue result = LuaValue.NIL;
    private boolean error;
    private long errors;

    public LuaReplyBuilder(int protocol) {
        this.protocol = protocol;
    }

    /** The reply as a Lua value (valid once the command has answered). */
    public LuaValue result() {
        return result;
    }

    /** Whether the reply as a whole is an error. */
    public boolean isError() {
        return error;
    }

    private void add(LuaValue v) {
        Frame f = frames == null ? null : frames.peek();
        if (f == null) {
            result = v;
            return;
        }
        switch (f.kind) {
            case 'a' -> f.table.rawset(++f.index, v);
            case 's' -> f.table.rawset(v, LuaValue.TRUE);
            default -> {
                if (f.pendingKey == null) {
                    f.pendingKey = v;
                    return; // a key alone does not count: entries are counted in pairs
                }
                if (!f.pendingKey.isnil()) {
                    f.table.rawset(f.pendingKey, v);
                }
                f.pendingKey = null;
            }
        }
        if (--f.remaining == 0) {
            frames.pop();
            add(f.wrapper);
        }
    }

    private void open(char kind, int length, LuaValue wrapperKey) {
        Frame f = new Frame(kind, length, wrapperKey);
        if (length == 0) {
            add(f.wrapper);
        } else {
            if (frames == null) {
                frames = new ArrayDeque<>();
            }
            frames.push(f);
        }
    }

    @Override
    public void ok() {
        simple("OK");
    }

    @Override
    public void simple(String text) {
        LuaTable t = new LuaTable();
        t.rawset(OK, LuaValue.valueOf(text));
        add(t);
    }

    @Override
    public void error(String message) {
        errors++;
        if (frames == null || frames.isEmpty()) {
            error = true;
        }
        add(ScriptErrors.table("-" + message));
    }

    @Override
    public void integer(long value) {
        add(LuaValue.valueOf((double) value));
    }

    @Override
    public void bulk(byte[] value) {
        add(LuaString.valueOf(value));
    }

    @Override
    public void bulk(byte[] array, int offset, int length) {
        byte[] copy = new byte[length];
        System.arraycopy(array, offset, copy, 0, length);
        add(LuaString.valueOf(copy));
    }

    @Override
    public void bulk(String value) {
        add(LuaString.valueOf(value.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void nullBulk() {
        add(protocol == 3 ? LuaValue.NIL : LuaValue.FALSE);
    }

    @Override
    public void nullArray() {
        add(protocol == 3 ? LuaValue.NIL : LuaValue.FALSE);
    }

    @Override
    public void array(int length) {
        open('a', length, null);
    }

    @Override
    public void push(int length) {
        open('a', length, null);
    }

    @Override
    public void map(int entries) {
        if (protocol == 3) {
            open('m', entries, MAP);
        } else {
            open('a', entries * 2, null);
        }
    }

    @Override
    public void set(int length) {
        if (protocol == 3) {
            open('s', length, SET);
        } else {
            open('a', length, null);
        }
    }

    @Override
    public void doubleValue(double value) {
        if (protocol == 3) {
            LuaTable t = new LuaTable();
            t.rawset(DOUBLE, LuaValue.valueOf(value));
            add(t);
        } else {
            bulk(Doubles.format(value));
        }
    }

    @Override
    public void doubleText(String text) {
        if (protocol == 3) {
            doubleValue(Double.parseDouble(text.replace("inf", "Infinity")));
        } else {
            bulk(text);
        }
    }

    @Override
    public void bool(boolean value) {
        if (protocol == 3) {
            add(LuaValue.valueOf(value));
        } else {
            integer(value ? 1 : 0);
        }
    }

    @Override
    public void bigNumber(String digits) {
        if (protocol == 3) {
            LuaTable t = new LuaTable();
            t.rawset("big_number", LuaValue.valueOf(digits));
            add(t);
        } else {
            bulk(digits);
        }
    }

    @Override
    public void verbatim(String text) {
        if (protocol == 3) {
            LuaTable inner = new LuaTable();
            inner.rawset("format", LuaValue.valueOf("txt"));
            inner.rawset("string", LuaString.valueOf(text.getBytes(StandardCharsets.UTF_8)));
            LuaTable t = new LuaTable();
            t.rawset("verbatim_string", inner);
            add(t);
        } else {
            bulk(text);
        }
    }

    @Override
    public int protocol() {
        return protocol;
    }

    @Override
    public long errorsWritten() {
        return errors;
    }

    static boolean isErrorTable(LuaValue v) {
        return v.istable() && v.rawget(ERR).isstring();
    }
}
