package dev.panda.command;

/**
 * The server-side state of one client connection that commands read and change: selected
 * database, protocol version, name, authentication, reply mode. The network layer supplies a
 * {@link Connection} to act on the socket. Store thread only.
 */
public final class Client {
    /** What commands may ask of the connection behind a client. */
    public interface Connection {
        /** Flushes pending replies, then closes the connection. */
        void close();

        void setProtocol(int protocol);

        String remoteAddress();

        String localAddress();

        /**
         * Queues bytes outside any reply (MONITOR's feed), sent after the replies already
         * pending. Never blocks: a connection whose unsent output grows past its limit is closed.
         */
        void feed(byte[] bytes);

        /** Runs {@code task} on the store thread after {@code delayMillis}; the returned action cancels it. */
        Runnable schedule(Runnable task, long delayMillis);

        /** The client just blocked (BLPOP…): it stops reading until it is served. */
        void blocked();

        /**
         * Runs {@code work} with this connection's reply writer (a blocked client being served,
         * timed out or unblocked); when it returns true the client is unblocked: its reply goes
         * out after the log commit and commands it sent meanwhile run.
         */
        void resume(java.util.function.Predicate<dev.panda.protocol.Reply> work);

        /** Bytes of output waiting to be sent on this connection (used_memory counts them). */
        default long bufferedBytes() {
            return 0;
        }

        /** Received bytes not yet read as commands, and the query buffer's free room (CLIENT LIST). */
        default long queryBufferBytes() {
            return 0;
        }

        default long queryBufferFree() {
            return 0;
        }

        /** The most input held since the last call, which starts the next period (INFO client_recent_max_input_buffer). */
        default long takeQueryBufferPeak() {
            return 0;
        }

        /** The capacity of the buffer replies are written into before they are sent (CLIENT LIST rbs). */
        default long replyBufferSize() {
            return 0;
        }

        /** Holds {@code command} to run again, first, when the client pause ends; stops reading. */
        default void postpone(Object command) {
        }

        /** The client pause ended: runs the held commands and reads again. */
        default void resumePostponed() {
        }

        /** Whether output waits for the socket to take it (CLIENT LIST events "w"). */
        default boolean writePending() {
            return false;
        }
    }

    /** This client's buffered output. */
    public long bufferedBytes() {
        return connection.bufferedBytes();
    }

    /**
     * For INFO client_recent_max_input_buffer, from the cron's pass over the clients: the most
     * input this client held since the previous pass, at least its query buffer now (allocated
     * room included, as Redis counts its querybuf's allocation).
     */
    public long takeInputPeak() {
        return Math.max(connection.takeQueryBufferPeak(), connection.queryBufferBytes() + connection.queryBufferFree());
    }

    /** CLIENT REPLY modes. */
    public enum ReplyMode { ON, OFF, SKIP, SKIP_NEXT }

    private final long id;
    private final Connection connection;
    private final long createdAtMillis;
    private final ServerContext server;
    private int db;
    private int protocol = 2;
    private String name = "";
    private String libName = "";
    private String libVersion = "";
    private boolean authenticated;
    private dev.panda.command.acl.AclUser user;
    private boolean noEvict;
    private boolean noTouch;
    private ReplyMode replyMode = ReplyMode.ON;
    private long lastInteractionMillis;
    String lastCommand = "NULL";
    /** The arguments of the command running now, or null (CLIENT LIST argv-mem). */
    byte[][] runningArgv;
    private boolean closing;
    private boolean monitoring;
    private boolean postponed;
    private Blocking.State blockState;
    private final Transaction transaction = new Transaction();
    private final PubSub.Subscriptions subscriptions = new PubSub.Subscriptions();
    private boolean denyBlocking;
    private boolean script;
    private Tracking.State tracking;

    public Client(long id, Connection connection, ServerContext server) {
        this.id = id;
        this.connection = connection;
        this.server = server;
        this.createdAtMillis = server.clock().nowMillis();
        this.lastInteractionMillis = createdAtMillis;
        this.user = server.acl().defaultUser();
        this.authenticated = user.needsNoPassword();
    }

    public long id() {
        return id;
    }

    /** The client's Pub/Sub subscriptions. */
    public PubSub.Subscriptions subscriptions() {
        return subscriptions;
    }

    /** The client's MULTI state and watched keys. */
    public Transaction transaction() {
        return transaction;
    }

    /** What the client is blocked on, or null. */
    Blocking.State blockState() {
        return blockState;
    }

    void setBlockState(Blocking.State state) {
        this.blockState = state;
    }

    public boolean blocked() {
        return blockState != null;
    }

    /** CLIENT TRACKING's settings, or null while tracking is off. */
    public Tracking.State tracking() {
        return tracking;
    }

    void setTracking(Tracking.State state) {
        this.tracking = state;
    }

    /** Whether this is the client scripts run their commands as (SORT sorts sets for it, as Redis). */
    public boolean isScript() {
        return script;
    }

    public void setScript(boolean script) {
        this.script = script;
    }

    /** Whether blocking commands must answer at once (inside MULTI or a script). */
    public boolean denyBlocking() {
        return denyBlocking;
    }

    public void setDenyBlocking(boolean deny) {
        this.denyBlocking = deny;
    }

    public ServerContext server() {
        return server;
    }

    public Connection connection() {
        return connection;
    }

