package dev.panda.command;

import dev.panda.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Redis's slow log: the newest {@code slowlog-max-len} commands that ran for at least
 * {@code slowlog-log-slower-than} µs (negative: off, 0: every command), each with its id, start
 * time, duration, arguments (at most 32, each at most 128 bytes, with Redis's "... (N more
 * arguments)" and "... (N more bytes)" markers), client address and name. The threshold is kept
 * in nanoseconds in a plain field that the dispatcher compares with each command's duration;
 * entries are only built for commands over it.
 *
 * <p>Store thread only.
 */
public final class SlowLog {
    static final int MAX_ARGS = 32;
    static final int MAX_ARG_BYTES = 128;

    /** One logged command, as SLOWLOG GET shows it. */
    public record Entry(long id, long timeSeconds, long micros, byte[][] args, String address, String clientName) { }

    /** Newest first. */
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextId;
    private long maxLen;
    /** Commands that ran at least this long are logged; Long.MAX_VALUE when the log is off. */
    long thresholdNanos;

    SlowLog(ServerConfig config) {
        threshold(config.get("slowlog-log-slower-than"));
        maxLen(config.get("slowlog-max-len"));
        config.onChange("slowlog-log-slower-than", this::threshold);
        config.onChange("slowlog-max-len", this::maxLen);
    }

    private void threshold(String micros) {
        long us = Long.parseLong(micros);
        thresholdNanos = us < 0 ? Long.MAX_VALUE : us > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : us * 1000;
    }

    private void maxLen(String value) {
        maxLen = Long.parseLong(value);
        trim();
    }

    /** Logs a command that ran for {@code micros} µs (the caller checked the threshold). */
    void add(Client client, byte[][] argv, long redacted, long micros, long nowMillis) {
        entries.addFirst(new Entry(nextId++, nowMillis / 1000, micros, truncate(argv, redacted),
                client.connection().remoteAddress(), client.name()));
        trim();
    }

    private void trim() {
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }

    /** Redis's truncation: at most 32 arguments and 128 bytes per argument; redacted ones replaced. */
    static byte[][] truncate(byte[][] argv, long redacted) {
        int argc = Math.min(argv.length, MAX_ARGS);
        byte[][] out = new byte[argc][];
        for (int i = 0; i < argc; i++) {
            if (argc != argv.length && i == argc - 1) {
                out[i] = ("... (" + (argv.length - argc + 1) + " more arguments)").getBytes(StandardCharsets.US_ASCII);
            } else if (ArgumentRedaction.isRedacted(redacted, i)) {
                out[i] = ArgumentRedaction.REDACTED;
            } else if (argv[i].length > MAX_ARG_BYTES) {
                byte[] more = ("... (" + (argv[i].length - MAX_ARG_BYTES) + " more bytes)").getBytes(StandardCharsets.US_ASCII);
                out[i] = Arrays.copyOf(argv[i], MAX_ARG_BYTES + more.length);
                System.arraycopy(more, 0, out[i], MAX_ARG_BYTES, more.length);
            } else {
                out[i] = argv[i].clone();
            }
        }
        return out;
    }

    /** The newest {@code count} entries, newest first. */
    public List<Entry> newest(long count) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (out.size() >= count) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    public int length() {
        return entries.size();
    }

    /** How many entries were ever logged (the next id). */
    public long totalLogged() {
        return nextId;
    }

    public void reset() {
        entries.clear();
    }
}
