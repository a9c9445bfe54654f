package dev.panda.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random command sequences, per family (strings, hashes, sets, and all mixed with key
 * commands), run against Panda and against Debian's real redis-server: every reply must be the
 * same (replies whose order Redis leaves open are compared sorted), and the whole dataset (type,
 * encoding, deadline, contents of every key) after every batch. Small encoding thresholds make
 * the packed encodings convert often. {@code -Ddifferential.seed=N} replays a run,
 * {@code -Ddifferential.commands=N} makes it longer. Test thread.
 */
class DifferentialIT {
    private static final long SEED = Long.getLong("differential.seed", System.nanoTime());
    private static final int COMMANDS = Integer.getInteger("differential.commands", 3000);
    private static final int BATCH = 100;

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

    @ParameterizedTest
    @ValueSource(strings = {"string", "hash", "set", "list", "zset", "geo", "mixed", "script", "transaction", "hll", "bitmap", "stream", "float"})
    void sameRepliesAndSameDataset(String family) throws IOException {
        long seed = SEED + family.hashCode();
        Random random = new Random(seed);
        try (RespConnection p = new RespConnection(panda.port); RespConnection r = new RespConnection(redis.port)) {
            for (RespConnection c : List.of(p, r)) {
                c.call("FLUSHALL");
                c.call("CONFIG", "SET", "hash-max-listpack-entries", "8");
                c.call("CONFIG", "SET", "hash-max-listpack-value", "16");
                c.call("CONFIG", "SET", "set-max-intset-entries", "8");
                c.call("CONFIG", "SET", "zset-max-listpack-entries", "8");
                c.call("CONFIG", "SET", "zset-max-listpack-value", "16");
            }
            List<String> history = new ArrayList<>();
            for (int i = 0; i < COMMANDS; i++) {
                String[] command = switch (family) {
                    case "script" -> scriptOf(random);
                    case "transaction" -> {
                        String[][] queued = batchOf(random);
                        for (String[] q : queued) {
                            assertThat(p.call(q)).as("queueing %s", String.join(" ", q)).isEqualTo(r.call(q));
                        }
                        yield new String[] {"EXEC"};
                    }
                    default -> next(random, family);
                };
                history.add(String.join(" ", command));
                if (System.getProperty("differential.trace") != null) {
                    java.nio.file.Files.writeString(java.nio.file.Path.of(System.getProperty("differential.trace")),
                            family + " " + i + ": " + String.join(" ", command) + "\n", java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.APPEND);
                }
                String context = "family " + family + ", seed " + SEED + " (-Ddifferential.seed), command " + i + ": "
                        + String.join(" ", command) + "\nlast commands: " + history.subList(Math.max(0, history.size() - 10), history.size());
                assertThat(normalize(command, p.call(command))).as(context).isEqualTo(normalize(command, r.call(command)));
                if (i % BATCH == BATCH - 1 || i == COMMANDS - 1) {
                    if (family.equals("stream")) {
                        for (int s = 0; s < 3; s++) { // contents, counters and groups; no times (they differ) and no rax internals
                            String k = "s" + s;
                            assertThat(p.call("XRANGE", k, "-", "+")).as(context).isEqualTo(r.call("XRANGE", k, "-", "+"));
                            assertThat(p.call("XINFO", "GROUPS", k)).as(context).isEqualTo(r.call("XINFO", "GROUPS", k));
                            assertThat(streamInfo(p, k)).as(context).isEqualTo(streamInfo(r, k));
                            assertThat(p.call("XPENDING", k, "g0")).as(context).isEqualTo(r.call("XPENDING", k, "g0"));
                        }
                    } else if (family.equals("hll") || family.equals("bitmap")) {
                        String prefix = family.equals("hll") ? "hll" : "bm";
                        for (int h = 0; h < 4; h++) { // binary values: compared as bytes
                            byte[] pv = p.callForBulk("GET", prefix + h);
                            byte[] rv = r.callForBulk("GET", prefix + h);
                            assertThat(pv == null ? "nil" : java.util.HexFormat.of().formatHex(pv)).as(context)
                                    .isEqualTo(rv == null ? "nil" : java.util.HexFormat.of().formatHex(rv));
                        }
                    } else {
                        assertThat(CollectionsDurabilityIT.dump(p, 2)).as(context).isEqualTo(CollectionsDurabilityIT.dump(r, 2));
                    }
                }
            }
            for (RespConnection c : List.of(p, r)) {
                c.call("CONFIG", "SET", "hash-max-listpack-entries", "512");
                c.call("CONFIG", "SET", "hash-max-listpack-value", "64");
                c.call("CONFIG", "SET", "set-max-intset-entries", "512");
                c.call("CONFIG", "SET", "zset-max-listpack-entries", "128");
                c.call("CONFIG", "SET", "zset-max-listpack-value", "64");
            }
        }
    }

