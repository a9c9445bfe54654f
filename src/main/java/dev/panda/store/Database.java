package dev.panda.store;

import dev.panda.store.value.Encoding;
import dev.panda.store.value.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One numbered database: a table of entries ({@link Entry}: key, type, deadline and, for
 * strings and small collections, the value), and the deadline index that active expiry walks.
 * Every lookup checks the entry's deadline first (lazy expiry), so an expired key is never
 * visible even before the active cycle removes it.
 *
 * <p>This class holds the operations every type shares (existence, type, TTLs, renaming,
 * copying, deletion, iteration); the typed ones live in {@link Strings}, {@link Hashes},
 * {@link Sets}, {@link Lists} and {@link Zsets}, reached through {@link #strings()} and its siblings. Every change is reported to
 * the keyspace's {@link Effects}, and every change passes through {@link #store} or
 * {@link #unlink}, which keep the counters (keys with a deadline, keys per type) and the
 * deadline index right.
 *
 * <p>Store thread only.
 */
public final class Database {
    private final Keyspace keyspace;
    private final int index;
    private final Strings strings;
    private final Hashes hashes;
    private final Sets sets;
    private final Lists lists;
    private final Zsets zsets;
    private final Streams streams;
    private KeyTable data = new KeyTable();
    private DeadlineHeap deadlines = new DeadlineHeap();
    /** Keys with a deadline (INFO keyspace's expires). */
    private int expiring;
    /** Keys per {@link ValueType#code()}. */
    private int[] typeCounts = new int[8];
    /** Heap bytes of the structures behind this database's large values ({@link LargeValue#counted}). */
    private long largeBytes;
    /**
     * Active expiry's running estimate of the keys' remaining time to live, in ms (INFO keyspace
     * avg_ttl); like Redis's db->avg_ttl it follows the contents through SWAPDB and FLUSHDB.
     */
    private long avgTtl;

    Database(Keyspace keyspace, int index) {
        this.keyspace = keyspace;
        this.index = index;
        this.strings = new Strings(this);
        this.hashes = new Hashes(this);
        this.sets = new Sets(this);
        this.lists = new Lists(this);
        this.zsets = new Zsets(this);
        this.streams = new Streams(this);
    }

    public int index() {
        return index;
    }

    public Strings strings() {
        return strings;
    }

    public Hashes hashes() {
        return hashes;
    }

    public Sets sets() {
        return sets;
    }

    public Lists lists() {
        return lists;
    }

    public Zsets zsets() {
        return zsets;
    }

    public Streams streams() {
        return streams;
    }

    Keyspace keyspace() {
        return keyspace;
    }

    Effects effects() {
        return keyspace.effects();
    }

    /** Keys, possibly counting expired keys the active cycle has not removed yet (as Redis). */
    public int size() {
        return data.size();
    }

    /** Keys with a deadline. */
    public int expiresSize() {
        return expiring;
    }

    /** Keys holding values of {@code type} (expired ones not yet removed included). */
    public int count(ValueType type) {
        return typeCounts[type.code()];
    }

    // ---- lookups -------------------------------------------------------------------------------

    /**
     * The live entry of the key, or null when absent or expired (an expired key is removed, and
     * the removal logged). Records an access unless the client asked for NO-TOUCH.
     */
    Object lookup(byte[] key) {
        Object e = data.get(key);
        if (e == null) {
            return null;
        }
        byte[] head = Entry.head(e);
        if (Entry.hasDeadline(head) && Entry.deadline(head) <= keyspace.now() && !keyspace.loading()) {
            removeExpired(key, e);
            return null;
        }
        if (keyspace.touching()) {
            keyspace.access().touch(head);
        }
        if (e instanceof LargeValue large) {
            keyspace.lookedUp(this, large); // it may change in place: recounted when the command ends
        }
        return e;
    }

    /** As {@link #lookup}, counting a keyspace hit or miss (read commands). */
    Object lookupRead(byte[] key) {
        Object e = lookup(key);
        if (e == null) {
            keyspace.stats().misses++;
            effects().keyMissed(index, key);
        } else {
            keyspace.stats().hits++;
        }
        return e;
    }

    /** The live entry without recording an access (TYPE, OBJECT). */
    private Object peek(byte[] key) {
        Object e = data.get(key);
        if (e != null && Entry.hasDeadline(Entry.head(e)) && Entry.deadline(e) <= keyspace.now() && !keyspace.loading()) {
            removeExpired(key, e);
            return null;
        }
        return e;
    }

    /** The type of the live key's value, or null when it does not exist. */
    public ValueType type(byte[] key) {
        Object e = peek(key);
        return e == null ? null : Entry.type(e);
    }

    /** How the live key's value is represented (OBJECT ENCODING), or null when it does not exist. */
    public Encoding encoding(byte[] key) {
        Object e = peek(key);
        return e == null ? null : encodingOf(e);
    }

    private static Encoding encodingOf(Object e) {
        return switch (Entry.type(e)) {
            case STRING -> Strings.encoding((byte[]) e);
            case HASH -> Entry.isLarge(e) ? Encoding.HASHTABLE_HASH : Encoding.LISTPACK_HASH;
            case SET -> Entry.isLarge(e) ? Encoding.HASHTABLE_SET : Encoding.INTSET;
            case LIST -> Encoding.QUICKLIST;
            case ZSET -> Entry.isLarge(e) ? Encoding.SKIPLIST : Encoding.LISTPACK_ZSET;
            case STREAM -> Encoding.STREAM;
            default -> throw new IllegalStateException("no encoding for " + Entry.type(e));
        };
    }

    /** Whether the key is in the table, expired or not, without expiring or touching it (keyspace notifications). */
    public boolean containsQuietly(byte[] key) {
        return data.get(key) != null;
    }

    public boolean exists(byte[] key) {
        return lookup(key) != null;
    }

    /** As {@link #exists}, counting a keyspace hit or miss (EXISTS). */
    public boolean existsRead(byte[] key) {
        return lookupRead(key) != null;
    }

    /** The key's absolute deadline in ms, or -1 when it has none (or does not exist). */
    public long deadline(byte[] key) {
        Object e = lookup(key);
        return e == null ? -1 : Entry.deadline(e);
    }

    /** As {@link #deadline}, counting a keyspace hit or miss (TTL and its siblings); -2 when absent. */
    public long deadlineRead(byte[] key) {
        Object e = lookupRead(key);
        return e == null ? -2 : Entry.deadline(e);
    }

    /**
     * Heap bytes the key and its value hold (MEMORY USAGE): its entry, the structure of a large
     * value, its share of the key table, and its deadline index entry; -1 when absent.
     */
    public long memoryUsage(byte[] key) {
        Object e = peek(key);
        if (e == null) {
            return -1;
        }
        long bytes = HeapSizes.entry(e) + 6; // a slot at the table's 3/4 load at most
        if (e instanceof LargeValue large) {
            bytes += large.dataBytes();
        }
        if (Entry.hasDeadline(Entry.head(e))) {
            bytes += 12 + HeapSizes.bytes(key.length);
        }
        return bytes;
    }

    /** The key table (tests that recount memory from scratch). */
    KeyTable table() {
        return data;
    }

    /** Heap bytes of the key table and deadline index themselves (MEMORY STATS overhead.hashtable.*). */
    public long tableOverheadBytes() {
        return data.heapBytes() - data.entryBytes();
    }

    public long expiresOverheadBytes() {
        return deadlines.heapBytes();
    }

    /** The key's decayed LFU counter (OBJECT FREQ under an LFU policy), or -1 when absent. */
    public int frequency(byte[] key) {
        Object e = peek(key);
        return e == null ? -1 : keyspace.access().frequency(Entry.head(e));
    }

    /**
     * What DEBUG OBJECT shows of a value: its encoding, its raw access field (24 bits) and idle
     * seconds, and for a list its quicklist shape (a packed list is one node).
     *
     * @param nodes        quicklist nodes (0 for other types)
     * @param elements     list elements (0 for other types)
     * @param packedBytes  the nodes' listpack bytes (Redis's node {@code sz}, summed)
     */
    public record ObjectInfo(Encoding encoding, int accessField, long idleSeconds, int nodes, long elements,
            long packedBytes) {
    }

    /**
     * DEBUG OBJECT's facts about the key, or null when it is not in the table. As Redis's
     * {@code dictFind}, a key past its deadline not yet removed is still shown, and nothing
     * counts as an access.
     */
    public ObjectInfo debugObject(byte[] key) {
        Object e = data.get(key);
        if (e == null) {
            return null;
        }
        byte[] head = Entry.head(e);
        int nodes = 0;
        long elements = 0;
        long bytes = 0;
        if (Entry.type(e) == ValueType.LIST) {
            if (e instanceof byte[] a) {
                int base = Entry.valueOffset(a);
                nodes = 1;
                elements = dev.panda.store.value.Listpack.size(a, base);
                bytes = dev.panda.store.value.Listpack.totalBytes(a, base);
            } else {
                QuickList q = (QuickList) ((LargeValue) e).data;
                nodes = q.count;
                elements = q.size();
                for (int i = 0; i < q.count; i++) {
                    bytes += dev.panda.store.value.Listpack.totalBytes(q.node(i), 0);
                }
            }
        }
        return new ObjectInfo(encodingOf(e), Entry.lru(head), Entry.idleSeconds(head, keyspace.accessClock()), nodes,
                elements, bytes);
    }

    /**
     * DEBUG OBJECT's serializedlength, as Redis's {@code rdbSavedObjectLen}: the bytes of the
     * value's RDB form without its type byte, for Redis's RDB encoding of each of Panda's
     * encodings (packed values are Redis's listpacks and intsets byte for byte, written as one
     * string; a list is a quicklist of listpack nodes, but Panda's nodes hold at most 64
     * elements, so a longer list has other nodes than Redis's; a stream is what DUMP writes of
     * it, measured as Redis would write it). -1 when the key is not in the table. As
     * {@link #debugObject}, an expired key not yet removed counts, and nothing is an access.
     */
    public long serializedLength(byte[] key, dev.panda.rdb.RdbSize rdb) {
        Object e = data.get(key);
        if (e == null) {
            return -1;
        }
        if (Entry.type(e) == ValueType.STREAM) {
            dev.panda.rdb.RdbBuffer counter = dev.panda.rdb.RdbBuffer.counter(rdb);
            StreamRdb.write((Stream) ((LargeValue) e).data, counter);
            return counter.counted() - 1; // without the type byte
        }
        if (e instanceof byte[] a) {
            int base = Entry.valueOffset(a);
            return switch (Entry.type(e)) {
                case STRING -> rdb.string(a, base, a.length - base);
                case SET -> rdb.string(a, base, dev.panda.store.value.Intset.blobLength(a, base));
                // A one-node quicklist: the node count, the node's container (2: packed), the listpack.
                case LIST -> 2 + rdb.string(a, base, dev.panda.store.value.Listpack.totalBytes(a, base));
                default -> rdb.string(a, base, dev.panda.store.value.Listpack.totalBytes(a, base)); // hash, zset
            };
        }
        Object structure = ((LargeValue) e).data;
        if (structure instanceof QuickList q) {
            long bytes = dev.panda.rdb.RdbSize.length(q.count);
            for (int i = 0; i < q.count; i++) {
                byte[] node = q.node(i);
                bytes += 1 + rdb.string(node, 0, dev.panda.store.value.Listpack.totalBytes(node, 0));
            }
            return bytes;
        }
        KeyTable table = structure instanceof SortedSet z ? z.members : (KeyTable) structure;
        boolean hash = Entry.type(e) == ValueType.HASH;
        boolean zset = Entry.type(e) == ValueType.ZSET;
        long[] bytes = {dev.panda.rdb.RdbSize.length(table.size())};
        table.forEach(o -> {
            byte[] element = (byte[]) o;
            int len = Entry.readVarint(element, 0);
            int off = Entry.varintLength(len);
            bytes[0] += rdb.string(element, off, len);
            if (hash) {
                bytes[0] += rdb.string(element, off + len, element.length - off - len);
            } else if (zset) {
                bytes[0] += 8; // the score, a binary double
            }
        });
        return bytes[0];
    }

    /** The key table's figures (DEBUG HTSTATS). */
    public KeyTable.Stats tableStats() {
        return data.stats();
    }

    /**
     * The figures of the hash table holding the live key's value (DEBUG HTSTATS-KEY): a hash or
     * set in its hashtable encoding, or a sorted set's member table; null for a packed value or
     * any other type. The caller has checked the key exists; nothing counts as an access.
     */
    public KeyTable.Stats valueTableStats(byte[] key) {
        Object e = peek(key);
        if (!(e instanceof LargeValue large)) {
            return null;
        }
        if (large.data instanceof KeyTable t) {
            return t.stats();
        }
        return large.data instanceof SortedSet z ? z.members.stats() : null;
    }

    /** Seconds since the live key was last accessed (OBJECT IDLETIME), or -1 when absent. */
    public long idleSeconds(byte[] key) {
        Object e = peek(key);
        return e == null ? -1 : Entry.idleSeconds(Entry.head(e), keyspace.accessClock());
    }

    // ---- the one way entries change --------------------------------------------------------------

    /**
     * Puts {@code entry} in the table in place of {@code old} (the entry the caller looked up for
     * the same key, or null when there was none), keeping the counters and the deadline index.
     * Logs nothing: the caller reports the change as its effect.
     */
    void store(Object entry, Object old) {
        store(entry, old, false);
    }

    /**
     * As {@link #store}, for a key a lookup has just found absent: the table skips comparing it
     * with the keys along its probe run (DEBUG POPULATE's millions of new keys).
     */
    void storeAbsent(Object entry) {
        store(entry, null, true);
    }

    private void store(Object entry, Object old, boolean absent) {
        if (old == null && keyspace.reportsKeyCreation()) {
            effects().keyCreated(index, Entry.key(entry));
        }
        if (absent) {
            data.insertAbsent(entry);
        } else {
            data.put(entry);
        }
        uncount(old);
        count(entry);
        byte[] head = Entry.head(entry);
        long deadline = Entry.deadline(head);
        if (old != null) {
            byte[] oldHead = Entry.head(old);
            typeCounts[oldHead[0] & 0x07]--;
            if (Entry.hasDeadline(oldHead)) {
                expiring--;
            }
            if (deadline >= 0 && Entry.deadline(oldHead) == deadline) {
                deadline = -1; // already in the index
                expiring++;
            }
        }
        typeCounts[head[0] & 0x07]++;
        if (deadline >= 0) {
            expiring++;
            deadlines.add(deadline, Entry.key(entry));
            if (deadlines.isMostlyStale(expiring)) {
                rebuildDeadlineIndex();
            }
        }
    }

    /** Removes the entry of {@code key} (present), keeping the counters. Logs nothing. */
    void unlink(byte[] key) {
        removed(data.remove(key));
    }

    /** Keeps the counters after {@code old} left the table. */
    private void removed(Object old) {
        uncount(old);
        byte[] head = Entry.head(old);
        typeCounts[head[0] & 0x07]--;
        if (Entry.hasDeadline(head)) {
            expiring--;
        }
    }

    /** Removes the key whose entry is known (looked up just now), and logs the deletion. */
    void delete(byte[] key, Object entry) {
        unlink(key);
        effects().delete(index, key);
    }

    private void count(Object entry) {
        if (entry instanceof LargeValue large) {
            large.counted = large.dataBytes();
            largeBytes += large.counted;
            keyspace.lookedUp(this, large);
        }
    }

    private void uncount(Object entry) {
        if (entry instanceof LargeValue large && large.counted >= 0) {
            largeBytes -= large.counted;
            large.counted = -1;
        }
    }

    /** Brings a large value's count up to date after changes in place. */
    void recount(LargeValue large) {
        if (large.counted >= 0) {
            long now = large.dataBytes();
            largeBytes += now - large.counted;
            large.counted = now;
        }
    }

    /**
     * Heap bytes of this database: the key table and its entries, the structures of large
     * values and the deadline index. O(1) (see {@link Keyspace#datasetBytes}).
     */
    long heapBytes() {
        return data.heapBytes() + deadlines.heapBytes() + largeBytes;
    }

    private void removeExpired(byte[] key, Object entry) {
        keyspace.stats().expiredKeys++;
        java.util.function.LongConsumer timer = keyspace.expiredDeleteTimer();
        if (timer == null) {
            unlink(key);
        } else {
            long start = System.nanoTime();
            unlink(key);
            timer.accept(System.nanoTime() - start);
        }
        effects().expired(index, key);
    }

    private void rebuildDeadlineIndex() {
        DeadlineHeap fresh = new DeadlineHeap();
        data.forEach(e -> {
            long d = Entry.deadline(e);
            if (d >= 0) {
                fresh.add(d, Entry.key(e));
            }
        });
        deadlines = fresh;
    }

    // ---- operations on any type ------------------------------------------------------------------

    /** Removes a live key; false if it did not exist (or had expired). */
    public boolean delete(byte[] key) {
        Object e = lookup(key);
        if (e == null) {
            return false;
        }
        delete(key, e);
        return true;
    }

    /**
     * Gives a live key an absolute deadline. A deadline already in the past deletes the key, as
     * Redis does, and is logged as a delete (while loading, the deadline is kept: see
     * {@link Keyspace#setLoading}). False if the key does not exist.
     */
    public boolean expireAt(byte[] key, long expireAtMs) {
        Object e = lookup(key);
        if (e == null) {
            return false;
        }
        if (expireAtMs <= keyspace.now() && !keyspace.loading()) {
            delete(key, e);
            return true;
        }
        store(Entry.withDeadline(e, expireAtMs), e);
        effects().expireAt(index, key, expireAtMs);
        return true;
    }

    /** Removes the TTL of a live key; false if it had none. */
    public boolean persist(byte[] key) {
        Object e = lookup(key);
        if (e == null || Entry.deadline(e) < 0) {
            return false;
        }
        store(Entry.withDeadline(e, -1), e);
        effects().persist(index, key);
        return true;
    }

    /**
     * Moves the value of {@code from} (a live key) to {@code to}, replacing whatever {@code to}
     * held; the deadline goes with it. False when {@code from} does not exist.
     */
    public boolean rename(byte[] from, byte[] to) {
        Object e = lookup(from);
        if (e == null) {
            return false;
        }
        if (java.util.Arrays.equals(from, to)) {
            return true;
        }
        Object old = lookup(to);
        unlink(from);
        store(Entry.rekeyed(e, to), old);
        effects().rename(index, from, to);
        return true;
    }

    /**
     * Copies the live key's value (and deadline) to {@code dstKey} in {@code dst}, replacing what
     * is there only with {@code replace}. False when the source does not exist or the
     * destination does and may not be replaced.
     */
    public boolean copy(byte[] key, Database dst, byte[] dstKey, boolean replace) {
        Object e = lookup(key);
        if (e == null) {
            return false;
        }
        Object old = dst.lookup(dstKey);
        if (old != null && !replace) {
            return false;
        }
        Object copy = Entry.rekeyed(e, dstKey);
        if (copy instanceof LargeValue large) {
            Object data = large.data instanceof KeyTable t ? t.copy()
                    : large.data instanceof QuickList q ? q.copy()
                    : large.data instanceof Stream s ? s.copy() : ((SortedSet) large.data).copy();
            copy = new LargeValue(large.head, data);
        }
        dst.store(copy, old);
        effects().copy(index, key, dst.index, dstKey);
        return true;
    }

    /** Moves the live key to {@code dst} unless it exists there; false when nothing moved. */
    public boolean move(byte[] key, Database dst) {
        Object e = lookup(key);
        if (e == null || dst.lookup(key) != null) {
            return false;
        }
        unlink(key);
        dst.store(e, null);
        effects().move(index, key, dst.index);
        return true;
    }

    public void flush() {
        keyspace.settleCounts();
        largeBytes = 0;
        data = new KeyTable();
        deadlines = new DeadlineHeap();
        expiring = 0;
        avgTtl = 0;
        typeCounts = new int[8];
        effects().flushDb(index);
    }

    /** Exchanges contents with another database (SWAPDB); the effect is logged by the keyspace. */
    void swapContents(Database other) {
        KeyTable d = data;
        DeadlineHeap h = deadlines;
        int x = expiring;
        int[] t = typeCounts;
        long l = largeBytes;
        largeBytes = other.largeBytes;
        other.largeBytes = l;
        long ttl = avgTtl;
        avgTtl = other.avgTtl;
        other.avgTtl = ttl;
        data = other.data;
        deadlines = other.deadlines;
        expiring = other.expiring;
        typeCounts = other.typeCounts;
        other.data = d;
        other.deadlines = h;
        other.expiring = x;
        other.typeCounts = t;
    }

    // ---- iteration -------------------------------------------------------------------------------

    /** A random live key, or null when the database is empty. */
    public byte[] randomKey(RandomGenerator random) {
        while (data.size() > 0) {
            byte[] key = Entry.key(data.randomEntry(random));
            if (peek(key) != null) {
                return key;
            }
        }
        return null;
    }

    // ---- eviction ----------------------------------------------------------------------------------

    /** Up to {@code count} entries from one random run of the table, for eviction sampling; returns how many. */
    int sampleEntries(RandomGenerator random, Object[] out, int count) {
        return data.sample(random, out, count);
    }

    /**
     * An entry with a deadline, for eviction sampling: a random place in the deadline index,
     * skipping stale places (the key gone or given another deadline); null after {@code tries}
     * stale ones or when none has a deadline.
     */
    Object randomVolatileEntry(RandomGenerator random, int tries) {
        int n = deadlines.size();
        if (n == 0 || expiring == 0) {
            return null;
        }
        for (int i = 0; i < tries; i++) {
            Object e = liveAt(random.nextInt(n));
            if (e != null) {
                return e;
            }
        }
        if (n > 4096) {
            // Deletions leave stale places that only stores and evictions clean up: a large index
            // mostly stale is rebuilt, after which every place is live.
            rebuildDeadlineIndex();
            n = deadlines.size();
        }
        if (n > 0) { // find one for sure
            int start = random.nextInt(n);
            for (int i = 0; i < n; i++) {
                Object e = liveAt((start + i) % n);
                if (e != null) {
                    return e;
                }
            }
        }
        return null;
    }

    private Object liveAt(int at) {
        Object e = data.get(deadlines.keyAt(at));
        return e != null && Entry.deadline(e) == deadlines.deadlineAt(at) ? e : null;
    }

    byte[] randomVolatileKey(RandomGenerator random, int tries) {
        Object e = randomVolatileEntry(random, tries);
        return e == null ? null : Entry.key(e);
    }

    /**
     * Evicts the key of a sampled entry if it still qualifies: present (under any value), and
     * with a deadline unless any key may go. False when it no longer does.
     */
    boolean evictSampled(Object sampled, boolean anyKey) {
        byte[] head = Entry.head(sampled);
        int off = Entry.keyOffset(head);
        int len = Entry.keyLength(head);
        if (!anyKey) {
            Object e = data.get(head, off, len);
            if (e == null || !Entry.hasDeadline(Entry.head(e))) {
                return false;
            }
        }
        Object old = data.remove(head, off, len);
        if (old == null) {
            return false;
        }
        removed(old);
        evicted(Entry.key(old));
        return true;
    }

    /** Removes a key to free memory (present), and reports it as evicted. */
    void evict(byte[] key) {
        unlink(key);
        evicted(key);
    }

    private void evicted(byte[] key) {
        if (deadlines.isMostlyStale(expiring)) {
            rebuildDeadlineIndex(); // evictions leave stale places that volatile sampling would keep meeting
        }
        keyspace.stats().evictedKeys++;
        effects().evicted(index, key);
    }

    /** Every live key (KEYS). Expired keys met on the way are removed. */
    public List<byte[]> keys() {
        List<Object> all = new ArrayList<>(data.size());
        data.forEach(all::add);
        return liveKeys(all, null);
    }

    /**
     * One SCAN step: adds live keys from the next buckets to {@code out} (only those holding
     * {@code type}, unless it is null) and returns the next cursor (0 when done).
     */
    public long scan(long cursor, int count, ValueType type, List<byte[]> out) {
        List<Object> seen = new ArrayList<>(count);
        long next = data.scan(cursor, count, seen::add);
        out.addAll(liveKeys(seen, type));
        return next;
    }

    private List<byte[]> liveKeys(List<Object> entries, ValueType type) {
        long now = keyspace.now();
        List<byte[]> live = new ArrayList<>(entries.size());
        for (Object e : entries) {
            byte[] key = Entry.key(e);
            long deadline = Entry.deadline(e);
            if (deadline >= 0 && deadline <= now) {
                removeExpired(key, e);
            } else if (type == null || Entry.type(e) == type) {
                live.add(key);
            }
        }
        return live;
    }

    // ---- snapshots and loading ---------------------------------------------------------------------

    /**
     * A point-in-time image of this database for the snapshot of {@code epoch}, which another
     * thread reads while commands go on (see {@link DatabaseImage}). The caller must
     * {@link DatabaseImage#release} it on this thread when the snapshot is over.
     */
    public DatabaseImage freeze(int epoch) {
        return new DatabaseImage(index, data, epoch);
    }

    /**
     * Start-up load: stores an entry whose key is known to be absent (a snapshot holds each key
     * once and the database starts empty) without a lookup. Nothing is logged.
     */
    void loadAbsent(Object entry) {
        data.insertAbsent(entry);
        count(entry);
        byte[] head = Entry.head(entry);
        typeCounts[head[0] & 0x07]++;
        if (Entry.hasDeadline(head)) {
            expiring++;
            deadlines.add(Entry.deadline(head), Entry.key(entry));
        }
    }

    /** Makes room for {@code keys} more keys at once (start-up load, DEBUG POPULATE). */
    public void reserve(int keys) {
        data.reserve((int) Math.min(Integer.MAX_VALUE, (long) data.size() + keys));
    }

    /** After a load: gives back what {@link #reserve} allocated beyond the keys that came. */
    public void fitToSize() {
        data.fitToSize();
    }

    // ---- active expiry -----------------------------------------------------------------------------

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
            Object e = data.get(key);
            if (e != null && Entry.deadline(e) == due) {
                removeExpired(key, e);
            }
        }
        return consumed;
    }

    /**
     * For active expiry's estimates (as Redis's activeExpireCycle samples its expires table): the
     * deadline at a random place of the deadline index when its key still has it, otherwise
     * (a stale place, or no index) {@link Long#MIN_VALUE}.
     */
    public long randomDeadline(RandomGenerator random) {
        int n = deadlines.size();
        if (n == 0) {
            return Long.MIN_VALUE;
        }
        int at = random.nextInt(n);
        return liveAt(at) != null ? deadlines.deadlineAt(at) : Long.MIN_VALUE;
    }

    /** The estimated mean remaining time to live of the keys with a deadline, in ms (INFO avg_ttl). */
    public long avgTtl() {
        return avgTtl;
    }

    /** Active expiry sets the estimate (0 once no key has a deadline). */
    public void avgTtl(long ms) {
        avgTtl = ms;
    }

    /** Earliest deadline in the index (possibly stale), or {@link Long#MAX_VALUE}. */
    public long nextDeadline() {
        return deadlines.peekDeadline();
    }
}
