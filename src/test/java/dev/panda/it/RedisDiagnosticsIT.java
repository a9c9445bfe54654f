package dev.panda.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The same diagnostics assertions against Debian's real redis-server: proof that every expected
 * reply in {@link DiagnosticsContract} is Redis's own. Skipped loudly without redis-server; fails in CI.
 */
class RedisDiagnosticsIT extends DiagnosticsContract {
    private static RealRedis redis;

    @BeforeAll
    static void start() throws Exception {
        redis = RealRedis.startOrSkip();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected int port() {
        return redis.port;
    }
}
