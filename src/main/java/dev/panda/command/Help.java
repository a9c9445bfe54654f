package dev.panda.command;

import dev.panda.protocol.Reply;

/** The HELP replies of container commands, in Redis's format. Store thread only. */
public final class Help {
    private Help() {
    }

    public static void reply(Reply r, String command, String... lines) {
        r.array(lines.length + 3);
        r.simple(command + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String line : lines) {
            r.simple(line);
        }
        r.simple("HELP");
        r.simple("    Prints this help.");
    }
}
