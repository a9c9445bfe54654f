package dev.panda.command;

import java.util.Map;
import java.util.TreeMap;

/**
 * Server-wide counters for INFO stats: connections, commands, network bytes and I/O events,
 * error replies by code (INFO errorstats), and the instantaneous rates Redis samples every
 * 100 ms over its last 16 samples. Store thread only.
 */
public final class ServerStats {
    /** At most this many error codes are counted apart, as Redis's ERRORSTATS_LIMIT. */
    private static final int ERROR_CODES_LIMIT = 128;
    private static final int SAMPLES = 16;

    public long connectionsReceived;
    public long rejectedConnections;
    public long commandsProcessed;
    public long errorReplies;
    public long netInputBytes;
    public long netOutputBytes;
    /** Network reads and writes the event loop made for clients (INFO total_reads/writes_processed). */
    public long readsProcessed;
    public long writesProcessed;
    /** MONITOR clients closed because they did not read their feed. */
    public long monitorsDisconnected;
    /** Clients closed because all clients' buffers went over maxmemory-clients (INFO evicted_clients). */
    public long evictedClients;
    /**
     * Clients closed for passing their client-output-buffer-limit (INFO stats under Redis 7.2's
     * name, client_output_buffer_limit_disconnections: 7.0 only logs them).
     */
    public long outputBufferLimitDisconnections;
    private final Map<String, Long> errorCodes = new TreeMap<>();

    /** Per-second rates: ops, input bytes, output bytes, each over the last 16 samples. */
    private final long[][] rateSamples = new long[3][SAMPLES];
    private final long[] lastCounts = new long[3];
    private long lastSampleMillis;
    private int sampleIndex;

    /**
     * Counts an error reply under its code, the text before the first space (within its first
     * 32 characters; "ERR" without one), as Redis's afterErrorReply.
     */
    public void countError(String message) {
        errorReplies++;
        int space = message.indexOf(' ');
        String code = space > 0 && space < 32 ? message.substring(0, space) : "ERR";
        if (!errorCodes.containsKey(code) && errorCodes.size() >= ERROR_CODES_LIMIT) {
            code = "ERRORSTATS_OVERFLOW";
        }
        errorCodes.merge(code, 1L, Long::sum);
    }

    /** Error counts by code, in code order (INFO errorstats). */
    public Map<String, Long> errorCodes() {
        return errorCodes;
    }

    /** Takes a sample of the rates; called by the cron, which runs every 100 ms at the default hz. */
    public void sample(long nowMillis) {
        long[] counts = {commandsProcessed, netInputBytes, netOutputBytes};
        long elapsed = nowMillis - lastSampleMillis;
        if (lastSampleMillis != 0 && elapsed > 0) {
            for (int m = 0; m < 3; m++) {
                rateSamples[m][sampleIndex] = (counts[m] - lastCounts[m]) * 1000 / elapsed;
            }
            sampleIndex = (sampleIndex + 1) % SAMPLES;
        }
        System.arraycopy(counts, 0, lastCounts, 0, 3);
        lastSampleMillis = nowMillis;
    }

    private long rate(int metric) {
        long sum = 0;
        for (long v : rateSamples[metric]) {
            sum += v;
        }
        return sum / SAMPLES;
    }

    public long instantaneousOpsPerSecond() {
        return rate(0);
    }

    public double instantaneousInputKbps() {
        return rate(1) / 1024.0;
    }

    public double instantaneousOutputKbps() {
        return rate(2) / 1024.0;
    }

    public void reset() {
        connectionsReceived = 0;
        rejectedConnections = 0;
        commandsProcessed = 0;
        errorReplies = 0;
        netInputBytes = 0;
        netOutputBytes = 0;
        readsProcessed = 0;
        writesProcessed = 0;
        monitorsDisconnected = 0;
        evictedClients = 0;
        outputBufferLimitDisconnections = 0;
        errorCodes.clear();
    }
}
