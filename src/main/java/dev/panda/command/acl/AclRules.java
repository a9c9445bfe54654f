package dev.panda.command.acl;

import dev.panda.command.CommandSpec;
import dev.panda.command.CommandTable;
import dev.panda.config.ArgumentSplitter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Applies ACL rules to users and selectors with Redis 7.0's meaning and error texts
 * ({@code ACLSetUser} and {@code ACLSetSelector}): flags, passwords, key and channel patterns,
 * commands and categories, and {@code (...)} selectors.
 *
 * <p>Store thread only.
 */
final class AclRules {
    /** Redis's ACL categories, in the order it lists them (ACL CAT) and tries them when describing. */
    static final List<String> CATEGORIES = List.of("keyspace", "read", "write", "set", "sortedset", "list", "hash",
            "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking",
            "dangerous", "connection", "transaction", "scripting");

    private final CommandTable table;
    /** acl-pubsub-default: whether new selectors start with every channel allowed. */
    boolean allChannelsByDefault;

    AclRules(CommandTable table) {
        this.table = table;
    }

    AclUser newUser(String name) {
        return new AclUser(name, allChannelsByDefault);
    }

    static String hash(byte[] password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(password));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean validHash(String h) {
        return h.length() == 64 && h.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    static boolean hasSpaces(String s) {
        // C's isspace() plus NUL, as Redis's ACLStringHasSpaces
        return s.chars().anyMatch(c -> c == ' ' || (c >= '\t' && c <= '\r') || c == 0);
    }

    /** One user rule (ACLSetUser). Rules are bytes held as ISO-8859-1 text. */
    void apply(AclUser u, String op) throws AclRuleException {
        if (op.isEmpty()) {
            return;
        }
        String lower = op.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "on" -> u.enabled = true;
            case "off" -> u.enabled = false;
            case "skip-sanitize-payload" -> u.sanitize = 2;
            case "sanitize-payload" -> u.sanitize = 1;
            case "nopass" -> {
                u.nopass = true;
                u.passwords.clear();
            }
            case "resetpass" -> {
                u.nopass = false;
                u.passwords.clear();
            }
            case "clearselectors" -> {
                AclSelector root = u.root();
                u.selectors.clear();
                u.selectors.add(root);
            }
            case "reset" -> {
                apply(u, "resetpass");
                apply(u, "resetkeys");
                apply(u, "resetchannels");
                if (allChannelsByDefault) {
                    apply(u, "allchannels");
                }
                apply(u, "off");
                apply(u, "sanitize-payload");
                apply(u, "clearselectors");
                apply(u, "-@all");
            }
            default -> {
                char c = op.charAt(0);
                if (c == '>' || c == '#') {
                    String h = c == '>' ? hash(op.substring(1).getBytes(StandardCharsets.ISO_8859_1)) : op.substring(1);
                    if (c == '#' && !validHash(h)) {
                        throw new AclRuleException(AclRuleException.BAD_HASH);
                    }
                    if (!u.passwords.contains(h)) {
                        u.passwords.add(h);
                    }
                    u.nopass = false;
                } else if (c == '<' || c == '!') {
                    String h = c == '<' ? hash(op.substring(1).getBytes(StandardCharsets.ISO_8859_1)) : op.substring(1);
                    if (c == '!' && !validHash(h)) {
                        throw new AclRuleException(AclRuleException.BAD_HASH);
                    }
                    if (!u.passwords.remove(h)) {
                        throw new AclRuleException(AclRuleException.NO_SUCH_PASSWORD);
                    }
                } else if (c == '(' && op.charAt(op.length() - 1) == ')') {
                    AclSelector s = new AclSelector(false, allChannelsByDefault);
                    List<byte[]> ops = ArgumentSplitter.split(
                            op.substring(1, op.length() - 1).getBytes(StandardCharsets.ISO_8859_1));
                    if (ops == null) {
                        throw new AclRuleException(AclRuleException.SYNTAX);
                    }
                    for (byte[] inner : ops) {
                        apply(s, new String(inner, StandardCharsets.ISO_8859_1));
                    }
                    u.selectors.add(s);
                } else {
                    apply(u.root(), op);
                }
            }
        }
        u.refresh();
    }

    /** One selector rule (ACLSetSelector). */
    void apply(AclSelector s, String op) throws AclRuleException {
        String lower = op.toLowerCase(Locale.ROOT);
        if (lower.equals("allkeys") || op.equals("~*")) {
            s.allKeys = true;
            s.patterns.clear();
        } else if (lower.equals("resetkeys")) {
            s.allKeys = false;
            s.patterns.clear();
        } else if (lower.equals("allchannels") || op.equals("&*")) {
            s.allChannels = true;
            s.channels.clear();
        } else if (lower.equals("resetchannels")) {
            s.allChannels = false;
            s.channels.clear();
        } else if (lower.equals("allcommands") || lower.equals("+@all")) {
            for (CommandSpec spec : table.allWithSubcommands()) {
                s.allowed.set(spec.aclId());
            }
            s.allCommands = true;
            s.futureCommands = true;
            s.firstArgs = null;
        } else if (lower.equals("nocommands") || lower.equals("-@all")) {
            s.allowed.clear();
            s.allCommands = false;
            s.futureCommands = false;
            s.firstArgs = null;
        } else if (op.isEmpty()) {
            throw new AclRuleException(AclRuleException.SYNTAX);
        } else if (op.charAt(0) == '~' || op.charAt(0) == '%') {
            keyPattern(s, op);
        } else if (op.charAt(0) == '&') {
            if (s.allChannels) {
                throw new AclRuleException(AclRuleException.CHANNELS_AFTER_ALL);
            }
            String pattern = op.substring(1);
            if (hasSpaces(pattern)) {
                throw new AclRuleException(AclRuleException.SYNTAX);
            }
            if (!s.channels.contains(pattern)) {
                s.channels.add(pattern);
            }
            s.allChannels = false;
        } else if (op.charAt(0) == '+' && (op.length() < 2 || op.charAt(1) != '@')) {
            allowCommand(s, op.substring(1));
        } else if (op.charAt(0) == '-' && (op.length() < 2 || op.charAt(1) != '@')) {
            CommandSpec spec = lookup(op.substring(1));
            if (spec == null) {
                throw new AclRuleException(AclRuleException.UNKNOWN);
            }
            s.setCommand(spec, false);
        } else if ((op.charAt(0) == '+' || op.charAt(0) == '-') && op.charAt(1) == '@') {
            if (!category(s, op.substring(2), op.charAt(0) == '+')) {
                throw new AclRuleException(AclRuleException.UNKNOWN);
            }
        } else {
            throw new AclRuleException(AclRuleException.SYNTAX);
        }
    }

