package dev.panda.command;

import dev.panda.config.ServerConfig;
import dev.panda.store.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis's latency monitor (LATENCY LATEST / HISTORY / RESET): while
 * {@code latency-monitor-threshold} is above 0, every event at least that many milliseconds
 * long is sampled into a per-event series of the last 160 seconds that had one (one sample per
 * second, the largest), with the all-time maximum. Panda records Redis's {@code command} and
 * {@code fast-command} events (commands flagged fast, from the {@link Dispatcher}), and through
 * {@link #addSampleIfNeeded} {@code expire-cycle}, {@code expire-del}, {@code eviction-cycle},
 * {@code eviction-del}, the {@code aof-write} family, {@code aof-fsync-always} (the write-ahead
 * log's group commit) and {@code fork} (a background snapshot capturing its images);
 * {@link LatencyReport} (DOCTOR) and {@link LatencyGraph} (GRAPH) read the series through
 * {@link #samples}.
 *
 * <p>Store thread only.
 */
public final class LatencyMonitor {
    static final int SAMPLES = 160;

    /** One event's samples: a ring of (second, ms) pairs plus the maximum. */
    static final class Series {
        final long[] times = new long[SAMPLES];
        final long[] millis = new long[SAMPLES];
        int next;
        long max;

        void add(long second, long ms) {
            max = Math.max(max, ms);
            int prev = (next + SAMPLES - 1) % SAMPLES;
            if (times[prev] == second) {
                millis[prev] = Math.max(millis[prev], ms);
                return;
            }
            times[next] = second;
            millis[next] = ms;
            next = (next + 1) % SAMPLES;
        }

        int latest() {
            return (next + SAMPLES - 1) % SAMPLES;
        }
    }

    private final Map<String, Series> events = new LinkedHashMap<>();
    private final Clock clock;
    private long thresholdMillis;
    /** Commands that ran at least this long are sampled; Long.MAX_VALUE while the monitor is off. */
    long thresholdNanos;

    LatencyMonitor(ServerConfig config, Clock clock) {
        this.clock = clock;
        threshold(config.get("latency-monitor-threshold"));
        config.onChange("latency-monitor-threshold", this::threshold);
    }

    private void threshold(String ms) {
        thresholdMillis = Long.parseLong(ms);
        thresholdNanos = thresholdMillis == 0 ? Long.MAX_VALUE
                : thresholdMillis > Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : thresholdMillis * 1_000_000;
    }

    /** Samples an event of {@code ms} milliseconds if it reaches the threshold. */
    void sample(String event, long ms, long nowMillis) {
        if (thresholdMillis > 0 && ms >= thresholdMillis) {
            events.computeIfAbsent(event, e -> new Series()).add(nowMillis / 1000, ms);
        }
    }

    /**
     * Redis's {@code latencyAddSampleIfNeeded} for the events outside commands: samples
     * {@code event} when {@code ms} reaches the threshold; the clock is read only then.
     */
    public void addSampleIfNeeded(String event, long ms) {
        if (thresholdMillis > 0 && ms >= thresholdMillis) {
            sample(event, ms, clock.nowMillis());
        }
    }

    /** LATENCY LATEST rows: event, time of the latest sample, its ms, the maximum ms. */
    public List<Object> latest() {
        List<Object> rows = new ArrayList<>();
        events.forEach((name, s) -> rows.add(List.of(name, s.times[s.latest()], s.millis[s.latest()], s.max)));
        return rows;
    }

    /** The current threshold in milliseconds; 0 while the monitor is off. */
    public long thresholdMillis() {
        return thresholdMillis;
    }

    /** One event's samples, oldest first, and its all-time maximum: what DOCTOR and GRAPH read. */
    public record Samples(String event, long[] seconds, long[] millis, long allTimeHigh) {
        public int count() {
            return seconds.length;
        }
    }

    /** The named event's samples (the name matched exactly, as Redis's dictionary does), or null. */
    public Samples samples(String event) {
        Series s = events.get(event);
        if (s == null) {
            return null;
        }
        int n = 0;
        for (long t : s.times) {
            if (t != 0) {
                n++;
            }
        }
        long[] seconds = new long[n];
        long[] millis = new long[n];
        int k = 0;
        for (int j = 0; j < SAMPLES; j++) {
            int i = (s.next + j) % SAMPLES;
            if (s.times[i] != 0) {
                seconds[k] = s.times[i];
                millis[k++] = s.millis[i];
            }
        }
        return new Samples(event, seconds, millis, s.max);
    }

    /** Every event's samples, in the order the events first occurred. */
    public List<Samples> all() {
        List<Samples> out = new ArrayList<>();
        events.keySet().forEach(name -> out.add(samples(name)));
        return out;
    }

    /** LATENCY HISTORY rows, oldest first: time and ms; empty for an unknown event. */
    public List<Object> history(String event) {
        Series s = events.get(event);
        if (s == null) {
            return Collections.emptyList();
        }
        List<Object> rows = new ArrayList<>();
        for (int j = 0; j < SAMPLES; j++) {
            int i = (s.next + j) % SAMPLES;
            if (s.times[i] != 0) {
                rows.add(List.of(s.times[i], s.millis[i]));
            }
        }
        return rows;
    }

    /**
     * Forgets the named events (all when none are named); returns how many existed. Names match
     * ignoring case, as Redis's latencyResetEvent compares them (HISTORY and GRAPH match exactly).
     */
    public int reset(List<String> names) {
        if (names.isEmpty()) {
            int n = events.size();
            events.clear();
            return n;
        }
        int n = 0;
        for (String name : names) {
            int before = events.size();
            events.keySet().removeIf(event -> event.equalsIgnoreCase(name));
            n += before - events.size();
        }
        return n;
    }
}
