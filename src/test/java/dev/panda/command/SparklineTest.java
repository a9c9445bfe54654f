package dev.panda.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Panda's sparkline against Redis's own: each {@code sparkline/NAME.in} (columns, rows, fill, then
 * one "value label" per line, "-" for no label) was rendered into {@code NAME.out} by Redis
 * 7.0.15's sparkline.c (scripts/dev/redis-sparkline/render.sh). The cases cover a spike, a flat
 * series, wrapping past 80 columns, no labels without fill, and sparse labels over 3 rows.
 */
class SparklineTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = SparklineTest.class.getResourceAsStream("/sparkline/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spikes", "flat", "wraps", "unlabelled", "mixed"})
    void rendersAsRedisSparklineDoes(String name) throws IOException {
        String[] lines = resource(name + ".in").split("\n");
        String[] head = lines[0].split(" ");
        Sparkline line = new Sparkline();
        for (int i = 1; i < lines.length; i++) {
            String[] sample = lines[i].split(" ");
            line.add(Double.parseDouble(sample[0]), sample[1].equals("-") ? null : sample[1]);
        }
        String expected = resource(name + ".out");
        assertThat(expected).isNotEmpty();
        assertThat(line.render(Integer.parseInt(head[0]), Integer.parseInt(head[1]), head[2].equals("1")))
                .isEqualTo(expected);
    }
}
