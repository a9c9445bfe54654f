package dev.panda.command;

import java.util.Set;

/**
 * The command flags of Redis 7.0's command table that Panda acts on, resolved once from their
 * names into a bit mask per {@link CommandSpec} (the dispatcher tests bits, never strings).
 * Immutable; any thread.
 */
public enum CommandFlag {
    WRITE("write"),
    READONLY("readonly"),
    DENYOOM("denyoom"),
    ADMIN("admin"),
    PUBSUB("pubsub"),
    NOSCRIPT("noscript"),
    BLOCKING("blocking"),
    LOADING("loading"),
    STALE("stale"),
    SKIP_MONITOR("skip_monitor"),
    SKIP_SLOWLOG("skip_slowlog"),
    FAST("fast"),
    NO_AUTH("no_auth"),
    MAY_REPLICATE("may_replicate"),
    NO_MULTI("no_multi"),
    ALLOW_BUSY("allow_busy"),
    NO_MANDATORY_KEYS("no_mandatory_keys");

    private final String redisName;

    CommandFlag(String redisName) {
        this.redisName = redisName;
    }

    /** The flag's name in COMMAND INFO. */
    public String redisName() {
        return redisName;
    }

    int bit() {
        return 1 << ordinal();
    }

    /** The mask of the flags named in {@code names}; names Panda does not act on are ignored. */
    static int maskOf(Set<String> names) {
        int mask = 0;
        for (CommandFlag f : values()) {
            if (names.contains(f.redisName)) {
                mask |= f.bit();
            }
        }
        return mask;
    }
}
