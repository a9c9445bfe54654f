package dev.panda.store;

import dev.panda.store.value.ValueType;

/**
 * What a typed store operation found: the key held the expected type ({@link #OK}), did not
 * exist ({@link #NOT_FOUND}), or held another type ({@link #WRONGTYPE}, Redis's WRONGTYPE
 * error). Immutable; any thread.
 */
public enum Status {
    OK,
    NOT_FOUND,
    WRONGTYPE;

    /** What a command expecting {@code type} finds in {@code entry} (null: no key). */
    static Status of(Object entry, ValueType type) {
        return entry == null ? NOT_FOUND : Entry.type(entry) == type ? OK : WRONGTYPE;
    }
}
