package dev.panda.command.script;

import dev.panda.command.Args;
import dev.panda.command.Client;
import dev.panda.command.Glob;
import dev.panda.command.Help;
import dev.panda.protocol.Reply;
import dev.panda.rdb.RdbBuffer;
import dev.panda.script.ScriptFlags;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * FCALL, FCALL_RO and FUNCTION with Redis 7.0's replies and errors ({@code functions.c});
 * FUNCTION DUMP and RESTORE speak Redis's payload format (libraries as RDB_OPCODE_FUNCTION2
 * strings, the RDB version and a CRC-64). Store thread only.
 */
public final class FunctionCommands {
    /** RDB_OPCODE_FUNCTION2: a library's source follows. */
    private static final int OPCODE_FUNCTION2 = 245;

    public void fcall(Client c, byte[][] argv, Reply r) {
        fcallGeneric(c, argv, r, false);
    }

    public void fcallRo(Client c, byte[][] argv, Reply r) {
        fcallGeneric(c, argv, r, true);
    }

    private static void fcallGeneric(Client c, byte[][] argv, Reply r, boolean ro) {
        c.server().dispatcher().feedMonitorsFirst(c, argv);
        ScriptEngine engine = c.server().scripts();
        FunctionEngine.Function f = engine.functions().function(Args.text(argv[1]));
        if (f == null) {
            r.error("ERR Function not found");
            return;
        }
        Long numkeys = Args.tryParseLong(argv[2]);
        if (numkeys == null) {
            r.error("ERR Bad number of keys provided");
            return;
        }
        if (numkeys > argv.length - 3) {
            r.error("ERR Number of keys can't be greater than number of args");
            return;
        }
        if (numkeys < 0) {
            r.error("ERR Number of keys can't be negative");
            return;
        }
        engine.fcall(c, f, argv, (int) (long) numkeys, ro, r);
    }

    public void load(Client c, byte[][] argv, Reply r) {
        boolean replace = false;
        int pos = 2;
        while (pos < argv.length - 1) {
            byte[] arg = argv[pos++];
            if (Args.is(arg, "replace")) {
                replace = true;
                continue;
            }
            r.error("ERR Unknown option given: " + Args.text(arg));
            return;
        }
        if (pos >= argv.length) {
            r.error("ERR Function code is missing");
            return;
        }
        try {
            r.bulk(c.server().scripts().functions().load(argv[pos], replace));
        } catch (FunctionEngine.LoadError e) {
            r.error("ERR " + e.getMessage());
        }
    }

    public void delete(Client c, byte[][] argv, Reply r) {
        if (c.server().scripts().functions().delete(Args.text(argv[2]))) {
            r.ok();
        } else {
            r.error("ERR Library not found");
        }
    }

    public void list(Client c, byte[][] argv, Reply r) {
        boolean withCode = false;
        String pattern = null;
        for (int i = 2; i < argv.length; i++) {
            if (!withCode && Args.is(argv[i], "withcode")) {
                withCode = true;
                continue;
            }
            if (pattern == null && Args.is(argv[i], "libraryname")) {
                if (i >= argv.length - 1) {
                    r.error("ERR library name argument was not given");
                    return;
                }
                pattern = Args.text(argv[++i]);
                continue;
            }
            r.error("ERR Unknown argument " + Args.text(argv[i]));
            return;
        }
        List<FunctionEngine.Library> shown = new ArrayList<>();
        for (FunctionEngine.Library lib : c.server().scripts().functions().libraries().values()) {
            if (pattern == null || Glob.matches(pattern.getBytes(StandardCharsets.UTF_8), lib.name().getBytes(StandardCharsets.UTF_8), true)) {
                shown.add(lib);
            }
        }
        r.array(shown.size());
        for (FunctionEngine.Library lib : shown) {
            r.map(withCode ? 4 : 3);
            r.bulk("library_name");
            r.bulk(lib.name());
            r.bulk("engine");
            r.bulk("LUA");
            r.bulk("functions");
            r.array(lib.functions().size());
            for (FunctionEngine.Function f : lib.functions().values()) {
                r.map(3);
                r.bulk("name");
                r.bulk(f.name());
                r.bulk("description");
                if (f.description() == null) {
                    r.nullBulk();
                } else {
                    r.bulk(f.description());
                }
                r.bulk("flags");
                List<String> flags = ScriptFlags.names(f.flags());
                r.set(flags.size());
                flags.forEach(r::simple);
            }
            if (withCode) {
                r.bulk("library_code");
                r.bulk(lib.code());
            }
        }
    }

