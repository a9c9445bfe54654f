package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CLIENT assertions against Debian's real redis-server: proof that every expected reply in
 * {@link ClientContract} is Redis's own. Skipped loudly without redis-server; fails in CI.
 */
class RedisClientIT extends ClientContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.redis();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
