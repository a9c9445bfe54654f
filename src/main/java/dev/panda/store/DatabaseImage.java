package dev.panda.store;

/**
 * One database as it was at an instant: its entries with their deadlines, for a snapshot to
 * read on another thread while commands go on changing the database. Images of the key table
 * and of the deadline table ({@link TableImage}) are taken together on the store thread, so
 * they agree with each other and with the write-ahead log's sequence at that moment. Expired
 * keys the active cycle had not removed yet are included with their deadline, so a reload
 * expires them just as the live server would.
 *
 * <p>Threads: built and {@linkplain #release released} on the store thread; read with
 * {@link #advance} and the accessors on one reader thread (after a hand-off that publishes it).
 */
public final class DatabaseImage {
    private final int db;
    private final KeyTable dataTable;
    private final KeyTable expiresTable;
    private final TableImage data;
    private final TableImage expires;

    // Reader state.
    private final byte[][] pageKeys = new byte[TableImage.PAGE_SLOTS][];
    private final Object[] pageValues = new Object[TableImage.PAGE_SLOTS];
    private int nextPage;
    private int slot;
    private int slots;
    private byte[] key;
    private Object value;
    /** The deadline table as imaged, made on first need (most databases have no TTLs). */
    private KeyTable deadlines;

    DatabaseImage(int db, KeyTable data, KeyTable expires) {
        this.db = db;
        this.dataTable = data;
        this.expiresTable = expires;
        this.data = data.freeze();
        this.expires = expires.freeze();
    }

    /** The database's index when the image was taken. */
    public int db() {
        return db;
    }

    /** Keys in the image. */
    public int size() {
        return data.size();
    }

    /** Reader: moves to the next entry (in slot order); false when there are no more. */
    public boolean advance() {
        while (true) {
            while (slot < slots) {
                byte[] k = pageKeys[slot];
                Object v = pageValues[slot];
                slot++;
                if (k != null) {
                    key = k;
                    value = v;
                    return true;
                }
            }
            if (nextPage == data.pages()) {
                key = null;
                value = null;
                return false;
            }
            slots = data.readPage(nextPage++, pageKeys, pageValues);
            slot = 0;
        }
    }

    /** Reader: the current entry's key. */
    public byte[] key() {
        return key;
    }

    /** Reader: the current entry's value. */
    public Object value() {
        return value;
    }

    /** Reader: the current entry's absolute deadline in ms, or -1 when it has none. */
    public long expireAtMs() {
        if (expires.size() == 0) {
            return -1;
        }
        if (deadlines == null) {
            deadlines = expires.toTable();
        }
        Long deadline = (Long) deadlines.get(key);
        return deadline == null ? -1 : deadline;
    }

    /** Store thread, once the snapshot is over (written, failed or abandoned): writes stop copying pages. */
    public void release() {
        dataTable.release(data);
        expiresTable.release(expires);
    }
}
