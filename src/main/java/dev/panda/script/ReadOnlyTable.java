package dev.panda.script;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * A Lua table scripts cannot change, as Redis 7.0 locks its globals and every library table
 * reachable from them ({@code luaSetTableProtectionRecursively}): any write raises
 * {@code Attempt to modify a readonly table}. The engine unlocks the globals for a moment to
 * set KEYS and ARGV. Store thread only.
 */
public final class ReadOnlyTable extends LuaTable {
    private boolean locked;

    /** A locked copy of {@code source}'s entries (nested tables are not copied). */
    public static ReadOnlyTable copyOf(LuaTable source) {
        ReadOnlyTable t = new ReadOnlyTable();
        LuaValue k = LuaValue.NIL;
        while (true) {
            org.luaj.vm2.Varargs n = source.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            t.rawset(k, n.arg(2));
        }
        t.locked = true;
        return t;
    }

    public void setLocked(boolean locked) {
        this.locked = locked;
    }

    private void check() {
        if (locked) {
            throw new LuaError("Attempt to modify a readonly table");
        }
    }

    @Override
    public void set(int key, LuaValue value) {
        check();
        super.set(key, value);
    }

    @Override
    public void set(LuaValue key, LuaValue value) {
        check();
        super.set(key, value);
    }

    @Override
    public void rawset(int key, LuaValue value) {
        check();
        super.rawset(key, value);
    }

    @Override
    public void rawset(LuaValue key, LuaValue value) {
        check();
        super.rawset(key, value);
    }

    @Override
    public LuaValue remove(int pos) {
        check();
        return super.remove(pos);
    }

    @Override
    public void insert(int pos, LuaValue value) {
        check();
        super.insert(pos, value);
    }

    @Override
    public void sort(LuaValue comparator) {
        check();
        super.sort(comparator);
    }

    @Override
    public LuaValue setmetatable(LuaValue metatable) {
        check();
        return super.setmetatable(metatable);
    }
}
