package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The stream assertions against Redis's real redis-server: proof that every expected reply in {@link StreamContract} is Redis's own. */
class RedisStreamIT extends StreamContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.redis();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
