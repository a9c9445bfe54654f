package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The keyspace notification assertions against Panda. */
class PandaNotificationIT extends NotificationContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.panda();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
