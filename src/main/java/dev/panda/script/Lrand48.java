package dev.panda.script;

/**
 * Redis's {@code redisLrand48}/{@code redisSrand48} ({@code rand.c}): the 48-bit linear
 * congruential generator of POSIX lrand48, so {@code math.random} gives the same sequence as in
 * Redis on every platform. One generator for the process, as in Redis. Store thread only.
 */
public final class Lrand48 {
    /** REDIS_LRAND48_MAX. */
    public static final int MAX = Integer.MAX_VALUE;
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long MASK = (1L << 48) - 1;
    private long state = 0x1234ABCD330EL;

    /** The next value in [0, 2^31). */
    public int next() {
        state = (state * MULTIPLIER + 0xB) & MASK;
        return (int) (state >>> 17);
    }

    public void seed(int seed) {
        state = ((long) seed << 16 | 0x330E) & MASK;
    }
}
