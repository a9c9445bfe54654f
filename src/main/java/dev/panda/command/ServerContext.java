package dev.panda.command;

import dev.panda.config.ServerConfig;
import dev.panda.expiry.ActiveExpiryCycle;
import dev.panda.store.Clock;
import dev.panda.store.Keyspace;
import dev.panda.persistence.Durability;
import dev.panda.persistence.Persistence;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

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
    private final ClientPeaks clientPeaks = new ClientPeaks();
    private final Monitors monitors = new Monitors();
    private final Blocking blocking = new Blocking(this);
    private final Watches watches = new Watches();
    private final ClientPause clientPause = new ClientPause();
    private final PubSub pubsub = new PubSub();
    private final KeyspaceNotifications notifications;
    private final Tracking tracking = new Tracking(clients);
    private final dev.panda.command.script.ScriptEngine scripts = new dev.panda.command.script.ScriptEngine(this);
    private final String runId;
    /** INFO replication's master_replid: the run id at start, a fresh one after DEBUG CHANGE-REPL-ID (store thread). */
    private String replId;
    private final long startMillis;
    private final CommandTable commands;
    private final Persistence persistence;
    private final Consumer<Boolean> shutdown;
    private final LongSupplier networkBufferBytes;
    private final MemoryLimit memoryLimit;
    private final dev.panda.command.acl.Acl acl;
    private volatile boolean loading;
    private int tcpPort;
    private String multiplexingApi = "epoll";

    /**
     * @param shutdown           how the server stops when SHUTDOWN is called; the argument is
     *                           true for SAVE, false for NOSAVE, null for the default (a final
     *                           snapshot when save rules are configured)
     * @param networkBufferBytes memory held by the network layer's buffers
     */
    public ServerContext(ServerConfig config, Keyspace keyspace, Persistence persistence, CommandTable commands,
                         Consumer<Boolean> shutdown, LongSupplier networkBufferBytes) {
        this.config = config;
        this.keyspace = keyspace;
        this.clock = keyspace.clock();
        this.persistence = persistence;
        this.commands = commands;
        this.shutdown = shutdown;
        this.networkBufferBytes = networkBufferBytes;
        this.acl = configureAcl(config, commands);
        this.latencyMonitor = new LatencyMonitor(config, clock);
        this.expiryCycle = new ActiveExpiryCycle(keyspace, latencyMonitor::addSampleIfNeeded);
        this.memoryLimit = new MemoryLimit(config, keyspace, stats, this::loading, latencyMonitor);
        byte[] id = new byte[20];
        new SecureRandom().nextBytes(id);
        this.runId = HexFormat.of().formatHex(id);
        this.replId = runId;
        this.startMillis = clock.nowMillis();
        this.slowLog = new SlowLog(config);
        this.notifications = new KeyspaceNotifications(this, pubsub, keyspace);
        keyspace.addObserver(blocking);
        keyspace.addObserver(watches);
        keyspace.addObserver(tracking);
        notifications.configure(config.get("notify-keyspace-events"));
        config.onChange("notify-keyspace-events", notifications::configure);
    }

    /**
     * The ACL as configured: requirepass is the default user's password, then "user" lines or
     * the aclfile define users (Redis's order). A bad rule or file stops start-up.
     */
    private dev.panda.command.acl.Acl configureAcl(ServerConfig config, CommandTable commands) {
        dev.panda.command.acl.Acl acl = new dev.panda.command.acl.Acl(commands, clients);
        acl.setPubsubDefault(config.get("acl-pubsub-default"));
        config.onChange("acl-pubsub-default", acl::setPubsubDefault);
        acl.setLogMaxLength(config.getInt("acllog-max-len"));
        config.onChange("acllog-max-len", v -> acl.setLogMaxLength((int) Math.min(Integer.MAX_VALUE, Long.parseLong(v))));
        acl.updateDefaultPassword(config.get("requirepass"));
        config.onChange("requirepass", acl::updateDefaultPassword);
        String file = config.get("aclfile");
        acl.setAclFile(file);
        if (!file.isEmpty() && !config.users().isEmpty()) {
            throw new IllegalArgumentException("Configuring Redis with users defined in redis.conf and at the same "
                    + "setting an ACL file path is invalid. This setup is very likely to lead to configuration errors "
                    + "and security holes, please define either an ACL file or declare users directly in your "
                    + "redis.conf, but not both.");
        }
        acl.loadConfiguredUsers(config.users());
        if (!file.isEmpty()) {
            String errors = acl.loadFile();
            if (errors != null) {
                throw new IllegalArgumentException("Aborting Redis startup because of ACL errors: " + errors);
            }
        } else {
            config.setUserLines(acl::list);
        }
        return acl;
    }

    /** Access control lists: users, permissions, the ACL log. */
    public dev.panda.command.acl.Acl acl() {
        return acl;
    }

    private Dispatcher dispatcher;

    /** The dispatcher, for the commands that run others (EXEC). */
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public void setDispatcher(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** Pub/Sub subscriptions. */
    public PubSub pubsub() {
        return pubsub;
    }

    /** Keys clients WATCH. */
    /** Lua scripting: EVAL's script cache and the running script. */
    public dev.panda.command.script.ScriptEngine scripts() {
        return scripts;
    }

    /** Client-side caching (CLIENT TRACKING). */
    public Tracking tracking() {
        return tracking;
    }

    /** Keyspace notifications (notify-keyspace-events). */
    public KeyspaceNotifications notifications() {
        return notifications;
    }

    /** CLIENT PAUSE's state and the clients it holds. */
    public ClientPause clientPause() {
        return clientPause;
    }

    public Watches watches() {
        return watches;
    }

    /** Clients blocked on keys. */
    public Blocking blocking() {
        return blocking;
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

    /** maxmemory and eviction. */
    public MemoryLimit memoryLimit() {
        return memoryLimit;
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

    /**
     * Store thread, once the data is loaded (the loader must never reach the monitor): the
     * latency events outside commands that the store and persistence time start reaching the
     * monitor: the log's and snapshots' events, and {@code expire-del} while the monitor is on.
     */
    public void startLatencyEvents() {
        persistence.reportLatencyTo(latencyMonitor::addSampleIfNeeded);
        timeExpiredDeletes();
        config.onChange("latency-monitor-threshold", v -> timeExpiredDeletes());
    }

    private void timeExpiredDeletes() {
        keyspace.timeExpiredDeletes(latencyMonitor.thresholdMillis() == 0 ? null
                : nanos -> latencyMonitor.addSampleIfNeeded("expire-del", nanos / 1_000_000));
    }

    /** The clients' recent largest buffers (INFO clients), fed by the cron. */
    public ClientPeaks clientPeaks() {
        return clientPeaks;
    }

    /** The clients in MONITOR mode. */
    public Monitors monitors() {
        return monitors;
    }

    public String runId() {
        return runId;
    }

    public String replId() {
        return replId;
    }

    /** DEBUG CHANGE-REPL-ID: a new random replication id, as Redis's changeReplicationId. */
    public void changeReplId() {
        byte[] id = new byte[20];
        new SecureRandom().nextBytes(id);
        replId = HexFormat.of().formatHex(id);
    }

    public long startMillis() {
        return startMillis;
    }

    public CommandTable commands() {
        return commands;
    }

    public void shutdown(Boolean save) {
        shutdown.accept(save);
    }

    public Persistence persistence() {
        return persistence;
    }

    /** Memory held by the network layer's buffers (received input, unsent replies). */
    public long networkBufferBytes() {
        return networkBufferBytes.getAsLong();
    }

    /** What write commands and reply release consult: the write-ahead log's state. */
    public Durability durability() {
        return persistence;
    }

    /** True while the dataset is being loaded at start-up: most commands answer -LOADING. */
    public boolean loading() {
        return loading;
    }

    public void setLoading(boolean loading) {
        this.loading = loading;
    }

    /** INFO's multiplexing_api: the event loop's transport. */
    public String multiplexingApi() {
        return multiplexingApi;
    }

    public void setMultiplexingApi(String api) {
        this.multiplexingApi = api;
    }

    public int tcpPort() {
        return tcpPort;
    }

    public void setTcpPort(int tcpPort) {
        this.tcpPort = tcpPort;
    }

}
