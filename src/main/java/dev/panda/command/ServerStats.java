package dev.panda.command;

/**
 * Server-wide counters for INFO stats: connections, commands, network bytes. Store thread only.
 */
public final class ServerStats {
    public long connectionsReceived;
    public long rejectedConnections;
    public long commandsProcessed;
    public long errorReplies;
    public long netInputBytes;
    public long netOutputBytes;
    /** MONITOR clients closed because they did not read their feed. */
    public long monitorsDisconnected;
    /** Clients closed because all clients' buffers went over maxmemory-clients (INFO evicted_clients). */
    public long evictedClients;
    /**
     * Clients closed for passing their client-output-buffer-limit (INFO stats under Redis 7.2's
     * name, client_output_buffer_limit_disconnections: 7.0 only logs them).
     */
    public long outputBufferLimitDisconnections;

    public void reset() {
        connectionsReceived = 0;
        rejectedConnections = 0;
        commandsProcessed = 0;
        errorReplies = 0;
        netInputBytes = 0;
        netOutputBytes = 0;
        monitorsDisconnected = 0;
        evictedClients = 0;
        outputBufferLimitDisconnections = 0;
    }
}
