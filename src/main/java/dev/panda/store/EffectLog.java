package dev.panda.store;

/**
 * Receives the effect of every change to the keyspace, in the order it happened: the stream the
 * write-ahead log records. Effects are absolute (a deadline in epoch ms, the value INCR
 * produced, an expired key as a delete), so replaying them never consults a clock.
 *
 * <p>Called on the store thread only.
 */
public interface EffectLog {
    /** Key now holds value; {@code expireAtMs} is its absolute deadline or -1 for none. */
    void set(int db, byte[] key, Object value, long expireAtMs);

    void delete(int db, byte[] key);

    /** Key keeps its value and gets an absolute deadline. */
    void expireAt(int db, byte[] key, long expireAtMs);

    void persist(int db, byte[] key);

    void flushDb(int db);

    void swapDb(int a, int b);

    EffectLog NONE = new EffectLog() {
        @Override public void set(int db, byte[] key, Object value, long expireAtMs) { }
        @Override public void delete(int db, byte[] key) { }
        @Override public void expireAt(int db, byte[] key, long expireAtMs) { }
        @Override public void persist(int db, byte[] key) { }
        @Override public void flushDb(int db) { }
        @Override public void swapDb(int a, int b) { }
    };
}
