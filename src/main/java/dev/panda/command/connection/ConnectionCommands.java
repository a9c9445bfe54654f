package dev.panda.command.connection;

import dev.panda.command.Args;
import dev.panda.command.Client;
import dev.panda.command.Errors;
import dev.panda.command.ServerContext;
import dev.panda.protocol.Reply;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** PING, ECHO, QUIT, RESET, HELLO and AUTH (checked by the ACL). Store thread only. */
public final class ConnectionCommands {

    public void ping(Client c, byte[][] argv, Reply r) {
        if (argv.length > 2) {
            r.error(Errors.wrongArgs("ping"));
        } else if (c.protocol() == 2 && c.subscriptions().any()) {
            r.array(2);
            r.bulk("pong");
            r.bulk(argv.length == 2 ? argv[1] : new byte[0]);
        } else if (argv.length == 2) {
            r.bulk(argv[1]);
        } else {
            r.simple("PONG");
        }
    }

    public void echo(Client c, byte[][] argv, Reply r) {
        r.bulk(argv[1]);
    }

    public void quit(Client c, byte[][] argv, Reply r) {
        r.ok();
        c.close();
    }

    public void reset(Client c, byte[][] argv, Reply r) {
        c.server().dispatcher().discard(c);
        c.server().pubsub().forget(c);
        c.reset();
        r.simple("RESET");
    }

    public void auth(Client c, byte[][] argv, Reply r) {
        if (argv.length > 3) {
            r.error(Errors.SYNTAX);
            return;
        }
        if (argv.length == 2 && c.server().acl().defaultUser().needsNoPasswordFlag()) {
            r.error("ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
            return;
        }
        byte[] user = argv.length == 3 ? argv[1] : Args.bytes("default");
        if (c.server().acl().authenticate(c, user, argv[argv.length - 1], Args.text(argv[0]), c.server().clock().nowMillis())) {
            r.ok();
        } else {
            r.error(Errors.WRONGPASS);
        }
    }

    public void hello(Client c, byte[][] argv, Reply r) {
        int protocol = c.protocol();
        int i = 1;
        if (argv.length > 1) {
            Long version = Args.tryParseLong(argv[1]);
            if (version == null) {
                r.error("ERR Protocol version is not an integer or out of range");
                return;
            }
            if (version < 2 || version > 3) {
                r.error("NOPROTO unsupported protocol version");
                return;
            }
            protocol = version.intValue();
            i = 2;
        }
        byte[] user = null;
        byte[] password = null;
        String name = null;
        for (; i < argv.length; i++) {
            int left = argv.length - i - 1;
            if (Args.is(argv[i], "auth") && left >= 2) {
                user = argv[++i];
                password = argv[++i];
            } else if (Args.is(argv[i], "setname") && left >= 1) {
                name = Args.text(argv[++i]);
            } else {
                r.error("ERR Syntax error in HELLO option '" + Args.text(argv[i]) + "'");
                return;
            }
        }
        if (password != null
                && !c.server().acl().authenticate(c, user, password, Args.text(argv[0]), c.server().clock().nowMillis())) {
            r.error(Errors.WRONGPASS);
            return;
        }
        if (!c.authenticated()) {
            r.error("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> "
                    + "AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol "
                    + "version at the same time");
            return;
        }
        if (name != null) {
            String invalid = ClientCommands.invalidName(name);
            if (invalid != null) {
                r.error(invalid);
                return;
            }
            c.setName(name);
        }
        c.setProtocol(protocol);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("server", "redis");
        info.put("version", ServerContext.REDIS_VERSION);
        info.put("proto", protocol);
        info.put("id", c.id());
        info.put("mode", "standalone");
        info.put("role", "master");
        info.put("modules", List.of());
        r.value(info);
    }
}
