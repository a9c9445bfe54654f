package dev.panda.command.server;

import dev.panda.command.Args;
import dev.panda.command.Client;
import dev.panda.command.Help;
import dev.panda.command.MemoryLimit;
import dev.panda.protocol.Reply;
import dev.panda.store.Database;
import dev.panda.store.Keyspace;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * MEMORY USAGE, STATS, DOCTOR, PURGE, MALLOC-STATS and HELP, with Redis's reply shapes. Panda's
 * figures are heap bytes as the store counts them ({@link Keyspace#datasetBytes}); the
 * allocator's are the JVM heap's. Store thread.
 */
public final class MemoryCommands {
    /** MEMORY USAGE key [SAMPLES count]: sizes are kept exactly, so SAMPLES is checked and needs no sampling. */
    public void usage(Client c, byte[][] argv, Reply r) {
        for (int j = 3; j < argv.length; j += 2) {
            if (Args.is(argv[j], "samples") && j + 1 < argv.length) {
                long samples = Args.parseLong(argv[j + 1]);
                if (samples < 0) {
                    r.error("ERR syntax error");
                    return;
                }
            } else {
                r.error("ERR syntax error");
                return;
            }
        }
        long bytes = c.server().keyspace().db(c.db()).memoryUsage(argv[2]);
        if (bytes < 0) {
            r.nullBulk();
        } else {
            r.integer(bytes);
        }
    }

    public void stats(Client c, byte[][] argv, Reply r) {
        MemoryLimit memory = c.server().memoryLimit();
        Keyspace keyspace = c.server().keyspace();
        long used = memory.used();
        long clients = memory.clientBytes();
        long peakUsed = memory.peak();
        Runtime rt = Runtime.getRuntime();
        long heapUsed = rt.totalMemory() - rt.freeMemory();
        long rss = ProcessMemory.residentBytes();
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("peak.allocated", peakUsed);
        stats.put("total.allocated", used);
        stats.put("startup.allocated", 0L);
        stats.put("replication.backlog", 0L);
        stats.put("clients.slaves", 0L);
        stats.put("clients.normal", clients);
        stats.put("cluster.links", 0L);
        stats.put("aof.buffer", 0L);
        stats.put("lua.caches", 0L);
        stats.put("functions.caches", 0L);
        for (int i = 0; i < keyspace.databaseCount(); i++) {
            Database db = keyspace.db(i);
            if (db.size() == 0) {
                continue;
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("overhead.hashtable.main", db.tableOverheadBytes());
            d.put("overhead.hashtable.expires", db.expiresOverheadBytes());
            d.put("overhead.hashtable.slot-to-keys", 0L);
            stats.put("db." + i, d);
        }
        long overhead = memory.overhead();
        long keys = keyspace.size();
        stats.put("overhead.total", overhead);
        stats.put("keys.count", keys);
        stats.put("keys.bytes-per-key", keys == 0 ? 0L : (used - overhead) / keys);
        stats.put("dataset.bytes", used - overhead);
        stats.put("dataset.percentage", used == 0 ? 0.0 : 100.0 * (used - overhead) / used);
        stats.put("peak.percentage", peakUsed == 0 ? 0.0 : 100.0 * used / peakUsed);
        stats.put("allocator.allocated", heapUsed);
        stats.put("allocator.active", rt.totalMemory());
        stats.put("allocator.resident", rss);
        stats.put("allocator-fragmentation.ratio", heapUsed == 0 ? 0.0 : (double) rt.totalMemory() / heapUsed);
        stats.put("allocator-fragmentation.bytes", rt.totalMemory() - heapUsed);
        stats.put("allocator-rss.ratio", rt.totalMemory() == 0 ? 0.0 : (double) rss / rt.totalMemory());
        stats.put("allocator-rss.bytes", rss - rt.totalMemory());
        stats.put("rss-overhead.ratio", 1.0);
        stats.put("rss-overhead.bytes", 0L);
        stats.put("fragmentation", used == 0 ? 0.0 : (double) rss / used);
        stats.put("fragmentation.bytes", rss - used);
        r.value(stats);
    }

    /** Redis's memory doctor ({@link MemoryDoctor}) on the figures INFO memory shows. */
    public void doctor(Client c, byte[][] argv, Reply r) {
        MemoryLimit memory = c.server().memoryLimit();
        Runtime rt = Runtime.getRuntime();
        r.verbatim(new MemoryDoctor(memory.used(), memory.peak(), ProcessMemory.residentBytes(), rt.totalMemory() - rt.freeMemory(),
                rt.totalMemory(), memory.clientBytes(), c.server().clients().size(), c.server().scripts().cachedScripts(), "jvm")
                .report());
    }

    /** Runs a garbage collection, which with Panda's heap settings gives free heap back to the system. */
    public void purge(Client c, byte[][] argv, Reply r) {
        System.gc();
        r.ok();
    }

    public void mallocStats(Client c, byte[][] argv, Reply r) {
        Runtime rt = Runtime.getRuntime();
        StringBuilder out = new StringBuilder("___ Begin JVM heap statistics ___\n");
        for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            var u = pool.getUsage();
            out.append(String.format(Locale.ROOT, "%s: used=%d committed=%d max=%d%n", pool.getName(), u.getUsed(),
                    u.getCommitted(), u.getMax()));
        }
        out.append(String.format(Locale.ROOT, "heap: used=%d committed=%d max=%d%n", rt.totalMemory() - rt.freeMemory(),
                rt.totalMemory(), rt.maxMemory()));
        out.append("--- End JVM heap statistics ---\n");
        r.verbatim(out.toString());
    }

    public void help(Client c, byte[][] argv, Reply r) {
        Help.reply(r, "MEMORY",
                "DOCTOR",
                "    Return memory problems reports.",
                "MALLOC-STATS",
                "    Return internal statistics report from the memory allocator.",
                "PURGE",
                "    Attempt to purge dirty pages for reclamation by the allocator.",
                "STATS",
                "    Return information about the memory usage of the server.",
                "USAGE <key> [SAMPLES <count>]",
                "    Return memory in bytes used by <key> and its value. Nested values are",
                "    sampled up to <count> times (default: 5, 0 means sample all).");
    }
}
