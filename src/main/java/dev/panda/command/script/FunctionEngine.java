package dev.panda.command.script;

import dev.panda.script.LuaEnvironment;
import dev.panda.script.ReadOnlyTable;
import dev.panda.script.ScriptErrors;
import dev.panda.script.ScriptFlags;
import dev.panda.store.FunctionLibraries;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * FUNCTION LOAD's libraries compiled, as Redis 7.0's Lua engine keeps them
 * ({@code function_lua.c}, {@code functions.c}): a Lua world of their own, whose globals while a
 * library loads hold only {@code redis.register_function}, {@code redis.log} and the version
 * fields, and afterwards the full scripting environment (without KEYS and ARGV: a function gets
 * its keys and arguments as parameters). The sources themselves are data in the store
 * ({@link FunctionLibraries}); this class recompiles them whenever the store's copy changed under
 * it (start-up, log replay, FUNCTION RESTORE). Store thread only.
 */
final class FunctionEngine {
    /** A registered function. */
    record Function(String name, String description, int flags, LuaFunction callback, String library) {
    }

    /** A loaded library and its functions, in registration order. */
    record Library(String name, byte[] code, Map<String, Function> functions) {
    }

    /** FUNCTION LOAD's error text (the command replies with it after "ERR "). */
    static final class LoadError extends Exception {
        LoadError(String message) {
            super(message, null, false, false);
        }
    }

    private final ScriptEngine scripts;
    private final FunctionLibraries store;
    private LuaEnvironment lua;
    /** The globals library code sees: empty, its lookups sent on to {@link #loadApi} or the full environment. */
    private ReadOnlyTable globals;
    private ReadOnlyTable globalsMeta;
    private ReadOnlyTable loadApi;
    private final Map<String, Library> libraries = new LinkedHashMap<>();
    private final Map<String, Function> functions = new LinkedHashMap<>();
    private long compiledVersion = -1;
    /** The library FUNCTION LOAD is running, which register_function adds to. */
    private Map<String, Function> registering;
    private String registeringLibrary;

    FunctionEngine(ScriptEngine scripts, FunctionLibraries store) {
        this.scripts = scripts;
        this.store = store;
    }

    private void ensureWorld() {
        if (lua != null) {
            return;
        }
        lua = scripts.newEnvironment();
        LuaTable redis = new LuaTable();
        redis.rawset("register_function", new RegisterFunction());
        lua.addLogAndVersion(redis);
        LuaTable api = new LuaTable();
        api.rawset("redis", LuaEnvironment.guarded(redis));
        loadApi = LuaEnvironment.guarded(api);
        LuaTable meta = new LuaTable();
        meta.rawset("__index", lua.env());
        globalsMeta = ReadOnlyTable.copyOf(meta);
        globals = ReadOnlyTable.copyOf(new LuaTable());
        globals.setLocked(false);
        globals.setmetatable(globalsMeta);
        globals.setLocked(true);
    }

    /** Brings the compiled libraries in line with the store's (after a restart or a replay). */
    private void sync() {
        if (compiledVersion == store.version()) {
            return;
        }
        libraries.clear();
        functions.clear();
        lua = null;
        for (FunctionLibraries.Library l : store.all()) {
            try {
                Library lib = compile(l.code());
                link(lib);
            } catch (LoadError e) {
                // A library that loaded once and no longer does (a Panda upgrade changed something):
                // keep its source, serve the rest.
                org.slf4j.LoggerFactory.getLogger(FunctionEngine.class)
                        .warn("function library {} no longer loads: {}", l.name(), e.getMessage());
            }
        }
        compiledVersion = store.version();
    }

    Map<String, Library> libraries() {
        sync();
        return libraries;
    }

    Function function(String name) {
        sync();
        return functions.get(name);
    }

    int functionCount() {
        sync();
        return functions.size();
    }

    private void link(Library lib) {
        libraries.put(lib.name(), lib);
        functions.putAll(lib.functions());
    }

    private void unlink(Library lib) {
        libraries.remove(lib.name());
        lib.functions().keySet().forEach(functions::remove);
    }

