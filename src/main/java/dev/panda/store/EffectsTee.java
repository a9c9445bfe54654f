package dev.panda.store;

/**
 * Hands every effect to two listeners in turn: the write-ahead log first, then an observer of
 * the keyspace (blocked clients waiting for a key to get elements, and later WATCH and
 * notifications). Store thread only.
 */
final class EffectsTee implements Effects {
    private final Effects first;
    private final Effects second;

    EffectsTee(Effects first, Effects second) {
        this.first = first;
        this.second = second;
    }

    @Override public void beginCommand() { first.beginCommand(); second.beginCommand(); }
    @Override public void endCommand() { first.endCommand(); second.endCommand(); }
    @Override public void setString(int db, byte[] key, byte[] value, int off, int len, long expireAtMs) {
        first.setString(db, key, value, off, len, expireAtMs);
        second.setString(db, key, value, off, len, expireAtMs);
    }
    @Override public void stringWrite(int db, byte[] key, long offset, byte[] data, int off, int len) {
        first.stringWrite(db, key, offset, data, off, len);
        second.stringWrite(db, key, offset, data, off, len);
    }
    @Override public void expired(int db, byte[] key) { first.expired(db, key); second.expired(db, key); }
    @Override public void evicted(int db, byte[] key) { first.evicted(db, key); second.evicted(db, key); }
    @Override public void keyCreated(int db, byte[] key) { first.keyCreated(db, key); second.keyCreated(db, key); }
    @Override public void keyMissed(int db, byte[] key) { first.keyMissed(db, key); second.keyMissed(db, key); }
    @Override public void functionLoad(byte[] name, byte[] code) { first.functionLoad(name, code); second.functionLoad(name, code); }
    @Override public void functionDelete(byte[] name) { first.functionDelete(name); second.functionDelete(name); }
    @Override public void functionFlush() { first.functionFlush(); second.functionFlush(); }
    @Override public void delete(int db, byte[] key) { first.delete(db, key); second.delete(db, key); }
    @Override public void expireAt(int db, byte[] key, long atMs) { first.expireAt(db, key, atMs); second.expireAt(db, key, atMs); }
    @Override public void persist(int db, byte[] key) { first.persist(db, key); second.persist(db, key); }
    @Override public void flushDb(int db) { first.flushDb(db); second.flushDb(db); }
    @Override public void swapDb(int a, int b) { first.swapDb(a, b); second.swapDb(a, b); }
    @Override public void rename(int db, byte[] from, byte[] to) { first.rename(db, from, to); second.rename(db, from, to); }
    @Override public void copy(int db, byte[] src, int dstDb, byte[] dst) { first.copy(db, src, dstDb, dst); second.copy(db, src, dstDb, dst); }
    @Override public void move(int db, byte[] key, int dstDb) { first.move(db, key, dstDb); second.move(db, key, dstDb); }
    @Override public void hashSet(int db, byte[] key, byte[][] items, int from, int to) {
        first.hashSet(db, key, items, from, to);
        second.hashSet(db, key, items, from, to);
    }
    @Override public void hashDelete(int db, byte[] key, byte[][] fields, int from, int to) {
        first.hashDelete(db, key, fields, from, to);
        second.hashDelete(db, key, fields, from, to);
    }
    @Override public void setAdd(int db, byte[] key, byte[][] members, int from, int to) {
        first.setAdd(db, key, members, from, to);
        second.setAdd(db, key, members, from, to);
    }
    @Override public void setRemove(int db, byte[] key, byte[][] members, int from, int to) {
        first.setRemove(db, key, members, from, to);
        second.setRemove(db, key, members, from, to);
    }
    @Override public void listPush(int db, byte[] key, boolean head, byte[][] items, int from, int to) {
        first.listPush(db, key, head, items, from, to);
        second.listPush(db, key, head, items, from, to);
    }
    @Override public void listPop(int db, byte[] key, boolean head, long count) {
        first.listPop(db, key, head, count);
        second.listPop(db, key, head, count);
    }
    @Override public void listSet(int db, byte[] key, long index, byte[] value) {
        first.listSet(db, key, index, value);
        second.listSet(db, key, index, value);
    }
    @Override public void listInsert(int db, byte[] key, long index, byte[] value) {
        first.listInsert(db, key, index, value);
        second.listInsert(db, key, index, value);
    }
    @Override public void listRemove(int db, byte[] key, long count, byte[] value) {
        first.listRemove(db, key, count, value);
        second.listRemove(db, key, count, value);
    }
    @Override public void zsetAdd(int db, byte[] key, byte[][] items, int from, int to) {
        first.zsetAdd(db, key, items, from, to);
        second.zsetAdd(db, key, items, from, to);
    }
    @Override public void zsetRemove(int db, byte[] key, byte[][] members, int from, int to) {
        first.zsetRemove(db, key, members, from, to);
        second.zsetRemove(db, key, members, from, to);
    }
    @Override public void stream(int db, byte[] key, StreamChange change, byte[][] items) {
        first.stream(db, key, change, items);
        second.stream(db, key, change, items);
    }
}
