package dev.panda.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panda.config.ServerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SavePolicyTest {
    private static SavePolicy policy(String... args) throws Exception {
        return SavePolicy.of(ServerConfig.load(List.of(args), Map.of()));
    }

    @Test
    void redisDefaultRulesFireWhenTimeAndChangesBothSuffice() throws Exception {
        SavePolicy p = policy();
        assertThat(p.any()).isTrue();
        assertThat(p.due(59_000, 0, 100_000)).isFalse();
        assertThat(p.due(60_000, 0, 10_000)).isTrue();
        assertThat(p.due(299_000, 0, 9_999)).isFalse();
        assertThat(p.due(300_000, 0, 100)).isTrue();
        assertThat(p.due(3_599_000, 0, 99)).isFalse();
        assertThat(p.due(3_600_000, 0, 1)).isTrue();
        assertThat(p.due(10_000_000, 0, 0)).isFalse();
    }

    @Test
    void emptySaveDisablesRules() throws Exception {
        SavePolicy p = policy("--save", "");
        assertThat(p.any()).isFalse();
        assertThat(p.due(Long.MAX_VALUE / 2, 0, 1_000_000)).isFalse();
    }

    @Test
    void seedTriggersCountChangesAndBoundTheTimeBetweenSnapshots() throws Exception {
        SavePolicy interval = policy("--save", "", "--snapshot-interval", "500");
        assertThat(interval.due(1, 0, 499)).isFalse();
        assertThat(interval.due(1, 0, 500)).isTrue();
        SavePolicy timeout = policy("--save", "", "--snapshot-timeout", "30");
        assertThat(timeout.due(29_999, 0, 1)).isFalse();
        assertThat(timeout.due(30_000, 0, 1)).isTrue();
        assertThat(timeout.due(30_000, 0, 0)).isFalse();
    }
}
