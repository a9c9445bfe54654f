package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The stream command assertions of {@link StreamCommandsContract} against Panda. */
class PandaStreamCommandsIT extends StreamCommandsContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.panda();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
