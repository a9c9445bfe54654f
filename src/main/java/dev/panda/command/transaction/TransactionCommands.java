package dev.panda.command.transaction;

import dev.panda.command.Client;
import dev.panda.command.Dispatcher;
import dev.panda.protocol.Reply;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH with Redis 7.0's replies ({@code multi.c}). Queueing
 * itself happens in the {@link Dispatcher}; EXEC runs the queued commands one after another as
 * one unit: their effects form one write-ahead-log record, blocking commands among them answer
 * at once, and clients blocked on keys they fill are served after it. Store thread only.
 */
public final class TransactionCommands {
    public void multi(Client c, byte[][] argv, Reply r) {
        if (c.transaction().active()) {
            r.error("ERR MULTI calls can not be nested");
            return;
        }
        c.server().dispatcher().beginTransaction(c);
        r.ok();
    }

    public void exec(Client c, byte[][] argv, Reply r) {
        c.server().dispatcher().exec(c, r);
    }

    public void discard(Client c, byte[][] argv, Reply r) {
        if (!c.transaction().active()) {
            r.error("ERR DISCARD without MULTI");
            return;
        }
        c.server().dispatcher().discard(c);
        r.ok();
    }

    public void watch(Client c, byte[][] argv, Reply r) {
        if (c.transaction().active()) {
            r.error("ERR WATCH inside MULTI is not allowed");
            return;
        }
        for (int i = 1; i < argv.length; i++) {
            c.server().dispatcher().watch(c, argv[i]);
        }
        r.ok();
    }

    public void unwatch(Client c, byte[][] argv, Reply r) {
        c.server().dispatcher().unwatch(c);
        r.ok();
    }
}
