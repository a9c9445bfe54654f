package dev.panda.expiry;

import dev.panda.store.Keyspace;

/**
 * The active half of expiry: removes keys whose deadline has passed even if nobody reads them,
 * walking each database's deadline index from the earliest deadline on. Runs on the store
 * thread between commands, like Redis's {@code activeExpireCycle}, and stops when its time
 * budget is spent (checked every 16 keys) so clients never wait long behind it.
 */
public final class ActiveExpiryCycle {
    private static final int KEYS_PER_BUDGET_CHECK = 16;

    private final Keyspace keyspace;
    private boolean enabled = true;

    public ActiveExpiryCycle(Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    /** DEBUG SET-ACTIVE-EXPIRE: tests switch it off to observe lazy expiry alone. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** Runs one cycle; returns the number of deadline index entries it consumed. */
    public int run(long budgetNanos) {
        if (!enabled) {
            return 0;
        }
        long start = System.nanoTime();
        long now = keyspace.clock().nowMillis();
        int total = 0;
        for (int i = 0; i < keyspace.databaseCount(); i++) {
            while (true) {
                int n = keyspace.db(i).expireDue(now, KEYS_PER_BUDGET_CHECK);
                total += n;
                if (System.nanoTime() - start > budgetNanos) {
                    return total;
                }
                if (n < KEYS_PER_BUDGET_CHECK) {
                    break;
                }
            }
        }
        return total;
    }
}
