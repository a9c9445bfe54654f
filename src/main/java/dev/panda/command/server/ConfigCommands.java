package dev.panda.command.server;

import dev.panda.command.Args;
import dev.panda.command.Client;
import dev.panda.command.Errors;
import dev.panda.command.Glob;
import dev.panda.command.Help;
import dev.panda.protocol.Reply;
import dev.panda.config.Directive;
import dev.panda.config.ServerConfig;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** CONFIG GET, SET, RESETSTAT and REWRITE. Store thread only. */
public final class ConfigCommands {

    public void get(Client c, byte[][] argv, Reply r) {
        ServerConfig config = c.server().config();
        Map<String, String> matched = new LinkedHashMap<>();
        for (int i = 2; i < argv.length; i++) {
            for (Directive d : ServerConfig.directives().values()) {
                boolean exact = Args.text(argv[i]).equalsIgnoreCase(d.name());
                if (exact || (!ServerConfig.hidden(d.name()) && Glob.matches(argv[i], Args.bytes(d.name()), true))) {
                    matched.put(d.name(), config.get(d.name()));
                }
            }
            for (String alias : ServerConfig.aliases().keySet()) {
                if (Glob.matches(argv[i], Args.bytes(alias), true)) {
                    matched.put(alias, config.get(alias));
                }
            }
        }
        r.map(matched.size());
        matched.forEach((k, v) -> {
            r.bulk(k);
            r.bulk(v);
        });
    }

    /** Sets all pairs or none: a bad value leaves every directive as it was. */
    public void set(Client c, byte[][] argv, Reply r) {
        if (argv.length % 2 != 0) {
            r.error(Errors.wrongArgs("config|set"));
            return;
        }
        ServerConfig config = c.server().config();
        Map<String, String> previous = new LinkedHashMap<>();
        java.util.Set<String> given = new java.util.HashSet<>();
        for (int i = 2; i < argv.length; i += 2) {
            String arg = Args.text(argv[i]);
            String name = ServerConfig.canonical(arg.toLowerCase(Locale.ROOT));
            if (!ServerConfig.directives().containsKey(name)) {
                rollback(config, previous);
                r.error("ERR Unknown option or number of arguments for CONFIG SET - '" + arg + "'");
                return;
            }
            // Redis's alias is a config entry of its own: a directive and its alias may both be set
            if (!given.add(arg.toLowerCase(Locale.ROOT))) {
                rollback(config, previous);
                r.error("ERR CONFIG SET failed (possibly related to argument '" + arg + "') - duplicate parameter");
                return;
            }
            previous.putIfAbsent(name, config.get(name));
            try {
                config.set(name, Args.text(argv[i + 1]));
            } catch (IllegalArgumentException e) {
                rollback(config, previous);
                r.error("ERR CONFIG SET failed (possibly related to argument '" + arg + "') - " + e.getMessage());
                return;
            }
        }
        try {
            config.apply(previous.keySet());
        } catch (ServerConfig.ApplyFailure e) {
            // The applier left its state as it was; the values go back too, and the appliers
            // that already ran follow them back, as Redis's restoreBackupConfig does.
            rollback(config, previous);
            try {
                config.apply(previous.keySet());
            } catch (IllegalArgumentException ignored) {
                // the old values took effect before, so only a vanished resource fails here
            }
            r.error("ERR CONFIG SET failed (possibly related to argument '" + e.directive() + "') - " + e.getMessage());
            return;
        }
        r.ok();
    }

    private static void rollback(ServerConfig config, Map<String, String> previous) {
        previous.forEach((name, value) -> {
            try {
                config.set(name, value);
            } catch (IllegalArgumentException ignored) {
                // immutable: it was never changed
            }
        });
    }

    public void resetstat(Client c, byte[][] argv, Reply r) {
        c.server().stats().reset();
        c.server().keyspace().stats().reset();
        c.server().commands().resetStats();
        c.server().expiryCycle().resetStats();
        c.server().persistence().resetForkStats();
        r.ok();
    }

    public void rewrite(Client c, byte[][] argv, Reply r) {
        try {
            c.server().config().rewrite();
            r.ok();
        } catch (IOException e) {
            r.error("ERR " + e.getMessage());
        }
    }

    public void help(Client c, byte[][] argv, Reply r) {
        Help.reply(r, "CONFIG",
                "GET <pattern>",
                "    Return parameters matching the glob-like <pattern> and their values.",
                "SET <directive> <value>",
                "    Set the configuration <directive> to <value>.",
                "RESETSTAT",
                "    Reset statistics reported by the INFO command.",
                "REWRITE",
                "    Rewrite the configuration file.");
    }
}
