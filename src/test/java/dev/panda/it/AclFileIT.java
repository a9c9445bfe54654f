package dev.panda.it;

import static dev.panda.it.RespConnection.OK;
import static dev.panda.it.RespConnection.array;
import static dev.panda.it.RespConnection.bulk;
import static dev.panda.it.RespConnection.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Users that outlive the process: the ACL file (ACL SAVE, ACL LOAD, loading at start-up), "user"
 * lines of the configuration, and start-up refusing bad or conflicting definitions. ACL LOAD's
 * replies are asserted against real redis-server too. Test thread.
 */
class AclFileIT {
    private static final String ALICE_HASH = "30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4"; // "pw"

    @Test
    void aclSaveThenARestartKeepsTheUsers() throws Exception {
        Path dir = Files.createTempDirectory("panda-acl");
        Path file = dir.resolve("users.acl");
        Files.writeString(file, "");
        String list;
        try (RunningPanda panda = new RunningPanda(dir, "--aclfile", file.toString());
             RespConnection c = new RespConnection(panda.port)) {
            assertThat(c.call("ACL", "SETUSER", "alice", "on", ">pw", "~a*", "&news", "-@all", "+@string",
                    "(~b* +get)")).isEqualTo(OK);
            assertThat(c.call("ACL", "SAVE")).isEqualTo(OK);
            list = c.call("ACL", "LIST");
        }
        assertThat(Files.readString(file)).isEqualTo("user alice on #" + ALICE_HASH + " ~a* resetchannels &news -@all "
                + "+@string (~b* resetchannels -@all +get)\nuser default on nopass ~* &* +@all\n");
        try (RunningPanda panda = new RunningPanda(dir, "--aclfile", file.toString());
             RespConnection c = new RespConnection(panda.port)) {
            assertThat(c.call("ACL", "LIST")).isEqualTo(list);
            assertThat(c.call("AUTH", "alice", "pw")).isEqualTo(OK);
            assertThat(c.call("SET", "a1", "v")).isEqualTo(OK);
            assertThat(c.call("GET", "b1")).isEqualTo(RespConnection.NIL);
            assertThat(c.call("SET", "b1", "v")).startsWith("-NOPERM");
        }
    }

    /** ACL LOAD on one server: the same assertions run against Panda and redis-server. */
    private static void aclLoadBehaves(int port, Path file) throws Exception {
        try (RespConnection c = new RespConnection(port); RespConnection alice = new RespConnection(port)) {
            Files.writeString(file, "user alice on >pw ~* +@all\n\nuser default on nopass ~* &* +@all\n");
            assertThat(c.call("ACL", "LOAD")).isEqualTo(OK);
            assertThat(alice.call("AUTH", "alice", "pw")).isEqualTo(OK);
            assertThat(c.call("ACL", "LIST")).isEqualTo(array(bulk("user alice on #" + ALICE_HASH + " ~* resetchannels +@all"),
                    bulk("user default on nopass ~* &* +@all")));
            // A bad file changes nothing, and every error is reported.
            Files.writeString(file, "user bob on +nosuch\nbogus line\nuser carol (~a on\nuser dave on #12\n");
            String path = file.toString();
            assertThat(c.call("ACL", "LOAD")).isEqualTo(error("ERR " + path + ":1: Error in applying operation '+nosuch': "
                    + "Unknown command or category name in ACL. " + path + ":2 should start with user keyword followed by "
                    + "the username. " + path + ":3: Unmatched parenthesis in selector definition." + path + ":4: The password "
                    + "hash must be exactly 64 characters and contain only lowercase hexadecimal characters. WARNING: ACL "
                    + "errors detected, no change to the previously active ACL rules was performed"));
            assertThat(c.call("ACL", "USERS")).isEqualTo(array(bulk("alice"), bulk("default")));
            assertThat(alice.call("PING")).isEqualTo("+PONG\r\n");
            // A good file replaces every user: clients of the old ones are closed.
            Files.writeString(file, "user carol on nopass ~c* +get\n");
            assertThat(c.call("ACL", "LOAD")).isEqualTo(OK);
            assertThat(c.call("ACL", "LIST")).isEqualTo(array(bulk("user carol on nopass ~c* resetchannels -@all +get"),
                    bulk("user default on nopass ~* &* +@all")));
            assertThat(alice.closedByServer()).isTrue();
            Files.delete(file);
            assertThat(c.call("ACL", "LOAD")).isEqualTo(error("ERR Error loading ACLs, opening file '" + path
                    + "': No such file or directory"));
        }
    }

