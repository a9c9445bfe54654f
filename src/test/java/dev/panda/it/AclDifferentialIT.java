package dev.panda.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seeded random ACL rules against Panda and Debian's real redis-server: each round changes one
 * user with random rules (valid and not), and the SETUSER replies, the user's flags, passwords,
 * keys, channels and selectors, and ACL DRYRUN of random commands of every family must be the
 * same. The command rules' text is compared through DRYRUN rather than as text: where several
 * single commands are listed Redis orders them by its hash table. Key positions and flags are
 * compared through COMMAND GETKEYSANDFLAGS. {@code -Dacl.seed=N} replays a run.
 * Test thread.
 */
class AclDifferentialIT {
    private static final long SEED = Long.getLong("acl.seed", System.nanoTime());
    private static final int ROUNDS = Integer.getInteger("acl.rounds", 300);
    private static final List<String> COMMANDS = List.of("get", "set", "del", "mget", "mset", "hget", "hset", "hdel",
            "lpush", "lrange", "lmove", "sadd", "smembers", "sinterstore", "zadd", "zrange", "zunionstore", "publish",
            "subscribe", "psubscribe", "config|get", "config|set", "client|list", "eval", "sort", "xadd", "xread",
            "incr", "copy", "rename", "flushall", "keys", "scan", "ping", "object|encoding", "bitfield", "georadius");
    private static final List<String> CATEGORIES = List.of("keyspace", "read", "write", "set", "sortedset", "list",
            "hash", "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking",
            "dangerous", "connection", "transaction", "scripting", "nosuch");
    private static final List<String> PATTERNS = List.of("*", "k*", "s*", "h*", "l?", "z[0-9]*", "k1", "ch*", "news",
            "a\\*");

    private static RunningPanda panda;
    private static RealRedis redis;

    @BeforeAll
    static void start() throws Exception {
        redis = RealRedis.startOrSkip();
        panda = new RunningPanda("--appendonly", "no");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (panda != null) {
            panda.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static String pattern(Random r) {
        return PATTERNS.get(r.nextInt(PATTERNS.size()));
    }

    private static String rule(Random r, boolean inSelector) {
        int kind = r.nextInt(inSelector ? 14 : 20);
        return switch (kind) {
            case 0 -> "~" + pattern(r);
            case 1 -> (r.nextBoolean() ? "%R~" : r.nextBoolean() ? "%W~" : "%RW~") + pattern(r);
            case 2 -> "&" + pattern(r);
            case 3 -> List.of("allkeys", "resetkeys", "allchannels", "resetchannels").get(r.nextInt(4));
            case 4, 5, 6 -> (r.nextBoolean() ? "+" : "-") + COMMANDS.get(r.nextInt(COMMANDS.size()));
            case 7, 8 -> (r.nextBoolean() ? "+@" : "-@") + CATEGORIES.get(r.nextInt(CATEGORIES.size()));
            case 9 -> List.of("allcommands", "nocommands", "+@all", "-@all").get(r.nextInt(4));
            case 10 -> "+select|" + r.nextInt(3);
            case 11 -> List.of("%X~k", "bogus", "~", "+config|get|x", "&").get(r.nextInt(5));
            case 12 -> "~k" + r.nextInt(3);
            case 13 -> "&ch" + r.nextInt(3);
            case 14 -> List.of("on", "off").get(r.nextInt(2));
            case 15 -> (r.nextBoolean() ? ">" : "<") + "pw" + r.nextInt(3);
            case 16 -> List.of("nopass", "resetpass", "reset", "clearselectors", "sanitize-payload").get(r.nextInt(5));
            default -> {
                StringBuilder sb = new StringBuilder("(");
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    sb.append(i == 0 ? "" : " ").append(rule(r, true));
                }
                yield sb.append(')').toString();
            }
        };
    }

    /** A command that may touch keys or channels: from the data families, or pub/sub and admin ones. */
    private static String[] command(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> new String[] {"PUBLISH", "ch" + r.nextInt(3), "m"};
            case 1 -> new String[] {"SUBSCRIBE", "ch" + r.nextInt(3), "news"};
            case 2 -> new String[] {"PSUBSCRIBE", List.of("ch*", "news", "x*").get(r.nextInt(3))};
            case 3 -> new String[] {"CONFIG", r.nextBoolean() ? "GET" : "SET", "maxmemory", "0"};
            case 4 -> new String[] {"SELECT", Integer.toString(r.nextInt(3))};
            default -> DifferentialIT.next(r, "mixed");
        };
    }

    /** GETUSER without the command rules' text (compared through DRYRUN). */
    private static List<String> userWithoutCommandText(RespConnection c) throws IOException {
        List<String> fields = AclContract.bulks(c.call("ACL", "GETUSER", "u"));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            out.add(fields.get(i));
            if (fields.get(i).equals("commands")) {
                i++;
            }
        }
        return out;
    }

    @Test
    void sameRulesSameVerdicts() throws IOException {
        Random random = new Random(SEED);
        try (RespConnection p = new RespConnection(panda.port); RespConnection r = new RespConnection(redis.port)) {
            for (RespConnection c : List.of(p, r)) {
                c.call("ACL", "DELUSER", "u");
            }
            List<String> history = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                List<String> setuser = new ArrayList<>(List.of("ACL", "SETUSER", "u"));
                int n = 1 + random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    setuser.add(rule(random, false));
                }
                String[] cmd = setuser.toArray(String[]::new);
                history.add(String.join(" ", setuser.subList(3, setuser.size())));
                String context = "seed " + SEED + " (-Dacl.seed), round " + round + ", rules so far: "
                        + history.subList(Math.max(0, history.size() - 8), history.size());
                assertThat(p.call(cmd)).as(context).isEqualTo(r.call(cmd));
                assertThat(userWithoutCommandText(p)).as(context).isEqualTo(userWithoutCommandText(r));
                for (int k = 0; k < 15; k++) {
                    String[] command = command(random);
                    List<String> dryrun = new ArrayList<>(List.of("ACL", "DRYRUN", "u"));
                    dryrun.addAll(List.of(command));
                    String[] d = dryrun.toArray(String[]::new);
                    assertThat(p.call(d)).as(context + "\nDRYRUN " + String.join(" ", command)).isEqualTo(r.call(d));
                }
            }
        }
    }

    /**
     * The keys ACLs check are the keys COMMAND GETKEYSANDFLAGS reports: for random commands of
     * every family both servers name the same arguments with the same access flags.
     */
    @Test
    void sameKeysAndFlagsAsRedis() throws IOException {
        Random random = new Random(SEED + 1);
        List<String> families = List.of("string", "hash", "set", "list", "zset", "geo", "keys", "hll", "bitmap", "stream");
        try (RespConnection p = new RespConnection(panda.port); RespConnection r = new RespConnection(redis.port)) {
            for (int i = 0; i < 3000; i++) {
                String[] command = i % 5 == 0 ? DifferentialIT.scriptOf(random)
                        : DifferentialIT.next(random, families.get(random.nextInt(families.size())));
                List<String> args = new ArrayList<>(List.of("COMMAND", "GETKEYSANDFLAGS"));
                args.addAll(List.of(command));
                String[] getkeys = args.toArray(String[]::new);
                assertThat(p.call(getkeys)).as("seed " + SEED + ": " + String.join(" ", command)).isEqualTo(r.call(getkeys));
            }
        }
    }
}