    public int db() {
        return db;
    }

    public void select(int db) {
        this.db = db;
    }

    public int protocol() {
        return protocol;
    }

    public void setProtocol(int protocol) {
        this.protocol = protocol;
        connection.setProtocol(protocol);
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String libName() {
        return libName;
    }

    public void setLibName(String libName) {
        this.libName = libName;
    }

    public String libVersion() {
        return libVersion;
    }

    public void setLibVersion(String libVersion) {
        this.libVersion = libVersion;
    }

    /** Authenticated by AUTH or HELLO, or needing no password (the default user with nopass, as Redis's authRequired). */
    public boolean authenticated() {
        return authenticated || !server.acl().authRequired();
    }

    /** The ACL user this client runs commands as. */
    public dev.panda.command.acl.AclUser user() {
        return user;
    }

    public void setUser(dev.panda.command.acl.AclUser user) {
        this.user = user;
    }

    public void setAuthenticated(boolean authenticated) {
        this.authenticated = authenticated;
    }

    public boolean noEvict() {
        return noEvict;
    }

    public void setNoEvict(boolean noEvict) {
        this.noEvict = noEvict;
    }

    public boolean noTouch() {
        return noTouch;
    }

    public void setNoTouch(boolean noTouch) {
        this.noTouch = noTouch;
    }

    public ReplyMode replyMode() {
        return replyMode;
    }

    public void setReplyMode(ReplyMode replyMode) {
        this.replyMode = replyMode;
    }

    public long createdAtMillis() {
        return createdAtMillis;
    }

    public long lastInteractionMillis() {
        return lastInteractionMillis;
    }

    public String lastCommand() {
        return lastCommand;
    }

    void touched(long now, String command) {
        lastInteractionMillis = now;
        lastCommand = command;
    }

    /** Asks the connection to close once the current replies are written (QUIT, CLIENT KILL). */
    public void close() {
        closing = true;
        connection.close();
    }

    public boolean closing() {
        return closing;
    }

    /** Waiting for a CLIENT PAUSE to end ({@link ClientPause}). */
    public boolean postponed() {
        return postponed;
    }

    void setPostponed(boolean postponed) {
        this.postponed = postponed;
    }

    /** True once the client ran MONITOR (it then gets the feed, and may not touch the keyspace). */
    public boolean monitoring() {
        return monitoring;
    }

    public void startMonitoring() {
        monitoring = true;
    }

    /** Puts the client back in its just-connected state (RESET). */
    public void reset() {
        db = 0;
        setProtocol(2);
        name = "";
        noEvict = false;
        noTouch = false;
        replyMode = ReplyMode.ON;
        user = server.acl().defaultUser();
        authenticated = user.needsNoPassword();
        server.tracking().disable(this);
    }

    /** One line of CLIENT LIST / CLIENT INFO: Redis 7.0's fields in its order, with this client's values. */
    public String describe(long now) {
        StringBuilder flags = new StringBuilder();
        if (monitoring) {
            flags.append('O');
        }
        if (subscriptions.any()) {
            flags.append('P');
        }
        if (transaction.active()) {
            flags.append('x');
        }
        if (blockState != null || postponed) {
            flags.append('b');
        }
        if (tracking != null) {
            flags.append('t');
            if (tracking.brokenRedirect()) {
                flags.append('R');
            }
            if (tracking.bcast()) {
                flags.append('B');
            }
        }
        if (transaction.watchTouched) {
            flags.append('d');
        }
        if (closing) {
            flags.append('c');
        }
        if (noEvict) {
            flags.append('e');
        }
        if (noTouch) {
            flags.append('T');
        }
        long multiMem = 0;
        for (byte[][] queued : transaction.commands) {
            for (byte[] a : queued) {
                multiMem += a.length;
            }
        }
        long qbuf = connection.queryBufferBytes();
        long qbufFree = connection.queryBufferFree();
        long rbs = connection.replyBufferSize();
        long omem = connection.bufferedBytes();
        long argvBytes = 0;
        if (runningArgv != null) {
            for (byte[] a : runningArgv) {
                argvBytes += a.length;
            }
        }
        return "id=" + id
                + " addr=" + connection.remoteAddress()
                + " laddr=" + connection.localAddress()
                + " fd=" + (8 + id)
                + " name=" + name
                + " age=" + (now - createdAtMillis) / 1000
                + " idle=" + (now - lastInteractionMillis) / 1000
                + " flags=" + (flags.isEmpty() ? "N" : flags)
                + " db=" + db
                + " sub=" + subscriptions.channels().size()
                + " psub=" + subscriptions.patterns().size()
                + " ssub=" + subscriptions.shardChannels().size()
                + " multi=" + (transaction.active() ? transaction.specs.size() : -1)
                + " qbuf=" + qbuf
                + " qbuf-free=" + qbufFree
                + " argv-mem=" + argvBytes
                + " multi-mem=" + multiMem
                + " rbs=" + rbs
                + " rbp=" + rbs
                + " obl=0 oll=0"
                + " omem=" + omem
                + " tot-mem=" + (qbuf + qbufFree + argvBytes + multiMem + omem)
                + " events=" + (connection.writePending() ? "rw" : "r")
                + " cmd=" + lastCommand
                + " user=" + user.name()
                + " redir=" + (tracking != null ? tracking.redirect() : -1)
                + " resp=" + protocol;
    }
}
