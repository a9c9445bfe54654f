package dev.panda.store;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One numbered database: keys to values, keys to absolute deadlines, and the deadline index
 * that active expiry walks. Every read checks the key's deadline first (lazy expiry), so an
 * expired key is never visible even before the active cycle removes it. Every change is
 * reported to the {@link EffectLog}.
 *
 * <p>Values are {@code byte[]} for strings; other types will be other classes.
 *
 * <p>Store thread only.
 */
public final class Database {
    private final Keyspace keyspace;
    private int index;
    private KeyTable data = new KeyTable();
    /** Key to deadline (boxed Long): only keys that have a TTL are here. */
    private KeyTable expires = new KeyTable();
    private DeadlineHeap deadlines = new DeadlineHeap();

    Database(Keyspace keyspace, int index) {
        this.keyspace = keyspace;
        this.index = index;
    }

    public int index() {
        return index;
    }

    /** Keys, possibly counting expired keys the active cycle has not removed yet (as Redis). */
    public int size() {
        return data.size();
    }

    public int expiresSize() {
        return expires.size();
    }

    private long now() {
        return keyspace.now();
    }

    /** Deletes the key if its deadline has passed; true if it did. */
    private boolean expireIfDue(byte[] key) {
        if (expires.size() == 0) {
            return false;
        }
        Long deadline = (Long) expires.get(key);
        if (deadline == null || deadline > now()) {
            return false;
        }
        removeExpired(key);
        return true;
    }

    private void removeExpired(byte[] key) {
        data.remove(key);
        expires.remove(key);
        keyspace.stats().expiredKeys++;
        keyspace.effects().delete(index, key);
    }

    /** The live value, or null when absent or expired. Does not touch hit/miss counters. */
    public Object get(byte[] key) {
        Object value = data.getAndTouch(key, keyspace.touchClock());
        if (value == null || expireIfDue(key)) {
            return null;
        }
        return value;
    }

    /** Seconds since the live key was last accessed (OBJECT IDLETIME), or -1 when absent. */
    public long idleSeconds(byte[] key) {
        if (data.get(key) == null || expireIfDue(key)) {
            return -1;
        }
        return Math.max(0, keyspace.accessClock() - data.lastAccess(key));
    }

    /** As {@link #get}, counting a keyspace hit or miss (for read commands). */
    public Object read(byte[] key) {
        Object value = get(key);
        if (value == null) {
            keyspace.stats().misses++;
        } else {
            keyspace.stats().hits++;
        }
        return value;
    }

    public boolean exists(byte[] key) {
        return get(key) != null;
    }

    /** The key's absolute deadline in ms, or -1 when it has none (or does not exist). */
    public long deadline(byte[] key) {
        if (expires.size() == 0) {
            return -1;
        }
        Long deadline = (Long) expires.get(key);
        return deadline == null ? -1 : deadline;
    }

    /** Stores the value with an absolute deadline ({@code -1}: none, which clears any TTL). */
    public void set(byte[] key, Object value, long expireAtMs) {
        data.put(key, value, keyspace.accessClock());
        if (expireAtMs < 0) {
            if (expires.size() > 0) {
                expires.remove(key);
            }
        } else {
            trackDeadline(key, expireAtMs);
        }
        keyspace.effects().set(index, key, value, expireAtMs);
    }

    /**
     * Start-up load of a snapshot row: the key is known to be absent (a snapshot holds each key
     * once and the database starts empty), so it is stored without a lookup. Nothing is logged.
     */
    public void loadAbsent(byte[] key, Object value, long expireAtMs) {
        int clock = keyspace.accessClock();
        data.insertAbsent(key, value, clock);
        if (expireAtMs >= 0) {
            expires.insertAbsent(key, expireAtMs, 0);
            deadlines.add(expireAtMs, key);
        }
    }

    /** Makes room for {@code keys} more keys at once (start-up load). */
    public void reserve(int keys) {
        data.reserve(data.size() + keys);
    }

    /** After a load: gives back what {@link #reserve} allocated beyond the keys that came. */
    public void fitToSize() {
        data.fitToSize();
    }

    /** Stores the value and keeps the key's current TTL, if any (KEEPTTL, INCR, APPEND…). */
    public void setKeepTtl(byte[] key, Object value) {
        data.put(key, value, keyspace.accessClock());
        keyspace.effects().set(index, key, value, deadline(key));
    }

