package dev.panda.command.acl;

import dev.panda.command.Args;
import dev.panda.command.Client;
import dev.panda.command.CommandSpec;
import dev.panda.command.Errors;
import dev.panda.command.Help;
import dev.panda.protocol.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ACL command: SETUSER, GETUSER, DELUSER, LIST, USERS, WHOAMI, CAT, GENPASS, LOG, DRYRUN,
 * LOAD, SAVE and HELP, with Redis 7.0's replies and errors.
 *
 * <p>Store thread only.
 */
public final class AclCommands {
    private static final String NO_FILE = "ERR This Redis instance is not configured to use an ACL file. You may want "
            + "to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a "
            + "Redis configuration file set) in order to store users in the Redis configuration.";
    private final SecureRandom random = new SecureRandom();

    /** Redis's addReplySubcommandSyntaxError, for subcommands that take only some of the counts their arity allows. */
    private static boolean tooManyArguments(byte[][] argv, int max, Reply r) {
        if (argv.length <= max) {
            return false;
        }
        String sub = Args.text(argv[1]);
        r.error("ERR unknown subcommand or wrong number of arguments for '" + (sub.length() > 128 ? sub.substring(0, 128) : sub)
                + "'. Try ACL HELP.");
        return true;
    }

    private static Acl acl(Client c) {
        return c.server().acl();
    }

    public void setuser(Client c, byte[][] argv, Reply r) {
        String name = Acl.text(argv[2]);
        if (AclRules.hasSpaces(name)) {
            r.error("ERR Usernames can't contain spaces or null characters");
            return;
        }
        List<String> rules = new ArrayList<>();
        for (int i = 3; i < argv.length; i++) {
            rules.add(Acl.text(argv[i]));
        }
        String error = acl(c).setUser(name, rules);
        if (error == null) {
            r.ok();
        } else {
            r.error("ERR " + error.replace('\r', ' ').replace('\n', ' '));
        }
    }

    public void getuser(Client c, byte[][] argv, Reply r) {
        AclUser u = acl(c).user(Acl.text(argv[2]));
        if (u == null) {
            r.nullBulk();
            return;
        }
        r.value(bytes(acl(c).describe(u)));
    }

