package dev.panda.store;

/**
 * Where a collection leaves its packed encoding, as Redis's {@code hash-max-listpack-entries}
 * (512), {@code hash-max-listpack-value} (64 bytes) and {@code set-max-intset-entries} (512), with the list and sorted-set limits beside them.
 * Changed by CONFIG SET; a change applies to values as they next change, as in Redis.
 *
 * <p>Store thread only.
 */
public final class EncodingLimits {
    public int hashMaxListpackEntries = 512;
    public int hashMaxListpackValue = 64;
    public int setMaxIntsetEntries = 512;
    /** Redis's list-max-listpack-size: positive, elements per node; -1…-5, 4…64 KiB per node. */
    public int listMaxListpackSize = -2;
    public int zsetMaxListpackEntries = 128;
    public int zsetMaxListpackValue = 64;
    /** Redis's stream-node-max-bytes and stream-node-max-entries: where a stream starts a new node (0: no limit). */
    public int streamNodeMaxBytes = 4096;
    public int streamNodeMaxEntries = 100;
}
