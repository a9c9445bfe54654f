package dev.panda.command.connection;

import dev.panda.command.Args;
import dev.panda.command.Client;
import dev.panda.command.ClientPause;
import dev.panda.command.Errors;
import dev.panda.command.Help;
import dev.panda.protocol.Reply;
import java.util.ArrayList;
import java.util.List;

/** The CLIENT subcommands. Store thread only. */
public final class ClientCommands {

    /** Redis's rule for names and library info: printable ASCII without spaces; null if valid. */
    static String invalidName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') {
                return "ERR Client names cannot contain spaces, newlines or special characters.";
            }
        }
        return null;
    }

    public void id(Client c, byte[][] argv, Reply r) {
        r.integer(c.id());
    }

    public void setname(Client c, byte[][] argv, Reply r) {
        String name = Args.text(argv[2]);
        String invalid = invalidName(name);
        if (invalid != null) {
            r.error(invalid);
            return;
        }
        c.setName(name);
        r.ok();
    }

    public void getname(Client c, byte[][] argv, Reply r) {
        if (c.name().isEmpty()) {
            r.nullBulk();
        } else {
            r.bulk(c.name());
        }
    }

    public void setinfo(Client c, byte[][] argv, Reply r) {
        String value = Args.text(argv[3]);
        boolean libName = Args.is(argv[2], "lib-name");
        if (!libName && !Args.is(argv[2], "lib-ver")) {
            r.error("ERR Unrecognized option '" + Args.text(argv[2]) + "'");
            return;
        }
        String invalid = invalidName(value);
        if (invalid != null) {
            r.error("ERR " + (libName ? "lib-name" : "lib-ver") + " cannot contain spaces, newlines or special characters.");
            return;
        }
        if (libName) {
            c.setLibName(value);
        } else {
            c.setLibVersion(value);
        }
        r.ok();
    }

    public void info(Client c, byte[][] argv, Reply r) {
        r.verbatim(c.describe(c.server().clock().nowMillis()) + "\n");
    }

    public void list(Client c, byte[][] argv, Reply r) {
        List<Long> ids = null;
        String listType = null;
        for (int i = 2; i < argv.length; i++) {
            if (Args.is(argv[i], "type") && i + 1 < argv.length) {
                String type = Args.text(argv[++i]).toLowerCase(java.util.Locale.ROOT);
                if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
                    r.error("ERR Unknown client type '" + type + "'");
                    return;
                }
                listType = type;
            } else if (Args.is(argv[i], "id") && i + 1 < argv.length) {
                ids = new ArrayList<>();
                for (i++; i < argv.length; i++) {
                    Long id = Args.tryParseLong(argv[i]);
                    if (id == null || id <= 0) {
                        r.error("ERR Invalid client ID");
                        return;
                    }
                    ids.add(id);
                }
            } else {
                r.error(Errors.SYNTAX);
                return;
            }
        }
        long now = c.server().clock().nowMillis();
        StringBuilder sb = new StringBuilder();
        for (Client other : c.server().clients().all()) {
            String otherType = other.subscriptions().any() ? "pubsub" : "normal";
            if ((ids == null || ids.contains(other.id())) && (listType == null || listType.equals(otherType))) {
                sb.append(other.describe(now)).append('\n');
            }
        }
        r.verbatim(sb.toString());
    }

    /** CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 when the client was blocked and is now unblocked. */
    public void unblock(Client c, byte[][] argv, Reply r) {
        long id = Args.parseLong(argv[2]);
        boolean error = false;
        if (argv.length == 4) {
            if (Args.is(argv[3], "error")) {
                error = true;
            } else if (!Args.is(argv[3], "timeout")) {
                r.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
                return;
            }
        } else if (argv.length > 4) {
            r.error(Errors.SYNTAX);
            return;
        }
        Client target = c.server().clients().get(id);
        r.integer(target != null && c.server().blocking().unblock(target, error) ? 1 : 0);
    }

    public void kill(Client c, byte[][] argv, Reply r) {
        if (argv.length == 3) {
            String addr = Args.text(argv[2]);
            for (Client other : c.server().clients().all()) {
                if (other.connection().remoteAddress().equals(addr)) {
                    other.close();
                    r.ok();
                    return;
                }
            }
            r.error("ERR No such client");
            return;
        }
        Long id = null;
        String addr = null;
        String laddr = null;
        String type = null;
        dev.panda.command.acl.AclUser user = null;
        boolean skipMe = true;
        for (int i = 2; i < argv.length; i += 2) {
            if (i + 1 >= argv.length) {
                r.error(Errors.SYNTAX);
                return;
            }
            String value = Args.text(argv[i + 1]);
            if (Args.is(argv[i], "id")) {
                id = Args.tryParseLong(argv[i + 1]);
                if (id == null || id <= 0) {
                    r.error("ERR client-id should be greater than 0");
                    return;
                }
            } else if (Args.is(argv[i], "addr")) {
                addr = value;
            } else if (Args.is(argv[i], "laddr")) {
                laddr = value;
            } else if (Args.is(argv[i], "type")) {
                type = value.toLowerCase(java.util.Locale.ROOT);
                if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
                    r.error("ERR Unknown client type '" + value + "'");
                    return;
                }
            } else if (Args.is(argv[i], "user")) {
                user = c.server().acl().user(dev.panda.command.acl.Acl.text(argv[i + 1]));
                if (user == null) {
                    r.error("ERR No such user '" + value + "'");
                    return;
                }
            } else if (Args.is(argv[i], "skipme")) {
                if (Args.is(argv[i + 1], "yes")) {
                    skipMe = true;
                } else if (Args.is(argv[i + 1], "no")) {
                    skipMe = false;
                } else {
                    r.error(Errors.SYNTAX);
                    return;
                }
            } else {
                r.error(Errors.SYNTAX);
                return;
            }
        }
        List<Client> victims = new ArrayList<>();
        for (Client other : c.server().clients().all()) {
            boolean match = (id == null || other.id() == id)
                    && (addr == null || other.connection().remoteAddress().equals(addr))
                    && (laddr == null || other.connection().localAddress().equals(laddr))
                    && (type == null || type.equals(other.subscriptions().any() ? "pubsub" : "normal"))
                    && (user == null || other.user() == user)
                    && !(skipMe && other == c);
            if (match) {
                victims.add(other);
            }
        }
        victims.forEach(Client::close);
        r.integer(victims.size());
    }

    /** CLIENT PAUSE timeout-ms [WRITE|ALL]. */
    public void pause(Client c, byte[][] argv, Reply r) {
        ClientPause.Type type = ClientPause.Type.ALL;
        if (argv.length == 4) {
            if (Args.is(argv[3], "write")) {
                type = ClientPause.Type.WRITE;
            } else if (!Args.is(argv[3], "all")) {
                r.error("ERR CLIENT PAUSE mode must be WRITE or ALL");
                return;
            }
        } else if (argv.length > 4) {
            r.error("ERR unknown subcommand or wrong number of arguments for 'pause'. Try CLIENT HELP.");
            return;
        }
        Long timeout = Args.tryParseLong(argv[2]);
        if (timeout == null) {
            r.error("ERR timeout is not an integer or out of range");
            return;
        }
        if (timeout < 0) {
            r.error("ERR timeout is negative");
            return;
        }
        long now = c.server().clock().nowMillis();
        ClientPause pause = c.server().clientPause();
        pause.pause(type, now + timeout);
        // Ends the pause on time (the cron checks too, every 100 ms).
        c.connection().schedule(() -> pause.active(c.server().clock().nowMillis()), Math.min(timeout + 1, Integer.MAX_VALUE));
        r.ok();
    }

    /** CLIENT UNPAUSE. */
    public void unpause(Client c, byte[][] argv, Reply r) {
        c.server().clientPause().unpause();
        r.ok();
    }

    private static Boolean onOff(byte[] arg) {
        if (Args.is(arg, "on")) {
            return true;
        }
        return Args.is(arg, "off") ? false : null;
    }

    public void noEvict(Client c, byte[][] argv, Reply r) {
        Boolean on = onOff(argv[2]);
        if (on == null) {
            r.error(Errors.SYNTAX);
            return;
        }
        c.setNoEvict(on);
        r.ok();
    }

    /** CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p]... [BCAST] [OPTIN] [OPTOUT] [NOLOOP], checked as Redis does. */
    public void tracking(Client c, byte[][] argv, Reply r) {
        long redirect = 0;
        boolean bcast = false;
        boolean optin = false;
        boolean optout = false;
        boolean noloop = false;
        java.util.List<byte[]> prefixes = new java.util.ArrayList<>();
        for (int j = 3; j < argv.length; j++) {
            boolean more = j < argv.length - 1;
            if (Args.is(argv[j], "redirect") && more) {
                j++;
                if (redirect != 0) {
                    r.error("ERR A client can only redirect to a single other client");
                    return;
                }
                redirect = Args.parseLong(argv[j]);
                if (c.server().clients().get(redirect) == null) {
                    r.error("ERR The client ID you want redirect to does not exist");
                    return;
                }
            } else if (Args.is(argv[j], "bcast")) {
                bcast = true;
            } else if (Args.is(argv[j], "optin")) {
                optin = true;
            } else if (Args.is(argv[j], "optout")) {
                optout = true;
            } else if (Args.is(argv[j], "noloop")) {
                noloop = true;
            } else if (Args.is(argv[j], "prefix") && more) {
                prefixes.add(argv[++j]);
            } else {
                r.error(Errors.SYNTAX);
                return;
            }
        }
        dev.panda.command.Tracking tracking = c.server().tracking();
        if (Args.is(argv[2], "on")) {
            if (!bcast && !prefixes.isEmpty()) {
                r.error("ERR PREFIX option requires BCAST mode to be enabled");
                return;
            }
            dev.panda.command.Tracking.State current = c.tracking();
            if (current != null && current.bcast() != bcast) {
                r.error("ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then "
                        + "re-enabling it with a different mode.");
                return;
            }
            if (bcast && (optin || optout)) {
                r.error("ERR OPTIN and OPTOUT are not compatible with BCAST");
                return;
            }
            if (optin && optout) {
                r.error("ERR You can't specify both OPTIN mode and OPTOUT mode");
                return;
            }
            if (current != null && ((optin && current.optout()) || (optout && current.optin()))) {
                r.error("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then "
                        + "re-enabling it with a different mode.");
                return;
            }
            if (bcast) {
                String collision = dev.panda.command.Tracking.prefixCollision(current, prefixes);
                if (collision != null) {
                    r.error(collision);
                    return;
                }
            }
            tracking.enable(c, redirect, bcast, optin, optout, noloop, prefixes);
        } else if (Args.is(argv[2], "off")) {
            tracking.disable(c);
        } else {
            r.error(Errors.SYNTAX);
            return;
        }
        r.ok();
    }

    public void caching(Client c, byte[][] argv, Reply r) {
        dev.panda.command.Tracking.State s = c.tracking();
        if (s == null) {
            r.error("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled");
            return;
        }
        if (Args.is(argv[2], "yes")) {
            if (!s.optin()) {
                r.error("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
                return;
            }
        } else if (Args.is(argv[2], "no")) {
            if (!s.optout()) {
                r.error("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
                return;
            }
        } else {
            r.error(Errors.SYNTAX);
            return;
        }
        s.setCaching(true);
        r.ok();
    }

    public void getredir(Client c, byte[][] argv, Reply r) {
        r.integer(c.tracking() != null ? c.tracking().redirect() : -1);
    }

    public void trackinginfo(Client c, byte[][] argv, Reply r) {
        dev.panda.command.Tracking.State s = c.tracking();
        java.util.List<String> flags = new java.util.ArrayList<>();
        flags.add(s != null ? "on" : "off");
        if (s != null) {
            if (s.bcast()) {
                flags.add("bcast");
            }
            if (s.optin()) {
                flags.add("optin");
                if (s.caching()) {
                    flags.add("caching-yes");
                }
            }
            if (s.optout()) {
                flags.add("optout");
                if (s.caching()) {
                    flags.add("caching-no");
                }
            }
            if (s.noloop()) {
                flags.add("noloop");
            }
            if (s.brokenRedirect()) {
                flags.add("broken_redirect");
            }
        }
        r.map(3);
        r.bulk("flags");
        r.set(flags.size());
        flags.forEach(r::bulk);
        r.bulk("redirect");
        r.integer(s != null ? s.redirect() : -1);
        r.bulk("prefixes");
        java.util.List<byte[]> prefixes = s != null ? s.prefixList() : java.util.List.of();
        r.array(prefixes.size());
        prefixes.forEach(r::bulk);
    }

    public void noTouch(Client c, byte[][] argv, Reply r) {
        Boolean on = onOff(argv[2]);
        if (on == null) {
            r.error(Errors.SYNTAX);
            return;
        }
        c.setNoTouch(on);
        r.ok();
    }

    public void reply(Client c, byte[][] argv, Reply r) {
        if (Args.is(argv[2], "on")) {
            c.setReplyMode(Client.ReplyMode.ON);
            r.ok();
        } else if (Args.is(argv[2], "off")) {
            c.setReplyMode(Client.ReplyMode.OFF);
        } else if (Args.is(argv[2], "skip")) {
            if (c.replyMode() != Client.ReplyMode.OFF) {
                c.setReplyMode(Client.ReplyMode.SKIP);
            }
        } else {
            r.error(Errors.SYNTAX);
        }
    }

    public void help(Client c, byte[][] argv, Reply r) {
        Help.reply(r, "CLIENT",
                "CACHING (YES|NO)",
                "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
                "GETREDIR",
                "    Return the client ID we are redirecting to when tracking is enabled.",
                "GETNAME",
                "    Return the name of the current connection.",
                "ID",
                "    Return the ID of the current connection.",
                "INFO",
                "    Return information about the current client connection.",
                "KILL <ip:port>",
                "    Kill connection made from <ip:port>.",
                "KILL <option> <value> [<option> <value> [...]]",
                "    Kill connections. Options are:",
                "    * ADDR (<ip:port>|<unixsocket>:0)",
                "      Kill connections made from the specified address",
                "    * LADDR (<ip:port>|<unixsocket>:0)",
                "      Kill connections made to specified local address",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                "      Kill connections by type.",
                "    * USER <username>",
                "      Kill connections authenticated by <username>.",
                "    * SKIPME (YES|NO)",
                "      Skip killing current connection (default: yes).",
                "LIST [options ...]",
                "    Return information about client connections. Options:",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                "      Return clients of specified type.",
                "UNPAUSE",
                "    Stop the current client pause, resuming traffic.",
                "PAUSE <timeout> [WRITE|ALL]",
                "    Suspend all, or just write, clients for <timeout> milliseconds.",
                "REPLY (ON|OFF|SKIP)",
                "    Control the replies sent to the current connection.",
                "SETNAME <name>",
                "    Assign the name <name> to the current connection.",
                "UNBLOCK <clientid> [TIMEOUT|ERROR]",
                "    Unblock the specified blocked client.",
                "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
                "         [OPTIN] [OPTOUT] [NOLOOP]",
                "    Control server assisted client side caching.",
                "TRACKINGINFO",
                "    Report tracking status for the current connection.",
                "NO-EVICT (ON|OFF)",
                "    Protect current client connection from eviction.");
    }
}
