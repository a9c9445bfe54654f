package dev.panda.store;

import dev.panda.store.value.Listpack;
import dev.panda.store.value.ValueType;

/**
 * Hash values of one database, the store side of Redis's {@code t_hash.c}. A hash is a listpack
 * of field, value, field, value… inside its key's entry while it has at most
 * {@code hash-max-listpack-entries} fields and no field or value longer than
 * {@code hash-max-listpack-value} bytes (Redis's rules, checked as Redis checks them); past that
 * it becomes a table of field entries ({@link LargeValue}), for good. Reads go through a
 * {@link HashReader}; every change goes through the operations here, which report it as an
 * effect and delete a hash they empty.
 *
 * <p>Store thread only.
 */
public final class Hashes {
    private final Database db;

    Hashes(Database db) {
        this.db = db;
    }

    /**
     * Points {@code reader} at the hash stored at key for reading, counting a keyspace hit or
     * miss (read commands). NOT_FOUND leaves the reader empty.
     */
    public Status read(byte[] key, HashReader reader) {
        return ValueReader.open(db.lookupRead(key), ValueType.HASH, reader);
    }

    /** As {@link #read} without the hit or miss (a command about to change the hash). */
    public Status peek(byte[] key, HashReader reader) {
        return ValueReader.open(db.lookup(key), ValueType.HASH, reader);
    }

    /** The type check alone: NOT_FOUND, WRONGTYPE or OK (a command about to change the hash). */
    public Status check(byte[] key) {
        return Status.of(db.lookup(key), ValueType.HASH);
    }

    /**
     * HSET: sets {@code items[from, to)} (field, value, field, value…) in the hash at key,
     * creating it. {@code added} receives the number of fields that were new.
     */
    public Status set(byte[] key, byte[][] items, int from, int to, Count added) {
        Object e = db.lookup(key);
        if (e != null && Entry.type(e) != ValueType.HASH) {
            return Status.WRONGTYPE;
        }
        EncodingLimits limits = db.keyspace().limits();
        Object updated = e;
        if (updated == null) {
            byte[] head = Entry.allocate(ValueType.HASH, key, 0, key.length, -1, 0, db.keyspace().access().initial());
            updated = Listpack.empty(head, head.length);
        }
        if (updated instanceof byte[] a && needsTable(a, items, from, to, limits)) {
            updated = toTable(a);
        }
        int fresh = 0;
        for (int i = from; i < to; i += 2) {
            if (updated instanceof byte[] a) {
                int base = Entry.valueOffset(a);
                int p = Listpack.find(a, base, items[i], 0, items[i].length, 1);
                if (p >= 0) {
                    // A value of the same encoded size is written over the old one, as Redis's
                    // listpack does, unless a running snapshot may still read this very array.
                    boolean owned = a != e || db.keyspace().snapshots().mayWriteInPlace(a);
                    if (!owned || !Listpack.replaceInPlace(a, Listpack.next(a, p), items[i + 1], 0, items[i + 1].length)) {
                        updated = Listpack.replace(a, base, Listpack.next(a, p), items[i + 1], 0, items[i + 1].length);
                    }
                } else {
                    updated = Listpack.appendPair(a, base, items[i], 0, items[i].length, items[i + 1], 0, items[i + 1].length);
                    fresh++;
                    if (Listpack.size((byte[]) updated, base) / 2 > limits.hashMaxListpackEntries) {
                        updated = toTable((byte[]) updated);
                    }
                }
            } else {
                KeyTable table = ((LargeValue) updated).table();
                table.prepareWrite();
                if (table.put(fieldEntry(items[i], items[i + 1])) == null) {
                    fresh++;
                }
            }
        }
        if (updated != e) {
            db.store(updated, e);
            if (updated instanceof byte[]) {
                db.keyspace().snapshots().stored(updated);
            }
        }
        db.effects().hashSet(db.index(), key, items, from, to);
        added.value = fresh;
        return Status.OK;
    }

    /** HSETNX: sets the field only if the hash lacks it; {@code added} is 1 if it did, else 0. */
    public Status setIfAbsent(byte[] key, byte[] field, byte[] value, Count added) {
        HashReader probe = new HashReader();
        Status s = peek(key, probe);
        if (s == Status.WRONGTYPE) {
            return s;
        }
        if (s == Status.OK && probe.contains(field, 0, field.length)) {
            added.value = 0;
            return Status.OK;
        }
        return set(key, new byte[][] {field, value}, 0, 2, added);
    }

