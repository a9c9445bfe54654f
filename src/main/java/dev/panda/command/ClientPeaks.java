package dev.panda.command;

import java.util.Collection;

/**
 * INFO client_recent_max_input_buffer and client_recent_max_output_buffer, as Redis's
 * {@code clientsCronTrackExpansiveClients} keeps them: one slot per second for the last
 * {@value #SLOTS} seconds (CLIENTS_PEAK_MEM_USAGE_SLOTS), each holding the largest input and
 * output buffer any client was seen with in that second; INFO reports the largest over all
 * slots. The clients are looked at by the cron (a pass over them, as the memory limit's), so
 * commands pay nothing; a client's input peak between passes is kept by its decoder.
 *
 * <p>Store thread only.
 */
public final class ClientPeaks {
    static final int SLOTS = 8;

    private final long[] input = new long[SLOTS];
    private final long[] output = new long[SLOTS];

    /** The cron's pass at {@code nowMillis} (wall clock, whose second picks the slot). */
    public void cron(Collection<Client> clients, long nowMillis) {
        int slot = beginSecond(nowMillis / 1000);
        for (Client c : clients) {
            record(slot, c.takeInputPeak(), c.bufferedBytes());
        }
    }

    /**
     * Starts a pass in second {@code unixSeconds}: returns its slot, after clearing the next
     * second's so that, once reached, it holds only what that second saw (as Redis, a cron
     * stalled for seconds may leave older figures in skipped slots: they only say "recently").
     */
    int beginSecond(long unixSeconds) {
        int slot = (int) Math.floorMod(unixSeconds, (long) SLOTS);
        int next = (slot + 1) % SLOTS;
        input[next] = 0;
        output[next] = 0;
        return slot;
    }

    void record(int slot, long inputBytes, long outputBytes) {
        input[slot] = Math.max(input[slot], inputBytes);
        output[slot] = Math.max(output[slot], outputBytes);
    }

    public long recentMaxInput() {
        return max(input);
    }

    public long recentMaxOutput() {
        return max(output);
    }

    private static long max(long[] slots) {
        long m = 0;
        for (long v : slots) {
            m = Math.max(m, v);
        }
        return m;
    }
}
