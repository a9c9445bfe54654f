package dev.panda.it;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Panda (no WAL) and a real redis-server side by side for one test class, for tests that send
 * the same commands to both and compare: register with {@code @RegisterExtension static final
 * SideBySide SERVERS = new SideBySide();}. Redis is skipped loudly when not installed (a failure
 * in CI). Test thread.
 */
final class SideBySide implements BeforeAllCallback, AfterAllCallback {
    RunningPanda panda;
    RealRedis redis;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        redis = RealRedis.startOrSkip();
        panda = new RunningPanda("--appendonly", "no");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (panda != null) {
            panda.close();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
