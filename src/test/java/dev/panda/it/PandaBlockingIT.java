package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The blocking assertions against Panda. */
class PandaBlockingIT extends BlockingContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.panda();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