    /** HDEL: removes the fields {@code fields[from, to)}; {@code removed} receives how many existed. */
    public Status delete(byte[] key, byte[][] fields, int from, int to, Count removed) {
        Object e = db.lookup(key);
        if (e == null) {
            removed.value = 0;
            return Status.NOT_FOUND;
        }
        if (Entry.type(e) != ValueType.HASH) {
            return Status.WRONGTYPE;
        }
        byte[][] gone = new byte[to - from][];
        int n = 0;
        Object updated = e;
        for (int i = from; i < to; i++) {
            byte[] f = fields[i];
            if (updated instanceof byte[] a) {
                int base = Entry.valueOffset(a);
                int p = Listpack.find(a, base, f, 0, f.length, 1);
                if (p >= 0) {
                    updated = Listpack.delete(a, base, p, 2);
                    gone[n++] = f;
                }
            } else {
                KeyTable table = ((LargeValue) updated).table();
                table.prepareWrite();
                if (table.remove(f) != null) {
                    gone[n++] = f;
                }
            }
        }
        removed.value = n;
        if (n == 0) {
            return Status.OK;
        }
        if (sizeOf(updated) == 0) {
            db.unlink(key);
        } else if (updated != e) {
            db.store(updated, e);
        }
        db.effects().hashDelete(db.index(), key, gone, 0, n);
        return Status.OK;
    }

    /**
     * Start-up load of a snapshot's hash rows: {@code items} (field, value, …) become the hash at
     * key, or are added to it when {@code continued} (a large hash written as several rows). The
     * encoding follows the same limits as a live hash. Logs nothing.
     */
    public void load(byte[] key, byte[][] items, long expireAtMs, boolean continued) {
        Object e = continued ? db.lookup(key) : null;
        if (e == null) {
            byte[] head = Entry.allocate(ValueType.HASH, key, 0, key.length, expireAtMs, 0, db.keyspace().access().initial());
            byte[] a = Listpack.empty(head, head.length);
            if (needsTable(a, items, 0, items.length, db.keyspace().limits())
                    || items.length / 2 > db.keyspace().limits().hashMaxListpackEntries) {
                e = toTable(a);
            } else {
                e = Listpack.appendAll(a, head.length, items, 0, items.length);
                db.loadAbsent(e);
                return;
            }
            db.loadAbsent(e);
        } else if (e instanceof byte[] a) {
            Object large = toTable(a);
            db.store(large, e);
            e = large;
        }
        KeyTable table = ((LargeValue) e).table();
        for (int i = 0; i < items.length; i += 2) {
            table.put(fieldEntry(items[i], items[i + 1]));
        }
    }

    /** Redis's hashTypeTryConversion: a field or value too long, or a listpack that would pass 1 GiB. */
    private static boolean needsTable(byte[] a, byte[][] items, int from, int to, EncodingLimits limits) {
        long sum = 0;
        for (int i = from; i < to; i++) {
            if (items[i].length > limits.hashMaxListpackValue) {
                return true;
            }
            sum += items[i].length;
        }
        return sum > Integer.MAX_VALUE || !Listpack.safeToAdd(a, Entry.valueOffset(a), (int) sum);
    }

    private LargeValue toTable(byte[] a) {
        int base = Entry.valueOffset(a);
        int n = Listpack.size(a, base) / 2;
        KeyTable table = new KeyTable(db.keyspace().snapshots(), n);
        for (int p = Listpack.first(a, base); p >= 0; p = Listpack.next(a, Listpack.next(a, p))) {
            int v = Listpack.next(a, p);
            table.insertAbsent(fieldEntry(Listpack.bytes(a, p), Listpack.bytes(a, v)));
        }
        return new LargeValue(Entry.withValueRoom(a, 0), table);
    }

    static int sizeOf(Object e) {
        if (e instanceof byte[] a) {
            return Listpack.size(a, Entry.valueOffset(a)) / 2;
        }
        return ((LargeValue) e).table().size();
    }

    /** A large hash's element: the field's length (varint), the field, then the value. */
    static byte[] fieldEntry(byte[] field, byte[] value) {
        int p0 = Entry.varintLength(field.length);
        byte[] a = new byte[p0 + field.length + value.length];
        int p = Entry.writeVarint(a, 0, field.length);
        System.arraycopy(field, 0, a, p, field.length);
        System.arraycopy(value, 0, a, p + field.length, value.length);
        return a;
    }

    /** A snapshot's walk over a hash as it was when the snapshot of {@code epoch} started. */
    static ElementCursor elements(Object entry, int epoch) {
        if (entry instanceof byte[] a) {
            return new ListpackCursor(a, Entry.valueOffset(a));
        }
        return new TableCursor(((LargeValue) entry).table().imageFor(epoch), true);
    }
}
