package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The list assertions against Panda. */
class PandaListIT extends ListContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.panda();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
