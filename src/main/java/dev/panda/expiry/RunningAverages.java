package dev.panda.expiry;

/**
 * The two running averages Redis's {@code activeExpireCycle} keeps from its samples, with its
 * arithmetic (integer for the TTL, so INFO shows the same numbers for the same samples).
 * Pure functions; any thread.
 */
final class RunningAverages {
    private RunningAverages() {
    }

    /**
     * The next {@code db->avg_ttl}: a new sample mean weighs 2%, the estimate so far 98%; the first
     * sample mean (the estimate still 0) starts the estimate at itself.
     */
    static long avgTtl(long estimate, long sampleMean) {
        long old = estimate == 0 ? sampleMean : estimate;
        return (old / 50) * 49 + (sampleMean / 50);
    }

    /**
     * The next {@code stat_expired_stale_perc} (a fraction, 0 to 1): this cycle's share of sampled
     * keys found expired weighs 5%; no key sampled counts as none expired, so the estimate decays.
     */
    static double stalePerc(double estimate, long sampled, long expired) {
        double current = sampled == 0 ? 0 : (double) expired / sampled;
        return current * 0.05 + estimate * 0.95;
    }
}
