package dev.panda.persistence.wal;

import dev.panda.store.EffectLog;

/**
 * Feeds the keyspace's effects into a {@link WalWriter}: install it with
 * {@code keyspace.setEffectLog(new WalEffectLog(writer))}. Strings ({@code byte[]}) are logged
 * with {@link WalRecord#VALUE_TYPE_STRING}; a value of any other type is refused with an
 * {@link IllegalArgumentException} rather than silently left out of the log. Negative
 * deadlines are logged as -1 (none). Store thread only.
 */
public final class WalEffectLog implements EffectLog {
    private final WalWriter writer;

    public WalEffectLog(WalWriter writer) {
        this.writer = writer;
    }

    @Override
    public void set(int db, byte[] key, Object value, long expireAtMs) {
        if (!(value instanceof byte[] bytes)) {
            throw new IllegalArgumentException("the WAL cannot encode a value of type "
                    + (value == null ? "null" : value.getClass().getName()));
        }
        writer.appendSet(db, key, WalRecord.VALUE_TYPE_STRING, bytes, expireAtMs < 0 ? -1 : expireAtMs);
    }

    @Override
    public void delete(int db, byte[] key) {
        writer.appendDelete(db, key);
    }

    @Override
    public void expireAt(int db, byte[] key, long expireAtMs) {
        writer.appendExpireAt(db, key, expireAtMs);
    }

    @Override
    public void persist(int db, byte[] key) {
        writer.appendPersist(db, key);
    }

    @Override
    public void flushDb(int db) {
        writer.appendFlushDb(db);
    }

    @Override
    public void swapDb(int a, int b) {
        writer.appendSwapDb(a, b);
    }
}
