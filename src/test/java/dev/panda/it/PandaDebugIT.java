package dev.panda.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The DEBUG assertions against Panda, and DEBUG HELP (Panda lists only the subcommands it has). */
class PandaDebugIT extends DebugContract {
    @RegisterExtension
    static final ServerUnderTest SERVER = ServerUnderTest.panda();

    @Override
    protected int port() {
        return SERVER.port();
    }

    @Test
    void helpListsWhatPandaHasInRedisFormat() throws IOException {
        List<Object> lines = RespValue.list(c.call("DEBUG", "HELP"));
        assertThat(lines.get(0)).isEqualTo("DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        assertThat(lines).contains("DIGEST", "DIGEST-VALUE <key> [<key> ...]", "OBJECT <key>", "PROTOCOL <type>",
                "RELOAD [option ...]", "SLEEP <seconds>", "SET-ACTIVE-EXPIRE <0|1>", "CHANGE-REPL-ID", "HELP");
        assertThat(lines).contains("POPULATE <count> [<prefix>] [<size>]", "HTSTATS <dbid>", "HTSTATS-KEY <key>");
        assertThat(lines).doesNotContain("SEGFAULT", "LEAK <string>");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("    Prints this help.");
    }

    /** Redis's own takes seconds (ten million rounds), too long for the contract; its reply is this one. */
    @Test
    void stringmatchTestRepliesAsRedis() throws IOException {
        assertThat(c.call("DEBUG", "STRINGMATCH-TEST")).isEqualTo(RespConnection.simple("Apparently Redis did not crash: test passed"));
    }

    /**
     * A list of more than 64 elements: Panda's quicklist nodes hold at most 64, Redis's one
     * 8 KB node holds all 300, so serializedlength counts Panda's five nodes (Redis says 1531).
     */
    @Test
    void objectSerializedLengthCountsPandasOwnListNodes() throws IOException {
        String[] push = new String[302];
        push[0] = "RPUSH";
        push[1] = "l:big";
        for (int i = 0; i < 300; i++) {
            push[2 + i] = "element-" + i;
        }
        assertThat(c.call(push)).isEqualTo(RespConnection.integer(300));
        assertThat(c.call("DEBUG", "OBJECT", "l:big")).contains(" serializedlength:1630 ").contains(" ql_nodes:5 ");
    }

    /**
     * Seeded random data of every family (DifferentialIT's generators, small encoding thresholds
     * so values convert), built alike in Panda and redis-server: DEBUG DIGEST and every key's
     * DEBUG DIGEST-VALUE are equal. Skipped without redis-server.
     */
    @Test
    void randomDatasetDigestsAsRedis() throws Exception {
        long seed = Long.getLong("differential.seed", System.nanoTime());
        Random random = new Random(seed);
        String[] thresholds = {"hash-max-listpack-entries", "8", "hash-max-listpack-value", "16", "set-max-intset-entries", "8",
                "zset-max-listpack-entries", "8", "zset-max-listpack-value", "16", "list-max-listpack-size", "4"};
        try (RealRedis redis = RealRedis.startOrSkip(); RespConnection r = new RespConnection(redis.port)) {
            for (RespConnection conn : List.of(c, r)) {
                String[] set = new String[thresholds.length + 2];
                set[0] = "CONFIG";
                set[1] = "SET";
                System.arraycopy(thresholds, 0, set, 2, thresholds.length);
                assertThat(conn.call(set)).isEqualTo(RespConnection.OK);
            }
            try {
                List<String> families = List.of("string", "hash", "set", "list", "zset", "stream", "mixed");
                String context = "seed " + seed + " (-Ddifferential.seed)";
                int keys = 0;
                for (int db = families.size() - 1; db >= 0; db--) { // one database per family; "mixed" MOVEs keys to 1
                    for (RespConnection conn : List.of(c, r)) {
                        assertThat(conn.call("SELECT", Integer.toString(db))).isEqualTo(RespConnection.OK);
                    }
                    for (int i = 0; i < 400; i++) {
                        String[] command = DifferentialIT.next(random, families.get(db));
                        c.call(command);
                        r.call(command);
                    }
                }
                assertThat(c.call("DEBUG", "DIGEST")).as(context).isEqualTo(r.call("DEBUG", "DIGEST"))
                        .isNotEqualTo("+" + "0".repeat(40) + "\r\n");
                for (int db = 0; db < families.size(); db++) {
                    for (RespConnection conn : List.of(c, r)) {
                        assertThat(conn.call("SELECT", Integer.toString(db))).isEqualTo(RespConnection.OK);
                    }
                    for (Object k : RespValue.list(r.call("KEYS", "*"))) {
                        String key = (String) k;
                        keys++;
                        assertThat(c.call("DEBUG", "DIGEST-VALUE", key))
                                .as(context + ", db " + db + ", key " + key + " (" + r.call("OBJECT", "ENCODING", key) + ")")
                                .isEqualTo(r.call("DEBUG", "DIGEST-VALUE", key));
                    }
                }
                assertThat(keys).isGreaterThan(20);
                for (RespConnection conn : List.of(c, r)) {
                    assertThat(conn.call("SELECT", "0")).isEqualTo(RespConnection.OK);
                }
            } finally {
                for (RespConnection conn : List.of(c, r)) {
                    conn.call("CONFIG", "SET", "hash-max-listpack-entries", "128", "hash-max-listpack-value", "64",
                            "set-max-intset-entries", "512", "zset-max-listpack-entries", "128", "zset-max-listpack-value", "64",
                            "list-max-listpack-size", "-2");
                }
            }
        }
    }

