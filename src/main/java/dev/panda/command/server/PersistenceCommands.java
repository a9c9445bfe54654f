package dev.panda.command.server;

import dev.panda.command.Args;
import dev.panda.command.Client;
import dev.panda.command.Errors;
import dev.panda.protocol.Reply;
import dev.panda.persistence.Persistence;
import java.io.IOException;

/** SAVE, BGSAVE, BGREWRITEAOF, LASTSAVE and the seed's SNAPSHOT and STATS. Store thread only. */
public final class PersistenceCommands {

    private static Persistence persistence(Client c) {
        return c.server().persistence();
    }

    public void save(Client c, byte[][] argv, Reply r) {
        if (persistence(c).snapshotInProgress()) {
            r.error("ERR Background save already in progress");
            return;
        }
        try {
            persistence(c).save();
            r.ok();
        } catch (IOException e) {
            r.error("ERR " + e.getMessage());
        }
    }

    public void bgsave(Client c, byte[][] argv, Reply r) {
        boolean schedule = argv.length == 2 && Args.is(argv[1], "schedule");
        if (argv.length > 2 || (argv.length == 2 && !schedule)) {
            r.error(Errors.SYNTAX);
            return;
        }
        if (persistence(c).snapshotInProgress()) {
            if (schedule) {
                persistence(c).scheduleAfterRunning();
                r.simple("Background saving scheduled");
            } else {
                r.error("ERR Background save already in progress");
            }
            return;
        }
        persistence(c).bgsave();
        r.simple("Background saving started");
    }

    /** Panda's log is compacted by a snapshot: BGREWRITEAOF takes one and drops the log it covers. */
    public void bgrewriteaof(Client c, byte[][] argv, Reply r) {
        if (persistence(c).snapshotInProgress()) {
            persistence(c).scheduleAfterRunning();
            r.simple("Background append only file rewriting scheduled");
            return;
        }
        persistence(c).bgsave();
        r.simple("Background append only file rewriting started");
    }

    public void lastsave(Client c, byte[][] argv, Reply r) {
        r.integer(persistence(c).lastSaveMillis() / 1000);
    }

    public void stats(Client c, byte[][] argv, Reply r) {
        r.bulk(persistence(c).stats());
    }
}