    /** Strings as their ISO-8859-1 bytes, so that any byte of a pattern comes back as it was given. */
    private static Object bytes(Object value) {
        if (value instanceof String s) {
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, bytes(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(AclCommands::bytes).toList();
        }
        if (value instanceof Reply.SetOf set) {
            return new Reply.SetOf(set.items().stream().map(AclCommands::bytes).toList());
        }
        return value;
    }

    public void deluser(Client c, byte[][] argv, Reply r) {
        List<String> names = new ArrayList<>();
        for (int i = 2; i < argv.length; i++) {
            String name = Acl.text(argv[i]);
            if (name.equals("default")) {
                r.error("ERR The 'default' user cannot be removed");
                return;
            }
            names.add(name);
        }
        r.integer(acl(c).deleteUsers(names));
    }

    public void list(Client c, byte[][] argv, Reply r) {
        List<String> lines = acl(c).list();
        r.array(lines.size());
        lines.forEach(l -> r.bulk(l.getBytes(StandardCharsets.ISO_8859_1)));
    }

    public void users(Client c, byte[][] argv, Reply r) {
        List<String> names = acl(c).userNames();
        r.array(names.size());
        names.forEach(n -> r.bulk(n.getBytes(StandardCharsets.ISO_8859_1)));
    }

    public void whoami(Client c, byte[][] argv, Reply r) {
        r.bulk(c.user().name().getBytes(StandardCharsets.ISO_8859_1));
    }

    public void load(Client c, byte[][] argv, Reply r) {
        if (acl(c).aclFile().isEmpty()) {
            r.error(NO_FILE);
            return;
        }
        String errors = acl(c).loadFile();
        if (errors == null) {
            r.ok();
        } else {
            r.error("ERR " + errors);
        }
    }

    public void save(Client c, byte[][] argv, Reply r) {
        if (acl(c).aclFile().isEmpty()) {
            r.error(NO_FILE);
            return;
        }
        try {
            acl(c).saveFile();
            r.ok();
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(AclCommands.class).warn("ACL SAVE failed: {}", e.toString());
            r.error("ERR There was an error trying to save the ACLs. Please check the server logs for more information");
        }
    }

    public void cat(Client c, byte[][] argv, Reply r) {
        if (tooManyArguments(argv, 3, r)) {
            return;
        }
        if (argv.length == 2) {
            r.array(AclRules.CATEGORIES.size());
            AclRules.CATEGORIES.forEach(r::bulk);
            return;
        }
        String category = Args.text(argv[2]).toLowerCase(java.util.Locale.ROOT);
        if (!AclRules.CATEGORIES.contains(category)) {
            String given = Args.text(argv[2]);
            r.error("ERR Unknown category '" + (given.length() > 128 ? given.substring(0, 128) : given) + "'");
            return;
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec spec : c.server().commands().allWithSubcommands()) {
            if (spec.inAclCategory("@" + category)) {
                names.add(spec.name());
            }
        }
        r.value(names);
    }

    public void genpass(Client c, byte[][] argv, Reply r) {
        if (tooManyArguments(argv, 3, r)) {
            return;
        }
        long bits = 256;
        if (argv.length == 3) {
            Long parsed = Args.tryParseLong(argv[2]);
            if (parsed == null) {
                r.error(Errors.NOT_INTEGER);
                return;
            }
            bits = parsed;
        }
        if (bits <= 0 || bits > 4096) {
            r.error("ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096");
            return;
        }
        int chars = (int) ((bits + 3) / 4);
        byte[] raw = new byte[(chars + 1) / 2];
        random.nextBytes(raw);
        r.bulk(HexFormat.of().formatHex(raw).substring(0, chars));
    }

    public void log(Client c, byte[][] argv, Reply r) {
        if (tooManyArguments(argv, 3, r)) {
            return;
        }
        long count = 10;
        if (argv.length == 3) {
            if (Args.is(argv[2], "reset")) {
                acl(c).log().reset();
                r.ok();
                return;
            }
            Long parsed = Args.tryParseLong(argv[2]);
            if (parsed == null) {
                r.error(Errors.NOT_INTEGER);
                return;
            }
            count = Math.max(0, parsed);
        }
        List<AclLog.Entry> entries = acl(c).log().newest((int) Math.min(Integer.MAX_VALUE, count));
        long now = c.server().clock().nowMillis();
        r.array(entries.size());
        for (AclLog.Entry e : entries) {
            r.map(7);
            r.bulk("count");
            r.integer(e.count());
            r.bulk("reason");
            r.bulk(e.reason());
            r.bulk("context");
            r.bulk(e.context());
            r.bulk("object");
            r.bulk(e.object().getBytes(StandardCharsets.ISO_8859_1));
            r.bulk("username");
            r.bulk(e.username().getBytes(StandardCharsets.ISO_8859_1));
            r.bulk("age-seconds");
            r.doubleValue((now - e.createdMillis()) / 1000.0);
            r.bulk("client-info");
            r.bulk(e.clientInfo());
        }
    }

    public void dryrun(Client c, byte[][] argv, Reply r) {
        AclUser u = acl(c).user(Acl.text(argv[2]));
        if (u == null) {
            r.error("ERR User '" + Acl.text(argv[2]) + "' not found");
            return;
        }
        byte[][] command = Arrays.copyOfRange(argv, 3, argv.length);
        CommandSpec spec = c.server().dispatcher().lookup(command);
        if (spec == null) {
            r.error("ERR Command '" + Args.text(argv[3]) + "' not found");
            return;
        }
        if (!spec.acceptsArgumentCount(command.length)) {
            r.error("ERR wrong number of arguments for '" + spec.name() + "' command");
            return;
        }
        Acl.Verdict v = acl(c).check(u, spec, command);
        switch (v.reason()) {
            case Acl.OK -> r.ok();
            case AclLog.DENIED_CMD -> r.bulk("This user has no permissions to run the '" + spec.name() + "' command");
            case AclLog.DENIED_KEY -> r.bulk(("This user has no permissions to access the '"
                    + Acl.text(command[v.position()]) + "' key").getBytes(StandardCharsets.ISO_8859_1));
            default -> r.bulk(("This user has no permissions to access the '"
                    + Acl.text(command[v.position()]) + "' channel").getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    public void help(Client c, byte[][] argv, Reply r) {
        Help.reply(r, "ACL",
                "CAT [<category>]",
                "    List all commands that belong to <category>, or all command categories",
                "    when no category is specified.",
                "DELUSER <username> [<username> ...]",
                "    Delete a list of users.",
                "DRYRUN <username> <command> [<arg> ...]",
                "    Returns whether the user can execute the given command without executing the command.",
                "GETUSER <username>",
                "    Get the user's details.",
                "GENPASS [<bits>]",
                "    Generate a secure 256-bit user password. The optional `bits` argument can",
                "    be used to specify a different size.",
                "LIST",
                "    Show users details in config file format.",
                "LOAD",
                "    Reload users from the ACL file.",
                "LOG [<count> | RESET]",
                "    Show the ACL log entries.",
                "SAVE",
                "    Save the current config to the ACL file.",
                "SETUSER <username> <attribute> [<attribute> ...]",
                "    Create or modify a user with the specified attributes.",
                "USERS",
                "    List all the registered usernames.",
                "WHOAMI",
                "    Return the current connection username.");
    }
}
