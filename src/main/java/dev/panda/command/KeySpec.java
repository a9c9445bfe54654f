package dev.panda.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One of a command's key specifications, as Redis 7 describes them in COMMAND INFO: where the
 * search for keys begins (an argument index, or after a keyword), how the keys are found from
 * there (a range, or a count argument), and how the command uses them (read, write…). ACL
 * checks and COMMAND GETKEYS read keys through these.
 *
 * <p>Immutable.
 */
public record KeySpec(int flags, Begin begin, int index, String keyword, int startFrom,
                      Find find, int lastKey, int keyStep, int limit, int keyNumIndex, int firstKey) {

    public enum Begin { INDEX, KEYWORD, UNKNOWN }

    public enum Find { RANGE, KEYNUM, UNKNOWN }

    public static final int RO = 1;
    public static final int RW = 1 << 1;
    public static final int OW = 1 << 2;
    public static final int RM = 1 << 3;
    public static final int ACCESS = 1 << 4;
    public static final int UPDATE = 1 << 5;
    public static final int INSERT = 1 << 6;
    public static final int DELETE = 1 << 7;
    public static final int NOT_KEY = 1 << 8;
    public static final int INCOMPLETE = 1 << 9;
    public static final int VARIABLE_FLAGS = 1 << 10;

    private static final List<String> FLAG_NAMES = List.of("RO", "RW", "OW", "RM", "access", "update", "insert",
            "delete", "not_key", "incomplete", "variable_flags");

    /** The names of the flags set in {@code flags}, in Redis's order. */
    public static List<String> flagNames(int flags) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < FLAG_NAMES.size(); i++) {
            if ((flags & (1 << i)) != 0) {
                names.add(FLAG_NAMES.get(i));
            }
        }
        return names;
    }

    /** Reads the key specs of a captured COMMAND INFO entry (its ninth field). */
    static List<KeySpec> parse(List<?> specs) {
        List<KeySpec> out = new ArrayList<>();
        for (Object o : specs) {
            Map<?, ?> spec = (Map<?, ?>) o;
            int flags = 0;
            for (Object f : items(spec.get("flags"))) {
                int at = FLAG_NAMES.indexOf(f instanceof dev.panda.protocol.Reply.Status st ? st.text() : f.toString());
                if (at >= 0) {
                    flags |= 1 << at;
                }
            }
            Map<?, ?> bs = (Map<?, ?>) spec.get("begin_search");
            Map<?, ?> bsSpec = (Map<?, ?>) bs.get("spec");
            Map<?, ?> fk = (Map<?, ?>) spec.get("find_keys");
            Map<?, ?> fkSpec = (Map<?, ?>) fk.get("spec");
            Begin begin = switch (bs.get("type").toString()) {
                case "index" -> Begin.INDEX;
                case "keyword" -> Begin.KEYWORD;
                default -> Begin.UNKNOWN;
            };
            Find find = switch (fk.get("type").toString()) {
                case "range" -> Find.RANGE;
                case "keynum" -> Find.KEYNUM;
                default -> Find.UNKNOWN;
            };
            out.add(new KeySpec(flags, begin, number(bsSpec, "index"),
                    bsSpec.get("keyword") == null ? null : bsSpec.get("keyword").toString().toLowerCase(java.util.Locale.ROOT), number(bsSpec, "startfrom"),
                    find, number(fkSpec, "lastkey"), number(fkSpec, "keystep"), number(fkSpec, "limit"),
                    number(fkSpec, "keynumidx"), number(fkSpec, "firstkey")));
        }
        return List.copyOf(out);
    }

    private static List<?> items(Object value) {
        if (value instanceof dev.panda.protocol.Reply.SetOf set) {
            return set.items();
        }
        return value instanceof List<?> l ? l : List.of();
    }

    private static int number(Map<?, ?> spec, String field) {
        return spec.get(field) instanceof Long l ? l.intValue() : 0;
    }
}
