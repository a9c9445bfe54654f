package dev.panda.command.server;

import dev.panda.command.Args;
import dev.panda.command.Client;
import dev.panda.command.Errors;
import dev.panda.command.Glob;
import dev.panda.command.Help;
import dev.panda.config.Directive;
import dev.panda.protocol.Reply;
import dev.panda.rdb.RdbSize;
import dev.panda.store.DatasetDigest;
import dev.panda.store.Database;
import dev.panda.store.KeyTable;
import dev.panda.store.Strings;
import dev.panda.store.value.Encoding;
import dev.panda.store.value.RedisIntegers;
import java.io.IOException;
import java.util.Locale;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEBUG, as Redis 7.0's {@code debugCommand} ({@code debug.c}): one command whose first argument
 * picks the subcommand, with Redis's replies and errors for the subcommands Panda has (see
 * {@link #HELP}). Only where {@code enable-debug-command} allows it. Store thread only.
 */
public final class DebugCommands {
    private static final Logger LOG = LoggerFactory.getLogger(DebugCommands.class);
    /** Seconds from the Unix epoch to Panda's access clock's zero (2020-01-01), to show Redis's LRU stamp. */
    private static final long ACCESS_CLOCK_EPOCH = 1_577_836_800L;
    private static final String[] HELP = {
            "CHANGE-REPL-ID",
            "    Change the replication IDs of the instance.",
            "    Dangerous: should be used only for testing the replication subsystem.",
            "DIGEST",
            "    Output a hex signature representing the current DB content.",
            "DIGEST-VALUE <key> [<key> ...]",
            "    Output a hex signature of the values of all the specified keys.",
            "ERROR <string>",
            "    Return a Redis protocol error with <string> as message. Useful for clients",
            "    unit tests to simulate Redis errors.",
            "LOG <message>",
            "    Write <message> to the server log.",
            "HTSTATS <dbid>",
            "    Return hash table statistics of the specified Redis database.",
            "HTSTATS-KEY <key>",
            "    Like HTSTATS but for the hash table stored at <key>'s value.",
            "OBJECT <key>",
            "    Show low level info about `key` and associated value.",
            "POPULATE <count> [<prefix>] [<size>]",
            "    Create <count> string keys named key:<num>. If <prefix> is specified then",
            "    it is used instead of the 'key' prefix. These are not propagated to",
            "    replicas. Cluster slots are not respected so keys not belonging to the",
            "    current node can be created in cluster mode.",
            "PROTOCOL <type>",
            "    Reply with a test value of the specified type. <type> can be: string,",
            "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
            "    true, false.",
            "RELOAD [option ...]",
            "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
            "    * MERGE: conflicting keys will be loaded from RDB.",
            "    * NOFLUSH: the existing database will not be removed before load, but",
            "      conflicting keys will generate an exception and kill the server.",
            "    * NOSAVE: the database will be loaded from an existing RDB file.",
            "    Examples:",
            "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
            "      the database.",
            "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
            "      existing RDB file.",
            "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
            "      file to the database.",
            "SET-ACTIVE-EXPIRE <0|1>",
            "    Setting it to 0 disables expiring keys in background when they are not",
            "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
            "    default.",
            "QUICKLIST-PACKED-THRESHOLD <size>",
            "    Sets the threshold for elements to be inserted as plain vs packed nodes",
            "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
            "SLEEP <seconds>",
            "    Stop the server for <seconds>. Decimals allowed.",
            "STRINGMATCH-TEST",
            "    Run a fuzz tester against the stringmatchlen() function.",
            "LISTPACK <key>",
            "    Show low level info about the listpack encoding of <key>.",
            "QUICKLIST <key> [<0|1>]",
            "    Show low level info about the quicklist encoding of <key>.",
            "    The optional argument (0 by default) sets the level of detail",
    };

    private final DatasetDigest digest = new DatasetDigest();
    private final RdbSize rdbSize = new RdbSize();

    /** As Redis: DEBUG only when enable-debug-command allows it ("local": loopback clients only). */
    private static boolean allowed(Client c) {
        String mode = c.server().config().get("enable-debug-command");
        String addr = c.connection().remoteAddress();
        return mode.equals("yes") || (mode.equals("local") && (addr.startsWith("127.") || addr.startsWith("0:0:0:0:0:0:0:1")));
    }

    private static Database db(Client c) {
        return c.server().keyspace().db(c.db());
    }

    public void debug(Client c, byte[][] argv, Reply r) {
        if (!allowed(c)) {
            r.error("ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it "
                    + "from a local connection, otherwise you need to set this option in the configuration file, and then "
                    + "restart the server.");
            return;
        }
        String sub = Args.text(argv[1]).toLowerCase(Locale.ROOT);
        int argc = argv.length;
        switch (sub) {
            case "help" -> {
                if (argc != 2) {
                    unknown(argv, r);
                } else {
                    Help.reply(r, "DEBUG", HELP);
                }
            }
            case "digest" -> {
                if (argc != 2) {
                    unknown(argv, r);
                } else {
                    r.simple(DatasetDigest.hex(digest.dataset(c.server().keyspace())));
                }
            }
            case "digest-value" -> {
                r.array(argc - 2);
                for (int j = 2; j < argc; j++) {
                    r.simple(DatasetDigest.hex(digest.value(db(c), argv[j])));
                }
            }
            case "object" -> {
                if (argc != 3) {
                    unknown(argv, r);
                } else {
                    object(c, argv[2], r);
                }
            }
            case "reload" -> reload(c, argv, r);
            case "protocol" -> {
                if (argc != 3) {
                    unknown(argv, r);
                } else {
                    protocol(Args.text(argv[2]).toLowerCase(Locale.ROOT), r);
                }
            }
            case "sleep" -> {
                if (argc != 3) {
                    unknown(argv, r);
                    return;
                }
                double seconds = strtod(Args.text(argv[2]));
                // Blocks the store thread on purpose: that is what DEBUG SLEEP is for.
                try {
                    Thread.sleep(Math.max(0, (long) (seconds * 1000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                r.ok();
            }
            case "set-active-expire" -> {
                if (argc != 3) {
                    unknown(argv, r);
                } else {
                    c.server().expiryCycle().setEnabled(atoi(argv[2]) != 0);
                    r.ok();
                }
            }
            case "change-repl-id" -> {
                if (argc != 2) {
                    unknown(argv, r);
                } else {
                    LOG.warn("Changing replication IDs after receiving DEBUG change-repl-id");
                    c.server().changeReplId();
                    r.ok();
                }
            }
            case "log" -> {
                if (argc != 3) {
                    unknown(argv, r);
                } else {
                    LOG.warn("DEBUG LOG: {}", Args.text(argv[2]));
                    r.ok();
                }
            }
            case "error" -> {
                if (argc != 3) {
                    unknown(argv, r);
                } else {
                    // Redis writes "-<string>" as is, newlines turned to spaces; no "ERR" is added.
                    r.error(Args.text(argv[2]).replace('\n', ' ').replace('\r', ' '));
                }
            }
            case "stringmatch-test" -> {
                if (argc != 2) {
                    unknown(argv, r);
                } else {
                    stringmatchFuzz();
                    r.simple("Apparently Redis did not crash: test passed");
                }
            }
            case "quicklist-packed-threshold" -> {
                if (argc != 3) {
                    unknown(argv, r);
                } else {
                    packedThreshold(Args.text(argv[2]), r);
                }
            }
            case "listpack" -> {
                if (argc != 3) {
                    unknown(argv, r);
                } else {
                    structure(c, argv[2], false, r);
                }
            }
            case "htstats" -> {
                if (argc != 3) {
                    unknown(argv, r);
                } else {
                    htstats(c, argv[2], r);
                }
            }
            case "htstats-key" -> {
                if (argc != 3) {
                    unknown(argv, r);
                } else {
                    htstatsKey(c, argv[2], r);
                }
            }
            case "populate" -> {
                if (argc < 3 || argc > 5) {
                    unknown(argv, r);
                } else {
                    populate(c, argv, r);
                }
            }
            case "quicklist" -> {
                if (argc != 3 && argc != 4) {
                    unknown(argv, r);
                } else {
                    structure(c, argv[2], true, r);
                }
            }
            default -> unknown(argv, r);
        }
    }

    private static void unknown(byte[][] argv, Reply r) {
        String sub = Args.text(argv[1]);
        r.error("ERR unknown subcommand or wrong number of arguments for '" + (sub.length() > 128 ? sub.substring(0, 128) : sub)
                + "'. Try DEBUG HELP.");
    }

    /** C's strtod as Redis calls it (no error check): the longest decimal prefix, 0 when there is none. */
    private static double strtod(String s) {
        java.util.regex.Matcher m = DECIMAL_PREFIX.matcher(s);
        return m.lookingAt() ? Double.parseDouble(m.group()) : 0;
    }

    private static final java.util.regex.Pattern DECIMAL_PREFIX =
            java.util.regex.Pattern.compile("\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** C's atoi: leading blanks, a sign, digits; 0 when there are none. */
    private static int atoi(byte[] s) {
        int i = 0;
        while (i < s.length && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) {
            i++;
        }
        boolean negative = i < s.length && s[i] == '-';
        if (i < s.length && (s[i] == '-' || s[i] == '+')) {
            i++;
        }
        long v = 0;
        while (i < s.length && s[i] >= '0' && s[i] <= '9' && v < Integer.MAX_VALUE) {
            v = v * 10 + (s[i++] - '0');
        }
        return (int) (negative ? -v : v);
    }

    /**
     * Redis's line. Panda's own values: the encoding OBJECT ENCODING reports, the key's access
     * stamp (as Redis's 24-bit LRU clock: Unix seconds mod 2^24) and its idle seconds, and for a
     * list its real nodes (a short list is one listpack node). serializedlength is Redis's
     * rdbSavedObjectLen for the value in its encoding, compressed as rdbcompression says (see
     * {@link Database#serializedLength}). The address is the value's identity hash; refcount is
     * always 1.
     */
    private void object(Client c, byte[] key, Reply r) {
        Database db = db(c);
        Database.ObjectInfo info = db.debugObject(key);
        if (info == null) {
            r.error("ERR no such key");
            return;
        }
        boolean compression = !"no".equals(c.server().config().get("rdbcompression"));
        long serialized = db.serializedLength(key, rdbSize.compression(compression));
        long lru = c.server().keyspace().access().lfu()
                ? info.accessField()
                : (info.accessField() + ACCESS_CLOCK_EPOCH) & 0xFF_FFFF;
        StringBuilder line = new StringBuilder()
                .append("Value at:0x").append(Long.toHexString(0x7f0000000000L | System.identityHashCode(info) * 16L))
                .append(" refcount:1 encoding:").append(info.encoding().encodingName())
                .append(" serializedlength:").append(serialized)
                .append(" lru:").append(lru)
                .append(" lru_seconds_idle:").append(info.idleSeconds());
        if (info.encoding() == Encoding.QUICKLIST) {
            line.append(" ql_nodes:").append(info.nodes())
                    .append(" ql_avg_node:").append(String.format(Locale.ROOT, "%.2f", (double) info.elements() / info.nodes()))
                    .append(" ql_listpack_max:").append(c.server().keyspace().limits().listMaxListpackSize)
                    .append(" ql_compressed:0") // Panda never compresses list nodes
                    .append(" ql_uncompressed_size:").append(info.packedBytes());
        }
        r.simple(line.toString());
    }

    private static void reload(Client c, byte[][] argv, Reply r) {
        boolean flush = true;
        boolean save = true;
        for (int j = 2; j < argv.length; j++) {
            if (Args.is(argv[j], "merge")) {
                continue; // Panda always lets the snapshot's key win a conflict (see below)
            } else if (Args.is(argv[j], "noflush")) {
                flush = false;
            } else if (Args.is(argv[j], "nosave")) {
                save = false;
            } else {
                r.error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
                return;
            }
        }
        // NOFLUSH without MERGE makes Redis kill itself on a conflicting key; Panda replaces it instead.
        try {
            c.server().persistence().reload(save, flush);
        } catch (IOException | RuntimeException e) {
            LOG.warn("DEBUG RELOAD failed: {}", e.toString());
            r.error("ERR " + (e.getMessage() == null ? "Error trying to load the RDB dump" : e.getMessage()));
            return;
        }
        r.ok();
    }

    /** Redis formats POPULATE's key names into a 128-byte buffer: longer names are cut to 127 bytes. */
    private static final int POPULATE_KEY_MAX = 127;
    /** Heap bytes a populated key takes at the least (its entry and table slot): bounds the table POPULATE pre-sizes. */
    private static final long POPULATE_KEY_MIN_BYTES = 64;

    /**
     * DEBUG POPULATE count [prefix] [size], as debug.c: string keys {@code prefix:N} (prefix
     * "key") for N in [0, count) holding {@code value:N}, or with a size, that text cut or
     * padded with zero bytes to {@code size} bytes; keys that exist are left alone. Written
     * through the store like any SET, so the log records them (one record per command; the
     * writer splits only a command past its 1 GiB record limit), watchers and trackers see them,
     * and keyspace notifications send "new" alone, as Redis's dbAdd does.
     */
    private static void populate(Client c, byte[][] argv, Reply r) {
        // getPositiveLongFromObjectOrReply: one error for a negative number and for no number.
        long count = Args.parseNonNegative(argv[2], Errors.NOT_POSITIVE);
        long size = 0;
        if (argv.length == 5) {
            size = Args.parseNonNegative(argv[4], Errors.NOT_POSITIVE);
            // Redis would try to allocate any size and abort when it cannot; Panda refuses what no string may hold.
            if (size > c.server().config().getLong("proto-max-bulk-len")) {
                r.error(Errors.STRING_TOO_LONG);
                return;
            }
        }
        // %s in Redis's format: the prefix ends at its first zero byte.
        byte[] prefix = argv.length == 3 ? KEY_PREFIX : cString(argv[3]);
        Database db = db(c);
        // As Redis's dictExpand(count): room for count keys in all, made at once rather than by doubling,
        // but no more than the heap could hold (Redis aborts when its allocation fails).
        long room = Math.min(count, Runtime.getRuntime().maxMemory() / POPULATE_KEY_MIN_BYTES);
        db.reserve((int) Math.max(0, Math.min(Integer.MAX_VALUE, room) - db.size()));
        Strings strings = db.strings();
        byte[] name = new byte[prefix.length + 1 + 20];
        System.arraycopy(prefix, 0, name, 0, prefix.length);
        name[prefix.length] = ':';
        byte[] value = new byte[(int) Math.max(size, VALUE_PREFIX.length + 20)];
        System.arraycopy(VALUE_PREFIX, 0, value, 0, VALUE_PREFIX.length);
        for (long j = 0; j < count; j++) {
            int nameLength = prefix.length + 1 + RedisIntegers.writeDecimal(j, name, prefix.length + 1);
            byte[] key = java.util.Arrays.copyOf(name, Math.min(nameLength, POPULATE_KEY_MAX));
            // The text only gets longer as j grows: it overwrites the previous one, and past it the buffer is still zeros.
            int textLength = VALUE_PREFIX.length + RedisIntegers.writeDecimal(j, value, VALUE_PREFIX.length);
            int valueLength = size == 0 ? textLength : (int) size;
            strings.setIfAbsent(key, value, 0, valueLength, Strings.PLAIN);
        }
        r.ok();
    }

    private static final byte[] KEY_PREFIX = {'k', 'e', 'y'};
    private static final byte[] VALUE_PREFIX = {'v', 'a', 'l', 'u', 'e', ':'};

    /** The bytes up to the first zero byte, as C's %s reads an argument. */
    private static byte[] cString(byte[] s) {
        for (int i = 0; i < s.length; i++) {
            if (s[i] == 0) {
                return java.util.Arrays.copyOf(s, i);
            }
        }
        return s;
    }

    /**
     * DEBUG HTSTATS dbid: Redis's dictGetStats text for the database's key table, then for its
     * expires. Panda has no expires table (a key's deadline is in its entry, and active expiry
     * walks a heap), so that part gives the number of keys with a deadline and says so.
     */
    private static void htstats(Client c, byte[] arg, Reply r) {
        long dbid = Args.parseLong(arg);
        var keyspace = c.server().keyspace();
        if (dbid < 0 || dbid >= keyspace.databaseCount()) {
            r.error("ERR Out of range database");
            return;
        }
        Database db = keyspace.db((int) dbid);
        StringBuilder text = new StringBuilder("[Dictionary HT]\n");
        tableStats(db.tableStats(), text);
        text.append("[Expires HT]\n");
        int expiring = db.expiresSize();
        if (expiring == 0) {
            text.append(EMPTY_TABLE);
        } else {
            text.append(MAIN_TABLE).append(" number of elements: ").append(expiring).append('\n')
                    .append(" (Panda keeps deadlines in the keys' entries and a heap, not in a hash table)\n");
        }
        r.verbatim(text.toString());
    }

    /** DEBUG HTSTATS-KEY key: the stats of the hash table a value is held in, where it is one. */
    private static void htstatsKey(Client c, byte[] key, Reply r) {
        Database db = db(c);
        if (db.encoding(key) == null) {
            r.error("ERR no such key");
            return;
        }
        KeyTable.Stats stats = db.valueTableStats(key);
        if (stats == null) {
            r.error("ERR The value stored at the specified key is not represented using an hash table");
            return;
        }
        StringBuilder text = new StringBuilder();
        tableStats(stats, text);
        r.verbatim(text.toString());
    }

    private static final String MAIN_TABLE = "Hash table 0 stats (main hash table):\n";
    private static final String EMPTY_TABLE = MAIN_TABLE + "No stats available for empty dictionaries\n";

    /**
     * Redis's _dictGetStatsHt lines for one of Panda's tables, which use open addressing: a
     * "chain" is the keys whose home slot is the same (Redis's keys of one bucket), and a last
     * line, Panda's own, gives the longest probe. Panda grows a table at once, so there is never
     * a second table being rehashed into.
     */
    private static void tableStats(KeyTable.Stats s, StringBuilder out) {
        if (s.size() == 0) {
            out.append(EMPTY_TABLE);
            return;
        }
        out.append(MAIN_TABLE)
                .append(" table size: ").append(s.capacity()).append('\n')
                .append(" number of elements: ").append(s.size()).append('\n')
                .append(" different slots: ").append(s.homes()).append('\n')
                .append(" max chain length: ").append(s.maxChain()).append('\n')
                .append(" avg chain length (counted): ").append(twoDecimals((float) s.size() / s.homes())).append('\n')
                .append(" avg chain length (computed): ").append(twoDecimals((float) s.size() / s.homes())).append('\n')
                .append(" Chain length distribution:\n");
        long[] chains = s.chains();
        for (int i = 0; i < chains.length - 1; i++) { // as Redis, the last place (longer chains) is not listed
            if (chains[i] != 0) {
                out.append("   ").append(i).append(": ").append(chains[i])
                        .append(" (").append(twoDecimals((float) chains[i] / s.capacity() * 100)).append("%)\n");
            }
        }
        out.append(" open addressing, longest probe: ").append(s.maxProbe()).append('\n');
    }

    /** printf's "%.02f" of a float: its exact binary value rounded, a tie to even (Java's %f rounds a tie up). */
    private static String twoDecimals(float v) {
        return new java.math.BigDecimal(v).setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }

    /** The test values of debug.c, in the connection's protocol. */
    private static void protocol(String name, Reply r) {
        switch (name) {
            case "string" -> r.bulk("Hello World");
            case "integer" -> r.integer(12345);
            case "double" -> r.doubleValue(3.141);
            case "bignum" -> r.bigNumber("1234567999999999999999999999999999999");
            case "null" -> r.nullBulk();
            case "array" -> {
                r.array(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                }
            }
            case "set" -> {
                r.set(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                }
            }
            case "map" -> {
                r.map(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                    r.bool(j == 1);
                }
            }
            case "attrib" -> {
                if (r.protocol() >= 3) {
                    r.attribute(1);
                    r.bulk("key-popularity");
                    r.array(2);
                    r.bulk("key:123");
                    r.integer(90);
                }
                r.bulk("Some real reply following the attribute");
            }
            case "push" -> {
                if (r.protocol() < 3) {
                    r.error("ERR RESP2 is not supported by this command");
                    return;
                }
                r.push(2);
                r.bulk("server-cpu-usage");
                r.integer(42);
                r.bulk("Some real reply following the push reply");
            }
            case "true" -> r.bool(true);
            case "false" -> r.bool(false);
            case "verbatim" -> r.verbatim("This is a verbatim\nstring");
            default -> r.error("ERR Wrong protocol type name. Please use one of the following: "
                    + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
        }
    }

    /**
     * Redis's stringmatchlen fuzz test: random patterns against random strings, which must not
     * crash. Fewer rounds than Redis's ten million, so the store thread stops for milliseconds.
     */
    private static void stringmatchFuzz() {
        SplittableRandom random = new SplittableRandom();
        for (int cycle = 0; cycle < 100_000; cycle++) {
            byte[] s = new byte[random.nextInt(32)];
            byte[] p = new byte[random.nextInt(32)];
            for (int j = 0; j < s.length; j++) {
                s[j] = (byte) random.nextInt(128);
            }
            for (int j = 0; j < p.length; j++) {
                p[j] = (byte) random.nextInt(128);
            }
            Glob.matches(p, s, false);
        }
    }

    /**
     * As Redis: a memory value up to 4 GB less 1 MB (0: the default, 1 GB). Validated only, not
     * kept: Panda stores every list element in a packed node, whatever its size.
     */
    private static void packedThreshold(String arg, Reply r) {
        long size;
        try {
            size = arg.startsWith("-") || arg.isEmpty() ? -1 : Directive.parseMemory(arg);
        } catch (IllegalArgumentException e) {
            size = -1;
        }
        if (size < 0 || size > (1L << 32) - (1 << 20)) {
            r.error("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
            return;
        }
        r.ok();
    }

    /**
     * DEBUG LISTPACK and DEBUG QUICKLIST: Redis prints the structure on its standard output;
     * Panda writes a summary of it to its log, and gives Redis's replies and errors.
     */
    private static void structure(Client c, byte[] key, boolean quicklist, Reply r) {
        Database db = db(c);
        Encoding enc = db.encoding(key);
        if (enc == null) {
            r.error("ERR no such key");
            return;
        }
        if (quicklist) {
            if (enc != Encoding.QUICKLIST) {
                r.error("ERR Not a quicklist encoded object.");
                return;
            }
            Database.ObjectInfo info = db.debugObject(key);
            LOG.info("quicklist {}: {} nodes, {} elements, {} bytes", Args.text(key), info.nodes(), info.elements(),
                    info.packedBytes());
            r.simple("Quicklist structure printed on stdout");
        } else {
            if (enc != Encoding.LISTPACK_HASH && enc != Encoding.LISTPACK_ZSET) {
                r.error("ERR Not a listpack encoded object.");
                return;
            }
            LOG.info("listpack {}: a {} of {} bytes in memory", Args.text(key), enc.type().typeName(), db.memoryUsage(key));
            r.simple("Listpack structure printed on stdout");
        }
    }
}
