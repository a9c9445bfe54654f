package dev.panda.command;

import dev.panda.config.ServerConfig;
import dev.panda.expiry.ActiveExpiryCycle;
import dev.panda.store.Clock;
import dev.panda.store.Keyspace;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Everything a command may reach beyond its own client: the keyspace, the configuration, the
 * other clients, counters, and the server's life cycle. Store thread only.
 */
public final class ServerContext {
    /** The Redis version Panda answers as, for clients that gate features on it. */
    public static final String REDIS_VERSION = "7.0.15";
    public static final String PANDA_VERSION = ServerContext.class.getPackage().getImplementationVersion() != null
            ? ServerContext.class.getPackage().getImplementationVersion() : "0.1.0";

    private final ServerConfig config;
    private final Keyspace keyspace;
    private final Clock clock;
    private final ActiveExpiryCycle expiryCycle;
    private final ClientRegistry clients = new ClientRegistry();
    private final ServerStats stats = new ServerStats();
    private final SlowLog slowLog;
    private final LatencyMonitor latencyMonitor;
    private final Monitors monitors = new Monitors();
    private final String runId;
    private final long startMillis;
    private CommandTable commands;
    private java.util.function.Consumer<Boolean> shutdown = save -> { };
    private dev.panda.persistence.Persistence persistence;
    private int tcpPort;
    private java.util.function.LongSupplier networkBufferBytes = () -> 0;
    private dev.panda.persistence.Durability durability = dev.panda.persistence.Durability.NONE;
    private volatile boolean loading;

    public ServerContext(ServerConfig config, Keyspace keyspace) {
        this.config = config;
        this.keyspace = keyspace;
        this.clock = keyspace.clock();
        this.expiryCycle = new ActiveExpiryCycle(keyspace);
        byte[] id = new byte[20];
        new SecureRandom().nextBytes(id);
        this.runId = HexFormat.of().formatHex(id);
        this.startMillis = clock.nowMillis();
        this.slowLog = new SlowLog(config);
        this.latencyMonitor = new LatencyMonitor(config);
    }

    public ServerConfig config() {
        return config;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    public Clock clock() {
        return clock;
    }

    public ActiveExpiryCycle expiryCycle() {
        return expiryCycle;
    }

    public ClientRegistry clients() {
        return clients;
    }

    public ServerStats stats() {
        return stats;
    }

    public SlowLog slowLog() {
        return slowLog;
    }

    public LatencyMonitor latencyMonitor() {
        return latencyMonitor;
    }

    /** The clients in MONITOR mode. */
    public Monitors monitors() {
        return monitors;
    }

    public String runId() {
        return runId;
    }

    public long startMillis() {
        return startMillis;
    }

    public CommandTable commands() {
        return commands;
    }

    void setCommands(CommandTable commands) {
        this.commands = commands;
    }

    /**
     * How the server stops when SHUTDOWN is called (set by the network layer); the argument is
     * true for SAVE, false for NOSAVE, null for the default (a final snapshot when save rules
     * are configured).
     */
    public void onShutdown(java.util.function.Consumer<Boolean> shutdown) {
        this.shutdown = shutdown;
    }

    public void shutdown(Boolean save) {
        shutdown.accept(save);
    }

    public dev.panda.persistence.Persistence persistence() {
        return persistence;
    }

    public void setPersistence(dev.panda.persistence.Persistence persistence) {
        this.persistence = persistence;
        this.durability = persistence;
    }

    /** Memory held by the network layer's buffers (received input, unsent replies). */
    public long networkBufferBytes() {
        return networkBufferBytes.getAsLong();
    }

    public void setNetworkBufferBytes(java.util.function.LongSupplier networkBufferBytes) {
        this.networkBufferBytes = networkBufferBytes;
    }

    public dev.panda.persistence.Durability durability() {
        return durability;
    }

    public void setDurability(dev.panda.persistence.Durability durability) {
        this.durability = durability;
    }

    /** True while the dataset is being loaded at start-up: most commands answer -LOADING. */
    public boolean loading() {
        return loading;
    }

    public void setLoading(boolean loading) {
        this.loading = loading;
    }

    public int tcpPort() {
        return tcpPort;
    }

    public void setTcpPort(int tcpPort) {
        this.tcpPort = tcpPort;
    }

}
