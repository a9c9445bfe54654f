package dev.panda.it;

import static dev.panda.it.RespConnection.NIL;
import static dev.panda.it.RespConnection.OK;
import static dev.panda.it.RespConnection.array;
import static dev.panda.it.RespConnection.bulk;
import static dev.panda.it.RespConnection.error;
import static dev.panda.it.RespConnection.integer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ACL users and permissions, asserted against Panda ({@link PandaAclIT}) and Debian's real
 * redis-server ({@link RedisAclIT}): SETUSER rules and their errors, GETUSER and LIST output,
 * DRYRUN, the NOPERM texts at the top level, in MULTI/EXEC and in scripts, AUTH failures and
 * the ACL log, selectors, read/write key patterns, and the clients a rule change disconnects.
 * Rules with several single commands are avoided where the output order would follow Redis's
 * hash-table order. Test thread.
 */
abstract class AclContract extends ServerContract {

    @AfterEach
    void resetAcl() throws IOException {
        try (RespConnection admin = new RespConnection(port())) {
            admin.call("AUTH", "default", "adminpw"); // when a test left a password on the default user
            admin.call("CONFIG", "SET", "requirepass", "");
            // Not "reset": that adds sanitize-payload, which no rule removes.
            admin.call("ACL", "SETUSER", "default", "on", "nopass", "allkeys", "allchannels", "allcommands", "clearselectors");
            String users = admin.call("ACL", "USERS");
            for (String name : bulks(users)) {
                if (!name.equals("default")) {
                    admin.call("ACL", "DELUSER", name);
                }
            }
            admin.call("ACL", "LOG", "RESET");
        }
    }

    /** The bulk strings of a flat array reply. */
    static List<String> bulks(String reply) {
        List<String> out = new java.util.ArrayList<>();
        Matcher m = Pattern.compile("\\$(\\d+)\r\n").matcher(reply);
        int at = 0;
        while (m.find(at)) {
            int start = m.end();
            int n = Integer.parseInt(m.group(1));
            out.add(reply.substring(start, start + n));
            at = start + n + 2;
        }
        return out;
    }

    @Test
    void aNewUserIsOffWithNoPermissions() throws IOException {
        assertThat(c.call("ACL", "SETUSER", "alice")).isEqualTo(OK);
        assertThat(c.call("ACL", "LIST")).isEqualTo(array(bulk("user alice off resetchannels -@all"),
                bulk("user default on nopass ~* &* +@all")));
        assertThat(c.call("ACL", "GETUSER", "alice")).isEqualTo(array(bulk("flags"), array(bulk("off")),
                bulk("passwords"), array(), bulk("commands"), bulk("-@all"), bulk("keys"), bulk(""),
                bulk("channels"), bulk(""), bulk("selectors"), array()));
        assertThat(c.call("ACL", "GETUSER", "nobody")).isEqualTo(NIL);
        assertThat(c.call("ACL", "USERS")).isEqualTo(array(bulk("alice"), bulk("default")));
        assertThat(c.call("ACL", "WHOAMI")).isEqualTo(bulk("default"));
    }

