package dev.panda.command.stream;

import dev.panda.command.Args;
import dev.panda.command.Blocking;
import dev.panda.command.Client;
import dev.panda.command.Errors;
import dev.panda.command.Help;
import dev.panda.protocol.Reply;
import dev.panda.store.ConsumerGroup;
import dev.panda.store.Database;
import dev.panda.store.Status;
import dev.panda.store.Stream;
import dev.panda.store.value.StreamId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The stream commands with Redis 7.0's replies and error texts ({@code t_stream.c}): entries
 * (XADD, XRANGE, XREAD, XDEL, XTRIM, XSETID) and consumer groups (XGROUP, XREADGROUP, XACK,
 * XPENDING, XCLAIM, XAUTOCLAIM, XINFO). Commands decide what happens (ids, trimming, what a read
 * delivers) and record it through the store's {@link dev.panda.store.Streams} operations, so each
 * command is one unit in the log. A blocking read that finds nothing parks its client with
 * {@link Blocking}, its {@code $} ids resolved, and runs again when an entry is added.
 *
 * <p>Store thread only.
 */
public final class StreamCommands {
    private static final String INVALID_ID = "ERR Invalid stream ID specified as stream command argument";
    private static final long LISTPACK_MAX_SIZE = 1L << 30;

    private static Database db(Client c) {
        return c.server().keyspace().db(c.db());
    }

    private static long now(Client c) {
        return c.server().keyspace().now();
    }

    private static StreamId strictId(byte[] arg, long missingSeq) {
        StreamId id = StreamId.parse(arg, missingSeq, true, null);
        if (id == null) {
            throw new Args.Invalid(INVALID_ID);
        }
        return id;
    }

    private static StreamId id(byte[] arg, long missingSeq) {
        StreamId id = StreamId.parse(arg, missingSeq, false, null);
        if (id == null) {
            throw new Args.Invalid(INVALID_ID);
        }
        return id;
    }

    /** An interval bound: {@code (id} is exclusive (and strict); returns the inclusive bound. */
    private static StreamId intervalStart(byte[] arg) {
        if (arg.length > 1 && arg[0] == '(') {
            StreamId id = strictId(Arrays.copyOfRange(arg, 1, arg.length), 0);
            StreamId next = id.next();
            if (next == null) {
                throw new Args.Invalid("ERR invalid start ID for the interval");
            }
            return next;
        }
        return id(arg, 0);
    }

    private static StreamId intervalEnd(byte[] arg) {
        if (arg.length > 1 && arg[0] == '(') {
            StreamId id = strictId(Arrays.copyOfRange(arg, 1, arg.length), -1L);
            StreamId prev = id.previous();
            if (prev == null) {
                throw new Args.Invalid("ERR invalid end ID for the interval");
            }
            return prev;
        }
        return id(arg, -1L);
    }

    private static Stream stream(Database db, byte[] key, boolean read) {
        Stream[] s = new Stream[1];
        Status st = read ? db.streams().read(key, s) : db.streams().peek(key, s);
        if (st == Status.WRONGTYPE) {
            throw new Args.Invalid(Errors.WRONGTYPE);
        }
        return s[0];
    }

    // ---- replies -------------------------------------------------------------------------------

    private static void entry(Reply r, Stream.Entry e) {
        r.array(2);
        r.bulk(e.id().text());
        byte[][] fv = e.fieldsValues();
        r.array(fv.length);
        for (byte[] b : fv) {
            r.bulk(b);
        }
    }

    private static void entries(Reply r, List<Stream.Entry> list) {
        r.array(list.size());
        for (Stream.Entry e : list) {
            entry(r, e);
        }
    }

    // ---- XADD / XTRIM ----------------------------------------------------------------------------

    /** XADD's and XTRIM's options (streamParseAddOrTrimArgsOrReply). */
    private static final class TrimArgs {
        int strategy; // 0 none, 1 maxlen, 2 minid
        boolean approx;
        long limit;
        long maxLen;
        StreamId minId;
        boolean noMkStream;
        boolean idGiven;
        boolean seqGiven = true;
        StreamId id;
        int idPos;
    }

