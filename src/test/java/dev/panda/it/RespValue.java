package dev.panda.it;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a raw RESP2 reply (as {@link RespConnection} returns it) into Java values, for replies
 * whose parts vary (ids, times, durations): simple strings and bulk strings become String,
 * integers Long, arrays List, nulls null, errors an {@link Error}. Of RESP3, sets read as List,
 * maps as a flat List, doubles as String and {@code _} as null. Test thread.
 */
final class RespValue {
    /** An error reply. */
    record Error(String message) { }

    private final String raw;
    private int pos;

    private RespValue(String raw) {
        this.raw = raw;
    }

    static Object parse(String raw) {
        RespValue r = new RespValue(raw);
        Object value = r.next();
        if (r.pos != raw.length()) {
            throw new IllegalArgumentException("trailing bytes after reply: " + raw.substring(r.pos));
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(String raw) {
        return (List<Object>) parse(raw);
    }

    private String line() {
        int end = raw.indexOf("\r\n", pos);
        String line = raw.substring(pos, end);
        pos = end + 2;
        return line;
    }

    private Object next() {
        String line = line();
        String rest = line.substring(1);
        switch (line.charAt(0)) {
            case '+':
                return rest;
            case '-':
                return new Error(rest);
            case ':':
                return Long.parseLong(rest);
            case '$': {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    return null;
                }
                // Lengths are in bytes; the tests use ASCII, where bytes and chars agree.
                String s = raw.substring(pos, pos + n);
                pos += n + 2;
                return s;
            }
            case '_':
                return null;
            case ',':
                return rest;
            case '%': { // a RESP3 map, flattened as RESP2 sends it
                int n = Integer.parseInt(rest);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < 2 * n; i++) {
                    items.add(next());
                }
                return items;
            }
            case '*', '~': {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(next());
                }
                return items;
            }
            default:
                throw new IllegalArgumentException("not a RESP2 reply: " + line);
        }
    }
}
