package dev.panda.command.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pqsort port puts the right values in the wanted positions, for every size and many ties. */
class PartialSortTest {
    @Test
    void theWantedPrefixIsWhatAFullSortGives() {
        Random random = new Random(7);
        for (int trial = 0; trial < 2000; trial++) {
            int n = 1 + random.nextInt(200);
            Integer[] a = new Integer[n];
            for (int i = 0; i < n; i++) {
                a[i] = random.nextInt(trial % 2 == 0 ? 10 : 1000);
            }
            Integer[] sorted = a.clone();
            Arrays.sort(sorted);
            int k = 1 + random.nextInt(n);
            PartialSort.sort(a, n, Comparator.naturalOrder(), 0, k - 1);
            assertThat(Arrays.copyOf(a, k)).as("n=%d k=%d", n, k).containsExactly(Arrays.copyOf(sorted, k));
        }
    }
}