    /**
     * DUMP from redis-server RESTOREs in Panda with the same contents, and DUMP from Panda in
     * redis-server, for every type in each encoding Redis 7.0 writes (intset, listpack, quicklist,
     * hash table, skip list, LZF-compressed and integer-encoded strings).
     */
    @org.junit.jupiter.api.Test
    void dumpAndRestoreAcrossServers() throws IOException {
        List<String[]> setup = List.of(
                new String[] {"SET", "s1", "hello"}, new String[] {"SET", "s2", "12345"}, new String[] {"SET", "s3", "abc".repeat(40)},
                new String[] {"RPUSH", "l1", "a", "b", "1", "-2"},
                new String[] {"SADD", "set1", "1", "2", "-3", "70000", "5000000000"}, new String[] {"SADD", "set2", "a", "b", "c"},
                new String[] {"HSET", "h1", "f", "v", "n", "1"}, new String[] {"ZADD", "z1", "1", "a", "2.5", "b", "-inf", "c"});
        List<String> keys = List.of("s1", "s2", "s3", "l1", "l2", "set1", "set2", "set3", "h1", "h2", "z1", "z2");
        try (RespConnection p = new RespConnection(panda.port); RespConnection r = new RespConnection(redis.port)) {
            for (RespConnection c : List.of(p, r)) {
                c.call("FLUSHALL");
                for (String[] command : setup) {
                    c.call(command);
                }
                List<String> big = new ArrayList<>(List.of("RPUSH", "l2"));
                List<String> bigSet = new ArrayList<>(List.of("SADD", "set3"));
                List<String> bigHash = new ArrayList<>(List.of("HSET", "h2"));
                List<String> bigZset = new ArrayList<>(List.of("ZADD", "z2"));
                for (int i = 0; i < 600; i++) {
                    big.add("e" + i);
                    bigSet.add("m" + i);
                    bigHash.add("f" + i);
                    bigHash.add("v".repeat(i % 90));
                    bigZset.add(Double.toString(i * 1.5));
                    bigZset.add("m" + i);
                }
                c.call(big.toArray(new String[0]));
                c.call(bigSet.toArray(new String[0]));
                c.call(bigHash.toArray(new String[0]));
                c.call(bigZset.toArray(new String[0]));
            }
            for (String k : keys) {
                byte[] fromRedis = r.callForBulk("DUMP", k);
                assertThat(p.callBinary(b("RESTORE"), b("r_" + k), b("0"), fromRedis)).as(k).isEqualTo(RespConnection.OK);
                assertThat(CollectionsDurabilityIT.describe(p, "r_" + k).replaceAll("^(\\S+) \\S+", "$1"))
                        .as(k).isEqualTo(CollectionsDurabilityIT.describe(r, k).replaceAll("^(\\S+) \\S+", "$1"));
                byte[] fromPanda = p.callForBulk("DUMP", k);
                assertThat(r.callBinary(b("RESTORE"), b("p_" + k), b("0"), fromPanda)).as(k).isEqualTo(RespConnection.OK);
                assertThat(CollectionsDurabilityIT.describe(r, "p_" + k).replaceAll("^(\\S+) \\S+", "$1"))
                        .as(k).isEqualTo(CollectionsDurabilityIT.describe(p, k).replaceAll("^(\\S+) \\S+", "$1"));
            }
            for (RespConnection c : List.of(p, r)) {
                byte[] dump = c.callForBulk("DUMP", "s1");
                assertThat(c.callBinary(b("RESTORE"), b("s1"), b("0"), dump)).isEqualTo(RespConnection.error("BUSYKEY Target key name already exists."));
                byte[] damaged = dump.clone();
                damaged[1] ^= 1;
                assertThat(c.callBinary(b("RESTORE"), b("s9"), b("0"), damaged))
                        .isEqualTo(RespConnection.error("ERR DUMP payload version or checksum are wrong"));
                assertThat(c.callBinary(b("RESTORE"), b("s9"), b("-1"), dump)).isEqualTo(RespConnection.error("ERR Invalid TTL value, must be >= 0"));
                assertThat(c.callBinary(b("RESTORE"), b("s9"), b("100000"), dump)).isEqualTo(RespConnection.OK);
                assertThat(Long.parseLong(c.call("PTTL", "s9").substring(1).trim())).isBetween(90_000L, 100_000L);
                assertThat(c.callBinary(b("RESTORE"), b("s8"), b("1"), dump, b("ABSTTL"))).isEqualTo(RespConnection.OK);
                assertThat(c.call("EXISTS", "s8")).isEqualTo(RespConnection.integer(0)); // already past its deadline
                assertThat(c.call("DUMP", "nokey")).isEqualTo(RespConnection.NIL);
            }
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A reply as a comparable string: the elements of an unordered reply sorted. */
    static String normalize(String[] command, String reply) {
        String name = command[0].toUpperCase();
        boolean unordered = switch (name) {
            case "SMEMBERS", "SINTER", "SUNION", "SDIFF", "HKEYS", "HVALS", "KEYS" -> true;
            case "SORT", "SORT_RO" -> List.of(command).contains("nosort"); // a set keeps its own order
            case "ZSCAN" -> false;
            default -> false;
        };
        if (name.equals("HGETALL") && reply.startsWith("*")) {
            List<Object> flat = RespValue.list(reply);
            List<String> pairs = new ArrayList<>();
            for (int i = 0; i < flat.size(); i += 2) {
                pairs.add(flat.get(i) + "=" + flat.get(i + 1));
            }
            pairs.sort(null);
            return pairs.toString();
        }
        if (unordered && reply.startsWith("*")) {
            List<String> items = new ArrayList<>();
            for (Object o : RespValue.list(reply)) {
                items.add(String.valueOf(o));
            }
            items.sort(null);
            return items.toString();
        }
        return reply;
    }

    // ---- command generators --------------------------------------------------------------------

    private static String key(Random r) {
        return "k" + r.nextInt(8);
    }

    private static String member(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> Integer.toString(r.nextInt(20) - 5); // intset material
            case 1 -> "m" + r.nextInt(12);
            case 2 -> Long.toString(Long.MAX_VALUE - r.nextInt(3));
            default -> Integer.toString(r.nextInt(40));
        };
    }

    private static String field(Random r) {
        return "f" + r.nextInt(12);
    }

    private static String value(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> Integer.toString(r.nextInt(1000) - 100);
            case 1 -> "x".repeat(r.nextInt(30)); // crosses hash-max-listpack-value (16)
            case 2 -> "";
            default -> "v" + r.nextInt(100);
        };
    }

