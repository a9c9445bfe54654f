package dev.panda.command.script;

import dev.panda.command.Client;
import dev.panda.command.CommandFlag;
import dev.panda.command.CommandSpec;
import dev.panda.command.ServerContext;
import dev.panda.protocol.Doubles;
import dev.panda.protocol.Reply;
import dev.panda.script.LuaEnvironment;
import dev.panda.script.LuaReplies;
import dev.panda.script.LuaReplyBuilder;
import dev.panda.script.Lrand48;
import dev.panda.script.ScriptErrors;
import dev.panda.script.ScriptFlags;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.TwoArgFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Lua: EVAL's script cache (by SHA-1, as Redis keeps it) and one invocation at a time,
 * with {@code redis.call} running commands through the dispatcher as a client of its own (in
 * the caller's database, RESP2 until the script says otherwise, never blocking). A script runs
 * inside its EVAL's command, so all its effects are one unit: one write-ahead-log record, one
 * instant for expiry, and WATCH and blocked clients see it whole.
 *
 * <p>Store thread only.
 */
public final class ScriptEngine implements LuaEnvironment.Host {
    private static final Logger LOG = LoggerFactory.getLogger("dev.panda.script");

    /** A cached EVAL script. */
    record Script(String sha, byte[] body, ScriptFlags flags, LuaFunction function) {
    }

    /** The invocation in progress. */
    private static final class Run {
        final Client caller;
        final String name;
        final boolean readOnly;
        final boolean allowOom;
        boolean wrote;
        int protocol = 2;

        Run(Client caller, String name, boolean readOnly, boolean allowOom) {
            this.caller = caller;
            this.name = name;
            this.readOnly = readOnly;
            this.allowOom = allowOom;
        }
    }

    private final ServerContext server;
    private final Lrand48 random = new Lrand48();
    private final Map<String, Script> scripts = new HashMap<>();
    private LuaEnvironment lua;
    private Client scriptClient;
    private Run run;
    private FunctionEngine functions;

    public ScriptEngine(ServerContext server) {
        this.server = server;
    }

    /** Lua libraries beyond the standard ones (cjson, cmsgpack, bit, struct). */
    static TwoArgFunction[] libraries() {
        return new TwoArgFunction[] {new dev.panda.script.lib.CjsonLib(), new dev.panda.script.lib.StructLib(),
            new dev.panda.script.lib.CmsgpackLib(), new dev.panda.script.lib.BitLib()};
    }

    private LuaEnvironment lua() {
        if (lua == null) {
            lua = newEnvironment();
        }
        return lua;
    }

    /** A fresh Lua world whose redis.call runs through this engine (EVAL's, and the functions' own). */
    LuaEnvironment newEnvironment() {
        return new LuaEnvironment(this, random, ServerContext.REDIS_VERSION, libraries());
    }

    /** FUNCTION LOAD's libraries, compiled. */
    FunctionEngine functions() {
        if (functions == null) {
            functions = new FunctionEngine(this, server.keyspace().functions());
        }
        return functions;
    }

    /** FCALL / FCALL_RO once the function is known. */
    void fcall(Client caller, FunctionEngine.Function f, byte[][] argv, int numkeys, boolean ro, Reply r) {
        ScriptFlags flags = new ScriptFlags(f.flags(), 0);
        if (!prepare(caller, flags, ro, r)) {
            return;
        }
        invoke(caller, f.name(), f.callback(), LuaValue.varargsOf(array(argv, 3, 3 + numkeys),
                array(argv, 3 + numkeys, argv.length)), ro || flags.has(ScriptFlags.NO_WRITES),
                flags.has(ScriptFlags.ALLOW_OOM), r);
    }

    private Client scriptClient() {
        if (scriptClient == null) {
            scriptClient = new Client(server.clients().nextId(), new ScriptConnection(), server);
            scriptClient.setDenyBlocking(true);
            scriptClient.setScript(true);
        }
        return scriptClient;
    }

    /** Memory-ish figures for INFO: how many scripts are cached. */
    public int cachedScripts() {
        return scripts.size();
    }

    /** The cached scripts' source bytes (INFO used_memory_scripts_eval). */
    public long cachedScriptBytes() {
        long bytes = 0;
        for (Script s : scripts.values()) {
            bytes += s.body().length;
        }
        return bytes;
    }

    /** Loaded function libraries, their functions, and their source bytes (INFO memory). */
    public long[] functionCounts() {
        long functionCount = 0;
        long bytes = 0;
        Map<String, FunctionEngine.Library> libraries = functions().libraries();
        for (FunctionEngine.Library l : libraries.values()) {
            functionCount += l.functions().size();
            bytes += l.code().length;
        }
        return new long[] {libraries.size(), functionCount, bytes};
    }

    public boolean exists(String sha) {
        return scripts.containsKey(sha.toLowerCase(java.util.Locale.ROOT));
    }

    /** SCRIPT FLUSH: forgets every script and starts a fresh Lua world. */
    public void flush() {
        scripts.clear();
        lua = null;
    }

    /**
     * Compiles and caches {@code body} (or finds it cached); null after replying with the error
     * (bad shebang, compile error).
     */
    Script load(byte[] body, Reply r) {
        String sha = LuaEnvironment.sha1hex(body);
        Script s = scripts.get(sha);
        if (s != null) {
            return s;
        }
        ScriptFlags flags;
        try {
            flags = ScriptFlags.parse(body);
        } catch (ScriptFlags.Invalid e) {
            r.error("ERR " + e.getMessage());
            return null;
        }
        LuaFunction f;
        try {
            f = lua().compile(body, flags.shebangLength(), "@user_script");
        } catch (LuaError e) {
            r.error(flatten("ERR Error compiling script (new function): " + ScriptErrors.text(e)));
            return null;
        }
        s = new Script(sha, body, flags, f);
        scripts.put(sha, s);
        return s;
    }

    Script find(String sha) {
        return scripts.get(sha.toLowerCase(java.util.Locale.ROOT));
    }

    /** EVAL / EVALSHA (and their _RO forms) once the script is known. */
    void eval(Client caller, Script s, byte[][] argv, int numkeys, boolean ro, Reply r) {
        if (!prepare(caller, s.flags(), ro, r)) {
            return;
        }
        LuaEnvironment env = lua();
        env.setGlobal("KEYS", array(argv, 3, 3 + numkeys));
        env.setGlobal("ARGV", array(argv, 3 + numkeys, argv.length));
        invoke(caller, s.sha(), s.function(), LuaValue.NONE, ro || (!s.flags().has(ScriptFlags.EVAL_COMPAT_MODE)
                && s.flags().has(ScriptFlags.NO_WRITES)), s.flags().has(ScriptFlags.ALLOW_OOM), r);
    }

    /** Redis's scriptPrepareForRun checks for scripts that declared flags; false after replying. */
    boolean prepare(Client caller, ScriptFlags flags, boolean ro, Reply r) {
        if (flags.has(ScriptFlags.EVAL_COMPAT_MODE) || flags.has(ScriptFlags.NO_WRITES)) {
            return true;
        }
        String blocked = server.durability().writeBlockedReason();
        if (blocked != null) {
            r.error("MISCONF Errors writing to the write-ahead log: " + blocked
                    + ". Writable scripts are blocked. Use 'no-writes' flag for read only scripts.");
            return false;
        }
        if (ro) {
            r.error("ERR Can not execute a script with write flag using *_ro command.");
            return false;
        }
        if (!flags.has(ScriptFlags.ALLOW_OOM) && server.memoryLimit().oomAtCommandStart()) {
            // Redis refuses it before it runs, as a denyoom command (evalGetCommandFlags).
            r.error(dev.panda.command.MemoryLimit.OOM_ERROR);
            return false;
        }
        return true;
    }

    /** Calls {@code f} and replies with its result converted, or with the error it raised. */
    void invoke(Client caller, String name, LuaFunction f, Varargs args, boolean readOnly, boolean allowOom, Reply r) {
        Run previous = run;
        Run current = new Run(caller, name, readOnly, allowOom);
        run = current;
        Client sc = scriptClient();
        sc.select(caller.db());
        sc.setUser(caller.user());
        try {
            LuaValue result = f.invoke(args).arg1();
            LuaReplies.write(result, r, current.protocol);
        } catch (LuaError e) {
            r.error(errorReply(e, name));
        } catch (StackOverflowError e) {
            r.error("ERR Error running script " + name + ", stack overflow");
        } finally {
            run = previous;
        }
    }

    /** A failed script's reply: the error text, then where it was raised. */
    private static String errorReply(LuaError e, String name) {
        LuaValue v = e.getMessageObject();
        String err = ScriptErrors.errText(v);
        String msg = err != null ? err : "ERR " + (v != null && v.istable() ? "unknown error" : ScriptErrors.text(e));
        String[] pos = ScriptErrors.position(e);
        if (pos != null) {
            msg += " script: " + name + ", on " + pos[0] + ":" + pos[1] + ".";
        }
        return flatten(msg);
    }

    private static String flatten(String s) {
        return s.replace('\r', ' ').replace('\n', ' ');
    }

    private static LuaTable array(byte[][] argv, int from, int to) {
        LuaTable t = new LuaTable(to - from, 0);
        for (int i = from; i < to; i++) {
            t.rawset(i - from + 1, LuaString.valueOf(argv[i]));
        }
        return t;
    }

    // ---- the redis table's host ----------------------------------------------------------------

    @Override
    public boolean running() {
        return run != null;
    }

    @Override
    public void setProtocol(int resp) {
        run.protocol = resp;
    }

    @Override
    public void log(int level, String message) {
        switch (level) {
            case 0 -> LOG.debug(message);
            case 1, 2 -> LOG.info(message);
            default -> LOG.warn(message);
        }
    }

    @Override
    public boolean aclCheck(Varargs args) {
        byte[][] argv = argv(args);
        CommandSpec spec = argv == null ? null : server.dispatcher().lookup(argv);
        if (spec == null) {
            throw LuaEnvironment.raised("Invalid command passed to redis.acl_check_cmd()");
        }
        return run == null || server.acl().check(run.caller.user(), spec, argv).allowed();
    }

    /** The call's arguments as a command: numbers as %.17g, strings as their bytes; null if one is neither. */
    private static byte[][] argv(Varargs args) {
        int argc = args.narg();
        byte[][] argv = new byte[argc][];
        for (int j = 0; j < argc; j++) {
            LuaValue v = args.arg(j + 1);
            if (v.type() == LuaValue.TNUMBER) {
                argv[j] = Doubles.format(v.todouble()).getBytes(StandardCharsets.US_ASCII);
            } else if (v.type() == LuaValue.TSTRING) {
                LuaString s = v.checkstring();
                // Lua strings never change, and commands never change their arguments: share the bytes when they fit exactly.
                argv[j] = s.m_offset == 0 && s.m_length == s.m_bytes.length ? s.m_bytes
                        : java.util.Arrays.copyOfRange(s.m_bytes, s.m_offset, s.m_offset + s.m_length);
            } else {
                return null;
            }
        }
        return argv;
    }

    @Override
    public LuaValue call(Varargs args, boolean raise) {
        if (run == null) {
            throw LuaEnvironment.raised("redis.call/pcall can only be called inside a script invocation");
        }
        if (args.narg() == 0) {
            return fail("Please specify at least one argument for this redis lib call", raise);
        }
        byte[][] argv = argv(args);
        if (argv == null) {
            return fail("Lua redis lib command arguments must be strings or integers", raise);
        }
        CommandSpec spec = server.dispatcher().lookup(argv);
        if (spec == null) {
            return fail("Unknown Redis command called from script", raise);
        }
        if (!spec.acceptsArgumentCount(argv.length)) {
            return fail("Wrong number of args calling Redis command from script", raise);
        }
        if (spec.is(CommandFlag.NOSCRIPT)) {
            return fail("This Redis command is not allowed from script", raise);
        }
        dev.panda.command.acl.Acl.Verdict verdict = server.acl().check(run.caller.user(), spec, argv);
        if (!verdict.allowed()) {
            server.acl().logDenial(run.caller, run.caller, verdict, spec, argv, dev.panda.command.acl.AclLog.Context.LUA,
                    server.clock().nowMillis());
            return fail("The user executing the script " + dev.panda.command.acl.Acl.scriptMessage(verdict.reason()), raise);
        }
        if (run.readOnly && (spec.is(CommandFlag.WRITE) || spec.is(CommandFlag.MAY_REPLICATE))) {
            return fail("Write commands are not allowed from read-only scripts.", raise);
        }
        if (!run.allowOom && !run.wrote && spec.is(CommandFlag.DENYOOM) && server.memoryLimit().oomAtCommandStart()) {
            return fail("-" + dev.panda.command.MemoryLimit.OOM_ERROR, raise);
        }
        if (spec.is(CommandFlag.WRITE)) {
            if (!run.wrote) {
                String blocked = server.durability().writeBlockedReason();
                if (blocked != null) {
                    return fail("-MISCONF Errors writing to the write-ahead log: " + blocked, raise);
                }
            }
            run.wrote = true;
        }
        Client sc = scriptClient();
        sc.setProtocol(run.protocol);
        LuaReplyBuilder reply = new LuaReplyBuilder(run.protocol);
        server.dispatcher().execute(sc, spec, argv, reply);
        if (raise && reply.isError()) {
            throw new LuaError(reply.result());
        }
        return reply.result();
    }

    private static LuaValue fail(String message, boolean raise) {
        LuaTable err = ScriptErrors.table(message);
        if (raise) {
            throw new LuaError(err);
        }
        return err;
    }
}
