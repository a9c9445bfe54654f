package dev.panda.command;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The clients in MONITOR mode and their feed: after each command runs, one line as Redis writes
 * it, {@code +1339518083.107412 [0 127.0.0.1:60866] "keys" "*"}, with arguments quoted and
 * escaped as Redis's sdscatrepr does, redacted ones as "(redacted)". The line is built once and
 * handed to every monitor's connection, which buffers it and disconnects a monitor that does not
 * read (see {@link Client.Connection#feed}); nothing here waits for a monitor. With no monitor
 * the dispatcher's only cost is reading {@link #count}.
 *
 * <p>Store thread only.
 */
public final class Monitors {
    private final List<Client> monitors = new ArrayList<>();
    /** Number of monitors: the dispatcher feeds only while this is above 0. */
    int count;

    public void add(Client client) {
        monitors.add(client);
        count = monitors.size();
    }

    /** Forgets a monitor (its connection closed). */
    public void remove(Client client) {
        if (monitors.remove(client)) {
            count = monitors.size();
        }
    }

    public int size() {
        return count;
    }

    /** Sends the line for a command {@code source} just ran to every monitor. */
    void feed(Client source, byte[][] argv, long redacted) {
        Instant now = Instant.now();
        byte[] line = format(now.getEpochSecond(), now.getNano() / 1000, source.db(),
                source.connection().remoteAddress(), argv, redacted);
        for (Client monitor : monitors) {
            monitor.connection().feed(line);
        }
    }

    static byte[] format(long seconds, long micros, int db, String address, byte[][] argv, long redacted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + argv.length * 16);
        ascii(out, "+" + seconds + "." + String.format("%06d", micros) + " [" + db + " " + address + "]");
        for (int i = 0; i < argv.length; i++) {
            out.write(' ');
            quote(out, ArgumentRedaction.isRedacted(redacted, i) ? ArgumentRedaction.REDACTED : argv[i]);
        }
        ascii(out, "\r\n");
        return out.toByteArray();
    }

    /** Redis's sdscatrepr: printable ASCII as is, the usual escapes, other bytes as \xHH. */
    static void quote(ByteArrayOutputStream out, byte[] arg) {
        out.write('"');
        for (byte b : arg) {
            switch (b) {
                case '\\' -> ascii(out, "\\\\");
                case '"' -> ascii(out, "\\\"");
                case '\n' -> ascii(out, "\\n");
                case '\r' -> ascii(out, "\\r");
                case '\t' -> ascii(out, "\\t");
                case 7 -> ascii(out, "\\a");
                case '\b' -> ascii(out, "\\b");
                default -> {
                    if (b >= 0x20 && b < 0x7f) {
                        out.write(b);
                    } else {
                        ascii(out, String.format("\\x%02x", b & 0xff));
                    }
                }
            }
        }
        out.write('"');
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
