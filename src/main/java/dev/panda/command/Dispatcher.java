package dev.panda.command;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Runs one command for a client: finds it, checks authentication and arity, resolves the
 * subcommand, executes it and counts it for INFO commandstats. Argument errors thrown by
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

    public Dispatcher(ServerContext server) {
        this.server = server;
        this.table = server.commands();
        this.slowLog = server.slowLog();
        this.latencyMonitor = server.latencyMonitor();
        this.monitors = server.monitors();
    }

    /** Runs the command; returns the command (or subcommand) that ran, or null if it was refused. */
    public CommandSpec dispatch(Client client, byte[][] argv, Reply reply) {
        ServerStats stats = server.stats();
        stats.commandsProcessed++;
        CommandSpec spec = table.find(argv[0]);
        if (spec == null) {
            reply.error(unknownCommand(argv));
            return null;
        }
        if (!client.authenticated() && !spec.hasFlag("no_auth")) {
            spec.rejectedCalls++;
            reply.error(Errors.NOAUTH);
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
        if (client.monitoring() && (spec.hasFlag("write") || spec.hasFlag("readonly") || spec.hasFlag("may_replicate"))) {
            spec.rejectedCalls++;
            reply.error("ERR Replica can't interact with the keyspace");
            return null;
        }
        if (server.loading() && !spec.hasFlag("loading")) {
            spec.rejectedCalls++;
            reply.error("LOADING Panda is loading the dataset in memory");
            return null;
        }
        if (spec.hasFlag("write")) {
            String blocked = server.durability().writeBlockedReason();
            if (blocked != null) {
                spec.rejectedCalls++;
                reply.error("MISCONF Errors writing to the write-ahead log: " + blocked
                        + ". Write commands are refused until the log can be written again.");
                return null;
            }
        }
        client.touched(server.keyspace().startCommand(), spec.name());
        long errorsBefore = reply.errorsWritten();
        long start = System.nanoTime();
        try {
            spec.handler().execute(client, argv, reply);
        } catch (Args.Invalid e) {
            reply.error(e.getMessage());
        } finally {
            server.keyspace().endCommand();
        }
        long elapsed = System.nanoTime() - start;
        spec.recordCall(elapsed, reply.errorsWritten() != errorsBefore);
        if (elapsed >= slowLog.thresholdNanos || elapsed >= latencyMonitor.thresholdNanos) {
            slowCommand(client, argv, spec, elapsed);
        }
        if (monitors.count > 0 && spec.shownToMonitors) {
            monitors.feed(client, argv, ArgumentRedaction.mask(spec, argv));
        }
        return spec;
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