    @Test
    void rulesAreDescribedBackAsRedisDoes() throws IOException {
        assertThat(c.call("ACL", "SETUSER", "alice", "on", ">pw", "~foo*", "%R~bar*", "%W~baz*", "%RW~qux",
                "&chan*", "+@hash", "-hdel")).isEqualTo(OK);
        String hash = "30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4"; // SHA-256 of "pw"
        assertThat(c.call("ACL", "GETUSER", "alice")).isEqualTo(array(bulk("flags"), array(bulk("on")),
                bulk("passwords"), array(bulk(hash)), bulk("commands"), bulk("-@all +@hash -hdel"),
                bulk("keys"), bulk("~foo* %R~bar* %W~baz* ~qux"), bulk("channels"), bulk("&chan*"),
                bulk("selectors"), array()));
        assertThat(c.call("ACL", "LIST")).contains(bulk("user alice on #" + hash
                + " ~foo* %R~bar* %W~baz* ~qux resetchannels &chan* -@all +@hash -hdel"));
        // Passwords by hash, removal, nopass and resetpass.
        assertThat(c.call("ACL", "SETUSER", "alice", "<pw", "#" + hash.replace('3', '4'))).isEqualTo(OK);
        assertThat(c.call("ACL", "GETUSER", "alice")).contains(array(bulk(hash.replace('3', '4'))));
        assertThat(c.call("ACL", "SETUSER", "alice", "!" + hash.replace('3', '4'), "nopass")).isEqualTo(OK);
        assertThat(c.call("ACL", "GETUSER", "alice")).startsWith("*12\r\n" + bulk("flags") + array(bulk("on"), bulk("nopass"))
                + bulk("passwords") + array());
        assertThat(c.call("ACL", "SETUSER", "alice", "resetpass", "allkeys", "allchannels", "allcommands", "-debug"))
                .isEqualTo(OK);
        assertThat(c.call("ACL", "LIST")).contains(bulk("user alice on ~* &* +@all -debug"));
        assertThat(c.call("ACL", "SETUSER", "alice", "nocommands", "+@read", "-get", "resetkeys", "~k")).isEqualTo(OK);
        assertThat(c.call("ACL", "LIST")).contains(bulk("user alice on ~k &* -@all +@read -get"));
        assertThat(c.call("ACL", "SETUSER", "alice", "reset")).isEqualTo(OK);
        assertThat(c.call("ACL", "LIST")).contains(bulk("user alice off sanitize-payload resetchannels -@all"));
        assertThat(c.call("ACL", "SETUSER", "alice", "skip-sanitize-payload", "+config|get")).isEqualTo(OK);
        assertThat(c.call("ACL", "LIST")).contains(bulk("user alice off skip-sanitize-payload resetchannels -@all"
                + " +config|get"));
    }

    @Test
    void badRulesChangeNothingAndSayWhy() throws IOException {
        assertThat(c.call("ACL", "SETUSER", "alice", "on", "~*")).isEqualTo(OK);
        String before = c.call("ACL", "LIST");
        String prefix = "ERR Error in ACL SETUSER modifier ";
        assertThat(c.call("ACL", "SETUSER", "alice", "off", "~x")).isEqualTo(error(prefix + "'~x': Adding a pattern after the * "
                + "pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with "
                + "an empty list of patterns"));
        assertThat(c.call("ACL", "SETUSER", "alice", "off", "&*", "&x")).isEqualTo(error(prefix + "'&x': Adding a pattern "
                + "after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try "
                + "'resetchannels' to start with an empty list of channels"));
        assertThat(c.call("ACL", "SETUSER", "alice", "+nosuch")).isEqualTo(error(prefix + "'+nosuch': Unknown command or "
                + "category name in ACL"));
        assertThat(c.call("ACL", "SETUSER", "alice", "-@nosuch")).isEqualTo(error(prefix + "'-@nosuch': Unknown command or "
                + "category name in ACL"));
        assertThat(c.call("ACL", "SETUSER", "alice", "#abc")).isEqualTo(error(prefix + "'#abc': The password hash must be "
                + "exactly 64 characters and contain only lowercase hexadecimal characters"));
        assertThat(c.call("ACL", "SETUSER", "alice", "<nopw")).isEqualTo(error(prefix + "'<nopw': The password you are "
                + "trying to remove from the user does not exist"));
        assertThat(c.call("ACL", "SETUSER", "alice", "bogus")).isEqualTo(error(prefix + "'bogus': Syntax error"));
        assertThat(c.call("ACL", "SETUSER", "alice", "%X~k")).isEqualTo(error(prefix + "'%X~k': Adding a pattern after "
                + "the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start "
                + "with an empty list of patterns")); // allkeys is checked first
        assertThat(c.call("ACL", "SETUSER", "bob", "%X~k")).isEqualTo(error(prefix + "'%X~k': Syntax error"));
        assertThat(c.call("ACL", "SETUSER", "alice", "+config|get|x")).isEqualTo(error(prefix + "'+config|get|x': Allowing "
                + "first-arg of a subcommand is not supported"));
        assertThat(c.call("ACL", "SETUSER", "alice", "(~x", "+get")).isEqualTo(error("ERR Unmatched parenthesis in acl "
                + "selector starting at '(~x'."));
        assertThat(c.call("ACL", "SETUSER", "alice", "(~x +nosuch)")).isEqualTo(error(prefix + "'(~x +nosuch)': Unknown "
                + "command or category name in ACL"));
        assertThat(c.call("ACL", "SETUSER", "a b")).isEqualTo(error("ERR Usernames can't contain spaces or null characters"));
        assertThat(c.call("ACL", "LIST")).isEqualTo(before);
        assertThat(c.call("ACL", "DELUSER", "default")).isEqualTo(error("ERR The 'default' user cannot be removed"));
        assertThat(c.call("ACL", "DELUSER", "alice", "nobody")).isEqualTo(integer(1));
    }

