package dev.panda.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every comparison contract shares: the port of the server under test (Panda or real
 * Redis, given by the runner), and a fresh connection to an emptied server for each test,
 * closed after it. Test thread.
 */
abstract class ServerContract {
    /** The port of the server under test. */
    protected abstract int port();

    protected RespConnection c;

    @BeforeEach
    void connectToAnEmptyServer() throws IOException {
        c = new RespConnection(port());
        assertThat(c.call("FLUSHALL")).isEqualTo(RespConnection.OK);
    }

    @AfterEach
    void disconnect() throws IOException {
        c.close();
    }

    /** Waits (polling INFO, never a fixed sleep; at most 10 s) until the server counts {@code n} blocked clients. */
    protected void awaitBlocked(int n) throws IOException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (blocked() != n) {
            assertThat(System.nanoTime()).as("blocked_clients to reach " + n).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    /** INFO clients' blocked_clients. */
    protected int blocked() throws IOException {
        String info = c.call("INFO", "clients");
        int at = info.indexOf("blocked_clients:");
        int end = info.indexOf('\r', at);
        return Integer.parseInt(info.substring(at + "blocked_clients:".length(), end));
    }
}
