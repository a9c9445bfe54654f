package dev.panda.command;

import dev.panda.config.ServerConfig;
import dev.panda.store.Evictor;
import dev.panda.store.Keyspace;

/**
 * {@code maxmemory} as Redis's {@code performEvictions} applies it: before each command, while
 * the memory in use is over the limit, keys are evicted by the policy, for at most the time
 * {@code maxmemory-eviction-tenacity} allows (the cron carries on from there). The command is
 * refused with {@link #OOM_ERROR} only when nothing more can be evicted and it would add data.
 * Each eviction run is the {@code eviction-cycle} latency event, each key's deletion in it
 * {@code eviction-del}.
 *
 * <p>Memory in use is what the dataset holds on the heap ({@link Keyspace#datasetBytes}, kept
 * as entries change) plus the clients' buffers, refreshed by the cron. Store thread.
 */
public final class MemoryLimit {
    public static final String OOM_ERROR = "OOM command not allowed when used memory > 'maxmemory'.";

    private final Keyspace keyspace;
    private final ServerStats stats;
    private final ServerConfig config;
    /** True while the loader thread owns the keyspace: nothing here may touch it then. */
    private final java.util.function.BooleanSupplier loading;
    private final Evictor evictor;
    /** Gets the {@code eviction-cycle} and {@code eviction-del} events, as Redis's performEvictions records them. */
    private final LatencyMonitor latency;
    private long maxmemory;
    private int tenacity = 10;
    private long clientBytes;
    private long peak;
    private final HeapGuard heap = new HeapGuard();

    /** Whether the last check before a command found memory full (Redis's pre_command_oom_state). */
    private boolean oomAtCommandStart;

    MemoryLimit(ServerConfig config, Keyspace keyspace, ServerStats stats, java.util.function.BooleanSupplier loading,
                LatencyMonitor latency) {
        this.keyspace = keyspace;
        this.latency = latency;
        this.loading = loading;
        this.stats = stats;
        this.config = config;
        this.evictor = new Evictor(keyspace);
        apply(config);
        for (String name : new String[] {"maxmemory", "maxmemory-policy", "maxmemory-samples",
                "maxmemory-eviction-tenacity", "lfu-log-factor", "lfu-decay-time"}) {
            config.onChange(name, v -> apply(config));
        }
    }

    private void apply(ServerConfig config) {
        maxmemory = config.getLong("maxmemory");
        Evictor.Policy policy = Evictor.Policy.parse(config.get("maxmemory-policy"));
        if (policy != evictor.policy()) {
            evictor.setPolicy(policy);
        }
        evictor.setSamples(config.getInt("maxmemory-samples"));
        tenacity = config.getInt("maxmemory-eviction-tenacity");
        keyspace.access().setLogFactor(config.getInt("lfu-log-factor"));
        keyspace.access().setDecayMinutes(config.getInt("lfu-decay-time"));
    }

    public long maxmemory() {
        return maxmemory;
    }

    public Evictor.Policy policy() {
        return evictor.policy();
    }

    /** Memory in use as maxmemory counts it (INFO used_memory). */
    public long used() {
        if (loading.getAsBoolean()) {
            return peak; // the loader owns the keyspace: INFO during loading shows the peak so far
        }
        long used = keyspace.datasetBytes() + clientBytes;
        if (used > peak) {
            peak = used;
        }
        return used;
    }

    /** The highest {@link #used} seen (INFO used_memory_peak). */
    public long peak() {
        return peak;
    }

    /**
     * What used_memory holds beside the data (INFO used_memory_overhead, MEMORY STATS
     * overhead.total): the clients' buffers, and the key tables and deadline indexes themselves.
     */
    public long overhead() {
        long bytes = clientBytes;
        for (int i = 0; i < keyspace.databaseCount(); i++) {
            bytes += keyspace.db(i).tableOverheadBytes() + keyspace.db(i).expiresOverheadBytes();
        }
        return bytes;
    }

    /** The clients' buffers, as last measured by the cron. */
    public long clientBytes() {
        return clientBytes;
    }

