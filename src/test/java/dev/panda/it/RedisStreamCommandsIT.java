package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The stream command assertions of {@link StreamCommandsContract} against Debian's real redis-server (proof that every expected reply is Redis's own). */
class RedisStreamCommandsIT extends StreamCommandsContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.redis();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
