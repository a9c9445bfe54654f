package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The ACL assertions against Panda. */
class PandaAclIT extends AclContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.panda();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
