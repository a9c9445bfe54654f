package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The Pub/Sub assertions against Panda. */
class PandaPubSubIT extends PubSubContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.panda();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