    /** One to four commands of the mixed family whose replies have one order (they are compared nested). */
    private static List<String[]> orderedCommands(Random r) {
        List<String[]> out = new ArrayList<>();
        int n = 1 + r.nextInt(4);
        while (out.size() < n) {
            String[] c = next(r, "mixed");
            String name = c[0].toUpperCase();
            if (List.of("SMEMBERS", "SINTER", "SUNION", "SDIFF", "HKEYS", "HVALS", "KEYS", "HGETALL").contains(name)
                    || (name.startsWith("SORT") && List.of(c).contains("nosort"))) {
                continue;
            }
            out.add(c);
        }
        return out;
    }

    /** The commands run by one EVAL through redis.pcall, handed over as JSON: every reply converted to Lua and back. */
    static String[] scriptOf(Random r) {
        StringBuilder json = new StringBuilder("[");
        for (String[] c : orderedCommands(r)) {
            json.append(json.length() > 1 ? "," : "").append('[');
            for (int i = 0; i < c.length; i++) {
                json.append(i > 0 ? "," : "").append('"').append(c[i].replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            json.append(']');
        }
        json.append(']');
        return new String[] {"EVAL", "local out = {} for i, c in ipairs(cjson.decode(ARGV[1])) do out[i] = redis.pcall(unpack(c)) end "
                + "return out", "0", json.toString()};
    }

    /** MULTI and the commands to queue (the caller sends EXEC). */
    static String[][] batchOf(Random r) {
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {"MULTI"});
        out.addAll(orderedCommands(r));
        return out.toArray(new String[0][]);
    }

    static String[] next(Random r, String family) {
        String f = family.equals("mixed") ? List.of("string", "hash", "set", "list", "zset", "keys").get(r.nextInt(6)) : family;
        return switch (f) {
            case "string" -> stringCommand(r);
            case "hash" -> hashCommand(r);
            case "list" -> listCommand(r);
            case "geo" -> geoCommand(r);
            case "zset" -> zsetCommand(r);
            case "set" -> setCommand(r);
            case "hll" -> hllCommand(r);
            case "bitmap" -> bitmapCommand(r);
            case "stream" -> streamCommand(r);
            case "float" -> floatCommand(r);
            default -> keyCommand(r);
        };
    }

    /** XINFO STREAM without radix-tree-nodes (a count of rax internals Panda has no counterpart for). */
    private static String streamInfo(RespConnection c, String key) throws IOException {
        List<Object> flat = RespValue.list(c.call("XINFO", "STREAM", key).startsWith("-") ? "*0\r\n" : c.call("XINFO", "STREAM", key));
        List<Object> kept = new ArrayList<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            if (!"radix-tree-nodes".equals(flat.get(i))) {
                kept.add(flat.get(i));
                kept.add(flat.get(i + 1));
            }
        }
        return kept.toString();
    }

