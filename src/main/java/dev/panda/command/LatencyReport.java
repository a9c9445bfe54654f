package dev.panda.command;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * LATENCY DOCTOR's text, as Redis 7.0's {@code createLatencyReport} writes it: per event, the
 * number of samples kept, their average and mean absolute deviation, the mean time between
 * them and the all-time worst, then advice chosen by the events seen.
 *
 * <p>Every event of Redis's report keeps its advice, those Panda never records included (so a
 * report reads the same whichever events it has). Where Panda differs: the fifth scheduler hint
 * points at the JVM's garbage collector instead of recompiling Redis with another malloc; the
 * {@code fork} event (a background snapshot capturing its images) states the capture rate with
 * Redis's words but never gives the advice about hypervisors' slow fork() (Panda does not fork,
 * so a faster VM would not help); and the transparent-huge-pages advice is left out (Redis gives
 * it because huge pages make fork's copy-on-write slow). Texts are otherwise Redis's, "Redis"
 * included, as clients expect the server to call itself that everywhere.
 *
 * <p>Store thread only.
 */
public final class LatencyReport {
    private LatencyReport() {
    }

    /**
     * The figures of Redis's {@code analyzeLatencyForEvent} the report prints: integer average and
     * mean absolute deviation (as Redis, truncated), and seconds since the oldest sample (at least 1).
     */
    record Stats(long samples, long avg, long mad, long period) {
        static Stats of(LatencyMonitor.Samples s, long nowSeconds) {
            long n = s.count();
            if (n == 0) {
                return new Stats(0, 0, 0, 0);
            }
            long sum = 0;
            long oldest = Long.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                sum += s.millis()[i];
                oldest = Math.min(oldest, s.seconds()[i]);
            }
            long avg = sum / n;
            long deviations = 0;
            for (int i = 0; i < n; i++) {
                deviations += Math.abs(avg - s.millis()[i]);
            }
            long period = nowSeconds - oldest;
            return new Stats(n, avg, deviations / n, period == 0 ? 1 : period);
        }
    }

    /**
     * What the advice depends on beside the events: {@code hz}, whether {@code appendfsync} is
     * {@code always}, and the last fork's rate in GB/s (Redis's stat_fork_rate).
     */
    public record Server(int hz, boolean fsyncAlways, double forkRateGbPerSec) {
    }

    /**
     * The report for {@code events} (in the order they first occurred), given the monitor's
     * threshold and {@code slowlog-log-slower-than} (microseconds; negative when off).
     */
    public static String render(List<LatencyMonitor.Samples> events, long thresholdMillis, long slowlogMicros,
                                long nowSeconds, Server server) {
        if (events.isEmpty() && thresholdMillis == 0) {
            return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use "
                    + "\"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a "
                    + "deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
        }
        StringBuilder report = new StringBuilder();
        boolean slowlogEnabled = false;
        boolean slowlogTuning = false;
        boolean slowlogInspect = false;
        boolean scheduler = false;
        boolean largeObjects = false;
        boolean localDisk = false;
        boolean ssd = false;
        boolean dataWriteback = false;
        boolean diskContention = false;
        boolean noAppendfsync = false;
        boolean relaxFsync = false;
        boolean writeLoadInfo = false;
        boolean hz = false;
        boolean massEviction = false;
        int advices = 0;
        int eventnum = 0;
        for (LatencyMonitor.Samples s : events) {
            eventnum++;
            if (eventnum == 1) {
                report.append("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, "
                        + "do you Dave?\n\n");
            }
            Stats ls = Stats.of(s, nowSeconds);
            report.append(eventnum).append(". ").append(s.event()).append(": ").append(ls.samples())
                    .append(" latency spikes (average ").append(ls.avg()).append("ms, mean deviation ").append(ls.mad())
                    .append("ms, period ").append(twoDecimals((double) ls.period() / ls.samples()))
                    .append(" sec). Worst all time event ").append(s.allTimeHigh()).append("ms.");
            // Redis compares event names ignoring case (strcasecmp).
            String event = s.event();
            if (event.equalsIgnoreCase("fork")) {
                double rate = server.forkRateGbPerSec();
                String quality = rate < 10 ? "terrible" : rate < 25 ? "poor" : rate < 100 ? "good" : "excellent";
                report.append(" Fork rate is ").append(twoDecimals(rate)).append(" GB/sec (").append(quality).append(").");
            }
            if (s.event().equalsIgnoreCase("command")) {
                if (slowlogMicros < 0) {
                    slowlogEnabled = true;
                    advices++;
                } else if (slowlogMicros / 1000 > thresholdMillis) {
                    slowlogTuning = true;
                    advices++;
                }
                slowlogInspect = true;
                largeObjects = true;
                advices += 2;
            }
            if (s.event().equalsIgnoreCase("fast-command")) {
                scheduler = true;
                advices++;
            }
            if (event.equalsIgnoreCase("aof-write-pending-fsync")) {
                localDisk = true;
                diskContention = true;
                ssd = true;
                dataWriteback = true;
                advices += 4;
            }
            if (event.equalsIgnoreCase("aof-write-active-child")) {
                noAppendfsync = true;
                dataWriteback = true;
                ssd = true;
                advices += 3;
            }
            if (event.equalsIgnoreCase("aof-write-alone")) {
                localDisk = true;
                dataWriteback = true;
                ssd = true;
                advices += 3;
            }
            if (event.equalsIgnoreCase("aof-fsync-always")) {
                relaxFsync = true;
                advices++;
            }
            if (event.equalsIgnoreCase("aof-fstat") || event.equalsIgnoreCase("rdb-unlink-temp-file")) {
                diskContention = true;
                localDisk = true;
                advices += 2;
            }
            if (event.equalsIgnoreCase("aof-rewrite-diff-write") || event.equalsIgnoreCase("aof-rename")) {
                writeLoadInfo = true;
                dataWriteback = true;
                ssd = true;
                localDisk = true;
                advices += 4;
            }
            if (event.equalsIgnoreCase("expire-cycle")) {
                hz = true;
                largeObjects = true;
                advices += 2;
            }
            if (event.equalsIgnoreCase("eviction-del")) {
                largeObjects = true;
                advices++;
            }
            if (event.equalsIgnoreCase("eviction-cycle")) {
                massEviction = true;
                advices++;
            }
            report.append('\n');
        }

        if (eventnum == 0 && advices == 0) {
            report.append("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the "
                    + "slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things "
                    + "over.\n");
        } else if (eventnum > 0 && advices == 0) {
            report.append("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the "
                    + "Redis community to get some help, providing this report in your help request.\n");
        } else {
            report.append("\nI have a few advices for you:\n\n");
            if (slowlogEnabled) {
                report.append("- There are latency issues with potentially slow commands you are using. Try to enable the "
                        + "Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ")
                        .append(thresholdMillis * 1000)
                        .append("'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n");
            }
            if (slowlogTuning) {
                report.append("- Your current Slow Log configuration only logs events that are slower than your configured "
                        + "latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ")
                        .append(thresholdMillis * 1000).append("'.\n");
            }
            if (slowlogInspect) {
                report.append("- Check your Slow Log to understand what are the commands you are running which are too slow "
                        + "to execute. Please check https://redis.io/commands/slowlog for more information.\n");
            }
            if (scheduler) {
                report.append("- The system is slow to execute Redis code paths not containing system calls. This usually "
                        + "means the system does not provide Redis CPU time to run for long periods. You should try to:\n"
                        + "  1) Lower the system load.\n"
                        + "  2) Use a computer / VM just for Redis if you are running other software in the same system.\n"
                        + "  3) Check if you have a \"noisy neighbour\" problem.\n"
                        + "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n"
                        // Redis: "recompiling Redis with MALLOC=libc"; Panda's equivalent suspect is the JVM's collector.
                        + "  5) Check if the problem is garbage-collection-related by running Panda with -Xlog:gc and "
                        + "comparing the pauses with the spikes.\n");
            }
            if (localDisk) {
                report.append("- It is strongly advised to use local disks for persistence, especially if you are using AOF. "
                        + "Remote disks provided by platform-as-a-service providers are known to be slow.\n");
            }
            if (ssd) {
                report.append("- SSD disks are able to reduce fsync latency, and total time needed for snapshotting and AOF "
                        + "log rewriting (resulting in smaller memory usage). With extremely high write load SSD disks can "
                        + "be a good option. However Redis should perform reasonably with high load using normal disks. Use "
                        + "this advice as a last resort.\n");
            }
            if (dataWriteback) {
                report.append("- Mounting ext3/4 filesystems with data=writeback can provide a performance boost compared to "
                        + "data=ordered, however this mode of operation provides less guarantees, and sometimes it can "
                        + "happen that after a hard crash the AOF file will have a half-written command at the end and will "
                        + "require to be repaired before Redis restarts.\n");
            }
            if (diskContention) {
                report.append("- Try to lower the disk contention. This is often caused by other disk intensive processes "
                        + "running in the same computer (including other Redis instances).\n");
            }
            if (noAppendfsync) {
                report.append("- Assuming from the point of view of data safety this is viable in your environment, you could "
                        + "try to enable the 'no-appendfsync-on-rewrite' option, so that fsync will not be performed while "
                        + "there is a child rewriting the AOF file or producing an RDB file (the moment where there is high "
                        + "disk contention).\n");
            }
            if (relaxFsync && server.fsyncAlways()) {
                report.append("- Your fsync policy is set to 'always'. It is very hard to get good performances with such a "
                        + "setup, if possible try to relax the fsync policy to 'onesec'.\n");
            }
            if (writeLoadInfo) {
                report.append("- Latency during the AOF atomic rename operation or when the final difference is flushed to "
                        + "the AOF file at the end of the rewrite, sometimes is caused by very high write load, causing the "
                        + "AOF buffer to get very large. If possible try to send less commands to accomplish the same work, "
                        + "or use Lua scripts to group multiple operations into a single EVALSHA call.\n");
            }
            if (hz && server.hz() < 100) {
                report.append("- In order to make the Redis keys expiring process more incremental, try to set the 'hz' "
                        + "configuration parameter to 100 using 'CONFIG SET hz 100'.\n");
            }
            if (largeObjects) {
                report.append("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking "
                        + "operation. If you have very large objects that are often deleted, expired, or evicted, try to "
                        + "fragment those objects into multiple smaller objects.\n");
            }
            if (massEviction) {
                report.append("- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large objects "
                        + "via sets or sorted sets intersections, STORE option of SORT, Redis Cluster large keys migrations "
                        + "(RESTORE command), may create sudden memory pressure forcing the server to block trying to evict "
                        + "keys. \n");
            }
        }
        return report.toString();
    }

    /** C's "%.2f": the double's exact binary value rounded half to even, as glibc's printf does. */
    static String twoDecimals(double value) {
        return new BigDecimal(value).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }
}
