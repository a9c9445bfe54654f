package dev.panda.command.server;

import dev.panda.command.CommandSpec;
import dev.panda.command.LatencyHistogram;
import dev.panda.command.MemoryLimit;
import dev.panda.command.ServerContext;
import dev.panda.command.ServerStats;
import dev.panda.store.Database;
import dev.panda.store.Keyspace;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Builds the INFO text with Redis's section and field names, so dashboards and tools that
 * parse Redis's INFO read Panda's. Store thread only.
 */
public final class InfoReport {
    private static final List<String> DEFAULT_SECTIONS = List.of(
            "server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "errorstats",
            "cluster", "keyspace");
    private static final List<String> ALL_SECTIONS = List.of(
            "server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "commandstats",
            "errorstats", "latencystats", "cluster", "keyspace");

    private final ServerContext server;

    InfoReport(ServerContext server) {
        this.server = server;
    }

    /** The sections named (case-insensitively), "default", "all" or "everything". */
    String render(List<String> requested) {
        Set<String> sections = new LinkedHashSet<>();
        if (requested.isEmpty()) {
            sections.addAll(DEFAULT_SECTIONS);
        }
        for (String s : requested) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "default" -> sections.addAll(DEFAULT_SECTIONS);
                case "all", "everything" -> sections.addAll(ALL_SECTIONS);
                default -> sections.add(s.toLowerCase(Locale.ROOT));
            }
        }
        StringBuilder out = new StringBuilder();
        for (String section : ALL_SECTIONS) {
            if (!sections.contains(section)) {
                continue;
            }
            if (out.length() > 0) {
                out.append("\r\n");
            }
            out.append("# ").append(Character.toUpperCase(section.charAt(0))).append(section.substring(1)).append("\r\n");
            switch (section) {
                case "server" -> server(out);
                case "clients" -> clients(out);
                case "memory" -> memory(out);
                case "persistence" -> persistence(out);
                case "stats" -> stats(out);
                case "replication" -> replication(out);
                case "cpu" -> cpu(out);
                case "commandstats" -> commandstats(out);
                case "latencystats" -> latencystats(out);
                case "keyspace" -> keyspace(out);
                case "cluster" -> field(out, "cluster_enabled", 0);
                default -> { }
            }
        }
        return out.toString();
    }

    private static void field(StringBuilder out, String name, Object value) {
        out.append(name).append(':').append(value).append("\r\n");
    }

    private void server(StringBuilder out) {
        long now = server.clock().nowMillis();
        long uptime = (now - server.startMillis()) / 1000;
        field(out, "redis_version", ServerContext.REDIS_VERSION);
        field(out, "panda_version", ServerContext.PANDA_VERSION);
        field(out, "redis_git_sha1", "00000000");
        field(out, "redis_git_dirty", 0);
        field(out, "redis_mode", "standalone");
        field(out, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        field(out, "arch_bits", 64);
        field(out, "multiplexing_api", "netty");
        field(out, "java_version", System.getProperty("java.version"));
        field(out, "process_id", ProcessHandle.current().pid());
        field(out, "run_id", server.runId());
        field(out, "tcp_port", server.tcpPort());
        field(out, "server_time_usec", now * 1000);
        field(out, "uptime_in_seconds", uptime);
        field(out, "uptime_in_days", uptime / 86400);
        field(out, "hz", server.config().get("hz"));
        field(out, "executable", "panda");
        field(out, "config_file", server.config().file() == null ? "" : server.config().file().toAbsolutePath());
    }

    private void clients(StringBuilder out) {
        field(out, "connected_clients", server.clients().size());
        field(out, "maxclients", server.config().get("maxclients"));
        field(out, "blocked_clients", server.blocking().blockedClients());
        field(out, "tracking_clients", server.tracking().trackingClients());
    }

    private void memory(StringBuilder out) {
        Runtime rt = Runtime.getRuntime();
        MemoryLimit memory = server.memoryLimit();
        long used = memory.used();
        long peak = memory.peak();
        long clients = memory.clientBytes();
        long overhead = memory.overhead();
        long dataset = used - overhead;
        long heapUsed = rt.totalMemory() - rt.freeMemory();
        long heapCommitted = rt.totalMemory();
        long rss = ProcessMemory.residentBytes();
        long max = memory.maxmemory();
        long scripts = server.scripts().cachedScripts();
        field(out, "used_memory", used);
        field(out, "used_memory_human", human(used));
        field(out, "used_memory_rss", rss);
        field(out, "used_memory_rss_human", human(rss));
        field(out, "used_memory_peak", peak);
        field(out, "used_memory_peak_human", human(peak));
        field(out, "used_memory_peak_perc", percent(used, peak));
        field(out, "used_memory_overhead", overhead);
        field(out, "used_memory_startup", 0);
        field(out, "used_memory_dataset", dataset);
        field(out, "used_memory_dataset_perc", percent(dataset, used));
        field(out, "allocator_allocated", heapUsed);
        field(out, "allocator_active", heapCommitted);
        field(out, "allocator_resident", rss);
        field(out, "total_system_memory", totalSystemMemory());
        field(out, "total_system_memory_human", human(totalSystemMemory()));
        field(out, "number_of_cached_scripts", scripts);
        field(out, "maxmemory", max);
        field(out, "maxmemory_human", human(max));
        field(out, "maxmemory_policy", memory.policy().redisName());
        field(out, "allocator_frag_ratio", ratio(heapCommitted, heapUsed));
        field(out, "allocator_frag_bytes", heapCommitted - heapUsed);
        field(out, "allocator_rss_ratio", ratio(rss, heapCommitted));
        field(out, "allocator_rss_bytes", rss - heapCommitted);
        field(out, "rss_overhead_ratio", "1.00");
        field(out, "rss_overhead_bytes", 0);
        field(out, "mem_fragmentation_ratio", ratio(rss, used));
        field(out, "mem_fragmentation_bytes", rss - used);
        field(out, "mem_not_counted_for_evict", 0);
        field(out, "mem_replication_backlog", 0);
        field(out, "mem_total_replication_buffers", 0);
        field(out, "mem_clients_slaves", 0);
        field(out, "mem_clients_normal", clients);
        field(out, "mem_cluster_links", 0);
        field(out, "mem_aof_buffer", 0);
        field(out, "mem_allocator", "jvm");
        field(out, "active_defrag_running", 0);
        field(out, "lazyfree_pending_objects", 0);
        field(out, "lazyfreed_objects", 0);
        field(out, "network_buffers_used", server.networkBufferBytes());
        field(out, "jvm_heap_used", heapUsed);
        field(out, "jvm_heap_committed", heapCommitted);
        field(out, "jvm_heap_max", rt.maxMemory());
    }

    private static String percent(long part, long whole) {
        return String.format(Locale.ROOT, "%.2f%%", whole == 0 ? 0.0 : 100.0 * part / whole);
    }

    private static String ratio(long a, long b) {
        return String.format(Locale.ROOT, "%.2f", b == 0 ? 0.0 : (double) a / b);
    }

    private static long totalSystemMemory() {
        return SystemMemory.TOTAL;
    }

    /** Read once: in a container the JDK reads several cgroup files for it, most of a millisecond. */
    private static final class SystemMemory {
        static final long TOTAL = ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getTotalMemorySize() : 0;
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        String units = "KMGTPE";
        double v = bytes;
        int i = -1;
        while (v >= 1024 && i < units.length() - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.2f%c", v, units.charAt(i));
    }

    private void persistence(StringBuilder out) {
        server.persistence().info(out, server.loading());
    }

    private void stats(StringBuilder out) {
        ServerStats s = server.stats();
        Keyspace ks = server.keyspace();
        field(out, "total_connections_received", s.connectionsReceived);
        field(out, "total_commands_processed", s.commandsProcessed);
        field(out, "total_net_input_bytes", s.netInputBytes);
        field(out, "total_net_output_bytes", s.netOutputBytes);
        field(out, "rejected_connections", s.rejectedConnections);
        field(out, "expired_keys", ks.stats().expiredKeys);
        field(out, "evicted_keys", ks.stats().evictedKeys);
        field(out, "evicted_clients", s.evictedClients);
        field(out, "keyspace_hits", ks.stats().hits);
        field(out, "keyspace_misses", ks.stats().misses);
        field(out, "pubsub_channels", server.pubsub().channels(null, false).size());
        field(out, "pubsub_patterns", server.pubsub().patternCount());
        field(out, "pubsubshard_channels", server.pubsub().channels(null, true).size());
        field(out, "tracking_total_keys", server.tracking().trackedKeys());
        field(out, "tracking_total_prefixes", server.tracking().prefixCount());
        field(out, "total_error_replies", s.errorReplies);
        field(out, "client_output_buffer_limit_disconnections", s.outputBufferLimitDisconnections);
    }

    private void replication(StringBuilder out) {
        field(out, "role", "master");
        field(out, "connected_slaves", 0);
        field(out, "master_replid", server.replId());
        field(out, "master_repl_offset", 0);
    }

    /** User and system CPU seconds from /proc/self/stat (clock ticks at the usual 100 Hz). */
    private void cpu(StringBuilder out) {
        double user = 0;
        double sys = 0;
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            user = Long.parseLong(f[11]) / 100.0;
            sys = Long.parseLong(f[12]) / 100.0;
        } catch (IOException | RuntimeException e) {
            // not Linux: report zeros
        }
        field(out, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", sys));
        field(out, "used_cpu_user", String.format(Locale.ROOT, "%.6f", user));
    }

    private List<CommandSpec> allSpecs() {
        List<CommandSpec> specs = new ArrayList<>();
        for (CommandSpec spec : server.commands().all()) {
            specs.add(spec);
            specs.addAll(spec.subcommands().values());
        }
        return specs;
    }

    private void commandstats(StringBuilder out) {
        for (CommandSpec spec : allSpecs()) {
            if (spec.calls() == 0 && spec.rejectedCalls() == 0) {
                continue;
            }
            out.append("cmdstat_").append(spec.name()).append(":calls=").append(spec.calls())
                    .append(",usec=").append(spec.usec())
                    .append(",usec_per_call=").append(String.format(Locale.ROOT, "%.2f",
                            spec.calls() == 0 ? 0.0 : spec.nanos() / 1000.0 / spec.calls()))
                    .append(",rejected_calls=").append(spec.rejectedCalls())
                    .append(",failed_calls=").append(spec.failedCalls()).append("\r\n");
        }
    }

    /**
     * Redis's {@code latency_percentiles_usec_<command>:p50=…,p99=…,p99.9=…} for the
     * percentiles in {@code latency-tracking-info-percentiles}, from the same histogram as the
     * metrics endpoint's {@code panda_command_duration_seconds}.
     */
    private void latencystats(StringBuilder out) {
        String configured = server.config().get("latency-tracking-info-percentiles");
        String[] percentiles = configured.isEmpty() ? new String[0] : configured.split(" ");
        for (CommandSpec spec : allSpecs()) {
            if (spec.calls() == 0) {
                continue;
            }
            long[] counts = spec.latencyCounts();
            out.append("latency_percentiles_usec_").append(spec.name()).append(':');
            for (int i = 0; i < percentiles.length; i++) {
                out.append(i == 0 ? "" : ",").append('p').append(percentiles[i]).append('=').append(String.format(Locale.ROOT,
                        "%.3f", LatencyHistogram.percentileMicros(counts, Double.parseDouble(percentiles[i]))));
            }
            out.append("\r\n");
        }
    }

    private void keyspace(StringBuilder out) {
        if (server.loading()) {
            return; // the loader owns the keyspace until it is done
        }
        Keyspace ks = server.keyspace();
        for (int i = 0; i < ks.databaseCount(); i++) {
            Database db = ks.db(i);
            if (db.size() > 0) {
                out.append("db").append(i).append(":keys=").append(db.size()).append(",expires=")
                        .append(db.expiresSize()).append(",avg_ttl=0\r\n");
            }
        }
    }
}