    /** The ms part of the next explicit stream id: mostly rising, so most XADDs succeed and some collide. */
    private static long streamClock = 1;

    /**
     * Streams with explicit ids (automatic ids depend on the clock): adds with and without
     * trimming, deletes, XSETID, consumer groups read, acknowledged and claimed. Replies holding
     * times (idle, delivery and seen times) are left out; XCLAIM uses JUSTID and min-idle 0.
     */
    private static String[] streamCommand(Random r) {
        String k = "s" + r.nextInt(3);
        String g = "g" + r.nextInt(2);
        String consumer = "c" + r.nextInt(3);
        streamClock += r.nextInt(3);
        String id = switch (r.nextInt(4)) {
            case 0 -> streamClock + "-*";
            case 1 -> streamClock + "-" + r.nextInt(3);
            default -> streamClock + "-" + (1 + r.nextInt(5));
        };
        String someId = (1 + r.nextInt((int) streamClock)) + "-" + r.nextInt(5);
        return switch (r.nextInt(18)) {
            case 0, 1, 2, 3 -> new String[] {"XADD", k, id, "f" + r.nextInt(3), "v" + r.nextInt(100)};
            case 4 -> new String[] {"XADD", k, id, "f0", "v" + r.nextInt(9), "f1", "x"};
            case 5 -> new String[] {"XADD", k, "MAXLEN", r.nextBoolean() ? "=" : "~", String.valueOf(r.nextInt(12)), id, "f0", "t"};
            case 6 -> new String[] {"XDEL", k, someId, (1 + r.nextInt((int) streamClock)) + "-1"};
            case 7 -> new String[] {"XTRIM", k, r.nextBoolean() ? "MAXLEN" : "MINID", r.nextBoolean() ? "=" : "~",
                    r.nextBoolean() ? String.valueOf(r.nextInt(10)) : someId};
            case 8 -> new String[] {"XRANGE", k, r.nextBoolean() ? "-" : someId, "+", "COUNT", String.valueOf(r.nextInt(5))};
            case 9 -> new String[] {"XREVRANGE", k, "+", r.nextBoolean() ? "-" : "(" + someId};
            case 10 -> new String[] {"XGROUP", "CREATE", k, g, r.nextBoolean() ? "$" : "0", "MKSTREAM"};
            case 11, 12 -> new String[] {"XREADGROUP", "GROUP", g, consumer, "COUNT", String.valueOf(1 + r.nextInt(4)),
                    "STREAMS", k, r.nextInt(4) == 0 ? "0" : ">"};
            case 13 -> new String[] {"XACK", k, g, someId, (1 + r.nextInt((int) streamClock)) + "-1"};
            case 14 -> new String[] {"XCLAIM", k, g, consumer, "0", someId, "JUSTID"};
            case 15 -> new String[] {"XAUTOCLAIM", k, g, consumer, "0", "0", "COUNT", String.valueOf(1 + r.nextInt(3)), "JUSTID"};
            case 16 -> new String[] {"XREAD", "COUNT", "3", "STREAMS", k, someId};
            default -> r.nextBoolean() ? new String[] {"XLEN", k} : new String[] {"XGROUP", "DELCONSUMER", k, g, consumer};
        };
    }

    /** HyperLogLogs, sparse (few elements) and dense (many), with their bytes compared through GET. */
    private static String[] hllCommand(Random r) {
        String k = "hll" + r.nextInt(4);
        int space = r.nextBoolean() ? 300 : 30000;
        return switch (r.nextInt(8)) {
            case 0, 1, 2, 3 -> {
                String[] c = new String[2 + r.nextInt(6)];
                c[0] = "PFADD";
                c[1] = k;
                for (int i = 2; i < c.length; i++) {
                    c[i] = "e" + r.nextInt(space);
                }
                yield c;
            }
            case 4 -> new String[] {"PFCOUNT", k};
            case 5 -> new String[] {"PFCOUNT", k, "hll" + r.nextInt(4)};
            case 6 -> new String[] {"PFMERGE", "hll" + r.nextInt(4), k};
            default -> new String[] {"STRLEN", k};
        };
    }

