package dev.panda.command.acl;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;

/**
 * ACL LOG: recent denials and failed AUTHs, newest first, as Redis keeps them. An event like
 * one of the last ten entries within a minute (same reason, context, object and user) bumps
 * that entry's count instead of adding one; the log holds at most {@code acllog-max-len}.
 *
 * <p>Store thread only.
 */
public final class AclLog {
    public static final int DENIED_CMD = 1;
    public static final int DENIED_KEY = 2;
    public static final int DENIED_AUTH = 3;
    public static final int DENIED_CHANNEL = 4;

    public enum Context { TOPLEVEL, MULTI, LUA }

    public static final class Entry {
        long count = 1;
        final int reason;
        final Context context;
        final String object;
        final String username;
        long createdMillis;
        String clientInfo;

        Entry(int reason, Context context, String object, String username, long now, String clientInfo) {
            this.reason = reason;
            this.context = context;
            this.object = object;
            this.username = username;
            this.createdMillis = now;
            this.clientInfo = clientInfo;
        }

        public long count() {
            return count;
        }

        public String reason() {
            return switch (reason) {
                case DENIED_CMD -> "command";
                case DENIED_KEY -> "key";
                case DENIED_CHANNEL -> "channel";
                case DENIED_AUTH -> "auth";
                default -> "unknown";
            };
        }

        public String context() {
            return context.name().toLowerCase(java.util.Locale.ROOT);
        }

        public String object() {
            return object;
        }

        public String username() {
            return username;
        }

        public long createdMillis() {
            return createdMillis;
        }

        public String clientInfo() {
            return clientInfo;
        }
    }

    private final LinkedList<Entry> entries = new LinkedList<>();

    void add(Entry e, int maxLength) {
        int scanned = 0;
        for (Iterator<Entry> it = entries.iterator(); it.hasNext() && scanned < 10; scanned++) {
            Entry old = it.next();
            if (old.reason == e.reason && old.context == e.context && Math.abs(old.createdMillis - e.createdMillis) <= 60_000
                    && old.object.equals(e.object) && old.username.equals(e.username)) {
                it.remove();
                old.clientInfo = e.clientInfo;
                old.createdMillis = e.createdMillis;
                old.count++;
                entries.addFirst(old);
                return;
            }
        }
        entries.addFirst(e);
        while (entries.size() > maxLength) {
            entries.removeLast();
        }
    }

    public List<Entry> newest(int count) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (out.size() >= count) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    public void reset() {
        entries.clear();
    }

    public int size() {
        return entries.size();
    }
}
