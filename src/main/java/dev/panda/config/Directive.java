package dev.panda.config;

import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * One configuration directive: its name, default, whether CONFIG SET may change it, and how a
 * raw value is checked and normalised (the normaliser throws {@link IllegalArgumentException}
 * with the reason when the value is invalid); {@code isBoolean} for yes/no switches, which a bare
 * command-line flag turns on; {@code accumulates} for directives whose settings add up (each
 * {@code client-output-buffer-limit} names one client class and leaves the others as they
 * were: the normaliser gets the current value followed by the new one). Immutable; any thread.
 */
public record Directive(String name, String defaultValue, boolean mutable, UnaryOperator<String> normaliser,
                        boolean isBoolean, boolean accumulates) {

    Directive(String name, String defaultValue, boolean mutable, UnaryOperator<String> normaliser) {
        this(name, defaultValue, mutable, normaliser, false, false);
    }

    Directive(String name, String defaultValue, boolean mutable, UnaryOperator<String> normaliser, boolean isBoolean) {
        this(name, defaultValue, mutable, normaliser, isBoolean, false);
    }

    public String normalise(String raw) {
        return normaliser.apply(raw);
    }

    static Directive text(String name, String def, boolean mutable) {
        return new Directive(name, def, mutable, v -> v);
    }

    static Directive integer(String name, long def, long min, long max, boolean mutable) {
        return new Directive(name, Long.toString(def), mutable, v -> {
            long n;
            try {
                n = Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("argument couldn't be parsed into an integer");
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException("argument must be between " + min + " and " + max + " inclusive");
            }
            return Long.toString(n);
        });
    }

    /** Sizes accept Redis's units: 1k = 1000, 1kb = 1024, likewise m/mb and g/gb. */
    static Directive memory(String name, long def, long min, boolean mutable) {
        return new Directive(name, Long.toString(def), mutable, v -> {
            long n = parseMemory(v);
            if (n < 0) {
                throw new IllegalArgumentException("argument must be a memory value");
            }
            if (n < min) {
                throw new IllegalArgumentException("argument must be at least " + min);
            }
            return Long.toString(n);
        });
    }

    static Directive bool(String name, boolean def, boolean mutable) {
        return new Directive(name, def ? "yes" : "no", mutable, v -> {
            // Redis takes yes/no; true/false are the seed's environment variables (PANDA_USE_S3=true).
            String s = switch (v.toLowerCase(Locale.ROOT)) {
                case "yes", "true" -> "yes";
                case "no", "false" -> "no";
                default -> throw new IllegalArgumentException("argument must be 'yes' or 'no'");
            };
            return s;
        }, true);
    }

    static Directive oneOf(String name, String def, boolean mutable, List<String> choices) {
        return new Directive(name, def, mutable, v -> {
            String s = v.toLowerCase(Locale.ROOT);
            if (!choices.contains(s)) {
                throw new IllegalArgumentException("argument(s) must be one of the following: " + String.join(", ", choices));
            }
            return s;
        });
    }

    /** A size, or a percentage of maxmemory written {@code N%} (maxmemory-clients), as Redis's PERCENT_CONFIG. */
    static Directive memoryOrPercent(String name, String def) {
        return new Directive(name, def, true, v -> {
            String t = v.trim();
            if (t.endsWith("%")) {
                long p;
                try {
                    p = Long.parseLong(t.substring(0, t.length() - 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("argument must be a memory or percent value");
                }
                if (p < 0 || p > 100) {
                    throw new IllegalArgumentException("argument must be between 0 and 100 inclusive");
                }
                return p + "%";
            }
            long n;
            try {
                n = parseMemory(t);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("argument must be a memory or percent value");
            }
            if (n < 0) {
                throw new IllegalArgumentException("argument must be a memory or percent value");
            }
            return Long.toString(n);
        });
    }

    /** Percentiles between 0 and 100 separated by spaces (INFO latencystats), written as Redis writes them. */
    static Directive percentiles(String name, String def) {
        return new Directive(name, def, true, v -> {
            List<String> out = new java.util.ArrayList<>();
            for (String p : v.trim().isEmpty() ? new String[0] : v.trim().split("\\s+")) {
                double d;
                try {
                    d = Double.parseDouble(p);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Invalid " + name + " parameters");
                }
                if (!(d >= 0 && d <= 100)) {
                    throw new IllegalArgumentException(name + " parameters should sit between [0.0,100.0]");
                }
                out.add(formatPercentile(d));
            }
            return String.join(" ", out);
        });
    }

    /** {@code 99.9}, {@code 50}: as Redis prints a percentile ("%f" without trailing zeros). */
    public static String formatPercentile(double p) {
        String s = String.format(Locale.ROOT, "%f", p);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * {@code client-output-buffer-limit}: per client class (normal, replica/slave, pubsub) a hard
     * limit, a soft limit and the seconds over it that are tolerated; printed as Redis prints it.
     */
    static Directive outputBufferLimits(String name, String def) {
        return new Directive(name, def, true, v -> {
            String[] parts = v.trim().split("\\s+");
            if (parts.length % 4 != 0) {
                throw new IllegalArgumentException("Wrong number of arguments in buffer limit configuration.");
            }
            java.util.Map<String, long[]> classes = new java.util.LinkedHashMap<>();
            classes.put("normal", new long[3]);
            classes.put("slave", new long[3]);
            classes.put("pubsub", new long[3]);
            for (int i = 0; i < parts.length; i += 4) {
                String cls = parts[i].toLowerCase(Locale.ROOT);
                if (cls.equals("replica")) {
                    cls = "slave";
                }
                if (!classes.containsKey(cls)) {
                    throw new IllegalArgumentException("Invalid client class specified in buffer limit configuration.");
                }
                long hard;
                long soft;
                long seconds;
                try {
                    hard = parseMemory(parts[i + 1]);
                    soft = parseMemory(parts[i + 2]);
                    seconds = Long.parseLong(parts[i + 3]);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
                }
                if (hard < 0 || soft < 0 || seconds < 0) {
                    throw new IllegalArgumentException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
                }
                classes.put(cls, new long[] {hard, soft, seconds});
            }
            StringBuilder sb = new StringBuilder();
            classes.forEach((cls, l) -> sb.append(sb.length() == 0 ? "" : " ").append(cls).append(' ').append(l[0]).append(' ')
                    .append(l[1]).append(' ').append(l[2]));
            return sb.toString();
        }, false, true);
    }

    /** {@code save}: pairs of seconds and changes, or empty for no rules. */
    static Directive saveRules(String name, String def) {
        return new Directive(name, def, true, v -> {
            String[] parts = v.trim().isEmpty() ? new String[0] : v.trim().split("\\s+");
            if (parts.length % 2 != 0) {
                throw new IllegalArgumentException("Invalid save parameters");
            }
            for (String p : parts) {
                try {
                    if (Long.parseLong(p) < 0) {
                        throw new IllegalArgumentException("Invalid save parameters");
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Invalid save parameters");
                }
            }
            return String.join(" ", parts);
        });
    }

    public static long parseMemory(String raw) {
        String s = raw.trim().toLowerCase(Locale.ROOT);
        long mul = 1;
        String[][] units = {{"gb", "1073741824"}, {"mb", "1048576"}, {"kb", "1024"}, {"g", "1000000000"}, {"m", "1000000"}, {"k", "1000"}, {"b", "1"}};
        for (String[] u : units) {
            if (s.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                s = s.substring(0, s.length() - u[0].length());
                break;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(s), mul);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("argument must be a memory value");
        }
    }
}
