package dev.panda.it;

import static dev.panda.it.RespConnection.OK;
import static dev.panda.it.RespConnection.bulk;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scripts, transactions and function libraries across restarts of a real Panda process: FUNCTION
 * LOAD's libraries come back from the snapshot and the log, and after kill -9 each script and each
 * transaction is there whole or not at all (one log record each). Test thread, plus client
 * threads in the kill test.
 */
class ScriptDurabilityIT {
    @TempDir
    Path dir;

    private List<String> args() {
        return List.of("--port", "0", "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", "");
    }

    static String library(String name, String function, String reply) {
        return "#!lua name=" + name + "\nredis.register_function('" + function + "', function() return '" + reply + "' end)";
    }

    @Test
    void functionLibrariesComeBackFromTheSnapshotAndTheLog() throws Exception {
        try (PandaProcess panda = PandaProcess.startJar(args(), Map.of());
                RespConnection c = new RespConnection(panda.awaitReady())) {
            assertThat(c.call("FUNCTION", "LOAD", library("a", "fa", "from a"))).isEqualTo(bulk("a"));
            assertThat(c.call("FUNCTION", "LOAD", library("b", "fb", "from b"))).isEqualTo(bulk("b"));
            assertThat(c.call("SAVE")).isEqualTo(OK);
            // After the snapshot: only the log knows these.
            assertThat(c.call("FUNCTION", "DELETE", "a")).isEqualTo(OK);
            assertThat(c.call("FUNCTION", "LOAD", "REPLACE", library("b", "fb", "b again"))).isEqualTo(bulk("b"));
            assertThat(c.call("FUNCTION", "LOAD", library("c", "fc", "from c"))).isEqualTo(bulk("c"));
            panda.process.toHandle().destroyForcibly();
            panda.awaitExit();
        }
        try (PandaProcess panda = PandaProcess.startJar(args(), Map.of());
                RespConnection c = new RespConnection(panda.awaitReady())) {
            assertThat(c.call("FCALL", "fa", "0")).isEqualTo(RespConnection.error("ERR Function not found"));
            assertThat(c.call("FCALL", "fb", "0")).isEqualTo(bulk("b again"));
            assertThat(c.call("FCALL", "fc", "0")).isEqualTo(bulk("from c"));
            assertThat(c.call("FUNCTION", "FLUSH")).isEqualTo(OK);
        }
        try (PandaProcess panda = PandaProcess.startJar(args(), Map.of());
                RespConnection c = new RespConnection(panda.awaitReady())) {
            assertThat(c.call("FUNCTION", "LIST")).isEqualTo("*0\r\n");
        }
    }

    /** Adds 1 to five counters and pushes onto a list: a crash must never leave them apart. */
    static final String SCRIPT = "for i = 1, 5 do redis.call('INCR', KEYS[1] .. ':' .. i) end "
            + "redis.call('RPUSH', KEYS[1] .. ':log', ARGV[1]) return redis.call('GET', KEYS[1] .. ':1')";

    /** One client's loop: a script, then a five-counter transaction, over and over; counts what was acknowledged. */
    static final class Client implements Runnable {
        final int id;
        final int port;
        final AtomicLong scripts = new AtomicLong();
        final AtomicLong transactions = new AtomicLong();

        Client(int id, int port) {
            this.id = id;
            this.port = port;
        }

        @Override
        public void run() {
            try (RespConnection c = new RespConnection(port)) {
                for (long n = 1; ; n++) {
                    if (c.call("EVAL", SCRIPT, "1", "s" + id, Long.toString(n)).startsWith("$")) {
                        scripts.incrementAndGet();
                    }
                    c.call("MULTI");
                    for (int i = 1; i <= 5; i++) {
                        c.call("INCR", "t" + id + ":" + i);
                    }
                    if (c.call("EXEC").startsWith("*5")) {
                        transactions.incrementAndGet();
                    }
                }
            } catch (IOException killed) {
                // the server went away
            }
        }
    }

    @Test
    void afterKillMinusNineEachScriptAndTransactionIsWholeOrAbsent() throws Exception {
        List<Client> clients = new ArrayList<>();
        try (PandaProcess panda = PandaProcess.startJar(args(), Map.of())) {
            int port = panda.awaitReady();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Client client = new Client(i, port);
                clients.add(client);
                Thread t = new Thread(client, "client-" + i);
                threads.add(t);
                t.start();
            }
            AtomicBoolean saving = new AtomicBoolean(true);
            Thread saver = new Thread(() -> {
                try (RespConnection c = new RespConnection(port)) {
                    while (saving.get()) {
                        c.call("BGSAVE");
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException killed) {
                    // the server went away
                }
            }, "saver");
            saver.start();
            Poll.until("clients made progress", Duration.ofSeconds(60),
                    () -> clients.stream().allMatch(c -> c.scripts.get() >= 300 && c.transactions.get() >= 300));
            panda.process.toHandle().destroyForcibly();
            panda.awaitExit();
            saving.set(false);
            for (Thread t : threads) {
                t.join(30_000);
            }
            saver.join(30_000);
        }
        try (PandaProcess panda = PandaProcess.startJar(args(), Map.of());
                RespConnection c = new RespConnection(panda.awaitReady())) {
            for (Client client : clients) {
                long scriptCount = number(c.call("GET", "s" + client.id + ":1"));
                long transactionCount = number(c.call("GET", "t" + client.id + ":1"));
                for (int i = 2; i <= 5; i++) {
                    assertThat(number(c.call("GET", "s" + client.id + ":" + i))).as("script counter %d of client %d", i, client.id)
                            .isEqualTo(scriptCount);
                    assertThat(number(c.call("GET", "t" + client.id + ":" + i))).as("transaction counter %d of client %d", i, client.id)
                            .isEqualTo(transactionCount);
                }
                assertThat(number(c.call("LLEN", "s" + client.id + ":log"))).isEqualTo(scriptCount);
                // Every acknowledged one is there; the one in flight at the kill may be too.
                assertThat(scriptCount).isBetween(client.scripts.get(), client.scripts.get() + 1);
                assertThat(transactionCount).isBetween(client.transactions.get(), client.transactions.get() + 1);
            }
        }
    }

    private static long number(String reply) {
        if (reply.startsWith(":")) {
            return Long.parseLong(reply.substring(1).trim());
        }
        if (reply.startsWith("$-1")) {
            return 0;
        }
        return Long.parseLong(reply.substring(reply.indexOf("\r\n") + 2).trim());
    }
}
