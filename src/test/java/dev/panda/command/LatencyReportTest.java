package dev.panda.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** LATENCY DOCTOR's text for fixed samples, worked out by Redis 7.0.15's createLatencyReport by hand. */
class LatencyReportTest {
    private static final LatencyReport.Server SERVER = new LatencyReport.Server(10, false, 0);
    private static final String TUNING = "- Your current Slow Log configuration only logs events that are slower than your "
            + "configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than 1000'.\n";
    private static final String INSPECT = "- Check your Slow Log to understand what are the commands you are running which "
            + "are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n";
    private static final String LARGE = "- Deleting, expiring or evicting (because of maxmemory policy) large objects is a "
            + "blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to "
            + "fragment those objects into multiple smaller objects.\n";

    @Test
    void disabledAndQuietMonitorsGetRedisGreetings() {
        assertThat(LatencyReport.render(List.of(), 0, 10000, 1000, SERVER)).isEqualTo("I'm sorry, Dave, I can't do that. Latency "
                + "monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold "
                + "<milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look "
                + "at https://redis.io/topics/latency-monitor.\n");
        assertThat(LatencyReport.render(List.of(), 1, 10000, 1000, SERVER)).isEqualTo("Dave, no latency spike was observed during "
                + "the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down "
                + "calmly, take a stress pill, and think things over.\n");
    }

    @Test
    void commandEventStatsAndSlowLogAdvice() {
        // avg 240/3 = 80, deviations 30+20+50 = 100 -> 33, period (1010-1000)/3 = 3.33
        LatencyMonitor.Samples command = new LatencyMonitor.Samples("command",
                new long[] {1000, 1003, 1010}, new long[] {50, 60, 130}, 200);
        assertThat(LatencyReport.render(List.of(command), 1, 10000, 1010, SERVER)).isEqualTo(
                "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n"
                        + "1. command: 3 latency spikes (average 80ms, mean deviation 33ms, period 3.33 sec). "
                        + "Worst all time event 200ms.\n"
                        + "\nI have a few advices for you:\n\n" + TUNING + INSPECT + LARGE);
        // slowlog-log-slower-than 1000 us is not above a 1 ms threshold: no tuning advice.
        assertThat(LatencyReport.render(List.of(command), 1, 1000, 1010, SERVER)).endsWith("advices for you:\n\n" + INSPECT + LARGE);
    }

    @Test
    void fastCommandAdviceAndDisabledSlowLogInEventOrder() {
        LatencyMonitor.Samples fast = new LatencyMonitor.Samples("fast-command", new long[] {1000}, new long[] {7}, 7);
        LatencyMonitor.Samples command = new LatencyMonitor.Samples("command", new long[] {999, 1000}, new long[] {4, 9}, 9);
        String report = LatencyReport.render(List.of(fast, command), 2, -1, 1000, SERVER);
        assertThat(report).startsWith("Dave, I have observed latency spikes in this Redis instance. You don't mind talking "
                + "about it, do you Dave?\n\n"
                + "1. fast-command: 1 latency spikes (average 7ms, mean deviation 0ms, period 1.00 sec). Worst all time event 7ms.\n"
                + "2. command: 2 latency spikes (average 6ms, mean deviation 2ms, period 0.50 sec). Worst all time event 9ms.\n"
                + "\nI have a few advices for you:\n\n"
                + "- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis "
                + "feature using the command 'CONFIG SET slowlog-log-slower-than 2000'. If the Slow log is disabled Redis is "
                + "not able to log slow commands execution for you.\n"
                + INSPECT
                + "- The system is slow to execute Redis code paths not containing system calls.");
        assertThat(report).contains("  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your "
                + "system.\n  5) Check if the problem is garbage-collection-related").endsWith(LARGE);
    }

    @Test
    void eventsWithoutAdviceGetRedisClosingWords() {
        // Redis records eviction-lazyfree with no advice; Panda never records it, but the report is Redis's.
        LatencyMonitor.Samples other = new LatencyMonitor.Samples("eviction-lazyfree", new long[] {992}, new long[] {3}, 3);
        assertThat(LatencyReport.render(List.of(other), 1, 10000, 1000, SERVER)).endsWith("Worst all time event 3ms.\n"
                + "\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis "
                + "community to get some help, providing this report in your help request.\n");
    }

    @Test
    void periodIsRoundedAsCPrintfRoundsTheExactBinaryValue() {
        assertThat(LatencyReport.twoDecimals(0.125)).isEqualTo("0.12");
        assertThat(LatencyReport.twoDecimals(0.375)).isEqualTo("0.38");
        assertThat(LatencyReport.twoDecimals(2.675)).isEqualTo("2.67");
        assertThat(LatencyReport.twoDecimals(1.0 / 3)).isEqualTo("0.33");
        assertThat(LatencyReport.twoDecimals(160)).isEqualTo("160.00");
    }

