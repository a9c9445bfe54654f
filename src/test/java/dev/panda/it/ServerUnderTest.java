package dev.panda.it;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The server a contract's runner tests, started before its tests and stopped after them: a
 * Panda in this JVM ({@link #panda}) or Debian's real redis-server ({@link #redis}, skipped
 * loudly without it, failing in CI). Registered by each runner with {@code @RegisterExtension}.
 * Test thread.
 */
final class ServerUnderTest implements BeforeAllCallback, AfterAllCallback {
    private final String[] pandaArgs;
    private RunningPanda panda;
    private RealRedis redis;

    private ServerUnderTest(String[] pandaArgs) {
        this.pandaArgs = pandaArgs;
    }

    /** A Panda started with these arguments (no WAL, DEBUG allowed, unless overridden). */
    static ServerUnderTest panda(String... args) {
        return new ServerUnderTest(args.length > 0 ? args : new String[] {"--appendonly", "no", "--enable-debug-command", "yes"});
    }

    static ServerUnderTest redis() {
        return new ServerUnderTest(null);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (pandaArgs != null) {
            panda = new RunningPanda(pandaArgs);
        } else {
            redis = RealRedis.startOrSkip();
        }
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

    int port() {
        return panda != null ? panda.port : redis.port;
    }
}