    @Test
    void selectorsAddAlternativePermissions() throws IOException {
        assertThat(c.call("ACL", "SETUSER", "bob", "on", "nopass", "(~x* +get)", "(", "~y*", "+set", ")")).isEqualTo(OK);
        assertThat(c.call("ACL", "GETUSER", "bob")).isEqualTo(array(bulk("flags"), array(bulk("on"), bulk("nopass")),
                bulk("passwords"), array(), bulk("commands"), bulk("-@all"), bulk("keys"), bulk(""), bulk("channels"),
                bulk(""), bulk("selectors"), array(
                        array(bulk("commands"), bulk("-@all +get"), bulk("keys"), bulk("~x*"), bulk("channels"), bulk("")),
                        array(bulk("commands"), bulk("-@all +set"), bulk("keys"), bulk("~y*"), bulk("channels"), bulk("")))));
        assertThat(c.call("ACL", "LIST")).contains(bulk("user bob on nopass resetchannels -@all (~x* resetchannels -@all "
                + "+get) (~y* resetchannels -@all +set)"));
        assertThat(c.call("ACL", "DRYRUN", "bob", "get", "x1")).isEqualTo(OK);
        assertThat(c.call("ACL", "DRYRUN", "bob", "set", "y1", "v")).isEqualTo(OK);
        assertThat(c.call("ACL", "DRYRUN", "bob", "set", "x1", "v")).isEqualTo(bulk("This user has no permissions to access "
                + "the 'x1' key"));
        assertThat(c.call("ACL", "DRYRUN", "bob", "del", "x1")).isEqualTo(bulk("This user has no permissions to run the "
                + "'del' command"));
        assertThat(c.call("ACL", "SETUSER", "bob", "clearselectors")).isEqualTo(OK);
        assertThat(c.call("ACL", "LIST")).contains(bulk("user bob on nopass resetchannels -@all"));
    }

