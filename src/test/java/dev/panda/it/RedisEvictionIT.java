package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The maxmemory and eviction assertions against Debian's real redis-server: proof that every
 * expected reply in {@link EvictionContract} is Redis's own. Skipped loudly without redis-server;
 * fails in CI.
 */
class RedisEvictionIT extends EvictionContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.redis();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
