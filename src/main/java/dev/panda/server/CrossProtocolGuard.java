package dev.panda.server;

import dev.panda.command.Args;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis's defence against cross-protocol scripting: a web page can make a browser send an HTTP
 * request to a local Redis port, and each header line would run as an inline command. A
 * "command" named {@code POST} or {@code Host:} can only come from such a request, so the
 * connection is closed without running it, and a warning is logged at most once a minute (as
 * Redis's {@code securityWarningCommand}). Store thread.
 */
final class CrossProtocolGuard {
    private static final Logger LOG = LoggerFactory.getLogger(CrossProtocolGuard.class);
    private static long loggedAtMillis = Long.MIN_VALUE / 2;

    private CrossProtocolGuard() {
    }

    /** Whether {@code name} is the first word of an HTTP request line or header rather than a command. */
    static boolean isHttp(byte[] name) {
        return Args.is(name, "post") || Args.is(name, "host:");
    }

    /** Logs the attack (rate-limited); the caller closes the connection. */
    static void warn(String remoteAddress, long nowMillis) {
        if (Math.abs(nowMillis - loggedAtMillis) > 60_000) {
            loggedAtMillis = nowMillis;
            LOG.warn("Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Panda. "
                    + "This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Panda "
                    + "instance. Connection aborted. (client {})", remoteAddress);
        }
    }
}
