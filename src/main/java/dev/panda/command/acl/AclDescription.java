package dev.panda.command.acl;

import dev.panda.command.CommandSpec;
import dev.panda.command.CommandTable;
import java.util.List;

/**
 * Writes users and selectors back as rules (ACL LIST, GETUSER, SAVE), as Redis 7.0's
 * ACLDescribeUser: flags, password hashes, then per selector keys, channels and a short set of
 * command rules that rebuild the same bitmap: {@code +@all} or {@code -@all}, then the categories
 * that fit best, then single commands.
 *
 * <p>Store thread only.
 */
final class AclDescription {
    private final CommandTable table;
    private final AclRules rules;

    AclDescription(CommandTable table, AclRules rules) {
        this.table = table;
        this.rules = rules;
    }

    String user(AclUser u) {
        StringBuilder sb = new StringBuilder();
        if (u.enabled) {
            sb.append("on ");
        } else {
            sb.append("off ");
        }
        if (u.nopass) {
            sb.append("nopass ");
        }
        if (u.sanitize == 2) {
            sb.append("skip-sanitize-payload ");
        } else if (u.sanitize == 1) {
            sb.append("sanitize-payload ");
        }
        for (String p : u.passwords) {
            sb.append('#').append(p).append(' ');
        }
        for (AclSelector s : u.selectors) {
            if (s.root) {
                sb.append(selector(s));
            } else {
                sb.append(" (").append(selector(s)).append(')');
            }
        }
        return sb.toString();
    }

    /** Flags in Redis's order, for ACL GETUSER. */
    static List<String> flags(AclUser u) {
        List<String> flags = new java.util.ArrayList<>();
        flags.add(u.enabled ? "on" : "off");
        if (u.nopass) {
            flags.add("nopass");
        }
        if (u.sanitize == 2) {
            flags.add("skip-sanitize-payload");
        } else if (u.sanitize == 1) {
            flags.add("sanitize-payload");
        }
        return flags;
    }

    private String selector(AclSelector s) {
        StringBuilder sb = new StringBuilder();
        if (s.allKeys) {
            sb.append("~* ");
        } else {
            s.patterns.forEach(p -> sb.append(p.rule()).append(' '));
        }
        if (s.allChannels) {
            sb.append("&* ");
        } else {
            sb.append("resetchannels ");
            s.channels.forEach(c -> sb.append('&').append(c).append(' '));
        }
        return sb.append(commands(s)).toString();
    }

    /** GETUSER's "keys": the patterns joined by spaces. */
    static String keys(AclSelector s) {
        if (s.allKeys) {
            return "~*";
        }
        StringBuilder sb = new StringBuilder();
        s.patterns.forEach(p -> sb.append(sb.isEmpty() ? "" : " ").append(p.rule()));
        return sb.toString();
    }

    /** GETUSER's "channels". */
    static String channels(AclSelector s) {
        if (s.allChannels) {
            return "&*";
        }
        StringBuilder sb = new StringBuilder();
        s.channels.forEach(c -> sb.append(sb.isEmpty() ? "&" : " &").append(c));
        return sb.toString();
    }

    /** Redis's ACLDescribeSelectorCommandRules. */
    String commands(AclSelector s) {
        StringBuilder out = new StringBuilder();
        AclSelector fake = new AclSelector(false, false);
        boolean additive = !s.futureCommands;
        try {
            String start = additive ? "-@all" : "+@all";
            out.append(start).append(' ');
            rules.apply(fake, start);
            AclSelector temp = new AclSelector(false, false);
            temp.allowed = (java.util.BitSet) s.allowed.clone();
            boolean[] applied = new boolean[AclRules.CATEGORIES.size()];
            while (true) {
                int best = -1;
                long minDiff = Integer.MAX_VALUE;
                long maxSame = 0;
                for (int j = 0; j < applied.length; j++) {
                    if (applied[j]) {
                        continue;
                    }
                    long on = 0;
                    long off = 0;
                    String cat = "@" + AclRules.CATEGORIES.get(j);
                    for (CommandSpec spec : table.allWithSubcommands()) {
                        if (spec.inAclCategory(cat)) {
                            if (temp.allows(spec.aclId())) {
                                on++;
                            } else {
                                off++;
                            }
                        }
                    }
                    long diff = additive ? off : on;
                    long same = additive ? on : off;
                    if (same > diff && (diff < minDiff || (diff == minDiff && same > maxSame))) {
                        best = j;
                        minDiff = diff;
                        maxSame = same;
                    }
                }
                if (best == -1) {
                    break;
                }
                String cat = AclRules.CATEGORIES.get(best);
                rules.category(fake, cat, additive);
                rules.category(temp, cat, !additive);
                out.append(additive ? "+@" : "-@").append(cat).append(' ');
                applied[best] = true;
            }
        } catch (AclRuleException e) {
            throw new IllegalStateException(e);
        }
        for (CommandSpec spec : table.all()) {
            single(s, fake, spec, out);
        }
        out.setLength(out.length() - 1);
        if (!fake.sameCommands(s)) {
            throw new IllegalStateException("ACL description does not rebuild the user's commands: " + out);
        }
        return out.toString();
    }

    private void single(AclSelector s, AclSelector fake, CommandSpec spec, StringBuilder out) {
        boolean userBit = s.allows(spec.aclId());
        if (userBit != fake.allows(spec.aclId())) {
            out.append(userBit ? '+' : '-').append(spec.name()).append(' ');
            fake.setCommand(spec, userBit);
        }
        for (CommandSpec sub : spec.subcommands().values()) {
            single(s, fake, sub, out);
        }
        if (!userBit && s.firstArgs != null && s.firstArgs.containsKey(spec.aclId())) {
            for (String arg : s.firstArgs.get(spec.aclId())) {
                out.append('+').append(spec.name()).append('|').append(arg).append(' ');
            }
        }
    }
}
