package dev.panda.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The function libraries of FUNCTION LOAD, as data: each library's name and source, in load
 * order. They are server state that must survive a restart like keys do, so they live here and
 * report their changes through the same {@link Effects} stream (the write-ahead log records
 * them; snapshots carry them). The Lua engine compiles them; {@link #version()} tells it when
 * its compiled copy is stale (after a restart, a replay or FUNCTION RESTORE).
 *
 * <p>Store thread only.
 */
public final class FunctionLibraries {
    /** A library: its name and its source (shebang line included). */
    public record Library(String name, byte[] code) {
    }

    private final Keyspace keyspace;
    private final Map<String, byte[]> libraries = new LinkedHashMap<>();
    private long version;

    FunctionLibraries(Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    /** Changes with every load, delete and flush. */
    public long version() {
        return version;
    }

    public int size() {
        return libraries.size();
    }

    public byte[] get(String name) {
        return libraries.get(name);
    }

    /** The libraries in load order (a copy; the arrays are never changed). */
    public List<Library> all() {
        List<Library> out = new ArrayList<>(libraries.size());
        libraries.forEach((name, code) -> out.add(new Library(name, code)));
        return out;
    }

    /** Adds or replaces a library (the engine has checked that it loads). */
    public void put(String name, byte[] code) {
        libraries.put(name, code);
        version++;
        keyspace.effects().functionLoad(name.getBytes(StandardCharsets.UTF_8), code);
    }

    public boolean delete(String name) {
        if (libraries.remove(name) == null) {
            return false;
        }
        version++;
        keyspace.effects().functionDelete(name.getBytes(StandardCharsets.UTF_8));
        return true;
    }

    /** Removes every library. */
    public void flush() {
        libraries.clear();
        version++;
        keyspace.effects().functionFlush();
    }

    /** Replaces all libraries at once (FUNCTION RESTORE): a flush then a load of each, one unit. */
    public void replaceAll(List<Library> next) {
        flush();
        for (Library l : next) {
            put(l.name(), l.code());
        }
    }
}