    @Test
    void expireCycleAdvisesHzBelow100AndLargeObjects() {
        LatencyMonitor.Samples expire = new LatencyMonitor.Samples("expire-cycle", new long[] {990, 1000}, new long[] {2, 6}, 6);
        assertThat(LatencyReport.render(List.of(expire), 1, 10000, 1000, SERVER)).isEqualTo(
                "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n"
                + "1. expire-cycle: 2 latency spikes (average 4ms, mean deviation 2ms, period 5.00 sec). Worst all time "
                + "event 6ms.\n\nI have a few advices for you:\n\n"
                + "- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration "
                + "parameter to 100 using 'CONFIG SET hz 100'.\n" + LARGE);
        assertThat(LatencyReport.render(List.of(expire), 1, 10000, 1000, new LatencyReport.Server(100, false, 0)))
                .endsWith("advices for you:\n\n" + LARGE);
    }

    @Test
    void evictionEventsAdviseLargeObjectsAndMassEviction() {
        LatencyMonitor.Samples del = new LatencyMonitor.Samples("eviction-del", new long[] {1000}, new long[] {3}, 3);
        LatencyMonitor.Samples cycle = new LatencyMonitor.Samples("eviction-cycle", new long[] {1000}, new long[] {9}, 9);
        assertThat(LatencyReport.render(List.of(del, cycle), 1, 10000, 1000, SERVER)).endsWith("advices for you:\n\n" + LARGE
                + "- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large objects via sets or "
                + "sorted sets intersections, STORE option of SORT, Redis Cluster large keys migrations (RESTORE command), "
                + "may create sudden memory pressure forcing the server to block trying to evict keys. \n");
    }

    @Test
    void logEventsAdviseOnDisksAndTheFsyncPolicyOnlyUnderAlways() {
        LatencyMonitor.Samples alone = new LatencyMonitor.Samples("aof-write-alone", new long[] {1000}, new long[] {5}, 5);
        LatencyMonitor.Samples write = new LatencyMonitor.Samples("aof-write", new long[] {1000}, new long[] {5}, 5);
        LatencyMonitor.Samples fsync = new LatencyMonitor.Samples("aof-fsync-always", new long[] {1000}, new long[] {8}, 8);
        String report = LatencyReport.render(List.of(alone, write, fsync), 1, 10000, 1000, new LatencyReport.Server(10, true, 0));
        assertThat(report).contains("3. aof-fsync-always: 1 latency spikes").contains(
                "advices for you:\n\n- It is strongly advised to use local disks for persistence",
                "\n- SSD disks are able to reduce fsync latency",
                "\n- Mounting ext3/4 filesystems with data=writeback")
                .endsWith("- Your fsync policy is set to 'always'. It is very hard to get good performances with such a setup, "
                        + "if possible try to relax the fsync policy to 'onesec'.\n")
                .doesNotContain("disk contention", "no-appendfsync-on-rewrite");
        // Under everysec Redis still counts the advice but prints nothing for it.
        assertThat(LatencyReport.render(List.of(fsync), 1, 10000, 1000, SERVER)).endsWith("advices for you:\n\n");
        LatencyMonitor.Samples child = new LatencyMonitor.Samples("aof-write-active-child", new long[] {1000}, new long[] {5}, 5);
        LatencyMonitor.Samples pending = new LatencyMonitor.Samples("aof-write-pending-fsync", new long[] {1000}, new long[] {5}, 5);
        assertThat(LatencyReport.render(List.of(child), 1, 10000, 1000, SERVER)).contains("no-appendfsync-on-rewrite")
                .doesNotContain("local disks");
        assertThat(LatencyReport.render(List.of(pending), 1, 10000, 1000, SERVER)).contains("local disks", "disk contention");
    }

    @Test
    void forkStatesTheRateButGivesNoHypervisorAdvice() {
        LatencyMonitor.Samples fork = new LatencyMonitor.Samples("fork", new long[] {1000}, new long[] {4}, 4);
        String report = LatencyReport.render(List.of(fork), 1, 10000, 1000, new LatencyReport.Server(10, false, 0.125));
        assertThat(report).contains("1. fork: 1 latency spikes (average 4ms, mean deviation 0ms, period 1.00 sec). Worst all "
                + "time event 4ms. Fork rate is 0.12 GB/sec (terrible).\n")
                .endsWith("I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing "
                        + "this report in your help request.\n");
        assertThat(LatencyReport.render(List.of(fork), 1, 10000, 1000, new LatencyReport.Server(10, false, 150)))
                .contains("Fork rate is 150.00 GB/sec (excellent).");
    }
}