    public void flush(Client c, byte[][] argv, Reply r) {
        if (argv.length > 3) {
            r.error("ERR unknown subcommand or wrong number of arguments for 'flush'. Try FUNCTION HELP.");
            return;
        }
        if (argv.length == 3 && !Args.is(argv[2], "sync") && !Args.is(argv[2], "async")) {
            r.error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
            return;
        }
        c.server().scripts().functions().flush();
        r.ok();
    }

    public void dump(Client c, byte[][] argv, Reply r) {
        RdbBuffer out = RdbBuffer.writer();
        for (FunctionEngine.Library lib : c.server().scripts().functions().libraries().values()) {
            out.type(OPCODE_FUNCTION2);
            out.string(lib.code());
        }
        r.bulk(out.finish());
    }

    public void restore(Client c, byte[][] argv, Reply r) {
        if (argv.length > 4) {
            r.error("ERR unknown subcommand or wrong number of arguments for 'restore'. Try FUNCTION HELP.");
            return;
        }
        String policy = "append";
        if (argv.length == 4) {
            policy = Args.text(argv[3]).toLowerCase(java.util.Locale.ROOT);
            if (!policy.equals("append") && !policy.equals("replace") && !policy.equals("flush")) {
                r.error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
                return;
            }
        }
        byte[] payload = argv[2];
        if (!RdbBuffer.verifyFooter(payload)) {
            r.error("ERR DUMP payload version or checksum are wrong");
            return;
        }
        List<byte[]> codes = new ArrayList<>();
        RdbBuffer in = RdbBuffer.reader(payload);
        try {
            while (in.hasMore()) {
                int type = in.readType();
                if (type != OPCODE_FUNCTION2) {
                    r.error("ERR given type is not a function");
                    return;
                }
                codes.add(in.readString());
            }
        } catch (RdbBuffer.Malformed e) {
            r.error("ERR failed loading the given functions payload");
            return;
        }
        try {
            c.server().scripts().functions().restore(codes, policy);
        } catch (FunctionEngine.LoadError e) {
            r.error("ERR " + e.getMessage());
            return;
        }
        r.ok();
    }

    public void stats(Client c, byte[][] argv, Reply r) {
        FunctionEngine functions = c.server().scripts().functions();
        r.map(2);
        r.bulk("running_script");
        r.nullBulk(); // a function runs on the store thread to its end: none is running while this command is
        r.bulk("engines");
        r.map(1);
        r.bulk("LUA");
        r.map(2);
        r.bulk("libraries_count");
        r.integer(functions.libraries().size());
        r.bulk("functions_count");
        r.integer(functions.functionCount());
    }

    public void kill(Client c, byte[][] argv, Reply r) {
        r.error("NOTBUSY No scripts in execution right now.");
    }

    public void help(Client c, byte[][] argv, Reply r) {
        Help.reply(r, "FUNCTION",
                "LOAD [REPLACE] <FUNCTION CODE>",
                "    Create a new library with the given library name and code.",
                "DELETE <LIBRARY NAME>",
                "    Delete the given library.",
                "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
                "    Return general information on all the libraries:",
                "    * Library name",
                "    * The engine used to run the Library",
                "    * Library description",
                "    * Functions list",
                "    * Library code (if WITHCODE is given)",
                "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
                "STATS",
                "    Return information about the current function running:",
                "    * Function name",
                "    * Command used to run the function",
                "    * Duration in MS that the function is running",
                "    If no function is running, return nil",
                "    In addition, returns a list of available engines.",
                "KILL",
                "    Kill the current running function.",
                "FLUSH [ASYNC|SYNC]",
                "    Delete all the libraries.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the libraries.",
                "    * SYNC: Synchronously flush the libraries.",
                "DUMP",
                "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
                "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
                "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
                "    control how to handle existing libraries (default APPEND):",
                "    * FLUSH: delete all existing libraries.",
                "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
                "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
                "      libraries with the new libraries (notice that even on this option there is a chance of failure",
                "      in case of functions name collision with another library).");
    }
}
