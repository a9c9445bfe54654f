package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The CLIENT assertions against Panda. */
class PandaClientIT extends ClientContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.panda();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
