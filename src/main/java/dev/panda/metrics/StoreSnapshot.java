package dev.panda.metrics;

import dev.panda.command.CommandSpec;
import dev.panda.command.ServerContext;
import dev.panda.command.ServerStats;
import dev.panda.persistence.PersistenceMetrics;
import dev.panda.store.Keyspace;
import dev.panda.store.KeyspaceStats;
import java.util.ArrayList;
import java.util.List;

/**
 * A copy of the counters the store thread owns (commands, clients, keyspace, slow log, log and
 * snapshots), taken on the store thread in one go so the metrics thread reads consistent values
 * without any shared mutable state. Taking it costs the store thread a few microseconds per
 * scrape; the command path itself never does anything for metrics beyond its plain counters.
 *
 * <p>Built on the store thread by {@link #take}; immutable afterwards, read by the metrics thread.
 *
 * @param databaseKeys     keys per database (empty while loading: the loader owns the keyspace)
 * @param databaseExpiring keys with a deadline per database
 * @param persistence      the log's and snapshots' numbers (null while loading)
 */
record StoreSnapshot(long takenAtMillis, boolean loading, List<CommandStats> commands, int connectedClients,
                     int monitorClients, long connectionsReceived, long connectionsRejected, long monitorsDisconnected,
                     long errorReplies, long netInputBytes, long netOutputBytes, long[] databaseKeys,
                     long[] databaseExpiring, long expiredKeys, long evictedKeys, long usedMemory, long maxMemory,
                     long keyspaceHits, long keyspaceMisses, int slowlogLength,
                     long slowlogLogged, PersistenceMetrics persistence) {

    /** One command's (or subcommand's) counters and latency bucket counts. */
    record CommandStats(String name, long calls, long nanos, long failed, long rejected, long[] latencyCounts) { }

    /** Store thread only. */
    static StoreSnapshot take(ServerContext server) {
        List<CommandStats> commands = new ArrayList<>();
        for (CommandSpec spec : server.commands().all()) {
            add(commands, spec);
            spec.subcommands().values().forEach(sub -> add(commands, sub));
        }
        boolean loading = server.loading();
        Keyspace ks = server.keyspace();
        long[] keys = new long[loading ? 0 : ks.databaseCount()];
        long[] expiring = new long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ks.db(i).size();
            expiring[i] = ks.db(i).expiresSize();
        }
        ServerStats s = server.stats();
        KeyspaceStats k = ks.stats();
        return new StoreSnapshot(server.clock().nowMillis(), loading, commands, server.clients().size(),
                server.monitors().size(), s.connectionsReceived, s.rejectedConnections, s.monitorsDisconnected,
                s.errorReplies, s.netInputBytes, s.netOutputBytes, keys, expiring, k.expiredKeys, k.evictedKeys,
                loading ? 0 : server.memoryLimit().used(), server.memoryLimit().maxmemory(), k.hits, k.misses,
                server.slowLog().length(), server.slowLog().totalLogged(),
                loading || server.persistence() == null ? null : server.persistence().metrics());
    }

    private static void add(List<CommandStats> out, CommandSpec spec) {
        if (spec.calls() > 0 || spec.rejectedCalls() > 0) {
            out.add(new CommandStats(spec.name(), spec.calls(), spec.nanos(), spec.failedCalls(), spec.rejectedCalls(),
                    spec.latencyCounts()));
        }
    }
}