    /** FUNCTION LOAD: returns the library's name, or throws with Redis's error text. */
    String load(byte[] code, boolean replace) throws LoadError {
        sync();
        String name = metadataName(code);
        Library old = libraries.get(name);
        if (old != null && !replace) {
            throw new LoadError("Library '" + name + "' already exists");
        }
        Library lib = compile(code);
        for (String f : lib.functions().keySet()) {
            Function existing = functions.get(f);
            if (existing != null && (old == null || !existing.library().equals(name))) {
                throw new LoadError("Function " + f + " already exists");
            }
        }
        if (old != null) {
            unlink(old);
        }
        link(lib);
        store.put(name, code);
        compiledVersion = store.version();
        return name;
    }

    boolean delete(String name) {
        sync();
        Library lib = libraries.get(name);
        if (lib == null) {
            return false;
        }
        unlink(lib);
        store.delete(name);
        compiledVersion = store.version();
        return true;
    }

    void flush() {
        sync();
        libraries.clear();
        functions.clear();
        store.flush();
        compiledVersion = store.version();
    }

    /**
     * FUNCTION RESTORE: the payload's libraries join the current ones ({@code libraryJoin}) or
     * replace them all; nothing changes on an error.
     */
    void restore(List<byte[]> codes, String policy) throws LoadError {
        sync();
        Map<String, Library> incoming = new LinkedHashMap<>();
        for (byte[] code : codes) {
            Library lib = compile(code);
            incoming.put(lib.name(), lib);
        }
        Map<String, Library> next = new LinkedHashMap<>();
        if (!policy.equals("flush")) {
            next.putAll(libraries);
            for (Library lib : incoming.values()) {
                if (next.containsKey(lib.name())) {
                    if (!policy.equals("replace")) {
                        throw new LoadError("Library " + lib.name() + " already exists");
                    }
                    next.remove(lib.name());
                }
            }
        }
        Map<String, String> owner = new LinkedHashMap<>();
        for (Library lib : next.values()) {
            lib.functions().keySet().forEach(f -> owner.put(f, lib.name()));
        }
        for (Library lib : incoming.values()) {
            for (String f : lib.functions().keySet()) {
                if (owner.containsKey(f)) {
                    throw new LoadError("Function " + f + " already exists");
                }
                owner.put(f, lib.name());
            }
            next.put(lib.name(), lib);
        }
        libraries.clear();
        functions.clear();
        next.values().forEach(this::link);
        store.replaceAll(next.values().stream().map(l -> new FunctionLibraries.Library(l.name(), l.code())).toList());
        compiledVersion = store.version();
    }

