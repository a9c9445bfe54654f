package dev.panda.persistence;

import dev.panda.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * When a background snapshot is due: Redis's {@code save <seconds> <changes>} rules (any rule
 * whose time has passed with at least that many changes), plus the seed's triggers: every
 * {@code snapshot-interval} changes, and at most {@code snapshot-timeout} seconds between
 * snapshots while there are changes. Immutable; built from the live configuration each time it
 * is asked, so CONFIG SET applies at once. Pure logic; any thread.
 */
public record SavePolicy(List<long[]> rules, long intervalChanges, long timeoutSeconds) {

    public static SavePolicy of(ServerConfig config) {
        List<long[]> rules = new ArrayList<>();
        String[] parts = config.get("save").isBlank() ? new String[0] : config.get("save").trim().split("\\s+");
        for (int i = 0; i + 1 < parts.length; i += 2) {
            rules.add(new long[] {Long.parseLong(parts[i]), Long.parseLong(parts[i + 1])});
        }
        return new SavePolicy(rules, config.getLong("snapshot-interval"), config.getLong("snapshot-timeout"));
    }

    /** True when a snapshot should start now. */
    public boolean due(long nowMillis, long lastSaveMillis, long changesSinceSave) {
        if (changesSinceSave <= 0) {
            return false;
        }
        long elapsed = nowMillis - lastSaveMillis;
        for (long[] rule : rules) {
            if (changesSinceSave >= rule[1] && elapsed >= rule[0] * 1000) {
                return true;
            }
        }
        if (intervalChanges > 0 && changesSinceSave >= intervalChanges) {
            return true;
        }
        return timeoutSeconds > 0 && elapsed >= timeoutSeconds * 1000;
    }

    /** Whether any trigger is configured (SHUTDOWN then takes a final snapshot, as Redis does with save rules). */
    public boolean any() {
        return !rules.isEmpty() || intervalChanges > 0 || timeoutSeconds > 0;
    }
}
