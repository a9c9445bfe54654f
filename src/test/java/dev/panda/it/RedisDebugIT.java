package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DEBUG assertions against Debian's real redis-server: proof that every digest, reply and
 * error in {@link DebugContract} is Redis's own. Skipped loudly without redis-server; fails in CI.
 */
class RedisDebugIT extends DebugContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.redis();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
