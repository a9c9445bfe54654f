package dev.panda.store;

import dev.panda.store.value.ValueType;

/**
 * One database as it was at an instant, for a snapshot to read on another thread while commands
 * go on changing the database. The key table is imaged when the snapshot starts
 * ({@link KeyTable#freeze}); a large collection's own table is imaged when the snapshot or a
 * command first reaches it ({@link KeyTable#imageFor}), so every value reads as it was at the
 * start. Expired keys the active cycle had not removed yet are included with their deadline, so
 * a reload expires them just as the live server would.
 *
 * <p>Threads: built and {@linkplain #release released} on the store thread; read with
 * {@link #advance} and the accessors on one reader thread (after a hand-off that publishes it).
 */
public final class DatabaseImage {
    private final int db;
    private final int epoch;
    private final KeyTable table;
    private final TableImage image;

    // Reader state.
    private final Object[] page = new Object[TableImage.PAGE_SLOTS];
    private int nextPage;
    private int slot;
    private int slots;
    private Object entry;
    private byte[] head;

    DatabaseImage(int db, KeyTable table, int epoch) {
        this.db = db;
        this.epoch = epoch;
        this.table = table;
        this.image = table.freeze();
    }

    /** The database's index when the image was taken. */
    public int db() {
        return db;
    }

    /** Keys in the image. */
    public int size() {
        return image.size();
    }

    /** Reader: moves to the next entry (in slot order); false when there are no more. */
    public boolean advance() {
        while (true) {
            while (slot < slots) {
                Object e = page[slot];
                page[slot++] = null;
                if (e != null) {
                    entry = e;
                    head = Entry.head(e);
                    return true;
                }
            }
            if (nextPage == image.pages()) {
                entry = null;
                head = null;
                return false;
            }
            slots = image.readPage(nextPage++, page);
            slot = 0;
        }
    }

    /** Reader: the current entry's type. */
    public ValueType type() {
        return Entry.type(head);
    }

    /** Reader: the array holding the current key (at {@link #keyOffset}, {@link #keyLength} bytes). */
    public byte[] keyArray() {
        return head;
    }

    public int keyOffset() {
        return Entry.keyOffset(head);
    }

    public int keyLength() {
        return Entry.keyLength(head);
    }

    /** Reader: the current entry's absolute deadline in ms, or -1 when it has none. */
    public long expireAtMs() {
        return Entry.deadline(head);
    }

    /** Reader: the array holding the current string's bytes (strings only). */
    public byte[] valueArray() {
        return head;
    }

    public int valueOffset() {
        return Entry.valueOffset(head);
    }

    public int valueLength() {
        return Entry.valueLength(head);
    }

    /** Reader: the current collection's elements as they were when the snapshot started. */
    public ElementCursor elements() {
        return switch (type()) {
            case HASH -> Hashes.elements(entry, epoch);
            case SET -> Sets.elements(entry, epoch);
            case LIST -> Lists.elements(entry, epoch);
            case ZSET -> Zsets.elements(entry, epoch);
            default -> throw new IllegalStateException("no elements in a " + type().typeName());
        };
    }

    /** Reader: the current stream as it was when the snapshot started (an image nobody writes). */
    public Stream stream() {
        return Streams.of(entry).imageFor(epoch);
    }

    /** Store thread, once the snapshot is over (written, failed or abandoned): writes stop copying pages. */
    public void release() {
        table.release(image);
    }
}
