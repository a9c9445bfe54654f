package dev.panda.protocol;

/**
 * What a command answers, independent of the wire protocol: the protocol layer turns these
 * calls into RESP2 or RESP3 bytes (a map is a flat array in RESP2, a double a bulk string, and
 * so on). Commands never build RESP themselves.
 *
 * <p>Called on the store thread while a command runs.
 */
public interface Reply {
    void ok();

    void simple(String text);

    /** An error reply; {@code message} starts with its code, e.g. {@code "ERR syntax error"}. */
    void error(String message);

    void integer(long value);

    void bulk(byte[] value);

    /** A bulk string of {@code length} bytes of {@code array} from {@code offset}. */
    void bulk(byte[] array, int offset, int length);

    void bulk(String value);

    /** RESP2 {@code $-1}; RESP3 null. */
    void nullBulk();

    /** RESP2 {@code *-1}; RESP3 null. */
    void nullArray();

    void array(int length);

    /** An out-of-band message's header: a RESP3 push, a plain array in RESP2. */
    void push(int length);

    /** A map of {@code entries} key/value pairs (RESP2: an array of twice the length). */
    void map(int entries);

    /** A set (RESP2: an array). */
    void set(int length);

    /** A double (RESP2: its text as a bulk string). */
    void doubleValue(double value);

    /** A double already formatted: RESP3's double type, a bulk string in RESP2. */
    void doubleText(String text);

    /** A boolean: RESP3 {@code #t}/{@code #f}, RESP2 the integer 1 or 0. */
    default void bool(boolean value) {
        integer(value ? 1 : 0);
    }

    /** A big number given as its decimal text: RESP3 {@code (}, RESP2 a bulk string. */
    default void bigNumber(String digits) {
        bulk(digits);
    }

    /**
     * A RESP3 attribute header ({@code |}) of {@code entries} pairs, which precede the reply they
     * describe; RESP2 has none, so callers write it only when {@link #protocol} is 3.
     */
    default void attribute(int entries) {
        throw new UnsupportedOperationException("attributes exist only on a RESP3 connection");
    }

    /** A verbatim text such as INFO's (RESP2: a bulk string). */
    void verbatim(String text);

    /** The protocol version this connection speaks (2 or 3). */
    int protocol();

    /** How many error replies were written so far (commandstats counts failed calls by it). */
    long errorsWritten();

    /** A status (simple string) inside a nested {@link #value}. */
    record Status(String text) { }

    /** A set (RESP3 {@code ~}) inside a nested {@link #value}. */
    record SetOf(java.util.List<?> items) { }

    /**
     * Writes a nested value: Map, List, {@link SetOf}, {@link Status}, String or byte[] (bulk),
     * Number, Boolean or null.
     */
    default void value(Object value) {
        if (value == null) {
            nullBulk();
        } else if (value instanceof Status s) {
            simple(s.text());
        } else if (value instanceof SetOf s) {
            set(s.items().size());
            for (Object o : s.items()) {
                value(o);
            }
        } else if (value instanceof byte[] b) {
            bulk(b);
        } else if (value instanceof CharSequence s) {
            bulk(s.toString());
        } else if (value instanceof Integer || value instanceof Long) {
            integer(((Number) value).longValue());
        } else if (value instanceof Number n) {
            doubleValue(n.doubleValue());
        } else if (value instanceof Boolean b) {
            integer(b ? 1 : 0);
        } else if (value instanceof java.util.Map<?, ?> m) {
            map(m.size());
            for (var e : m.entrySet()) {
                value(e.getKey());
                value(e.getValue());
            }
        } else if (value instanceof java.util.Collection<?> c) {
            array(c.size());
            for (Object o : c) {
                value(o);
            }
        } else {
            throw new IllegalArgumentException("cannot reply with " + value.getClass());
        }
    }
}
