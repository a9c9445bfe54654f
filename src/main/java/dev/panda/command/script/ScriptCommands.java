package dev.panda.command.script;

import dev.panda.command.Args;
import dev.panda.command.Client;
import dev.panda.command.Help;
import dev.panda.protocol.Reply;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT with Redis 7.0's replies ({@code eval.c}); the
 * {@link ScriptEngine} compiles, caches and runs. Store thread only.
 */
public final class ScriptCommands {
    private static final String NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";

    public void eval(Client c, byte[][] argv, Reply r) {
        evalGeneric(c, argv, r, false, false);
    }

    public void evalRo(Client c, byte[][] argv, Reply r) {
        evalGeneric(c, argv, r, false, true);
    }

    public void evalsha(Client c, byte[][] argv, Reply r) {
        evalGeneric(c, argv, r, true, false);
    }

    public void evalshaRo(Client c, byte[][] argv, Reply r) {
        evalGeneric(c, argv, r, true, true);
    }

    private static void evalGeneric(Client c, byte[][] argv, Reply r, boolean bySha, boolean ro) {
        c.server().dispatcher().feedMonitorsFirst(c, argv);
        long numkeys = Args.parseLong(argv[2]);
        if (numkeys > argv.length - 3) {
            r.error("ERR Number of keys can't be greater than number of args");
            return;
        }
        if (numkeys < 0) {
            r.error("ERR Number of keys can't be negative");
            return;
        }
        ScriptEngine engine = c.server().scripts();
        ScriptEngine.Script script;
        if (bySha) {
            script = argv[1].length == 40 ? engine.find(Args.text(argv[1])) : null;
            if (script == null) {
                r.error(NOSCRIPT);
                return;
            }
        } else {
            script = engine.load(argv[1], r);
            if (script == null) {
                return;
            }
        }
        engine.eval(c, script, argv, (int) numkeys, ro, r);
    }

    public void load(Client c, byte[][] argv, Reply r) {
        ScriptEngine.Script script = c.server().scripts().load(argv[2], r);
        if (script != null) {
            r.bulk(script.sha());
        }
    }

    public void exists(Client c, byte[][] argv, Reply r) {
        r.array(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            r.integer(c.server().scripts().exists(Args.text(argv[i])) ? 1 : 0);
        }
    }

    public void flush(Client c, byte[][] argv, Reply r) {
        if (argv.length > 3 || (argv.length == 3 && !Args.is(argv[2], "sync") && !Args.is(argv[2], "async"))) {
            r.error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
            return;
        }
        c.server().scripts().flush();
        r.ok();
    }

    /** A script runs on the store thread to its end, so none is ever running when this command is. */
    public void kill(Client c, byte[][] argv, Reply r) {
        r.error("NOTBUSY No scripts in execution right now.");
    }

    public void debug(Client c, byte[][] argv, Reply r) {
        if (Args.is(argv[2], "no")) {
            r.ok();
        } else if (Args.is(argv[2], "yes") || Args.is(argv[2], "sync")) {
            r.error("ERR Panda has no Lua debugger: SCRIPT DEBUG supports NO only");
        } else {
            r.error("ERR Use SCRIPT DEBUG YES/SYNC/NO");
        }
    }

    public void help(Client c, byte[][] argv, Reply r) {
        Help.reply(r, "SCRIPT",
                "DEBUG (YES|SYNC|NO)",
                "    Set the debug mode for subsequent scripts executed.",
                "EXISTS <sha1> [<sha1> ...]",
                "    Return information about the existence of the scripts in the script cache.",
                "FLUSH [ASYNC|SYNC]",
                "    Flush the Lua scripts cache. Very dangerous on replicas.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the scripts cache.",
                "    * SYNC: Synchronously flush the scripts cache.",
                "KILL",
                "    Kill the currently executing Lua script.",
                "LOAD <script>",
                "    Load a script into the scripts cache without executing it.");
    }
}
