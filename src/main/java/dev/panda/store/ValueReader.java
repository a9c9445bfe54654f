package dev.panda.store;

import dev.panda.store.value.ValueType;

/**
 * A read-only view of one collection that a typed family binds to a key's entry (HashReader,
 * SetReader, ListReader, ZsetReader). Store thread only.
 */
interface ValueReader {
    void bind(Object entry);

    void clear();

    /** Binds the reader to the entry when it holds {@code type}, clears it otherwise; says which. */
    static Status open(Object entry, ValueType type, ValueReader reader) {
        Status s = Status.of(entry, type);
        if (s == Status.OK) {
            reader.bind(entry);
        } else {
            reader.clear();
        }
        return s;
    }
}
