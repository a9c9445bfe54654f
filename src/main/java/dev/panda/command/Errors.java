package dev.panda.command;

import dev.panda.store.Status;

/** Redis's error texts, shared by every command family so they are spelled once. */
public final class Errors {
    private Errors() {
    }

    public static final String SYNTAX = "ERR syntax error";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final String OVERFLOW = "ERR increment or decrement would overflow";
    public static final String NAN_OR_INFINITY = "ERR increment would produce NaN or Infinity";
    public static final String DB_OUT_OF_RANGE = "ERR DB index is out of range";
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String SAME_OBJECT = "ERR source and destination objects are the same";
    public static final String STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    /** getPositiveLongFromObjectOrReply's default text. */
    public static final String NOT_POSITIVE = "ERR value is out of range, must be positive";
    public static final String NOAUTH = "NOAUTH Authentication required.";
    public static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";

    /**
     * Most elements a reply with repetitions (SRANDMEMBER or HRANDFIELD with a negative count) may
     * hold. Redis would build any size and grow its output buffer until memory runs out; Panda
     * answers a larger count with {@link #REPLY_TOO_LARGE} instead.
     */
    public static final long MAX_REPEATED_REPLY = 1L << 24;
    public static final String REPLY_TOO_LARGE = "ERR value is out of range: a reply of more than " + MAX_REPEATED_REPLY + " elements";

    /** Ends the command with WRONGTYPE when the store found another type at the key. */
    public static Status checkType(Status status) {
        if (status == Status.WRONGTYPE) {
            throw new Args.Invalid(WRONGTYPE);
        }
        return status;
    }

    public static String wrongArgs(String command) {
        return "ERR wrong number of arguments for '" + command + "' command";
    }

    public static String invalidExpire(String command) {
        return "ERR invalid expire time in '" + command + "' command";
    }
}
