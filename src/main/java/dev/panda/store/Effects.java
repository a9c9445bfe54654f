package dev.panda.store;

/**
 * The one stream of changes to the keyspace, in the order they happen. Every typed operation of
 * the store reports what it did here, and only here: the write-ahead log listens to it now, and
 * so will WATCH, blocked-client wake-ups, keyspace notifications, eviction accounting and
 * replication.
 *
 * <p>Effects are what happened, not what was asked: a deadline is absolute (epoch ms), INCR is
 * the value it produced, an expired key is a delete, a random pop is the members it removed, a
 * hash field increment is the field's new value. Replaying them in order (through the same
 * store operations, with effects off) rebuilds the keyspace without a clock or a random draw.
 *
 * <p>{@link #beginCommand} and {@link #endCommand} bracket the effects of one command, which
 * form one atomic unit (one write-ahead-log record); effects outside a bracket (active expiry)
 * are units of one. Arrays handed over are not changed afterwards by the store (listeners may
 * keep them until the end of the unit).
 *
 * <p>Store thread only.
 */
public interface Effects {
    /** A command starts: its effects up to {@link #endCommand} are one unit. */
    default void beginCommand() {
    }

    /** The command's unit is complete (it may have no effects at all). */
    default void endCommand() {
    }

    /** Key now holds the string {@code value[off, off + len)}; {@code expireAtMs} is its deadline or -1. */
    void setString(int db, byte[] key, byte[] value, int off, int len, long expireAtMs);

    /**
     * {@code data[off, off + len)} was written into the string at key from byte {@code offset}
     * on (SETBIT, SETRANGE, APPEND): the string grew with zero bytes if it was shorter, was
     * created (without a deadline) if absent, and keeps its deadline otherwise.
     */
    void stringWrite(int db, byte[] key, long offset, byte[] data, int off, int len);

    /** Key no longer exists (deleted, expired, or emptied). */
    void delete(int db, byte[] key);

    /** Key keeps its value and gets the absolute deadline {@code atMs}. */
    void expireAt(int db, byte[] key, long atMs);

    /** Key keeps its value and loses its deadline. */
    void persist(int db, byte[] key);

    void flushDb(int db);

    void swapDb(int a, int b);

    /** The value and deadline of {@code from} moved to {@code to}, replacing what {@code to} held. */
    void rename(int db, byte[] from, byte[] to);

    /** {@code src}'s value and deadline were copied to {@code dst} in {@code dstDb}, replacing what was there. */
    void copy(int db, byte[] src, int dstDb, byte[] dst);

    /** The key moved to database {@code dstDb} (where it did not exist). */
    void move(int db, byte[] key, int dstDb);

    /**
     * The hash at key (created if absent, keeping its deadline otherwise) now maps these fields
     * to these values: {@code items[from, to)} holds field, value, field, value….
     */
    void hashSet(int db, byte[] key, byte[][] items, int from, int to);

    /** These fields ({@code fields[from, to)}) were removed from the hash; an emptied hash is gone. */
    void hashDelete(int db, byte[] key, byte[][] fields, int from, int to);

    /** These members were added to the set at key (created if absent). */
    void setAdd(int db, byte[] key, byte[][] members, int from, int to);

    /** These members were removed from the set; an emptied set is gone. */
    void setRemove(int db, byte[] key, byte[][] members, int from, int to);

    /** {@code items[from, to)} were pushed one by one at the head (or tail) of the list at key (created if absent). */
    void listPush(int db, byte[] key, boolean head, byte[][] items, int from, int to);

    /** {@code count} elements were removed from the head (or tail) of the list; an emptied list is gone. */
    void listPop(int db, byte[] key, boolean head, long count);

    /** The element at {@code index} (from the head) of the list became {@code value}. */
    void listSet(int db, byte[] key, long index, byte[] value);

    /** {@code value} was inserted into the list so that it is now the element at {@code index}. */
    void listInsert(int db, byte[] key, long index, byte[] value);

    /** LREM's removal: up to |count| elements equal to {@code value} from the head (count > 0), the tail (< 0) or all (0). */
    void listRemove(int db, byte[] key, long count, byte[] value);

    /** The sorted set at key (created if absent) now has these members with these scores: {@code items[from, to)} is member, 8-byte score… */
    void zsetAdd(int db, byte[] key, byte[][] items, int from, int to);

    /** These members were removed from the sorted set; an emptied set is gone. */
    void zsetRemove(int db, byte[] key, byte[][] members, int from, int to);

    /** The stream at key changed as {@code change} describes (see {@link StreamChange} for {@code items}). */
    void stream(int db, byte[] key, StreamChange change, byte[][] items);

    /** Key reached its deadline and was removed: a delete to the log, "expired" to notifications. */
    default void expired(int db, byte[] key) {
        delete(db, key);
    }

    /** Key was removed to free memory: a delete to the log, "evicted" to notifications. */
    default void evicted(int db, byte[] key) {
        delete(db, key);
    }

    /**
     * Key did not exist and is about to get its first value (reported before the effect that
     * gives it one). Not a change by itself: the log ignores it; keyspace notifications send "new".
     */
    default void keyCreated(int db, byte[] key) {
    }

    /** A read found no key. Not a change: only keyspace notifications ("keymiss") listen. */
    default void keyMissed(int db, byte[] key) {
    }

    /** A function library was loaded (or replaced): its name and its source. */
    default void functionLoad(byte[] name, byte[] code) {
    }

    /** A function library was deleted. */
    default void functionDelete(byte[] name) {
    }

    /** Every function library was deleted. */
    default void functionFlush() {
    }

    /** Reports nothing (start-up replay, tests). */
    Effects NONE = new Ignoring();

    /** Ignores every effect: a base for observers that want a few of them. */
    class Ignoring implements Effects {
        @Override public void setString(int db, byte[] key, byte[] value, int off, int len, long expireAtMs) { }
        @Override public void stringWrite(int db, byte[] key, long offset, byte[] data, int off, int len) { }
        @Override public void delete(int db, byte[] key) { }
        @Override public void expireAt(int db, byte[] key, long atMs) { }
        @Override public void persist(int db, byte[] key) { }
        @Override public void flushDb(int db) { }
        @Override public void swapDb(int a, int b) { }
        @Override public void rename(int db, byte[] from, byte[] to) { }
        @Override public void copy(int db, byte[] src, int dstDb, byte[] dst) { }
        @Override public void move(int db, byte[] key, int dstDb) { }
        @Override public void hashSet(int db, byte[] key, byte[][] items, int from, int to) { }
        @Override public void hashDelete(int db, byte[] key, byte[][] fields, int from, int to) { }
        @Override public void setAdd(int db, byte[] key, byte[][] members, int from, int to) { }
        @Override public void setRemove(int db, byte[] key, byte[][] members, int from, int to) { }
        @Override public void listPush(int db, byte[] key, boolean head, byte[][] items, int from, int to) { }
        @Override public void listPop(int db, byte[] key, boolean head, long count) { }
        @Override public void listSet(int db, byte[] key, long index, byte[] value) { }
        @Override public void listInsert(int db, byte[] key, long index, byte[] value) { }
        @Override public void listRemove(int db, byte[] key, long count, byte[] value) { }
        @Override public void zsetAdd(int db, byte[] key, byte[][] items, int from, int to) { }
        @Override public void zsetRemove(int db, byte[] key, byte[][] members, int from, int to) { }
        @Override public void stream(int db, byte[] key, StreamChange change, byte[][] items) { }
    }
}
