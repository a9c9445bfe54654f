package dev.panda.command;

import java.util.ArrayList;
import java.util.List;

/**
 * CLIENT PAUSE and UNPAUSE, as Redis 7.0 does them: until the pause ends, commands of normal
 * clients (ALL), or those that may write (WRITE: write and may-replicate commands, and EXEC of
 * a transaction holding one), are postponed: the client stops being read and the command runs
 * again, in order, when the pause ends. A new pause keeps the more restrictive type and the later
 * end. MONITOR clients, which Redis treats as replicas, are never paused. While paused, active
 * expiry and eviction wait too, so the dataset stays still.
 *
 * <p>Store thread only.
 */
public final class ClientPause {
    public enum Type { OFF, WRITE, ALL }

    private Type type = Type.OFF;
    private long endMillis;
    private final List<Client> postponed = new ArrayList<>();

    /** CLIENT PAUSE: pauses until {@code endMillis} (or later, if a pause already runs longer). */
    public void pause(Type requested, long endMillis) {
        if (type == Type.OFF) {
            type = requested;
            this.endMillis = endMillis;
        } else {
            type = requested.ordinal() > type.ordinal() ? requested : type;
            this.endMillis = Math.max(this.endMillis, endMillis);
        }
    }

    /** CLIENT UNPAUSE: postponed clients run their commands again. */
    public void unpause() {
        type = Type.OFF;
        release();
    }

    /** Ends a pause whose time has passed; true while clients are paused. */
    public boolean active(long now) {
        if (type != Type.OFF && endMillis < now) {
            unpause();
        }
        return type != Type.OFF;
    }

    /** Whether this command of this client waits for the pause to end (no clock read while none runs). */
    boolean postpones(Client c, CommandSpec spec) {
        if (type == Type.OFF || !active(c.server().clock().nowMillis()) || c.monitoring() || c.isScript()) {
            return false;
        }
        if (type == Type.ALL) {
            return true;
        }
        if (mayReplicate(spec)) {
            return true;
        }
        if (spec.name().equals("exec") && c.transaction().active()) {
            return c.transaction().specs.stream().anyMatch(ClientPause::mayReplicate);
        }
        return false;
    }

    private static boolean mayReplicate(CommandSpec spec) {
        return spec.is(CommandFlag.WRITE) || spec.is(CommandFlag.MAY_REPLICATE);
    }

    /** Parks the client with {@code argv} to run again once the pause ends. */
    void postpone(Client c, byte[][] argv) {
        postponed.add(c);
        c.setPostponed(true);
        c.connection().postpone(argv);
    }

    /** A postponed client went away. */
    public void disconnected(Client c) {
        postponed.remove(c);
    }

    public int postponedClients() {
        return postponed.size();
    }

    private void release() {
        List<Client> clients = new ArrayList<>(postponed);
        postponed.clear();
        for (Client c : clients) {
            c.setPostponed(false);
            c.connection().resumePostponed();
        }
    }
}
