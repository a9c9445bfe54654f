package dev.panda.script;

import java.nio.charset.StandardCharsets;

/**
 * A script's flags from its shebang line ({@code #!lua flags=no-writes,allow-oom}), parsed as
 * Redis's {@code evalExtractShebangFlags} does; a script without a shebang runs in the
 * compatibility mode of scripts written before flags existed. Immutable; any thread.
 *
 * @param bits          the flag bits below
 * @param shebangLength bytes of the shebang line (its newline stays, keeping line numbers)
 */
public record ScriptFlags(int bits, int shebangLength) {
    public static final int EVAL_COMPAT_MODE = 1;
    public static final int NO_WRITES = 1 << 1;
    public static final int ALLOW_OOM = 1 << 2;
    public static final int ALLOW_STALE = 1 << 3;
    public static final int NO_CLUSTER = 1 << 4;
    public static final int ALLOW_CROSS_SLOT = 1 << 5;

    private static final String[] NAMES = {"no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"};
    private static final int[] BITS = {NO_WRITES, ALLOW_OOM, ALLOW_STALE, NO_CLUSTER, ALLOW_CROSS_SLOT};

    /** Thrown with Redis's text for a malformed shebang. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message, null, false, false);
        }
    }

    public boolean has(int flag) {
        return (bits & flag) != 0;
    }

    public static ScriptFlags parse(byte[] body) throws Invalid {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') {
            return new ScriptFlags(EVAL_COMPAT_MODE, 0);
        }
        int end = 0;
        while (end < body.length && body[end] != '\n') {
            end++;
        }
        if (end == body.length) {
            throw new Invalid("Invalid script shebang");
        }
        String[] parts = new String(body, 0, end, StandardCharsets.UTF_8).trim().split("\\s+");
        if (parts.length == 0 || parts[0].isEmpty()) {
            throw new Invalid("Invalid engine in script shebang");
        }
        if (!parts[0].equals("#!lua")) {
            throw new Invalid("Unexpected engine in script shebang: " + parts[0]);
        }
        return new ScriptFlags(parseOptions(parts, 1), end);
    }

    /** The {@code flags=a,b} options of a shebang or of {@code redis.register_function}'s flags. */
    private static int parseOptions(String[] parts, int from) throws Invalid {
        int bits = 0;
        for (int j = from; j < parts.length; j++) {
            if (!parts[j].startsWith("flags=")) {
                throw new Invalid("Unknown lua shebang option: " + parts[j]);
            }
            for (String flag : parts[j].substring(6).split(",", -1)) {
                int bit = bitOf(flag);
                if (bit == 0) {
                    throw new Invalid("Unexpected flag in script shebang: " + flag);
                }
                bits |= bit;
            }
        }
        return bits;
    }

    /** The bit of a flag name, or 0 when Redis has no such flag. */
    public static int bitOf(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return BITS[i];
            }
        }
        return 0;
    }

    /** The names of the flags set in {@code bits}, in Redis's order (FUNCTION LIST). */
    public static java.util.List<String> names(int bits) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            if ((bits & BITS[i]) != 0) {
                out.add(NAMES[i]);
            }
        }
        return out;
    }
}
