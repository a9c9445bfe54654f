package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The set assertions against Panda. */
class PandaSetIT extends SetContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.panda();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
