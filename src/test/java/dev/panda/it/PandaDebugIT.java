package dev.panda.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The DEBUG assertions against Panda, and DEBUG HELP (Panda lists only the subcommands it has). */
class PandaDebugIT extends DebugContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.panda();

    @Override
    protected int port() {
        return SERVER.port();
    }

    @Test
    void helpListsWhatPandaHasInRedisFormat() throws IOException {
        List<Object> lines = RespValue.list(c.call("DEBUG", "HELP"));
        assertThat(lines.get(0)).isEqualTo("DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        assertThat(lines).contains("DIGEST", "DIGEST-VALUE <key> [<key> ...]", "OBJECT <key>", "PROTOCOL <type>",
                "RELOAD [option ...]", "SLEEP <seconds>", "SET-ACTIVE-EXPIRE <0|1>", "CHANGE-REPL-ID", "HELP");
        assertThat(lines).doesNotContain("SEGFAULT", "POPULATE <count> [<prefix>] [<size>]");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("    Prints this help.");
    }

    /** Panda's serializedlength is its DUMP payload less the type byte and footer: strings are not LZF-compressed. */
    @Test
    void objectSerializedLengthIsTheDumpPayloadLength() throws IOException {
        assertThat(c.call("SET", "s", "x".repeat(60))).isEqualTo(RespConnection.OK);
        assertThat(c.call("DEBUG", "OBJECT", "s")).contains(" serializedlength:61 ");
    }
}
