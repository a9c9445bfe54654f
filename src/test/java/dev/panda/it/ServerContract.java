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
}
