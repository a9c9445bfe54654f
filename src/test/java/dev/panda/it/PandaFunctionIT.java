package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The function assertions against Panda. */
class PandaFunctionIT extends FunctionContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.panda();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
