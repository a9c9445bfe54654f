package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The client-side caching assertions against Panda. */
class PandaTrackingIT extends TrackingContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.panda();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
