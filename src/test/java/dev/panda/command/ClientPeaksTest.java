package dev.panda.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The 8-slot peak tracker behind INFO client_recent_max_input_buffer / _output_buffer. */
class ClientPeaksTest {
    private final ClientPeaks peaks = new ClientPeaks();

    @Test
    void reportsTheLargestOfTheLastEightSecondsThenForgetsIt() {
        int slot = peaks.beginSecond(1000);
        peaks.record(slot, 1_000_000, 10);
        peaks.record(slot, 5, 70_000);
        assertThat(peaks.recentMaxInput()).isEqualTo(1_000_000);
        assertThat(peaks.recentMaxOutput()).isEqualTo(70_000);
        for (long second = 1001; second <= 1006; second++) {
            peaks.record(peaks.beginSecond(second), 100, 100);
        }
        assertThat(peaks.recentMaxInput()).as("seven seconds later").isEqualTo(1_000_000);
        // Second 1007 clears second 1000's slot, which is the next one round the ring.
        peaks.record(peaks.beginSecond(1007), 100, 100);
        assertThat(peaks.recentMaxInput()).isEqualTo(100);
        assertThat(peaks.recentMaxOutput()).isEqualTo(100);
    }

    @Test
    void passesWithinOneSecondAccumulateInItsSlot() {
        peaks.record(peaks.beginSecond(50), 300, 0);
        peaks.record(peaks.beginSecond(50), 200, 0);
        assertThat(peaks.recentMaxInput()).isEqualTo(300);
    }

    @Test
    void aSlotReachedAgainAfterAStalledCronStartsFromWhatItWasClearedTo() {
        peaks.record(peaks.beginSecond(10), 900, 900); // slot 2
        peaks.beginSecond(17); // slot 1; clears slot 2
        assertThat(peaks.recentMaxInput()).isZero();
    }
}