    /**
     * POPULATE's keys are logged like any write: acknowledged with appendfsync always, they are
     * all there after a SIGKILL and a restart, values and all.
     */
    @Test
    void populatedKeysSurviveAKill() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("panda-debug-populate");
        List<String> args = List.of("--port", "0", "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always",
                "--save", "", "--enable-debug-command", "yes");
        String digest;
        try (PandaProcess panda = PandaProcess.startJar(args, java.util.Map.of());
                RespConnection p = new RespConnection(panda.awaitReady())) {
            assertThat(p.call("SET", "key:5", "mine")).isEqualTo(RespConnection.OK);
            assertThat(p.call("DEBUG", "POPULATE", "200000")).isEqualTo(RespConnection.OK);
            assertThat(p.call("SELECT", "2")).isEqualTo(RespConnection.OK);
            assertThat(p.call("DEBUG", "POPULATE", "1000", "padded", "64")).isEqualTo(RespConnection.OK);
            digest = p.call("DEBUG", "DIGEST");
            panda.process.toHandle().destroyForcibly();
            panda.awaitExit();
        }
        try (PandaProcess panda = PandaProcess.startJar(args, java.util.Map.of());
                RespConnection p = new RespConnection(panda.awaitReady())) {
            assertThat(p.call("DBSIZE")).isEqualTo(RespConnection.integer(200000));
            assertThat(p.call("MGET", "key:0", "key:5", "key:199999"))
                    .isEqualTo(RespConnection.array(RespConnection.bulk("value:0"), RespConnection.bulk("mine"),
                            RespConnection.bulk("value:199999")));
            assertThat(p.call("SELECT", "2")).isEqualTo(RespConnection.OK);
            assertThat(p.call("STRLEN", "padded:999")).isEqualTo(RespConnection.integer(64));
            assertThat(p.call("DEBUG", "DIGEST")).isEqualTo(digest).isNotEqualTo(RespConnection.simple("0".repeat(40)));
            panda.process.toHandle().destroy();
            panda.awaitExit();
        }
    }

    /**
     * With the write-ahead log on, DEBUG RELOAD NOSAVE loads the newest snapshot and the log after
     * it, DEBUG RELOAD a fresh snapshot; either way the data is unchanged, nothing is logged twice,
     * and a restart afterwards loads the same data.
     */
    @Test
    void reloadWithTheLogKeepsTheDataAndTheLogHonest() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("panda-debug-reload");
        String digest;
        try (RunningPanda panda = new RunningPanda(dir, "--appendonly", "yes", "--enable-debug-command", "yes");
                RespConnection p = new RespConnection(panda.port)) {
            assertThat(p.call("RPUSH", "l", "a", "b", "c")).isEqualTo(RespConnection.integer(3));
            assertThat(p.call("HSET", "h", "f", "1")).isEqualTo(RespConnection.integer(1));
            digest = p.call("DEBUG", "DIGEST");
            assertThat(p.call("DEBUG", "RELOAD", "NOSAVE")).isEqualTo(RespConnection.OK); // no snapshot yet: the log alone
            assertThat(p.call("DEBUG", "DIGEST")).isEqualTo(digest);
            assertThat(p.call("SAVE")).isEqualTo(RespConnection.OK);
            assertThat(p.call("INCR", "counter")).isEqualTo(RespConnection.integer(1));
            assertThat(p.call("RPUSH", "l", "d")).isEqualTo(RespConnection.integer(4));
            digest = p.call("DEBUG", "DIGEST");
            assertThat(p.call("DEBUG", "RELOAD", "NOSAVE")).isEqualTo(RespConnection.OK); // the snapshot, then the log after it
            assertThat(p.call("DEBUG", "DIGEST")).isEqualTo(digest);
            assertThat(p.call("DEBUG", "RELOAD")).isEqualTo(RespConnection.OK);
            assertThat(p.call("DEBUG", "DIGEST")).isEqualTo(digest);
            assertThat(p.call("INCR", "counter")).isEqualTo(RespConnection.integer(2));
            digest = p.call("DEBUG", "DIGEST");
            assertThat(p.call("DEBUG", "RELOAD", "NOFLUSH")).isEqualTo(RespConnection.OK); // the snapshot just taken is memory
            assertThat(p.call("DEBUG", "DIGEST")).isEqualTo(digest);

            // A merge of an older snapshot: its keys win, the rest stays, and (being in no log) it is saved.
            assertThat(p.call("SAVE")).isEqualTo(RespConnection.OK);
            assertThat(p.call("RPUSH", "l", "e")).isEqualTo(RespConnection.integer(5));
            assertThat(p.call("SET", "later", "x")).isEqualTo(RespConnection.OK);
            assertThat(p.call("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE")).isEqualTo(RespConnection.OK);
            assertThat(p.call("LLEN", "l")).isEqualTo(RespConnection.integer(4));
            assertThat(p.call("GET", "later")).isEqualTo(RespConnection.bulk("x"));
            assertThat(p.call("GET", "counter")).isEqualTo(RespConnection.bulk("2"));
            digest = p.call("DEBUG", "DIGEST");
        }
        try (RunningPanda panda = new RunningPanda(dir, "--appendonly", "yes", "--enable-debug-command", "yes");
                RespConnection p = new RespConnection(panda.port)) {
            assertThat(p.call("DEBUG", "DIGEST")).isEqualTo(digest);
            assertThat(p.call("LRANGE", "l", "0", "-1")).isEqualTo(RespConnection.array(RespConnection.bulk("a"),
                    RespConnection.bulk("b"), RespConnection.bulk("c"), RespConnection.bulk("d")));
        }
    }
}
