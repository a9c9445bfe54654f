package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The compatibility assertions against Panda. */
class PandaCompatibilityIT extends CompatibilityContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.panda();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
