package dev.panda.command.acl;

import dev.panda.command.Client;
import dev.panda.command.ClientRegistry;
import dev.panda.command.CommandFlag;
import dev.panda.command.CommandKeys;
import dev.panda.command.CommandSpec;
import dev.panda.command.CommandTable;
import dev.panda.command.Glob;
import dev.panda.command.KeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Redis 7.0's access control lists: the users, what each may run and touch, AUTH, the ACL file
 * and the ACL log. Every command a client runs (queued in MULTI, run by EXEC, or called by a
 * script) is checked here against its user's selectors: the command bit or an allowed first
 * argument, then each key (from the command's key specs) against the key patterns with the
 * read/write access the command needs, then each channel. A user whose root selector allows
 * everything (the default user, as shipped) skips the check.
 *
 * <p>Names, passwords and patterns are bytes held as ISO-8859-1 text, so any byte survives.
 *
 * <p>Store thread only.
 */
public final class Acl {
    public static final int OK = 0;

    private final AclRules rules;
    private final AclDescription description;
    private final ClientRegistry clients;
    private final Map<String, AclUser> users = new TreeMap<>();
    private final AclUser defaultUser;
    private final AclLog log = new AclLog();
    private String aclFile = "";
    private int logMaxLength = 128;

    public Acl(CommandTable table, ClientRegistry clients) {
        this.rules = new AclRules(table);
        this.description = new AclDescription(table, rules);
        this.clients = clients;
        this.defaultUser = createDefaultUser();
        users.put("default", defaultUser);
    }

    private AclUser createDefaultUser() {
        AclUser u = rules.newUser("default");
        try {
            for (String op : List.of("+@all", "~*", "&*", "on", "nopass")) {
                rules.apply(u, op);
            }
        } catch (AclRuleException e) {
            throw new IllegalStateException(e);
        }
        return u;
    }

    public AclUser defaultUser() {
        return defaultUser;
    }

    public AclUser user(String name) {
        return users.get(name);
    }

    public static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    public AclLog log() {
        return log;
    }

    public void setLogMaxLength(int max) {
        logMaxLength = max;
        while (log.size() > max) {
            List<AclLog.Entry> keep = log.newest(max);
            log.reset();
            for (int i = keep.size() - 1; i >= 0; i--) {
                log.add(keep.get(i), Integer.MAX_VALUE);
            }
        }
    }

    public void setPubsubDefault(String value) {
        rules.allChannelsByDefault = value.equals("allchannels");
    }

    public void setAclFile(String file) {
        aclFile = file;
    }

    public String aclFile() {
        return aclFile;
    }

    /** requirepass: the default user's only password, or nopass when empty (ACLUpdateDefaultUserPassword). */
    public void updateDefaultPassword(String password) {
        try {
            rules.apply(defaultUser, "resetpass");
            rules.apply(defaultUser, password.isEmpty() ? "nopass" : ">" + password);
        } catch (AclRuleException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a client that has not authenticated must (Redis's authRequired). */
    public boolean authRequired() {
        return !defaultUser.needsNoPassword();
    }

    /** The user if the name and password match an enabled user, else null (ACLCheckUserCredentials). */
    public AclUser checkCredentials(byte[] name, byte[] password) {
        AclUser u = users.get(text(name));
        if (u == null || !u.enabled) {
            return null;
        }
        if (u.nopass) {
            return u;
        }
        byte[] hashed = AclRules.hash(password).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String p : u.passwords) {
            match |= MessageDigest.isEqual(hashed, p.getBytes(StandardCharsets.US_ASCII));
        }
        return match ? u : null;
    }

    /**
     * AUTH and HELLO's AUTH: the client becomes the user, or the failure is logged. True on
     * success.
     */
    public boolean authenticate(Client c, byte[] name, byte[] password, String command, long now) {
        AclUser u = checkCredentials(name, password);
        if (u == null) {
            log.add(new AclLog.Entry(AclLog.DENIED_AUTH, c.transaction().active() ? AclLog.Context.MULTI
                    : AclLog.Context.TOPLEVEL, command, text(name), now, c.describe(now)), logMaxLength);
            return false;
        }
        c.setUser(u);
        c.setAuthenticated(true);
        return true;
    }

    // ---- permission checks ---------------------------------------------------------------

    /** The result of a check: OK, or the AclLog.DENIED_* reason and the argument it concerns. */
    public record Verdict(int reason, int position) {
        public boolean allowed() {
            return reason == OK;
        }
    }

    private static final Verdict ALLOWED = new Verdict(OK, 0);

    /** Redis's ACLCheckAllUserCommandPerm. */
    public Verdict check(AclUser u, CommandSpec spec, byte[][] argv) {
        if (u.unrestricted) {
            return ALLOWED;
        }
        int relevant = AclLog.DENIED_CMD;
        int lastPosition = 0;
        List<CommandKeys.Ref> keys = null;
        for (AclSelector s : u.selectors) {
            if (!s.allKeys && keys == null && CommandKeys.hasKeys(spec)) {
                keys = CommandKeys.keys(spec, argv);
            }
            Verdict v = check(s, spec, argv, keys);
            if (v.allowed()) {
                return v;
            }
            if (v.reason > relevant || (v.reason == relevant && v.position > lastPosition)) {
                relevant = v.reason;
                lastPosition = v.position;
            }
        }
        return new Verdict(relevant, lastPosition);
    }

    private static Verdict check(AclSelector s, CommandSpec spec, byte[][] argv, List<CommandKeys.Ref> keys) {
        if (!s.allCommands && !spec.is(CommandFlag.NO_AUTH) && !s.allows(spec.aclId())) {
            List<String> firstArgs = s.firstArgs == null ? null : s.firstArgs.get(spec.aclId());
            int at = spec.isSubcommand() ? 2 : 1;
            if (argv.length < 2 || firstArgs == null || at >= argv.length
                    || firstArgs.stream().noneMatch(a -> a.equalsIgnoreCase(text(argv[at])))) {
                return new Verdict(AclLog.DENIED_CMD, 0);
            }
        }
        if (!s.allKeys && keys != null) {
            for (CommandKeys.Ref k : keys) {
                if (!keyAllowed(s, argv[k.position()], k.flags())) {
                    return new Verdict(AclLog.DENIED_KEY, k.position());
                }
            }
        }
        int channelFlags = CommandKeys.CHANNEL_PUBLISH | CommandKeys.CHANNEL_SUBSCRIBE;
        if (!s.allChannels && CommandKeys.hasChannels(spec, channelFlags)) {
            for (CommandKeys.Ref ch : CommandKeys.channels(spec, argv)) {
                if ((ch.flags() & channelFlags) == 0) {
                    continue;
                }
                if (!channelAllowed(s.channels, argv[ch.position()], (ch.flags() & CommandKeys.CHANNEL_PATTERN) != 0)) {
                    return new Verdict(AclLog.DENIED_CHANNEL, ch.position());
                }
            }
        }
        return ALLOWED;
    }

    private static boolean keyAllowed(AclSelector s, byte[] key, int specFlags) {
        int need = 0;
        if ((specFlags & KeySpec.ACCESS) != 0) {
            need |= AclSelector.READ;
        }
        if ((specFlags & (KeySpec.INSERT | KeySpec.DELETE | KeySpec.UPDATE)) != 0) {
            need |= AclSelector.WRITE;
        }
        for (AclSelector.KeyPattern p : s.patterns) {
            if ((p.flags & need) == need && Glob.matches(p.bytes, key, false)) {
                return true;
            }
        }
        return false;
    }

    /** A channel against channel patterns; a PSUBSCRIBE pattern must equal an ACL pattern literally. */
    private static boolean channelAllowed(List<String> patterns, byte[] channel, boolean isPattern) {
        for (String p : patterns) {
            if (isPattern ? p.equals(text(channel)) : Glob.matches(p.getBytes(StandardCharsets.ISO_8859_1), channel, false)) {
                return true;
            }
        }
        return false;
    }

    /** Records a denial in the ACL log (Redis's addACLLogEntry); the object is the command, key or channel. */
    public void logDenial(Client c, Client caller, Verdict v, CommandSpec spec, byte[][] argv, AclLog.Context context,
                          long now) {
        String object = v.reason() == AclLog.DENIED_CMD ? spec.name() : text(argv[v.position()]);
        log.add(new AclLog.Entry(v.reason(), context, object, c.user().name, now, caller.describe(now)), logMaxLength);
    }

    /** Redis's getAclErrorMessage, for scripts: "The user executing the script " + this. */
    public static String scriptMessage(int reason) {
        return switch (reason) {
            case AclLog.DENIED_CMD -> "can't run this command or subcommand";
            case AclLog.DENIED_KEY -> "can't access at least one of the keys mentioned in the command arguments";
            case AclLog.DENIED_CHANNEL -> "can't publish to the channel mentioned in the command";
            default -> "lacking the permissions for the command";
        };
    }

    /** The -NOPERM reply for a command refused at the top level or when queued. */
    public static String noPermission(Verdict v, CommandSpec spec) {
        return switch (v.reason()) {
            case AclLog.DENIED_CMD -> "NOPERM this user has no permissions to run the '" + spec.name() + "' command";
            case AclLog.DENIED_KEY -> "NOPERM this user has no permissions to access one of the keys used as arguments";
            case AclLog.DENIED_CHANNEL -> "NOPERM this user has no permissions to access one of the channels used as arguments";
            default -> "no permission";
        };
    }

    /** The reply for a queued command that EXEC finds no longer allowed. */
    public static String noPermissionAtExec(Verdict v) {
        String reason = switch (v.reason()) {
            case AclLog.DENIED_CMD -> "no permission to execute the command or subcommand";
            case AclLog.DENIED_KEY -> "no permission to touch the specified keys";
            case AclLog.DENIED_CHANNEL -> "no permission to access one of the channels used as arguments";
            default -> "no permission";
        };
        return "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. "
                + "This command is no longer allowed for the following reason: " + reason;
    }

    // ---- changing users ------------------------------------------------------------------

    /**
     * ACL SETUSER: applies every rule to a copy first, so that an error changes nothing
     * (Redis's ACLStringSetUser). Returns the error message, or null.
     */
    public String setUser(String name, List<String> args) {
        int[] invalid = new int[1];
        List<String> merged = AclRules.mergeSelectors(args, invalid);
        if (merged == null) {
            return "Unmatched parenthesis in acl selector starting at '" + args.get(invalid[0]) + "'.";
        }
        AclUser existing = users.get(name);
        AclUser staged = rules.newUser(name);
        if (existing != null) {
            staged.copyFrom(existing);
        }
        for (String op : merged) {
            try {
                rules.apply(staged, op);
            } catch (AclRuleException e) {
                return "Error in ACL SETUSER modifier '" + op + "': " + e.getMessage();
            }
        }
        if (existing != null) {
            killPubsubClientsIfNeeded(staged, existing);
            existing.copyFrom(staged);
        } else {
            users.put(name, staged);
        }
        return null;
    }

    /** ACL DELUSER of users other than default: removes them and closes their clients. */
    public int deleteUsers(List<String> names) {
        int deleted = 0;
        for (String name : names) {
            AclUser u = users.remove(name);
            if (u != null) {
                closeClientsOf(u);
                deleted++;
            }
        }
        return deleted;
    }

    private void closeClientsOf(AclUser u) {
        for (Client c : new ArrayList<>(clients.all())) {
            if (c.user() == u) {
                c.setUser(defaultUser);
                c.setAuthenticated(false);
                c.close();
            }
        }
    }

    /**
     * Closes the user's subscribed clients when the new channel rules no longer cover every
     * channel the old ones allowed (Redis's ACLKillPubsubClientsIfNeeded).
     */
    private void killPubsubClientsIfNeeded(AclUser updated, AclUser original) {
        for (AclSelector s : updated.selectors) {
            if (s.allChannels) {
                return;
            }
        }
        List<String> upcoming = new ArrayList<>();
        updated.selectors.forEach(s -> upcoming.addAll(s.channels));
        boolean superset = true;
        for (AclSelector s : original.selectors) {
            if (s.allChannels || !upcoming.containsAll(s.channels)) {
                superset = false;
                break;
            }
        }
        if (superset) {
            return;
        }
        for (Client c : new ArrayList<>(clients.all())) {
            if (c.user() != original || !c.subscriptions().any()) {
                continue;
            }
            boolean kill = false;
            for (var p : c.subscriptions().patterns()) {
                kill |= !channelAllowed(upcoming, bytes(p), true);
            }
            for (var ch : c.subscriptions().channels()) {
                kill |= !channelAllowed(upcoming, bytes(ch), false);
            }
            for (var ch : c.subscriptions().shardChannels()) {
                kill |= !channelAllowed(upcoming, bytes(ch), false);
            }
            if (kill) {
                c.close();
            }
        }
    }

    private static byte[] bytes(java.nio.ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    // ---- describing ----------------------------------------------------------------------

    public List<String> userNames() {
        return new ArrayList<>(users.keySet());
    }

    /** ACL LIST: one "user NAME RULES" line per user, in name order. */
    public List<String> list() {
        List<String> out = new ArrayList<>();
        users.forEach((name, u) -> out.add("user " + name + " " + description.user(u)));
        return out;
    }

    /** ACL GETUSER's fields for a user, as reply values (strings are ISO-8859-1 text). */
    public Map<String, Object> describe(AclUser u) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("flags", new dev.panda.protocol.Reply.SetOf(AclDescription.flags(u)));
        m.put("passwords", new ArrayList<>(u.passwords));
        putSelector(m, u.root());
        List<Object> selectors = new ArrayList<>();
        for (AclSelector s : u.selectors.subList(1, u.selectors.size())) {
            Map<String, Object> sm = new java.util.LinkedHashMap<>();
            putSelector(sm, s);
            selectors.add(sm);
        }
        m.put("selectors", selectors);
        return m;
    }

    private void putSelector(Map<String, Object> m, AclSelector s) {
        m.put("commands", description.commands(s));
        m.put("keys", AclDescription.keys(s));
        m.put("channels", AclDescription.channels(s));
    }

    // ---- the ACL file and configured users ------------------------------------------------

    /**
     * Users from {@code user} lines of the config file, at start-up: each replaces the default
     * user's rules or creates a user (Redis's ACLLoadConfiguredUsers). Throws with the reason
     * on a bad rule.
     */
    public void loadConfiguredUsers(List<List<String>> lines) {
        for (List<String> line : lines) {
            String name = line.get(0);
            if (AclRules.hasSpaces(name)) {
                throw new IllegalArgumentException("Spaces not allowed in ACL usernames");
            }
            AclUser u = users.get(name);
            try {
                if (u == null) {
                    u = rules.newUser(name);
                    users.put(name, u);
                } else {
                    rules.apply(u, "reset");
                }
                List<String> merged = AclRules.mergeSelectors(line.subList(1, line.size()), null);
                if (merged == null) {
                    throw new IllegalArgumentException("Unmatched parenthesis in selector definition of user '" + name + "'");
                }
                for (String op : merged) {
                    try {
                        rules.apply(u, op);
                    } catch (AclRuleException e) {
                        throw new IllegalArgumentException("Error loading ACL rule '" + op + "' for the user named '"
                                + name + "': " + e.getMessage());
                    }
                }
            } catch (AclRuleException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * ACL LOAD (and start-up with an aclfile): every line is checked before anything changes;
     * on any error nothing changes and the errors are returned (Redis's ACLLoadFromFile).
     * Clients of the replaced users are closed. Returns null on success.
     */
    public String loadFile() {
        List<String> lines;
        try {
            lines = List.of(Files.readString(Path.of(aclFile), StandardCharsets.ISO_8859_1).split("\n", -1));
        } catch (IOException e) {
            return "Error loading ACLs, opening file '" + aclFile + "': " + ioReason(e);
        }
        Map<String, AclUser> loaded = new TreeMap<>();
        StringBuilder errors = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String line = lines.get(i).replaceAll("^[ \t\r\n]+|[ \t\r\n]+$", "");
            if (line.isEmpty()) {
                continue;
            }
            // Split on every single space, as Redis's sdssplitlen: two spaces make an empty argument.
            List<String> argv = List.of(line.split(" ", -1));
            if (!argv.get(0).equals("user") || argv.size() < 2) {
                errors.append(aclFile).append(':').append(lineNumber)
                        .append(" should start with user keyword followed by the username. ");
                continue;
            }
            String name = argv.get(1);
            if (loaded.containsKey(name)) {
                errors.append("WARNING: Duplicate user '").append(name).append("' found on line ").append(lineNumber).append(". ");
                continue;
            }
            AclUser u = rules.newUser(name);
            loaded.put(name, u);
            List<String> merged = AclRules.mergeSelectors(argv.subList(2, argv.size()), null);
            if (merged == null) {
                errors.append(aclFile).append(':').append(lineNumber).append(": Unmatched parenthesis in selector definition.");
                continue;
            }
            boolean syntaxError = false;
            for (String op : merged) {
                try {
                    rules.apply(u, op.replaceAll("^[\t\r\n]+|[\t\r\n]+$", ""));
                } catch (AclRuleException e) {
                    if (e.unknownName) {
                        errors.append(aclFile).append(':').append(lineNumber).append(": Error in applying operation '")
                                .append(op).append("': ").append(e.getMessage()).append(". ");
                    } else if (!syntaxError) {
                        errors.append(aclFile).append(':').append(lineNumber).append(": ").append(e.getMessage()).append(". ");
                        syntaxError = true;
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            return errors.append("WARNING: ACL errors detected, no change to the previously active ACL rules was performed")
                    .toString();
        }
        AclUser newDefault = loaded.remove("default");
        defaultUser.copyFrom(newDefault != null ? newDefault : createDefaultUser());
        for (AclUser old : new ArrayList<>(users.values())) {
            if (old != defaultUser) {
                closeClientsOf(old);
            }
        }
        users.clear();
        users.put("default", defaultUser);
        users.putAll(loaded);
        return null;
    }

    /** ACL SAVE: the users in the file format, written to a temporary file and renamed over the file. */
    public void saveFile() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line : list()) {
            sb.append(line).append('\n');
        }
        Path file = Path.of(aclFile);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + System.currentTimeMillis());
        try {
            Files.writeString(tmp, sb, StandardCharsets.ISO_8859_1);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String ioReason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage();
    }
}
