package dev.panda.script;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.CoroutineLib;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.ZeroArgFunction;
import org.luaj.vm2.lib.jse.JseBaseLib;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * The Lua world scripts run in, built as Redis 7.0 builds its own ({@code script_lua.c},
 * {@code eval.c}) on LuaJ: the base, table, string, math and coroutine libraries plus
 * {@code cjson}, {@code cmsgpack}, {@code bit} and {@code struct}; the {@code redis} table
 * ({@code call}, {@code pcall}, {@code error_reply}, {@code status_reply}, {@code sha1hex},
 * {@code log}, {@code setresp}, {@code set_repl}, the LOG_ and REPL_ constants…); Lua 5.1's
 * globals that LuaJ's 5.2 lacks ({@code unpack}, {@code loadstring}, {@code getfenv},
 * {@code gcinfo}, {@code table.getn}, {@code math.mod}…); {@code math.random} on Redis's own
 * generator; {@code pcall} that hands back the text of Redis's error tables; and no
 * {@code print}, {@code dofile}, {@code loadfile}, {@code require}, {@code os} or {@code io}.
 *
 * <p>Scripts see {@link #env()}, not LuaJ's {@link Globals}: a locked table whose reads of an
 * unknown name fail ("Script attempted to access nonexistent global variable") and whose
 * writes fail, like every library table in it. Store thread only.
 */
public final class LuaEnvironment {
    /** What the {@code redis} table asks of the server. */
    public interface Host {
        /** Runs a command for {@code redis.call} ({@code raise}) or {@code redis.pcall}. */
        LuaValue call(Varargs args, boolean raise);

        /** Whether a script invocation is running (the redis API refuses calls outside one). */
        boolean running();

        void setProtocol(int resp);

        void log(int level, String message);

        /** {@code redis.acl_check_cmd}: whether the running script's user may run this command. */
        boolean aclCheck(Varargs args);
    }

    /** Redis's log levels (LL_DEBUG … LL_WARNING). */
    public static final int LOG_DEBUG = 0;
    public static final int LOG_WARNING = 3;
    /** REDIS_VERSION_NUM of 7.0.15. */
    private static final int VERSION_NUM = 0x07000f;

    private final Globals globals = new Globals();
    private final ReadOnlyTable env;
    private final ReadOnlyTable redis;
    private final Host host;
    private final Lrand48 random;

    public LuaEnvironment(Host host, Lrand48 random, String versionText, TwoArgFunction... extraLibraries) {
        this.host = host;
        this.random = random;
        globals.load(new JseBaseLib());
        globals.load(new PackageLib());
        globals.load(new TableLib());
        globals.load(new StringLib());
        globals.load(new JseMathLib());
        globals.load(new CoroutineLib());
        for (TwoArgFunction lib : extraLibraries) {
            globals.load(lib);
        }
        LoadState.install(globals);
        LuaC.install(globals);

        LuaTable g = new LuaTable();
        for (String name : new String[] {"xpcall", "tostring", "setmetatable", "next", "assert", "tonumber",
                "rawequal", "collectgarbage", "getmetatable", "rawset", "type", "select", "pairs", "rawget",
                "ipairs", "error"}) {
            g.rawset(name, globals.get(name));
        }
        LuaValue baseLoad = globals.get("load");
        g.rawset("load", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return baseLoad.invoke(LuaValue.varargsOf(new LuaValue[] {args.arg1(),
                        args.arg(2).isnil() ? LuaValue.valueOf("=(load)") : args.arg(2), LuaValue.valueOf("t"), env}));
            }
        });
        for (String lib : new String[] {"string", "table", "math", "coroutine", "cjson", "cmsgpack", "bit", "struct"}) {
            LuaValue t = globals.get(lib);
            if (t.istable()) {
                g.rawset(lib, t);
            }
        }
        LuaTable table = g.get("table").checktable();
        g.rawset("unpack", table.get("unpack"));
        table.rawset("getn", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue t) {
                return LuaValue.valueOf(t.checktable().rawlen());
            }
        });
        table.rawset("maxn", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue t) {
                double max = 0;
                LuaValue k = LuaValue.NIL;
                while (true) {
                    Varargs n = t.checktable().next(k);
                    if ((k = n.arg1()).isnil()) {
                        return LuaValue.valueOf(max);
                    }
                    if (k.type() == LuaValue.TNUMBER && k.todouble() > max) {
                        max = k.todouble();
                    }
                }
            }
        });
        LuaTable math = g.get("math").checktable();
        math.rawset("mod", math.get("fmod"));
        math.rawset("log10", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue x) {
                return LuaValue.valueOf(Math.log10(x.checkdouble()));
            }
        });
        math.rawset("random", new MathRandom());
        math.rawset("randomseed", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue seed) {
                requireRunning("math.randomseed");
                random.seed((int) seed.checkdouble());
                return NONE;
            }
        });
        LuaTable string = g.get("string").checktable();
        string.rawset("gfind", string.get("gmatch"));
        string.rawset("format", new LuaStringFormat());
        g.rawset("_VERSION", LuaValue.valueOf("Lua 5.1"));
        g.rawset("loadstring", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                LuaString chunk = args.checkstring(1);
                String name = args.optjstring(2, chunk.tojstring());
                try {
                    return globals.load(new ByteArrayInputStream(chunk.m_bytes, chunk.m_offset, chunk.m_length),
                            name, "t", env);
                } catch (LuaError e) {
                    return LuaValue.varargsOf(NIL, LuaValue.valueOf(ScriptErrors.text(e)));
                }
            }
        });
        g.rawset("gcinfo", new ZeroArgFunction() {
            @Override
            public LuaValue call() {
                Runtime rt = Runtime.getRuntime();
                return LuaValue.valueOf((int) ((rt.totalMemory() - rt.freeMemory()) >> 10));
            }
        });
        g.rawset("pcall", new RedisPcall());
        this.redis = buildRedisTable(versionText);
        g.rawset("redis", redis);

        env = lockAll(g);
        env.setLocked(false);
        env.rawset("_G", env);
        env.rawset("getfenv", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue f) {
                return env;
            }
        });
        env.setmetatable(ReadOnlyTable.copyOf(errorMetatable()));
        env.setLocked(true);
        // Strings' methods ("x"):upper() go through the string library's table: lock that one too.
        LuaTable stringMeta = new LuaTable();
        stringMeta.rawset("__index", env.rawget("string"));
        LuaString.s_metatable = ReadOnlyTable.copyOf(stringMeta);
    }

    /**
     * A locked copy of {@code contents} whose missing names raise Redis's "Script attempted to
     * access nonexistent global variable" ({@code luaSetErrorMetatable}).
     */
    public static ReadOnlyTable guarded(LuaTable contents) {
        ReadOnlyTable t = ReadOnlyTable.copyOf(contents);
        t.setLocked(false);
        t.setmetatable(ReadOnlyTable.copyOf(errorMetatable()));
        t.setLocked(true);
        return t;
    }

    private static LuaTable errorMetatable() {
        LuaTable meta = new LuaTable();
        meta.rawset("__index", new TwoArgFunction() {
            @Override
            public LuaValue call(LuaValue table, LuaValue key) {
                throw new LuaError("Script attempted to access nonexistent global variable '" + key.tojstring() + "'");
            }
        });
        return meta;
    }

    /** {@code redis.log}, the LOG_ levels and the version fields: what a function library may use while it loads. */
    public void addLogAndVersion(LuaTable r) {
        for (String name : new String[] {"log", "LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING", "REDIS_VERSION",
                "REDIS_VERSION_NUM"}) {
            r.rawset(name, redis.rawget(name));
        }
    }

    /** Replaces every table reachable from {@code t} with a locked copy (the globals, the libraries, their metatables). */
    private static ReadOnlyTable lockAll(LuaTable t) {
        LuaTable copy = new LuaTable();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            LuaValue v = n.arg(2);
            copy.rawset(k, v.istable() && !(v instanceof ReadOnlyTable) ? lockAll(v.checktable()) : v);
        }
        return ReadOnlyTable.copyOf(copy);
    }

    /** The table scripts see as their globals. */
    public ReadOnlyTable env() {
        return env;
    }

    /** The {@code redis} table (functions add {@code register_function} to their own environment). */
    public ReadOnlyTable redisTable() {
        return redis;
    }

    /** Sets a global the engine provides per call (KEYS, ARGV). */
    public void setGlobal(String name, LuaValue value) {
        env.setLocked(false);
        env.rawset(name, value);
        env.setLocked(true);
    }

    /**
     * Compiles a chunk with these globals; {@code chunkName} is what errors name
     * ({@code "@user_script"}). Throws LuaError with the compiler's message.
     */
    public LuaFunction compile(byte[] body, int offset, String chunkName) {
        return compile(body, offset, chunkName, env);
    }

    /** As {@link #compile(byte[], int, String)}, with the chunk's globals given (function libraries). */
    public LuaFunction compile(byte[] body, int offset, String chunkName, LuaValue chunkEnv) {
        LuaFunction f = globals.load(new ByteArrayInputStream(body, offset, body.length - offset), chunkName, "t", chunkEnv)
                .checkfunction();
        if (f instanceof LuaClosure c) {
            withoutTailCalls(c.p);
        }
        return f;
    }

    /**
     * Turns tail calls into plain calls (the RETURN the compiler emits after each returns their
     * results). LuaJ runs a tail call after its caller's frame is gone, so an error raised in
     * {@code return redis.call(...)} would lose the line Redis reports with it.
     */
    private static void withoutTailCalls(Prototype p) {
        for (int i = 0; i < p.code.length; i++) {
            if ((p.code[i] & 0x3f) == Lua.OP_TAILCALL) {
                p.code[i] = (p.code[i] & ~0x3f) | Lua.OP_CALL;
            }
        }
        for (Prototype child : p.p) {
            withoutTailCalls(child);
        }
    }

    private void requireRunning(String what) {
        if (!host.running()) {
            throw new LuaError(what + " can only be called inside a script invocation");
        }
    }

    private ReadOnlyTable buildRedisTable(String versionText) {
        LuaTable r = new LuaTable();
        r.rawset("call", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return host.call(args, true);
            }
        });
        r.rawset("pcall", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return host.call(args, false);
            }
        });
        r.rawset("log", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() < 2) {
                    throw raised("redis.log() requires two arguments or more.");
                }
                if (!args.arg1().isnumber()) {
                    throw raised("First argument must be a number (log level).");
                }
                int level = (int) args.arg1().todouble();
                if (level < LOG_DEBUG || level > LOG_WARNING) {
                    throw raised("Invalid debug level.");
                }
                StringBuilder sb = new StringBuilder();
                for (int j = 2; j <= args.narg(); j++) {
                    LuaValue v = args.arg(j);
                    if (v.isstring()) {
                        if (j != 2) {
                            sb.append(' ');
                        }
                        sb.append(v.tojstring());
                    }
                }
                host.log(level, sb.toString());
                return NONE;
            }
        });
        r.rawset("LOG_DEBUG", 0);
        r.rawset("LOG_VERBOSE", 1);
        r.rawset("LOG_NOTICE", 2);
        r.rawset("LOG_WARNING", 3);
        r.rawset("REDIS_VERSION_NUM", VERSION_NUM);
        r.rawset("REDIS_VERSION", versionText);
        r.rawset("setresp", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (!host.running()) {
                    throw raised("redis.setresp can only be called inside a script invocation");
                }
                if (args.narg() != 1) {
                    throw raised("redis.setresp() requires one argument.");
                }
                int resp = (int) args.arg1().optdouble(0);
                if (resp != 2 && resp != 3) {
                    throw raised("RESP version must be 2 or 3.");
                }
                host.setProtocol(resp);
                return NONE;
            }
        });
        r.rawset("sha1hex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() != 1) {
                    throw raised("wrong number of arguments");
                }
                LuaValue v = args.arg1();
                byte[] bytes = new byte[0]; // lua_tolstring gives C NULL for a non-string: the hash of ""
                if (v.isstring()) {
                    LuaString s = v.checkstring();
                    bytes = java.util.Arrays.copyOfRange(s.m_bytes, s.m_offset, s.m_offset + s.m_length);
                }
                return LuaValue.valueOf(sha1hex(bytes));
            }
        });
        r.rawset("error_reply", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() != 1 || args.arg1().type() != TSTRING) {
                    return ScriptErrors.table("wrong number or type of arguments");
                }
                String err = args.arg1().tojstring();
                return ScriptErrors.table(err.startsWith("-") ? err : "-" + err);
            }
        });
        r.rawset("status_reply", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() != 1 || args.arg1().type() != TSTRING) {
                    return ScriptErrors.table("wrong number or type of arguments");
                }
                LuaTable t = new LuaTable();
                t.rawset("ok", args.arg1());
                return t;
            }
        });
        r.rawset("set_repl", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (!host.running()) {
                    throw raised("redis.set_repl can only be called inside a script invocation");
                }
                if (args.narg() != 1) {
                    throw raised("redis.set_repl() requires two arguments.");
                }
                int flags = (int) args.arg1().optdouble(0);
                if ((flags & ~3) != 0) {
                    throw raised("Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
                }
                return NONE; // Panda logs every effect: the write-ahead log is the dataset, not a copy of it
            }
        });
        r.rawset("REPL_NONE", 0);
        r.rawset("REPL_AOF", 1);
        r.rawset("REPL_SLAVE", 2);
        r.rawset("REPL_REPLICA", 2);
        r.rawset("REPL_ALL", 3);
        r.rawset("replicate_commands", new ZeroArgFunction() {
            @Override
            public LuaValue call() {
                return TRUE;
            }
        });
        r.rawset("breakpoint", new ZeroArgFunction() {
            @Override
            public LuaValue call() {
                return FALSE;
            }
        });
        r.rawset("debug", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return NONE;
            }
        });
        r.rawset("acl_check_cmd", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (!host.running()) {
                    throw raised("redis.acl_check_cmd can only be called inside a script invocation");
                }
                return LuaValue.valueOf(host.aclCheck(args));
            }
        });
        return lockAll(r);
    }

    /** Raises Redis's error table for {@code message} (luaPushError + luaError). */
    public static LuaError raised(String message) {
        return new LuaError(ScriptErrors.table(message));
    }

    public static String sha1hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lua 5.1's math.random on Redis's lrand48. */
    private final class MathRandom extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            requireRunning("math.random");
            double r = (double) (random.next() % Lrand48.MAX) / Lrand48.MAX;
            switch (args.narg()) {
                case 0:
                    return LuaValue.valueOf(r);
                case 1: {
                    int u = (int) args.checkdouble(1);
                    if (u < 1) {
                        argerror(1, "interval is empty");
                    }
                    return LuaValue.valueOf(Math.floor(r * u) + 1);
                }
                case 2: {
                    int l = (int) args.checkdouble(1);
                    int u = (int) args.checkdouble(2);
                    if (l > u) {
                        argerror(2, "interval is empty");
                    }
                    return LuaValue.valueOf(Math.floor(r * (u - l + 1)) + l);
                }
                default:
                    throw new LuaError("wrong number of arguments");
            }
        }
    }

    /**
     * Redis's pcall ({@code luaRedisPcall}): LuaJ's, except that an error table from
     * {@code redis.call} comes back as its {@code err} text, as scripts written for Redis 6 expect.
     */
    private static final class RedisPcall extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaValue f = args.checkvalue(1);
            try {
                return LuaValue.varargsOf(TRUE, f.invoke(args.subargs(2)));
            } catch (LuaError e) {
                LuaValue v = ScriptErrors.value(e);
                String err = ScriptErrors.errText(v);
                return LuaValue.varargsOf(FALSE, err != null ? LuaValue.valueOf(err) : v);
            } catch (StackOverflowError e) {
                return LuaValue.varargsOf(FALSE, LuaValue.valueOf("stack overflow"));
            }
        }
    }
}
