package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The diagnostics assertions against Panda. */
class PandaDiagnosticsIT extends DiagnosticsContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.panda();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
