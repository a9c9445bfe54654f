package dev.panda.store;

import dev.panda.store.value.Intset;
import dev.panda.store.value.RedisIntegers;
import dev.panda.store.value.ValueType;

/**
 * Set values of one database, the store side of Redis's {@code t_set.c}. A set of integers is an
 * intset inside its key's entry while it has at most {@code set-max-intset-entries} members;
 * a member that is not a canonical integer, or one member too many, turns it into a table of
 * members ({@link LargeValue}) for good, as in Redis 7.0. Reads go through a {@link SetReader};
 * every change goes through the operations here, which report it as an effect and delete a set
 * they empty.
 *
 * <p>Store thread only.
 */
public final class Sets {
    private final Database db;

    Sets(Database db) {
        this.db = db;
    }

    /** Points {@code reader} at the set stored at key, counting a keyspace hit or miss (read commands). */
    public Status read(byte[] key, SetReader reader) {
        return ValueReader.open(db.lookupRead(key), ValueType.SET, reader);
    }

    /** As {@link #read} without the hit or miss (a command about to change the set). */
    public Status peek(byte[] key, SetReader reader) {
        return ValueReader.open(db.lookup(key), ValueType.SET, reader);
    }

    /** The type check alone: NOT_FOUND, WRONGTYPE or OK (a command about to change the set). */
    public Status check(byte[] key) {
        return Status.of(db.lookup(key), ValueType.SET);
    }

    /** SADD: adds {@code members[from, to)}, creating the set; {@code added} receives how many were new. */
    public Status add(byte[] key, byte[][] members, int from, int to, Count added) {
        Object e = db.lookup(key);
        if (e != null && Entry.type(e) != ValueType.SET) {
            return Status.WRONGTYPE;
        }
        Object updated = e;
        if (updated == null) {
            byte[] head = Entry.allocate(ValueType.SET, key, 0, key.length, -1, 0, db.keyspace().access().initial());
            byte[] first = members[from];
            updated = integer(first) != null ? Intset.empty(head, head.length)
                    : new LargeValue(head, new KeyTable(db.keyspace().snapshots(), to - from));
        }
        byte[][] fresh = new byte[to - from][];
        int n = 0;
        int maxEntries = Math.min(db.keyspace().limits().setMaxIntsetEntries, 1 << 30);
        for (int i = from; i < to; i++) {
            byte[] m = members[i];
            if (updated instanceof byte[] a) {
                Long v = integer(m);
                if (v != null) {
                    int base = Entry.valueOffset(a);
                    byte[] grown = Intset.add(a, base, v);
                    if (grown != a) {
                        fresh[n++] = m;
                        updated = grown;
                        if (Intset.size(grown, base) > maxEntries) {
                            updated = toTable(grown, 0);
                        }
                    }
                    continue;
                }
                updated = toTable(a, 1);
            }
            KeyTable table = ((LargeValue) updated).table();
            table.prepareWrite();
            if (table.get(m) == null) {
                table.insertAbsent(memberEntry(m, 0, m.length));
                fresh[n++] = m;
            }
        }
        added.value = n;
        if (n == 0) {
            return Status.OK;
        }
        if (updated != e) {
            db.store(updated, e);
        }
        db.effects().setAdd(db.index(), key, fresh, 0, n);
        return Status.OK;
    }

    /** SREM: removes {@code members[from, to)}; {@code removed} receives how many were there. */
    public Status remove(byte[] key, byte[][] members, int from, int to, Count removed) {
        Object e = db.lookup(key);
        if (e == null) {
            removed.value = 0;
            return Status.NOT_FOUND;
        }
        if (Entry.type(e) != ValueType.SET) {
            return Status.WRONGTYPE;
        }
        byte[][] gone = new byte[to - from][];
        int n = 0;
        Object updated = e;
        for (int i = from; i < to; i++) {
            byte[] m = members[i];
            if (updated instanceof byte[] a) {
                Long v = integer(m);
                if (v != null) {
                    byte[] shrunk = Intset.remove(a, Entry.valueOffset(a), v);
                    if (shrunk != a) {
                        gone[n++] = m;
                        updated = shrunk;
                    }
                }
            } else {
                KeyTable table = ((LargeValue) updated).table();
                table.prepareWrite();
                if (table.remove(m) != null) {
                    gone[n++] = m;
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
        db.effects().setRemove(db.index(), key, gone, 0, n);
        return Status.OK;
    }

    /**
     * Start-up load of a snapshot's set rows: the members become the set at key, or are added to
     * it when {@code continued} (a large set written as several rows), with the encoding a live
     * set would have. Logs nothing.
     */
    public void load(byte[] key, byte[][] members, long expireAtMs, boolean continued) {
        Object e = continued ? db.lookup(key) : null;
        if (e == null) {
            byte[] head = Entry.allocate(ValueType.SET, key, 0, key.length, expireAtMs, 0, db.keyspace().access().initial());
            boolean small = members.length <= db.keyspace().limits().setMaxIntsetEntries;
            for (int i = 0; small && i < members.length; i++) {
                small = integer(members[i]) != null;
            }
            if (small) {
                byte[] a = Intset.empty(head, head.length);
                for (byte[] m : members) {
                    a = Intset.add(a, head.length, integer(m));
                }
                db.loadAbsent(a);
                return;
            }
            e = new LargeValue(head, new KeyTable(db.keyspace().snapshots(), members.length));
            db.loadAbsent(e);
        } else if (e instanceof byte[] a) {
            Object large = toTable(a, members.length);
            db.store(large, e);
            e = large;
        }
        KeyTable table = ((LargeValue) e).table();
        for (byte[] m : members) {
            if (table.get(m) == null) {
                table.insertAbsent(memberEntry(m, 0, m.length));
            }
        }
    }

    /** The member as an intset integer (Redis's string2ll), or null when it is not one. */
    static Long integer(byte[] member) {
        return RedisIntegers.isCanonical(member, 0, member.length) ? RedisIntegers.parseCanonical(member, 0, member.length) : null;
    }

    private LargeValue toTable(byte[] a, int room) {
        int base = Entry.valueOffset(a);
        int n = Intset.size(a, base);
        KeyTable table = new KeyTable(db.keyspace().snapshots(), n + room);
        byte[] digits = new byte[RedisIntegers.MAX_LENGTH];
        for (int i = 0; i < n; i++) {
            int len = RedisIntegers.writeDecimal(Intset.get(a, base, i), digits, 0);
            table.insertAbsent(memberEntry(digits, 0, len));
        }
        return new LargeValue(Entry.withValueRoom(a, 0), table);
    }

    static int sizeOf(Object e) {
        if (e instanceof byte[] a) {
            return Intset.size(a, Entry.valueOffset(a));
        }
        return ((LargeValue) e).table().size();
    }

    /** A large set's element: the member's length (varint), then the member. */
    static byte[] memberEntry(byte[] m, int off, int len) {
        byte[] a = new byte[Entry.varintLength(len) + len];
        int p = Entry.writeVarint(a, 0, len);
        System.arraycopy(m, off, a, p, len);
        return a;
    }

    /** A snapshot's walk over a set as it was when the snapshot of {@code epoch} started. */
    static ElementCursor elements(Object entry, int epoch) {
        if (entry instanceof byte[] a) {
            return new IntsetCursor(a, Entry.valueOffset(a));
        }
        return new TableCursor(((LargeValue) entry).table().imageFor(epoch), false);
    }
}
