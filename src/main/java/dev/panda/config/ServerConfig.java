package dev.panda.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The server's configuration: every known directive with its current value. Values come from,
 * in rising precedence, the defaults, the config file (redis.conf syntax), the environment
 * ({@code PANDA_<DIRECTIVE>} with dashes as underscores, plus the seed's {@code PANDA_DATA_DIR})
 * and command-line flags ({@code --port 7000}, as redis-server takes them).
 *
 * <p>Built on the main thread; afterwards read and changed (CONFIG SET) on the store thread only.
 */
public final class ServerConfig {
    private static final Map<String, Directive> DIRECTIVES = new LinkedHashMap<>();
    private static final java.util.Set<String> NO_EFFECT = new java.util.TreeSet<>();

    static {
        for (Directive d : List.of(
                Directive.text("bind", "127.0.0.1", true),
                Directive.integer("port", 6379, 0, 65535, true),
                Directive.integer("databases", 16, 1, 1_000_000, false),
                Directive.text("dir", "./data", true),
                Directive.saveRules("save", "3600 1 300 100 60 10000"),
                Directive.bool("appendonly", true, true),
                Directive.oneOf("appendfsync", "everysec", true, List.of("always", "everysec", "no")),
                Directive.text("requirepass", "", true),
                // Redis's protected mode: without a password, only loopback clients are served.
                Directive.bool("protected-mode", true, true),
                // CONFIG SET of protected directives (dir): refused unless "yes" (or "local" from loopback).
                Directive.oneOf("enable-protected-configs", "no", false, List.of("no", "yes", "local")),
                // ACL: users come from "user" lines or from this file (ACL LOAD / ACL SAVE), not both.
                Directive.text("aclfile", "", false),
                Directive.integer("acllog-max-len", 128, 0, Long.MAX_VALUE, true),
                Directive.oneOf("acl-pubsub-default", "resetchannels", true, List.of("allchannels", "resetchannels")),
                Directive.integer("maxclients", 10000, 1, Integer.MAX_VALUE, true),
                Directive.integer("timeout", 0, 0, Integer.MAX_VALUE, true),
                Directive.integer("tcp-keepalive", 300, 0, Integer.MAX_VALUE, true),
                Directive.memory("proto-max-bulk-len", 512L * 1024 * 1024, 1024 * 1024, true),
                Directive.memory("client-query-buffer-limit", 1024L * 1024 * 1024, 1024 * 1024, true),
                Directive.oneOf("loglevel", "notice", true, List.of("debug", "verbose", "notice", "warning", "nothing")),
                // As Redis: any value 0..INT_MAX is accepted and kept within 1..500.
                new Directive("hz", "10", true, v -> Long.toString(Math.max(1, Math.min(500,
                        Long.parseLong(Directive.integer("hz", 10, 0, Integer.MAX_VALUE, true).normalise(v)))))),
                // Memory limit and eviction, as in Redis 7.0.
                Directive.memory("maxmemory", 0, 0, true),
                Directive.oneOf("maxmemory-policy", "noeviction", true, List.of("volatile-lru", "volatile-lfu",
                        "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction")),
                Directive.integer("maxmemory-samples", 5, 1, Integer.MAX_VALUE, true),
                Directive.integer("maxmemory-eviction-tenacity", 10, 0, 100, true),
                Directive.integer("lfu-log-factor", 10, 0, Integer.MAX_VALUE, true),
                Directive.integer("lfu-decay-time", 1, 0, Integer.MAX_VALUE, true),
                Directive.memoryOrPercent("maxmemory-clients", "0"),
                Directive.oneOf("enable-debug-command", "no", false, List.of("no", "yes", "local")),
                // Observability: Redis's slow log and latency monitor (CONFIG SET applies at once),
                // the Prometheus endpoint (off while metrics-port is 0), and the log file ("": stdout).
                Directive.integer("slowlog-log-slower-than", 10000, -1, Long.MAX_VALUE, true),
                Directive.integer("slowlog-max-len", 128, 0, Long.MAX_VALUE, true),
                Directive.integer("latency-monitor-threshold", 0, 0, Long.MAX_VALUE, true),
                Directive.percentiles("latency-tracking-info-percentiles", "50 99 99.9"),
                Directive.integer("metrics-port", 0, 0, 65535, false),
                Directive.text("metrics-bind", "127.0.0.1", false),
                Directive.text("logfile", "", false),
                // The seed's snapshot triggers (PANDA_SNAPSHOT_INTERVAL, PANDA_SNAPSHOT_TIMEOUT):
                // a snapshot every N changes, and at most N seconds between snapshots while
                // there are changes. 0 turns each off.
                Directive.integer("snapshot-interval", 0, 0, Long.MAX_VALUE, true),
                Directive.integer("snapshot-timeout", 0, 0, Long.MAX_VALUE, true),
                Directive.memory("wal-segment-size", 64L * 1024 * 1024, 1024 * 1024, true),
                // Start even when the WAL is damaged before its tail, loading up to the damage
                // (as redis's aof-load-truncated, but for damage anywhere). Off: refuse to start.
                Directive.bool("wal-load-truncated", false, false),
                // Parquet compression: snappy costs the least CPU while clients are served;
                // zstd makes files about a quarter smaller.
                Directive.oneOf("snapshot-compression", "snappy", true, List.of("snappy", "zstd")),
                // Archive storage: snapshots and sealed WAL segments also go to an S3 bucket
                // (PANDA_USE_S3, PANDA_S3_BUCKET, PANDA_S3_REGION as the seed has them).
                Directive.bool("use-s3", false, false),
                Directive.text("s3-bucket", "", false),
                Directive.text("s3-region", "us-east-1", false),
                Directive.text("s3-endpoint", "", false),
                Directive.bool("s3-path-style", false, false),
                Directive.text("s3-prefix", "", false),
                Directive.integer("s3-keep-snapshots", 3, 1, 1_000_000, true),
                Directive.integer("s3-timeout", 5000, 100, 600_000, false),
                // Start when S3 cannot be read at start-up even without local data, or when S3
                // refuses the settings. Off: refuse to start rather than start empty.
                Directive.bool("s3-start-offline", false, false),
                // Server-side encryption of what is put in S3: "" (none), AES256 (SSE-S3) or
                // aws:kms (SSE-KMS, with s3-sse-kms-key-id or the bucket's default KMS key).
                new Directive("s3-sse", "", false, v -> switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
                    case "", "none" -> "";
                    case "aes256" -> "AES256";
                    case "aws:kms" -> "aws:kms";
                    default -> throw new IllegalArgumentException("argument must be one of: \"\" (none), AES256, aws:kms");
                }),
                Directive.text("s3-sse-kms-key-id", "", false),
                // Encryption at rest: a file holding a 256-bit key in base64 encrypts every new
                // snapshot and WAL segment; old keys (files, space-separated) only read older ones.
                Directive.text("encryption-key-file", "", false),
                Directive.text("encryption-old-key-files", "", false),
                // Seal (and so archive) the WAL segment at least this often while it has
                // records, in seconds: the recovery point of a restore from S3 alone. 0: only
                // when a segment reaches wal-segment-size.
                Directive.integer("wal-archive-interval", 60, 0, Integer.MAX_VALUE, true),
                // Where small hashes, sets, lists and sorted sets leave their packed encodings (Redis 7.0's defaults).
                Directive.integer("hash-max-listpack-entries", 512, 0, Long.MAX_VALUE, true),
                Directive.memory("hash-max-listpack-value", 64, 0, true),
                Directive.integer("set-max-intset-entries", 512, 0, Long.MAX_VALUE, true),
                // Lists: elements (positive) or bytes (-1…-5: 4…64 KiB) per packed node.
                Directive.integer("list-max-listpack-size", -2, Integer.MIN_VALUE, Integer.MAX_VALUE, true),
                // Accepted for Redis compatibility; Panda never compresses list nodes.
                Directive.integer("list-compress-depth", 0, 0, Integer.MAX_VALUE, true),
                Directive.integer("zset-max-listpack-entries", 128, 0, Long.MAX_VALUE, true),
                Directive.integer("stream-node-max-bytes", 4096, 0, Long.MAX_VALUE, true),
                Directive.integer("stream-node-max-entries", 100, 0, Long.MAX_VALUE, true),
                new Directive("notify-keyspace-events", "", true, KeyspaceEventClasses::normalise),
                // A HyperLogLog's sparse encoding turns dense past this many bytes (Redis's default).
                Directive.memory("hll-sparse-max-bytes", 3000, 0, true),
                Directive.outputBufferLimits("client-output-buffer-limit",
                        "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"),
                Directive.memory("zset-max-listpack-value", 64, 0, true),
                // TLS, with Redis 7.0's names and defaults (its config.c). Every one may be changed by
                // CONFIG SET: the file directives make new connections use freshly read certificates,
                // tls-port opens or closes the TLS listener ("" is Redis's unset).
                Directive.integer("tls-port", 0, 0, 65535, true),
                Directive.text("tls-cert-file", "", true),
                Directive.text("tls-key-file", "", true),
                Directive.text("tls-key-file-pass", "", true),
                // Redis uses these to connect to masters; Panda has no replication: accepted and kept.
                Directive.text("tls-client-cert-file", "", true),
                Directive.text("tls-client-key-file", "", true),
                Directive.text("tls-client-key-file-pass", "", true),
                Directive.text("tls-ca-cert-file", "", true),
                Directive.text("tls-ca-cert-dir", "", true),
                Directive.oneOf("tls-auth-clients", "yes", true, List.of("no", "yes", "optional")),
                Directive.text("tls-protocols", "", true),
                Directive.text("tls-ciphers", "", true),
                Directive.text("tls-ciphersuites", "", true),
                Directive.bool("tls-prefer-server-ciphers", false, true),
                Directive.bool("tls-session-caching", true, true),
                Directive.integer("tls-session-cache-size", 20 * 1024, 0, Integer.MAX_VALUE, true),
                Directive.integer("tls-session-cache-timeout", 300, 0, Integer.MAX_VALUE, true))) {
            DIRECTIVES.put(d.name(), d);
        }
        // Every other Redis 7.0 directive: accepted, checked as Redis checks it, stored, no effect.
        // A few of them Panda acts on as Redis does: latency-tracking (INFO latencystats), pidfile, tcp-backlog.
        java.util.Set<String> actedOn = java.util.Set.of("latency-tracking", "pidfile", "tcp-backlog");
        for (RedisDirectiveTable.Entry e : RedisDirectiveTable.ENTRIES) {
            if (!DIRECTIVES.containsKey(e.name())) {
                DIRECTIVES.put(e.name(), RedisDirectiveTable.directive(e));
                if (!actedOn.contains(e.name())) {
                    NO_EFFECT.add(e.name());
                }
            }
        }
    }

    /** Redis directives Panda accepts and stores but does not act on (listed in the README). */
    public static java.util.Set<String> noEffect() {
        return java.util.Collections.unmodifiableSet(NO_EFFECT);
    }

    /**
     * Directives Redis 7.0 marks PROTECTED_CONFIG that Panda has: CONFIG SET refuses them as
     * protected while enable-protected-configs is "no".
     */
    private static final java.util.Set<String> PROTECTED = RedisDirectiveTable.protectedNames();

    /** Left out of CONFIG GET patterns, as Redis leaves its hidden (testing) directives out. */
    private static final java.util.Set<String> HIDDEN = RedisDirectiveTable.hidden();

    public static boolean hidden(String name) {
        return HIDDEN.contains(name);
    }

    /** Directives whose values the slow log and MONITOR show as "(redacted)" in CONFIG SET. */
    public static boolean sensitive(String name) {
        return SENSITIVE.contains(name);
    }

    private static final java.util.Set<String> SENSITIVE = RedisDirectiveTable.sensitive();

    /** Redis's older names of directives, accepted everywhere and listed by CONFIG GET. */
    private static final Map<String, String> ALIASES = RedisDirectiveTable.aliases();

    /** The directive a name stands for: itself, or the directive an alias names. */
    public static String canonical(String name) {
        return ALIASES.getOrDefault(name, name);
    }

    /** Alias to directive name. */
    public static Map<String, String> aliases() {
        return ALIASES;
    }

    /** Environment variables of the seed that do not follow the PANDA_<DIRECTIVE> pattern. */
    private static final Map<String, String> ENV_ALIASES = Map.of("PANDA_DATA_DIR", "dir");

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, List<Consumer<String>>> listeners = new HashMap<>();
    private final List<Map.Entry<java.util.Set<String>, Runnable>> appliers = new ArrayList<>();
    private final Path file;
    /** "user NAME RULES..." lines (config file or --user): the name then the rules. */
    private final List<List<String>> users = new ArrayList<>();
    /** The ACL users as "user ..." lines, for CONFIG REWRITE (Redis rewrites them when there is no aclfile). */
    private java.util.function.Supplier<List<String>> userLines;

    private ServerConfig(Path file) {
        this.file = file;
        DIRECTIVES.values().forEach(d -> values.put(d.name(), d.defaultValue()));
    }

    public static ServerConfig defaults() {
        return new ServerConfig(null);
    }

    /**
     * Loads the configuration: {@code args} is {@code [CONFIG-FILE] [--directive value ...]}.
     */
    public static ServerConfig load(List<String> args, Map<String, String> env) throws ConfigException {
        int i = 0;
        Path file = null;
        if (!args.isEmpty() && !args.get(0).startsWith("--")) {
            file = Path.of(args.get(0));
            i = 1;
        }
        ServerConfig config = new ServerConfig(file);
        if (file != null) {
            config.readFile(file);
        }
        for (var e : env.entrySet()) {
            String name = ENV_ALIASES.get(e.getKey());
            if (name == null && e.getKey().startsWith("PANDA_")) {
                String candidate = e.getKey().substring(6).toLowerCase(Locale.ROOT).replace('_', '-');
                name = DIRECTIVES.containsKey(candidate) ? candidate : null;
            }
            if (name != null) {
                config.apply(name, List.of(e.getValue()), "environment variable " + e.getKey());
            }
        }
        while (i < args.size()) {
            String flag = args.get(i);
            if (!flag.startsWith("--") || flag.length() == 2) {
                throw new ConfigException("command line: expected --directive, got '" + flag + "'");
            }
            List<String> words = new ArrayList<>();
            i++;
            while (i < args.size() && !args.get(i).startsWith("--")) {
                words.add(args.get(i++));
            }
            config.apply(flag.substring(2).toLowerCase(Locale.ROOT), words, "command line option " + flag);
        }
        return config;
    }

    private void readFile(Path path) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + path + ": " + e.getMessage());
        }
        boolean saveSeen = false;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<byte[]> parts = ArgumentSplitter.split(line.getBytes(StandardCharsets.UTF_8));
            String where = path + " line " + (n + 1) + " ('" + line + "')";
            if (parts == null) {
                throw new ConfigException(where + ": unbalanced quotes");
            }
            String name = new String(parts.get(0), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            List<String> words = new ArrayList<>();
            for (byte[] p : parts.subList(1, parts.size())) {
                words.add(new String(p, StandardCharsets.UTF_8));
            }
            // Several "save" lines add up, as in redis.conf.
            if (name.equals("save") && saveSeen && !String.join(" ", words).isBlank()) {
                words.add(0, values.get("save"));
            }
            saveSeen |= name.equals("save");
            apply(name, words, where);
        }
    }

    private void apply(String given, List<String> words, String where) throws ConfigException {
        if (given.equals("user")) {
            if (words.isEmpty()) {
                throw new ConfigException(where + ": wrong number of arguments for 'user'");
            }
            for (List<String> u : users) {
                if (u.get(0).equals(words.get(0))) {
                    throw new ConfigException(where + ": Error in user declaration '" + words.get(0)
                            + "': Duplicate user found. A user can only be defined once in config files");
                }
            }
            users.add(List.copyOf(words));
            return;
        }
        String name = canonical(given);
        Directive d = DIRECTIVES.get(name);
        if (d == null) {
            throw new ConfigException(where + ": unknown directive '" + name + "'");
        }
        if (words.isEmpty() && where.startsWith("command line") && d.isBoolean()) {
            words = List.of("yes"); // a bare switch: --s3-path-style
        }
        if (words.isEmpty() || (words.size() > 1 && !name.equals("save") && !name.equals("bind") && !d.accumulates())) {
            throw new ConfigException(where + ": wrong number of arguments for '" + name + "'");
        }
        try {
            String joined = String.join(" ", words);
            values.put(name, d.normalise(d.accumulates() ? values.get(name) + " " + joined : joined));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": invalid value for '" + name + "': " + e.getMessage());
        }
    }

    /** The users declared with "user" lines, each as its name then its rules. */
    public List<List<String>> users() {
        return users;
    }

    /** Where CONFIG REWRITE gets the current ACL users from. */
    public void setUserLines(java.util.function.Supplier<List<String>> userLines) {
        this.userLines = userLines;
    }

    public static Map<String, Directive> directives() {
        return DIRECTIVES;
    }

    public String get(String name) {
        return values.get(canonical(name));
    }

    public long getLong(String name) {
        return Long.parseLong(get(name));
    }

    public int getInt(String name) {
        return (int) getLong(name);
    }

    public boolean getBool(String name) {
        return "yes".equals(get(name));
    }

    /** CONFIG SET of one directive: the normalised value, or an exception naming the reason. */
    public void set(String given, String raw) {
        String name = canonical(given);
        Directive d = DIRECTIVES.get(name);
        if (d == null) {
            throw new IllegalArgumentException("Unknown option or number of arguments for CONFIG SET - '" + name + "'");
        }
        if (PROTECTED.contains(name) && get("enable-protected-configs").equals("no")) {
            throw new IllegalArgumentException("can't set protected config");
        }
        if (!d.mutable()) {
            throw new IllegalArgumentException("can't set immutable config");
        }
        String value = d.normalise(d.accumulates() ? values.get(name) + " " + raw : raw);
        values.put(name, value);
        listeners.getOrDefault(name, List.of()).forEach(l -> l.accept(value));
    }

    /**
     * Runs {@code listener} with the new value each time CONFIG SET changes {@code name}, so
     * code that caches a value (the slow log's threshold on the command path) never parses
     * the configuration per command. Store thread.
     */
    public void onChange(String name, Consumer<String> listener) {
        if (!DIRECTIVES.containsKey(name)) {
            throw new IllegalArgumentException("unknown directive " + name);
        }
        listeners.computeIfAbsent(name, n -> new ArrayList<>()).add(listener);
    }

    /**
     * Registers Redis's "apply function" for a group of directives: CONFIG SET first sets every
     * value it was given, then runs, once, each applier one of whose directives it changed (so
     * {@code tls-cert-file} and {@code tls-key-file} set together are checked as a pair). An
     * applier throws {@link IllegalArgumentException} with the reason when the new values cannot
     * take effect, and must then leave what it manages unchanged. Store thread.
     */
    public void onApply(java.util.Set<String> names, Runnable applier) {
        for (String name : names) {
            if (!DIRECTIVES.containsKey(name)) {
                throw new IllegalArgumentException("unknown directive " + name);
            }
        }
        appliers.add(Map.entry(names, applier));
    }

    /**
     * Runs the appliers of the directives a CONFIG SET changed ({@code changed}, in the order it
     * named them); throws {@link ApplyFailure} naming the directive of the first that failed.
     */
    public void apply(java.util.Collection<String> changed) {
        for (var applier : appliers) {
            String first = changed.stream().filter(applier.getKey()::contains).findFirst().orElse(null);
            if (first == null) {
                continue;
            }
            try {
                applier.getValue().run();
            } catch (IllegalArgumentException e) {
                throw new ApplyFailure(first, e.getMessage());
            }
        }
    }

    /** An applier refused the new values; {@link #directive} is the one CONFIG SET's error names. */
    public static final class ApplyFailure extends IllegalArgumentException {
        private final String directive;

        ApplyFailure(String directive, String reason) {
            super(reason);
            this.directive = directive;
        }

        public String directive() {
            return directive;
        }
    }

    public Path file() {
        return file;
    }

    /**
     * CONFIG REWRITE: rewrites the config file with the current values, keeping comments and
     * the order of existing lines; directives that differ from their default and have no line
     * yet are appended. Written to a temporary file and renamed over the old one.
     */
    public void rewrite() throws IOException {
        if (file == null) {
            throw new IOException("The server is running without a config file");
        }
        List<String> out = new ArrayList<>();
        List<String> written = new ArrayList<>();
        for (String line : Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.<String>of()) {
            String trimmed = line.trim();
            String name = trimmed.isEmpty() || trimmed.startsWith("#") ? null : trimmed.split("\\s+")[0].toLowerCase(Locale.ROOT);
            if ("user".equals(name) && userLines != null) {
                continue; // rewritten from the ACL below
            }
            if (name == null || !DIRECTIVES.containsKey(name)) {
                out.add(line);
            } else if (!written.contains(name)) {
                out.add(line(name));
                written.add(name);
            }
        }
        boolean header = false;
        for (Directive d : DIRECTIVES.values()) {
            if (!written.contains(d.name()) && !values.get(d.name()).equals(d.defaultValue())) {
                if (!header) {
                    out.add("# Generated by CONFIG REWRITE");
                    header = true;
                }
                out.add(line(d.name()));
            }
        }
        if (userLines != null) {
            out.addAll(userLines.get());
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, out, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private String line(String name) {
        String v = values.get(name);
        boolean plain = !v.isEmpty() && (name.equals("save")
                || v.chars().allMatch(c -> c > ' ' && c != '"' && c != '\'' && c != '\\' && c != 0x7f));
        return name + " " + (plain ? v : quote(v));
    }

    /** A double-quoted value with the escapes the config reader ({@link ArgumentSplitter}) understands. */
    private static String quote(String v) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < ' ' || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
