package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The keyspace notification assertions against Debian's real redis-server: proof that every expected reply in
 * {@link NotificationContract} is Redis's own. Skipped loudly without redis-server; fails in CI.
 */
class RedisNotificationIT extends NotificationContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.redis();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
