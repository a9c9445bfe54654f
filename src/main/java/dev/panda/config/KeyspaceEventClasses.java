package dev.panda.config;

/**
 * The classes of {@code notify-keyspace-events} as Redis's {@code notify.c} defines them: their
 * bits, the letters that name them, and the text CONFIG GET prints back. Pure functions; any
 * thread.
 */
public final class KeyspaceEventClasses {
    public static final int KEYSPACE = 1;
    public static final int KEYEVENT = 1 << 1;
    public static final int GENERIC = 1 << 2;
    public static final int STRING = 1 << 3;
    public static final int LIST = 1 << 4;
    public static final int SET = 1 << 5;
    public static final int HASH = 1 << 6;
    public static final int ZSET = 1 << 7;
    public static final int EXPIRED = 1 << 8;
    public static final int EVICTED = 1 << 9;
    public static final int STREAM = 1 << 10;
    public static final int KEY_MISS = 1 << 11;
    public static final int MODULE = 1 << 13;
    public static final int NEW = 1 << 14;
    public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    private KeyspaceEventClasses() {
    }

    /** The classes of a {@code notify-keyspace-events} value, or -1 for an unknown character. */
    public static int parse(String classes) {
        int f = 0;
        for (int i = 0; i < classes.length(); i++) {
            f |= switch (classes.charAt(i)) {
                case 'A' -> ALL;
                case 'g' -> GENERIC;
                case '$' -> STRING;
                case 'l' -> LIST;
                case 's' -> SET;
                case 'h' -> HASH;
                case 'z' -> ZSET;
                case 'x' -> EXPIRED;
                case 'e' -> EVICTED;
                case 'K' -> KEYSPACE;
                case 'E' -> KEYEVENT;
                case 't' -> STREAM;
                case 'm' -> KEY_MISS;
                case 'd' -> MODULE;
                case 'n' -> NEW;
                default -> -1 << 20;
            };
        }
        return f < 0 ? -1 : f;
    }

    /** The classes as Redis prints them back ({@code keyspaceEventsFlagsToString}). */
    public static String format(int f) {
        StringBuilder sb = new StringBuilder();
        if ((f & ALL) == ALL) {
            sb.append('A');
            if ((f & NEW) != 0) {
                sb.append('n'); // Redis prints "A" alone here and so loses "n" on CONFIG REWRITE; Panda keeps it
            }
        } else {
            String letters = "g$lshzxetdn";
            int[] bits = {GENERIC, STRING, LIST, SET, HASH, ZSET, EXPIRED, EVICTED, STREAM, MODULE, NEW};
            for (int i = 0; i < bits.length; i++) {
                if ((f & bits[i]) != 0) {
                    sb.append(letters.charAt(i));
                }
            }
        }
        if ((f & KEYSPACE) != 0) {
            sb.append('K');
        }
        if ((f & KEYEVENT) != 0) {
            sb.append('E');
        }
        if ((f & KEY_MISS) != 0) {
            sb.append('m');
        }
        return sb.toString();
    }

    /** The directive's normaliser: Redis's text for the classes, or Redis's error. */
    static String normalise(String raw) {
        int f = parse(raw);
        if (f < 0) {
            throw new IllegalArgumentException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
        }
        return format(f);
    }
}
