package dev.panda.command;

/**
 * LATENCY GRAPH's text, as Redis's {@code latencyCommandGenSparkeline} writes it: a header with
 * the highest and lowest sample kept and the all-time high, a line of 80 dashes, then a filled
 * {@link Sparkline} of 4 rows and 80 columns, each sample labelled with how long ago it was
 * taken (seconds, minutes, hours or days, truncated).
 *
 * <p>Store thread only.
 */
public final class LatencyGraph {
    private static final int COLUMNS = 80;
    private static final int ROWS = 4;

    private LatencyGraph() {
    }

    /** The graph of {@code samples} (at least one) as seen at {@code nowSeconds}. */
    public static String render(LatencyMonitor.Samples samples, long nowSeconds) {
        Sparkline line = new Sparkline();
        long min = 0;
        long max = 0;
        for (int i = 0; i < samples.count(); i++) {
            long ms = samples.millis()[i];
            if (i == 0) {
                min = max = ms;
            } else {
                max = Math.max(max, ms);
                min = Math.min(min, ms);
            }
            line.add(ms, ago(nowSeconds - samples.seconds()[i]));
        }
        return samples.event() + " - high " + max + " ms, low " + min + " ms (all time high "
                + samples.allTimeHigh() + " ms)\n" + "-".repeat(COLUMNS) + "\n" + line.render(COLUMNS, ROWS, true);
    }

    static String ago(long elapsed) {
        if (elapsed < 60) {
            return elapsed + "s";
        } else if (elapsed < 3600) {
            return elapsed / 60 + "m";
        } else if (elapsed < 3600 * 24) {
            return elapsed / 3600 + "h";
        }
        return elapsed / (3600 * 24) + "d";
    }
}