    private static TrimArgs parseTrim(Client c, byte[][] argv, boolean xadd) {
        TrimArgs a = new TrimArgs();
        boolean limitGiven = false;
        int i = 2;
        for (; i < argv.length; i++) {
            int more = argv.length - 1 - i;
            byte[] opt = argv[i];
            if (xadd && opt.length == 1 && opt[0] == '*') {
                break;
            } else if (Args.is(opt, "maxlen") && more > 0) {
                if (a.strategy != 0) {
                    throw new Args.Invalid("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                }
                a.approx = false;
                byte[] next = argv[i + 1];
                if (more >= 2 && next.length == 1 && (next[0] == '~' || next[0] == '=')) {
                    a.approx = next[0] == '~';
                    i++;
                }
                a.maxLen = Args.parseLong(argv[i + 1]);
                if (a.maxLen < 0) {
                    throw new Args.Invalid("ERR The MAXLEN argument must be >= 0.");
                }
                i++;
                a.strategy = 1;
            } else if (Args.is(opt, "minid") && more > 0) {
                if (a.strategy != 0) {
                    throw new Args.Invalid("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                }
                a.approx = false;
                byte[] next = argv[i + 1];
                if (more >= 2 && next.length == 1 && (next[0] == '~' || next[0] == '=')) {
                    a.approx = next[0] == '~';
                    i++;
                }
                a.minId = strictId(argv[i + 1], 0);
                i++;
                a.strategy = 2;
            } else if (Args.is(opt, "limit") && more > 0) {
                a.limit = Args.parseLong(argv[i + 1]);
                if (a.limit < 0) {
                    throw new Args.Invalid("ERR The LIMIT argument must be >= 0.");
                }
                limitGiven = true;
                i++;
            } else if (xadd && Args.is(opt, "nomkstream")) {
                a.noMkStream = true;
            } else if (xadd) {
                boolean[] seqGiven = new boolean[1];
                a.id = StreamId.parse(opt, 0, true, seqGiven);
                if (a.id == null) {
                    throw new Args.Invalid(INVALID_ID);
                }
                a.seqGiven = seqGiven[0];
                a.idGiven = true;
                break;
            } else {
                throw new Args.Invalid(Errors.SYNTAX);
            }
        }
        if (a.limit != 0 && a.strategy == 0) {
            throw new Args.Invalid("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        }
        if (!xadd && a.strategy == 0) {
            throw new Args.Invalid("ERR syntax error, XTRIM must be called with a trimming strategy");
        }
        if (limitGiven) {
            if (!a.approx) {
                throw new Args.Invalid("ERR syntax error, LIMIT cannot be used without the special ~ option");
            }
        } else if (a.approx) {
            a.limit = 100L * c.server().keyspace().limits().streamNodeMaxEntries;
            if (a.limit <= 0) {
                a.limit = 10000;
            }
            if (a.limit > 1000000) {
                a.limit = 1000000;
            }
        } else {
            a.limit = 0;
        }
        a.idPos = i;
        return a;
    }

    private static long trim(Database db, byte[] key, TrimArgs a) {
        return db.streams().trim(key, a.strategy == 1 ? a.maxLen : -1, a.minId, a.approx, a.limit);
    }

    public void xadd(Client c, byte[][] argv, Reply r) {
        TrimArgs a = parseTrim(c, argv, true);
        int fieldPos = a.idPos + 1;
        int fields = argv.length - fieldPos;
        if (fields < 2 || fields % 2 == 1) {
            r.error(Errors.wrongArgs("xadd"));
            return;
        }
        if (a.idGiven && a.seqGiven && a.id.isZero()) {
            r.error("ERR The ID specified in XADD must be greater than 0-0");
            return;
        }
        Database db = db(c);
        byte[] key = argv[1];
        Stream s = stream(db, key, false);
        if (s == null && a.noMkStream) {
            r.nullBulk();
            return;
        }
        StreamId last = s == null ? StreamId.MIN : s.lastId();
        if (last.equals(StreamId.MAX)) {
            r.error("ERR The stream has exhausted the last possible ID, unable to add more items");
            return;
        }
        StreamId id;
        if (!a.idGiven) {
            long ms = now(c);
            id = Long.compareUnsigned(ms, last.ms()) > 0 ? new StreamId(ms, 0) : last.next();
        } else if (!a.seqGiven) {
            if (last.ms() == a.id.ms()) {
                if (last.seq() == -1L) {
                    // Redis returns here without setting errno to EDOM, so XADD reports the other error.
                    r.error("ERR Elements are too large to be stored");
                    return;
                }
                id = new StreamId(last.ms(), last.seq() + 1);
            } else {
                id = a.id;
            }
        } else {
            id = a.id;
        }
        if (id == null || id.compareTo(last) <= 0) {
            r.error("ERR The ID specified in XADD is equal or smaller than the target stream top item");
            return;
        }
        long total = 0;
        for (int i = fieldPos; i < argv.length; i++) {
            total += argv[i].length;
        }
        if (total > LISTPACK_MAX_SIZE) {
            r.error("ERR Elements are too large to be stored");
            return;
        }
        db.streams().add(key, id, argv, fieldPos, argv.length);
        r.bulk(id.text());
        if (a.strategy != 0) {
            trim(db, key, a);
        }
    }

    public void xtrim(Client c, byte[][] argv, Reply r) {
        TrimArgs a = parseTrim(c, argv, false);
        Database db = db(c);
        Stream s = stream(db, argv[1], false);
        if (s == null) {
            r.integer(0);
            return;
        }
        r.integer(trim(db, argv[1], a));
    }

    public void xlen(Client c, byte[][] argv, Reply r) {
        Stream s = stream(db(c), argv[1], true);
        r.integer(s == null ? 0 : s.length());
    }

    public void xdel(Client c, byte[][] argv, Reply r) {
        Database db = db(c);
        Stream s = stream(db, argv[1], false);
        if (s == null) {
            r.integer(0);
            return;
        }
        List<StreamId> ids = new ArrayList<>();
        for (int i = 2; i < argv.length; i++) {
            ids.add(strictId(argv[i], 0));
        }
        r.integer(db.streams().delete(argv[1], ids));
    }

    public void xsetid(Client c, byte[][] argv, Reply r) {
        StreamId id = strictId(argv[2], 0);
        long entriesAdded = -1;
        StreamId maxDeleted = StreamId.MIN;
        for (int i = 3; i < argv.length; ) {
            int more = argv.length - 1 - i;
            if (Args.is(argv[i], "entriesadded") && more > 0) {
                entriesAdded = Args.parseLong(argv[i + 1]);
                if (entriesAdded < 0) {
                    throw new Args.Invalid("ERR entries_added must be positive");
                }
                i += 2;
            } else if (Args.is(argv[i], "maxdeletedid") && more > 0) {
                maxDeleted = strictId(argv[i + 1], 0);
                if (id.compareTo(maxDeleted) < 0) {
                    throw new Args.Invalid("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
                i += 2;
            } else {
                throw new Args.Invalid(Errors.SYNTAX);
            }
        }
        Database db = db(c);
        Stream s = stream(db, argv[1], false);
        if (s == null) {
            r.error(Errors.NO_SUCH_KEY);
            return;
        }
        if (s.length() > 0) {
            StreamId top = s.lastLiveId();
            if (id.compareTo(top) < 0) {
                r.error("ERR The ID specified in XSETID is smaller than the target stream top item");
                return;
            }
            if (entriesAdded != -1 && s.length() > entriesAdded) {
                r.error("ERR The entries_added specified in XSETID is smaller than the target stream length");
                return;
            }
        }
        db.streams().setId(argv[1], id, entriesAdded != -1 ? entriesAdded : s.entriesAdded(),
                maxDeleted.isZero() ? s.maxDeletedId() : maxDeleted);
        r.ok();
    }

    // ---- XRANGE ----------------------------------------------------------------------------------

    public void xrange(Client c, byte[][] argv, Reply r) {
        range(c, argv, r, false);
    }

    public void xrevrange(Client c, byte[][] argv, Reply r) {
        range(c, argv, r, true);
    }

    private void range(Client c, byte[][] argv, Reply r, boolean rev) {
        StreamId start = intervalStart(rev ? argv[3] : argv[2]);
        StreamId end = intervalEnd(rev ? argv[2] : argv[3]);
        long count = -1;
        for (int j = 4; j < argv.length; j++) {
            if (Args.is(argv[j], "count") && argv.length - j - 1 >= 1) {
                count = Math.max(0, Args.parseLong(argv[++j]));
            } else {
                throw new Args.Invalid(Errors.SYNTAX);
            }
        }
        Stream s = stream(db(c), argv[1], true);
        if (s == null) {
            r.array(0);
            return;
        }
        if (count == 0) {
            r.nullArray();
            return;
        }
        entries(r, s.range(start, end, rev, count < 0 ? 0 : count));
    }

    // ---- XREAD / XREADGROUP ------------------------------------------------------------------------

    public void xread(Client c, byte[][] argv, Reply r) {
        read(c, argv, r, false);
    }

    public void xreadgroup(Client c, byte[][] argv, Reply r) {
        read(c, argv, r, true);
    }

    private void read(Client c, byte[][] argv, Reply r, boolean group) {
        long timeout = -1;
        long count = 0;
        int streamsArg = 0;
        int streams = 0;
        boolean noack = false;
        byte[] groupName = null;
        byte[] consumerName = null;
        for (int i = 1; i < argv.length; i++) {
            int more = argv.length - i - 1;
            byte[] o = argv[i];
            if (Args.is(o, "block") && more > 0) {
                if (c.isScript()) {
                    throw new Args.Invalid("ERR " + Args.text(argv[0]) + " command is not allowed with BLOCK option from scripts");
                }
                i++;
                timeout = Args.parseLong(argv[i], "ERR timeout is not an integer or out of range");
                if (timeout < 0) {
                    throw new Args.Invalid("ERR timeout is negative");
                }
            } else if (Args.is(o, "count") && more > 0) {
                i++;
                count = Math.max(0, Args.parseLong(argv[i]));
            } else if (Args.is(o, "streams") && more > 0) {
                streamsArg = i + 1;
                streams = argv.length - streamsArg;
                if (streams % 2 != 0) {
                    throw new Args.Invalid("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
                }
                streams /= 2;
                break;
            } else if (Args.is(o, "group") && more >= 2) {
                if (!group) {
                    throw new Args.Invalid("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                }
                groupName = argv[i + 1];
                consumerName = argv[i + 2];
                i += 2;
            } else if (Args.is(o, "noack")) {
                if (!group) {
                    throw new Args.Invalid("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                }
                noack = true;
            } else {
                throw new Args.Invalid(Errors.SYNTAX);
            }
        }
        if (streamsArg == 0) {
            throw new Args.Invalid(Errors.SYNTAX);
        }
        if (group && groupName == null) {
            throw new Args.Invalid("ERR Missing GROUP option for XREADGROUP");
        }
        Database db = db(c);
        boolean rerun = c.blocked(); // served after blocking: Redis's XREAD_BLOCKED_DEFAULT_COUNT and group check
        if (rerun && count == 0) {
            count = 1000;
        }
        StreamId[] ids = new StreamId[streams];
        ConsumerGroup[] groups = new ConsumerGroup[streams];
        byte[][] resolved = argv.clone();
        for (int k = 0; k < streams; k++) {
            byte[] key = argv[streamsArg + k];
            byte[] arg = argv[streamsArg + streams + k];
            Stream s = stream(db, key, true);
            if (groupName != null) {
                ConsumerGroup g = s == null ? null : s.group(groupName);
                if (g == null && rerun) {
                    throw new Args.Invalid("NOGROUP the consumer group this client was blocked on no longer exists");
                }
                if (g == null) {
                    throw new Args.Invalid("NOGROUP No such key '" + Args.text(key) + "' or consumer group '" + Args.text(groupName)
                            + "' in XREADGROUP with GROUP option");
                }
                groups[k] = g;
            }
            if (arg.length == 1 && arg[0] == '$') {
                if (group) {
                    throw new Args.Invalid("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the "
                            + "history of this consumer by specifying a proper ID, or use the > ID to get new messages. "
                            + "The $ ID would just return an empty result set.");
                }
                ids[k] = s == null ? StreamId.MIN : s.lastId();
                resolved[streamsArg + streams + k] = ids[k].text();
                continue;
            } else if (arg.length == 1 && arg[0] == '>') {
                if (!group) {
                    throw new Args.Invalid("ERR The > ID can be specified only when calling XREADGROUP using the GROUP "
                            + "<group> <consumer> option.");
                }
                ids[k] = StreamId.MAX;
                continue;
            }
            ids[k] = strictId(arg, 0);
        }
        long now = now(c);
        List<Runnable> replies = new ArrayList<>();
        for (int k = 0; k < streams; k++) {
            byte[] key = argv[streamsArg + k];
            Stream s = stream(db, key, true); // looked up again, as Redis does: keyspace hits count both
            if (s == null) {
                continue;
            }
            StreamId gt = ids[k];
            boolean serve = false;
            boolean history = false;
            if (groups[k] != null) {
                if (!gt.equals(StreamId.MAX)) {
                    serve = true;
                    history = true;
                } else if (s.length() > 0 && s.lastLiveId().compareTo(groups[k].lastId()) > 0) {
                    serve = true;
                    gt = groups[k].lastId();
                }
            } else if (s.length() > 0 && s.lastLiveId().compareTo(gt) > 0) {
                serve = true;
            }
            if (!serve) {
                continue;
            }
            StreamId start = gt.next() == null ? StreamId.MIN : gt.next();
            if (groups[k] == null) {
                List<Stream.Entry> list = s.range(start, StreamId.MAX, false, count);
                replies.add(() -> keyedEntries(r, key, list));
                continue;
            }
            db.streams().touchConsumer(key, groupName, consumerName, now);
            if (history) {
                ConsumerGroup.Consumer consumer = groups[k].consumer(consumerName);
                List<StreamId> pel = new ArrayList<>();
                for (StreamId id : consumer.pending().tailMap(start, true).keySet()) {
                    if (count > 0 && pel.size() >= count) {
                        break;
                    }
                    pel.add(id);
                }
                List<Stream.Entry> found = new ArrayList<>();
                List<StreamId> redelivered = new ArrayList<>();
                for (StreamId id : pel) {
                    Stream.Entry e = s.get(id);
                    found.add(e != null ? e : new Stream.Entry(id, null));
                    if (e != null) {
                        redelivered.add(id);
                    }
                }
                long[] counts = new long[redelivered.size()];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = consumer.pending().get(redelivered.get(i)).deliveryCount() + 1;
                }
                db.streams().setPending(key, groupName, consumerName, now, redelivered, counts);
                replies.add(() -> {
                    keyHeader(r, key);
                    r.array(found.size());
                    for (Stream.Entry e : found) {
                        if (e.fieldsValues() == null) {
                            r.array(2);
                            r.bulk(e.id().text());
                            r.nullArray();
                        } else {
                            entry(r, e);
                        }
                    }
                });
                continue;
            }
            ConsumerGroup g = groups[k];
            List<Stream.Entry> list = s.range(start, StreamId.MAX, false, count);
            StreamId lastId = g.lastId();
            long entriesRead = g.entriesRead();
            List<StreamId> delivered = new ArrayList<>();
            for (Stream.Entry e : list) {
                if (e.id().compareTo(lastId) > 0) {
                    if (entriesRead != ConsumerGroup.INVALID_ENTRIES_READ && !s.hasTombstonesFrom(e.id())) {
                        entriesRead++;
                    } else if (s.entriesAdded() != 0) {
                        entriesRead = s.estimateEntriesRead(e.id());
                    }
                    lastId = e.id();
                }
                delivered.add(e.id());
            }
            db.streams().setGroup(key, groupName, lastId, entriesRead);
            if (!noack) {
                long[] ones = new long[delivered.size()];
                Arrays.fill(ones, 1);
                db.streams().setPending(key, groupName, consumerName, now, delivered, ones);
            }
            replies.add(() -> keyedEntries(r, key, list));
        }
        if (!replies.isEmpty()) {
            if (c.protocol() == 2) {
                r.array(replies.size());
            } else {
                r.map(replies.size());
            }
            replies.forEach(Runnable::run);
            return;
        }
        if (timeout != -1) {
            long deadline = timeout == 0 ? 0 : c.server().clock().nowMillis() + timeout;
            byte[][] keys = Arrays.copyOfRange(argv, streamsArg, streamsArg + streams);
            Blocking.block(c, resolved, keys, deadline, r, false);
            return;
        }
        r.nullArray();
    }

    private static void keyHeader(Reply r, byte[] key) {
        if (r.protocol() == 2) {
            r.array(2);
        }
        r.bulk(key);
    }

    private static void keyedEntries(Reply r, byte[] key, List<Stream.Entry> list) {
        keyHeader(r, key);
        entries(r, list);
    }

    /** streamReplyWithCGLag: the lag, or null when it cannot be known. */
    private static void lag(Reply r, Stream s, ConsumerGroup g) {
        Long lag = s.lag(g);
        if (lag == null) {
            r.nullBulk();
        } else {
            r.integer(lag);
        }
    }

    // ---- XGROUP ----------------------------------------------------------------------------------

    private static String noSuchGroup(byte[] group, byte[] key) {
        return "NOGROUP No such consumer group '" + Args.text(group) + "' for key name '" + Args.text(key) + "'";
    }

    private static String subcommandSyntax(byte[][] argv, String command) {
        return "ERR unknown subcommand or wrong number of arguments for '" + Args.text(argv[1]) + "'. Try " + command + " HELP.";
    }

    /** XGROUP's shared checks: options, the key, the group (Redis's xgroupCommand prologue). */
    private static Stream groupTarget(Client c, byte[][] argv, boolean[] mkstream, long[] entriesRead, boolean needGroup) {
        boolean create = Args.is(argv[1], "create");
        boolean setid = Args.is(argv[1], "setid");
        for (int i = 5; i < argv.length; ) {
            if (create && Args.is(argv[i], "mkstream")) {
                mkstream[0] = true;
                i++;
            } else if ((create || setid) && Args.is(argv[i], "entriesread") && i + 1 < argv.length) {
                entriesRead[0] = Args.parseLong(argv[i + 1]);
                if (entriesRead[0] < 0 && entriesRead[0] != ConsumerGroup.INVALID_ENTRIES_READ) {
                    throw new Args.Invalid("ERR value for ENTRIESREAD must be positive or -1");
                }
                i += 2;
            } else {
                throw new Args.Invalid(subcommandSyntax(argv, "XGROUP"));
            }
        }
        Stream s = stream(db(c), argv[2], false);
        if (!mkstream[0]) {
            if (s == null) {
                throw new Args.Invalid("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may "
                        + "want to use the MKSTREAM option to create an empty stream automatically.");
            }
            if (needGroup && s.group(argv[3]) == null) {
                throw new Args.Invalid(noSuchGroup(argv[3], argv[2]));
            }
        }
        return s;
    }

    public void xgroupCreate(Client c, byte[][] argv, Reply r) {
        boolean[] mkstream = new boolean[1];
        long[] entriesRead = {ConsumerGroup.INVALID_ENTRIES_READ};
        Stream s = groupTarget(c, argv, mkstream, entriesRead, false);
        if (argv.length > 8) {
            throw new Args.Invalid(subcommandSyntax(argv, "XGROUP"));
        }
        StreamId id;
        if (argv[4].length == 1 && argv[4][0] == '$') {
            id = s == null ? StreamId.MIN : s.lastId();
        } else {
            id = strictId(argv[4], 0);
        }
        Database db = db(c);
        if (s == null) {
            db.streams().createEmpty(argv[2]);
        } else if (s.group(argv[3]) != null) {
            r.error("BUSYGROUP Consumer Group name already exists");
            return;
        }
        db.streams().setGroup(argv[2], argv[3], id, entriesRead[0]);
        r.ok();
    }

    public void xgroupSetid(Client c, byte[][] argv, Reply r) {
        long[] entriesRead = {ConsumerGroup.INVALID_ENTRIES_READ};
        Stream s = groupTarget(c, argv, new boolean[1], entriesRead, true);
        if (argv.length != 5 && argv.length != 7) {
            throw new Args.Invalid(subcommandSyntax(argv, "XGROUP"));
        }
        StreamId id = argv[4].length == 1 && argv[4][0] == '$' ? s.lastId() : id(argv[4], 0);
        db(c).streams().setGroup(argv[2], argv[3], id, entriesRead[0]);
        r.ok();
    }

    public void xgroupDestroy(Client c, byte[][] argv, Reply r) {
        groupTarget(c, argv, new boolean[1], new long[1], false);
        r.integer(db(c).streams().destroyGroup(argv[2], argv[3]) ? 1 : 0);
    }

    public void xgroupCreateconsumer(Client c, byte[][] argv, Reply r) {
        Stream s = groupTarget(c, argv, new boolean[1], new long[1], true);
        if (s.group(argv[3]).consumer(argv[4]) != null) {
            r.integer(0);
            return;
        }
        db(c).streams().touchConsumer(argv[2], argv[3], argv[4], now(c));
        r.integer(1);
    }

    public void xgroupDelconsumer(Client c, byte[][] argv, Reply r) {
        groupTarget(c, argv, new boolean[1], new long[1], true);
        long pending = db(c).streams().deleteConsumer(argv[2], argv[3], argv[4]);
        r.integer(Math.max(0, pending));
    }

    public void xgroupHelp(Client c, byte[][] argv, Reply r) {
        Help.reply(r, "XGROUP",
                "CREATE <key> <groupname> <id|$> [option]",
                "    Create a new consumer group. Options are:",
                "    * MKSTREAM",
                "      Create the empty stream if it does not exist.",
                "    * ENTRIESREAD entries_read",
                "      Set the group's entries_read counter (internal use).",
                "CREATECONSUMER <key> <groupname> <consumer>",
                "    Create a new consumer in the specified group.",
                "DELCONSUMER <key> <groupname> <consumer>",
                "    Remove the specified consumer.",
                "DESTROY <key> <groupname>",
                "    Remove the specified group.",
                "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
                "    Set the current group ID and entries_read counter.");
    }

    // ---- XACK / XPENDING / XCLAIM / XAUTOCLAIM ---------------------------------------------------------

    public void xack(Client c, byte[][] argv, Reply r) {
        Database db = db(c);
        Stream s = stream(db, argv[1], true);
        ConsumerGroup g = s == null ? null : s.group(argv[2]);
        if (g == null) {
            r.integer(0);
            return;
        }
        List<StreamId> ids = new ArrayList<>();
        for (int j = 3; j < argv.length; j++) {
            ids.add(strictId(argv[j], 0));
        }
        r.integer(db.streams().ack(argv[1], argv[2], ids));
    }

    private static ConsumerGroup groupOrError(Stream s, byte[] key, byte[] group) {
        ConsumerGroup g = s == null ? null : s.group(group);
        if (g == null) {
            throw new Args.Invalid("NOGROUP No such key '" + Args.text(key) + "' or consumer group '" + Args.text(group) + "'");
        }
        return g;
    }

    public void xpending(Client c, byte[][] argv, Reply r) {
        boolean justInfo = argv.length == 3;
        StreamId start = null;
        StreamId end = null;
        long count = 0;
        long minIdle = 0;
        byte[] consumerName = null;
        if (argv.length != 3 && (argv.length < 6 || argv.length > 9)) {
            throw new Args.Invalid(Errors.SYNTAX);
        }
        if (argv.length >= 6) {
            int startIdx = 3;
            if (Args.is(argv[3], "idle")) {
                minIdle = Args.parseLong(argv[4]);
                if (argv.length < 8) {
                    throw new Args.Invalid(Errors.SYNTAX);
                }
                startIdx += 2;
            }
            count = Math.max(0, Args.parseLong(argv[startIdx + 2]));
            start = intervalStart(argv[startIdx]);
            end = intervalEnd(argv[startIdx + 1]);
            if (startIdx + 3 < argv.length) {
                consumerName = argv[startIdx + 3];
            }
        }
        Stream s = stream(db(c), argv[1], true);
        ConsumerGroup g = groupOrError(s, argv[1], argv[2]);
        if (justInfo) {
            r.array(4);
            r.integer(g.pending().size());
            if (g.pending().isEmpty()) {
                r.nullBulk();
                r.nullBulk();
                r.nullArray();
                return;
            }
            r.bulk(g.pending().firstKey().text());
            r.bulk(g.pending().lastKey().text());
            List<ConsumerGroup.Consumer> with = new ArrayList<>();
            for (ConsumerGroup.Consumer consumer : g.consumers()) {
                if (!consumer.pending().isEmpty()) {
                    with.add(consumer);
                }
            }
            r.array(with.size());
            for (ConsumerGroup.Consumer consumer : with) {
                r.array(2);
                r.bulk(consumer.name());
                r.bulk(Long.toString(consumer.pending().size()));
            }
            return;
        }
        java.util.NavigableMap<StreamId, ConsumerGroup.Pending> pel = g.pending();
        if (consumerName != null) {
            ConsumerGroup.Consumer consumer = g.consumer(consumerName);
            if (consumer == null) {
                r.array(0);
                return;
            }
            pel = consumer.pending();
        }
        long now = now(c);
        List<Map.Entry<StreamId, ConsumerGroup.Pending>> out = new ArrayList<>();
        if (start.compareTo(end) <= 0) {
            for (var e : pel.subMap(start, true, end, true).entrySet()) {
                if (count == 0) {
                    break;
                }
                if (minIdle != 0 && now - e.getValue().deliveryTime() < minIdle) {
                    continue;
                }
                out.add(e);
                count--;
            }
        }
        r.array(out.size());
        for (var e : out) {
            r.array(4);
            r.bulk(e.getKey().text());
            r.bulk(e.getValue().consumer().name());
            r.integer(Math.max(0, now - e.getValue().deliveryTime()));
            r.integer(e.getValue().deliveryCount());
        }
    }

    public void xclaim(Client c, byte[][] argv, Reply r) {
        Database db = db(c);
        byte[] key = argv[1];
        byte[] groupName = argv[2];
        Stream s = stream(db, key, true);
        ConsumerGroup g = groupOrError(s, key, groupName);
        long minIdle = Math.max(0, Args.parseLong(argv[4], "ERR Invalid min-idle-time argument for XCLAIM"));
        List<StreamId> ids = new ArrayList<>();
        int j = 5;
        for (; j < argv.length; j++) {
            StreamId id = StreamId.parse(argv[j], 0, true, null);
            if (id == null) {
                break;
            }
            ids.add(id);
        }
        long now = now(c);
        long retryCount = -1;
        long deliveryTime = -1;
        boolean force = false;
        boolean justId = false;
        StreamId lastId = StreamId.MIN;
        for (; j < argv.length; j++) {
            int more = argv.length - 1 - j;
            byte[] opt = argv[j];
            if (Args.is(opt, "force")) {
                force = true;
            } else if (Args.is(opt, "justid")) {
                justId = true;
            } else if (Args.is(opt, "idle") && more > 0) {
                deliveryTime = now - Args.parseLong(argv[++j], "ERR Invalid IDLE option argument for XCLAIM");
            } else if (Args.is(opt, "time") && more > 0) {
                deliveryTime = Args.parseLong(argv[++j], "ERR Invalid TIME option argument for XCLAIM");
            } else if (Args.is(opt, "retrycount") && more > 0) {
                retryCount = Args.parseLong(argv[++j], "ERR Invalid RETRYCOUNT option argument for XCLAIM");
            } else if (Args.is(opt, "lastid") && more > 0) {
                lastId = strictId(argv[++j], 0);
            } else {
                throw new Args.Invalid("ERR Unrecognized XCLAIM option '" + Args.text(opt) + "'");
            }
        }
        if (lastId.compareTo(g.lastId()) > 0) {
            db.streams().setGroup(key, groupName, lastId, g.entriesRead());
        }
        if (deliveryTime != -1) {
            if (deliveryTime < 0 || deliveryTime > now) {
                deliveryTime = now;
            }
        } else {
            deliveryTime = now;
        }
        byte[] name = argv[3];
        boolean consumerTouched = false;
        List<Object> replies = new ArrayList<>();
        for (StreamId id : ids) {
            ConsumerGroup.Pending nack = g.pending().get(id);
            Stream.Entry entry = s.get(id);
            if (entry == null) {
                if (nack != null) {
                    db.streams().ack(key, groupName, List.of(id));
                }
                continue;
            }
            long deliveries;
            if (nack == null) {
                if (!force) {
                    continue;
                }
                deliveries = 1; // a new NACK starts at one delivery (streamCreateNACK), then counts this one
            } else {
                if (minIdle != 0 && now - nack.deliveryTime() < minIdle) {
                    continue;
                }
                deliveries = nack.deliveryCount();
            }
            if (!consumerTouched) {
                db.streams().touchConsumer(key, groupName, name, now);
                consumerTouched = true;
            }
            if (retryCount >= 0) {
                deliveries = retryCount;
            } else if (!justId) {
                deliveries++;
            }
            db.streams().setPending(key, groupName, name, deliveryTime, List.of(id), new long[] {deliveries});
            replies.add(justId ? id : entry);
        }
        claimedReply(r, replies);
    }

    /** XCLAIM's and XAUTOCLAIM's claimed entries: ids (JUSTID) or whole entries. */
    private static void claimedReply(Reply r, List<Object> claimed) {
        r.array(claimed.size());
        for (Object o : claimed) {
            if (o instanceof StreamId id) {
                r.bulk(id.text());
            } else {
                entry(r, (Stream.Entry) o);
            }
        }
    }

    public void xautoclaim(Client c, byte[][] argv, Reply r) {
        Database db = db(c);
        byte[] key = argv[1];
        byte[] groupName = argv[2];
        long minIdle = Math.max(0, Args.parseLong(argv[4], "ERR Invalid min-idle-time argument for XAUTOCLAIM"));
        StreamId start = intervalStart(argv[5]);
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < argv.length; j++) {
            int more = argv.length - 1 - j;
            if (Args.is(argv[j], "count") && more > 0) {
                Long v = Args.tryParseLong(argv[j + 1]);
                long max = Long.MAX_VALUE / 16;
                if (v == null || v < 1 || v > max) {
                    throw new Args.Invalid("ERR COUNT must be > 0");
                }
                count = v;
                j++;
            } else if (Args.is(argv[j], "justid")) {
                justId = true;
            } else {
                throw new Args.Invalid(Errors.SYNTAX);
            }
        }
        Stream s = stream(db, key, true);
        ConsumerGroup g = groupOrError(s, key, groupName);
        long now = now(c);
        long attempts = count * 10;
        List<Object> claimed = new ArrayList<>();
        List<StreamId> deleted = new ArrayList<>();
        StreamId endId = StreamId.MIN;
        boolean consumerTouched = false;
        StreamId cursor = start;
        boolean inclusive = true;
        while (true) {
            if (attempts-- == 0 || count == 0) {
                var next = inclusive ? g.pending().ceilingKey(cursor) : g.pending().higherKey(cursor);
                endId = next == null ? StreamId.MIN : next;
                break;
            }
            var id = inclusive ? g.pending().ceilingKey(cursor) : g.pending().higherKey(cursor);
            if (id == null) {
                endId = StreamId.MIN;
                break;
            }
            cursor = id;
            inclusive = false;
            ConsumerGroup.Pending nack = g.pending().get(id);
            Stream.Entry entry = s.get(id);
            if (entry == null) {
                db.streams().ack(key, groupName, List.of(id));
                deleted.add(id);
                count--;
                continue;
            }
            if (minIdle != 0 && now - nack.deliveryTime() < minIdle) {
                continue;
            }
            if (!consumerTouched) {
                db.streams().touchConsumer(key, groupName, argv[3], now);
                consumerTouched = true;
            }
            long deliveries = nack.deliveryCount() + (justId ? 0 : 1);
            db.streams().setPending(key, groupName, argv[3], now, List.of(id), new long[] {deliveries});
            claimed.add(justId ? id : entry);
            count--;
        }
        r.array(3);
        r.bulk(endId.text());
        claimedReply(r, claimed);
        r.array(deleted.size());
        for (StreamId id : deleted) {
            r.bulk(id.text());
        }
    }

    // ---- XINFO ------------------------------------------------------------------------------------

    private static Stream infoTarget(Client c, byte[][] argv) {
        Stream s = stream(db(c), argv[2], true);
        if (s == null) {
            throw new Args.Invalid(Errors.NO_SUCH_KEY);
        }
        return s;
    }

    public void xinfoConsumers(Client c, byte[][] argv, Reply r) {
        Stream s = infoTarget(c, argv);
        ConsumerGroup g = s.group(argv[3]);
        if (g == null) {
            throw new Args.Invalid(noSuchGroup(argv[3], argv[2]));
        }
        long now = now(c);
        r.array(g.consumers().size());
        for (ConsumerGroup.Consumer consumer : g.consumers()) {
            r.map(3);
            r.bulk("name");
            r.bulk(consumer.name());
            r.bulk("pending");
            r.integer(consumer.pending().size());
            r.bulk("idle");
            r.integer(Math.max(0, now - consumer.seenTime()));
        }
    }

    public void xinfoGroups(Client c, byte[][] argv, Reply r) {
        Stream s = infoTarget(c, argv);
        r.array(s.groupCount());
        for (Map.Entry<byte[], ConsumerGroup> e : s.groupEntries()) {
            ConsumerGroup g = e.getValue();
            r.map(6);
            r.bulk("name");
            r.bulk(e.getKey());
            r.bulk("consumers");
            r.integer(g.consumers().size());
            r.bulk("pending");
            r.integer(g.pending().size());
            r.bulk("last-delivered-id");
            r.bulk(g.lastId().text());
            r.bulk("entries-read");
            entriesRead(r, g);
            r.bulk("lag");
            lag(r, s, g);
        }
    }

    private static void entriesRead(Reply r, ConsumerGroup g) {
        if (g.entriesRead() != ConsumerGroup.INVALID_ENTRIES_READ) {
            r.integer(g.entriesRead());
        } else {
            r.nullBulk();
        }
    }

    public void xinfoStream(Client c, byte[][] argv, Reply r) {
        Stream s = infoTarget(c, argv);
        boolean full = true;
        long count = 10;
        int optc = argv.length - 3;
        if (optc == 0) {
            full = false;
        } else {
            if ((optc != 1 && optc != 3) || !Args.is(argv[3], "full")) {
                throw new Args.Invalid(subcommandSyntax(argv, "XINFO"));
            }
            if (optc == 3) {
                if (!Args.is(argv[4], "count")) {
                    throw new Args.Invalid(subcommandSyntax(argv, "XINFO"));
                }
                count = Args.parseLong(argv[5]);
                if (count < 0) {
                    count = 10;
                }
            }
        }
        r.map(full ? 9 : 10);
        r.bulk("length");
        r.integer(s.length());
        r.bulk("radix-tree-keys");
        r.integer(s.nodeCount());
        r.bulk("radix-tree-nodes");
        r.integer(s.nodeCount() == 0 ? 1 : 2L * s.nodeCount());
        r.bulk("last-generated-id");
        r.bulk(s.lastId().text());
        r.bulk("max-deleted-entry-id");
        r.bulk(s.maxDeletedId().text());
        r.bulk("entries-added");
        r.integer(s.entriesAdded());
        r.bulk("recorded-first-entry-id");
        r.bulk(s.firstId().text());
        if (!full) {
            r.bulk("groups");
            r.integer(s.groupCount());
            r.bulk("first-entry");
            List<Stream.Entry> first = s.range(StreamId.MIN, StreamId.MAX, false, 1);
            if (first.isEmpty()) {
                r.nullBulk();
            } else {
                entry(r, first.get(0));
            }
            r.bulk("last-entry");
            List<Stream.Entry> last = s.range(StreamId.MIN, StreamId.MAX, true, 1);
            if (last.isEmpty()) {
                r.nullBulk();
            } else {
                entry(r, last.get(0));
            }
            return;
        }
        r.bulk("entries");
        entries(r, s.range(StreamId.MIN, StreamId.MAX, false, count));
        r.bulk("groups");
        r.array(s.groupCount());
        for (Map.Entry<byte[], ConsumerGroup> e : s.groupEntries()) {
            ConsumerGroup g = e.getValue();
            r.map(7);
            r.bulk("name");
            r.bulk(e.getKey());
            r.bulk("last-delivered-id");
            r.bulk(g.lastId().text());
            r.bulk("entries-read");
            entriesRead(r, g);
            r.bulk("lag");
            lag(r, s, g);
            r.bulk("pel-count");
            r.integer(g.pending().size());
            r.bulk("pending");
            List<Map.Entry<StreamId, ConsumerGroup.Pending>> pel = firstPending(g.pending(), count);
            r.array(pel.size());
            for (var p : pel) {
                r.array(4);
                r.bulk(p.getKey().text());
                r.bulk(p.getValue().consumer().name());
                r.integer(p.getValue().deliveryTime());
                r.integer(p.getValue().deliveryCount());
            }
            r.bulk("consumers");
            r.array(g.consumers().size());
            for (ConsumerGroup.Consumer consumer : g.consumers()) {
                r.map(4);
                r.bulk("name");
                r.bulk(consumer.name());
                r.bulk("seen-time");
                r.integer(consumer.seenTime());
                r.bulk("pel-count");
                r.integer(consumer.pending().size());
                r.bulk("pending");
                List<Map.Entry<StreamId, ConsumerGroup.Pending>> cpel = firstPending(consumer.pending(), count);
                r.array(cpel.size());
                for (var p : cpel) {
                    r.array(3);
                    r.bulk(p.getKey().text());
                    r.integer(p.getValue().deliveryTime());
                    r.integer(p.getValue().deliveryCount());
                }
            }
        }
    }

    /** The first {@code count} entries of a PEL (0: all), XINFO STREAM FULL's COUNT. */
    private static List<Map.Entry<StreamId, ConsumerGroup.Pending>> firstPending(
            java.util.NavigableMap<StreamId, ConsumerGroup.Pending> pel, long count) {
        List<Map.Entry<StreamId, ConsumerGroup.Pending>> out = new ArrayList<>();
        for (var p : pel.entrySet()) {
            if (count != 0 && out.size() >= count) {
                break;
            }
            out.add(p);
        }
        return out;
    }

    public void xinfoHelp(Client c, byte[][] argv, Reply r) {
        Help.reply(r, "XINFO",
                "CONSUMERS <key> <groupname>",
                "    Show consumers of <groupname>.",
                "GROUPS <key>",
                "    Show the stream consumer groups.",
                "STREAM <key> [FULL [COUNT <count>]",
                "    Show information about the stream.");
    }
}
