package dev.panda.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The GEO assertions against Panda. */
class PandaGeoIT extends GeoContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.panda();

    @Override
    protected int port() {
        return SERVER.port();
    }
}
