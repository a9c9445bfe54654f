package dev.panda.command.server;

import dev.panda.command.Args;
import dev.panda.command.Client;
import dev.panda.command.Errors;
import dev.panda.command.Help;
import dev.panda.protocol.Reply;
import java.util.ArrayList;
import java.util.List;

/** INFO, TIME, LASTSAVE, SHUTDOWN and DEBUG. Store thread only. */
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

    /** As Redis: DEBUG only when enable-debug-command allows it ("local": loopback clients only). */
    private static boolean debugAllowed(Client c) {
        String mode = c.server().config().get("enable-debug-command");
        String addr = c.connection().remoteAddress();
        return mode.equals("yes") || (mode.equals("local") && (addr.startsWith("127.") || addr.startsWith("0:0:0:0:0:0:0:1")));
    }

    public void debug(Client c, byte[][] argv, Reply r) {
        if (!debugAllowed(c)) {
            r.error("ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it "
                    + "from a local connection, otherwise you need to set this option in the configuration file, and then "
                    + "restart the server.");
            return;
        }
        if (Args.is(argv[1], "sleep") && argv.length == 3) {
            double seconds = Args.parseDouble(argv[2], Errors.NOT_FLOAT);
            // Blocks the store thread on purpose: that is what DEBUG SLEEP is for.
            try {
                Thread.sleep((long) (seconds * 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            r.ok();
        } else if (Args.is(argv[1], "set-active-expire") && argv.length == 3) {
            c.server().expiryCycle().setEnabled(Args.parseLong(argv[2]) != 0);
            r.ok();
        } else if (Args.is(argv[1], "help")) {
            Help.reply(r, "DEBUG",
                    "SET-ACTIVE-EXPIRE <0|1>",
                    "    Setting it to 0 disables expiring keys in background when they are not accessed.",
                    "SLEEP <seconds>",
                    "    Stop the server for <seconds>. Decimals allowed.");
        } else {
            r.error("ERR unknown subcommand or wrong number of arguments for '" + Args.text(argv[1]) + "'. Try DEBUG HELP.");
        }
    }
}
