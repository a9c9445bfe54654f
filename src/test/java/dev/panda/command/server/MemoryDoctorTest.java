package dev.panda.command.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemoryDoctorTest {
    private static final long MB = 1L << 20;

    @Test
    void belowFiveMegabytesTheInstanceCountsAsEmpty() {
        assertThat(new MemoryDoctor(5 * MB - 1, 500 * MB, 900 * MB, 1, 900 * MB, 0, 1, 5000, "jvm").report())
                .startsWith("Hi Sam, this instance is empty").endsWith("as soon as I finished rebooting.\n");
    }

    @Test
    void healthyFiguresFindNothing() {
        assertThat(new MemoryDoctor(100 * MB, 110 * MB, 112 * MB, 100 * MB, 105 * MB, 50_000, 10, 3, "jvm").report())
                .isEqualTo("Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n");
    }

    @Test
    void eachThresholdIsRedisAndNeedsTenMegabytesBeyondIt() {
        String all = new MemoryDoctor(100 * MB, 151 * MB, 400 * MB, 100 * MB, 300 * MB, 300_000L * 4, 4, 1001, "jvm").report();
        assertThat(all).startsWith("Sam, I detected a few issues in this Redis instance memory implants:\n\n")
                .contains(" * Peak memory:", " * High total RSS:", "The currently used allocator is \"jvm\".",
                        " * High allocator fragmentation:", " * High allocator RSS overhead:", " * Big client buffers:",
                        " * Many scripts:")
                .endsWith("I'm here to keep you safe, Sam. I want to help you.\n");
        // Ratios over the thresholds but by less than 10 MB: not reported, as in Redis.
        String small = new MemoryDoctor(6 * MB, 6 * MB, 15 * MB, 6 * MB, 12 * MB, 0, 1, 0, "jvm").report();
        assertThat(small).startsWith("Hi Sam, I can't find any memory issue");
        assertThat(new MemoryDoctor(100 * MB, 150 * MB, 100 * MB, 100 * MB, 100 * MB, 0, 1, 1000, "jvm").report())
                .as("a peak of exactly 150% and 1000 scripts are within bounds").startsWith("Hi Sam, I can't find");
    }
}
