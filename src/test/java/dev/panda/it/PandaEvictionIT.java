package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The maxmemory and eviction assertions against Panda. */
class PandaEvictionIT extends EvictionContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.panda();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
