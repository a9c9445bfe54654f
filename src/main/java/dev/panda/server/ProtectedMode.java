package dev.panda.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Redis's protected mode: while {@code protected-mode} is on and the default user has no
 * password, only loopback clients are served; any other connection gets {@link #DENIED} and is
 * closed, so a server started without a password is not open to the network by accident. Pure
 * functions; store thread.
 */
final class ProtectedMode {
    /** Redis 7.0's reply, word for word (networking.c), so the advice it gives applies to Panda too. */
    static final String DENIED = "-DENIED Redis is running in protected mode because protected "
            + "mode is enabled and no password is set for the default user. "
            + "In this mode connections are only accepted from the loopback interface. "
            + "If you want to connect from external computers to Redis you "
            + "may adopt one of the following solutions: "
            + "1) Just disable protected mode sending the command "
            + "'CONFIG SET protected-mode no' from the loopback interface "
            + "by connecting to Redis from the same host the server is "
            + "running, however MAKE SURE Redis is not publicly accessible "
            + "from internet if you do so. Use CONFIG REWRITE to make this "
            + "change permanent. "
            + "2) Alternatively you can just disable the protected mode by "
            + "editing the Redis configuration file, and setting the protected "
            + "mode option to 'no', and then restarting the server. "
            + "3) If you started the server manually just for testing, restart "
            + "it with the '--protected-mode no' option. "
            + "4) Setup a an authentication password for the default user. "
            + "NOTE: You only need to do one of the above things in order for "
            + "the server to start accepting connections from the outside.\r\n";

    private ProtectedMode() {
    }

    /**
     * Whether a connection from {@code remote} must be refused: protected mode is on and the
     * default user needs no password (it has nopass, as without requirepass).
     */
    static boolean refuses(boolean protectedMode, boolean defaultUserNeedsNoPassword, SocketAddress remote) {
        if (!protectedMode || !defaultUserNeedsNoPassword) {
            return false;
        }
        if (remote instanceof InetSocketAddress inet) {
            InetAddress a = inet.getAddress();
            return a == null || !isLoopbackAsRedisSeesIt(a);
        }
        return false; // a Unix socket is local
    }

    /** Redis compares the peer's text with 127.0.0.1 and ::1 exactly (islocalClient). */
    private static boolean isLoopbackAsRedisSeesIt(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return b[0] == 127 && b[1] == 0 && b[2] == 0 && b[3] == 1;
        }
        for (int i = 0; i < 15; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[15] == 1;
    }
}
