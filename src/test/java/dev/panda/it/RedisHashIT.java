package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hash assertions against Debian's real redis-server: proof that every expected reply in
 * {@link HashContract} is Redis's own. Skipped loudly without redis-server; fails in CI.
 */
class RedisHashIT extends HashContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.redis();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
