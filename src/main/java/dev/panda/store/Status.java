package dev.panda.store;

/**
 * What a typed store operation found: the key held the expected type ({@link #OK}), did not
 * exist ({@link #NOT_FOUND}), or held another type ({@link #WRONGTYPE}, Redis's WRONGTYPE
 * error). Immutable; any thread.
 */
public enum Status {
    OK,
    NOT_FOUND,
    WRONGTYPE
}
