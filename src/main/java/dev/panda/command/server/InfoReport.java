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
            String title = section.equals("cpu") ? "CPU" : Character.toUpperCase(section.charAt(0)) + section.substring(1);
            out.append("# ").append(title).append("\r\n");
            switch (section) {
                case "server" -> server(out);
                case "clients" -> clients(out);
                case "memory" -> memory(out);
                case "persistence" -> persistence(out);
                case "stats" -> stats(out);
                case "replication" -> replication(out);
                case "cpu" -> cpu(out);
                case "commandstats" -> commandstats(out);
                case "errorstats" -> server.stats().errorCodes().forEach((code, count) ->
                        out.append("errorstat_").append(code).append(":count=").append(count).append("\r\n"));
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
        field(out, "redis_git_sha1", "00000000");
        field(out, "redis_git_dirty", 0);
        field(out, "redis_build_id", "0");
        field(out, "redis_mode", "standalone");
        field(out, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        field(out, "arch_bits", 64);
        field(out, "monotonic_clock", "POSIX clock_gettime"); // System.nanoTime's source on Linux
        field(out, "multiplexing_api", server.multiplexingApi());
        field(out, "atomicvar_api", "jvm");
        field(out, "gcc_version", "0.0.0"); // what Redis prints when not built by gcc
        field(out, "process_id", ProcessHandle.current().pid());
        field(out, "process_supervised", "no");
        field(out, "run_id", server.runId());
        field(out, "tcp_port", server.tcpPort());
        field(out, "server_time_usec", now * 1000);
        field(out, "uptime_in_seconds", uptime);
        field(out, "uptime_in_days", uptime / 86400);
        field(out, "hz", server.config().get("hz"));
        field(out, "configured_hz", server.config().get("hz"));
        field(out, "lru_clock", (now / 1000) & 0xFFFFFF);
        field(out, "executable", "panda");
        field(out, "config_file", server.config().file() == null ? "" : server.config().file().toAbsolutePath());
        field(out, "io_threads_active", 0);
        field(out, "panda_version", ServerContext.PANDA_VERSION);
        field(out, "java_version", System.getProperty("java.version"));
    }

    private void clients(StringBuilder out) {
        field(out, "connected_clients", server.clients().size());
        field(out, "cluster_connections", 0);
        field(out, "maxclients", server.config().get("maxclients"));
        field(out, "client_recent_max_input_buffer", server.clientPeaks().recentMaxInput());
        field(out, "client_recent_max_output_buffer", server.clientPeaks().recentMaxOutput());
        field(out, "blocked_clients", server.blocking().blockedClients() + server.clientPause().postponedClients());
        field(out, "tracking_clients", server.tracking().trackingClients());
        field(out, "clients_in_timeout_table", server.blocking().blockedWithTimeout(server.clients().all()));
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
        long scriptBytes = server.scripts().cachedScriptBytes();
        long[] functions = server.scripts().functionCounts();
        field(out, "used_memory_lua", 0); // LuaJ's heap is not measured apart from the JVM's
        field(out, "used_memory_vm_eval", 0);
        field(out, "used_memory_lua_human", human(0));
        field(out, "used_memory_scripts_eval", scriptBytes);
        field(out, "number_of_cached_scripts", scripts);
        field(out, "number_of_functions", functions[1]);
        field(out, "number_of_libraries", functions[0]);
        field(out, "used_memory_vm_functions", 0);
        field(out, "used_memory_vm_total", 0);
        field(out, "used_memory_vm_total_human", human(0));
        field(out, "used_memory_functions", functions[2]);
        field(out, "used_memory_scripts", scriptBytes + functions[2]);
        field(out, "used_memory_scripts_human", human(scriptBytes + functions[2]));
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
        field(out, "instantaneous_ops_per_sec", s.instantaneousOpsPerSecond());
        field(out, "total_net_input_bytes", s.netInputBytes);
        field(out, "total_net_output_bytes", s.netOutputBytes);
        field(out, "total_net_repl_input_bytes", 0);
        field(out, "total_net_repl_output_bytes", 0);
        field(out, "instantaneous_input_kbps", String.format(Locale.ROOT, "%.2f", s.instantaneousInputKbps()));
        field(out, "instantaneous_output_kbps", String.format(Locale.ROOT, "%.2f", s.instantaneousOutputKbps()));
        field(out, "instantaneous_input_repl_kbps", "0.00");
        field(out, "instantaneous_output_repl_kbps", "0.00");
        field(out, "rejected_connections", s.rejectedConnections);
        field(out, "sync_full", 0);
        field(out, "sync_partial_ok", 0);
        field(out, "sync_partial_err", 0);
        field(out, "expired_keys", ks.stats().expiredKeys);
        field(out, "expired_stale_perc", String.format(Locale.ROOT, "%.2f", server.expiryCycle().stalePerc() * 100));
        field(out, "expired_time_cap_reached_count", server.expiryCycle().timeCapReached());
        field(out, "expire_cycle_cpu_milliseconds", server.expiryCycle().cycleMillis());
        field(out, "evicted_keys", ks.stats().evictedKeys);
        field(out, "evicted_clients", s.evictedClients);
        field(out, "total_eviction_exceeded_time", 0);
        field(out, "current_eviction_exceeded_time", 0);
        field(out, "keyspace_hits", ks.stats().hits);
        field(out, "keyspace_misses", ks.stats().misses);
        field(out, "pubsub_channels", server.pubsub().channels(null, false).size());
        field(out, "pubsub_patterns", server.pubsub().patternCount());
        field(out, "pubsubshard_channels", server.pubsub().channels(null, true).size());
        field(out, "latest_fork_usec", server.persistence().lastForkMicros());
        field(out, "total_forks", server.persistence().forks());
        field(out, "migrate_cached_sockets", 0);
        field(out, "slave_expires_tracked_keys", 0);
        field(out, "active_defrag_hits", 0);
        field(out, "active_defrag_misses", 0);
        field(out, "active_defrag_key_hits", 0);
        field(out, "active_defrag_key_misses", 0);
        field(out, "total_active_defrag_time", 0);
        field(out, "current_active_defrag_time", 0);
        field(out, "tracking_total_keys", server.tracking().trackedKeys());
        field(out, "tracking_total_items", server.tracking().trackedItems());
        field(out, "tracking_total_prefixes", server.tracking().prefixCount());
        field(out, "unexpected_error_replies", 0);
        field(out, "total_error_replies", s.errorReplies);
        field(out, "dump_payload_sanitizations", 0);
        field(out, "total_reads_processed", s.readsProcessed);
        field(out, "total_writes_processed", s.writesProcessed);
        field(out, "io_threaded_reads_processed", 0);
        field(out, "io_threaded_writes_processed", 0);
        field(out, "reply_buffer_shrinks", 0);
        field(out, "reply_buffer_expands", 0);
        field(out, "client_output_buffer_limit_disconnections", s.outputBufferLimitDisconnections);
    }

    private void replication(StringBuilder out) {
        field(out, "role", "master");
        field(out, "connected_slaves", 0);
        field(out, "master_failover_state", "no-failover");
        field(out, "master_replid", server.replId());
        field(out, "master_replid2", "0".repeat(40));
        field(out, "master_repl_offset", 0);
        field(out, "second_repl_offset", -1);
        field(out, "repl_backlog_active", 0);
        field(out, "repl_backlog_size", 1048576);
        field(out, "repl_backlog_first_byte_offset", 0);
        field(out, "repl_backlog_histlen", 0);
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
        field(out, "used_cpu_sys_children", "0.000000"); // snapshots are written by threads, not child processes
        field(out, "used_cpu_user_children", "0.000000");
        // INFO runs on the event loop, the thread that runs every command: Redis's main thread.
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuNanos = threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : 0;
        long userNanos = threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadUserTime() : 0;
        field(out, "used_cpu_sys_main_thread", String.format(Locale.ROOT, "%.6f", (cpuNanos - userNanos) / 1e9));
        field(out, "used_cpu_user_main_thread", String.format(Locale.ROOT, "%.6f", userNanos / 1e9));
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
        if (!server.config().getBool("latency-tracking")) {
            return; // as Redis with latency-tracking no
        }
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
                        .append(db.expiresSize()).append(",avg_ttl=").append(db.avgTtl()).append("\r\n");
            }
        }
    }
}
