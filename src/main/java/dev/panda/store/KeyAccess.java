package dev.panda.store;

import java.util.SplittableRandom;

/**
 * What an entry's 24-bit access field ({@link Entry}, bytes 1-3) records, as Redis's {@code lru}
 * field does: under an LRU (or no) eviction policy, the LRU clock in seconds at the last access;
 * under an LFU policy, the minute of the last decrement in the top 16 bits and a logarithmic
 * access counter in the low 8 ({@code evict.c}: {@code updateLFU}, {@code LFULogIncr},
 * {@code LFUDecrAndReturn}). Switching policy does not rewrite existing fields, as in Redis.
 *
 * <p>Store thread.
 */
public final class KeyAccess {
    /** Redis's LFU_INIT_VAL: a new key's counter, so it is not evicted before it can be used. */
    static final int LFU_INIT = 5;

    private final Keyspace keyspace;
    private final SplittableRandom random = new SplittableRandom();
    private boolean lfu;
    private int logFactor = 10;
    private int decayMinutes = 1;

    KeyAccess(Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    public void setLfu(boolean lfu) {
        this.lfu = lfu;
    }

    public boolean lfu() {
        return lfu;
    }

    public void setLogFactor(int logFactor) {
        this.logFactor = logFactor;
    }

    public void setDecayMinutes(int decayMinutes) {
        this.decayMinutes = decayMinutes;
    }

    private int minutes() {
        return (int) (keyspace.now() / 60_000) & 0xFFFF;
    }

    /** The field of a new entry: now, or a fresh counter with now as its decrement time. */
    public int initial() {
        return lfu ? minutes() << 8 | LFU_INIT : keyspace.accessClock();
    }

    /** Records an access to the entry whose header is {@code head} (in place). */
    void touch(byte[] head) {
        if (!lfu) {
            Entry.writeLru(head, keyspace.accessClock());
            return;
        }
        int counter = increment(decayed(Entry.lru(head)));
        Entry.writeLru(head, minutes() << 8 | counter);
    }

    /** The LFU counter after decay, without recording anything (OBJECT FREQ). */
    int frequency(byte[] head) {
        return decayed(Entry.lru(head));
    }

    private int decayed(int field) {
        int ldt = field >>> 8;
        int counter = field & 0xFF;
        int now = minutes();
        int elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
        int periods = decayMinutes > 0 ? elapsed / decayMinutes : 0;
        return periods > counter ? 0 : counter - periods;
    }

    private int increment(int counter) {
        if (counter == 255) {
            return 255;
        }
        double base = Math.max(0, counter - LFU_INIT);
        double p = 1.0 / (base * logFactor + 1);
        return random.nextDouble() < p ? counter + 1 : counter;
    }

    /**
     * How good an eviction candidate the entry is, higher first, as Redis's eviction pool ranks
     * them: idle milliseconds under LRU (against {@code clock}, {@link Keyspace#accessClock}), 255
     * minus the decayed counter under LFU.
     */
    long evictionScore(byte[] head, int clock) {
        if (lfu) {
            return 255 - decayed(Entry.lru(head));
        }
        return Entry.idleSeconds(head, clock) * 1000L;
    }
}
