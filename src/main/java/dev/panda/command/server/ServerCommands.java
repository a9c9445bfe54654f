package dev.panda.command.server;

import dev.panda.command.Args;
import dev.panda.command.Client;
import dev.panda.command.Errors;
import dev.panda.protocol.Reply;
import java.util.ArrayList;
import java.util.List;

/** INFO, TIME and SHUTDOWN (DEBUG: {@link DebugCommands}). Store thread only. */
public final class ServerCommands {

    public void info(Client c, byte[][] argv, Reply r) {
        List<String> sections = new ArrayList<>();
        for (int i = 1; i < argv.length; i++) {
            sections.add(Args.text(argv[i]));
        }
        r.verbatim(new InfoReport(c.server()).render(sections));
    }

    public void time(Client c, byte[][] argv, Reply r) {
        long micros = java.time.Instant.now().toEpochMilli() * 1000 + (System.nanoTime() / 1000) % 1000;
        r.array(2);
        r.bulk(Long.toString(micros / 1_000_000));
        r.bulk(Long.toString(micros % 1_000_000));
    }

    public void shutdown(Client c, byte[][] argv, Reply r) {
        Boolean save = null;
        for (int i = 1; i < argv.length; i++) {
            if (Args.is(argv[i], "nosave")) {
                save = false;
            } else if (Args.is(argv[i], "save")) {
                save = true;
            }
            if (!(Args.is(argv[i], "nosave") || Args.is(argv[i], "save") || Args.is(argv[i], "now")
                    || Args.is(argv[i], "force") || Args.is(argv[i], "abort"))) {
                r.error(Errors.SYNTAX);
                return;
            }
            if (Args.is(argv[i], "abort")) {
                r.error("ERR No shutdown in progress.");
                return;
            }
        }
        // No reply on success: the connection closes as the server stops, as with Redis.
        c.server().shutdown(save);
    }
}