    @Test
    void dryRunNamesWhatIsMissing() throws IOException {
        c.call("ACL", "SETUSER", "alice", "on", "~foo*", "%R~bar*", "&chan*", "+get", "+set", "+publish", "+config|get");
        assertThat(c.call("ACL", "DRYRUN", "alice", "get", "foo1")).isEqualTo(OK);
        assertThat(c.call("ACL", "DRYRUN", "alice", "get", "bar1")).isEqualTo(OK);
        assertThat(c.call("ACL", "DRYRUN", "alice", "set", "bar1", "x")).isEqualTo(bulk("This user has no permissions to "
                + "access the 'bar1' key"));
        assertThat(c.call("ACL", "DRYRUN", "alice", "lpush", "foo1", "x")).isEqualTo(bulk("This user has no permissions to "
                + "run the 'lpush' command"));
        assertThat(c.call("ACL", "DRYRUN", "alice", "publish", "chan1", "x")).isEqualTo(OK);
        assertThat(c.call("ACL", "DRYRUN", "alice", "publish", "other", "x")).isEqualTo(bulk("This user has no permissions "
                + "to access the 'other' channel"));
        assertThat(c.call("ACL", "DRYRUN", "alice", "config", "get", "port")).isEqualTo(OK);
        assertThat(c.call("ACL", "DRYRUN", "alice", "config", "set", "port", "1")).isEqualTo(bulk("This user has no "
                + "permissions to run the 'config|set' command"));
        assertThat(c.call("ACL", "DRYRUN", "nobody", "get", "x")).isEqualTo(error("ERR User 'nobody' not found"));
        assertThat(c.call("ACL", "DRYRUN", "alice", "nosuch", "x")).isEqualTo(error("ERR Command 'nosuch' not found"));
        assertThat(c.call("ACL", "DRYRUN", "alice", "get")).isEqualTo(error("ERR wrong number of arguments for 'get' command"));
    }

