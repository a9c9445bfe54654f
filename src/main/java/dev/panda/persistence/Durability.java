package dev.panda.persistence;

/**
 * What the network layer needs from persistence to release replies safely: whether changes are
 * waiting to be made durable, a way to make them so (write the WAL batch, and fsync it under
 * {@code appendfsync always}), and whether writes must be refused because the log cannot be
 * written. Store thread only.
 */
public interface Durability {
    /** True when changes made since the last commit are not yet written to the log. */
    boolean hasPending();

    /**
     * Writes the pending changes to the log (and fsyncs them when the policy asks for it).
     * Returns false when that failed: the changes stay pending and are retried, and replies
     * that acknowledge them must not be released.
     */
    boolean commit();

    /** How many changes were ever reported to the log: a command that moved it wrote something. */
    long changeCount();

    /** Non-null while write commands must be refused, with the reason (e.g. the disk is full). */
    String writeBlockedReason();

    /** No log at all (appendonly no): every reply may be released at once. */
    Durability NONE = new Durability() {
        @Override
        public boolean hasPending() {
            return false;
        }

        @Override
        public boolean commit() {
            return true;
        }

        @Override
        public long changeCount() {
            return 0;
        }

        @Override
        public String writeBlockedReason() {
            return null;
        }
    };
}
