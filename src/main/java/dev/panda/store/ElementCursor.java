package dev.panda.store;

/**
 * Walks the elements of one collection as byte slices: a set's members; a hash's fields and
 * values alternately (field, value, field, value…). Slices point into the stored (immutable)
 * arrays where the bytes are there, so they stay valid after the walk moves on.
 *
 * <p>Used by one thread at a time: a snapshot reader, or the store thread.
 */
public interface ElementCursor {
    /** Moves to the next element; false when there are no more. */
    boolean next();

    byte[] array();

    int offset();

    int length();
}