    /** Bitmaps: bits set and read, ranges counted and searched in BYTE and BIT units, BITOP. */
    private static String[] bitmapCommand(Random r) {
        String k = "bm" + r.nextInt(4);
        String a = Integer.toString(r.nextInt(60) - 20);
        String b = Integer.toString(r.nextInt(60) - 20);
        String unit = r.nextBoolean() ? "BIT" : "BYTE";
        String[] types = {"i1", "i5", "i8", "i16", "i63", "i64", "u1", "u5", "u8", "u32", "u63"};
        String[] values = {"0", "1", "-1", "127", "-128", "255", "2147483648", "-9223372036854775808", "9223372036854775807", "-7"};
        return switch (r.nextInt(11)) {
            case 9, 10 -> new String[] {"BITFIELD", k, "OVERFLOW", List.of("WRAP", "SAT", "FAIL").get(r.nextInt(3)),
                r.nextBoolean() ? "INCRBY" : "SET", types[r.nextInt(types.length)],
                r.nextBoolean() ? "#" + r.nextInt(6) : Integer.toString(r.nextInt(100)), values[r.nextInt(values.length)],
                "GET", types[r.nextInt(types.length)], Integer.toString(r.nextInt(120))};
            case 0, 1, 2 -> new String[] {"SETBIT", k, Integer.toString(r.nextInt(200)), Integer.toString(r.nextInt(2))};
            case 3 -> new String[] {"GETBIT", k, Integer.toString(r.nextInt(250))};
            case 4 -> r.nextBoolean() ? new String[] {"BITCOUNT", k} : new String[] {"BITCOUNT", k, a, b, unit};
            case 5 -> switch (r.nextInt(3)) {
                case 0 -> new String[] {"BITPOS", k, Integer.toString(r.nextInt(2))};
                case 1 -> new String[] {"BITPOS", k, Integer.toString(r.nextInt(2)), a};
                default -> new String[] {"BITPOS", k, Integer.toString(r.nextInt(2)), a, b, unit};
            };
            case 6 -> new String[] {"BITOP", List.of("AND", "OR", "XOR").get(r.nextInt(3)), "bm" + r.nextInt(4), k, "bm" + r.nextInt(4)};
            case 7 -> new String[] {"BITOP", "NOT", "bm" + r.nextInt(4), k};
            default -> new String[] {"STRLEN", k};
        };
    }

    /** SORT and SORT_RO of a list or sorted set (a set's own order is unspecified, as in Redis). */
    private static String[] sortCommand(Random r, String k) {
        List<String> c = new ArrayList<>(List.of(r.nextBoolean() ? "SORT" : "SORT_RO", k));
        boolean nosort = r.nextInt(3) == 0;
        if (nosort) {
            c.addAll(List.of("BY", "nosort"));
        } else if (r.nextBoolean()) {
            c.add("ALPHA");
        }
        if (r.nextBoolean()) {
            c.add("DESC");
        }
        if (!nosort && r.nextBoolean()) { // a set's nosort order is its own: no LIMIT over it
            c.addAll(List.of("LIMIT", Integer.toString(r.nextInt(6) - 1), Integer.toString(r.nextInt(6) - 1)));
        }
        if (r.nextInt(4) == 0) {
            c.addAll(List.of("GET", "#"));
        }
        return c.toArray(new String[0]);
    }

    /**
     * INCRBYFLOAT and HINCRBYFLOAT, which Redis computes in 80-bit long double: increments of
     * every magnitude and spelling (long decimals, exponents, hexadecimal, values that cancel
     * what is stored, ones past double's range, malformed ones), on a few keys so results chain.
     */
    private static String[] floatCommand(Random r) {
        String k = "f" + r.nextInt(4);
        return switch (r.nextInt(10)) {
            case 0 -> new String[] {"GET", k};
            case 1 -> new String[] {"SET", k, floatText(r)};
            case 2, 3 -> new String[] {"HINCRBYFLOAT", "h" + r.nextInt(2), "f" + r.nextInt(3), floatText(r)};
            case 4 -> new String[] {"HGET", "h" + r.nextInt(2), "f" + r.nextInt(3)};
            default -> new String[] {"INCRBYFLOAT", k, floatText(r)};
        };
    }

    static String floatText(Random r) {
        double d = switch (r.nextInt(4)) {
            case 0 -> r.nextGaussian();
            case 1 -> r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
            case 2 -> 1.0 / (1 + r.nextInt(100));
            default -> r.nextInt(2000) - 1000;
        };
        d = r.nextBoolean() ? d : -d;
        return switch (r.nextInt(12)) {
            case 0 -> String.format(java.util.Locale.ROOT, "%.17g", d);
            case 1 -> new java.math.BigDecimal(d).toPlainString(); // the exact binary value, up to ~1000 digits
            case 2 -> Double.toHexString(d).replace("0x1.0p", "0x1p");
            case 3 -> String.format(java.util.Locale.ROOT, "%.3e", d);
            case 4 -> (r.nextBoolean() ? "" : "-") + r.nextInt(10) + "e" + (r.nextInt(9000) - 4500);
            case 5 -> List.of("inf", "-inf", "nan", "", " 1", "1 ", "1e", "0x", ".", "1.5.5", "+.5", "-0", "0e0", "1e-5000")
                    .get(r.nextInt(14));
            case 6 -> Long.toString(r.nextLong());
            default -> Double.toString(d);
        };
    }

