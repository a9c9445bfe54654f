package dev.panda.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the keys (and pub/sub channels) among a command's arguments, with how the command uses
 * each one, as Redis's {@code getKeysFromCommandWithSpecs} and {@code getChannelsFromCommand}
 * do: from the key specs when they are complete and their flags fixed, else from the few
 * commands' own rules (SORT's STORE, SET's GET, BITFIELD's SET/INCRBY).
 *
 * <p>Pure functions; called on the store thread.
 */
public final class CommandKeys {
    /** A key or channel argument: its position in argv and its {@link KeySpec} (or channel) flags. */
    public record Ref(int position, int flags) {
    }

    public static final int CHANNEL_PATTERN = 1;
    public static final int CHANNEL_PUBLISH = 1 << 1;
    public static final int CHANNEL_SUBSCRIBE = 1 << 2;
    public static final int CHANNEL_UNSUBSCRIBE = 1 << 3;

    private CommandKeys() {
    }

    /** Whether the command may name keys at all (Redis's doesCommandHaveKeys). */
    public static boolean hasKeys(CommandSpec spec) {
        for (KeySpec k : spec.keySpecs()) {
            if ((k.flags() & KeySpec.NOT_KEY) == 0) {
                return true;
            }
        }
        return false;
    }

    /** The keys {@code argv} names, with their flags; empty when it names none (or is malformed). */
    public static List<Ref> keys(CommandSpec spec, byte[][] argv) {
        boolean varFlags = false;
        for (KeySpec k : spec.keySpecs()) {
            varFlags |= (k.flags() & KeySpec.VARIABLE_FLAGS) != 0;
        }
        if (!varFlags) {
            List<Ref> bySpecs = fromSpecs(spec, argv);
            if (bySpecs != null) {
                return bySpecs;
            }
        }
        return switch (spec.name()) {
            case "sort" -> sort(argv, true);
            case "sort_ro" -> sort(argv, false);
            case "set" -> List.of(new Ref(1, hasGet(argv) ? KeySpec.RW | KeySpec.ACCESS | KeySpec.UPDATE
                    : KeySpec.OW | KeySpec.UPDATE));
            case "bitfield" -> List.of(new Ref(1, bitfieldReadOnly(argv) ? KeySpec.RO | KeySpec.ACCESS
                    : KeySpec.RW | KeySpec.ACCESS | KeySpec.UPDATE));
            default -> List.of();
        };
    }

