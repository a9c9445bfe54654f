package dev.panda.command.acl;

import dev.panda.command.CommandSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one ACL selector allows: a bitmap of commands (by {@link CommandSpec#aclId()}), first
 * arguments allowed for otherwise blocked commands ({@code +select|0}), key patterns with their
 * read/write permissions, and channel patterns. A user has a root selector plus any number of
 * {@code (...)} selectors; a command runs if one of them allows it.
 *
 * <p>Store thread only.
 */
final class AclSelector {
    static final int READ = 1;
    static final int WRITE = 2;
    static final int ALL = READ | WRITE;

    /** A key pattern and whether it grants reads, writes or both. Patterns are bytes held as ISO-8859-1 text. */
    static final class KeyPattern {
        final String pattern;
        /** The pattern's bytes, kept so that checking a key allocates nothing. */
        final byte[] bytes;
        int flags;

        KeyPattern(String pattern, int flags) {
            this.pattern = pattern;
            this.bytes = pattern.getBytes(StandardCharsets.ISO_8859_1);
            this.flags = flags;
        }

        /** The rule that creates it: {@code ~p}, {@code %R~p} or {@code %W~p}. */
        String rule() {
            return (flags == ALL ? "~" : flags == READ ? "%R~" : "%W~") + pattern;
        }
    }

    final boolean root;
    boolean allKeys;
    boolean allChannels;
    /** Set by +@all, cleared once any command bit is cleared: lets the check skip the bitmap. */
    boolean allCommands;
    /** Set by +@all and cleared by -@all only: "commands added later are allowed too" (Redis's reserved bit). */
    boolean futureCommands;
    BitSet allowed = new BitSet();
    Map<Integer, List<String>> firstArgs;
    List<KeyPattern> patterns = new ArrayList<>();
    List<String> channels = new ArrayList<>();

    AclSelector(boolean root, boolean allChannelsByDefault) {
        this.root = root;
        this.allChannels = allChannelsByDefault;
    }

    AclSelector copy() {
        AclSelector c = new AclSelector(root, allChannels);
        c.allKeys = allKeys;
        c.allCommands = allCommands;
        c.futureCommands = futureCommands;
        c.allowed = (BitSet) allowed.clone();
        if (firstArgs != null) {
            c.firstArgs = new HashMap<>();
            firstArgs.forEach((id, args) -> c.firstArgs.put(id, new ArrayList<>(args)));
        }
        patterns.forEach(p -> c.patterns.add(new KeyPattern(p.pattern, p.flags)));
        c.channels = new ArrayList<>(channels);
        return c;
    }

    boolean allows(int id) {
        return allowed.get(id);
    }

    void setCommand(CommandSpec spec, boolean allow) {
        setBit(spec.aclId(), allow);
        if (firstArgs != null) {
            firstArgs.remove(spec.aclId());
        }
        for (CommandSpec sub : spec.subcommands().values()) {
            setBit(sub.aclId(), allow);
        }
    }

    private void setBit(int id, boolean allow) {
        allowed.set(id, allow);
        if (!allow) {
            allCommands = false;
        }
    }

    void addFirstArg(int id, String arg) {
        if (firstArgs == null) {
            firstArgs = new HashMap<>();
        }
        List<String> args = firstArgs.computeIfAbsent(id, k -> new ArrayList<>());
        if (args.stream().noneMatch(a -> a.equalsIgnoreCase(arg))) {
            args.add(arg);
        }
    }

    /** Same command permissions (the bitmap and first arguments): what ACL descriptions must reproduce. */
    boolean sameCommands(AclSelector other) {
        return allowed.equals(other.allowed);
    }
}
