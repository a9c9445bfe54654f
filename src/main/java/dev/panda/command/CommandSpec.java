package dev.panda.command;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One command as Redis describes it (arity, flags, key positions, documentation) plus the
 * handler that runs it and its INFO commandstats counters. Negative arity means "at least".
 * Container commands (CLIENT, CONFIG…) have subcommands and no handler of their own.
 *
 * <p>Immutable apart from the counters, which only the store thread touches.
 */
public final class CommandSpec {
    private final String name;
    private final int arity;
    private final Set<String> flags;
    private final Set<String> aclCategories;
    private final int firstKey;
    private final int lastKey;
    private final int keyStep;
    private final List<Object> info;
    private final Map<String, Object> docs;
    private final Map<String, CommandSpec> subcommands;
    private final CommandHandler handler;

    long calls;
    long usec;
    long rejectedCalls;
    long failedCalls;

    CommandSpec(String name, int arity, Set<String> flags, Set<String> aclCategories, int firstKey, int lastKey, int keyStep,
                List<Object> info, Map<String, Object> docs, Map<String, CommandSpec> subcommands,
                CommandHandler handler) {
        this.name = name;
        this.arity = arity;
        this.flags = flags;
        this.aclCategories = aclCategories;
        this.firstKey = firstKey;
        this.lastKey = lastKey;
        this.keyStep = keyStep;
        this.info = info;
        this.docs = docs;
        this.subcommands = subcommands;
        this.handler = handler;
    }

    /** Lower-case name; subcommands are {@code container|sub}. */
    public String name() {
        return name;
    }

    public int arity() {
        return arity;
    }

    public boolean hasFlag(String flag) {
        return flags.contains(flag);
    }

    /** ACL categories such as {@code @string} (COMMAND LIST FILTERBY ACLCAT). */
    public boolean inAclCategory(String category) {
        return aclCategories.contains(category);
    }

    public boolean acceptsArgumentCount(int argc) {
        return arity > 0 ? argc == arity : argc >= -arity;
    }

    public int firstKey() {
        return firstKey;
    }

    public int lastKey() {
        return lastKey;
    }

    public int keyStep() {
        return keyStep;
    }

    /** The COMMAND INFO reply for this command, as a nested list. */
    public List<Object> info() {
        return info;
    }

    /** The COMMAND DOCS map for this command. */
    public Map<String, Object> docs() {
        return docs;
    }

    public Map<String, CommandSpec> subcommands() {
        return subcommands;
    }

    public CommandHandler handler() {
        return handler;
    }

    public long calls() {
        return calls;
    }

    public long usec() {
        return usec;
    }

    public long rejectedCalls() {
        return rejectedCalls;
    }

    public long failedCalls() {
        return failedCalls;
    }

    void resetStats() {
        calls = 0;
        usec = 0;
        rejectedCalls = 0;
        failedCalls = 0;
        subcommands.values().forEach(CommandSpec::resetStats);
    }
}
