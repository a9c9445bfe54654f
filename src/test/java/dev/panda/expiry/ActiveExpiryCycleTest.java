package dev.panda.expiry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panda.store.Database;
import dev.panda.store.Keyspace;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The figures active expiry keeps for INFO: Redis's running averages (avg_ttl, expired_stale_perc)
 * with its arithmetic, and the cycle's sample feeding them, on a keyspace with a hand-set clock.
 */
class ActiveExpiryCycleTest {
    private long now = 1_700_000_000_000L;
    private final Keyspace keyspace = new Keyspace(3, () -> now);
    private final List<String> events = new ArrayList<>();
    private final ActiveExpiryCycle cycle = new ActiveExpiryCycle(keyspace, (event, ms) -> events.add(event));

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void avgTtlIsRedisIntegerRunningAverageStartingAtTheFirstSample() {
        assertThat(RunningAverages.avgTtl(0, 10_000)).isEqualTo(10_000);
        assertThat(RunningAverages.avgTtl(10_000, 5_000)).isEqualTo(200 * 49 + 100);
        // Integer division as in expire.c: 1234/50*49 + 99/50 = 24*49 + 1
        assertThat(RunningAverages.avgTtl(1234, 99)).isEqualTo(24 * 49 + 1);
    }

    @Test
    void stalePercWeighsTheCycleAtFivePercentAndDecaysWithoutSamples() {
        assertThat(RunningAverages.stalePerc(0, 20, 20)).isEqualTo(0.05);
        assertThat(RunningAverages.stalePerc(0.05, 0, 0)).isEqualTo(0.05 * 0.95);
        assertThat(RunningAverages.stalePerc(0.5, 40, 10)).isEqualTo(0.25 * 0.05 + 0.5 * 0.95);
    }

    @Test
    void sampleGivesEachDatabaseItsAvgTtlAndTheStaleShare() {
        Database db0 = keyspace.db(0);
        Database db1 = keyspace.db(1);
        for (int i = 0; i < 100; i++) {
            db0.strings().set(b("a" + i), b("v"), now + 10_000);
            db1.strings().set(b("b" + i), b("v"), now + 4_000);
            db1.strings().set(b("p" + i), b("v"), -1); // no deadline: not sampled
        }
        cycle.run(Long.MAX_VALUE);
        assertThat(db0.avgTtl()).isEqualTo(10_000);
        assertThat(db1.avgTtl()).isEqualTo(4_000);
        assertThat(keyspace.db(2).avgTtl()).isZero();
        assertThat(cycle.stalePerc()).isZero();
        assertThat(events).containsExactly("expire-cycle");

        now += 1_000; // every sampled key has 1 s less to live
        cycle.run(Long.MAX_VALUE);
        assertThat(db0.avgTtl()).isEqualTo(200 * 49 + 9_000 / 50);

        now += 5_000; // db1's keys are all due: the sample finds them before the walk removes them
        cycle.run(Long.MAX_VALUE);
        assertThat(db1.size()).isEqualTo(100);
        assertThat(db1.expiresSize()).isZero();
        // db0's 20 sampled keys live on, db1's 20 were due: half of this cycle's sample
        assertThat(cycle.stalePerc()).isEqualTo(0.5 * 0.05);

        cycle.run(Long.MAX_VALUE);
        assertThat(db1.avgTtl()).as("no key with a deadline left").isZero();
        assertThat(cycle.stalePerc()).isEqualTo(0.5 * 0.05 * 0.95);
    }

    @Test
    void avgTtlFollowsSwapdbAndFlushdbAndResetstatLeavesIt() {
        for (int i = 0; i < 30; i++) {
            keyspace.db(0).strings().set(b("k" + i), b("v"), now + 8_000);
        }
        cycle.run(Long.MAX_VALUE);
        keyspace.swap(0, 1);
        assertThat(keyspace.db(1).avgTtl()).isEqualTo(8_000);
        assertThat(keyspace.db(0).avgTtl()).isZero();
        cycle.resetStats();
        assertThat(keyspace.db(1).avgTtl()).isEqualTo(8_000);
        keyspace.db(1).flush();
        assertThat(keyspace.db(1).avgTtl()).isZero();
    }

    @Test
    void countsTheCyclesTimeAndTheCyclesStoppedByTheirBudget() {
        for (int i = 0; i < 1000; i++) {
            keyspace.db(0).strings().set(b("k" + i), b("v"), now + 10);
        }
        now += 100;
        cycle.run(0); // a budget spent at the first check
        assertThat(cycle.timeCapReached()).isEqualTo(1);
        assertThat(keyspace.db(0).expiresSize()).isGreaterThan(0);
        cycle.run(Long.MAX_VALUE);
        assertThat(cycle.timeCapReached()).isEqualTo(1);
        assertThat(keyspace.db(0).expiresSize()).isZero();
        assertThat(cycle.cycleMillis()).isGreaterThanOrEqualTo(0);
        cycle.resetStats();
        assertThat(cycle.timeCapReached()).isZero();
        assertThat(cycle.stalePerc()).isZero();
    }

    @Test
    void aDisabledCycleSamplesNothing() {
        keyspace.db(0).strings().set(b("k"), b("v"), now + 5_000);
        cycle.setEnabled(false);
        cycle.run(Long.MAX_VALUE);
        assertThat(keyspace.db(0).avgTtl()).isZero();
        assertThat(events).isEmpty();
    }

    /** expire-del: every expired key's deletion is timed while a timer is set, and none after. */
    @Test
    void expiredDeletionsAreTimedWhileATimerIsSet() {
        List<Long> timed = new ArrayList<>();
        keyspace.timeExpiredDeletes(timed::add);
        for (int i = 0; i < 5; i++) {
            keyspace.db(0).strings().set(b("k" + i), b("v"), now + 10);
        }
        now += 100;
        cycle.run(Long.MAX_VALUE);
        assertThat(timed).hasSize(5).allMatch(nanos -> nanos >= 0);
        keyspace.timeExpiredDeletes(null);
        keyspace.db(0).strings().set(b("later"), b("v"), now + 10);
        now += 100;
        cycle.run(Long.MAX_VALUE);
        assertThat(keyspace.db(0).size()).isZero();
        assertThat(timed).hasSize(5);
    }
}