    private static String[] stringCommand(Random r) {
        String k = key(r);
        return switch (r.nextInt(11)) {
            case 10 -> switch (r.nextInt(4)) {
                case 0 -> new String[] {"LCS", k, key(r)};
                case 1 -> new String[] {"LCS", k, key(r), "LEN"};
                case 2 -> new String[] {"LCS", k, key(r), "IDX", "MINMATCHLEN", Integer.toString(r.nextInt(4))};
                default -> new String[] {"LCS", k, key(r), "IDX", "WITHMATCHLEN"};
            };
            case 0 -> new String[] {"SET", k, value(r)};
            case 1 -> new String[] {"GET", k};
            case 2 -> new String[] {"APPEND", k, value(r)};
            case 3 -> new String[] {"INCRBY", k, Integer.toString(r.nextInt(200) - 100)};
            case 4 -> new String[] {"GETDEL", k};
            case 5 -> new String[] {"MSET", k, value(r), key(r), value(r)};
            case 6 -> new String[] {"SETRANGE", k, Integer.toString(r.nextInt(10)), value(r)};
            case 7 -> new String[] {"STRLEN", k};
            case 8 -> new String[] {"SETNX", k, value(r)};
            default -> new String[] {"DEL", k};
        };
    }

    private static String[] hashCommand(Random r) {
        String k = key(r);
        return switch (r.nextInt(14)) {
            case 0, 1 -> new String[] {"HSET", k, field(r), value(r), field(r), value(r)};
            case 2 -> new String[] {"HDEL", k, field(r), field(r)};
            case 3 -> new String[] {"HGET", k, field(r)};
            case 4 -> new String[] {"HINCRBY", k, field(r), Integer.toString(r.nextInt(20) - 10)};
            case 5 -> new String[] {"HGETALL", k};
            case 6 -> new String[] {"HLEN", k};
            case 7 -> new String[] {"HSETNX", k, field(r), value(r)};
            case 8 -> new String[] {"HMGET", k, field(r), field(r)};
            case 9 -> new String[] {"HKEYS", k};
            case 10 -> new String[] {"HSTRLEN", k, field(r)};
            case 11 -> new String[] {"HEXISTS", k, field(r)};
            case 12 -> new String[] {"HINCRBYFLOAT", k, field(r), Integer.toString(r.nextInt(9)) + ".5"};
            default -> new String[] {"HVALS", k};
        };
    }

    private static String[] setCommand(Random r) {
        String k = key(r);
        return switch (r.nextInt(16)) {
            case 0, 1, 2 -> new String[] {"SADD", k, member(r), member(r), member(r)};
            case 3 -> new String[] {"SREM", k, member(r), member(r)};
            case 4 -> new String[] {"SMEMBERS", k};
            case 5 -> new String[] {"SISMEMBER", k, member(r)};
            case 6 -> new String[] {"SCARD", k};
            case 7 -> new String[] {"SMOVE", k, key(r), member(r)};
            case 8 -> new String[] {"SINTERSTORE", k, key(r), key(r)};
            case 9 -> new String[] {"SUNIONSTORE", k, key(r), key(r)};
            case 10 -> new String[] {"SDIFFSTORE", k, key(r), key(r)};
            case 11 -> new String[] {"SINTER", k, key(r)};
            case 12 -> new String[] {"SUNION", k, key(r)};
            case 13 -> new String[] {"SDIFF", k, key(r), key(r)};
            case 14 -> new String[] {"SINTERCARD", "2", k, key(r)};
            default -> new String[] {"SMISMEMBER", k, member(r), member(r)};
        };
    }

    private static String[] keyCommand(Random r) {
        String k = key(r);
        return switch (r.nextInt(10)) {
            case 0 -> new String[] {"RENAME", k, key(r)};
            case 1 -> new String[] {"COPY", k, key(r), "REPLACE"};
            case 2 -> new String[] {"TYPE", k};
            // Absolute: a relative EXPIRE would give two deadlines a millisecond apart.
            case 3 -> new String[] {"PEXPIREAT", k, Long.toString(4_102_444_800_000L + r.nextInt(1000))};
            case 4 -> new String[] {"PERSIST", k};
            case 5 -> new String[] {"OBJECT", "ENCODING", k};
            case 6 -> new String[] {"MOVE", k, "1"};
            case 7 -> new String[] {"EXISTS", k, key(r)};
            case 8 -> new String[] {"RENAMENX", k, key(r)};
            default -> new String[] {"DEL", k, key(r)};
        };
    }

