package dev.panda.server;

/**
 * {@code client-output-buffer-limit} as Redis applies it ({@code checkClientOutputBufferLimits}):
 * per client class a hard limit on unsent output, which closes the connection at once, and a soft
 * limit that closes it once output has stayed above it for the given seconds. Limits of 0 are
 * off. The values change with CONFIG SET; connections read them when they write. Store thread.
 */
final class OutputBufferLimits {
    /** The classes Redis distinguishes; Panda has no replicas yet, so "slave" only is stored. */
    enum ClientClass { NORMAL, SLAVE, PUBSUB }

    /** Per-connection memory of when its output first went over the soft limit. */
    static final class SoftState {
        long overSinceMillis = -1;
    }

    private final long[][] limits = new long[3][3];

    OutputBufferLimits(String directive) {
        update(directive);
    }

    /** Reads the directive's normalised value: "normal h s sec slave h s sec pubsub h s sec". */
    void update(String value) {
        String[] p = value.trim().split("\\s+");
        for (int i = 0; i + 3 < p.length; i += 4) {
            ClientClass c = switch (p[i]) {
                case "normal" -> ClientClass.NORMAL;
                case "slave" -> ClientClass.SLAVE;
                default -> ClientClass.PUBSUB;
            };
            limits[c.ordinal()] = new long[] {Long.parseLong(p[i + 1]), Long.parseLong(p[i + 2]), Long.parseLong(p[i + 3])};
        }
    }

    /** The hard limit of a class, 0 when off. */
    long hard(ClientClass c) {
        return limits[c.ordinal()][0];
    }

    /**
     * Whether a connection of class {@code c} with {@code unsent} bytes waiting must be closed
     * now; keeps the soft-limit timer in {@code state}.
     */
    boolean exceeded(ClientClass c, long unsent, long nowMillis, SoftState state) {
        long[] l = limits[c.ordinal()];
        if (l[0] > 0 && unsent >= l[0]) {
            return true;
        }
        if (l[1] > 0 && unsent >= l[1]) {
            if (state.overSinceMillis < 0) {
                state.overSinceMillis = nowMillis;
                return false;
            }
            return nowMillis - state.overSinceMillis > l[2] * 1000;
        }
        state.overSinceMillis = -1;
        return false;
    }
}
