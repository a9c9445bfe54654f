package dev.panda.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Redis 7.0's whole configuration table ({@code redis-directives.json}, captured from Redis's
 * config.c and a default redis-server by {@code scripts/dev/capture-directives.py}): each
 * directive's type, limits, enum values, default as CONFIG GET prints it, alias, and whether it
 * is mutable, protected, sensitive or hidden. {@link ServerConfig} defines the directives Panda
 * acts on itself; the others come from here and are accepted, checked as Redis checks them,
 * stored, and echoed back, with no effect.
 *
 * <p>Read once while the configuration class loads; immutable afterwards, any thread.
 */
final class RedisDirectiveTable {
    /** One directive as captured. */
    record Entry(String name, String alias, String kind, boolean mutable, boolean hidden, boolean protectedConfig,
                 boolean sensitive, boolean multiArg, long min, long max, boolean memory, boolean octal,
                 List<String> values, String defaultValue) {
    }

    static final List<Entry> ENTRIES = load();

    private RedisDirectiveTable() {
    }

    static Map<String, String> aliases() {
        Map<String, String> out = new LinkedHashMap<>();
        ENTRIES.stream().filter(e -> e.alias() != null).forEach(e -> out.put(e.alias(), e.name()));
        return out;
    }

    static Set<String> hidden() {
        Set<String> out = new HashSet<>();
        ENTRIES.stream().filter(Entry::hidden).forEach(e -> out.add(e.name()));
        return out;
    }

    static Set<String> protectedNames() {
        Set<String> out = new HashSet<>();
        ENTRIES.stream().filter(Entry::protectedConfig).forEach(e -> out.add(e.name()));
        return out;
    }

    static Set<String> sensitive() {
        Set<String> out = new HashSet<>();
        ENTRIES.stream().filter(Entry::sensitive).forEach(e -> out.add(e.name()));
        return out;
    }

    /** The directive Redis would have, checked as Redis checks its values. */
    static Directive directive(Entry e) {
        return switch (e.kind()) {
            case "bool" -> Directive.bool(e.name(), e.defaultValue().equals("yes"), e.mutable());
            case "enum" -> e.multiArg() ? words(e) : Directive.oneOf(e.name(), e.defaultValue(), e.mutable(), e.values());
            case "string", "sds", "special" -> Directive.text(e.name(), e.defaultValue(), e.mutable());
            default -> e.octal() ? octal(e) : e.memory()
                    ? Directive.memory(e.name(), Long.parseLong(e.defaultValue()), e.min(), e.mutable())
                    : Directive.integer(e.name(), Long.parseLong(e.defaultValue()), e.min(), e.max(), e.mutable());
        };
    }

    /** A multi-word enum (shutdown-on-sigint): each word one of the values. */
    private static Directive words(Entry e) {
        return new Directive(e.name(), e.defaultValue(), e.mutable(), v -> {
            String s = v.toLowerCase(Locale.ROOT).trim();
            for (String w : s.split("\\s+")) {
                if (!e.values().contains(w)) {
                    throw new IllegalArgumentException("argument(s) must be one of the following: "
                            + String.join(", ", e.values()));
                }
            }
            return s;
        });
    }

    private static Directive octal(Entry e) {
        return new Directive(e.name(), e.defaultValue(), e.mutable(), v -> {
            long n;
            try {
                n = Long.parseLong(v, 8);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("argument couldn't be parsed into an integer");
            }
            if (n < e.min() || n > e.max()) {
                throw new IllegalArgumentException("argument must be between " + Long.toOctalString(e.min()) + " and "
                        + Long.toOctalString(e.max()) + " inclusive");
            }
            return Long.toOctalString(n);
        });
    }

    private static List<Entry> load() {
        try (InputStream in = RedisDirectiveTable.class.getResourceAsStream("/panda/redis-directives.json")) {
            if (in == null) {
                throw new IllegalStateException("redis-directives.json missing from the classpath");
            }
            List<Entry> out = new ArrayList<>();
            try (JsonParser p = new JsonFactory().createParser(in)) {
                if (p.nextToken() != JsonToken.START_ARRAY) {
                    throw new IOException("redis-directives.json is not a list");
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    Map<String, Object> m = new HashMap<>();
                    List<String> values = new ArrayList<>();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        JsonToken t = p.nextToken();
                        if (t == JsonToken.START_ARRAY) {
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                values.add(p.getText());
                            }
                        } else if (t == JsonToken.VALUE_NUMBER_INT) {
                            m.put(field, p.getBigIntegerValue()
                                    .min(java.math.BigInteger.valueOf(Long.MAX_VALUE)).longValue());
                        } else if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                            m.put(field, t == JsonToken.VALUE_TRUE);
                        } else if (t != JsonToken.VALUE_NULL) {
                            m.put(field, p.getText());
                        }
                    }
                    out.add(new Entry((String) m.get("name"), (String) m.get("alias"), (String) m.get("kind"),
                            flag(m, "mutable"), flag(m, "hidden"), flag(m, "protected"), flag(m, "sensitive"),
                            flag(m, "multi_arg"), (Long) m.getOrDefault("min", 0L), (Long) m.getOrDefault("max", 0L),
                            flag(m, "memory"), flag(m, "octal"), List.copyOf(values),
                            (String) m.getOrDefault("default", "")));
                }
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean flag(Map<String, Object> m, String name) {
        return Boolean.TRUE.equals(m.get(name));
    }
}
