package dev.panda.command;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The last line before the Java heap runs out: once a full collection leaves more than 90% of the
 * heap's maximum in use, commands that may add data are refused with the OOM error, whatever
 * maxmemory says, until a later collection finds the heap below that again. A background snapshot
 * keeps every value changed or evicted while it runs (as a forked Redis's copied pages), so a
 * heap capped close to maxmemory could otherwise fill up; refusing writes until the snapshot is
 * written keeps the server answering instead of failing with OutOfMemoryError.
 *
 * <p>Written by the JVM's notification thread, read by the store thread (a volatile flag).
 */
public final class HeapGuard {
    private static final double CRITICAL_FRACTION = 0.90;
    private final long maxHeap = Runtime.getRuntime().maxMemory();
    private volatile boolean critical;

    HeapGuard() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((n, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                        afterCollection(GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()));
                    }
                }, null, null);
            }
        }
    }

    /**
     * Only a full collection ("G1 Old Generation", which G1 runs when it cannot find room) measures
     * the live data: after a young or mixed one the old generation still holds the values evicted
     * or overwritten since the last marking, so a high figure there means nothing. A low figure
     * after any collection does mean the danger is over.
     */
    private void afterCollection(GarbageCollectionNotificationInfo info) {
        String name = info.getGcName();
        if (name.contains("Concurrent") || maxHeap == Long.MAX_VALUE) {
            return; // G1's concurrent cycle reports the heap as it was mid-cycle
        }
        long used = 0;
        for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) {
            used += u.getUsed();
        }
        boolean high = used > CRITICAL_FRACTION * maxHeap;
        if (name.contains("Old")) {
            critical = high;
        } else if (!high) {
            critical = false;
        }
    }

    /** Whether the heap was nearly full after the last collection. */
    public boolean critical() {
        return critical;
    }
}
