package dev.panda.command.server;

/**
 * MEMORY DOCTOR's report: Redis 7.0's {@code getMemoryDoctorReport} (object.c), with its
 * thresholds and texts, fed with the figures INFO memory shows for Panda: the logical size
 * Panda accounts as {@code used}, the JVM heap as the allocator, the process's resident set.
 * Pure; any thread.
 *
 * @param used           used_memory (Redis's total_allocated)
 * @param peak           used_memory_peak
 * @param rss            used_memory_rss
 * @param heapUsed       allocator_allocated: the JVM heap in use
 * @param heapCommitted  allocator_active: the heap the JVM holds
 * @param clientBytes    mem_clients_normal
 * @param clients        connected clients
 * @param cachedScripts  number_of_cached_scripts
 * @param allocator      mem_allocator, named in the fragmentation advice
 */
record MemoryDoctor(long used, long peak, long rss, long heapUsed, long heapCommitted, long clientBytes, long clients,
        long cachedScripts, String allocator) {
    private static final long TEN_MB = 10L << 20;

    String report() {
        if (used < 5L * 1024 * 1024) {
            return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these "
                    + "conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will "
                    + "be back to our programming as soon as I finished rebooting.\n";
        }
        StringBuilder s = new StringBuilder();
        if ((float) peak / used > 1.5) {
            s.append(" * Peak memory: In the past this instance used more than 150% the memory that is currently using. The "
                    + "allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation "
                    + "ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance "
                    + "Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the "
                    + "Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim "
                    + "memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart "
                    + "the instance.\n\n");
        }
        if ((double) rss / used > 1.4 && rss - used > TEN_MB) {
            s.append(" * High total RSS: This instance has a memory fragmentation and RSS overhead greater than 1.4 (this means "
                    + "that the Resident Set Size of the Redis process is much larger than the sum of the logical allocations Redis "
                    + "performed). This problem is usually due either to a large peak memory (check if there is a peak memory entry "
                    + "above in the report) or may result from a workload that causes the allocator to fragment memory a lot. If "
                    + "the problem is a large peak memory, then there is no issue. Otherwise, make sure you are using the Jemalloc "
                    + "allocator and not the default libc malloc. Note: The currently used allocator is \"")
                    .append(allocator).append("\".\n\n");
        }
        if (heapUsed > 0 && (double) heapCommitted / heapUsed > 1.1 && heapCommitted - heapUsed > TEN_MB) {
            s.append(" * High allocator fragmentation: This instance has an allocator external fragmentation greater than 1.1. "
                    + "This problem is usually due either to a large peak memory (check if there is a peak memory entry above in "
                    + "the report) or may result from a workload that causes the allocator to fragment memory a lot. You can try "
                    + "enabling 'activedefrag' config option.\n\n");
        }
        if (heapCommitted > 0 && (double) rss / heapCommitted > 1.1 && rss - heapCommitted > TEN_MB) {
            s.append(" * High allocator RSS overhead: This instance has an RSS memory overhead is greater than 1.1 (this means "
                    + "that the Resident Set Size of the allocator is much larger than the sum what the allocator actually holds). "
                    + "This problem is usually due to a large peak memory (check if there is a peak memory entry above in the "
                    + "report), you can try the MEMORY PURGE command to reclaim it.\n\n");
        }
        // Redis's process RSS overhead (RSS beyond the allocator's) is counted in the allocator's here: always 1.00.
        if (clients > 0 && clientBytes / clients > 1024 * 200) {
            s.append(" * Big client buffers: The clients output buffers in this instance are greater than 200K per client (on "
                    + "average). This may result from different causes, like Pub/Sub clients subscribed to channels bot not "
                    + "receiving data fast enough, so that data piles on the Redis instance output buffer, or clients sending "
                    + "commands with large replies or very large sequences of commands in the same pipeline. Please use the CLIENT "
                    + "LIST command in order to investigate the issue if it causes problems in your instance, or to understand "
                    + "better why certain clients are using a big amount of memory.\n\n");
        }
        if (cachedScripts > 1000) {
            s.append(" * Many scripts: There seem to be many cached scripts in this instance (more than 1000). This may be "
                    + "because scripts are generated and `EVAL`ed, instead of being parameterized (with KEYS and ARGV), "
                    + "`SCRIPT LOAD`ed and `EVALSHA`ed. Unless `SCRIPT FLUSH` is called periodically, the scripts' caches may "
                    + "end up consuming most of your memory.\n\n");
        }
        if (s.length() == 0) {
            return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
        }
        return "Sam, I detected a few issues in this Redis instance memory implants:\n\n" + s
                + "I'm here to keep you safe, Sam. I want to help you.\n";
    }
}
