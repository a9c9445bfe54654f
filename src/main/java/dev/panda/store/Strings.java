package dev.panda.store;

import dev.panda.store.value.Encoding;
import dev.panda.store.value.RedisIntegers;
import dev.panda.store.value.ValueType;

/**
 * String values of one database, the store side of Redis's {@code t_string.c}: reading a string
 * without copying it, and storing one (which replaces a value of any type). The string lives in
 * its key's entry ({@link Entry}).
 *
 * <p>Store thread only.
 */
public final class Strings {
    /** {@link #set}'s deadline that keeps the key's current one (KEEPTTL, INCR, APPEND…). */
    public static final long KEEP_TTL = -2;

    /**
     * How a value was made, which decides its OBJECT ENCODING as in Redis: {@link #ENCODED} by
     * the value (int, embstr or raw: SET and most writes), {@link #RAW} for a string changed in
     * place (APPEND to an existing value, SETRANGE), {@link #PLAIN} for one built from a number
     * without integer encoding (INCRBYFLOAT: embstr up to 44 bytes, else raw).
     */
    public static final int ENCODED = 0;
    public static final int RAW = 1;
    public static final int PLAIN = 2;

    private final Database db;

    Strings(Database db) {
        this.db = db;
    }

    /** The string at key into {@code out}, counting a keyspace hit or miss (GET and its kin). */
    public Status get(byte[] key, Slice out) {
        return read(db.lookupRead(key), out);
    }

    /** As {@link #get}, without the hit or miss (a command about to change the string). */
    public Status peek(byte[] key, Slice out) {
        return read(db.lookup(key), out);
    }

    private static Status read(Object e, Slice out) {
        if (e == null) {
            return Status.NOT_FOUND;
        }
        if (!(e instanceof byte[] a) || Entry.type(a) != ValueType.STRING) {
            return Status.WRONGTYPE;
        }
        int off = Entry.valueOffset(a);
        out.set(a, off, a.length - off);
        return Status.OK;
    }

    /**
     * Stores the string {@code value[off, off + len)} at key, replacing any value of any type,
     * with the absolute deadline {@code deadline} (-1: none, {@link #KEEP_TTL}: the current one).
     */
    public void set(byte[] key, byte[] value, int off, int len, long deadline) {
        set(key, value, off, len, deadline, ENCODED);
    }

    /** As {@link #set(byte[], byte[], int, int, long)}, for a value of the given form. */
    public void set(byte[] key, byte[] value, int off, int len, long deadline, int form) {
        Object old = db.lookup(key);
        if (deadline == KEEP_TTL) {
            deadline = old == null ? -1 : Entry.deadline(old);
        }
        int clock = db.keyspace().access().initial();
        byte[] entry = Entry.string(key, value, off, len, deadline, clock);
        Entry.setStringForm(entry, form);
        db.store(entry, old);
        db.effects().setString(db.index(), key, entry, entry.length - len, len, deadline);
    }

    /**
     * Stores the string {@code value[off, off + len)} at key, of the given form and with no
     * deadline, unless the key exists (DEBUG POPULATE): one lookup instead of an EXISTS and a
     * SET. A key past its deadline counts as absent (it is removed first). False when it exists.
     */
    public boolean setIfAbsent(byte[] key, byte[] value, int off, int len, int form) {
        if (db.lookup(key) != null) {
            return false;
        }
        byte[] entry = Entry.string(key, value, off, len, -1, db.keyspace().access().initial());
        Entry.setStringForm(entry, form);
        db.storeAbsent(entry);
        db.effects().setString(db.index(), key, entry, entry.length - len, len, -1);
        return true;
    }

    /**
     * Writes {@code data[off, off + len)} into the string at key from byte {@code offset} on,
     * growing it with zero bytes as needed, or creating it; the value becomes a raw string and
     * keeps its deadline. In place when the value is long enough and no running snapshot can see
     * the entry; the log records only the bytes written. The caller has checked the type.
     */
    public void write(byte[] key, long offset, byte[] data, int off, int len) {
        Object old = db.lookup(key);
        byte[] e = (byte[]) old;
        long end = offset + len;
        if (e != null && end <= Entry.valueLength(e) && db.keyspace().snapshots().mayWriteInPlace(e)) {
            System.arraycopy(data, off, e, Entry.valueOffset(e) + (int) offset, len);
            Entry.setStringForm(e, RAW);
        } else {
            int oldLength = e == null ? 0 : Entry.valueLength(e);
            int length = (int) Math.max(end, oldLength);
            byte[] fresh = e == null
                    ? Entry.allocate(ValueType.STRING, key, 0, key.length, -1, length, db.keyspace().access().initial())
                    : Entry.withValueRoom(e, length);
            int valueOff = Entry.valueOffset(fresh);
            if (e != null) {
                System.arraycopy(e, Entry.valueOffset(e), fresh, valueOff, oldLength);
            }
            System.arraycopy(data, off, fresh, valueOff + (int) offset, len);
            Entry.setStringForm(fresh, RAW);
            db.store(fresh, old);
            db.keyspace().snapshots().stored(fresh);
        }
        db.effects().stringWrite(db.index(), key, offset, data, off, len);
    }

    public void set(byte[] key, byte[] value, long deadline) {
        set(key, value, 0, value.length, deadline);
    }

    /** Start-up load of a snapshot's string row (the key is known to be absent). Logs nothing. */
    public void load(byte[] key, byte[] value, int off, int len, long expireAtMs) {
        db.loadAbsent(Entry.string(key, value, off, len, expireAtMs, db.keyspace().access().initial()));
    }

    /** OBJECT ENCODING of a string entry: int, embstr or raw, by Redis's rules for a value as stored. */
    static Encoding encoding(byte[] entry) {
        int off = Entry.valueOffset(entry);
        int len = entry.length - off;
        int form = Entry.stringForm(entry);
        if (form == RAW) {
            return Encoding.RAW;
        }
        if (form == ENCODED && len <= 20 && RedisIntegers.isCanonical(entry, off, len)) {
            return Encoding.INT;
        }
        return len <= 44 ? Encoding.EMBSTR : Encoding.RAW;
    }
}
