package dev.panda.persistence.wal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A growable byte array that {@link WalCodec} encodes records into, little-endian. Reused from
 * batch to batch so that appending a record allocates nothing once the buffer has grown to the
 * size of a typical batch. Holds the CRC32C instance the codec checksums with.
 *
 * <p>Not thread-safe: owned by one thread (for {@link WalWriter}, the store thread).
 */
public final class WalBuffer {
    /** The largest array the JVM reliably allocates. */
    static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

    private byte[] bytes;
    private int size;
    private ByteBuffer view;
    final CRC32C crc = new CRC32C();

    public WalBuffer() {
        this(4096);
    }

    public WalBuffer(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("capacity " + initialCapacity);
        }
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    /** Bytes held. */
    public int size() {
        return size;
    }

    public int capacity() {
        return bytes.length;
    }

    /** The backing array; bytes {@code [0, size())} are the content. Changes when the buffer grows. */
    public byte[] array() {
        return bytes;
    }

    /** A copy of the content. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /**
     * A buffer over {@code [0, size())} of the backing array (position 0, limit size), reused
     * while the array stays the same: valid until the next change to this buffer.
     */
    public ByteBuffer asByteBuffer() {
        if (view == null || view.array() != bytes) {
            view = ByteBuffer.wrap(bytes);
        }
        view.clear().limit(size);
        return view;
    }

    public void clear() {
        size = 0;
    }

    /** Drops everything from {@code newSize} on. */
    public void truncate(int newSize) {
        if (newSize < 0 || newSize > size) {
            throw new IndexOutOfBoundsException("truncate to " + newSize + " of " + size);
        }
        size = newSize;
    }

    /** Removes the first {@code n} bytes, moving the rest to the front. */
    public void discardFront(int n) {
        if (n < 0 || n > size) {
            throw new IndexOutOfBoundsException("discard " + n + " of " + size);
        }
        System.arraycopy(bytes, n, bytes, 0, size - n);
        size -= n;
    }

    /** Drops an oversized backing array (after a huge batch) when the buffer is empty. */
    public void shrinkIfLargerThan(int maxRetainedCapacity, int newCapacity) {
        if (size == 0 && bytes.length > maxRetainedCapacity) {
            bytes = new byte[Math.max(16, newCapacity)];
            view = null;
        }
    }

    /** Makes room for {@code more} bytes after the content. */
    public void ensureRoom(long more) {
        long needed = size + more;
        if (needed <= bytes.length) {
            return;
        }
        if (needed > MAX_CAPACITY) {
            throw new IllegalStateException("WAL buffer cannot hold " + needed + " bytes (limit " + MAX_CAPACITY + ")");
        }
        long grown = Math.max(needed, Math.min(MAX_CAPACITY, (long) bytes.length * 2));
        bytes = Arrays.copyOf(bytes, (int) grown);
    }

    void putByte(int v) {
        bytes[size++] = (byte) v;
    }

    void putInt(int v) {
        setInt(size, v);
        size += 4;
    }

    void putLong(long v) {
        byte[] b = bytes;
        int p = size;
        for (int i = 0; i < 8; i++) {
            b[p + i] = (byte) (v >>> (8 * i));
        }
        size += 8;
    }

    void putBytes(byte[] src, int off, int len) {
        System.arraycopy(src, off, bytes, size, len);
        size += len;
    }

    /** Inserts one byte at {@code pos}, moving what follows it one place on. */
    void insertByte(int pos, byte v) {
        ensureRoom(1);
        System.arraycopy(bytes, pos, bytes, pos + 1, size - pos);
        bytes[pos] = v;
        size++;
    }

    /** Overwrites four bytes at {@code pos}, little-endian. */
    void setInt(int pos, int v) {
        byte[] b = bytes;
        b[pos] = (byte) v;
        b[pos + 1] = (byte) (v >>> 8);
        b[pos + 2] = (byte) (v >>> 16);
        b[pos + 3] = (byte) (v >>> 24);
    }

    /** CRC32C of {@code [from, from + len)}. */
    int crc32c(int from, int len) {
        crc.reset();
        crc.update(bytes, from, len);
        return (int) crc.getValue();
    }
}