    /**
     * The cron's part (store thread, hz times a second): measures the clients' buffers and goes on
     * evicting when a command's time limit left memory over the limit.
     */
    public void cron(ClientRegistry clients) {
        long bytes = 0;
        for (Client c : clients.all()) {
            bytes += c.bufferedBytes();
        }
        clientBytes = bytes;
        long clientLimit = clientLimit();
        if (clientLimit > 0 && bytes > clientLimit) {
            bytes -= evictClients(clients, bytes - clientLimit);
            clientBytes = bytes;
        }
        if (maxmemory != 0 && evictor.policy() != Evictor.Policy.NOEVICTION) {
            makeRoom();
        }
    }

    /** maxmemory-clients in bytes (a percentage is of maxmemory); 0 for none. */
    private long clientLimit() {
        String v = config.get("maxmemory-clients");
        if (v.endsWith("%")) {
            return maxmemory * Long.parseLong(v.substring(0, v.length() - 1)) / 100;
        }
        return Long.parseLong(v);
    }

    /**
     * Redis's client eviction: closes the clients holding the most buffered output (never those
     * with CLIENT NO-EVICT) until {@code excess} bytes are released; returns the bytes released.
     */
    private long evictClients(ClientRegistry clients, long excess) {
        java.util.List<Client> candidates = new java.util.ArrayList<>();
        for (Client c : clients.all()) {
            if (!c.noEvict() && c.bufferedBytes() > 0) {
                candidates.add(c);
            }
        }
        candidates.sort(java.util.Comparator.comparingLong(Client::bufferedBytes).reversed());
        long released = 0;
        for (Client c : candidates) {
            if (released >= excess) {
                break;
            }
            released += c.bufferedBytes();
            stats.evictedClients++;
            c.close();
        }
        return released;
    }

    /** Redis's evictionTimeLimitUs, in nanoseconds (Long.MAX_VALUE: no limit). */
    private long timeLimitNanos() {
        if (tenacity <= 10) {
            return 50_000L * tenacity;
        }
        if (tenacity < 100) {
            return (long) (500_000.0 * Math.pow(1.15, tenacity - 10.0));
        }
        return Long.MAX_VALUE;
    }

    /**
     * Evicts until memory is under the limit or the time limit runs out. Returns false (out of
     * memory) when still over the limit and nothing more can be evicted; true otherwise, also
     * when time ran out with keys left to evict (the cron goes on, as Redis's eviction timer).
     */
    public boolean makeRoom() {
        if (maxmemory == 0 || loading.getAsBoolean()) {
            return true;
        }
        long used = used();
        if (used <= maxmemory) {
            return true;
        }
        if (evictor.policy() == Evictor.Policy.NOEVICTION) {
            return false; // nothing may go; Redis records no eviction-cycle then either
        }
        long limit = timeLimitNanos();
        long start = System.nanoTime();
        boolean timed = latency.thresholdMillis() > 0;
        evictor.timeDeletes(timed);
        int evicted = 0;
        boolean ok = true;
        while (used > maxmemory) {
            if (!evictor.evictOne()) {
                ok = false;
                break;
            }
            if (timed) {
                latency.addSampleIfNeeded("eviction-del", evictor.lastDeleteNanos() / 1_000_000);
            }
            evicted++;
            used = used();
            if ((evicted & 15) == 0 && System.nanoTime() - start > limit) {
                break;
            }
        }
        latency.addSampleIfNeeded("eviction-cycle", (System.nanoTime() - start) / 1_000_000);
        return ok;
    }

    /** Checks memory before a command runs: false when a command that adds data must be refused. */
    boolean checkBeforeCommand() {
        oomAtCommandStart = !makeRoom() || heap.critical();
        return !oomAtCommandStart;
    }

    /** Whether the check before commands has anything to do: a limit, or a heap nearly full. */
    boolean active() {
        return maxmemory != 0 || heap.critical();
    }

    /** Whether memory was full when the running command started (scripts check it at their first write). */
    public boolean oomAtCommandStart() {
        return oomAtCommandStart && active();
    }
}
