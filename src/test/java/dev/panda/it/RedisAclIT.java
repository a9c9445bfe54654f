package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ACL assertions against Debian's real redis-server: proof that every expected reply in
 * {@link AclContract} is Redis's own. Skipped loudly without redis-server; fails in CI.
 */
class RedisAclIT extends AclContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.redis();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
