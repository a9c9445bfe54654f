package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The scripting assertions against Panda. */
class PandaScriptIT extends ScriptContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.panda();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
