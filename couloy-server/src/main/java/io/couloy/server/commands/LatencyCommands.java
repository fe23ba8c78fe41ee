package io.couloy.server.commands;

import static io.couloy.server.command.CommandSpec.of;

import io.couloy.server.command.Args;
import io.couloy.server.command.CommandError;
import io.couloy.server.command.CommandTable;
import io.couloy.server.command.Context;
import io.couloy.server.command.Flag;
import io.couloy.server.monitor.LatencyMonitor;
import io.couloy.server.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * LATENCY LATEST / HISTORY / RESET / DOCTOR / GRAPH / HELP over the samples the dispatcher
 * records once {@code latency-monitor-threshold} is set ({@link LatencyMonitor}). DOCTOR's
 * report with samples and GRAPH's drawing are plainer than Redis's; HISTOGRAM is not there yet.
 */
public final class LatencyCommands {
    private LatencyCommands() {}

    public static void register(CommandTable t) {
        t.add(of("latency", -2, "server", LatencyCommands::latency).flags(Flag.ADMIN, Flag.NOSCRIPT)
                .doc("A container for latency diagnostics commands.", "2.8.13", "Depends on subcommand."));
    }

    private static final List<String> HELP = List.of(
            "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
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
            "    If no commands are specified then all histograms are replied.",
            "HELP",
            "    Prints this help.");

    private static Reply latency(Context c, List<byte[]> a) {
        LatencyMonitor monitor = c.server().latency();
        String sub = Args.upper(a.get(1));
        return switch (sub) {
            case "LATEST" -> {
                arity(a, 2, "latest");
                List<Reply> out = new ArrayList<>();
                for (LatencyMonitor.Event e : monitor.events()) {
                    out.add(new Reply.Array(List.of(Reply.bulk(e.name()), Reply.integer(e.latest().unixSeconds()),
                            Reply.integer(e.latest().millis()), Reply.integer(e.max()))));
                }
                yield new Reply.Array(out);
            }
            case "HISTORY" -> {
                arity(a, 3, "history");
                LatencyMonitor.Event e = monitor.event(Args.text(a.get(2)));
                List<Reply> out = new ArrayList<>();
                if (e != null) {
                    for (LatencyMonitor.Sample s : e.samples()) {
                        out.add(new Reply.Array(List.of(Reply.integer(s.unixSeconds()), Reply.integer(s.millis()))));
                    }
                }
                yield new Reply.Array(out);
            }
            case "RESET" -> {
                List<String> names = new ArrayList<>();
                a.subList(2, a.size()).forEach(n -> names.add(Args.text(n)));
                yield Reply.integer(monitor.reset(names));
            }
            case "DOCTOR" -> {
                arity(a, 2, "doctor");
                yield new Reply.Verbatim("txt", doctor(monitor.events(), c.server().config().latencyMonitorThreshold())
                        .getBytes(StandardCharsets.UTF_8));
            }
            case "GRAPH" -> {
                arity(a, 3, "graph");
                String name = Args.text(a.get(2));
                LatencyMonitor.Event e = monitor.event(name);
                if (e == null) {
                    throw new CommandError("ERR No samples available for event '" + name + "'");
                }
                yield new Reply.Verbatim("txt", graph(e).getBytes(StandardCharsets.UTF_8));
            }
            case "HISTOGRAM" -> throw new CommandError("ERR LATENCY HISTOGRAM is not supported by CouloyDB yet; "
                    + "INFO commandstats has each command's calls and time");
            case "HELP" -> {
                List<Reply> out = new ArrayList<>();
                HELP.forEach(l -> out.add(new Reply.Simple(l)));
                yield new Reply.Array(out);
            }
            default -> throw new CommandError("ERR unknown subcommand '" + Args.text(a.get(1)) + "'. Try LATENCY HELP.");
        };
    }

    private static void arity(List<byte[]> a, int n, String sub) {
        if (a.size() != n) {
            throw new CommandError("ERR wrong number of arguments for 'latency|" + sub + "' command");
        }
    }

    /** Redis's DOCTOR texts for "disabled" and "nothing seen"; with samples, a plainer report than Redis's. */
    static String doctor(List<LatencyMonitor.Event> events, long threshold) {
        if (events.isEmpty()) {
            return threshold == 0
                    ? "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use "
                            + "\"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a "
                            + "deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n"
                    : "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest "
                            + "bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n";
        }
        StringBuilder sb = new StringBuilder("Dave, I have observed latency spikes in this Redis instance. You don't mind "
                + "talking about it, do you Dave?\n\n");
        int i = 1;
        for (LatencyMonitor.Event e : events) {
            double avg = e.samples().stream().mapToLong(LatencyMonitor.Sample::millis).average().orElse(0);
            double dev = e.samples().stream().mapToDouble(s -> Math.abs(s.millis() - avg)).average().orElse(0);
            long span = e.latest().unixSeconds() - e.samples().getFirst().unixSeconds();
            sb.append(i++).append(". ").append(e.name()).append(": ").append(e.samples().size())
                    .append(" latency spikes (average ").append(Math.round(avg)).append("ms, mean deviation ")
                    .append(Math.round(dev)).append("ms, period ")
                    .append(String.format(Locale.ROOT, "%.2f", e.samples().size() > 1 ? (double) span / (e.samples().size() - 1) : 0.0))
                    .append(" sec). Worst all time event ").append(e.max()).append("ms.\n");
        }
        sb.append("\nI have a few advices for you:\n\n- Check your Slow Log to understand what are the commands you are "
                + "running which are too slow to execute. Please check https://redis.io/commands/slowlog for more "
                + "information.\n");
        return sb.toString();
    }

    /** The event's samples as text: its range, then one line per second sampled (Redis draws a chart). */
    static String graph(LatencyMonitor.Event e) {
        long high = e.samples().stream().mapToLong(LatencyMonitor.Sample::millis).max().orElse(0);
        long low = e.samples().stream().mapToLong(LatencyMonitor.Sample::millis).min().orElse(0);
        StringBuilder sb = new StringBuilder(e.name()).append(" - high ").append(high).append(" ms, low ").append(low)
                .append(" ms (all time high ").append(e.max()).append(" ms)\n").append("-".repeat(80)).append('\n');
        for (LatencyMonitor.Sample s : e.samples()) {
            sb.append(s.unixSeconds()).append(' ').append(s.millis()).append(" ms\n");
        }
        return sb.toString();
    }
}
