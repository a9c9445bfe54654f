package dev.panda.server;

import dev.panda.persistence.Durability;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;

/**
 * Group commit: replies are released only after the log bytes of the commands that produced
 * them are written (and fsynced under {@code appendfsync always}). Every connection that
 * finished a read batch waits here; once per event-loop iteration, after all ready connections
 * ran their commands, one commit makes the whole batch durable and then every waiting reply is
 * flushed. Reads wait too while writes are pending, so no client sees a value before it is in
 * the log. If the commit fails, connections whose batch changed data are closed without their
 * replies (nothing unlogged is acknowledged) and the changes stay pending for a retry.
 *
 * <p>Event loop (store thread) only.
 */
final class ReplyGate {
    private final Durability durability;
    private final EventExecutor loop;
    private final ArrayDeque<ClientHandler> waiting = new ArrayDeque<>();
    private final Runnable commitTask = this::commitAndRelease;
    private boolean scheduled;

    ReplyGate(Durability durability, EventExecutor loop) {
        this.durability = durability;
        this.loop = loop;
    }

    /** Called when a connection's batch is done: its replies go out now or after the commit. */
    void release(ClientHandler handler) {
        if (waiting.isEmpty() && !durability.hasPending()) {
            handler.flushReplies();
            return;
        }
        waiting.add(handler);
        if (!scheduled) {
            scheduled = true;
            loop.execute(commitTask);
        }
    }

    /** Commits now, for a connection that must write out a large batch early; false on failure. */
    boolean commitNow() {
        return !durability.hasPending() || durability.commit();
    }

    /** Retries a failed commit (the periodic task calls this while the log is failing). */
    void retry() {
        if (durability.hasPending() && waiting.isEmpty()) {
            durability.commit();
        }
    }

    private void commitAndRelease() {
        scheduled = false;
        boolean ok = !durability.hasPending() || durability.commit();
        ClientHandler handler;
        while ((handler = waiting.poll()) != null) {
            if (ok) {
                handler.flushReplies();
            } else {
                handler.failBatch();
            }
        }
    }
}
