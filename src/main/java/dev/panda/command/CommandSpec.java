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
    private final int flags;
    private final Set<String> aclCategories;
    private final int firstKey;
    private final int lastKey;
    private final int keyStep;
    private final List<Object> info;
    private final Map<String, Object> docs;
    private final Map<String, CommandSpec> subcommands;
    private final CommandHandler handler;
    private final List<KeySpec> keySpecs;
    /** Index of this command in ACL command bitmaps, assigned once by the table. */
    int aclId;

    /** Counters for INFO commandstats, latencystats and the metrics endpoint; store thread only. */
    long calls;
    long nanos;
    long rejectedCalls;
    long failedCalls;
    final LatencyHistogram latency = new LatencyHistogram();
    /** Flags the observers check per command, resolved once instead of by name. */
    final boolean fast;
    final boolean shownToMonitors;
    final boolean slowLogged;
    /** Reads or writes data: refused to MONITOR clients, as Redis refuses replicas. */
    final boolean touchesKeyspace;

    CommandSpec(String name, int arity, Set<String> flags, Set<String> aclCategories, int firstKey, int lastKey, int keyStep,
                List<Object> info, Map<String, Object> docs, Map<String, CommandSpec> subcommands,
                CommandHandler handler, List<KeySpec> keySpecs) {
        this.keySpecs = keySpecs;
        this.name = name;
        this.arity = arity;
        this.flags = CommandFlag.maskOf(flags);
        this.aclCategories = aclCategories;
        this.firstKey = firstKey;
        this.lastKey = lastKey;
        this.keyStep = keyStep;
        this.info = info;
        this.docs = docs;
        this.subcommands = subcommands;
        this.handler = handler;
        this.fast = is(CommandFlag.FAST);
        // As Redis: administrative commands (CONFIG, DEBUG, MONITOR…) are too sensitive to be fed to MONITOR.
        this.shownToMonitors = !is(CommandFlag.ADMIN) && !is(CommandFlag.SKIP_MONITOR);
        this.slowLogged = !is(CommandFlag.SKIP_SLOWLOG);
        this.touchesKeyspace = is(CommandFlag.WRITE) || is(CommandFlag.READONLY) || is(CommandFlag.MAY_REPLICATE);
    }

    /** Lower-case name; subcommands are {@code container|sub}. */
    public String name() {
        return name;
    }

    public int arity() {
        return arity;
    }

    public boolean is(CommandFlag flag) {
        return (flags & flag.bit()) != 0;
    }

    /** ACL categories such as {@code @string} (COMMAND LIST FILTERBY ACLCAT). */
    public boolean inAclCategory(String category) {
        return aclCategories.contains(category);
    }

    public boolean acceptsArgumentCount(int argc) {
        return arity > 0 ? argc == arity : argc >= -arity;
    }

    /** How the command's keys are found (COMMAND INFO's key specifications). */
    public List<KeySpec> keySpecs() {
        return keySpecs;
    }

    public int aclId() {
        return aclId;
    }

    /** True for a subcommand ({@code container|sub}). */
    public boolean isSubcommand() {
        return name.indexOf('|') >= 0;
    }

    /** The ACL categories, each with its leading {@code @}. */
    public Set<String> aclCategories() {
        return aclCategories;
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

    /** Total execution time in µs (INFO commandstats {@code usec}). */
    public long usec() {
        return nanos / 1000;
    }

    public long nanos() {
        return nanos;
    }

    /** A copy of the latency bucket counts ({@link LatencyHistogram}). */
    public long[] latencyCounts() {
        return latency.copyCounts();
    }

    /** Counts one execution: plain field updates, as it runs for every command. */
    void recordCall(long elapsedNanos, boolean failed) {
        calls++;
        nanos += elapsedNanos;
        if (failed) {
            failedCalls++;
        }
        latency.record(elapsedNanos);
    }

    public long rejectedCalls() {
        return rejectedCalls;
    }

    public long failedCalls() {
        return failedCalls;
    }

    void resetStats() {
        calls = 0;
        nanos = 0;
        latency.reset();
        rejectedCalls = 0;
        failedCalls = 0;
        subcommands.values().forEach(CommandSpec::resetStats);
    }
}