    private static String element(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> Integer.toString(r.nextInt(10));
            case 1 -> "x".repeat(r.nextInt(30));
            case 2 -> "";
            default -> "e" + r.nextInt(8);
        };
    }

    private static String index(Random r) {
        return Integer.toString(r.nextInt(24) - 12);
    }

    private static String side(Random r) {
        return r.nextBoolean() ? "LEFT" : "RIGHT";
    }

    private static String[] listCommand(Random r) {
        String k = key(r);
        return switch (r.nextInt(24)) {
            case 22 -> sortCommand(r, k);
            case 23 -> new String[] {"SORT", k, r.nextBoolean() ? "ALPHA" : "DESC", "STORE", key(r)};
            case 0, 1, 2 -> new String[] {"RPUSH", k, element(r), element(r), element(r)};
            case 3, 4 -> new String[] {"LPUSH", k, element(r), element(r)};
            case 5 -> new String[] {r.nextBoolean() ? "LPUSHX" : "RPUSHX", k, element(r)};
            case 6 -> new String[] {"LPOP", k};
            case 7 -> new String[] {"RPOP", k, Integer.toString(r.nextInt(4))};
            case 8 -> new String[] {"LRANGE", k, index(r), index(r)};
            case 9 -> new String[] {"LINDEX", k, index(r)};
            case 10 -> new String[] {"LSET", k, index(r), element(r)};
            case 11 -> new String[] {"LINSERT", k, r.nextBoolean() ? "BEFORE" : "AFTER", element(r), element(r)};
            case 12 -> new String[] {"LREM", k, Integer.toString(r.nextInt(5) - 2), element(r)};
            case 13 -> new String[] {"LTRIM", k, index(r), index(r)};
            case 14 -> new String[] {"LPOS", k, element(r), "RANK", r.nextBoolean() ? "1" : "-2", "COUNT", Integer.toString(r.nextInt(3))};
            case 15 -> new String[] {"LMOVE", k, key(r), side(r), side(r)};
            case 16 -> new String[] {"RPOPLPUSH", k, key(r)};
            case 17 -> new String[] {"LMPOP", "2", k, key(r), side(r), "COUNT", Integer.toString(1 + r.nextInt(3))};
            case 18 -> new String[] {"LLEN", k};
            case 19 -> new String[] {"BLPOP", k, key(r), "0.001"};
            case 20 -> new String[] {"BLMOVE", k, key(r), side(r), side(r), "0.001"};
            default -> new String[] {"OBJECT", "ENCODING", k};
        };
    }

    private static String score(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> Double.toString(r.nextInt(100) / 8.0);
            case 1 -> r.nextBoolean() ? "inf" : "-inf";
            case 2 -> "0.1";
            default -> Integer.toString(r.nextInt(10));
        };
    }

    private static String bound(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> "(" + r.nextInt(10);
            case 1 -> r.nextBoolean() ? "-inf" : "+inf";
            default -> Integer.toString(r.nextInt(10));
        };
    }

    private static String lex(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> "-";
            case 1 -> "+";
            case 2 -> "(" + member(r);
            default -> "[" + member(r);
        };
    }

    private static String[] zsetCommand(Random r) {
        String k = key(r);
        return switch (r.nextInt(31)) {
            case 30 -> sortCommand(r, k);
            case 0, 1, 2 -> new String[] {"ZADD", k, score(r), member(r), score(r), member(r)};
            case 3 -> new String[] {"ZADD", k, List.of("NX", "XX", "GT", "LT", "CH").get(r.nextInt(5)), score(r), member(r)};
            case 4 -> new String[] {"ZADD", k, "INCR", score(r), member(r)};
            case 5 -> new String[] {"ZINCRBY", k, score(r), member(r)};
            case 6 -> new String[] {"ZREM", k, member(r), member(r)};
            case 7 -> new String[] {"ZSCORE", k, member(r)};
            case 8 -> new String[] {"ZRANK", k, member(r)};
            case 9 -> new String[] {"ZREVRANK", k, member(r)};
            case 10 -> new String[] {"ZRANGE", k, index(r), index(r), "WITHSCORES"};
            case 11 -> new String[] {"ZRANGE", k, bound(r), bound(r), "BYSCORE", "LIMIT", Integer.toString(r.nextInt(3)), Integer.toString(r.nextInt(5) - 1)};
            case 12 -> new String[] {"ZRANGE", k, bound(r), bound(r), "BYSCORE", "REV", "WITHSCORES"};
            // Lex ranges are defined on members of equal scores only: keys of their own.
            case 13 -> r.nextInt(3) == 0 ? new String[] {"ZADD", "lex" + k, "0", member(r)}
                    : new String[] {"ZRANGEBYLEX", "lex" + k, lex(r), lex(r)};
            case 14 -> r.nextBoolean() ? new String[] {"ZREMRANGEBYLEX", "lex" + k, lex(r), lex(r)}
                    : new String[] {r.nextBoolean() ? "ZREVRANGEBYLEX" : "ZLEXCOUNT", "lex" + k, lex(r), lex(r)};
            case 15 -> new String[] {"ZCOUNT", k, bound(r), bound(r)};
            case 16 -> new String[] {"ZREMRANGEBYSCORE", k, bound(r), bound(r)};
            case 17 -> new String[] {"ZREMRANGEBYRANK", k, index(r), index(r)};
            case 18 -> new String[] {"ZPOPMIN", k, Integer.toString(r.nextInt(3))};
            case 19 -> new String[] {"ZPOPMAX", k};
            case 20 -> new String[] {"ZMPOP", "2", k, key(r), r.nextBoolean() ? "MIN" : "MAX", "COUNT", "2"};
            case 21 -> new String[] {"ZUNIONSTORE", key(r), "2", k, key(r), "WEIGHTS", "1", "2"};
            case 22 -> new String[] {"ZINTERSTORE", key(r), "2", k, key(r), "AGGREGATE", r.nextBoolean() ? "MIN" : "MAX"};
            case 23 -> new String[] {"ZDIFFSTORE", key(r), "2", k, key(r)};
            case 24 -> new String[] {"ZRANGESTORE", key(r), k, "0", index(r)};
            case 25 -> new String[] {"ZUNION", "2", k, key(r), "WITHSCORES"};
            case 26 -> new String[] {"ZMSCORE", k, member(r), member(r)};
            case 27 -> new String[] {"ZCARD", k};
            case 28 -> new String[] {"BZPOPMIN", k, key(r), "0.001"};
            default -> new String[] {"OBJECT", "ENCODING", k};
        };
    }

    private static String lon(Random r) {
        return r.nextInt(20) == 0 ? (r.nextBoolean() ? "180" : "-180") : Double.toString(r.nextDouble() * 360 - 180);
    }

    private static String lat(Random r) {
        return r.nextInt(20) == 0 ? (r.nextBoolean() ? "85.05112878" : "-85.05112878") : Double.toString(r.nextDouble() * 170.1 - 85.05);
    }

    private static String place(Random r) {
        return "p" + r.nextInt(300);
    }

    private static String units(Random r) {
        return List.of("m", "km", "mi", "ft").get(r.nextInt(4));
    }

    private static String[] geoCommand(Random r) {
        String k = "g" + r.nextInt(2);
        String radius = Integer.toString(r.nextInt(4) == 0 ? r.nextInt(100) : r.nextInt(5_000_000));
        return switch (r.nextInt(14)) {
            case 0, 1, 2, 3, 4 -> new String[] {"GEOADD", k, lon(r), lat(r), place(r), lon(r), lat(r), place(r), lon(r), lat(r), place(r)};
            case 5 -> new String[] {"GEOPOS", k, place(r), place(r)};
            case 6 -> new String[] {"GEODIST", k, place(r), place(r), units(r)};
            case 7 -> new String[] {"GEOHASH", k, place(r), place(r)};
            case 8 -> new String[] {"GEORADIUS", k, lon(r), lat(r), radius, "m", "WITHDIST", "WITHHASH", "WITHCOORD"};
            case 9 -> new String[] {"GEORADIUSBYMEMBER", k, place(r), radius, "m", r.nextBoolean() ? "ASC" : "DESC", "WITHDIST"};
            case 10 -> new String[] {"GEOSEARCH", k, "FROMLONLAT", lon(r), lat(r), "BYBOX", radius, Integer.toString(r.nextInt(5_000_000)), "m", "WITHCOORD"};
            case 11 -> new String[] {"GEOSEARCH", k, "FROMMEMBER", place(r), "BYRADIUS", radius, units(r), "COUNT", Integer.toString(1 + r.nextInt(5)), "WITHDIST"};
            case 12 -> new String[] {"GEOSEARCHSTORE", "g" + r.nextInt(2) + "copy", k, "FROMLONLAT", lon(r), lat(r), "BYRADIUS", radius, "m", "ASC"};
            default -> new String[] {"ZREM", k, place(r)};
        };
    }
}