    /** The library name from the {@code #!lua name=<name>} line ({@code functionExtractLibMetaData}), checked. */
    static String metadataName(byte[] code) throws LoadError {
        if (code.length < 2 || code[0] != '#' || code[1] != '!') {
            throw new LoadError("Missing library metadata");
        }
        int end = 0;
        while (end < code.length && code[end] != '\n') {
            end++;
        }
        if (end == code.length) {
            throw new LoadError("Invalid library metadata");
        }
        String[] parts = new String(code, 0, end, StandardCharsets.UTF_8).trim().split("\\s+");
        String engine = parts[0].substring(2);
        String name = null;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].regionMatches(true, 0, "name=", 0, 5)) {
                if (name != null) {
                    throw new LoadError("Invalid metadata value, name argument was given multiple times");
                }
                name = parts[i].substring(5);
                continue;
            }
            throw new LoadError("Invalid metadata value given: " + parts[i]);
        }
        if (name == null) {
            throw new LoadError("Library name was not given");
        }
        if (!validName(name)) {
            throw new LoadError("Library names can only contain letters, numbers, or underscores(_) and must be at least one "
                    + "character long");
        }
        if (!engine.equalsIgnoreCase("lua")) {
            throw new LoadError("Engine '" + engine + "' not found");
        }
        return name;
    }

    private static boolean validName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (!(ch >= 'a' && ch <= 'z') && !(ch >= 'A' && ch <= 'Z') && !(ch >= '0' && ch <= '9') && ch != '_') {
                return false;
            }
        }
        return true;
    }

    /** Compiles a library and runs its body with the load-time globals, collecting its functions. */
    private Library compile(byte[] code) throws LoadError {
        String name = metadataName(code);
        ensureWorld();
        int shebangEnd = 0;
        while (code[shebangEnd] != '\n') {
            shebangEnd++;
        }
        LuaFunction body;
        try {
            body = lua.compile(code, shebangEnd, "@user_function", globals);
        } catch (LuaError e) {
            throw new LoadError("Error compiling function: " + ScriptErrors.text(e));
        }
        Map<String, Function> registered = new LinkedHashMap<>();
        registering = registered;
        registeringLibrary = name;
        setLoading(true);
        try {
            body.call();
        } catch (LuaError e) {
            LuaValue v = e.getMessageObject();
            String err = ScriptErrors.errText(v);
            throw new LoadError("Error registering functions: " + (err != null ? err : "ERR " + ScriptErrors.text(e)));
        } catch (StackOverflowError e) {
            throw new LoadError("Error registering functions: ERR stack overflow");
        } finally {
            setLoading(false);
            registering = null;
            registeringLibrary = null;
        }
        if (registered.isEmpty()) {
            throw new LoadError("No functions registered");
        }
        return new Library(name, code, registered);
    }

    private void setLoading(boolean loading) {
        globalsMeta.setLocked(false);
        globalsMeta.rawset("__index", loading ? loadApi : lua.env());
        globalsMeta.setLocked(true);
    }

    /** {@code redis.register_function(name, callback)} or {@code redis.register_function{...}}. */
    private final class RegisterFunction extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            if (registering == null) {
                throw LuaEnvironment.raised("redis.register_function can only be called on FUNCTION LOAD command");
            }
            if (args.narg() < 1 || args.narg() > 2) {
                throw LuaEnvironment.raised("wrong number of arguments to redis.register_function");
            }
            String name;
            String description = null;
            LuaValue callback = null;
            int flags = 0;
            if (args.narg() == 1) {
                if (!args.arg1().istable()) {
                    throw LuaEnvironment.raised("calling redis.register_function with a single argument is only applicable to "
                            + "Lua table (representing named arguments).");
                }
                name = null;
                LuaValue k = LuaValue.NIL;
                while (true) {
                    Varargs n = args.arg1().next(k);
                    if ((k = n.arg1()).isnil()) {
                        break;
                    }
                    LuaValue v = n.arg(2);
                    if (!k.isstring()) {
                        throw LuaEnvironment.raised("named argument key given to redis.register_function is not a string");
                    }
                    switch (k.tojstring().toLowerCase(Locale.ROOT)) {
                        case "function_name" -> {
                            if (!v.isstring()) {
                                throw LuaEnvironment.raised("function_name argument given to redis.register_function must be a string");
                            }
                            name = v.tojstring();
                        }
                        case "description" -> {
                            if (!v.isstring()) {
                                throw LuaEnvironment.raised("description argument given to redis.register_function must be a string");
                            }
                            description = v.tojstring();
                        }
                        case "callback" -> {
                            if (!v.isfunction()) {
                                throw LuaEnvironment.raised("callback argument given to redis.register_function must be a function");
                            }
                            callback = v;
                        }
                        case "flags" -> {
                            if (!v.istable()) {
                                throw LuaEnvironment.raised("flags argument to redis.register_function must be a table "
                                        + "representing function flags");
                            }
                            for (int j = 1; !v.get(j).isnil(); j++) {
                                LuaValue f = v.get(j);
                                int bit = f.isstring() ? ScriptFlags.bitOf(f.tojstring().toLowerCase(Locale.ROOT)) : 0;
                                if (bit == 0) {
                                    throw LuaEnvironment.raised("unknown flag given");
                                }
                                flags |= bit;
                            }
                        }
                        default -> throw LuaEnvironment.raised("unknown argument given to redis.register_function");
                    }
                }
                if (name == null) {
                    throw LuaEnvironment.raised("redis.register_function must get a function name argument");
                }
                if (callback == null) {
                    throw LuaEnvironment.raised("redis.register_function must get a callback argument");
                }
            } else {
                if (!args.arg1().isstring()) {
                    throw LuaEnvironment.raised("first argument to redis.register_function must be a string");
                }
                if (!args.arg(2).isfunction()) {
                    throw LuaEnvironment.raised("second argument to redis.register_function must be a function");
                }
                name = args.arg1().tojstring();
                callback = args.arg(2);
            }
            if (!validName(name)) {
                throw LuaEnvironment.raised("Library names can only contain letters, numbers, or underscores(_) and must be at "
                        + "least one character long");
            }
            if (registering.containsKey(name)) {
                throw LuaEnvironment.raised("Function already exists in the library");
            }
            registering.put(name, new Function(name, description, flags, callback.checkfunction(), registeringLibrary));
            return NONE;
        }
    }
}
