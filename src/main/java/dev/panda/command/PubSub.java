package dev.panda.command;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pub/Sub's subscriptions, as Redis's {@code pubsub.c}: channel and shard-channel subscribers,
 * pattern subscribers in subscription order, and delivery of a published message to each
 * subscriber's connection (RESP2 arrays, RESP3 pushes) after the replies already pending for it.
 * A subscriber that does not read is disconnected once its unsent output passes the pubsub
 * output limit. Store thread only.
 */
public final class PubSub {
    /** A client's subscriptions. */
    public static final class Subscriptions {
        final Set<ByteBuffer> channels = new LinkedHashSet<>();
        final Set<ByteBuffer> patterns = new LinkedHashSet<>();
        final Set<ByteBuffer> shardChannels = new LinkedHashSet<>();

        /** Channels and patterns: the count (P)SUBSCRIBE replies carry. */
        public int count() {
            return channels.size() + patterns.size();
        }

        public int shardCount() {
            return shardChannels.size();
        }

        public Set<ByteBuffer> channels() {
            return channels;
        }

        public Set<ByteBuffer> shardChannels() {
            return shardChannels;
        }

        public Set<ByteBuffer> patterns() {
            return patterns;
        }

        /** Any subscription: RESP2 clients are then in subscribed mode. */
        public boolean any() {
            return !channels.isEmpty() || !patterns.isEmpty() || !shardChannels.isEmpty();
        }
    }

    private final Map<ByteBuffer, Set<Client>> channels = new HashMap<>();
    private final Map<ByteBuffer, Set<Client>> shardChannels = new HashMap<>();
    private final Map<ByteBuffer, Set<Client>> patterns = new LinkedHashMap<>();

    private static Map<ByteBuffer, Set<Client>> registry(PubSub p, boolean shard) {
        return shard ? p.shardChannels : p.channels;
    }

    /** SUBSCRIBE / SSUBSCRIBE of one channel: true when the client was not subscribed yet. */
    public boolean subscribe(Client c, byte[] channel, boolean shard) {
        ByteBuffer k = ByteBuffer.wrap(channel.clone());
        Set<ByteBuffer> mine = shard ? c.subscriptions().shardChannels : c.subscriptions().channels;
        if (!mine.add(k)) {
            return false;
        }
        registry(this, shard).computeIfAbsent(k, x -> new LinkedHashSet<>()).add(c);
        return true;
    }

    public boolean unsubscribe(Client c, ByteBuffer channel, boolean shard) {
        Set<ByteBuffer> mine = shard ? c.subscriptions().shardChannels : c.subscriptions().channels;
        if (!mine.remove(channel)) {
            return false;
        }
        Set<Client> set = registry(this, shard).get(channel);
        if (set != null) {
            set.remove(c);
            if (set.isEmpty()) {
                registry(this, shard).remove(channel);
            }
        }
        return true;
    }

    public boolean psubscribe(Client c, byte[] pattern) {
        ByteBuffer k = ByteBuffer.wrap(pattern.clone());
        if (!c.subscriptions().patterns.add(k)) {
            return false;
        }
        patterns.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(c);
        return true;
    }

    public boolean punsubscribe(Client c, ByteBuffer pattern) {
        if (!c.subscriptions().patterns.remove(pattern)) {
            return false;
        }
        Set<Client> set = patterns.get(pattern);
        if (set != null) {
            set.remove(c);
            if (set.isEmpty()) {
                patterns.remove(pattern);
            }
        }
        return true;
    }

    /** The client is gone (or RESET): all its subscriptions end, without replies. */
    public void forget(Client c) {
        Subscriptions s = c.subscriptions();
        for (ByteBuffer ch : new ArrayList<>(s.channels)) {
            unsubscribe(c, ch, false);
        }
        for (ByteBuffer ch : new ArrayList<>(s.shardChannels)) {
            unsubscribe(c, ch, true);
        }
        for (ByteBuffer p : new ArrayList<>(s.patterns)) {
            punsubscribe(c, p);
        }
    }

    /**
     * PUBLISH / SPUBLISH: delivers the message to the channel's subscribers and (not for shard
     * channels) to every matching pattern's; returns how many deliveries were made.
     */
    public int publish(byte[] channel, byte[] message, boolean shard) {
        int receivers = 0;
        Set<Client> subscribers = registry(this, shard).get(ByteBuffer.wrap(channel));
        if (subscribers != null) {
            for (Client c : subscribers) {
                c.connection().feed(frame(c.protocol(), shard ? "smessage" : "message", channel, message, null));
                receivers++;
            }
        }
        if (!shard) {
            for (Map.Entry<ByteBuffer, Set<Client>> e : patterns.entrySet()) {
                byte[] pattern = e.getKey().array();
                if (!Glob.matches(pattern, channel, false)) {
                    continue;
                }
                for (Client c : e.getValue()) {
                    c.connection().feed(frame(c.protocol(), "pmessage", pattern, channel, message));
                    receivers++;
                }
            }
        }
        return receivers;
    }

    /** A message frame: RESP2 array or RESP3 push of the kind, then two or three bulk strings. */
    private static byte[] frame(int protocol, String kind, byte[] a, byte[] b, byte[] c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 + a.length + b.length + (c == null ? 0 : c.length));
        int n = c == null ? 3 : 4;
        out.writeBytes(((protocol == 3 ? ">" : "*") + n + "\r\n").getBytes(StandardCharsets.US_ASCII));
        bulk(out, kind.getBytes(StandardCharsets.US_ASCII));
        bulk(out, a);
        bulk(out, b);
        if (c != null) {
            bulk(out, c);
        }
        return out.toByteArray();
    }

    private static void bulk(ByteArrayOutputStream out, byte[] b) {
        out.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(b);
        out.writeBytes(new byte[] {'\r', '\n'});
    }

    /** Active channels (or shard channels) matching the pattern, null for all (PUBSUB CHANNELS). */
    public List<byte[]> channels(byte[] pattern, boolean shard) {
        List<byte[]> out = new ArrayList<>();
        for (ByteBuffer ch : registry(this, shard).keySet()) {
            byte[] b = ch.array();
            if (pattern == null || Glob.matches(pattern, b, false)) {
                out.add(b);
            }
        }
        return out;
    }

    public int subscribers(byte[] channel, boolean shard) {
        Set<Client> set = registry(this, shard).get(ByteBuffer.wrap(channel));
        return set == null ? 0 : set.size();
    }

    /** Whether a RESP2 client in subscribed mode may run the command (Redis's list). */
    static boolean allowedWhenSubscribed(byte[] name) {
        return Args.is(name, "ping") || Args.is(name, "subscribe") || Args.is(name, "ssubscribe")
                || Args.is(name, "unsubscribe") || Args.is(name, "sunsubscribe") || Args.is(name, "psubscribe")
                || Args.is(name, "punsubscribe") || Args.is(name, "quit") || Args.is(name, "reset");
    }

    /** Patterns with at least one subscriber (PUBSUB NUMPAT). */
    public int patternCount() {
        return patterns.size();
    }
}
