package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The zset assertions against Panda. */
class PandaZsetIT extends ZsetContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.panda();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
