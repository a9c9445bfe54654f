package dev.panda.command.server;

import dev.panda.command.Args;
import dev.panda.command.Client;
import dev.panda.command.CommandSpec;
import dev.panda.command.CommandTable;
import dev.panda.command.Help;
import dev.panda.command.LatencyGraph;
import dev.panda.command.LatencyHistogram;
import dev.panda.command.LatencyMonitor;
import dev.panda.command.LatencyReport;
import dev.panda.command.SlowLog;
import dev.panda.protocol.Reply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** MONITOR, SLOWLOG and LATENCY: how an operator watches the server from a client. Store thread only. */
public final class DiagnosticCommands {

    /** As Redis: a client already monitoring gets no reply at all. */
    public void monitor(Client c, byte[][] argv, Reply r) {
        if (c.monitoring()) {
            return;
        }
        c.startMonitoring();
        c.server().monitors().add(c);
        r.ok();
    }

    public void slowlogGet(Client c, byte[][] argv, Reply r) {
        SlowLog log = c.server().slowLog();
        long count = 10;
        if (argv.length > 3) {
            r.error("ERR unknown subcommand or wrong number of arguments for '" + Args.text(argv[1]) + "'. Try SLOWLOG HELP.");
            return;
        }
        if (argv.length == 3) {
            Long n = Args.tryParseLong(argv[2]);
            if (n == null || n < -1) {
                r.error("ERR count should be greater than or equal to -1");
                return;
            }
            count = n == -1 ? log.length() : n;
        }
        List<SlowLog.Entry> entries = log.newest(count);
        r.array(entries.size());
        for (SlowLog.Entry e : entries) {
            r.array(6);
            r.integer(e.id());
            r.integer(e.timeSeconds());
            r.integer(e.micros());
            r.array(e.args().length);
            for (byte[] arg : e.args()) {
                r.bulk(arg);
            }
            r.bulk(e.address());
            r.bulk(e.clientName());
        }
    }

    public void slowlogLen(Client c, byte[][] argv, Reply r) {
        r.integer(c.server().slowLog().length());
    }

    public void slowlogReset(Client c, byte[][] argv, Reply r) {
        c.server().slowLog().reset();
        r.ok();
    }

    public void slowlogHelp(Client c, byte[][] argv, Reply r) {
        Help.reply(r, "SLOWLOG",
                "GET [<count>]",
                "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                "    Entries are made of:",
                "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                "    client name",
                "LEN",
                "    Return the length of the slowlog.",
                "RESET",
                "    Reset the slowlog.");
    }

    public void latencyLatest(Client c, byte[][] argv, Reply r) {
        r.value(c.server().latencyMonitor().latest());
    }

    public void latencyHistory(Client c, byte[][] argv, Reply r) {
        r.value(c.server().latencyMonitor().history(Args.text(argv[2])));
    }

    /** LATENCY DOCTOR: Redis's human-readable report (see {@link LatencyReport}). */
    public void latencyDoctor(Client c, byte[][] argv, Reply r) {
        LatencyMonitor monitor = c.server().latencyMonitor();
        LatencyReport.Server server = new LatencyReport.Server(c.server().config().getInt("hz"),
                "always".equals(c.server().config().get("appendfsync")), c.server().persistence().forkRateGbPerSec());
        r.verbatim(LatencyReport.render(monitor.all(), monitor.thresholdMillis(),
                c.server().config().getLong("slowlog-log-slower-than"), c.server().clock().nowMillis() / 1000, server));
    }

    /** LATENCY GRAPH event: Redis's ASCII graph of the event's samples (see {@link LatencyGraph}). */
    public void latencyGraph(Client c, byte[][] argv, Reply r) {
        LatencyMonitor.Samples samples = c.server().latencyMonitor().samples(Args.text(argv[2]));
        if (samples == null) {
            r.error("ERR No samples available for event '" + Args.text(argv[2]) + "'");
            return;
        }
        r.verbatim(LatencyGraph.render(samples, c.server().clock().nowMillis() / 1000));
    }

    public void latencyReset(Client c, byte[][] argv, Reply r) {
        List<String> events = new ArrayList<>();
        for (int i = 2; i < argv.length; i++) {
            events.add(Args.text(argv[i]));
        }
        r.integer(c.server().latencyMonitor().reset(events));
    }

    /**
     * LATENCY HISTOGRAM [command ...]: per command, its calls and the cumulative count at each
     * power-of-two microsecond bound where the count grows (Redis's layout; see
     * {@link LatencyHistogram} for how the bounds compare with Redis's).
     */
    public void latencyHistogram(Client c, byte[][] argv, Reply r) {
        List<CommandSpec> specs = new ArrayList<>();
        CommandTable table = c.server().commands();
        if (argv.length == 2) {
            for (CommandSpec spec : table.all()) {
                specs.add(spec);
                specs.addAll(spec.subcommands().values());
            }
        } else {
            for (int i = 2; i < argv.length; i++) {
                CommandSpec spec = table.find(Args.text(argv[i]).toLowerCase(Locale.ROOT));
                if (spec != null) {
                    specs.add(spec);
                    specs.addAll(spec.subcommands().values());
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (CommandSpec spec : specs) {
            if (spec.calls() > 0) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("calls", spec.calls());
                entry.put("histogram_usec", cumulative(spec.latencyCounts()));
                out.put(spec.name(), entry);
            }
        }
        r.value(out);
    }

    private static Map<Long, Long> cumulative(long[] counts) {
        Map<Long, Long> out = new LinkedHashMap<>();
        long previous = 0;
        for (int e = 0; e <= LatencyHistogram.MAX_EXPONENT; e++) {
            long bound = 1L << e;
            long n = LatencyHistogram.countAtMost(counts, bound);
            if (n > previous) {
                out.put(bound, n);
            }
            previous = n;
        }
        return out;
    }

    public void latencyHelp(Client c, byte[][] argv, Reply r) {
        Help.reply(r, "LATENCY",
                "DOCTOR",
                "    Return a human readable latency analysis report.",
                "GRAPH <event>",
                "    Return an ASCII latency graph for the <event> class.",
                "HISTORY <event>",
                "    Return time-latency samples for the <event> class.",
                "LATEST",
                "    Return the latest latency samples for all events.",
                "RESET [<event> ...]",
                "    Reset latency data of one or more <event> classes.",
                "    (default: reset all data for all event classes)",
                "HISTOGRAM [COMMAND ...]",
                "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
                "    If no commands are specified then all histograms are replied.");
    }
}