    private static void keyPattern(AclSelector s, String op) throws AclRuleException {
        if (s.allKeys) {
            throw new AclRuleException(AclRuleException.KEYS_AFTER_ALL);
        }
        int flags = 0;
        int offset = 1;
        if (op.charAt(0) == '%') {
            for (; offset < op.length(); offset++) {
                char c = Character.toUpperCase(op.charAt(offset));
                if (c == 'R' && (flags & AclSelector.READ) == 0) {
                    flags |= AclSelector.READ;
                } else if (c == 'W' && (flags & AclSelector.WRITE) == 0) {
                    flags |= AclSelector.WRITE;
                } else if (op.charAt(offset) == '~') {
                    offset++;
                    break;
                } else {
                    throw new AclRuleException(AclRuleException.SYNTAX);
                }
            }
        } else {
            flags = AclSelector.ALL;
        }
        String pattern = op.substring(Math.min(offset, op.length()));
        if (hasSpaces(pattern)) {
            throw new AclRuleException(AclRuleException.SYNTAX);
        }
        for (AclSelector.KeyPattern p : s.patterns) {
            if (p.pattern.equals(pattern)) {
                p.flags |= flags;
                s.allKeys = false;
                return;
            }
        }
        s.patterns.add(new AclSelector.KeyPattern(pattern, flags));
        s.allKeys = false;
    }

    private void allowCommand(AclSelector s, String name) throws AclRuleException {
        int bar = name.lastIndexOf('|');
        if (bar < 0) {
            CommandSpec spec = lookup(name);
            if (spec == null) {
                throw new AclRuleException(AclRuleException.UNKNOWN);
            }
            s.setCommand(spec, true);
            return;
        }
        CommandSpec spec = lookup(name.substring(0, bar));
        if (spec == null) {
            throw new AclRuleException(AclRuleException.UNKNOWN);
        }
        if (spec.isSubcommand()) {
            throw new AclRuleException(AclRuleException.FIRST_ARG_OF_SUBCOMMAND);
        }
        String sub = name.substring(bar + 1);
        if (sub.isEmpty()) {
            throw new AclRuleException(AclRuleException.SYNTAX);
        }
        if (!spec.subcommands().isEmpty()) {
            CommandSpec subSpec = lookup(name);
            if (subSpec == null) {
                throw new AclRuleException(AclRuleException.UNKNOWN);
            }
            s.setCommand(subSpec, true);
        } else {
            s.addFirstArg(spec.aclId(), sub); // SELECT|0: a deprecated use that Redis still allows
        }
    }

    /** A command or {@code container|subcommand} by name in any case, as Redis's ACLLookupCommand. */
    CommandSpec lookup(String name) {
        String[] parts = name.toLowerCase(Locale.ROOT).split("\\|", -1);
        if (parts.length > 2) {
            return null;
        }
        CommandSpec spec = table.find(parts[0]);
        if (spec == null || parts.length == 1) {
            return spec;
        }
        return spec.subcommands().get(parts[1]);
    }

    /** +@cat / -@cat; false for an unknown category. */
    boolean category(AclSelector s, String category, boolean allow) {
        String c = category.toLowerCase(Locale.ROOT);
        if (!CATEGORIES.contains(c)) {
            return false;
        }
        for (CommandSpec spec : table.allWithSubcommands()) {
            if (spec.inAclCategory("@" + c)) {
                s.setCommand(spec, allow);
            }
        }
        return true;
    }

    /**
     * Joins selector rules spread over several arguments ({@code "(~a" "+get)"}), as Redis's
     * ACLMergeSelectorArguments; null with {@code invalid[0]} set for an unmatched parenthesis.
     */
    static List<String> mergeSelectors(List<String> args, int[] invalid) {
        List<String> out = new ArrayList<>();
        StringBuilder selector = null;
        int openAt = -1;
        for (int j = 0; j < args.size(); j++) {
            String op = args.get(j);
            if (!op.isEmpty() && op.charAt(0) == '(' && op.charAt(op.length() - 1) != ')') {
                selector = new StringBuilder(op);
                openAt = j;
                continue;
            }
            if (openAt != -1) {
                selector.append(' ').append(op);
                if (!op.isEmpty() && op.charAt(op.length() - 1) == ')') {
                    openAt = -1;
                    out.add(selector.toString());
                }
                continue;
            }
            out.add(op);
        }
        if (openAt != -1) {
            if (invalid != null) {
                invalid[0] = openAt;
            }
            return null;
        }
        return out;
    }
}
