package dev.panda.command;

import dev.panda.config.KeyspaceEventClasses;
import dev.panda.store.Effects;
import dev.panda.store.Keyspace;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Keyspace notifications ({@code notify-keyspace-events}, Redis's {@code notify.c}): every
 * change the store reports through its one stream of {@link Effects} is published on
 * {@code __keyspace@<db>__:<key>} and {@code __keyevent@<db>__:<event>}, named as Redis names it.
 * Effects say what changed; the command that ran (set by the dispatcher) says what Redis calls
 * it: a string written by INCR is "incrby", by SETRANGE "setrange"; a pop that empties a list
 * is followed by "del"; a *STORE command's delete-and-fill of its destination is one
 * "sinterstore". It observes the stream only while a class is enabled.
 *
 * <p>Store thread only.
 */
public final class KeyspaceNotifications extends Effects.Ignoring {
    private static final int KEYSPACE = KeyspaceEventClasses.KEYSPACE;
    private static final int KEYEVENT = KeyspaceEventClasses.KEYEVENT;
    private static final int GENERIC = KeyspaceEventClasses.GENERIC;
    private static final int STRING = KeyspaceEventClasses.STRING;
    private static final int LIST = KeyspaceEventClasses.LIST;
    private static final int SET = KeyspaceEventClasses.SET;
    private static final int HASH = KeyspaceEventClasses.HASH;
    private static final int ZSET = KeyspaceEventClasses.ZSET;
    private static final int EXPIRED = KeyspaceEventClasses.EXPIRED;
    private static final int EVICTED = KeyspaceEventClasses.EVICTED;
    private static final int KEY_MISS = KeyspaceEventClasses.KEY_MISS;
    private static final int NEW = KeyspaceEventClasses.NEW;

    /** Commands that replace their destination: their delete is part of one event, or a "del" if nothing is stored. */
    private static final Set<String> STORE_COMMANDS = Set.of("sinterstore", "sunionstore", "sdiffstore", "zinterstore",
            "zunionstore", "zdiffstore", "zrangestore", "georadius", "georadiusbymember", "geosearchstore", "sort");

    private final PubSub pubsub;
    private final Keyspace keyspace;
    private final ServerContext server;
    private int flags;
    /** The command whose effects are being reported, and its arguments. */
    private String command = "";
    private byte[][] argv = new byte[0][];
    /** A *STORE command's deleted destination, waiting to see whether the command fills it again. */
    private final List<Object[]> pendingDeletes = new ArrayList<>();
    /** LMOVE's pop, reported after its push as Redis does. */
    private final List<Object[]> pendingPops = new ArrayList<>();
    /** LTRIM's pops: one "ltrim" per command. */
    private boolean trimmed;
    /** The commands this one runs inside (EXEC, EVAL), restored as each inner one ends. */
    private String[] names = new String[4];
    private byte[][][] argvs = new byte[4][][];
    private boolean[] trims = new boolean[4];
    private int depth;

    KeyspaceNotifications(ServerContext server, PubSub pubsub, Keyspace keyspace) {
        this.server = server;
        this.pubsub = pubsub;
        this.keyspace = keyspace;
    }

    /** Applies {@code notify-keyspace-events} (at start and on CONFIG SET). */
    public void configure(String classes) {
        boolean wasOn = flags != 0;
        flags = Math.max(0, KeyspaceEventClasses.parse(classes));
        keyspace.setReportKeyCreation((flags & NEW) != 0 && (flags & (KEYSPACE | KEYEVENT)) != 0);
        // Listen to the effect stream only while some class is on: off, the stream does not call here at all.
        if (flags != 0 && !wasOn) {
            keyspace.addObserver(this);
        } else if (flags == 0 && wasOn) {
            keyspace.removeObserver(this);
        }
    }

    /** Whether any class is on (the dispatcher names commands only then). */
    boolean enabled() {
        return flags != 0;
    }

    /** The dispatcher names the command whose effects follow (commands nest in EXEC and scripts). */
    void enter(String name, byte[][] args) {
        if (depth == names.length) {
            names = java.util.Arrays.copyOf(names, depth * 2);
            argvs = java.util.Arrays.copyOf(argvs, depth * 2);
            trims = java.util.Arrays.copyOf(trims, depth * 2);
        }
        names[depth] = command;
        argvs[depth] = argv;
        trims[depth] = trimmed;
        depth++;
        command = name;
        argv = args;
        trimmed = false;
    }

    /** The command named by the matching {@link #enter} has finished. */
    void leave() {
        flushPendingPops();
        flushPendingDeletes();
        depth--;
        command = names[depth];
        argv = argvs[depth];
        trimmed = trims[depth];
        names[depth] = null;
        argvs[depth] = null;
    }

    private boolean on(int type) {
        return (flags & type) != 0 && (flags & (KEYSPACE | KEYEVENT)) != 0 && !server.loading();
    }

    private void notify(int type, String event, int db, byte[] key) {
        if (!on(type)) {
            return;
        }
        byte[] eventBytes = event.getBytes(StandardCharsets.US_ASCII);
        if ((flags & KEYSPACE) != 0) {
            pubsub.publish(channel("__keyspace@", db, key), eventBytes, false);
        }
        if ((flags & KEYEVENT) != 0) {
            pubsub.publish(channel("__keyevent@", db, eventBytes), key, false);
        }
    }

    private static byte[] channel(String prefix, int db, byte[] suffix) {
        byte[] head = (prefix + db + "__:").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + suffix.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(suffix, 0, out, head.length, suffix.length);
        return out;
    }

    private boolean hasArg(String word) {
        for (int i = 1; i < argv.length; i++) {
            if (Args.is(argv[i], word)) {
                return true;
            }
        }
        return false;
    }

    /** After a removal: "del" when the key is gone (the collection was emptied). */
    private void delIfGone(int db, byte[] key) {
        if (on(GENERIC) && !keyspace.db(db).containsQuietly(key)) {
            notify(GENERIC, "del", db, key);
        }
    }

    private void filledByStore(int type, int db, byte[] key) {
        pendingDeletes.removeIf(p -> (Integer) p[0] == db && java.util.Arrays.equals((byte[]) p[1], key));
        String event = switch (command) {
            case "georadius", "georadiusbymember" -> "georadiusstore";
            case "sort" -> "sortstore";
            default -> command;
        };
        notify(type, event, db, key);
    }

    private void flushPendingDeletes() {
        for (Object[] p : pendingDeletes) {
            notify(GENERIC, "del", (Integer) p[0], (byte[]) p[1]);
        }
        pendingDeletes.clear();
    }

    // ---- effects --------------------------------------------------------------------------------

    @Override
    public void keyCreated(int db, byte[] key) {
        notify(NEW, "new", db, key);
    }

    @Override
    public void keyMissed(int db, byte[] key) {
        notify(KEY_MISS, "keymiss", db, key);
    }

    @Override
    public void expired(int db, byte[] key) {
        notify(EXPIRED, "expired", db, key);
    }

    @Override
    public void evicted(int db, byte[] key) {
        notify(EVICTED, "evicted", db, key);
    }

    @Override
    public void setString(int db, byte[] key, byte[] value, int off, int len, long expireAtMs) {
        if (command.equals("pfcount") || command.equals("debug")) {
            // PFCOUNT refreshes the cached cardinality in the value; DEBUG POPULATE adds keys with
            // dbAdd, which sends "new" alone: no event, as in Redis.
            return;
        }
        String event = switch (command) {
            case "pfadd", "pfmerge" -> "pfadd";
            case "setbit", "bitfield" -> "setbit";
            case "incr", "decr", "incrby", "decrby" -> "incrby";
            case "incrbyfloat" -> "incrbyfloat";
            case "append" -> "append";
            case "setrange" -> "setrange";
            default -> "set";
        };
        notify(STRING, event, db, key);
        if (expireAtMs >= 0 && (command.equals("setex") || command.equals("psetex")
                || (command.equals("set") && (hasArg("ex") || hasArg("px") || hasArg("exat") || hasArg("pxat"))))) {
            notify(GENERIC, "expire", db, key);
        }
    }

    @Override
    public void stringWrite(int db, byte[] key, long offset, byte[] data, int off, int len) {
        setString(db, key, data, off, len, -1);
    }

    @Override
    public void delete(int db, byte[] key) {
        if (STORE_COMMANDS.contains(command)) {
            pendingDeletes.add(new Object[] {db, key.clone()});
            return;
        }
        notify(GENERIC, "del", db, key);
    }

    @Override
    public void expireAt(int db, byte[] key, long atMs) {
        notify(GENERIC, "expire", db, key);
    }

    @Override
    public void persist(int db, byte[] key) {
        notify(GENERIC, "persist", db, key);
    }

    @Override
    public void rename(int db, byte[] from, byte[] to) {
        notify(GENERIC, "rename_from", db, from);
        notify(GENERIC, "rename_to", db, to);
    }

    @Override
    public void copy(int db, byte[] src, int dstDb, byte[] dst) {
        notify(GENERIC, "copy_to", dstDb, dst);
    }

    @Override
    public void move(int db, byte[] key, int dstDb) {
        notify(GENERIC, "move_from", db, key);
        notify(GENERIC, "move_to", dstDb, key);
    }

    @Override
    public void hashSet(int db, byte[] key, byte[][] items, int from, int to) {
        notify(HASH, switch (command) {
            case "hincrby" -> "hincrby";
            case "hincrbyfloat" -> "hincrbyfloat";
            default -> "hset";
        }, db, key);
    }

    @Override
    public void hashDelete(int db, byte[] key, byte[][] fields, int from, int to) {
        notify(HASH, "hdel", db, key);
        delIfGone(db, key);
    }

    @Override
    public void setAdd(int db, byte[] key, byte[][] members, int from, int to) {
        if (STORE_COMMANDS.contains(command)) {
            filledByStore(SET, db, key);
            return;
        }
        notify(SET, "sadd", db, key);
    }

    @Override
    public void setRemove(int db, byte[] key, byte[][] members, int from, int to) {
        notify(SET, command.equals("spop") ? "spop" : "srem", db, key);
        delIfGone(db, key);
    }

    @Override
    public void listPush(int db, byte[] key, boolean head, byte[][] items, int from, int to) {
        if (command.equals("sort")) {
            filledByStore(LIST, db, key);
            return;
        }
        notify(LIST, head ? "lpush" : "rpush", db, key);
        flushPendingPops();
    }

    /** The moving commands, whose pop Redis reports after the push. */
    private boolean moving() {
        return switch (command) {
            case "lmove", "blmove", "rpoplpush", "brpoplpush" -> true;
            default -> false;
        };
    }

    private void flushPendingPops() {
        for (Object[] p : pendingPops) {
            notify(LIST, (String) p[2], (Integer) p[0], (byte[]) p[1]);
            delIfGone((Integer) p[0], (byte[]) p[1]);
        }
        pendingPops.clear();
    }

    @Override
    public void listPop(int db, byte[] key, boolean head, long count) {
        if (command.equals("ltrim")) {
            if (!trimmed) {
                trimmed = true;
                notify(LIST, "ltrim", db, key);
            }
        } else if (moving()) {
            pendingPops.add(new Object[] {db, key.clone(), head ? "lpop" : "rpop"});
            return;
        } else {
            notify(LIST, head ? "lpop" : "rpop", db, key);
        }
        delIfGone(db, key);
    }

    @Override
    public void listSet(int db, byte[] key, long index, byte[] value) {
        notify(LIST, "lset", db, key);
    }

    @Override
    public void listInsert(int db, byte[] key, long index, byte[] value) {
        notify(LIST, "linsert", db, key);
    }

    @Override
    public void listRemove(int db, byte[] key, long count, byte[] value) {
        notify(LIST, "lrem", db, key);
        delIfGone(db, key);
    }

    @Override
    public void zsetAdd(int db, byte[] key, byte[][] items, int from, int to) {
        if (STORE_COMMANDS.contains(command)) {
            filledByStore(ZSET, db, key);
            return;
        }
        boolean incr = command.equals("zincrby") || (command.equals("zadd") && hasArg("incr"));
        notify(ZSET, incr ? "zincr" : "zadd", db, key);
    }

    @Override
    public void stream(int db, byte[] key, dev.panda.store.StreamChange change, byte[][] items) {
        String event = switch (change) {
            case ADD -> "xadd";
            case TRIM -> "xtrim";
            case DELETE -> "xdel";
            case SET_ID -> command.equals("xsetid") ? "xsetid" : null;
            case GROUP -> command.equals("xgroup") && argv.length > 1
                    ? (Args.is(argv[1], "create") ? "xgroup-create" : Args.is(argv[1], "setid") ? "xgroup-setid" : null) : null;
            case GROUP_DESTROY -> "xgroup-destroy";
            case CONSUMER -> items.length > 3 && items[3][0] == '1' ? "xgroup-createconsumer" : null;
            case CONSUMER_DELETE -> "xgroup-delconsumer";
            default -> null;
        };
        if (event != null) {
            notify(KeyspaceEventClasses.STREAM, event, db, key);
        }
    }

    @Override
    public void zsetRemove(int db, byte[] key, byte[][] members, int from, int to) {
        String event = switch (command) {
            case "zremrangebyscore", "zremrangebyrank", "zremrangebylex", "zpopmin", "zpopmax" -> command;
            case "bzpopmin" -> "zpopmin";
            case "bzpopmax" -> "zpopmax";
            case "zmpop", "bzmpop" -> hasArg("min") ? "zpopmin" : "zpopmax";
            default -> "zrem";
        };
        notify(ZSET, event, db, key);
        delIfGone(db, key);
    }
}
