package dev.panda.it;

import static dev.panda.it.RespConnection.OK;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Panda's own side of maxmemory, which a comparison with Redis cannot show: {@code used_memory}
 * measured against the heap the dataset really retains (a live-object histogram of the server
 * process, before and after loading), and evictions that survive kill -9 because each one is
 * logged. Test thread.
 */
class MemoryLimitIT {
    @TempDir
    Path dir;

    private static long info(RespConnection c, String section, String field) throws IOException {
        for (String line : c.call("INFO", section).split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim());
            }
        }
        throw new AssertionError("INFO " + section + " has no " + field);
    }

    /** Live heap bytes of the process: jcmd's GC.class_histogram, which collects first. */
    private static long liveHeap(Process p) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(System.getProperty("java.home") + "/bin/jcmd", Long.toString(p.pid()),
                "GC.class_histogram").redirectErrorStream(true).start();
        long total = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(jcmd.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("Total")) {
                    String[] parts = line.trim().split("\\s+");
                    total = Long.parseLong(parts[2]);
                }
            }
        }
        assertThat(jcmd.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(total).as("jcmd printed a histogram total").isPositive();
        return total;
    }

    /** {@link CollectionsDurabilityIT#pipeline}, then the batch starts over. */
    private static void pipeline(RespConnection c, List<String[]> commands) throws IOException {
        CollectionsDurabilityIT.pipeline(c, commands);
        commands.clear();
    }

    @Test
    void usedMemoryIsWithinTenPercentOfTheHeapTheDatasetRetains() throws Exception {
        List<String> args = List.of("--port", "0", "--dir", dir.toString(), "--appendonly", "no", "--save", "");
        try (PandaProcess panda = PandaProcess.startJar(args, Map.of());
                RespConnection c = new RespConnection(panda.awaitReady())) {
            c.call("PING");
            long heapBefore = liveHeap(panda.process);
            long usedBefore = info(c, "memory", "used_memory");
            Random r = new Random(18);
            List<String[]> batch = new ArrayList<>();
            for (int i = 0; i < 200_000; i++) { // strings, a fifth with a deadline
                batch.add(i % 5 == 0 ? new String[] {"SET", "s:" + i, "v".repeat(20 + r.nextInt(100)), "EX", "100000"}
                        : new String[] {"SET", "s:" + i, "v".repeat(20 + r.nextInt(100))});
                if (batch.size() == 1000) {
                    pipeline(c, batch);
                }
            }
            for (int k = 0; k < 300; k++) { // large hashes, sets, lists and sorted sets; small ones too
                for (int i = 0; i < 1000; i++) {
                    batch.add(new String[] {"HSET", "h:" + k, "field:" + i, "value:" + r.nextInt()});
                    batch.add(new String[] {"SADD", "set:" + k, "member:" + r.nextInt()});
                    batch.add(new String[] {"RPUSH", "l:" + k, "element:" + r.nextInt()});
                    batch.add(new String[] {"ZADD", "z:" + k, Integer.toString(r.nextInt(1000)), "m:" + i});
                    if (batch.size() >= 1000) {
                        pipeline(c, batch);
                    }
                }
                batch.add(new String[] {"HSET", "small-h:" + k, "a", "1", "b", "2"});
                batch.add(new String[] {"XADD", "x:" + k, "*", "f", "v"});
            }
            pipeline(c, batch);
            long heapGrowth = liveHeap(panda.process) - heapBefore;
            long usedGrowth = info(c, "memory", "used_memory") - usedBefore;
            System.out.printf("used_memory grew %d bytes, the live heap %d bytes (ratio %.3f)%n", usedGrowth, heapGrowth,
                    (double) usedGrowth / heapGrowth);
            assertThat(heapGrowth).as("the dataset takes tens of megabytes").isGreaterThan(40L << 20);
            assertThat((double) usedGrowth / heapGrowth).as("used_memory growth %d against retained heap growth %d",
                    usedGrowth, heapGrowth).isBetween(0.9, 1.1);
        }
    }

    @Test
    void evictionsAreLoggedSoAKilledServerComesBackAsItWasAtTheKill() throws Exception {
        List<String> limited = List.of("--port", "0", "--dir", dir.toString(), "--appendonly", "yes",
                "--appendfsync", "always", "--save", "", "--maxmemory", "4mb", "--maxmemory-policy", "allkeys-lru");
        Map<String, String> before;
        try (PandaProcess panda = PandaProcess.startJar(limited, Map.of())) {
            try (RespConnection c = new RespConnection(panda.awaitReady())) {
                Random r = new Random(9);
                List<String[]> batch = new ArrayList<>();
                for (int i = 0; i < 20_000; i++) {
                    switch (r.nextInt(4)) {
                        case 0 -> batch.add(new String[] {"SET", "k" + r.nextInt(30_000), "x".repeat(r.nextInt(2000))});
                        case 1 -> batch.add(new String[] {"HSET", "h" + r.nextInt(300), "f" + r.nextInt(200), "v"});
                        case 2 -> batch.add(new String[] {"RPUSH", "l" + r.nextInt(300), "e".repeat(r.nextInt(50))});
                        default -> batch.add(new String[] {"SET", "t" + r.nextInt(30_000), "y", "PX", "10000000"});
                    }
                    if (batch.size() == 100) {
                        pipeline(c, batch);
                    }
                }
                pipeline(c, batch);
                assertThat(info(c, "stats", "evicted_keys")).isGreaterThan(500);
                assertThat(info(c, "memory", "used_memory")).isLessThanOrEqualTo(4L << 20);
                assertThat(c.call("CONFIG", "SET", "maxmemory", "0")).isEqualTo(OK); // nothing more goes
                before = CollectionsDurabilityIT.dump(c, 1);
            }
            panda.process.toHandle().destroyForcibly();
            panda.awaitExit();
        }
        List<String> unlimited = List.of("--port", "0", "--dir", dir.toString(), "--appendonly", "yes", "--save", "");
        try (PandaProcess panda = PandaProcess.startJar(unlimited, Map.of());
                RespConnection c = new RespConnection(panda.awaitReady())) {
            Map<String, String> after = CollectionsDurabilityIT.dump(c, 1);
            assertThat(after.size()).isEqualTo(before.size());
            assertThat(after).isEqualTo(before);
        }
    }
}
