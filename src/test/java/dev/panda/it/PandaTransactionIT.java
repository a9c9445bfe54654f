package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The transaction assertions against Panda. */
class PandaTransactionIT extends TransactionContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.panda();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
