package dev.panda.store;

import dev.panda.store.value.ValueType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The layout of a keyspace entry: one {@code byte[]} that holds a key's metadata, the key and,
 * for strings and small collections, the value itself, so a string key costs one object instead
 * of a key array, a value array and their references.
 *
 * <pre>
 * [0]        bits 0-2: {@link ValueType#code()}; bit 7: the entry has a deadline
 * [1..3]     last access, 24 bits of the LRU clock (seconds), as Redis's LRU field
 * [4..]      key length (unsigned LEB128), then the key
 * [+8]       the deadline, epoch ms, little-endian (only with bit 7)
 * [..end]    the value: a string's bytes, a small hash's listpack, a small set's intset;
 *            empty for a collection held in a {@link LargeValue}
 * </pre>
 *
 * Entries are immutable once stored, except for the access clock: a change makes a new array,
 * which is what lets a snapshot share them with the live table. A collection past its packed
 * encoding's limits is a {@link LargeValue}: this same header (with no value bytes) plus the
 * structure that holds the elements.
 *
 * <p>Pure functions on arrays; store thread (and a snapshot reader, which only reads).
 */
final class Entry {
    static final int META = 4;
    private static final int DEADLINE_FLAG = 0x80;
    private static final int TYPE_MASK = 0x07;
    /** A string's form (see {@link Strings#encoding}) in bits 3-4 of the first byte; 0 for other types. */
    private static final int FORM_SHIFT = 3;
    private static final int FORM_MASK = 0x18;
    private static final int LRU_MASK = 0xFF_FFFF;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Entry() {
    }

    /** The header array of an entry: the entry itself, or a large value's head. */
    static byte[] head(Object entry) {
        return entry instanceof byte[] b ? b : ((LargeValue) entry).head;
    }

    static ValueType type(Object entry) {
        return ValueType.fromCode(head(entry)[0] & TYPE_MASK);
    }

    static boolean isLarge(Object entry) {
        return !(entry instanceof byte[]);
    }

    // ---- building ----------------------------------------------------------------------------

    /**
     * A new entry for {@code key} with room for {@code valueLength} value bytes (to be filled in
     * by the caller from {@link #valueOffset}); {@code deadline} is -1 for none.
     */
    static byte[] allocate(ValueType type, byte[] key, int keyOff, int keyLen, long deadline, int valueLength, int lru) {
        int headLength = META + varintLength(keyLen) + keyLen + (deadline >= 0 ? 8 : 0);
        byte[] a = new byte[headLength + valueLength];
        a[0] = (byte) (type.code() | (deadline >= 0 ? DEADLINE_FLAG : 0));
        writeLru(a, lru);
        int p = writeVarint(a, META, keyLen);
        System.arraycopy(key, keyOff, a, p, keyLen);
        if (deadline >= 0) {
            LONG_LE.set(a, p + keyLen, deadline);
        }
        return a;
    }

    /** A string entry holding a copy of the value bytes. */
    static byte[] string(byte[] key, byte[] value, int off, int len, long deadline, int lru) {
        byte[] a = allocate(ValueType.STRING, key, 0, key.length, deadline, len, lru);
        System.arraycopy(value, off, a, a.length - len, len);
        return a;
    }

    /**
     * A copy of {@code head}'s header (type, access clock, key, deadline) followed by
     * {@code valueLength} bytes of room, to be filled from {@link #valueOffset}.
     */
    static byte[] withValueRoom(byte[] head, int valueLength) {
        int headLength = valueOffset(head);
        byte[] a = new byte[headLength + valueLength];
        System.arraycopy(head, 0, a, 0, headLength);
        return a;
    }

    static int stringForm(byte[] head) {
        return (head[0] & FORM_MASK) >> FORM_SHIFT;
    }

    static void setStringForm(byte[] a, int form) {
        a[0] = (byte) ((a[0] & ~FORM_MASK) | form << FORM_SHIFT);
    }

    /** The same entry with another deadline (-1: none); a new array. */
    static byte[] withDeadline(byte[] a, long deadline) {
        int keyEnd = keyOffset(a) + keyLength(a);
        int valueOff = valueOffset(a);
        int valueLen = a.length - valueOff;
        byte[] b = new byte[keyEnd + (deadline >= 0 ? 8 : 0) + valueLen];
        System.arraycopy(a, 0, b, 0, keyEnd);
        b[0] = (byte) ((a[0] & ~DEADLINE_FLAG) | (deadline >= 0 ? DEADLINE_FLAG : 0));
        if (deadline >= 0) {
            LONG_LE.set(b, keyEnd, deadline);
        }
        System.arraycopy(a, valueOff, b, b.length - valueLen, valueLen);
        return b;
    }

    /** The same entry (header and value) under another key; a new array. */
    static byte[] withKey(byte[] a, byte[] key) {
        long deadline = deadline(a);
        int valueOff = valueOffset(a);
        int valueLen = a.length - valueOff;
        byte[] b = allocate(type(a), key, 0, key.length, deadline, valueLen, lru(a));
        b[0] |= (byte) (a[0] & FORM_MASK);
        System.arraycopy(a, valueOff, b, b.length - valueLen, valueLen);
        return b;
    }

    /** An entry of the same kind whose header is copied from {@code a} but under another key. */
    static Object rekeyed(Object entry, byte[] key) {
        if (entry instanceof byte[] a) {
            return withKey(a, key);
        }
        LargeValue large = (LargeValue) entry;
        return new LargeValue(withKey(large.head, key), large.data);
    }

    static Object withDeadline(Object entry, long deadline) {
        if (entry instanceof byte[] a) {
            return withDeadline(a, deadline);
        }
        LargeValue large = (LargeValue) entry;
        return new LargeValue(withDeadline(large.head, deadline), large.data);
    }

    // ---- reading -----------------------------------------------------------------------------

    static int keyLength(byte[] a) {
        return readVarint(a, META);
    }

    static int keyOffset(byte[] a) {
        return META + varintLength(keyLength(a));
    }

    /** A copy of the key. */
    static byte[] key(Object entry) {
        byte[] a = head(entry);
        int off = keyOffset(a);
        return Arrays.copyOfRange(a, off, off + keyLength(a));
    }

    static boolean hasDeadline(byte[] a) {
        return (a[0] & DEADLINE_FLAG) != 0;
    }

    /** The absolute deadline in epoch ms, or -1 when the entry has none. */
    static long deadline(Object entry) {
        byte[] a = head(entry);
        if (!hasDeadline(a)) {
            return -1;
        }
        int len = keyLength(a);
        return (long) LONG_LE.get(a, META + varintLength(len) + len);
    }

    /** Where the value bytes start. */
    static int valueOffset(byte[] a) {
        int len = keyLength(a);
        return META + varintLength(len) + len + (hasDeadline(a) ? 8 : 0);
    }

    static int valueLength(byte[] a) {
        return a.length - valueOffset(a);
    }

    /** True when the entry's key equals {@code key[off, off + len)}. */
    static boolean keyEquals(byte[] a, byte[] key, int off, int len) {
        if (readVarint(a, META) != len) {
            return false;
        }
        int p = META + varintLength(len);
        return Arrays.equals(a, p, p + len, key, off, off + len);
    }

    // ---- access clock --------------------------------------------------------------------------

    static int lru(byte[] a) {
        return (a[1] & 0xFF) | (a[2] & 0xFF) << 8 | (a[3] & 0xFF) << 16;
    }

    /** Records an access; changes the array in place (snapshots never read the clock). */
    static void writeLru(byte[] a, int clock) {
        a[1] = (byte) clock;
        a[2] = (byte) (clock >>> 8);
        a[3] = (byte) (clock >>> 16);
    }

    /** Seconds between the 24-bit access stamp and {@code clock}, across the stamp's wrap-around. */
    static int idleSeconds(byte[] a, int clock) {
        return (clock - lru(a)) & LRU_MASK;
    }

    // ---- varints -------------------------------------------------------------------------------

    static int varintLength(int v) {
        return v < 1 << 7 ? 1 : v < 1 << 14 ? 2 : v < 1 << 21 ? 3 : v < 1 << 28 ? 4 : 5;
    }

    /** Writes {@code v} (non-negative) at {@code p}; returns the position after it. */
    static int writeVarint(byte[] a, int p, int v) {
        while (v >= 0x80) {
            a[p++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        a[p++] = (byte) v;
        return p;
    }

    static int readVarint(byte[] a, int p) {
        int b = a[p];
        if (b >= 0) {
            return b;
        }
        int v = b & 0x7F;
        int shift = 7;
        do {
            b = a[++p];
            v |= (b & 0x7F) << shift;
            shift += 7;
        } while (b < 0);
        return v;
    }
}
