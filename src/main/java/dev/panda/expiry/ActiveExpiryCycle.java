package dev.panda.expiry;

import dev.panda.store.Database;
import dev.panda.store.Keyspace;
import java.util.SplittableRandom;
import java.util.function.ObjLongConsumer;

/**
 * The active half of expiry: removes keys whose deadline has passed even if nobody reads them,
 * walking each database's deadline index from the earliest deadline on. Runs on the store
 * thread between commands, like Redis's {@code activeExpireCycle}, and stops when its time
 * budget is spent (checked every 16 keys) so clients never wait long behind it.
 *
 * <p>The walk never looks at keys that are not due, so the figures Redis derives from its random
 * sampling come from a sample taken for them alone: before the walk, up to
 * {@value #KEYS_PER_SAMPLE} random keys with a deadline per database (Redis's
 * ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP). The share found past their deadline feeds INFO
 * expired_stale_perc (keys logically expired but still in memory), the others' remaining time
 * each database's avg_ttl. The cycle's duration adds up to expire_cycle_cpu_milliseconds and is
 * the {@code expire-cycle} latency event.
 */
public final class ActiveExpiryCycle {
    private static final int KEYS_PER_BUDGET_CHECK = 16;
    static final int KEYS_PER_SAMPLE = 20;
    /** Places of the deadline index looked at per key sampled at most: some are stale (see DeadlineHeap). */
    private static final int TRIES_PER_SAMPLE = 4;

    private final Keyspace keyspace;
    /** Where the {@code expire-cycle} event goes: (event, ms), sampled there if over the threshold. */
    private final ObjLongConsumer<String> latency;
    private final SplittableRandom random = new SplittableRandom();
    private boolean enabled = true;
    private double stalePerc;
    private long cycleNanos;
    private long timeCapReached;

    public ActiveExpiryCycle(Keyspace keyspace, ObjLongConsumer<String> latency) {
        this.keyspace = keyspace;
        this.latency = latency;
    }

    /** DEBUG SET-ACTIVE-EXPIRE: tests switch it off to observe lazy expiry alone. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** Runs one cycle; returns the number of deadline index entries it consumed. */
    public int run(long budgetNanos) {
        if (!enabled) {
            return 0;
        }
        long start = System.nanoTime();
        long now = keyspace.clock().nowMillis();
        sample(now);
        int total = 0;
        walk:
        for (int i = 0; i < keyspace.databaseCount(); i++) {
            while (true) {
                int n = keyspace.db(i).expireDue(now, KEYS_PER_BUDGET_CHECK);
                total += n;
                if (System.nanoTime() - start > budgetNanos) {
                    timeCapReached++;
                    break walk;
                }
                if (n < KEYS_PER_BUDGET_CHECK) {
                    break;
                }
            }
        }
        long elapsed = System.nanoTime() - start;
        cycleNanos += elapsed;
        latency.accept("expire-cycle", elapsed / 1_000_000);
        return total;
    }

    /** The estimates' sample: stale share over all databases, remaining TTL per database. */
    private void sample(long now) {
        long sampled = 0;
        long expired = 0;
        for (int i = 0; i < keyspace.databaseCount(); i++) {
            Database db = keyspace.db(i);
            int volatileKeys = db.expiresSize();
            if (volatileKeys == 0) {
                db.avgTtl(0); // as Redis, once a database has no key with a deadline
                continue;
            }
            int want = Math.min(volatileKeys, KEYS_PER_SAMPLE);
            int seen = 0;
            long ttlSum = 0;
            int ttlSamples = 0;
            for (int tries = want * TRIES_PER_SAMPLE; seen < want && tries > 0; tries--) {
                long deadline = db.randomDeadline(random);
                if (deadline == Long.MIN_VALUE) {
                    continue; // a stale place: not a key
                }
                seen++;
                if (deadline <= now) {
                    expired++; // due, as expireDue sees it
                } else {
                    ttlSum += deadline - now;
                    ttlSamples++;
                }
            }
            sampled += seen;
            if (ttlSamples > 0) {
                db.avgTtl(RunningAverages.avgTtl(db.avgTtl(), ttlSum / ttlSamples));
            }
        }
        stalePerc = RunningAverages.stalePerc(stalePerc, sampled, expired);
    }

    /** INFO expired_stale_perc, as a fraction (0 to 1). */
    public double stalePerc() {
        return stalePerc;
    }

    /** INFO expire_cycle_cpu_milliseconds: the cycles' time so far (wall time on the store thread, as Redis's). */
    public long cycleMillis() {
        return cycleNanos / 1_000_000;
    }

    /** INFO expired_time_cap_reached_count: cycles that stopped because their budget was spent. */
    public long timeCapReached() {
        return timeCapReached;
    }

    /** CONFIG RESETSTAT: the figures Redis's resetServerStats clears (avg_ttl is not one). */
    public void resetStats() {
        stalePerc = 0;
        cycleNanos = 0;
        timeCapReached = 0;
    }
}
