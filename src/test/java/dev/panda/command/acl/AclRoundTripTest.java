package dev.panda.command.acl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panda.command.ClientRegistry;
import dev.panda.command.CommandSpec;
import dev.panda.command.CommandTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ACL LIST's description of a user is a set of rules that rebuilds exactly the same user: for
 * random rule sequences, applying the description to a fresh user gives the same description
 * and the same verdict for every command. Test thread.
 */
class AclRoundTripTest {
    private static final CommandTable TABLE = new CommandTable();
    private static final List<String> RULES = List.of("+get", "-get", "+config|get", "-config", "+config", "+@read",
            "-@read", "+@write", "-@hash", "+@admin", "-@dangerous", "+@all", "-@all", "+select|1", "~k*", "%R~r*",
            "%W~w*", "&ch*", "allkeys", "resetkeys", "allchannels", "resetchannels", "on", "off", ">pw", "nopass",
            "(~x* +get)", "(%R~y* +@read -get)", "clearselectors", "+client|list", "-client");

    @Test
    void descriptionsRebuildTheSameUser() {
        Random random = new Random(42);
        int checked = 0;
        for (int round = 0; round < 500; round++) {
            Acl acl = new Acl(TABLE, new ClientRegistry());
            List<String> rules = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(8); i++) {
                rules.add(RULES.get(random.nextInt(RULES.size())));
            }
            if (acl.setUser("u", rules) != null) {
                continue; // a rule that contradicts an earlier one (a pattern after allkeys…)
            }
            String line = acl.list().get(1); // users in name order: default, then u
            assertThat(line).startsWith("user u ");
            Acl rebuilt = new Acl(TABLE, new ClientRegistry());
            List<String> described = new ArrayList<>(List.of(line.substring("user u ".length()).split(" ")));
            assertThat(rebuilt.setUser("u", described)).as("description %s", line).isNull();
            assertThat(rebuilt.list().get(1)).as("rules %s", rules).isEqualTo(line);
            checked++;
            AclUser a = acl.user("u");
            AclUser b = rebuilt.user("u");
            for (CommandSpec spec : TABLE.allWithSubcommands()) {
                for (String key : List.of("k1", "r1", "w1", "x1", "y1")) {
                    byte[][] argv = argv(spec, key);
                    assertThat(rebuilt.check(b, spec, argv)).as("%s %s after %s", spec.name(), key, rules)
                            .isEqualTo(acl.check(a, spec, argv));
                }
            }
        }
        assertThat(checked).as("rounds whose rules all applied").isGreaterThan(250);
    }

    /** A plausible call of the command naming {@code key} wherever a key may go. */
    private static byte[][] argv(CommandSpec spec, String key) {
        String[] name = spec.name().split("\\|");
        int argc = Math.max(Math.abs(spec.arity()), name.length);
        byte[][] argv = new byte[argc][];
        for (int i = 0; i < argc; i++) {
            argv[i] = (i < name.length ? name[i] : i == 2 && spec.name().equals("select") ? "1" : key).getBytes();
        }
        return argv;
    }
}