    /** Redis's getKeysUsingKeySpecs; null where a spec cannot be followed (unknown or incomplete). */
    private static List<Ref> fromSpecs(CommandSpec spec, byte[][] argv) {
        int argc = argv.length;
        List<Ref> out = new ArrayList<>();
        for (KeySpec k : spec.keySpecs()) {
            if ((k.flags() & KeySpec.NOT_KEY) != 0) {
                continue;
            }
            int first = 0;
            if (k.begin() == KeySpec.Begin.INDEX) {
                first = k.index();
            } else if (k.begin() == KeySpec.Begin.KEYWORD) {
                int start = k.startFrom() > 0 ? k.startFrom() : argc + k.startFrom();
                int end = k.startFrom() > 0 ? argc - 1 : 1;
                for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
                    if (i >= argc || i < 1) {
                        break;
                    }
                    if (Args.is(argv[i], k.keyword())) {
                        first = i + 1;
                        break;
                    }
                }
                if (first == 0) {
                    continue;
                }
            } else {
                return null;
            }
            int last;
            int step;
            if (k.find() == KeySpec.Find.RANGE) {
                step = k.keyStep();
                if (k.lastKey() >= 0) {
                    last = first + k.lastKey();
                } else if (k.limit() == 0) {
                    last = argc + k.lastKey();
                } else {
                    last = first + ((argc - first) / k.limit() + k.lastKey());
                }
            } else if (k.find() == KeySpec.Find.KEYNUM) {
                step = k.keyStep();
                if (first + k.keyNumIndex() >= argc) {
                    return null;
                }
                Long numKeys = Args.tryParseLong(argv[first + k.keyNumIndex()]);
                if (numKeys == null || numKeys < 0 || numKeys > argc) {
                    return null;
                }
                first += k.firstKey();
                last = first + numKeys.intValue() - 1;
            } else {
                return null;
            }
            if (last >= argc || last < first || first >= argc) {
                return null;
            }
            for (int i = first; i <= last; i += Math.max(step, 1)) {
                out.add(new Ref(i, k.flags()));
            }
            if ((k.flags() & KeySpec.INCOMPLETE) != 0) {
                return null;
            }
        }
        return out;
    }

    private static List<Ref> sort(byte[][] argv, boolean store) {
        List<Ref> out = new ArrayList<>();
        out.add(new Ref(1, KeySpec.RO | KeySpec.ACCESS));
        if (!store) {
            return out;
        }
        Ref storeKey = null;
        for (int i = 2; i < argv.length; i++) {
            if (Args.is(argv[i], "limit")) {
                i += 2;
            } else if (Args.is(argv[i], "get") || Args.is(argv[i], "by")) {
                i += 1;
            } else if (Args.is(argv[i], "store") && i + 1 < argv.length) {
                storeKey = new Ref(i + 1, KeySpec.OW | KeySpec.UPDATE); // the last STORE wins, as in SORT
            }
        }
        if (storeKey != null) {
            out.add(storeKey);
        }
        return out;
    }

    private static boolean hasGet(byte[][] argv) {
        for (int i = 3; i < argv.length; i++) {
            if (Args.is(argv[i], "get")) {
                return true;
            }
        }
        return false;
    }

    private static boolean bitfieldReadOnly(byte[][] argv) {
        for (int i = 2; i < argv.length; i++) {
            int left = argv.length - i - 1;
            if (Args.is(argv[i], "get") && left >= 2) {
                i += 2;
            } else if (Args.is(argv[i], "overflow") && left >= 1) {
                i += 1;
            } else {
                return false; // SET, INCRBY or a syntax error: treated as a write, as Redis does
            }
        }
        return true;
    }

    /** The pub/sub channels the command names, with CHANNEL_* flags (Redis's commands_with_channels). */
    public static List<Ref> channels(CommandSpec spec, byte[][] argv) {
        int flags;
        int count;
        switch (spec.name()) {
            case "subscribe", "ssubscribe" -> { flags = CHANNEL_SUBSCRIBE; count = -1; }
            case "unsubscribe", "sunsubscribe" -> { flags = CHANNEL_UNSUBSCRIBE; count = -1; }
            case "psubscribe" -> { flags = CHANNEL_PATTERN | CHANNEL_SUBSCRIBE; count = -1; }
            case "punsubscribe" -> { flags = CHANNEL_PATTERN | CHANNEL_UNSUBSCRIBE; count = -1; }
            case "publish", "spublish" -> { flags = CHANNEL_PUBLISH; count = 1; }
            default -> {
                return List.of();
            }
        }
        int stop = count == -1 ? argv.length : Math.min(argv.length, 1 + count);
        List<Ref> out = new ArrayList<>();
        for (int i = 1; i < stop; i++) {
            out.add(new Ref(i, flags));
        }
        return out;
    }

    /** Whether the command names channels with any of {@code flags}. */
    public static boolean hasChannels(CommandSpec spec, int flags) {
        return switch (spec.name()) {
            case "subscribe", "ssubscribe" -> (flags & CHANNEL_SUBSCRIBE) != 0;
            case "psubscribe" -> (flags & (CHANNEL_PATTERN | CHANNEL_SUBSCRIBE)) != 0;
            case "unsubscribe", "sunsubscribe" -> (flags & CHANNEL_UNSUBSCRIBE) != 0;
            case "punsubscribe" -> (flags & (CHANNEL_PATTERN | CHANNEL_UNSUBSCRIBE)) != 0;
            case "publish", "spublish" -> (flags & CHANNEL_PUBLISH) != 0;
            default -> false;
        };
    }
}
