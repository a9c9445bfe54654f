package dev.panda.command;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One client's MULTI state: whether it is queueing, the commands queued (resolved, so EXEC runs
 * them without looking them up again), whether queueing failed (EXEC then aborts), and the keys
 * it WATCHes with whether one was touched. Store thread only.
 */
public final class Transaction {
    boolean active;
    boolean queueFailed;
    final List<CommandSpec> specs = new ArrayList<>();
    final List<byte[][]> commands = new ArrayList<>();
    final Set<DbKey> watched = new LinkedHashSet<>();
    boolean watchTouched;

    public boolean active() {
        return active;
    }

    void queue(CommandSpec spec, byte[][] argv) {
        specs.add(spec);
        commands.add(argv);
    }

    /** Leaves MULTI, dropping what was queued. */
    void clear() {
        active = false;
        queueFailed = false;
        specs.clear();
        commands.clear();
    }
}
