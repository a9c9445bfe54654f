package dev.panda.store;

/**
 * Where a store operation puts the number it found alongside its {@link Status} (fields added,
 * members removed…). Reused by its owner from one operation to the next.
 *
 * <p>Store thread only.
 */
public final class Count {
    public long value;
}
