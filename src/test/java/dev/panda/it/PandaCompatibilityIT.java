package dev.panda.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The compatibility assertions against Panda. */
class PandaCompatibilityIT extends CompatibilityContract {
    private static RunningPanda panda;

    @BeforeAll
    static void start() throws Exception {
        panda = new RunningPanda("--appendonly", "no", "--enable-debug-command", "yes");
    }

    @AfterAll
    static void stop() {
        panda.close();
    }

    @Override
    protected int port() {
        return panda.port;
    }
}
