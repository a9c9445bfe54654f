package dev.panda.command;

import dev.panda.store.Database;
import dev.panda.store.Effects;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The keys clients WATCH, and the effect-stream observer that marks a client's transaction to
 * fail when any change touches one of its keys: a write from any client, an expiry (a delete
 * effect), RENAME, MOVE, COPY onto it; and, told before they run, FLUSHDB/FLUSHALL and SWAPDB
 * when the key exists in a database they empty or replace. Store thread only.
 */
public final class Watches extends Effects.Ignoring {
    private final Map<DbKey, Set<Client>> watchers = new HashMap<>();

    /** WATCH: the client's transaction fails if the key changes before its EXEC. */
    void watch(Client c, int db, byte[] key) {
        DbKey k = DbKey.of(db, key.clone());
        if (c.transaction().watched.add(k)) {
            watchers.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(c);
        }
    }

    /** UNWATCH (and the end of EXEC, DISCARD, RESET, a disconnect): forgets the client's keys. */
    public void unwatchAll(Client c) {
        Transaction t = c.transaction();
        for (DbKey k : t.watched) {
            Set<Client> set = watchers.get(k);
            if (set != null) {
                set.remove(c);
                if (set.isEmpty()) {
                    watchers.remove(k);
                }
            }
        }
        t.watched.clear();
        t.watchTouched = false;
    }

    /** Keys watched now (INFO's watching clients count them). */
    public int watchedKeys() {
        return watchers.size();
    }

    private void touch(int db, byte[] key) {
        if (watchers.isEmpty()) {
            return;
        }
        Set<Client> set = watchers.get(DbKey.of(db, key));
        if (set != null) {
            for (Client c : set) {
                c.transaction().watchTouched = true;
            }
        }
    }

    /**
     * Before FLUSHDB/FLUSHALL empties {@code db}, or SWAPDB replaces its contents with
     * {@code replacedWith}'s: the watched keys of that database that exist in either are touched
     * (Redis's touchAllWatchedKeysInDb); a watched key that exists in neither stays untouched.
     */
    public void beforeEmptied(Database db, Database replacedWith) {
        if (watchers.isEmpty()) {
            return;
        }
        for (DbKey k : new ArrayList<>(watchers.keySet())) {
            if (k.db() == db.index() && (db.containsQuietly(k.bytes())
                    || (replacedWith != null && replacedWith.containsQuietly(k.bytes())))) {
                touch(k.db(), k.bytes());
            }
        }
    }

    @Override public void setString(int db, byte[] key, byte[] value, int off, int len, long expireAtMs) { touch(db, key); }
    @Override public void delete(int db, byte[] key) { touch(db, key); }
    @Override public void expireAt(int db, byte[] key, long atMs) { touch(db, key); }
    @Override public void persist(int db, byte[] key) { touch(db, key); }
    @Override
    public void rename(int db, byte[] from, byte[] to) {
        touch(db, from);
        touch(db, to);
    }

    @Override public void copy(int db, byte[] src, int dstDb, byte[] dst) { touch(dstDb, dst); }

    @Override
    public void move(int db, byte[] key, int dstDb) {
        touch(db, key);
        touch(dstDb, key);
    }

    @Override public void hashSet(int db, byte[] key, byte[][] items, int from, int to) { touch(db, key); }
    @Override public void hashDelete(int db, byte[] key, byte[][] fields, int from, int to) { touch(db, key); }
    @Override public void setAdd(int db, byte[] key, byte[][] members, int from, int to) { touch(db, key); }
    @Override public void setRemove(int db, byte[] key, byte[][] members, int from, int to) { touch(db, key); }
    @Override public void listPush(int db, byte[] key, boolean head, byte[][] items, int from, int to) { touch(db, key); }
    @Override public void listPop(int db, byte[] key, boolean head, long count) { touch(db, key); }
    @Override public void listSet(int db, byte[] key, long index, byte[] value) { touch(db, key); }
    @Override public void listInsert(int db, byte[] key, long index, byte[] value) { touch(db, key); }
    @Override public void listRemove(int db, byte[] key, long count, byte[] value) { touch(db, key); }
    @Override public void zsetAdd(int db, byte[] key, byte[][] items, int from, int to) { touch(db, key); }
    @Override public void zsetRemove(int db, byte[] key, byte[][] members, int from, int to) { touch(db, key); }
    @Override public void stream(int db, byte[] key, dev.panda.store.StreamChange change, byte[][] items) { touch(db, key); }
    @Override public void stringWrite(int db, byte[] key, long offset, byte[] data, int off, int len) { touch(db, key); }
}