    private void trackDeadline(byte[] key, long expireAtMs) {
        expires.put(key, expireAtMs, 0);
        deadlines.add(expireAtMs, key);
        if (deadlines.isMostlyStale(expires.size())) {
            rebuildDeadlineIndex();
        }
    }

    private void rebuildDeadlineIndex() {
        DeadlineHeap fresh = new DeadlineHeap();
        expires.forEach((k, v) -> fresh.add((Long) v, k));
        deadlines = fresh;
    }

    /** Removes a live key; false if it did not exist (or had expired). */
    public boolean delete(byte[] key) {
        if (get(key) == null) {
            return false;
        }
        data.remove(key);
        if (expires.size() > 0) {
            expires.remove(key);
        }
        keyspace.effects().delete(index, key);
        return true;
    }

    /**
     * Gives a live key an absolute deadline. A deadline already in the past deletes the key, as
     * Redis does, and is logged as a delete. False if the key does not exist.
     */
    public boolean expireAt(byte[] key, long expireAtMs) {
        if (get(key) == null) {
            return false;
        }
        if (expireAtMs <= now()) {
            data.remove(key);
            expires.remove(key);
            keyspace.effects().delete(index, key);
            return true;
        }
        trackDeadline(key, expireAtMs);
        keyspace.effects().expireAt(index, key, expireAtMs);
        return true;
    }

    /** Removes the TTL of a live key; false if it had none. */
    public boolean persist(byte[] key) {
        if (get(key) == null || expires.remove(key) == null) {
            return false;
        }
        keyspace.effects().persist(index, key);
        return true;
    }

    public void flush() {
        data = new KeyTable();
        expires = new KeyTable();
        deadlines = new DeadlineHeap();
        keyspace.effects().flushDb(index);
    }

    /** Exchanges contents with another database (SWAPDB); the effect is logged by the keyspace. */
    void swapContents(Database other) {
        KeyTable d = data;
        KeyTable e = expires;
        DeadlineHeap h = deadlines;
        data = other.data;
        expires = other.expires;
        deadlines = other.deadlines;
        other.data = d;
        other.expires = e;
        other.deadlines = h;
    }

    /** A random live key, or null when the database is empty. */
    public byte[] randomKey(RandomGenerator random) {
        while (data.size() > 0) {
            byte[] key = data.randomKey(random);
            if (!expireIfDue(key)) {
                return key;
            }
        }
        return null;
    }

    /** Every live key (KEYS). Expired keys met on the way are removed. */
    public List<byte[]> keys() {
        List<byte[]> all = new ArrayList<>(data.size());
        data.forEach((k, v) -> all.add(k));
        return liveOnly(all);
    }

    /**
     * One SCAN step: adds live keys from the next buckets to {@code out} and returns the next
     * cursor (0 when done).
     */
    public long scan(long cursor, int count, List<byte[]> out) {
        List<byte[]> seen = new ArrayList<>(count);
        long next = data.scan(cursor, count, (k, v) -> seen.add(k));
        out.addAll(liveOnly(seen));
        return next;
    }

    private List<byte[]> liveOnly(List<byte[]> candidates) {
        if (expires.size() == 0) {
            return candidates;
        }
        List<byte[]> live = new ArrayList<>(candidates.size());
        for (byte[] k : candidates) {
            if (!expireIfDue(k)) {
                live.add(k);
            }
        }
        return live;
    }

    /**
     * A point-in-time image of this database for a snapshot, which another thread reads while
     * commands go on (see {@link DatabaseImage}). The caller must {@link DatabaseImage#release}
     * it on this thread when the snapshot is over.
     */
    public DatabaseImage freeze() {
        return new DatabaseImage(index, data, expires);
    }

    /**
     * Active expiry: removes keys whose deadline is at or before {@code now}, earliest first, at
     * most {@code limit} index entries. Returns how many index entries it consumed, so the
     * caller can keep within its time budget.
     */
    public int expireDue(long now, int limit) {
        int consumed = 0;
        while (consumed < limit && deadlines.peekDeadline() <= now) {
            long due = deadlines.peekDeadline();
            byte[] key = deadlines.peekKey();
            deadlines.pop();
            consumed++;
            Long current = (Long) expires.get(key);
            if (current != null && current == due) {
                removeExpired(key);
            }
        }
        return consumed;
    }

    /** Earliest deadline in the index (possibly stale), or {@link Long#MAX_VALUE}. */
    public long nextDeadline() {
        return deadlines.peekDeadline();
    }
}
