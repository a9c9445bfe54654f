package dev.panda.command;

import dev.panda.protocol.Reply;
import dev.panda.store.Effects;
import dev.panda.store.value.ValueType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN, …), as Redis's {@code blocked.c}: each
 * waits in a first-come-first-served queue per key; a change that gives a key elements (a push,
 * an add, a rename or copy onto it) marks the key ready through the store's effects, and after
 * the command that did it, {@link #serveReady} runs each waiter's command again, in queue order,
 * while the key still holds elements of the type it waits for. A command run that way replies
 * and logs exactly as if it had found the elements the first time (its pop is what the log
 * records). Nothing polls: a waiter costs nothing until one of its keys is ready or its timer
 * fires.
 *
 * <p>Store thread only.
 */
public final class Blocking extends Effects.Ignoring {
    /** What a blocked client waits for, and how to run its command again. */
    static final class State {
        final byte[][] argv;
        final List<DbKey> keys = new ArrayList<>();
        final ValueType type;
        final boolean bulkNullOnDeny;
        Runnable cancelTimer;
        /** Set while the command runs again and still finds nothing. */
        boolean stillWaiting;

        State(byte[][] argv, ValueType type, boolean bulkNullOnDeny) {
            this.argv = argv;
            this.type = type;
            this.bulkNullOnDeny = bulkNullOnDeny;
        }
    }

    private final ServerContext server;
    private final Map<DbKey, ArrayDeque<Client>> waiting = new HashMap<>();
    private final ArrayDeque<DbKey> ready = new ArrayDeque<>();
    private final Set<DbKey> readySet = new HashSet<>();
    private int blocked;

    Blocking(ServerContext server) {
        this.server = server;
    }

    /** Clients blocked now (INFO's blocked_clients). */
    public int blockedClients() {
        return blocked;
    }

    /** Blocked clients with a timeout (INFO clients_in_timeout_table). */
    public int blockedWithTimeout(java.util.Collection<Client> clients) {
        int n = 0;
        for (Client c : clients) {
            if (c.blockState() != null && c.blockState().cancelTimer != null) {
                n++;
            }
        }
        return n;
    }

    /** Keys with at least one waiter (INFO's blocked keys). */
    public int blockedKeys() {
        return waiting.size();
    }

    // ---- arguments ---------------------------------------------------------------------------

    /**
     * A blocking command's timeout in decimal seconds as an absolute deadline in ms, 0 for none
     * (Redis's {@code getTimeoutFromObjectOrReply}: rounded up to the millisecond).
     */
    public static long deadline(Client c, byte[] arg) {
        double seconds = Args.parseDouble(arg, "ERR timeout is not a float or out of range");
        if (seconds < 0) {
            throw new Args.Invalid("ERR timeout is negative");
        }
        double ms = Math.ceil(seconds * 1000.0);
        if (ms >= 9.2e18 || Double.isInfinite(ms)) {
            throw new Args.Invalid("ERR timeout is out of range");
        }
        long t = (long) ms;
        return t == 0 ? 0 : t + c.server().clock().nowMillis();
    }

    /**
     * The command found nothing: parks the client on {@code keys} until one holds elements of
     * the command's type or {@code deadline} (0: never) passes. A client that may not block
     * (inside MULTI or a script) gets the null reply at once instead; a command run again by
     * {@link #serveReady} that still finds nothing leaves its client parked where it was.
     */
    public static void block(Client c, byte[][] argv, byte[][] keys, long deadline, Reply r, boolean bulkNull) {
        Blocking b = c.server().blocking();
        if (c.blockState() != null) {
            c.blockState().stillWaiting = true;
            return;
        }
        if (c.denyBlocking()) {
            if (bulkNull) {
                r.nullBulk();
            } else {
                r.nullArray();
            }
            return;
        }
        String name = Args.text(argv[0]).toLowerCase(java.util.Locale.ROOT);
        ValueType type = name.startsWith("bz") ? ValueType.ZSET : name.startsWith("x") ? ValueType.STREAM : ValueType.LIST;
        State state = new State(argv, type, bulkNull);
        for (byte[] key : keys) {
            DbKey k = DbKey.of(c.db(), key);
            if (!state.keys.contains(k)) {
                state.keys.add(k);
                b.waiting.computeIfAbsent(k, x -> new ArrayDeque<>()).add(c);
            }
        }
        c.setBlockState(state);
        b.blocked++;
        if (deadline > 0) {
            long delay = Math.max(0, deadline - c.server().clock().nowMillis());
            state.cancelTimer = c.connection().schedule(() -> b.timedOut(c, state), delay);
        }
        c.connection().blocked();
    }

    // ---- wake-ups ----------------------------------------------------------------------------

    private void signal(int db, byte[] key) {
        if (waiting.isEmpty()) {
            return;
        }
        DbKey k = DbKey.of(db, key);
        if (waiting.containsKey(k) && readySet.add(k)) {
            ready.add(k);
        }
    }

    @Override
    public void listPush(int db, byte[] key, boolean head, byte[][] items, int from, int to) {
        signal(db, key);
    }

    @Override
    public void zsetAdd(int db, byte[] key, byte[][] items, int from, int to) {
        signal(db, key);
    }

    @Override
    public void stream(int db, byte[] key, dev.panda.store.StreamChange change, byte[][] items) {
        if (change == dev.panda.store.StreamChange.ADD || change == dev.panda.store.StreamChange.GROUP_DESTROY) {
            signal(db, key); // a destroyed group fails its XREADGROUP waiters
        }
    }

    // A stream deleted or replaced fails its XREADGROUP waiters (Redis 7.0's unblockDeletedStreamReadgroupClients).
    @Override
    public void delete(int db, byte[] key) {
        signal(db, key);
    }

    @Override
    public void setString(int db, byte[] key, byte[] value, int off, int len, long expireAtMs) {
        signal(db, key);
    }

    @Override
    public void flushDb(int db) {
        for (DbKey k : new ArrayList<>(waiting.keySet())) {
            if (k.db() == db) {
                signal(k.db(), k.bytes());
            }
        }
    }

    @Override
    public void rename(int db, byte[] from, byte[] to) {
        signal(db, to);
    }

    @Override
    public void copy(int db, byte[] src, int dstDb, byte[] dst) {
        signal(dstDb, dst);
    }

    @Override
    public void move(int db, byte[] key, int dstDb) {
        signal(dstDb, key);
    }

    @Override
    public void swapDb(int a, int b) {
        for (DbKey k : new ArrayList<>(waiting.keySet())) {
            if (k.db() == a || k.db() == b) {
                signal(k.db(), k.bytes());
            }
        }
    }

    /**
     * After a command: serves the clients waiting on keys it gave elements to, first come first
     * served per key, running each one's command again through {@code dispatcher}. Commands run
     * this way may make more keys ready (BLMOVE onto a key with waiters); those are served too.
     */
    public void serveReady(Dispatcher dispatcher) {
        while (!ready.isEmpty()) {
            DbKey k = ready.poll();
            readySet.remove(k);
            ArrayDeque<Client> queue = waiting.get(k);
            if (queue == null) {
                continue;
            }
            for (Client w : new ArrayList<>(queue)) {
                ValueType type = server.keyspace().db(k.db()).type(k.bytes());
                State state = w.blockState();
                if (state == null) {
                    continue;
                }
                if (state.type == ValueType.STREAM && type != ValueType.STREAM && Args.is(state.argv[0], "xreadgroup")) {
                    fail(w, state, "UNBLOCKED the stream key no longer exists");
                } else if (type == state.type) {
                    serve(w, state, dispatcher);
                }
            }
        }
    }

    private void serve(Client w, State state, Dispatcher dispatcher) {
        int db = w.db();
        w.connection().resume(reply -> {
            state.stillWaiting = false;
            CommandSpec spec = server.commands().find(state.argv[0]);
            dispatcher.execute(w, spec, state.argv, reply);
            if (!state.stillWaiting) {
                release(w, state);
            }
            return !state.stillWaiting;
        });
        assert db == w.db();
    }

    private void timedOut(Client c, State state) {
        if (c.blockState() != state) {
            return;
        }
        c.connection().resume(reply -> {
            release(c, state);
            reply.nullArray();
            return true;
        });
    }

    private void fail(Client c, State state, String error) {
        c.connection().resume(reply -> {
            release(c, state);
            reply.error(error);
            return true;
        });
    }

    /** CLIENT UNBLOCK: true when the client was blocked (it gets the timeout reply or the error). */
    public boolean unblock(Client c, boolean error) {
        State state = c.blockState();
        if (state == null) {
            return false;
        }
        c.connection().resume(reply -> {
            release(c, state);
            if (error) {
                reply.error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
            } else {
                reply.nullArray();
            }
            return true;
        });
        return true;
    }

    /** The client is gone: forgets it. */
    public void disconnected(Client c) {
        State state = c.blockState();
        if (state != null) {
            release(c, state);
        }
    }

    private void release(Client c, State state) {
        for (DbKey k : state.keys) {
            ArrayDeque<Client> queue = waiting.get(k);
            if (queue != null) {
                queue.remove(c);
                if (queue.isEmpty()) {
                    waiting.remove(k);
                }
            }
        }
        if (state.cancelTimer != null) {
            state.cancelTimer.run();
        }
        c.setBlockState(null);
        blocked--;
    }
}