    @Test
    void aclLoadAsRedisDoes() throws Exception {
        Path redisFile = Files.createTempDirectory("redis-acl").resolve("users.acl");
        Files.writeString(redisFile, "");
        try (RealRedis redis = RealRedis.startOrSkip("--aclfile", redisFile.toString())) {
            aclLoadBehaves(redis.port, redisFile);
        }
        Path dir = Files.createTempDirectory("panda-acl");
        Path pandaFile = dir.resolve("users.acl");
        Files.writeString(pandaFile, "");
        try (RunningPanda panda = new RunningPanda(dir, "--aclfile", pandaFile.toString())) {
            aclLoadBehaves(panda.port, pandaFile);
        }
    }

    @Test
    void usersFromConfigurationLines() throws Exception {
        try (RunningPanda panda = new RunningPanda("--user", "alice", "on", ">pw", "~a*", "+get",
                "--user", "default", "on", ">secret", "~*", "&*", "+@all");
             RespConnection c = new RespConnection(panda.port)) {
            assertThat(c.call("PING")).isEqualTo(error("NOAUTH Authentication required."));
            assertThat(c.call("AUTH", "alice", "pw")).isEqualTo(OK);
            assertThat(c.call("GET", "a1")).isEqualTo(RespConnection.NIL);
            assertThat(c.call("GET", "b1")).startsWith("-NOPERM");
            assertThat(c.call("AUTH", "secret")).isEqualTo(OK);
            assertThat(c.call("ACL", "LIST")).isEqualTo(array(
                    bulk("user alice on #" + ALICE_HASH + " ~a* resetchannels -@all +get"),
                    bulk("user default on sanitize-payload #2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b"
                            + " ~* &* +@all")));
        }
    }

    @Test
    void configRewriteWritesTheUsers() throws Exception {
        Path dir = Files.createTempDirectory("panda-acl");
        Path conf = dir.resolve("panda.conf");
        Files.writeString(conf, "# my settings\nuser alice on nopass ~* +@all\nappendonly no\n");
        try (PandaProcess panda = PandaProcess.startJar(List.of(conf.toString(), "--port", "0", "--dir", dir.toString(),
                "--save", ""), Map.of())) {
            int port = panda.awaitReady();
            try (RespConnection c = new RespConnection(port)) {
                assertThat(c.call("ACL", "SETUSER", "bob", "on", ">pw", "~b*", "+get")).isEqualTo(OK);
                assertThat(c.call("ACL", "DELUSER", "alice")).isEqualTo(RespConnection.integer(1));
                assertThat(c.call("CONFIG", "REWRITE")).isEqualTo(OK);
            }
        }
        String rewritten = Files.readString(conf, StandardCharsets.UTF_8);
        assertThat(rewritten).startsWith("# my settings\n").contains("appendonly no\n")
                .contains("user bob on #" + ALICE_HASH + " ~b* resetchannels -@all +get\n")
                .contains("user default on nopass ~* &* +@all\n")
                .doesNotContain("alice");
    }

    @Test
    void startUpRefusesBadOrConflictingUsers() throws Exception {
        Path dir = Files.createTempDirectory("panda-acl");
        Path file = dir.resolve("users.acl");
        Files.writeString(file, "user alice on ~* +nosuch\n");
        assertThatThrownBy(() -> new RunningPanda(dir, "--aclfile", file.toString()).close())
                .hasMessageContaining("Aborting Redis startup because of ACL errors: " + file + ":1: Error in applying "
                        + "operation '+nosuch': Unknown command or category name in ACL.");
        Files.writeString(file, "");
        assertThatThrownBy(() -> new RunningPanda(dir, "--aclfile", file.toString(), "--user", "bob", "on").close())
                .hasMessageContaining("please define either an ACL file or declare users directly in your redis.conf, "
                        + "but not both.");
        assertThatThrownBy(() -> new RunningPanda(dir, "--user", "bob", "on", "~x", "~*", "~y").close())
                .hasMessageContaining("Error loading ACL rule '~y' for the user named 'bob': Adding a pattern after the * "
                        + "pattern");
    }
}
