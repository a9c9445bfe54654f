package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The hash assertions against Panda. */
class PandaHashIT extends HashContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.panda();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
