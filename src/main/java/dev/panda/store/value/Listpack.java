package dev.panda.store.value;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Redis 7.0's listpack, byte for byte: the packed form of every small hash, set, sorted set and
 * list, so that DUMP, the RDB and memory figures can match Redis's.
 *
 * <p>Layout: total bytes (u32 LE), element count (u16 LE; {@value #COUNT_UNKNOWN} means "too
 * many, walk to count"), the entries, then the end byte {@code 0xFF}. An entry is an encoding
 * byte (with any length or value bytes after it), then its own encoded size again as a
 * <em>backlen</em> of 1-5 bytes written back to front, which lets the list be walked backwards.
 * A string that is a canonical integer ({@link RedisIntegers}) is always stored as an integer in
 * the smallest of the 7, 13, 16, 24, 32 or 64-bit forms; other strings have a 6, 12 or 32-bit length.
 *
 * <p>A listpack lives inside a larger array: {@code a} holds it from {@code base}, after a
 * header that is the caller's business. Positions ({@code p}) are absolute indexes into
 * {@code a}. Nothing is changed in place, since a snapshot may be reading the same array: every
 * mutation returns a new array of exactly {@code base + totalBytes}, whose bytes before
 * {@code base} are copied from the source and whose listpack starts at {@code base} again. So an
 * entry position stays valid across a mutation after it: the replaced or inserted entry is at the
 * position it was written to, and after a delete {@code p} holds the entry that followed (or the end).
 *
 * <p>Pure functions over arrays; any thread. {@link Builder} is the one stateful piece, confined
 * to the thread using it.
 */
public final class Listpack {
    /** Total bytes (4) and element count (2). */
    public static final int HEADER_SIZE = 6;
    /** The element count header value meaning "at least this many: walk to count". */
    public static final int COUNT_UNKNOWN = 65535;
    /** Redis refuses to grow a listpack past 1 GiB ({@code lpSafeToAdd}). */
    public static final int MAX_SAFE_BYTES = 1 << 30;

    private static final byte END = (byte) 0xFF;
    private static final int EMPTY_BYTES = HEADER_SIZE + 1;
    /** Largest entry overhead: a 32-bit string length (5) plus a 5-byte backlen. */
    private static final int MAX_ENTRY_OVERHEAD = 10;
    /** Room for the longest integer encoding (9) plus its backlen (1). */
    private static final int MAX_INTEGER_ENTRY = 10;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    // First bytes of the encodings (listpack.c's LP_ENCODING_*).
    private static final int STR_6BIT = 0x80;
    private static final int INT_13BIT = 0xC0;
    private static final int STR_12BIT = 0xE0;
    private static final int STR_32BIT = 0xF0;
    private static final int INT_16BIT = 0xF1;
    private static final int INT_24BIT = 0xF2;
    private static final int INT_32BIT = 0xF3;
    private static final int INT_64BIT = 0xF4;

    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Listpack() {
    }

    // ---------------------------------------------------------------- whole listpack

    /** A new array: {@code head[0, base)}, then an empty listpack. */
    public static byte[] empty(byte[] head, int base) {
        byte[] out = new byte[base + EMPTY_BYTES];
        System.arraycopy(head, 0, out, 0, base);
        writeHeader(out, base, EMPTY_BYTES, 0);
        out[base + HEADER_SIZE] = END;
        return out;
    }

    /** The listpack's length in bytes, header and end byte included. */
    public static int totalBytes(byte[] a, int base) {
        return (int) INT_LE.get(a, base);
    }

    /** The number of entries; walks them when the header holds {@value #COUNT_UNKNOWN}. */
    public static int size(byte[] a, int base) {
        int count = headerCount(a, base);
        if (count != COUNT_UNKNOWN) {
            return count;
        }
        count = 0;
        for (int p = base + HEADER_SIZE; a[p] != END; p += entryBytes(a, p)) {
            count++;
        }
        return count;
    }

    /** True when the listpack has no entries. */
    public static boolean isEmpty(byte[] a, int base) {
        return a[base + HEADER_SIZE] == END;
    }

    /** Whether {@code addBytes} more bytes keep the listpack within {@link #MAX_SAFE_BYTES}. */
    public static boolean safeToAdd(byte[] a, int base, int addBytes) {
        return (long) totalBytes(a, base) + addBytes <= MAX_SAFE_BYTES;
    }

    // ---------------------------------------------------------------- walking

    /** Position of the first entry, or -1 when empty. */
    public static int first(byte[] a, int base) {
        int p = base + HEADER_SIZE;
        return a[p] == END ? -1 : p;
    }

    /** Position of the entry after {@code p}, or -1 when {@code p} is the last. */
    public static int next(byte[] a, int p) {
        int q = p + entryBytes(a, p);
        return a[q] == END ? -1 : q;
    }

    /** Position of the end byte: where {@link #insertBefore} appends. */
    public static int end(byte[] a, int base) {
        return base + totalBytes(a, base) - 1;
    }

    /** Position of the last entry, or -1 when empty. */
    public static int last(byte[] a, int base) {
        return prev(a, base, end(a, base));
    }

    /**
     * Position of the entry before {@code p} (an entry or the end byte), or -1 when {@code p} is
     * the first. Reads the previous entry's backlen, which ends right before {@code p}.
     */
    public static int prev(byte[] a, int base, int p) {
        if (p == base + HEADER_SIZE) {
            return -1;
        }
        int q = p - 1;
        int size = 0;
        for (int shift = 0; ; shift += 7, q--) {
            int b = a[q];
            size |= (b & 127) << shift;
            if ((b & 128) == 0) {
                break;
            }
            if (shift == 28) {
                throw corrupt(q);
            }
        }
        return q - size;
    }

    /**
     * Position of the entry at {@code index} (negative counts from the end, -1 being the last),
     * or -1 when out of range; like {@code lpSeek}, walks from the nearer end when the count is known.
     */
    public static int seek(byte[] a, int base, long index) {
        int count = headerCount(a, base);
        boolean forward;
        if (count != COUNT_UNKNOWN) {
            if (index < 0) {
                index += count;
            }
            if (index < 0 || index >= count) {
                return -1;
            }
            forward = index <= count / 2;
            if (!forward) {
                index -= count;
            }
        } else {
            forward = index >= 0;
        }
        if (forward) {
            int p = first(a, base);
            for (; index > 0 && p >= 0; index--) {
                p = next(a, p);
            }
            return p;
        }
        int p = last(a, base);
        for (; index < -1 && p >= 0; index++) {
            p = prev(a, base, p);
        }
        return p;
    }

    // ---------------------------------------------------------------- entries

    /** The bytes the entry at {@code p} occupies: encoding, data and backlen. */
    public static int entryBytes(byte[] a, int p) {
        int encoded = encodedSize(a, p);
        return encoded + backlenSize(encoded);
    }

    /** True when the entry at {@code p} is stored as an integer. */
    public static boolean isInteger(byte[] a, int p) {
        int b = a[p] & 0xFF;
        return b < STR_6BIT || (b & 0xE0) == INT_13BIT || (b >= INT_16BIT && b <= INT_64BIT);
    }

    /** The value of the integer entry at {@code p}. */
    public static long integer(byte[] a, int p) {
        int b = a[p] & 0xFF;
        if (b < STR_6BIT) {
            return b;
        }
        if ((b & 0xE0) == INT_13BIT) {
            int u = ((b & 0x1F) << 8) | (a[p + 1] & 0xFF);
            return u >= 4096 ? u - 8192 : u;
        }
        switch (b) {
            case INT_16BIT:
                return (short) SHORT_LE.get(a, p + 1);
            case INT_24BIT:
                // The top byte is read signed, so its shift sign-extends the 24-bit value.
                return (a[p + 1] & 0xFF) | (a[p + 2] & 0xFF) << 8 | a[p + 3] << 16;
            case INT_32BIT:
                return (int) INT_LE.get(a, p + 1);
            case INT_64BIT:
                return (long) LONG_LE.get(a, p + 1);
            default:
                throw new IllegalArgumentException("listpack entry at " + p + " is not an integer");
        }
    }

    /** Where the bytes of the string entry at {@code p} start. */
    public static int stringOffset(byte[] a, int p) {
        int b = a[p] & 0xFF;
        if ((b & 0xC0) == STR_6BIT) {
            return p + 1;
        }
        if ((b & 0xF0) == STR_12BIT) {
            return p + 2;
        }
        if (b == STR_32BIT) {
            return p + 5;
        }
        throw new IllegalArgumentException("listpack entry at " + p + " is not a string");
    }

    /** The length of the string entry at {@code p}. */
    public static int stringLength(byte[] a, int p) {
        int b = a[p] & 0xFF;
        if ((b & 0xC0) == STR_6BIT) {
            return b & 0x3F;
        }
        if ((b & 0xF0) == STR_12BIT) {
            return (b & 0x0F) << 8 | (a[p + 1] & 0xFF);
        }
        if (b == STR_32BIT) {
            return (int) INT_LE.get(a, p + 1);
        }
        throw new IllegalArgumentException("listpack entry at " + p + " is not a string");
    }

    /** The entry at {@code p} as bytes; an integer as its decimal text. Allocates. */
    public static byte[] bytes(byte[] a, int p) {
        if (isInteger(a, p)) {
            return RedisIntegers.toBytes(integer(a, p));
        }
        int off = stringOffset(a, p);
        return Arrays.copyOfRange(a, off, off + stringLength(a, p));
    }

    /**
     * Whether the entry at {@code p} equals {@code k[off, off+len)}, as {@code lpCompare} decides:
     * a string entry by its bytes, an integer entry when the key is a canonical integer of the same value.
     */
    public static boolean matches(byte[] a, int p, byte[] k, int off, int len) {
        if (isInteger(a, p)) {
            return RedisIntegers.isCanonical(k, off, len) && RedisIntegers.parseCanonical(k, off, len) == integer(a, p);
        }
        int so = stringOffset(a, p);
        return stringLength(a, p) == len && Arrays.equals(a, so, so + len, k, off, off + len);
    }

    /**
     * Position of the first entry equal to {@code k} (see {@link #matches}) among the first, the
     * {@code skip+2}-th, ... entries, or -1; {@code skip} 1 looks at a hash's fields only.
     */
    public static int find(byte[] a, int base, byte[] k, int off, int len, int skip) {
        return findFrom(a, first(a, base), k, off, len, skip);
    }

    /** {@link #find} starting at the entry {@code p} (-1 finds nothing). */
    public static int findFrom(byte[] a, int p, byte[] k, int off, int len, int skip) {
        if (p < 0) {
            return -1;
        }
        // Whether the key reads as an integer is worked out at the first integer entry, once.
        int keyKind = 0; // 0 unknown, 1 integer, 2 not an integer
        long keyValue = 0;
        int skipped = 0;
        while (a[p] != END) {
            if (skipped == 0) {
                int b = a[p] & 0xFF;
                int so;
                int sl;
                if ((b & 0xC0) == STR_6BIT) {
                    so = p + 1;
                    sl = b & 0x3F;
                } else if ((b & 0xF0) == STR_12BIT) {
                    so = p + 2;
                    sl = (b & 0x0F) << 8 | (a[p + 1] & 0xFF);
                } else if (b == STR_32BIT) {
                    so = p + 5;
                    sl = (int) INT_LE.get(a, p + 1);
                } else {
                    if (keyKind == 0) {
                        keyKind = RedisIntegers.isCanonical(k, off, len) ? 1 : 2;
                        if (keyKind == 1) {
                            keyValue = RedisIntegers.parseCanonical(k, off, len);
                        }
                    }
                    if (keyKind == 1 && integer(a, p) == keyValue) {
                        return p;
                    }
                    p += entryBytes(a, p);
                    skipped = skip;
                    continue;
                }
                if (sl == len && Arrays.equals(a, so, so + len, k, off, off + len)) {
                    return p;
                }
                int encoded = so - p + sl;
                p += encoded + backlenSize(encoded);
                skipped = skip;
            } else {
                skipped--;
                p += entryBytes(a, p);
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- mutations

    /** Appends {@code k[off, off+len)} as the last entry. */
    public static byte[] append(byte[] a, int base, byte[] k, int off, int len) {
        return insertBefore(a, base, end(a, base), k, off, len);
    }

    /** Appends the integer {@code v} as the last entry. */
    public static byte[] appendInteger(byte[] a, int base, long v) {
        return putInteger(a, base, end(a, base), 0, 0, v);
    }

    /** Appends two entries (a hash's field and value) in one copy; same bytes as two appends. */
    public static byte[] appendPair(byte[] a, int base, byte[] k1, int off1, int len1, byte[] k2, int off2, int len2) {
        int at = end(a, base);
        long added = (long) newEntryBytes(k1, off1, len1) + newEntryBytes(k2, off2, len2);
        byte[] out = splice(a, base, at, 0, 0, checkedSize(added), 2);
        writeEntry(out, at + writeEntry(out, at, k1, off1, len1), k2, off2, len2);
        return out;
    }

    /** Appends {@code items[from, from+count)} in order, in one copy. */
    public static byte[] appendAll(byte[] a, int base, byte[][] items, int from, int count) {
        int at = end(a, base);
        long added = 0;
        for (int i = from; i < from + count; i++) {
            added += newEntryBytes(items[i], 0, items[i].length);
        }
        byte[] out = splice(a, base, at, 0, 0, checkedSize(added), count);
        for (int i = from; i < from + count; i++) {
            at += writeEntry(out, at, items[i], 0, items[i].length);
        }
        return out;
    }

    /** Inserts {@code k[off, off+len)} as the first entry. */
    public static byte[] prepend(byte[] a, int base, byte[] k, int off, int len) {
        return insertBefore(a, base, base + HEADER_SIZE, k, off, len);
    }

    /** Inserts {@code k[off, off+len)} before the entry at {@code p}; at {@link #end} it appends. */
    public static byte[] insertBefore(byte[] a, int base, int p, byte[] k, int off, int len) {
        return put(a, base, p, 0, 0, k, off, len);
    }

    /** Inserts {@code k[off, off+len)} after the entry at {@code p}. */
    public static byte[] insertAfter(byte[] a, int base, int p, byte[] k, int off, int len) {
        return put(a, base, p + entryBytes(a, p), 0, 0, k, off, len);
    }

    /** Replaces the entry at {@code p} with {@code v[off, off+len)}. */
    public static byte[] replace(byte[] a, int base, int p, byte[] v, int off, int len) {
        return put(a, base, p, entryBytes(a, p), 1, v, off, len);
    }

    /**
     * Replaces the entry at {@code p} with {@code v[off, off+len)} inside {@code a} itself when
     * the new entry takes exactly as many bytes as the old one (no header changes); false, and
     * nothing written, otherwise. The caller must own the array: nobody else may be reading it.
     */
    public static boolean replaceInPlace(byte[] a, int p, byte[] v, int off, int len) {
        int size;
        if (RedisIntegers.isCanonical(v, off, len)) {
            long n = RedisIntegers.parseCanonical(v, off, len);
            size = integerEncodedSize(n) + 1;
            if (size != entryBytes(a, p)) {
                return false;
            }
            int encoded = writeInteger(a, p, n);
            a[p + encoded] = (byte) encoded;
            return true;
        }
        int encoded = stringEncodedSize(len);
        size = encoded + backlenSize(encoded);
        if (size != entryBytes(a, p)) {
            return false;
        }
        writeString(a, p, v, off, len);
        writeBacklen(a, p + encoded, encoded);
        return true;
    }

    /** Replaces the entry at {@code p} with the integer {@code v}. */
    public static byte[] replaceInteger(byte[] a, int base, int p, long v) {
        return putInteger(a, base, p, entryBytes(a, p), 1, v);
    }

    /**
     * Deletes {@code count} consecutive entries starting at {@code p}, or up to the end if fewer
     * remain. In the result, {@code p} is the entry that followed them, or the end byte.
     *
     * <p>When the count was {@value #COUNT_UNKNOWN}, the result holds the real count again once it
     * fits: Redis's hash and sorted set commands call {@code lpLength} after every delete, which
     * writes it back, so that is the header Redis ends up with.
     */
    public static byte[] delete(byte[] a, int base, int p, int count) {
        int q = p;
        int deleted = 0;
        while (deleted < count && a[q] != END) {
            q += entryBytes(a, q);
            deleted++;
        }
        byte[] out = splice(a, base, p, q - p, deleted, 0, 0);
        if (deleted > 0 && headerCount(out, base) == COUNT_UNKNOWN) {
            int walked = size(out, base);
            if (walked < COUNT_UNKNOWN) {
                writeHeader(out, base, totalBytes(out, base), walked);
            }
        }
        return out;
    }

    /**
     * Inserts {@code k[off, off+len)} at {@code at} (an entry's position, or the end byte) inside
     * {@code a} itself, moving what follows, when the array has room past the listpack's end;
     * false, and nothing written, when it has not. The caller must own the array.
     */
    public static boolean insertInPlace(byte[] a, int base, int at, byte[] k, int off, int len) {
        int total = totalBytes(a, base);
        boolean integer = RedisIntegers.isCanonical(k, off, len);
        long v = integer ? RedisIntegers.parseCanonical(k, off, len) : 0;
        int encoded = integer ? integerEncodedSize(v) : stringEncodedSize(len);
        int size = encoded + backlenSize(encoded);
        if ((long) base + total + size > a.length) {
            return false;
        }
        System.arraycopy(a, at, a, at + size, base + total - at);
        if (integer) {
            writeInteger(a, at, v);
            a[at + encoded] = (byte) encoded;
        } else {
            writeString(a, at, k, off, len);
            writeBacklen(a, at + encoded, encoded);
        }
        int count = headerCount(a, base);
        writeHeader(a, base, total + size, count == COUNT_UNKNOWN ? COUNT_UNKNOWN : Math.min(count + 1, COUNT_UNKNOWN));
        return true;
    }

    /**
     * Appends the integer {@code v} inside {@code a} itself when the array has room past the
     * listpack's end; false, and nothing written, when it has not. The caller must own the array.
     */
    public static boolean appendIntegerInPlace(byte[] a, int base, long v) {
        int total = totalBytes(a, base);
        int encoded = integerEncodedSize(v);
        int size = encoded + 1;
        if ((long) base + total + size > a.length) {
            return false;
        }
        int at = base + total - 1;
        writeInteger(a, at, v);
        a[at + encoded] = (byte) encoded;
        a[at + size] = END;
        int count = headerCount(a, base);
        writeHeader(a, base, total + size, count == COUNT_UNKNOWN ? COUNT_UNKNOWN : Math.min(count + 1, COUNT_UNKNOWN));
        return true;
    }

    /**
     * Replaces the entry at {@code p} with the integer {@code v} inside {@code a} itself when the
     * new entry takes exactly as many bytes; false, and nothing written, otherwise. The caller
     * must own the array.
     */
    public static boolean replaceIntegerInPlace(byte[] a, int p, long v) {
        int encoded = integerEncodedSize(v);
        if (encoded + 1 != entryBytes(a, p)) {
            return false;
        }
        writeInteger(a, p, v);
        a[p + encoded] = (byte) encoded;
        return true;
    }

    /** Deletes the entry at {@code p} inside {@code a} itself (the array keeps its length). The caller must own it. */
    public static void deleteInPlace(byte[] a, int base, int p) {
        int total = totalBytes(a, base);
        int size = entryBytes(a, p);
        System.arraycopy(a, p + size, a, p, base + total - p - size);
        int count = headerCount(a, base);
        writeHeader(a, base, total - size, count == COUNT_UNKNOWN ? COUNT_UNKNOWN : count - 1);
        if (count == COUNT_UNKNOWN) {
            int walked = size(a, base);
            if (walked < COUNT_UNKNOWN) {
                writeHeader(a, base, total - size, walked);
            }
        }
    }

    /** A copy of the listpack at {@code a[base, …)}, at base 0, in an array with {@code room} spare bytes. */
    public static byte[] copyWithRoom(byte[] a, int base, int room) {
        int total = totalBytes(a, base);
        byte[] out = new byte[total + room];
        System.arraycopy(a, base, out, 0, total);
        return out;
    }

    /** Writes {@code k} at {@code at} in place of {@code removeBytes} bytes holding {@code removed} entries. */
    private static byte[] put(byte[] a, int base, int at, int removeBytes, int removed, byte[] k, int off, int len) {
        if (RedisIntegers.isCanonical(k, off, len)) {
            return putInteger(a, base, at, removeBytes, removed, RedisIntegers.parseCanonical(k, off, len));
        }
        int encoded = stringEncodedSize(len);
        byte[] out = splice(a, base, at, removeBytes, removed, encoded + backlenSize(encoded), 1);
        writeString(out, at, k, off, len);
        writeBacklen(out, at + encoded, encoded);
        return out;
    }

    private static byte[] putInteger(byte[] a, int base, int at, int removeBytes, int removed, long v) {
        int encoded = integerEncodedSize(v);
        byte[] out = splice(a, base, at, removeBytes, removed, encoded + 1, 1);
        writeInteger(out, at, v);
        out[at + encoded] = (byte) encoded; // an integer's encoded size (at most 9) is a 1-byte backlen
        return out;
    }

    /**
     * A copy of {@code a} with {@code removeBytes} at {@code at} replaced by a gap of
     * {@code insertBytes} for the caller to fill, and the header's byte total and count updated.
     * The count keeps Redis's rule: once {@value #COUNT_UNKNOWN} it stays so, and reaching it saturates.
     */
    private static byte[] splice(byte[] a, int base, int at, int removeBytes, int removed, int insertBytes, int inserted) {
        int oldTotal = totalBytes(a, base);
        long newTotal = (long) oldTotal - removeBytes + insertBytes;
        if (base + newTotal > MAX_ARRAY) {
            throw new IllegalArgumentException("listpack of " + newTotal + " bytes does not fit an array");
        }
        byte[] out = new byte[(int) (base + newTotal)];
        System.arraycopy(a, 0, out, 0, at);
        int tail = at + removeBytes;
        System.arraycopy(a, tail, out, at + insertBytes, base + oldTotal - tail);
        int count = headerCount(a, base);
        if (count != COUNT_UNKNOWN) {
            count = Math.min(count - removed + inserted, COUNT_UNKNOWN);
        }
        writeHeader(out, base, (int) newTotal, count);
        return out;
    }

    // ---------------------------------------------------------------- encoding

    private static int headerCount(byte[] a, int base) {
        return (a[base + 4] & 0xFF) | (a[base + 5] & 0xFF) << 8;
    }

    private static void writeHeader(byte[] a, int base, int totalBytes, int count) {
        INT_LE.set(a, base, totalBytes);
        a[base + 4] = (byte) count;
        a[base + 5] = (byte) (count >>> 8);
    }

    /** The encoding byte(s) plus data of the entry at {@code p}, without its backlen. */
    private static int encodedSize(byte[] a, int p) {
        int b = a[p] & 0xFF;
        if (b < STR_6BIT) {
            return 1;
        }
        if (b < INT_13BIT) {
            return 1 + (b & 0x3F);
        }
        if (b < STR_12BIT) {
            return 2;
        }
        if (b < STR_32BIT) {
            return 2 + ((b & 0x0F) << 8 | (a[p + 1] & 0xFF));
        }
        switch (b) {
            case STR_32BIT:
                return 5 + (int) INT_LE.get(a, p + 1);
            case INT_16BIT:
                return 3;
            case INT_24BIT:
                return 4;
            case INT_32BIT:
                return 5;
            case INT_64BIT:
                return 9;
            default:
                throw corrupt(p);
        }
    }

    /** Bytes of the backlen for an entry of {@code encoded} bytes; the bounds are Redis's, strict ones included. */
    static int backlenSize(int encoded) {
        if (encoded <= 127) {
            return 1;
        }
        if (encoded < 16383) {
            return 2;
        }
        if (encoded < 2097151) {
            return 3;
        }
        if (encoded < 268435455) {
            return 4;
        }
        return 5;
    }

    /** Writes the backlen: 7 bits a byte, most significant first, continuation bit on all but the first. */
    private static void writeBacklen(byte[] dst, int at, int encoded) {
        int n = backlenSize(encoded);
        dst[at] = (byte) (encoded >>> (7 * (n - 1)));
        for (int i = 1; i < n; i++) {
            dst[at + i] = (byte) (((encoded >>> (7 * (n - 1 - i))) & 127) | 128);
        }
    }

    private static int stringEncodedSize(int len) {
        if (len > MAX_ARRAY - MAX_ENTRY_OVERHEAD) {
            throw new IllegalArgumentException("a listpack string of " + len + " bytes does not fit an array");
        }
        if (len < 64) {
            return 1 + len;
        }
        if (len < 4096) {
            return 2 + len;
        }
        return 5 + len;
    }

    private static int integerEncodedSize(long v) {
        if (v >= 0 && v <= 127) {
            return 1;
        }
        if (v >= -4096 && v <= 4095) {
            return 2;
        }
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            return 3;
        }
        if (v >= -8388608 && v <= 8388607) {
            return 4;
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return 5;
        }
        return 9;
    }

    /** The whole entry, backlen included, that {@code k} becomes. */
    private static int newEntryBytes(byte[] k, int off, int len) {
        int encoded = RedisIntegers.isCanonical(k, off, len)
                ? integerEncodedSize(RedisIntegers.parseCanonical(k, off, len))
                : stringEncodedSize(len);
        return encoded + backlenSize(encoded);
    }

    /** Writes {@code k} as a whole entry at {@code at}; returns its bytes. */
    private static int writeEntry(byte[] dst, int at, byte[] k, int off, int len) {
        int encoded = RedisIntegers.isCanonical(k, off, len)
                ? writeInteger(dst, at, RedisIntegers.parseCanonical(k, off, len))
                : writeString(dst, at, k, off, len);
        writeBacklen(dst, at + encoded, encoded);
        return encoded + backlenSize(encoded);
    }

    /** Writes {@code v} in its smallest encoding; returns the encoded size. */
    private static int writeInteger(byte[] dst, int at, long v) {
        int size = integerEncodedSize(v);
        switch (size) {
            case 1:
                dst[at] = (byte) v;
                break;
            case 2:
                // 13-bit two's complement: the top 5 bits share the encoding byte.
                dst[at] = (byte) (INT_13BIT | ((v >> 8) & 0x1F));
                dst[at + 1] = (byte) v;
                break;
            case 3:
                dst[at] = (byte) INT_16BIT;
                SHORT_LE.set(dst, at + 1, (short) v);
                break;
            case 4:
                dst[at] = (byte) INT_24BIT;
                dst[at + 1] = (byte) v;
                dst[at + 2] = (byte) (v >> 8);
                dst[at + 3] = (byte) (v >> 16);
                break;
            case 5:
                dst[at] = (byte) INT_32BIT;
                INT_LE.set(dst, at + 1, (int) v);
                break;
            default:
                dst[at] = (byte) INT_64BIT;
                LONG_LE.set(dst, at + 1, v);
                break;
        }
        return size;
    }

    /** Writes a string entry's encoding and bytes; returns the encoded size. */
    private static int writeString(byte[] dst, int at, byte[] k, int off, int len) {
        int head;
        if (len < 64) {
            dst[at] = (byte) (STR_6BIT | len);
            head = 1;
        } else if (len < 4096) {
            dst[at] = (byte) (STR_12BIT | (len >>> 8));
            dst[at + 1] = (byte) len;
            head = 2;
        } else {
            dst[at] = (byte) STR_32BIT;
            INT_LE.set(dst, at + 1, len);
            head = 5;
        }
        System.arraycopy(k, off, dst, at + head, len);
        return head + len;
    }

    private static int checkedSize(long bytes) {
        if (bytes > MAX_ARRAY) {
            throw new IllegalArgumentException("listpack entries of " + bytes + " bytes do not fit an array");
        }
        return (int) bytes;
    }

    private static IllegalStateException corrupt(int p) {
        return new IllegalStateException("corrupt listpack: bad entry encoding at " + p);
    }

    /**
     * Builds a listpack by appending entries to a growable buffer, then copies it once behind a
     * caller's header. Produces the same bytes as the same appends one by one. Reusable after
     * {@link #clear}; confined to one thread.
     */
    public static final class Builder {
        private byte[] buf;
        private int used;
        private int count;

        public Builder() {
            this(64);
        }

        /** {@code capacity}: the entry bytes expected, a hint. */
        public Builder(int capacity) {
            buf = new byte[Math.max(capacity, 16)];
        }

        /** Appends {@code k}. */
        public Builder add(byte[] k) {
            return add(k, 0, k.length);
        }

        /** Appends {@code k[off, off+len)}; a canonical integer is stored as one. */
        public Builder add(byte[] k, int off, int len) {
            ensure((long) len + MAX_ENTRY_OVERHEAD);
            used += writeEntry(buf, used, k, off, len);
            count++;
            return this;
        }

        /** Appends the integer {@code v}. */
        public Builder addInteger(long v) {
            ensure(MAX_INTEGER_ENTRY);
            int encoded = writeInteger(buf, used, v);
            buf[used + encoded] = (byte) encoded;
            used += encoded + 1;
            count++;
            return this;
        }

        /** Appends a copy of the entry at {@code p} of another listpack, as it is encoded there. */
        public Builder addEntry(byte[] a, int p) {
            int n = entryBytes(a, p);
            ensure(n);
            System.arraycopy(a, p, buf, used, n);
            used += n;
            count++;
            return this;
        }

        /** Entries appended so far. */
        public int count() {
            return count;
        }

        /** The {@link Listpack#totalBytes} the built listpack will have. */
        public int totalBytes() {
            return HEADER_SIZE + used + 1;
        }

        /** A new array: {@code head[0, headLen)}, then the listpack. The builder keeps its entries. */
        public byte[] build(byte[] head, int headLen) {
            int total = totalBytes();
            if ((long) headLen + total > MAX_ARRAY) {
                throw new IllegalArgumentException("listpack of " + total + " bytes does not fit an array");
            }
            byte[] out = new byte[headLen + total];
            System.arraycopy(head, 0, out, 0, headLen);
            writeHeader(out, headLen, total, Math.min(count, COUNT_UNKNOWN));
            System.arraycopy(buf, 0, out, headLen + HEADER_SIZE, used);
            out[headLen + total - 1] = END;
            return out;
        }

        /** Forgets the entries, keeping the buffer. */
        public Builder clear() {
            used = 0;
            count = 0;
            return this;
        }

        private void ensure(long more) {
            long need = used + more;
            if (need <= buf.length) {
                return;
            }
            if (need + EMPTY_BYTES > MAX_ARRAY) {
                throw new IllegalArgumentException("listpack of " + need + " bytes does not fit an array");
            }
            buf = Arrays.copyOf(buf, (int) Math.min(Math.max(need, 2L * buf.length), MAX_ARRAY));
        }
    }
}
