package dev.panda.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The hash assertions against Panda. */
class PandaHashIT extends HashContract {
    private static RunningPanda panda;

    @BeforeAll
    static void start() throws Exception {
        panda = new RunningPanda("--appendonly", "no");
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
