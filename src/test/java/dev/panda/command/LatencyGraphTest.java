package dev.panda.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyGraphTest {

    @Test
    void headerDashesAndAgeLabelsAsRedisWritesThem() {
        // The spikes case of SparklineTest (rendered by Redis's sparkline.c), as samples taken 5..0 s ago.
        LatencyMonitor.Samples samples = new LatencyMonitor.Samples("command",
                new long[] {995, 996, 997, 998, 999, 1000}, new long[] {10, 50, 100, 200, 20, 1000}, 1200);
        assertThat(LatencyGraph.render(samples, 1000)).isEqualTo(
                "command - high 1000 ms, low 10 ms (all time high 1200 ms)\n"
                        + "-".repeat(80) + "\n"
                        + "     #\n"
                        + "     |\n"
                        + "     |\n"
                        + "__o#_|\n"
                        + "      \n"
                        + "543210\n"
                        + "ssssss\n");
    }

    @Test
    void agesAreTruncatedToSecondsMinutesHoursOrDays() {
        assertThat(LatencyGraph.ago(0)).isEqualTo("0s");
        assertThat(LatencyGraph.ago(59)).isEqualTo("59s");
        assertThat(LatencyGraph.ago(60)).isEqualTo("1m");
        assertThat(LatencyGraph.ago(3599)).isEqualTo("59m");
        assertThat(LatencyGraph.ago(3600)).isEqualTo("1h");
        assertThat(LatencyGraph.ago(86399)).isEqualTo("23h");
        assertThat(LatencyGraph.ago(86400)).isEqualTo("1d");
        assertThat(LatencyGraph.ago(10 * 86400 + 5)).isEqualTo("10d");
    }
}
