package dev.panda.command;

/**
 * Redis's normalisation of an index range (LRANGE, LTRIM, ZRANGE by rank, ZREMRANGEBYRANK):
 * negative indexes count from the end, the start is clamped at 0 and the end at the last
 * element. Pure function; any thread.
 */
public final class IndexRange {
    private IndexRange() {
    }

    /** {start, end}, inclusive, within [0, size); null when the range is empty. */
    public static long[] of(long start, long end, long size) {
        if (start < 0) {
            start += size;
        }
        if (end < 0) {
            end += size;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= size) {
            return null;
        }
        return new long[] {start, Math.min(end, size - 1)};
    }
}
