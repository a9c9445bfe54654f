package dev.panda.command.server;

import dev.panda.command.Args;
import dev.panda.command.Client;
import dev.panda.command.CommandKeys;
import dev.panda.command.CommandSpec;
import dev.panda.command.KeySpec;
import dev.panda.command.CommandTable;
import dev.panda.command.Errors;
import dev.panda.command.Glob;
import dev.panda.command.Help;
import dev.panda.protocol.Reply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** COMMAND and its subcommands, generated from the {@link CommandTable}. Store thread only. */
public final class CommandCommands {

    private static CommandTable table(Client c) {
        return c.server().commands();
    }

    public void all(Client c, byte[][] argv, Reply r) {
        List<Object> infos = new ArrayList<>();
        table(c).all().forEach(spec -> infos.add(spec.info()));
        r.value(infos);
    }

    public void count(Client c, byte[][] argv, Reply r) {
        r.integer(table(c).all().size());
    }

    public void info(Client c, byte[][] argv, Reply r) {
        if (argv.length == 2) {
            all(c, argv, r);
            return;
        }
        r.array(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            CommandSpec spec = lookup(table(c), Args.text(argv[i]));
            if (spec == null) {
                r.nullBulk();
            } else {
                r.value(spec.info());
            }
        }
    }

    /** A command or {@code container|subcommand} by name. */
    private static CommandSpec lookup(CommandTable table, String name) {
        String[] parts = name.toLowerCase(java.util.Locale.ROOT).split("\\|", 2);
        CommandSpec spec = table.find(parts[0]);
        return spec == null || parts.length == 1 ? spec : spec.subcommands().get(parts[1]);
    }

    public void docs(Client c, byte[][] argv, Reply r) {
        Map<String, Object> docs = new LinkedHashMap<>();
        if (argv.length == 2) {
            table(c).all().forEach(spec -> docs.put(spec.name(), spec.docs()));
        } else {
            for (int i = 2; i < argv.length; i++) {
                CommandSpec spec = lookup(table(c), Args.text(argv[i]));
                if (spec != null) {
                    docs.put(spec.name(), spec.docs());
                }
            }
        }
        r.value(docs);
    }

    public void list(Client c, byte[][] argv, Reply r) {
        byte[] pattern = null;
        String aclCategory = null;
        boolean moduleFilter = false;
        if (argv.length > 2) {
            if (argv.length != 5 || !Args.is(argv[2], "filterby")) {
                r.error(Errors.SYNTAX);
                return;
            }
            if (Args.is(argv[3], "pattern")) {
                pattern = argv[4];
            } else if (Args.is(argv[3], "aclcat")) {
                aclCategory = "@" + Args.text(argv[4]).toLowerCase(java.util.Locale.ROOT);
            } else if (Args.is(argv[3], "module")) {
                moduleFilter = true;
            } else {
                r.error(Errors.SYNTAX);
                return;
            }
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec spec : table(c).all()) {
            List<CommandSpec> candidates = new ArrayList<>();
            candidates.add(spec);
            candidates.addAll(spec.subcommands().values());
            for (CommandSpec s : candidates) {
                if (moduleFilter
                        || (pattern != null && !Glob.matches(pattern, Args.bytes(s.name()), true))
                        || (aclCategory != null && !s.inAclCategory(aclCategory))) {
                    continue;
                }
                names.add(s.name());
            }
        }
        r.value(names);
    }

    public void getkeys(Client c, byte[][] argv, Reply r) {
        getkeys(c, argv, r, false);
    }

    public void getkeysandflags(Client c, byte[][] argv, Reply r) {
        getkeys(c, argv, r, true);
    }

    /** Redis's getKeysSubcommandImpl: the keys from the command's key specs (the ones ACLs check), with their flags. */
    private static void getkeys(Client c, byte[][] argv, Reply r, boolean withFlags) {
        byte[][] command = java.util.Arrays.copyOfRange(argv, 2, argv.length);
        CommandSpec spec = c.server().dispatcher().lookup(command);
        if (spec == null) {
            r.error("ERR Invalid command specified");
            return;
        }
        if (!CommandKeys.hasKeys(spec)) {
            r.error("ERR The command has no key arguments");
            return;
        }
        if (!spec.acceptsArgumentCount(command.length)) {
            r.error("ERR Invalid number of arguments specified for command");
            return;
        }
        List<CommandKeys.Ref> keys = CommandKeys.keys(spec, command);
        if (keys.isEmpty() && !spec.is(dev.panda.command.CommandFlag.NO_MANDATORY_KEYS)) {
            r.error("ERR Invalid arguments specified for command");
            return;
        }
        r.array(keys.size());
        for (CommandKeys.Ref k : keys) {
            if (withFlags) {
                r.array(2);
                r.bulk(command[k.position()]);
                List<String> names = KeySpec.flagNames(k.flags());
                r.set(names.size());
                names.forEach(r::simple);
            } else {
                r.bulk(command[k.position()]);
            }
        }
    }

    public void help(Client c, byte[][] argv, Reply r) {
        Help.reply(r, "COMMAND",
                "(no subcommand)",
                "    Return details about all Redis commands.",
                "COUNT",
                "    Return the total number of commands in this Redis server.",
                "LIST",
                "    Return a list of all commands in this Redis server.",
                "INFO [<command-name> ...]",
                "    Return details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "DOCS [<command-name> ...]",
                "    Return documentation details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "GETKEYS <full-command>",
                "    Return the keys from a full Redis command.",
                "GETKEYSANDFLAGS <full-command>",
                "    Return the keys and the access flags from a full Redis command.");
    }

    /** HELP, the seed's word: one line per command with its summary. */
    public void helpAll(Client c, byte[][] argv, Reply r) {
        List<String> lines = new ArrayList<>();
        for (CommandSpec spec : table(c).all()) {
            Object summary = spec.docs().get("summary");
            lines.add(spec.name().toUpperCase(java.util.Locale.ROOT) + (summary == null ? "" : " - " + summary));
        }
        r.array(lines.size());
        lines.forEach(r::simple);
    }
}
