package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The stream assertions against Panda. */
class PandaStreamIT extends StreamContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.panda();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
