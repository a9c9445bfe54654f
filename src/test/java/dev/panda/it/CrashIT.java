package dev.panda.it;

import static dev.panda.it.RespConnection.integer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Panda as a separate process, killed with SIGKILL while several clients write, then restarted
 * on the same directory: every acknowledged write is back (under appendfsync always and
 * everysec: a process crash loses nothing that was acknowledged), counters are exact up to the
 * one command that may have been in flight, deadlines are the same absolute instants, and no
 * key appears that was never written.
 */
class CrashIT {
    private static final int WRITERS = 4;
    private static final long DEADLINE = 4_102_444_800_000L; // 2100-01-01, absolute

    @TempDir
    Path dir;

    /** One client writing its own keys, continuing from {@code start}, remembering what was acknowledged. */
    private static final class Writer implements Runnable {
        final int id;
        final int port;
        final long start;
        final AtomicLong acked;

        Writer(int id, int port, long start) {
            this.id = id;
            this.port = port;
            this.start = start;
            this.acked = new AtomicLong(start);
        }

        @Override
        public void run() {
            try (RespConnection c = new RespConnection(port)) {
                for (long i = start + 1; i < start + 10_000_000; i++) {
                    // The key first, then the counter: a counter value n means key n was written.
                    assertThat(c.call("SET", "key:" + id + ":" + i, "value-" + i, "PXAT", Long.toString(DEADLINE)))
                            .isEqualTo(RespConnection.OK);
                    assertThat(c.call("INCR", "counter:" + id)).isEqualTo(integer(i));
                    acked.set(i);
                }
            } catch (IOException expected) {
                // the server was killed
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"always", "everysec"})
    void killedProcessLosesNoAcknowledgedWrite(String fsync) throws Exception {
        Random random = new Random();
        List<String> args = List.of("--port", "0", "--dir", dir.toString(), "--appendonly", "yes",
                "--appendfsync", fsync, "--save", "");
        for (int round = 0; round < 3; round++) {
            List<Writer> writers = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            try (PandaProcess panda = PandaProcess.startJar(args, Map.of())) {
                int port = panda.awaitReady();
                try (RespConnection c = new RespConnection(port)) {
                    for (int w = 0; w < WRITERS; w++) {
                        String v = c.call("GET", "counter:" + w);
                        writers.add(new Writer(w, port, v.startsWith("$-1") ? 0 : Long.parseLong(v.split("\r\n")[1])));
                    }
                }
                for (Writer w : writers) {
                    Thread t = new Thread(w, "writer-" + w.id);
                    threads.add(t);
                    t.start();
                }
                long target = 200 + random.nextInt(2000);
                Poll.until("writers made progress", Duration.ofSeconds(60),
                        () -> writers.stream().allMatch(w -> w.acked.get() - w.start >= target / WRITERS));
                panda.process.toHandle().destroyForcibly(); // SIGKILL at a random moment
                panda.awaitExit();
                for (Thread t : threads) {
                    t.join(30_000);
                }
            }
            try (PandaProcess panda = PandaProcess.startJar(args, Map.of())) {
                int port = panda.awaitReady();
                try (RespConnection c = new RespConnection(port)) {
                    long total = 0;
                    for (Writer w : writers) {
                        long counter = Long.parseLong(c.call("GET", "counter:" + w.id).split("\r\n")[1]);
                        // The INCR in flight when the process died may or may not have been logged.
                        assertThat(counter).isBetween(w.acked.get(), w.acked.get() + 1);
                        for (long i = Math.max(1, w.acked.get() - 300); i <= counter; i++) {
                            String key = "key:" + w.id + ":" + i;
                            assertThat(c.call("GET", key)).isEqualTo(RespConnection.bulk("value-" + i));
                            assertThat(c.call("PEXPIRETIME", key)).isEqualTo(integer(DEADLINE));
                        }
                        // Nothing that was never sent: at most the one SET in flight after the counter.
                        assertThat(c.call("EXISTS", "key:" + w.id + ":" + (counter + 2))).isEqualTo(integer(0));
                        total += counter;
                    }
                    long keys = Long.parseLong(c.call("DBSIZE").substring(1).trim());
                    assertThat(keys).isBetween(total + WRITERS, total + 2L * WRITERS);
                }
                panda.process.toHandle().destroy();
                panda.awaitExit();
            }
        }
    }
}
