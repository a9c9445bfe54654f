package dev.panda.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The diagnostics assertions against Panda. */
class PandaDiagnosticsIT extends DiagnosticsContract {
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
