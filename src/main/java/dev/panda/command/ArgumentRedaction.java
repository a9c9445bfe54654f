package dev.panda.command;

import java.nio.charset.StandardCharsets;

/**
 * Which arguments the slow log and MONITOR show as "(redacted)" instead of their value, as Redis
 * 7 does: the password (and user) of AUTH, the user and password after HELLO's AUTH option, and
 * the value of a sensitive directive in CONFIG SET. Redis redacts while the command parses its
 * arguments, so arguments after a syntax error stay visible; this mirrors that parse. Computed
 * only for commands that are logged or fed to a monitor, never on the plain command path.
 *
 * <p>Store thread only (pure functions).
 */
final class ArgumentRedaction {
    static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

    private ArgumentRedaction() {
    }

    /** A bit mask of the argument positions to redact (positions 64 and up are never redacted). */
    static long mask(CommandSpec spec, byte[][] argv) {
        switch (spec.name()) {
            case "auth" -> {
                if (argv.length > 3) {
                    return 0; // a syntax error before Redis redacts
                }
                return argv.length == 3 ? 0b110 : 0b10;
            }
            case "hello" -> {
                return hello(argv);
            }
            case "acl|setuser" -> {
                long mask = 0;
                for (int i = 2; i < argv.length && i < 64; i++) {
                    mask |= 1L << i; // the user and every rule, as Redis redacts them
                }
                return mask;
            }
            case "config|set" -> {
                long mask = 0;
                for (int i = 2; i + 1 < argv.length && i + 1 < 64; i += 2) {
                    if (dev.panda.config.ServerConfig.sensitive(
                            dev.panda.config.ServerConfig.canonical(Args.text(argv[i]).toLowerCase(java.util.Locale.ROOT)))) {
                        mask |= 1L << (i + 1);
                    }
                }
                return mask;
            }
            default -> {
                return 0;
            }
        }
    }

    private static long hello(byte[][] argv) {
        if (argv.length >= 2) {
            Long version = Args.tryParseLong(argv[1]);
            if (version == null || version < 2 || version > 3) {
                return 0;
            }
        }
        long mask = 0;
        for (int j = 2; j < argv.length && j + 2 < 64; j++) {
            int more = argv.length - 1 - j;
            if (Args.is(argv[j], "auth") && more >= 2) {
                mask |= (1L << (j + 1)) | (1L << (j + 2));
                j += 2;
            } else if (Args.is(argv[j], "setname") && more >= 1) {
                j++;
            } else {
                break;
            }
        }
        return mask;
    }

    static boolean isRedacted(long mask, int position) {
        return position < 64 && (mask & (1L << position)) != 0;
    }
}
