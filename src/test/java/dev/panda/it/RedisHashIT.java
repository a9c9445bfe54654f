package dev.panda.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The hash assertions against Debian's real redis-server: proof that they are Redis's replies. */
class RedisHashIT extends HashContract {
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
