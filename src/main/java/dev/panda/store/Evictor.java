package dev.panda.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Picks and removes keys when memory is over {@code maxmemory}, as Redis's {@code evict.c}: the
 * LRU, LFU and TTL policies sample {@code maxmemory-samples} keys per database into a pool of the
 * 16 best candidates kept across calls (the key idle longest, least frequently used or closest
 * to its deadline is evicted first); the random policies take any key. The volatile policies
 * sample only keys with a deadline, from the deadline index. An eviction removes the key and
 * reports it as {@link Effects#evicted}: a delete in the log, "evicted" to notifications, a
 * change to WATCH and client tracking.
 *
 * <p>Store thread.
 */
public final class Evictor {
    /** Redis's maxmemory-policy values, in its order. */
    public enum Policy {
        VOLATILE_LRU, VOLATILE_LFU, VOLATILE_RANDOM, VOLATILE_TTL, ALLKEYS_LRU, ALLKEYS_LFU, ALLKEYS_RANDOM, NOEVICTION;

        public static Policy parse(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        }

        public String redisName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        boolean allKeys() {
            return this == ALLKEYS_LRU || this == ALLKEYS_LFU || this == ALLKEYS_RANDOM;
        }

        boolean random() {
            return this == ALLKEYS_RANDOM || this == VOLATILE_RANDOM;
        }

        public boolean lfu() {
            return this == ALLKEYS_LFU || this == VOLATILE_LFU;
        }
    }

    /** Redis's EVPOOL_SIZE. */
    private static final int POOL_SIZE = 16;

    private final Keyspace keyspace;
    private final SplittableRandom random = new SplittableRandom();
    private Policy policy = Policy.NOEVICTION;
    private int samples = 5;
    /**
     * The pool: the best {@link #POOL_SIZE} candidates seen, in slots {@code [0, poolSize)} in no
     * order (found by a scan of the scores, so a change writes one reference rather than shifting
     * them: each reference written into this long-lived array costs a G1 write barrier). It holds
     * the sampled entries themselves (their keys are read from them), so sampling copies nothing.
     */
    private final long[] poolScore = new long[POOL_SIZE];
    private final Object[] poolEntry = new Object[POOL_SIZE];
    private final int[] poolDb = new int[POOL_SIZE];
    private final Object[] sampled = new Object[64];
    private final long[] scores = new long[64];
    private int poolSize;
    /** The database the random policies start from next, round robin as Redis's next_db. */
    private int nextDb;
    /** Whether deletions are timed (the latency monitor is on); otherwise evicting reads no clock. */
    private boolean timeDeletes;
    private long lastDeleteNanos;

    public Evictor(Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    public Policy policy() {
        return policy;
    }

    public void setPolicy(Policy policy) {
        this.policy = policy;
        keyspace.access().setLfu(policy.lfu());
        poolSize = 0;
    }

    /** Times each eviction's deletion from now on (Redis's {@code eviction-del} latency event), or stops. */
    public void timeDeletes(boolean on) {
        timeDeletes = on;
    }

    /** How long the last eviction's deletion took, while {@link #timeDeletes} is on. */
    public long lastDeleteNanos() {
        return lastDeleteNanos;
    }

    public void setSamples(int samples) {
        this.samples = samples;
    }

    /**
     * Evicts one key; false when the policy has nothing to evict (noeviction, or no key with a
     * deadline under a volatile policy, or an empty keyspace).
     */
    public boolean evictOne() {
        if (policy == Policy.NOEVICTION) {
            return false;
        }
        return policy.random() ? evictRandom() : evictFromPool();
    }

    private boolean evictRandom() {
        int n = keyspace.databaseCount();
        for (int i = 0; i < n; i++) {
            Database db = keyspace.db(nextDb);
            nextDb = (nextDb + 1) % n;
            byte[] key = policy.allKeys() ? db.randomKey(random) : db.randomVolatileKey(random, 64);
            if (key != null) {
                long start = timeDeletes ? System.nanoTime() : 0;
                db.evict(key);
                if (timeDeletes) {
                    lastDeleteNanos = System.nanoTime() - start;
                }
                return true;
            }
        }
        return false;
    }

    private boolean evictFromPool() {
        // Each round samples every database; a round can find nothing new only by bad luck
        // (an unlucky run of empty slots, every pooled key gone), so a few hundred are plenty.
        for (int round = 0; round < 256; round++) {
            boolean any = false;
            for (int i = 0; i < keyspace.databaseCount(); i++) {
                Database db = keyspace.db(i);
                if (policy.allKeys() ? db.size() > 0 : db.expiresSize() > 0) {
                    any = true;
                    sampleInto(db);
                }
            }
            if (!any) {
                return false;
            }
            // The best candidate that still qualifies; stale ones (deleted, changed) are dropped.
            while (poolSize > 0) {
                int best = 0;
                for (int j = 1; j < poolSize; j++) {
                    if (poolScore[j] > poolScore[best]) {
                        best = j;
                    }
                }
                Object entry = poolEntry[best];
                int db = poolDb[best];
                int last = --poolSize;
                poolEntry[best] = poolEntry[last];
                poolScore[best] = poolScore[last];
                poolDb[best] = poolDb[last];
                poolEntry[last] = null;
                long start = timeDeletes ? System.nanoTime() : 0;
                if (keyspace.db(db).evictSampled(entry, policy.allKeys())) {
                    if (timeDeletes) {
                        lastDeleteNanos = System.nanoTime() - start;
                    }
                    return true;
                }
            }
            // Every pooled key was gone: sample again (Redis's loop does the same).
        }
        return false;
    }

    private void sampleInto(Database db) {
        int want = Math.min(samples, sampled.length);
        int n;
        if (policy.allKeys()) {
            n = db.sampleEntries(random, sampled, want);
        } else {
            n = 0;
            for (int i = 0; i < want; i++) {
                Object e = db.randomVolatileEntry(random, 64);
                if (e != null) {
                    sampled[n++] = e;
                }
            }
        }
        // Scores first, in a loop of independent loads: each sampled entry is a cache miss, and
        // the processor overlaps them only when nothing between them waits on one.
        KeyAccess access = keyspace.access();
        int clock = keyspace.accessClock();
        for (int i = 0; i < n; i++) {
            byte[] head = Entry.head(sampled[i]);
            scores[i] = policy == Policy.VOLATILE_TTL ? Long.MAX_VALUE - Entry.deadline(head) : access.evictionScore(head, clock);
        }
        for (int i = 0; i < n; i++) {
            offer(scores[i], sampled[i], db.index());
            sampled[i] = null;
        }
    }

    /** Redis's evictionPoolPopulate: keeps the best candidates, dropping the worst when full. */
    private void offer(long score, Object entry, int db) {
        int worst = -1;
        for (int j = 0; j < poolSize; j++) {
            if (poolEntry[j] == entry) {
                return; // already pooled
            }
            if (worst < 0 || poolScore[j] < poolScore[worst]) {
                worst = j;
            }
        }
        int k;
        if (poolSize < POOL_SIZE) {
            k = poolSize++;
        } else if (score > poolScore[worst]) {
            k = worst;
        } else {
            return; // no better than anything in a full pool
        }
        poolScore[k] = score;
        poolEntry[k] = entry;
        poolDb[k] = db;
    }
}
