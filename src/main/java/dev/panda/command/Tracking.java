package dev.panda.command;

import dev.panda.store.Effects;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Client-side caching ({@code CLIENT TRACKING}, Redis's {@code tracking.c}). In the default mode
 * the keys a tracking client reads are remembered with its id, and the first change to such a
 * key sends that client an invalidation and forgets the key; in BCAST mode every changed key
 * under one of the client's prefixes is sent, gathered per event-loop pass. Changes come from
 * the store's one stream of {@link Effects}; a flush invalidates everything (a null key list).
 * Invalidations go out as RESP3 {@code invalidate} pushes, or, with REDIRECT, to the other
 * client, also as {@code __redis__:invalidate} messages when that one speaks RESP2 and is
 * subscribed. Store thread only.
 */
public final class Tracking extends Effects.Ignoring {
    private static final byte[] CHANNEL = "__redis__:invalidate".getBytes(StandardCharsets.US_ASCII);

    /** A client's tracking settings. */
    public static final class State {
        boolean bcast;
        boolean optin;
        boolean optout;
        boolean noloop;
        boolean caching;
        boolean brokenRedirect;
        long redirect;
        /** In byte order, as Redis's radix tree keeps them. */
        final Set<ByteBuffer> prefixes = new java.util.TreeSet<>(Tracking::compareUnsigned);

        public boolean bcast() {
            return bcast;
        }

        public boolean optin() {
            return optin;
        }

        public boolean optout() {
            return optout;
        }

        public boolean noloop() {
            return noloop;
        }

        public boolean caching() {
            return caching;
        }

        public void setCaching(boolean caching) {
            this.caching = caching;
        }

        public boolean brokenRedirect() {
            return brokenRedirect;
        }

        public long redirect() {
            return redirect;
        }

        /** The BCAST prefixes, in the order they were given. */
        public List<byte[]> prefixList() {
            List<byte[]> out = new ArrayList<>();
            prefixes.forEach(p -> out.add(bytes(p)));
            return out;
        }
    }

    private final ClientRegistry clients;
    /** Key to the ids of the clients that may cache it (default mode). */
    private final Map<ByteBuffer, Set<Long>> table = new HashMap<>();
    private long trackedItems;
    /** Prefix to its BCAST clients, and the keys changed under it since the last send with who changed them. */
    private final Map<ByteBuffer, Set<Client>> prefixClients = new java.util.TreeMap<>(Tracking::compareUnsigned);
    private final Map<ByteBuffer, Map<ByteBuffer, Client>> prefixPending = new java.util.TreeMap<>(Tracking::compareUnsigned);
    private Executor deferred = Runnable::run;
    private boolean broadcastScheduled;
    private int trackingClients;
    /** The client whose command is changing the keyspace (for NOLOOP). */
    private Client current;

    Tracking(ClientRegistry clients) {
        this.clients = clients;
    }

    /** Where BCAST invalidations are sent from: the event loop, after the current pass's reads. */
    public void setExecutor(Executor executor) {
        this.deferred = executor;
    }

    /** Clients in tracking mode (INFO's tracking_clients). */
    public int trackingClients() {
        return trackingClients;
    }

    /** Keys remembered for default-mode clients (INFO's tracking_total_keys). */
    public int trackedKeys() {
        return table.size();
    }

    /** (key, client) pairs in the table (INFO's tracking_total_items). */
    public long trackedItems() {
        return trackedItems;
    }

    /** BCAST prefixes in use (INFO's tracking_total_prefixes). */
    public int prefixCount() {
        return prefixClients.size();
    }

    void setCurrent(Client c) {
        current = c;
    }

    public void enable(Client c, long redirect, boolean bcast, boolean optin, boolean optout, boolean noloop, List<byte[]> prefixes) {
        State s = c.tracking();
        if (s == null) {
            s = new State();
            c.setTracking(s);
            trackingClients++;
        }
        s.bcast = bcast;
        s.optin = optin;
        s.optout = optout;
        s.noloop = noloop;
        s.brokenRedirect = false;
        s.redirect = redirect;
        if (bcast) {
            if (prefixes.isEmpty()) {
                addPrefix(c, s, new byte[0]);
            }
            for (byte[] p : prefixes) {
                addPrefix(c, s, p);
            }
        }
    }

    private void addPrefix(Client c, State s, byte[] prefix) {
        ByteBuffer p = ByteBuffer.wrap(prefix);
        prefixClients.computeIfAbsent(p, k -> new LinkedHashSet<>()).add(c);
        s.prefixes.add(p);
    }

    /** CLIENT TRACKING OFF, and a disconnect. */
    public void disable(Client c) {
        State s = c.tracking();
        if (s == null) {
            return;
        }
        for (ByteBuffer p : s.prefixes) {
            Set<Client> set = prefixClients.get(p);
            if (set != null) {
                set.remove(c);
                if (set.isEmpty()) {
                    prefixClients.remove(p);
                    prefixPending.remove(p);
                }
            }
        }
        c.setTracking(null);
        trackingClients--;
    }

    /** Redis's checkPrefixCollisionsOrReply: null when the prefixes do not overlap, else the error. */
    public static String prefixCollision(State existing, List<byte[]> prefixes) {
        for (int i = 0; i < prefixes.size(); i++) {
            byte[] p = prefixes.get(i);
            if (existing != null) {
                for (ByteBuffer e : existing.prefixes) {
                    if (overlap(bytes(e), p)) {
                        return "ERR Prefix '" + text(p) + "' overlaps with an existing prefix '" + text(bytes(e))
                                + "'. Prefixes for a single client must not overlap.";
                    }
                }
            }
            for (int j = i + 1; j < prefixes.size(); j++) {
                if (overlap(p, prefixes.get(j))) {
                    return "ERR Prefix '" + text(p) + "' overlaps with another provided prefix '" + text(prefixes.get(j))
                            + "'. Prefixes for a single client must not overlap.";
                }
            }
        }
        return null;
    }

    /** Byte order (unsigned), the order of Redis's radix trees. */
    static int compareUnsigned(ByteBuffer a, ByteBuffer b) {
        int n = Math.min(a.remaining(), b.remaining());
        for (int i = 0; i < n; i++) {
            int c = Integer.compare(a.get(a.position() + i) & 0xff, b.get(b.position() + i) & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.remaining(), b.remaining());
    }

    private static boolean overlap(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** After a read-only command of a tracking client: remember its keys (Redis's trackingRememberKeys). */
    void remember(Client c, CommandSpec spec, byte[][] argv) {
        State s = c.tracking();
        if (s == null || s.bcast || (s.optin && !s.caching) || (s.optout && s.caching) || spec.is(CommandFlag.PUBSUB)) {
            return;
        }
        // The keys as Redis's trackingRememberKeys finds them: from the key specs (movable keys too).
        for (CommandKeys.Ref k : CommandKeys.keys(spec, argv)) {
            if (table.computeIfAbsent(ByteBuffer.wrap(argv[k.position()].clone()), x -> new LinkedHashSet<>(2)).add(c.id())) {
                trackedItems++;
            }
        }
    }

    /** A key changed: invalidate it for the clients that read it, and queue it for BCAST prefixes. */
    private void invalidate(byte[] key) {
        if (trackingClients == 0) {
            return;
        }
        if (!prefixClients.isEmpty()) {
            rememberForBroadcast(key);
        }
        Set<Long> ids = table.remove(ByteBuffer.wrap(key));
        if (ids == null) {
            return;
        }
        trackedItems -= ids.size();
        for (long id : ids) {
            Client target = clients.get(id);
            if (target == null || target.tracking() == null || target.tracking().bcast) {
                continue;
            }
            if (target.tracking().noloop && target == current) {
                continue;
            }
            send(target, List.of(key));
        }
    }

    private void rememberForBroadcast(byte[] key) {
        for (Map.Entry<ByteBuffer, Set<Client>> e : prefixClients.entrySet()) {
            ByteBuffer p = e.getKey();
            if (p.remaining() > key.length || !ByteBuffer.wrap(key, 0, p.remaining()).equals(p)) {
                continue;
            }
            prefixPending.computeIfAbsent(p, k -> new LinkedHashMap<>()).put(ByteBuffer.wrap(key.clone()), current);
            if (!broadcastScheduled) {
                broadcastScheduled = true;
                deferred.execute(this::broadcast);
            }
        }
    }

    /** Sends each BCAST client the keys changed under its prefixes since the last pass (trackingBroadcastInvalidationMessages). */
    public void broadcast() {
        broadcastScheduled = false;
        for (Map.Entry<ByteBuffer, Map<ByteBuffer, Client>> e : prefixPending.entrySet()) {
            Set<Client> targets = prefixClients.get(e.getKey());
            if (targets == null) {
                continue;
            }
            for (Client target : targets) {
                List<byte[]> keys = new ArrayList<>();
                for (Map.Entry<ByteBuffer, Client> k : e.getValue().entrySet()) {
                    if (target.tracking() != null && target.tracking().noloop && k.getValue() == target) {
                        continue;
                    }
                    keys.add(bytes(k.getKey()));
                }
                if (!keys.isEmpty()) {
                    send(target, keys);
                }
            }
        }
        prefixPending.clear();
    }

    /** A flush: every tracking client is told to drop everything (a null key list), and the table empties. */
    private void invalidateAll() {
        if (trackingClients == 0) {
            return;
        }
        table.clear();
        trackedItems = 0;
        for (Client c : clients.all()) {
            if (c.tracking() != null) {
                send(c, null);
            }
        }
    }

    /** Sends one invalidation, to the client or to its redirect target ({@code sendTrackingMessage}). */
    private void send(Client c, List<byte[]> keysOrNullForAll) {
        State s = c.tracking();
        Client target = c;
        boolean redirected = false;
        if (s.redirect != 0) {
            target = clients.get(s.redirect);
            if (target == null) {
                s.brokenRedirect = true;
                if (c.protocol() > 2) {
                    byte[] name = "tracking-redir-broken".getBytes(StandardCharsets.US_ASCII);
                    c.connection().feed(concat(">2\r\n$" + name.length + "\r\n", name, "\r\n:" + s.redirect + "\r\n"));
                }
                return;
            }
            redirected = true;
        }
        StringBuilder head = new StringBuilder();
        if (target.protocol() > 2) {
            head.append(">2\r\n$10\r\ninvalidate\r\n");
        } else if (redirected && target.subscriptions().any()) {
            head.append("*3\r\n$7\r\nmessage\r\n$").append(CHANNEL.length).append("\r\n")
                    .append(new String(CHANNEL, StandardCharsets.US_ASCII)).append("\r\n");
        } else {
            return; // RESP2 without a subscribed redirect target: nowhere to send it
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
        if (keysOrNullForAll == null) {
            out.writeBytes((target.protocol() > 2 ? "_\r\n" : "$-1\r\n").getBytes(StandardCharsets.US_ASCII));
        } else {
            out.writeBytes(("*" + keysOrNullForAll.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (byte[] k : keysOrNullForAll) {
                out.writeBytes(("$" + k.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(k);
                out.writeBytes(new byte[] {'\r', '\n'});
            }
        }
        target.connection().feed(out.toByteArray());
    }

    private static byte[] concat(String a, byte[] b, String c) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(a.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(b);
        out.writeBytes(c.getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    // ---- effects: every change to a key invalidates it ------------------------------------------

    @Override public void setString(int db, byte[] key, byte[] value, int off, int len, long expireAtMs) { invalidate(key); }
    @Override public void delete(int db, byte[] key) { invalidate(key); }
    @Override public void expireAt(int db, byte[] key, long atMs) { invalidate(key); }
    @Override public void persist(int db, byte[] key) { invalidate(key); }
    @Override public void flushDb(int db) { invalidateAll(); }
    @Override public void swapDb(int a, int b) { invalidateAll(); }
    @Override public void rename(int db, byte[] from, byte[] to) { invalidate(from); invalidate(to); }
    @Override public void copy(int db, byte[] src, int dstDb, byte[] dst) { invalidate(dst); }
    @Override public void move(int db, byte[] key, int dstDb) { invalidate(key); }
    @Override public void hashSet(int db, byte[] key, byte[][] items, int from, int to) { invalidate(key); }
    @Override public void hashDelete(int db, byte[] key, byte[][] fields, int from, int to) { invalidate(key); }
    @Override public void setAdd(int db, byte[] key, byte[][] members, int from, int to) { invalidate(key); }
    @Override public void setRemove(int db, byte[] key, byte[][] members, int from, int to) { invalidate(key); }
    @Override public void listPush(int db, byte[] key, boolean head, byte[][] items, int from, int to) { invalidate(key); }
    @Override public void listPop(int db, byte[] key, boolean head, long count) { invalidate(key); }
    @Override public void listSet(int db, byte[] key, long index, byte[] value) { invalidate(key); }
    @Override public void listInsert(int db, byte[] key, long index, byte[] value) { invalidate(key); }
    @Override public void listRemove(int db, byte[] key, long count, byte[] value) { invalidate(key); }
    @Override public void zsetAdd(int db, byte[] key, byte[][] items, int from, int to) { invalidate(key); }
    @Override public void zsetRemove(int db, byte[] key, byte[][] members, int from, int to) { invalidate(key); }
    @Override public void stream(int db, byte[] key, dev.panda.store.StreamChange change, byte[][] items) { invalidate(key); }
    @Override public void stringWrite(int db, byte[] key, long offset, byte[] data, int off, int len) { invalidate(key); }
}
