package dev.panda.metrics;

import dev.panda.command.server.ProcessMemory;
import dev.panda.command.LatencyHistogram;
import dev.panda.command.ServerContext;
import dev.panda.persistence.PersistenceMetrics;
import dev.panda.persistence.storage.StorageStatus;
import dev.panda.persistence.wal.FsyncLatency;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;

/**
 * Panda's own metrics ({@code panda_*}), built at scrape time from one {@link StoreSnapshot} plus
 * values any thread may read (memory, readiness, the storage backend's state). Nothing is
 * registered with the Prometheus client on the command path: the counters live in plain fields
 * on the store thread and become Prometheus samples only here.
 *
 * <p>Metrics thread (called by the Prometheus registry for each scrape).
 */
final class PandaCollector implements MultiCollector {
    /** Exported bounds of panda_command_duration_seconds: every power of two from 1 µs to 2^24 µs (~16.8 s). */
    private static final int DURATION_MAX_EXPONENT = 24;

    private final ServerContext server;
    private final StoreSnapshots snapshots;

    PandaCollector(ServerContext server, StoreSnapshots snapshots) {
        this.server = server;
        this.snapshots = snapshots;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        StoreSnapshot s = snapshots.get();
        long now = System.currentTimeMillis();

        out.add(InfoSnapshot.builder().name("panda_build").help("Panda's version and the Redis version it answers as")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder()
                        .labels(Labels.of("version", ServerContext.PANDA_VERSION, "redis_version", ServerContext.REDIS_VERSION))
                        .build())
                .build());
        out.add(gauge("panda_uptime_seconds", "Seconds since the server started", Unit.SECONDS,
                (now - server.startMillis()) / 1000.0));
        out.add(gauge("panda_loading", "1 while the dataset is being loaded at start-up", null, server.loading() ? 1 : 0));
        out.add(counter("panda_metrics_stale_scrapes", "Scrapes answered from an older snapshot because the command "
                + "thread was busy", snapshots.staleCount()));
        memory(out, s);
        storage(out, server.persistence() == null ? StorageStatus.LOCAL : server.persistence().storageStatus());
        if (s == null) {
            return new MetricSnapshots(out);
        }
        commands(out, s);
        out.add(gauge("panda_connected_clients", "Client connections open (INFO connected_clients)", null, s.connectedClients()));
        out.add(gauge("panda_blocked_clients", "Clients waiting in a blocking command (Panda has none)", null, 0));
        out.add(gauge("panda_monitor_clients", "Clients in MONITOR mode", null, s.monitorClients()));
        out.add(counter("panda_connections_received", "Connections accepted", s.connectionsReceived()));
        out.add(counter("panda_connections_rejected", "Connections refused because maxclients was reached",
                s.connectionsRejected()));
        out.add(counter("panda_monitor_disconnected", "MONITOR clients disconnected because they did not read their feed",
                s.monitorsDisconnected()));
        out.add(counter("panda_error_replies", "Error replies sent (INFO total_error_replies)", s.errorReplies()));
        out.add(counter("panda_net_input_bytes", "Bytes received from clients", s.netInputBytes(), Unit.BYTES));
        out.add(counter("panda_net_output_bytes", "Bytes sent to clients", s.netOutputBytes(), Unit.BYTES));
        out.add(perDatabase("panda_db_keys", "Keys per database (expired keys not yet removed included, as DBSIZE)",
                s.databaseKeys()));
        out.add(perDatabase("panda_db_keys_expiring", "Keys with a time to live per database", s.databaseExpiring()));
        out.add(counter("panda_expired_keys", "Keys removed because their time to live passed", s.expiredKeys()));
        out.add(counter("panda_evicted_keys", "Keys removed to stay under maxmemory", s.evictedKeys()));
        out.add(counter("panda_keyspace_hits", "Key lookups that found the key", s.keyspaceHits()));
        out.add(counter("panda_keyspace_misses", "Key lookups that did not find the key", s.keyspaceMisses()));
        out.add(gauge("panda_slowlog_length", "Entries in the slow log", null, s.slowlogLength()));
        out.add(counter("panda_slowlog_entries", "Commands logged to the slow log since start", s.slowlogLogged()));
        if (s.persistence() != null) {
            persistence(out, s.persistence(), now);
        }
        return new MetricSnapshots(out);
    }

    private void commands(List<MetricSnapshot> out, StoreSnapshot s) {
        var processed = CounterSnapshot.builder().name("panda_commands_processed")
                .help("Commands executed, per command (INFO commandstats calls)");
        var failed = CounterSnapshot.builder().name("panda_commands_failed")
                .help("Commands that ran and answered an error, per command (INFO commandstats failed_calls)");
        var rejected = CounterSnapshot.builder().name("panda_commands_rejected")
                .help("Commands refused before running (arity, authentication, loading, MISCONF), per command");
        var duration = HistogramSnapshot.builder().name("panda_command_duration_seconds").unit(Unit.SECONDS)
                .help("Time spent executing a command, per command (the histogram behind INFO latencystats)");
        double[] bounds = new double[DURATION_MAX_EXPONENT + 2];
        for (int e = 0; e <= DURATION_MAX_EXPONENT; e++) {
            bounds[e] = (1L << e) / 1e6;
        }
        bounds[DURATION_MAX_EXPONENT + 1] = Double.POSITIVE_INFINITY;
        for (StoreSnapshot.CommandStats c : s.commands()) {
            Labels labels = Labels.of("command", c.name());
            processed.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(c.calls()).build());
            failed.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(c.failed()).build());
            rejected.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(c.rejected()).build());
            if (c.calls() == 0) {
                continue;
            }
            long[] counts = new long[bounds.length];
            long below = 0;
            for (int e = 0; e <= DURATION_MAX_EXPONENT; e++) {
                long atMost = LatencyHistogram.countAtMost(c.latencyCounts(), 1L << e);
                counts[e] = atMost - below;
                below = atMost;
            }
            counts[bounds.length - 1] = LatencyHistogram.total(c.latencyCounts()) - below;
            duration.dataPoint(HistogramDataPointSnapshot.builder().labels(labels)
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts)).sum(c.nanos() / 1e9).build());
        }
        out.add(processed.build());
        out.add(failed.build());
        out.add(rejected.build());
        out.add(duration.build());
    }

    private void memory(List<MetricSnapshot> out, StoreSnapshot s) {
        long heap = ProcessMemory.heapUsedBytes();
        long buffers = server.networkBufferBytes();
        out.add(gauge("panda_memory_used_bytes", "Memory in use as maxmemory counts it: the dataset and client buffers"
                + " (INFO used_memory)", Unit.BYTES, s.usedMemory()));
        out.add(gauge("panda_memory_max_bytes", "The maxmemory limit, 0 for none", Unit.BYTES, s.maxMemory()));
        out.add(gauge("panda_memory_heap_used_bytes", "Java heap in use", Unit.BYTES, heap));
        out.add(gauge("panda_memory_heap_max_bytes", "Largest Java heap the JVM may use (-Xmx)", Unit.BYTES,
                Runtime.getRuntime().maxMemory()));
        out.add(gauge("panda_memory_network_buffers_bytes", "Memory held by connection buffers", Unit.BYTES, buffers));
        out.add(gauge("panda_memory_rss_bytes", "Resident set size of the process (INFO used_memory_rss)", Unit.BYTES,
                ProcessMemory.residentBytes()));
    }

    private void persistence(List<MetricSnapshot> out, PersistenceMetrics p, long now) {
        out.add(gauge("panda_wal_enabled", "1 when the write-ahead log is on (appendonly yes)", null, p.walEnabled() ? 1 : 0));
        out.add(gauge("panda_wal_writable", "0 while write commands are refused because the log cannot be written",
                null, p.walWritable() ? 1 : 0));
        out.add(counter("panda_wal_written_bytes", "Bytes written to the write-ahead log since start", p.walBytesWritten(),
                Unit.BYTES));
        out.add(gauge("panda_wal_size_bytes", "Bytes in the write-ahead log's segment files", Unit.BYTES, p.walSizeBytes()));
        out.add(gauge("panda_wal_segments", "Segment files of the write-ahead log", null, p.walSegments()));
        out.add(counter("panda_wal_write_errors", "Failed writes to the write-ahead log", p.walWriteFailures()));
        out.add(counter("panda_wal_fsync_errors", "Failed fsyncs of the write-ahead log", p.walFsyncFailures()));
        if (p.fsync() != null) {
            FsyncLatency.Snapshot f = p.fsync();
            double[] bounds = new double[f.upperBounds().length + 1];
            System.arraycopy(f.upperBounds(), 0, bounds, 0, f.upperBounds().length);
            bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
            out.add(HistogramSnapshot.builder().name("panda_wal_fsync_duration_seconds").unit(Unit.SECONDS)
                    .help("Time an fsync of the write-ahead log took")
                    .dataPoint(HistogramDataPointSnapshot.builder()
                            .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, f.counts())).sum(f.sumSeconds()).build())
                    .build());
        }
        out.add(gauge("panda_snapshot_in_progress", "1 while a background snapshot runs", null, p.snapshotInProgress() ? 1 : 0));
        out.add(gauge("panda_snapshot_last_success", "1 if the last snapshot succeeded (INFO rdb_last_bgsave_status)",
                null, p.lastSnapshotOk() ? 1 : 0));
        out.add(gauge("panda_snapshot_last_success_timestamp_seconds",
                "When the newest snapshot was taken, in Unix time (INFO rdb_last_save_time)", Unit.SECONDS,
                p.lastSnapshotMillis() / 1000.0));
        out.add(gauge("panda_snapshot_age_seconds", "Seconds since the newest snapshot was taken", Unit.SECONDS,
                Math.max(0, now - p.lastSnapshotMillis()) / 1000.0));
        out.add(gauge("panda_snapshot_last_duration_seconds", "How long the last successful snapshot took (-1: none yet)",
                Unit.SECONDS, p.lastSnapshotDurationMillis() < 0 ? -1 : p.lastSnapshotDurationMillis() / 1000.0));
        out.add(gauge("panda_snapshot_size_bytes", "Size of the newest snapshot file", Unit.BYTES, p.lastSnapshotBytes()));
        out.add(gauge("panda_changes_since_last_snapshot", "Changes not yet in a snapshot (INFO rdb_changes_since_last_save)",
                null, p.changesSinceSnapshot()));
    }

    private void storage(List<MetricSnapshot> out, StorageStatus status) {
        out.add(InfoSnapshot.builder().name("panda_storage_backend").help("Where snapshots are stored: local or s3")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of("backend", status.backend())).build())
                .build());
        out.add(gauge("panda_storage_degraded", "1 while the storage backend fails and snapshots are only kept locally",
                null, status.degraded() ? 1 : 0));
        out.add(gauge("panda_storage_upload_backlog", "Files waiting to be uploaded to the storage backend", null,
                status.uploadBacklog()));
        out.add(counter("panda_storage_upload_failures", "Failed uploads to the storage backend", status.uploadFailures()));
    }

    private static GaugeSnapshot perDatabase(String name, String help, long[] values) {
        var g = GaugeSnapshot.builder().name(name).help(help);
        for (int i = 0; i < values.length; i++) {
            g.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("db", "db" + i)).value(values[i]).build());
        }
        return g.build();
    }

    private static GaugeSnapshot gauge(String name, String help, Unit unit, double value) {
        var g = GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build());
        if (unit != null) {
            g.unit(unit);
        }
        return g.build();
    }

    private static CounterSnapshot counter(String name, String help, double value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    private static CounterSnapshot counter(String name, String help, double value, Unit unit) {
        return CounterSnapshot.builder().name(name).help(help).unit(unit)
                .dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }
}
