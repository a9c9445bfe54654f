package dev.panda.store;

/**
 * Keyspace counters reported by INFO stats: hits, misses and expired keys. Store thread only
 * (INFO runs there too).
 */
public final class KeyspaceStats {
    public long hits;
    public long misses;
    public long expiredKeys;
    public long evictedKeys;

    public void reset() {
        hits = 0;
        misses = 0;
        expiredKeys = 0;
        evictedKeys = 0;
    }
}
