package dev.panda.command;

import dev.panda.command.acl.Acl;
import dev.panda.command.acl.AclLog;
import dev.panda.protocol.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs one command for a client in three steps: {@link #resolve} finds it (and its subcommand)
 * and checks the arity, {@link #admit} checks whether this client may run it now, and
 * {@link #execute} runs it and counts it for INFO commandstats. The steps are apart so that a
 * transaction can queue resolved commands and execute them later. Argument errors thrown by
 * handlers as {@link Args.Invalid} become error replies here, so a malformed request never
 * half-changes the store (handlers parse everything before they write).
 *
 * <p>Observability stays off the common path: each command adds its duration to plain counters
 * of its {@link CommandSpec} (read by INFO and, through a copy taken on this thread, by the
 * metrics endpoint); only a command over the slow-log or latency-monitor threshold, or one run
 * while a MONITOR client is connected, does more work.
 *
 * <p>Store thread only.
 */
public final class Dispatcher {
    private final ServerContext server;
    private final CommandTable table;
    private final SlowLog slowLog;
    private final LatencyMonitor latencyMonitor;
    private final Monitors monitors;
    /** The client whose command is running, while it runs (an EXEC's or a script's inner commands run inside). */
    private Client executing;

    public Dispatcher(ServerContext server) {
        this.server = server;
        this.table = server.commands();
        this.slowLog = server.slowLog();
        this.latencyMonitor = server.latencyMonitor();
        this.monitors = server.monitors();
    }

    /**
     * Runs the command: {@link #resolve}, {@link #admit}, {@link #execute}. Returns the command
     * (or subcommand) that ran, or null if it was refused (the error is replied).
     */
    public CommandSpec dispatch(Client client, byte[][] argv, Reply reply) {
        server.stats().commandsProcessed++;
        CommandSpec spec = resolve(argv, reply);
        if (spec != null) {
            client.lastCommand = spec.name(); // as Redis's lastcmd: set on lookup, so refused and queued commands show too
        }
        Transaction tx = client.transaction();
        if (tx.active() && !runsInsideMulti(argv[0])) {
            if (spec == null || !admit(client, spec, argv, reply)) {
                tx.queueFailed = true;
                return null;
            }
            if (server.clientPause().postpones(client, spec)) {
                server.clientPause().postpone(client, argv);
                return null;
            }
            tx.queue(spec, argv);
            reply.simple("QUEUED");
            return null;
        }
        if (spec == null || !admit(client, spec, argv, reply)) {
            return null;
        }
        if (server.clientPause().postpones(client, spec)) {
            server.clientPause().postpone(client, argv);
            return null;
        }
        if (client.protocol() == 2 && client.subscriptions().any() && !PubSub.allowedWhenSubscribed(argv[0])) {
            spec.rejectedCalls++;
            reply.error("ERR Can't execute '" + spec.name() + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET"
                    + " are allowed in this context");
            return null;
        }
        execute(client, spec, argv, reply);
        return spec;
    }

    /** The commands MULTI does not queue: they act on the transaction itself. */
    private static boolean runsInsideMulti(byte[] name) {
        return Args.is(name, "exec") || Args.is(name, "discard") || Args.is(name, "multi") || Args.is(name, "watch")
                || Args.is(name, "quit") || Args.is(name, "reset");
    }

    // ---- transactions ------------------------------------------------------------------------------

    /** MULTI: the client's next commands are queued. */
    public void beginTransaction(Client client) {
        client.transaction().clear();
        client.transaction().active = true;
    }

    /** DISCARD (and RESET): the queue is dropped and every key unwatched. */
    public void discard(Client client) {
        client.transaction().clear();
        server.watches().unwatchAll(client);
    }

    public void watch(Client client, byte[] key) {
        server.watches().watch(client, client.db(), key);
    }

    public void unwatch(Client client) {
        server.watches().unwatchAll(client);
    }

    /**
     * EXEC: aborts after a queueing error, answers null when a watched key changed (a watched key
     * whose deadline has passed is expired first, which counts as a change), else runs the
     * queued commands as one unit inside this one, each reply an element of EXEC's.
     */
    public void exec(Client client, Reply reply) {
        Transaction tx = client.transaction();
        if (!tx.active()) {
            reply.error("ERR EXEC without MULTI");
            return;
        }
        if (tx.queueFailed) {
            discard(client);
            reply.error("EXECABORT Transaction discarded because of previous errors.");
            return;
        }
        for (DbKey k : tx.watched) {
            server.keyspace().db(k.db()).exists(k.bytes()); // expires a watched key that is due
        }
        if (tx.watchTouched) {
            discard(client);
            reply.nullArray();
            return;
        }
        List<CommandSpec> specs = new ArrayList<>(tx.specs);
        List<byte[][]> commands = new ArrayList<>(tx.commands);
        discard(client);
        reply.array(specs.size());
        boolean denied = client.denyBlocking();
        client.setDenyBlocking(true);
        try {
            for (int i = 0; i < specs.size(); i++) {
                // The rules may have changed since the command was queued (Redis checks again).
                Acl.Verdict verdict = server.acl().check(client.user(), specs.get(i), commands.get(i));
                if (verdict.allowed()) {
                    execute(client, specs.get(i), commands.get(i), reply);
                } else {
                    server.acl().logDenial(client, client, verdict, specs.get(i), commands.get(i), AclLog.Context.MULTI,
                            server.clock().nowMillis());
                    reply.error(Acl.noPermissionAtExec(verdict));
                }
            }
        } finally {
            client.setDenyBlocking(denied);
        }
    }

    /**
     * Finds the command (and its subcommand) and checks the argument count: what depends on the
     * request alone. Returns null after replying with the error (unknown command or
     * subcommand, wrong arity): such a command could never run.
     */
    public CommandSpec resolve(byte[][] argv, Reply reply) {
        CommandSpec spec = table.find(argv[0]);
        if (spec == null) {
            reply.error(unknownCommand(argv));
            return null;
        }
        if (!spec.acceptsArgumentCount(argv.length)) {
            spec.rejectedCalls++;
            reply.error(Errors.wrongArgs(spec.name()));
            return null;
        }
        if (!spec.subcommands().isEmpty() && (argv.length > 1 || spec.handler() == null)) {
            CommandSpec sub = spec.subcommands().get(Args.text(argv[1]).toLowerCase(Locale.ROOT));
            if (sub == null) {
                spec.rejectedCalls++;
                reply.error("ERR unknown subcommand '" + truncate(Args.text(argv[1])) + "'. Try "
                        + spec.name().toUpperCase(Locale.ROOT) + " HELP.");
                return null;
            }
            if (!sub.acceptsArgumentCount(argv.length)) {
                sub.rejectedCalls++;
                reply.error(Errors.wrongArgs(sub.name()));
                return null;
            }
            spec = sub;
        }
        return spec;
    }

    /**
     * The command or subcommand {@code argv} names, or null: Redis's {@code lookupCommand}
     * (an unknown subcommand is an unknown command; a container named alone is itself).
     */
    public CommandSpec lookup(byte[][] argv) {
        CommandSpec spec = table.find(argv[0]);
        if (spec != null && !spec.subcommands().isEmpty() && argv.length > 1) {
            return spec.subcommands().get(Args.text(argv[1]).toLowerCase(Locale.ROOT));
        }
        return spec;
    }

    /**
     * Whether this client may run the command now: authentication, ACL permissions, MONITOR
     * mode, memory, loading, a log that cannot be written. False after replying with the refusal.
     */
    public boolean admit(Client client, CommandSpec spec, byte[][] argv, Reply reply) {
        String refusal = refusal(client, spec, argv);
        if (refusal == null) {
            return true;
        }
        spec.rejectedCalls++;
        if (spec.name().equals("exec") && client.transaction().active()) {
            discard(client); // Redis's execCommandAbort
            reply.error("EXECABORT Transaction discarded because of: " + refusal);
        } else {
            reply.error(refusal);
        }
        return false;
    }

    /**
     * Redis's maxmemory check in processCommand: evicts as the policy allows, and refuses a
     * command that may add data (denyoom, an EXEC queuing one, anything queued in MULTI) when
     * memory stays over the limit.
     */
    private boolean refusedForMemory(Client client, CommandSpec spec) {
        MemoryLimit memory = server.memoryLimit();
        if (!memory.active() || server.loading() || memory.checkBeforeCommand()) {
            return false;
        }
        Transaction tx = client.transaction();
        String name = spec.name();
        if (spec.is(CommandFlag.DENYOOM)) {
            return true;
        }
        if (name.equals("exec")) {
            return tx.active() && tx.specs.stream().anyMatch(s -> s.is(CommandFlag.DENYOOM));
        }
        return tx.active() && !name.equals("discard") && !name.equals("quit") && !name.equals("reset");
    }

    private String refusal(Client client, CommandSpec spec, byte[][] argv) {
        if (!client.authenticated() && !spec.is(CommandFlag.NO_AUTH)) {
            return Errors.NOAUTH;
        }
        Acl.Verdict verdict = server.acl().check(client.user(), spec, argv);
        if (!verdict.allowed()) {
            server.acl().logDenial(client, client, verdict, spec, argv,
                    client.transaction().active() ? AclLog.Context.MULTI : AclLog.Context.TOPLEVEL, server.clock().nowMillis());
            return Acl.noPermission(verdict, spec);
        }
        if (client.monitoring() && spec.touchesKeyspace) {
            return "ERR Replica can't interact with the keyspace";
        }
        if (refusedForMemory(client, spec)) {
            return MemoryLimit.OOM_ERROR;
        }
        if (server.loading() && !spec.is(CommandFlag.LOADING)) {
            return "LOADING Panda is loading the dataset in memory";
        }
        if (spec.is(CommandFlag.WRITE)) {
            String blocked = server.durability().writeBlockedReason();
            if (blocked != null) {
                return "MISCONF Errors writing to the write-ahead log: " + blocked
                        + ". Write commands are refused until the log can be written again.";
            }
        }
        return null;
    }

    /**
     * Runs a resolved and admitted command and counts it (commandstats, slow log, latency
     * monitor, MONITOR feed). Argument errors thrown by the handler become error replies.
     */
    public void execute(Client client, CommandSpec spec, byte[][] argv, Reply reply) {
        long now = server.keyspace().startCommand();
        if (executing == null) {
            client.touched(now, spec.name()); // an EXEC's or a script's commands leave CLIENT LIST's cmd as EXEC or EVAL
        }
        byte[][] outerArgv = client.runningArgv;
        client.runningArgv = argv; // CLIENT LIST's argv-mem sums it only when asked
        long errorsBefore = reply.errorsWritten();
        long start = System.nanoTime();
        KeyspaceNotifications notifications = server.notifications();
        boolean named = notifications.enabled();
        if (named) {
            notifications.enter(spec.name(), argv);
        }
        boolean outermost = executing == null;
        if (outermost) {
            executing = client; // the client of an EXEC or a script, for what its inner commands do
            server.tracking().setCurrent(client);
        }
        try {
            spec.handler().execute(client, argv, reply);
        } catch (Args.Invalid e) {
            reply.error(e.getMessage());
        } finally {
            if (named) {
                notifications.leave();
            }
            server.keyspace().endCommand();
            client.runningArgv = outerArgv;
            if (outermost) {
                executing = null;
                server.tracking().setCurrent(null);
            }
        }
        Tracking tracking = server.tracking();
        if (tracking.trackingClients() > 0) {
            Client caller = outermost ? client : executing;
            if (spec.is(CommandFlag.READONLY) && caller.tracking() != null && !spec.name().endsWith("_ro")) {
                tracking.remember(caller, spec, argv);
            }
            if (outermost && client.tracking() != null && !spec.name().startsWith("client|")) { // as Redis: any CLIENT command keeps it
                client.tracking().caching = false;
            }
        }
        long elapsed = System.nanoTime() - start;
        spec.recordCall(elapsed, reply.errorsWritten() != errorsBefore);
        if (elapsed >= slowLog.thresholdNanos || elapsed >= latencyMonitor.thresholdNanos) {
            slowCommand(client, argv, spec, elapsed);
        }
        if (monitors.count > 0 && spec.shownToMonitors) {
            monitors.feed(client, argv, ArgumentRedaction.mask(spec, argv));
        }
    }

    /**
     * Feeds a script command to MONITOR before it runs, as Redis's evalCommand and fcallCommand
     * do (they skip the usual feed after the command), so the script's own commands follow it.
     */
    public void feedMonitorsFirst(Client client, byte[][] argv) {
        if (monitors.count > 0) {
            monitors.feed(client, argv, 0);
        }
    }

    /** A command over a threshold: into the slow log and the latency monitor, as Redis does after it ran. */
    private void slowCommand(Client client, byte[][] argv, CommandSpec spec, long elapsedNanos) {
        long now = server.clock().nowMillis();
        long micros = elapsedNanos / 1000;
        if (elapsedNanos >= slowLog.thresholdNanos && spec.slowLogged) {
            slowLog.add(client, argv, ArgumentRedaction.mask(spec, argv), micros, now);
        }
        latencyMonitor.sample(spec.fast ? "fast-command" : "command", micros / 1000, now);
    }

    private static String unknownCommand(byte[][] argv) {
        StringBuilder sb = new StringBuilder("ERR unknown command '")
                .append(truncate(new String(argv[0], StandardCharsets.UTF_8)))
                .append("', with args beginning with: ");
        for (int i = 1; i < argv.length && sb.length() < 128 + 64; i++) {
            sb.append('\'').append(truncate(new String(argv[i], StandardCharsets.UTF_8))).append("' ");
        }
        return sb.toString();
    }

    private static String truncate(String s) {
        return s.length() > 128 ? s.substring(0, 128) : s;
    }
}
