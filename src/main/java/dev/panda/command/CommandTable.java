package dev.panda.command;

import dev.panda.command.connection.ClientCommands;
import dev.panda.command.connection.ConnectionCommands;
import dev.panda.command.geo.GeoCommands;
import dev.panda.command.pubsub.PubSubCommands;
import dev.panda.command.script.FunctionCommands;
import dev.panda.command.script.ScriptCommands;
import dev.panda.command.transaction.TransactionCommands;
import dev.panda.command.hash.HashCommands;
import dev.panda.command.list.ListCommands;
import dev.panda.command.stream.StreamCommands;
import dev.panda.command.zset.ZsetCommands;
import dev.panda.command.set.SetCommands;
import dev.panda.command.key.KeyCommands;
import dev.panda.command.server.CommandCommands;
import dev.panda.command.server.ConfigCommands;
import dev.panda.command.server.DebugCommands;
import dev.panda.command.server.DiagnosticCommands;
import dev.panda.command.server.MemoryCommands;
import dev.panda.command.server.PersistenceCommands;
import dev.panda.command.server.ServerCommands;
import dev.panda.command.string.StringCommands;
import dev.panda.protocol.Reply;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every command Panda serves, registered explicitly below and read top to bottom. Each
 * command's arity, flags, key positions and documentation come from {@code commands.json},
 * captured from Redis 7's own COMMAND INFO / COMMAND DOCS (scripts/dev/capture-command-table.py),
 * so arity checks, COMMAND replies and redis-cli hints are Redis's. Commands Redis 7.0 lacks
 * (Panda's aliases, newer CLIENT subcommands) are described here.
 *
 * <p>Built once at start-up; read on the store thread.
 */
public final class CommandTable {
    private static final JsonFactory JSON = new JsonFactory();

    /** A command's COMMAND INFO entry and COMMAND DOCS map, as reply values. */
    private record Description(List<?> info, Map<?, ?> docs) {
    }

    private final Map<String, Description> redis = new HashMap<>();
    private final Map<String, CommandSpec> byName = new LinkedHashMap<>();
    private final List<CommandSpec> everything = new ArrayList<>();
    /** Open-addressing index by lower-cased name bytes, so lookups allocate nothing. */
    private CommandSpec[] index = new CommandSpec[512];

    public CommandTable() {
        loadRedisTable();
        StringCommands strings = new StringCommands();
        KeyCommands keys = new KeyCommands();
        HashCommands hashes = new HashCommands();
        ListCommands lists = new ListCommands();
        ZsetCommands zsets = new ZsetCommands();
        GeoCommands geo = new GeoCommands();
        TransactionCommands transactions = new TransactionCommands();
        PubSubCommands pubsub = new PubSubCommands();
        ScriptCommands scripts = new ScriptCommands();
        FunctionCommands functions = new FunctionCommands();
        StreamCommands streams = new StreamCommands();
        SetCommands sets = new SetCommands();
        ConnectionCommands connection = new ConnectionCommands();
        ServerCommands serverCommands = new ServerCommands();
        ClientCommands client = new ClientCommands();
        ConfigCommands config = new ConfigCommands();
        CommandCommands command = new CommandCommands();
        PersistenceCommands persistence = new PersistenceCommands();
        DiagnosticCommands diagnostics = new DiagnosticCommands();
        MemoryCommands memory = new MemoryCommands();

        // Strings
        add("get", strings::get);
        add("set", strings::set);
        add("setnx", strings::setnx);
        add("setex", strings::setex);
        add("psetex", strings::psetex);
        add("getset", strings::getset);
        add("getdel", strings::getdel);
        add("getex", strings::getex);
        add("mget", strings::mget);
        add("mset", strings::mset);
        add("msetnx", strings::msetnx);
        add("append", strings::append);
        add("strlen", strings::strlen);
        add("incr", strings::incr);
        add("decr", strings::decr);
        add("incrby", strings::incrby);
        add("decrby", strings::decrby);
        add("incrbyfloat", strings::incrbyfloat);
        add("getrange", strings::getrange);
        add("substr", strings::getrange);
        add("setrange", strings::setrange);
        add("lcs", strings::lcs);
        dev.panda.command.string.HyperLogLogCommands hll = new dev.panda.command.string.HyperLogLogCommands();
        add("pfadd", hll::pfadd);
        add("pfcount", hll::pfcount);
        add("pfmerge", hll::pfmerge);
        dev.panda.command.string.BitCommands bits = new dev.panda.command.string.BitCommands();
        add("setbit", bits::setbit);
        add("getbit", bits::getbit);
        add("bitcount", bits::bitcount);
        add("bitpos", bits::bitpos);
        add("bitop", bits::bitop);
        add("bitfield", bits::bitfield);
        add("bitfield_ro", bits::bitfieldRo);
        dev.panda.command.sort.SortCommands sort = new dev.panda.command.sort.SortCommands();
        add("sort", sort::sort);
        dev.panda.command.key.DumpCommands dumps = new dev.panda.command.key.DumpCommands();
        add("dump", dumps::dump);
        add("restore", dumps::restore);
        add("sort_ro", sort::sortRo);

        // Lists
        add("lpush", lists::lpush);
        add("rpush", lists::rpush);
        add("lpushx", lists::lpushx);
        add("rpushx", lists::rpushx);
        add("lpop", lists::lpop);
        add("rpop", lists::rpop);
        add("llen", lists::llen);
        add("lrange", lists::lrange);
        add("lindex", lists::lindex);
        add("lset", lists::lset);
        add("linsert", lists::linsert);
        add("lrem", lists::lrem);
        add("ltrim", lists::ltrim);
        add("lpos", lists::lpos);
        add("lmove", lists::lmove);
        add("rpoplpush", lists::rpoplpush);
        add("lmpop", lists::lmpop);
        add("blpop", lists::blpop);
        add("brpop", lists::brpop);
        add("blmove", lists::blmove);
        add("brpoplpush", lists::brpoplpush);
        add("blmpop", lists::blmpop);

        // Streams
        add("xadd", streams::xadd);
        add("xlen", streams::xlen);
        add("xrange", streams::xrange);
        add("xrevrange", streams::xrevrange);
        add("xdel", streams::xdel);
        add("xtrim", streams::xtrim);
        add("xsetid", streams::xsetid);
        add("xread", streams::xread);
        add("xreadgroup", streams::xreadgroup);
        add("xack", streams::xack);
        add("xpending", streams::xpending);
        add("xclaim", streams::xclaim);
        add("xautoclaim", streams::xautoclaim);
        addContainer("xgroup", Map.of(
                "create", streams::xgroupCreate,
                "setid", streams::xgroupSetid,
                "destroy", streams::xgroupDestroy,
                "createconsumer", streams::xgroupCreateconsumer,
                "delconsumer", streams::xgroupDelconsumer,
                "help", streams::xgroupHelp));
        addContainer("xinfo", Map.of(
                "stream", streams::xinfoStream,
                "groups", streams::xinfoGroups,
                "consumers", streams::xinfoConsumers,
                "help", streams::xinfoHelp));

        // Sorted sets
        add("zadd", zsets::zadd);
        add("zincrby", zsets::zincrby);
        add("zrem", zsets::zrem);
        add("zcard", zsets::zcard);
        add("zscore", zsets::zscore);
        add("zmscore", zsets::zmscore);
        add("zrank", zsets::zrank);
        add("zrevrank", zsets::zrevrank);
        add("zcount", zsets::zcount);
        add("zlexcount", zsets::zlexcount);
        add("zrange", zsets::zrange);
        add("zrangestore", zsets::zrangestore);
        add("zrevrange", zsets::zrevrange);
        add("zrangebyscore", zsets::zrangebyscore);
        add("zrevrangebyscore", zsets::zrevrangebyscore);
        add("zrangebylex", zsets::zrangebylex);
        add("zrevrangebylex", zsets::zrevrangebylex);
        add("zremrangebyrank", zsets::zremrangebyrank);
        add("zremrangebyscore", zsets::zremrangebyscore);
        add("zremrangebylex", zsets::zremrangebylex);
        add("zpopmin", zsets::zpopmin);
        add("zpopmax", zsets::zpopmax);
        add("zmpop", zsets::zmpop);
        add("bzpopmin", zsets::bzpopmin);
        add("bzpopmax", zsets::bzpopmax);
        add("bzmpop", zsets::bzmpop);
        add("zrandmember", zsets::zrandmember);
        add("zscan", zsets::zscan);
        add("zunion", zsets::zunion);
        add("zinter", zsets::zinter);
        add("zdiff", zsets::zdiff);
        add("zunionstore", zsets::zunionstore);
        add("zinterstore", zsets::zinterstore);
        add("zdiffstore", zsets::zdiffstore);
        add("zintercard", zsets::zintercard);

        // Transactions
        add("multi", transactions::multi);
        add("exec", transactions::exec);
        add("discard", transactions::discard);
        add("watch", transactions::watch);
        add("unwatch", transactions::unwatch);

        // Pub/Sub
        add("subscribe", pubsub::subscribe);
        add("unsubscribe", pubsub::unsubscribe);
        add("psubscribe", pubsub::psubscribe);
        add("punsubscribe", pubsub::punsubscribe);
        add("ssubscribe", pubsub::ssubscribe);
        add("sunsubscribe", pubsub::sunsubscribe);
        add("publish", pubsub::publish);
        add("spublish", pubsub::spublish);
        Map<String, CommandHandler> pubsubSubcommands = new LinkedHashMap<>();
        pubsubSubcommands.put("channels", pubsub::channels);
        pubsubSubcommands.put("numsub", pubsub::numsub);
        pubsubSubcommands.put("numpat", pubsub::numpat);
        pubsubSubcommands.put("shardchannels", pubsub::shardchannels);
        pubsubSubcommands.put("shardnumsub", pubsub::shardnumsub);
        pubsubSubcommands.put("help", pubsub::help);
        addContainer("pubsub", pubsubSubcommands);

        // Scripting
        add("eval", scripts::eval);
        add("eval_ro", scripts::evalRo);
        add("evalsha", scripts::evalsha);
        add("evalsha_ro", scripts::evalshaRo);
        Map<String, CommandHandler> scriptSubcommands = new LinkedHashMap<>();
        scriptSubcommands.put("load", scripts::load);
        scriptSubcommands.put("exists", scripts::exists);
        scriptSubcommands.put("flush", scripts::flush);
        scriptSubcommands.put("kill", scripts::kill);
        scriptSubcommands.put("debug", scripts::debug);
        scriptSubcommands.put("help", scripts::help);
        addContainer("script", scriptSubcommands);
        add("fcall", functions::fcall);
        add("fcall_ro", functions::fcallRo);
        Map<String, CommandHandler> functionSubcommands = new LinkedHashMap<>();
        functionSubcommands.put("load", functions::load);
        functionSubcommands.put("delete", functions::delete);
        functionSubcommands.put("list", functions::list);
        functionSubcommands.put("flush", functions::flush);
        functionSubcommands.put("dump", functions::dump);
        functionSubcommands.put("restore", functions::restore);
        functionSubcommands.put("stats", functions::stats);
        functionSubcommands.put("kill", functions::kill);
        functionSubcommands.put("help", functions::help);
        addContainer("function", functionSubcommands);

        // GEO, on sorted sets
        add("geoadd", geo::geoadd);
        add("geopos", geo::geopos);
        add("geodist", geo::geodist);
        add("geohash", geo::geohash);
        add("georadius", geo::georadius);
        add("georadius_ro", geo::georadiusRo);
        add("georadiusbymember", geo::georadiusbymember);
        add("georadiusbymember_ro", geo::georadiusbymemberRo);
        add("geosearch", geo::geosearch);
        add("geosearchstore", geo::geosearchstore);

        // Hashes
        add("hset", hashes::hset);
        add("hsetnx", hashes::hsetnx);
        add("hget", hashes::hget);
        add("hmget", hashes::hmget);
        add("hmset", hashes::hmset);
        add("hdel", hashes::hdel);
        add("hlen", hashes::hlen);
        add("hstrlen", hashes::hstrlen);
        add("hexists", hashes::hexists);
        add("hkeys", hashes::hkeys);
        add("hvals", hashes::hvals);
        add("hgetall", hashes::hgetall);
        add("hincrby", hashes::hincrby);
        add("hincrbyfloat", hashes::hincrbyfloat);
        add("hrandfield", hashes::hrandfield);
        add("hscan", hashes::hscan);

        // Sets
        add("sadd", sets::sadd);
        add("srem", sets::srem);
        add("smembers", sets::smembers);
        add("sismember", sets::sismember);
        add("smismember", sets::smismember);
        add("scard", sets::scard);
        add("spop", sets::spop);
        add("srandmember", sets::srandmember);
        add("smove", sets::smove);
        add("sinter", sets::sinter);
        add("sintercard", sets::sintercard);
        add("sinterstore", sets::sinterstore);
        add("sunion", sets::sunion);
        add("sunionstore", sets::sunionstore);
        add("sdiff", sets::sdiff);
        add("sdiffstore", sets::sdiffstore);
        add("sscan", sets::sscan);

        // Keys
        add("del", keys::del);
        add("unlink", keys::del);
        add("exists", keys::exists);
        add("touch", keys::touch);
        add("type", keys::type);
        add("rename", keys::rename);
        add("renamenx", keys::renamenx);
        add("copy", keys::copy);
        add("move", keys::move);
        add("randomkey", keys::randomkey);
        add("keys", keys::keys);
        add("scan", keys::scan);
        add("dbsize", keys::dbsize);
        add("expire", keys::expire);
        add("pexpire", keys::pexpire);
        add("expireat", keys::expireat);
        add("pexpireat", keys::pexpireat);
        add("ttl", keys::ttl);
        add("pttl", keys::pttl);
        add("expiretime", keys::expiretime);
        add("pexpiretime", keys::pexpiretime);
        add("persist", keys::persist);
        addContainer("object", Map.of(
                "encoding", keys::objectEncoding,
                "freq", keys::objectFreq,
                "idletime", keys::objectIdletime,
                "refcount", keys::objectRefcount,
                "help", keys::objectHelp));
        add("select", keys::select);
        add("swapdb", keys::swapdb);
        add("flushdb", keys::flushdb);
        add("flushall", keys::flushall);

        // Connection
        add("ping", connection::ping);
        add("echo", connection::echo);
        add("quit", connection::quit);
        add("reset", connection::reset);
        add("hello", connection::hello);
        add("auth", connection::auth);
        describe("client|setinfo", 4, List.of("noscript", "loading", "stale"), 0, 0, 0,
                "Set client or connection specific info", "7.2.0", "connection");
        describe("client|no-touch", 3, List.of("noscript", "loading", "stale"), 0, 0, 0,
                "Controls whether commands sent by the client will alter the LRU/LFU of the keys they access.", "7.2.0", "connection");
        Map<String, CommandHandler> clientSubcommands = new LinkedHashMap<>();
        clientSubcommands.put("id", client::id);
        clientSubcommands.put("setname", client::setname);
        clientSubcommands.put("getname", client::getname);
        clientSubcommands.put("setinfo", client::setinfo);
        clientSubcommands.put("info", client::info);
        clientSubcommands.put("list", client::list);
        clientSubcommands.put("kill", client::kill);
        clientSubcommands.put("unblock", client::unblock);
        clientSubcommands.put("pause", client::pause);
        clientSubcommands.put("unpause", client::unpause);
        clientSubcommands.put("no-evict", client::noEvict);
        clientSubcommands.put("no-touch", client::noTouch);
        clientSubcommands.put("reply", client::reply);
        clientSubcommands.put("tracking", client::tracking);
        clientSubcommands.put("caching", client::caching);
        clientSubcommands.put("getredir", client::getredir);
        clientSubcommands.put("trackinginfo", client::trackinginfo);
        clientSubcommands.put("help", client::help);
        addContainer("client", clientSubcommands);

        // Server
        add("info", serverCommands::info);
        dev.panda.command.acl.AclCommands acl = new dev.panda.command.acl.AclCommands();
        addContainer("acl", Map.ofEntries(
                Map.entry("cat", acl::cat),
                Map.entry("deluser", acl::deluser),
                Map.entry("dryrun", acl::dryrun),
                Map.entry("genpass", acl::genpass),
                Map.entry("getuser", acl::getuser),
                Map.entry("help", acl::help),
                Map.entry("list", acl::list),
                Map.entry("load", acl::load),
                Map.entry("log", acl::log),
                Map.entry("save", acl::save),
                Map.entry("setuser", acl::setuser),
                Map.entry("users", acl::users),
                Map.entry("whoami", acl::whoami)));
        addContainer("config", Map.of(
                "get", config::get,
                "set", config::set,
                "resetstat", config::resetstat,
                "rewrite", config::rewrite,
                "help", config::help));
        addContainer("command", Map.of(
                "count", command::count,
                "info", command::info,
                "docs", command::docs,
                "list", command::list,
                "getkeys", command::getkeys,
                "getkeysandflags", command::getkeysandflags,
                "help", command::help), command::all);
        add("time", serverCommands::time);
        add("lastsave", persistence::lastsave);
        add("save", persistence::save);
        add("bgsave", persistence::bgsave);
        add("bgrewriteaof", persistence::bgrewriteaof);
        add("shutdown", serverCommands::shutdown);
        add("debug", new DebugCommands()::debug);

        // Watching the server
        add("monitor", diagnostics::monitor);
        addContainer("slowlog", Map.of(
                "get", diagnostics::slowlogGet,
                "len", diagnostics::slowlogLen,
                "reset", diagnostics::slowlogReset,
                "help", diagnostics::slowlogHelp));
        addContainer("latency", Map.of(
                "latest", diagnostics::latencyLatest,
                "history", diagnostics::latencyHistory,
                "doctor", diagnostics::latencyDoctor,
                "graph", diagnostics::latencyGraph,
                "reset", diagnostics::latencyReset,
                "histogram", diagnostics::latencyHistogram,
                "help", diagnostics::latencyHelp));

        addContainer("memory", Map.of(
                "usage", memory::usage,
                "stats", memory::stats,
                "doctor", memory::doctor,
                "purge", memory::purge,
                "malloc-stats", memory::mallocStats,
                "help", memory::help));

        // The seed Panda client's words.
        describe("put", 3, List.of("write", "denyoom"), 1, 1, 1, "Alias of SET key value", "0.1.0", "string");
        add("put", strings::set);
        describe("delete", -2, List.of("write"), 1, -1, 1, "Alias of DEL", "0.1.0", "generic");
        add("delete", keys::del);
        describe("list", 1, List.of("readonly"), 0, 0, 0, "Alias of KEYS *", "0.1.0", "generic");
        add("list", keys::listAll);
        describe("size", 1, List.of("readonly", "fast"), 0, 0, 0, "Alias of DBSIZE", "0.1.0", "server");
        add("size", keys::dbsize);
        describe("snapshot", 1, List.of("noscript", "no_async_loading"), 0, 0, 0,
                "Takes a Parquet snapshot in the background (as BGSAVE)", "0.1.0", "server");
        add("snapshot", persistence::bgsave);
        describe("stats", 1, List.of("loading", "stale"), 0, 0, 0,
                "Storage statistics: backend, snapshot and WAL sizes, keys, pending changes", "0.1.0", "server");
        add("stats", persistence::stats);
        describe("help", 1, List.of("loading", "stale", "fast"), 0, 0, 0, "Lists the commands Panda serves", "0.1.0", "server");
        add("help", command::helpAll);
        assignAclIds();

    }

    @SuppressWarnings("unchecked")
    private void loadRedisTable() {
        try (InputStream in = CommandTable.class.getResourceAsStream("/panda/commands.json")) {
            if (in == null) {
                throw new IllegalStateException("commands.json missing from the classpath");
            }
            Map<String, Object> root;
            try (JsonParser parser = JSON.createParser(in)) {
                root = (Map<String, Object>) read(parser, parser.nextToken());
            }
            for (Object c : (List<?>) root.get("commands")) {
                Map<?, ?> command = (Map<?, ?>) c;
                List<?> info = (List<?>) command.get("info");
                Map<?, ?> docs = (Map<?, ?>) command.get("docs");
                redis.put((String) info.get(0), new Description(info, docs));
                Map<?, ?> subDocs = docs != null && docs.get("subcommands") instanceof Map<?, ?> m ? m : Map.of();
                for (Object sub : items(info.get(9))) {
                    String subName = (String) ((List<?>) sub).get(0);
                    redis.put(subName, new Description((List<?>) sub, (Map<?, ?>) subDocs.get(subName)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Describes a command that Redis 7.0's table lacks, in the same shape. */
    private void describe(String name, int arity, List<String> flags, int first, int last, int step,
                          String summary, String since, String group) {
        List<Object> flagReplies = new ArrayList<>();
        flags.forEach(f -> flagReplies.add(new Reply.Status(f)));
        List<Object> info = new ArrayList<>(List.of(name, (long) arity, new Reply.SetOf(flagReplies),
                (long) first, (long) last, (long) step));
        for (int i = 0; i < 4; i++) {
            info.add(new Reply.SetOf(List.of()));
        }
        Map<String, Object> docs = new LinkedHashMap<>();
        docs.put("summary", summary);
        docs.put("since", since);
        docs.put("group", group);
        redis.put(name, new Description(info, docs));
    }

    private void add(String name, CommandHandler handler) {
        index(build(name, handler, Map.of()));
    }

    private void addContainer(String name, Map<String, CommandHandler> subcommands) {
        addContainer(name, subcommands, null);
    }

    /** A command with subcommands; {@code bare} runs when it is called with none (COMMAND). */
    private void addContainer(String name, Map<String, CommandHandler> subcommands, CommandHandler bare) {
        // Subcommands in the order commands.json lists them (Map.of's order changes from run to
        // run), then those Redis 7.0 lacks, by name.
        List<String> order = new ArrayList<>();
        Description container = redis.get(name);
        if (container != null) {
            items(container.info().get(9)).forEach(sub -> order.add((String) ((List<?>) sub).get(0)));
        }
        List<String> names = new ArrayList<>(subcommands.keySet());
        names.sort(java.util.Comparator.comparingInt((String sub) -> {
            int at = order.indexOf(name + "|" + sub);
            return at < 0 ? Integer.MAX_VALUE : at;
        }).thenComparing(sub -> sub));
        Map<String, CommandSpec> subs = new LinkedHashMap<>();
        names.forEach(sub -> subs.put(sub, build(name + "|" + sub, subcommands.get(sub), Map.of())));
        index(build(name, bare, subs));
    }

    /** The elements of a captured array, whether plain or a RESP3 set ({"~": [...]}). */
    private static List<?> items(Object value) {
        return value instanceof Reply.SetOf set ? set.items() : (List<?>) value;
    }

    /**
     * Reads the JSON value starting at {@code token} as a reply value: {"+": s} is a status,
     * {"~": [...]} a set, other objects maps (in order), arrays lists, integers longs, other
     * scalars their text, null null.
     */
    private static Object read(JsonParser parser, JsonToken token) throws IOException {
        if (token == null) {
            throw new IOException("commands.json ends early");
        }
        switch (token) {
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken t; (t = parser.nextToken()) != JsonToken.END_ARRAY; ) {
                    list.add(read(parser, t));
                }
                return list;
            }
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    map.put(field, read(parser, parser.nextToken()));
                }
                if (map.size() == 1 && map.get("+") instanceof String status) {
                    return new Reply.Status(status);
                }
                if (map.size() == 1 && map.get("~") instanceof List<?> set) {
                    return new Reply.SetOf(set);
                }
                return map;
            }
            case VALUE_NUMBER_INT -> {
                return parser.getLongValue();
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> {
                return parser.getText();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private CommandSpec build(String name, CommandHandler handler, Map<String, CommandSpec> subcommands) {
        Description entry = redis.get(name);
        if (entry == null) {
            throw new IllegalStateException("no description of command '" + name + "' in commands.json");
        }
        List<?> info = entry.info();
        Set<String> flags = new HashSet<>();
        items(info.get(2)).forEach(f -> flags.add(((Reply.Status) f).text()));
        Set<String> aclCategories = new HashSet<>();
        items(info.get(6)).forEach(f -> aclCategories.add(((Reply.Status) f).text()));
        // copies: a container's entry gets its subcommands' replies below
        List<Object> infoReply = new ArrayList<>(info);
        Map<String, Object> docs = entry.docs() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>((Map<String, Object>) entry.docs());
        if (!subcommands.isEmpty()) {
            List<Object> subInfos = new ArrayList<>();
            Map<String, Object> subDocs = new LinkedHashMap<>();
            for (CommandSpec sub : subcommands.values()) {
                subInfos.add(sub.info());
                subDocs.put(sub.name(), sub.docs());
            }
            infoReply.set(9, new Reply.SetOf(subInfos));
            docs.put("subcommands", subDocs);
        }
        return new CommandSpec(name, number(info.get(1)), flags, aclCategories, number(info.get(3)), number(info.get(4)),
                number(info.get(5)), infoReply, docs, subcommands, handler,
                info.size() > 8 ? KeySpec.parse(items(info.get(8))) : List.of());
    }

    private static int number(Object value) {
        return ((Long) value).intValue();
    }

    private void index(CommandSpec spec) {
        byName.put(spec.name(), spec);
        byte[] name = spec.name().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int i = slot(name, 0, name.length);
        while (index[i] != null) {
            i = (i + 1) & (index.length - 1);
        }
        index[i] = spec;
    }

    private int slot(byte[] name, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + lower(name[i]);
        }
        h ^= h >>> 16;
        return h & (index.length - 1);
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    /** The command named by {@code name} in any letter case, or null. */
    public CommandSpec find(byte[] name) {
        int i = slot(name, 0, name.length);
        CommandSpec spec;
        while ((spec = index[i]) != null) {
            if (Args.is(name, spec.name())) {
                return spec;
            }
            i = (i + 1) & (index.length - 1);
        }
        return null;
    }

    public CommandSpec find(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    public Collection<CommandSpec> all() {
        return byName.values();
    }

    /** Every command and subcommand, each container followed by its subcommands (ACL's order). */
    public List<CommandSpec> allWithSubcommands() {
        return everything;
    }

    /** Numbers every command and subcommand for ACL bitmaps; called once the table is complete. */
    private void assignAclIds() {
        for (CommandSpec spec : byName.values()) {
            spec.aclId = everything.size();
            everything.add(spec);
            for (CommandSpec sub : spec.subcommands().values()) {
                sub.aclId = everything.size();
                everything.add(sub);
            }
        }
    }

    public void resetStats() {
        byName.values().forEach(CommandSpec::resetStats);
    }
}
