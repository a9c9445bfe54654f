package dev.panda.store;

/**
 * Walks the elements of a large collection's table image, page by page as {@link TableImage}
 * hands them out: for a hash, each field entry gives its field then its value; for a set, each
 * member. Snapshot reader thread (or the store thread for SAVE).
 */
final class TableCursor implements ElementCursor {
    private final TableImage image;
    private final boolean pairs;
    private final Object[] page = new Object[TableImage.PAGE_SLOTS];
    private int nextPage;
    private int slot;
    private int slots;
    private byte[] entry;
    /** For a hash: the field was handed out, the value comes next. */
    private boolean valueNext;
    private int offset;
    private int length;

    TableCursor(TableImage image, boolean pairs) {
        this.image = image;
        this.pairs = pairs;
    }

    @Override
    public boolean next() {
        if (valueNext) {
            valueNext = false;
            offset += length;
            length = entry.length - offset;
            return true;
        }
        while (true) {
            while (slot < slots) {
                Object e = page[slot];
                page[slot++] = null;
                if (e != null) {
                    entry = (byte[]) e;
                    int len = Entry.readVarint(entry, 0);
                    offset = Entry.varintLength(len);
                    length = len;
                    valueNext = pairs;
                    return true;
                }
            }
            if (nextPage == image.pages()) {
                return false;
            }
            slots = image.readPage(nextPage++, page);
            slot = 0;
        }
    }

    @Override
    public byte[] array() {
        return entry;
    }

    @Override
    public int offset() {
        return offset;
    }

    @Override
    public int length() {
        return length;
    }
}
