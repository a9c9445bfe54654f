package dev.panda.metrics;

import dev.panda.command.ServerContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks the store thread for a {@link StoreSnapshot} and waits a bounded time for it. The store
 * thread runs the request between commands like any other task and never waits for the metrics
 * thread; if it is busy for longer than the wait (DEBUG SLEEP, a foreground SAVE, a huge KEYS),
 * the scrape is answered from the previous snapshot and counted as stale, and the late snapshot
 * still replaces the old one when it arrives.
 *
 * <p>Metrics thread (the HTTP server's); the snapshot itself is taken on the store thread.
 */
final class StoreSnapshots {
    private final ServerContext server;
    private final Executor storeThread;
    private final long waitMillis;
    private final AtomicLong stale = new AtomicLong();
    private volatile StoreSnapshot last;

    StoreSnapshots(ServerContext server, Executor storeThread, long waitMillis) {
        this.server = server;
        this.storeThread = storeThread;
        this.waitMillis = waitMillis;
    }

    /** The current snapshot, or the previous one (null if there is none) when the store thread does not answer in time. */
    StoreSnapshot get() {
        CompletableFuture<StoreSnapshot> request;
        try {
            request = CompletableFuture.supplyAsync(() -> StoreSnapshot.take(server), storeThread);
        } catch (RejectedExecutionException stopping) {
            stale.incrementAndGet();
            return last;
        }
        request.thenAccept(s -> last = s);
        try {
            return request.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            stale.incrementAndGet();
            return last;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return last;
        }
    }

    /** Scrapes answered from an older snapshot. */
    long staleCount() {
        return stale.get();
    }
}
