package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client-side caching assertions against Debian's real redis-server: proof that every expected reply in
 * {@link TrackingContract} is Redis's own. Skipped loudly without redis-server; fails in CI.
 */
class RedisTrackingIT extends TrackingContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.redis();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