    @Test
    void keysOfEveryKindOfCommandAreChecked() throws IOException {
        c.call("ACL", "SETUSER", "alice", "on", "nopass", "~k*", "+@all");
        try (RespConnection a = new RespConnection(port())) {
            assertThat(a.call("AUTH", "alice", "x")).isEqualTo(OK);
            String keyDenied = error("NOPERM this user has no permissions to access one of the keys used as arguments");
            assertThat(a.call("MSET", "k1", "1", "k2", "2")).isEqualTo(OK);
            assertThat(a.call("MSET", "k1", "1", "x", "2")).isEqualTo(keyDenied);
            assertThat(a.call("ZUNIONSTORE", "k3", "2", "k1", "x")).isEqualTo(keyDenied);
            assertThat(a.call("ZUNIONSTORE", "k3", "1", "k1")).startsWith("-WRONGTYPE");
            assertThat(a.call("XREAD", "STREAMS", "k1", "x", "0", "0")).isEqualTo(keyDenied);
            assertThat(a.call("EVAL", "return 1", "1", "x")).isEqualTo(keyDenied);
            assertThat(a.call("EVAL", "return 1", "1", "k1")).isEqualTo(integer(1));
            assertThat(a.call("SORT", "k1", "STORE", "x")).isEqualTo(keyDenied);
            assertThat(a.call("LMPOP", "2", "k9", "x", "LEFT")).isEqualTo(keyDenied);
            assertThat(a.call("GEOSEARCHSTORE", "x", "k1", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km")).isEqualTo(keyDenied);
            assertThat(a.call("BITOP", "AND", "k5", "k1", "x")).isEqualTo(keyDenied);
            assertThat(a.call("RENAME", "k1", "x")).isEqualTo(keyDenied);
            assertThat(a.call("KEYS", "*")).startsWith("*"); // patterns are not keys
            assertThat(a.call("FLUSHALL")).isEqualTo(OK); // nor is the whole keyspace
        }
    }

    @Test
    void readAndWritePatternsAreSeparate() throws IOException {
        c.call("ACL", "SETUSER", "u2", "on", "nopass", "%R~r*", "%W~w*", "+@all");
        String keyDenied = error("NOPERM this user has no permissions to access one of the keys used as arguments");
        try (RespConnection a = new RespConnection(port())) {
            assertThat(a.call("AUTH", "u2", "x")).isEqualTo(OK);
            assertThat(a.call("GET", "r1")).isEqualTo(NIL);
            assertThat(a.call("SET", "r1", "v")).isEqualTo(keyDenied);
            assertThat(a.call("SET", "w1", "v")).isEqualTo(OK);
            assertThat(a.call("SET", "w1", "v", "GET")).isEqualTo(keyDenied); // GET makes it a read too
            assertThat(a.call("GET", "w1")).isEqualTo(keyDenied);
            assertThat(a.call("COPY", "r1", "w1")).isEqualTo(integer(0));
            assertThat(a.call("COPY", "w1", "r1")).isEqualTo(keyDenied);
            assertThat(a.call("EXISTS", "w1")).isEqualTo(integer(1)); // no read of the value: any pattern will do
            assertThat(a.call("BITFIELD", "r1", "GET", "u8", "0")).startsWith("*");
            assertThat(a.call("BITFIELD", "r1", "SET", "u8", "0", "1")).isEqualTo(keyDenied);
        }
    }

    @Test
    void deniedCommandsKeysAndChannelsGetNoperm() throws IOException {
        c.call("ACL", "SETUSER", "u1", "on", ">p1", "~k*", "&ch*", "+@all", "-flushall");
        try (RespConnection a = new RespConnection(port())) {
            assertThat(a.call("AUTH", "u1", "p1")).isEqualTo(OK);
            assertThat(a.call("ACL", "WHOAMI")).isEqualTo(bulk("u1"));
            assertThat(a.call("GET", "k1")).isEqualTo(NIL);
            assertThat(a.call("GET", "x")).isEqualTo(error("NOPERM this user has no permissions to access one of the keys "
                    + "used as arguments"));
            assertThat(a.call("FLUSHALL")).isEqualTo(error("NOPERM this user has no permissions to run the 'flushall' command"));
            assertThat(a.call("PUBLISH", "ch1", "m")).isEqualTo(integer(0));
            String channelDenied = error("NOPERM this user has no permissions to access one of the channels used as arguments");
            assertThat(a.call("PUBLISH", "zz", "m")).isEqualTo(channelDenied);
            assertThat(a.call("SUBSCRIBE", "zz")).isEqualTo(channelDenied);
            assertThat(a.call("PSUBSCRIBE", "ch*x")).isEqualTo(channelDenied); // a pattern must equal an ACL pattern
        }
        c.call("ACL", "SETUSER", "u3", "on", "nopass", "-@all", "+select|0", "+acl|whoami");
        try (RespConnection a = new RespConnection(port())) {
            assertThat(a.call("AUTH", "u3", "any")).isEqualTo(OK);
            assertThat(a.call("SELECT", "0")).isEqualTo(OK);
            assertThat(a.call("SELECT", "1")).isEqualTo(error("NOPERM this user has no permissions to run the 'select' command"));
            assertThat(a.call("ACL", "WHOAMI")).isEqualTo(bulk("u3"));
            assertThat(a.call("ACL", "LIST")).isEqualTo(error("NOPERM this user has no permissions to run the 'acl|list' "
                    + "command"));
            assertThat(a.call("PING")).isEqualTo(error("NOPERM this user has no permissions to run the 'ping' command"));
            assertThat(a.call("AUTH", "default", "x")).isEqualTo(OK); // AUTH is always allowed
        }
    }

    @Test
    void transactionsAreCheckedWhenQueuedAndAgainAtExec() throws IOException {
        c.call("ACL", "SETUSER", "u1", "on", ">p1", "~k*", "+@all");
        try (RespConnection a = new RespConnection(port())) {
            a.call("AUTH", "u1", "p1");
            assertThat(a.call("MULTI")).isEqualTo(OK);
            assertThat(a.call("SET", "k1", "v")).isEqualTo("+QUEUED\r\n");
            assertThat(a.call("SET", "x", "v")).isEqualTo(error("NOPERM this user has no permissions to access one of the "
                    + "keys used as arguments"));
            assertThat(a.call("EXEC")).isEqualTo(error("EXECABORT Transaction discarded because of previous errors."));
            assertThat(a.call("MULTI")).isEqualTo(OK);
            assertThat(a.call("SET", "k1", "v")).isEqualTo("+QUEUED\r\n");
            assertThat(a.call("GET", "k1")).isEqualTo("+QUEUED\r\n");
            assertThat(c.call("ACL", "SETUSER", "u1", "-get")).isEqualTo(OK);
            assertThat(a.call("EXEC")).isEqualTo(array(OK, error("NOPERM ACLs rules changed between the moment the "
                    + "transaction was accumulated and the EXEC call. This command is no longer allowed for the following "
                    + "reason: no permission to execute the command or subcommand")));
        }
        String log = c.call("ACL", "LOG", "1");
        assertThat(bulks(log)).containsSubsequence("reason", "command", "context", "multi", "object", "get", "username", "u1");
    }

    @Test
    void scriptsRunWithTheCallersPermissions() throws IOException {
        c.call("ACL", "SETUSER", "u1", "on", ">p1", "~k*", "+@all", "-flushall");
        try (RespConnection a = new RespConnection(port())) {
            a.call("AUTH", "u1", "p1");
            assertThat(a.call("EVAL", "return redis.call('get','x')", "0")).startsWith(error("ERR The user executing the "
                    + "script can't access at least one of the keys mentioned in the command arguments script:").trim());
            assertThat(a.call("EVAL", "return redis.call('flushall')", "0")).startsWith(error("ERR The user executing the "
                    + "script can't run this command or subcommand script:").trim());
            assertThat(a.call("EVAL", "return redis.pcall('get','x')", "0")).isEqualTo(error("ERR The user executing the "
                    + "script can't access at least one of the keys mentioned in the command arguments"));
            assertThat(a.call("EVAL", "return redis.acl_check_cmd('get','x')", "0")).isEqualTo(NIL);
            assertThat(a.call("EVAL", "return redis.acl_check_cmd('get','k')", "0")).isEqualTo(integer(1));
            assertThat(a.call("EVAL", "return redis.call('get','k1')", "0")).isEqualTo(NIL);
        }
        String log = c.call("ACL", "LOG", "1");
        assertThat(bulks(log)).containsSubsequence("reason", "key", "context", "lua", "object", "x", "username", "u1");
    }

    @Test
    void authFailuresAreRefusedAndLogged() throws IOException {
        assertThat(c.call("AUTH", "pw")).isEqualTo(error("ERR AUTH <password> called without any password configured for "
                + "the default user. Are you sure your configuration is correct?"));
        c.call("ACL", "SETUSER", "u1", "on", ">p1");
        c.call("ACL", "SETUSER", "off1", "off", ">p1");
        String wrongpass = error("WRONGPASS invalid username-password pair or user is disabled.");
        try (RespConnection a = new RespConnection(port())) {
            assertThat(a.call("AUTH", "u1", "bad")).isEqualTo(wrongpass);
            assertThat(a.call("AUTH", "u1", "bad")).isEqualTo(wrongpass);
            assertThat(a.call("AUTH", "off1", "p1")).isEqualTo(wrongpass);
            assertThat(a.call("AUTH", "nobody", "p1")).isEqualTo(wrongpass);
            assertThat(a.call("HELLO", "3", "AUTH", "u1", "bad")).isEqualTo(wrongpass);
            assertThat(a.call("AUTH", "u1", "p1")).isEqualTo(OK);
            assertThat(a.call("AUTH", "a", "b", "c")).isEqualTo(error("ERR syntax error"));
        }
        List<String> log = bulks(c.call("ACL", "LOG"));
        // Newest first; two identical failures within a minute are one entry counted twice.
        assertThat(String.join(" ", log)).contains("reason auth context toplevel object HELLO username u1");
        assertThat(String.join(" ", log)).contains("reason auth context toplevel object AUTH username nobody");
        assertThat(String.join(" ", log)).contains("reason auth context toplevel object AUTH username off1");
        assertThat(c.call("ACL", "LOG")).contains(":2\r\n$6\r\nreason\r\n$4\r\nauth\r\n$7\r\ncontext\r\n$8\r\ntoplevel"
                + "\r\n$6\r\nobject\r\n$4\r\nAUTH\r\n$8\r\nusername\r\n$2\r\nu1\r\n");
        assertThat(c.call("ACL", "LOG", "2")).startsWith("*2\r\n");
        assertThat(c.call("ACL", "LOG", "RESET")).isEqualTo(OK);
        assertThat(c.call("ACL", "LOG")).isEqualTo("*0\r\n");
        assertThat(c.call("ACL", "LOG", "x")).isEqualTo(error("ERR value is not an integer or out of range"));
        assertThat(c.call("ACL", "LOG", "1", "2")).isEqualTo(error("ERR unknown subcommand or wrong number of arguments "
                + "for 'LOG'. Try ACL HELP."));
    }

    @Test
    void requirepassIsTheDefaultUsersPassword() throws IOException {
        try (RespConnection before = new RespConnection(port())) {
            assertThat(before.call("PING")).isEqualTo("+PONG\r\n"); // so that the server has taken the connection
            assertThat(c.call("CONFIG", "SET", "requirepass", "adminpw")).isEqualTo(OK);
            assertThat(c.call("ACL", "LIST")).isEqualTo(array(bulk("user default on #5fcf82bc15aef42cd3ec93e6d4b51c04df110cf77ee715f62f3f172ff8ed9de9 ~* &* +@all")));
            assertThat(before.call("PING")).isEqualTo("+PONG\r\n"); // connected while no password was needed
            try (RespConnection after = new RespConnection(port())) {
                assertThat(after.call("PING")).isEqualTo(error("NOAUTH Authentication required."));
                assertThat(after.call("AUTH", "wrong")).isEqualTo(error("WRONGPASS invalid username-password pair or user "
                        + "is disabled."));
                assertThat(after.call("AUTH", "adminpw")).isEqualTo(OK);
                assertThat(after.call("PING")).isEqualTo("+PONG\r\n");
            }
            c.call("ACL", "SETUSER", "default", "nopass");
            try (RespConnection after = new RespConnection(port())) {
                assertThat(after.call("PING")).isEqualTo("+PONG\r\n");
            }
        }
    }

    @Test
    void deletingAUserDisconnectsItsClients() throws IOException {
        c.call("ACL", "SETUSER", "gone", "on", "nopass", "+@all", "~*");
        try (RespConnection a = new RespConnection(port()); RespConnection b = new RespConnection(port())) {
            assertThat(a.call("AUTH", "gone", "x")).isEqualTo(OK);
            assertThat(b.call("AUTH", "gone", "x")).isEqualTo(OK);
            assertThat(b.call("ACL", "DELUSER", "gone")).isEqualTo(integer(1)); // its own client gets the reply, then closes
            assertThat(a.closedByServer()).isTrue();
            assertThat(b.closedByServer()).isTrue();
        }
    }

    @Test
    void setuserArgumentsAreRedactedInTheSlowLog() throws IOException {
        assertThat(c.call("CONFIG", "SET", "slowlog-log-slower-than", "0")).isEqualTo(OK);
        try {
            c.call("SLOWLOG", "RESET");
            assertThat(c.call("ACL", "SETUSER", "red", "on", ">pw")).isEqualTo(OK);
            String redacted = bulk("(redacted)");
            assertThat(c.call("SLOWLOG", "GET", "1")).contains(array(bulk("ACL"), bulk("SETUSER"), redacted, redacted,
                    redacted));
        } finally {
            c.call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
        }
    }

    @Test
    void clientKillByUser() throws IOException {
        c.call("ACL", "SETUSER", "k", "on", "nopass", "+@all", "~*");
        try (RespConnection a = new RespConnection(port()); RespConnection b = new RespConnection(port())) {
            assertThat(a.call("AUTH", "k", "x")).isEqualTo(OK);
            assertThat(b.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(c.call("CLIENT", "KILL", "USER", "k")).isEqualTo(integer(1));
            assertThat(a.closedByServer()).isTrue();
            assertThat(b.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(c.call("CLIENT", "KILL", "USER", "nobody")).isEqualTo(error("ERR No such user 'nobody'"));
        }
    }

    @Test
    void revokingAChannelDisconnectsItsSubscribers() throws IOException {
        c.call("ACL", "SETUSER", "sub", "on", "nopass", "+@all", "&news*", "&other");
        try (RespConnection a = new RespConnection(port()); RespConnection b = new RespConnection(port())) {
            a.call("AUTH", "sub", "x");
            b.call("AUTH", "sub", "x");
            assertThat(a.call("SUBSCRIBE", "news1")).startsWith("*3\r\n$9\r\nsubscribe");
            assertThat(b.call("SUBSCRIBE", "other")).startsWith("*3\r\n$9\r\nsubscribe");
            assertThat(c.call("ACL", "SETUSER", "sub", "resetchannels", "&other")).isEqualTo(OK);
            assertThat(a.closedByServer()).isTrue();
            assertThat(b.call("PING")).isEqualTo(array(bulk("pong"), bulk("")));
        }
    }

    @Test
    void categoriesGenpassAndHelp() throws IOException {
        List<String> categories = bulks(c.call("ACL", "CAT"));
        assertThat(categories).containsExactly("keyspace", "read", "write", "set", "sortedset", "list", "hash", "string",
                "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking", "dangerous",
                "connection", "transaction", "scripting");
        Set<String> geo = new HashSet<>(bulks(c.call("ACL", "CAT", "geo")));
        assertThat(geo).isEqualTo(Set.of("geoadd", "geopos", "geodist", "geohash", "georadius", "georadius_ro",
                "georadiusbymember", "georadiusbymember_ro", "geosearch", "geosearchstore"));
        assertThat(c.call("ACL", "CAT", "nosuch")).isEqualTo(error("ERR Unknown category 'nosuch'"));
        assertThat(c.call("ACL", "CAT", "a", "b")).isEqualTo(error("ERR unknown subcommand or wrong number of arguments "
                + "for 'CAT'. Try ACL HELP."));
        assertThat(bulks(c.call("ACL", "GENPASS")).get(0)).matches("[0-9a-f]{64}");
        assertThat(bulks(c.call("ACL", "GENPASS", "5")).get(0)).matches("[0-9a-f]{2}");
        assertThat(c.call("ACL", "GENPASS", "0")).isEqualTo(error("ERR ACL GENPASS argument must be the number of bits for "
                + "the output password, a positive number up to 4096"));
        assertThat(c.call("ACL", "HELP")).startsWith("*29\r\n+ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
                + "\r\n+CAT [<category>]\r\n");
        assertThat(c.call("ACL", "LOAD")).isEqualTo(error("ERR This Redis instance is not configured to use an ACL file. You "
                + "may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you "
                + "have a Redis configuration file set) in order to store users in the Redis configuration."));
        assertThat(c.call("ACL", "NOSUCH")).isEqualTo(error("ERR unknown subcommand 'NOSUCH'. Try ACL HELP."));
        assertThat(new HashSet<>(bulks(c.call("CONFIG", "GET", "acl*")))) // in hash-table order in Redis
                .isEqualTo(Set.of("aclfile", "", "acllog-max-len", "128", "acl-pubsub-default", "resetchannels"));
    }

    @Test
    void theLogKeepsAtMostAcllogMaxLenEntries() throws IOException {
        assertThat(c.call("CONFIG", "SET", "acllog-max-len", "2")).isEqualTo(OK);
        try {
            for (String user : Arrays.asList("a", "b", "c")) {
                c.call("AUTH", user, "x");
            }
            List<String> log = bulks(c.call("ACL", "LOG"));
            assertThat(String.join(" ", log)).contains("username c").contains("username b").doesNotContain("username a");
        } finally {
            c.call("CONFIG", "SET", "acllog-max-len", "128");
        }
    }
}
