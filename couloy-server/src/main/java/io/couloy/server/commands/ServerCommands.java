package io.couloy.server.commands;

import static io.couloy.server.command.CommandSpec.of;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.GlobPattern;
import io.couloy.engine.Stats;
import io.couloy.server.command.Args;
import io.couloy.server.command.CommandError;
import io.couloy.server.command.CommandSpec;
import io.couloy.server.command.CommandTable;
import io.couloy.server.command.Context;
import io.couloy.server.command.Flag;
import io.couloy.server.command.RunningScript;
import io.couloy.server.command.Dispatcher;
import io.couloy.server.command.ServerContext;
import io.couloy.server.pubsub.KeyspaceNotifier;
import io.couloy.server.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** DBSIZE, FLUSHDB, FLUSHALL, TIME, INFO, CONFIG, COMMAND, SAVE, BGSAVE, LASTSAVE, SHUTDOWN, DEBUG. */
public final class ServerCommands {

    private ServerCommands() {}

    public static void register(CommandTable t) {
        t.add(of("dbsize", 1, "server", (c, a) -> Reply.integer(c.db().stats().keyCount())).flags(Flag.READONLY, Flag.FAST)
                .doc("Returns the number of keys in the database.", "1.0.0", "O(1)"));
        t.add(of("flushdb", -1, "server", (c, a) -> flush(c, a, false)).flags(Flag.WRITE)
                .doc("Removes all keys from the current database.", "1.0.0", "O(N)"));
        t.add(of("flushall", -1, "server", (c, a) -> flush(c, a, true)).flags(Flag.WRITE, Flag.EXCLUSIVE)
                .doc("Removes all keys from all databases.", "1.0.0", "O(N)"));
        t.add(of("time", 1, "server", ServerCommands::time).flags(Flag.FAST, Flag.STALE)
                .doc("Returns the server time.", "2.6.0", "O(1)"));
        t.add(of("info", -1, "server", ServerCommands::info).flags(Flag.STALE)
                .doc("Returns information and statistics about the server.", "1.0.0", "O(1)"));
        t.add(of("config", -2, "server", ServerCommands::config).flags(Flag.ADMIN)
                .doc("A container for server configuration commands.", "2.0.0", "Depends on subcommand."));
        t.add(of("command", -1, "server", ServerCommands::command).flags(Flag.STALE)
                .doc("Returns detailed information about all commands.", "2.8.13", "O(N)"));
        t.add(of("save", 1, "server", ServerCommands::save).flags(Flag.ADMIN)
                .doc("Synchronously saves the database(s) to disk.", "1.0.0", "O(N)"));
        t.add(of("bgsave", -1, "server", (c, a) -> {
            save(c, a);
            return new Reply.Simple("Background saving started");
        }).flags(Flag.ADMIN).doc("Asynchronously saves the database(s) to disk.", "1.0.0", "O(1)"));
        t.add(of("bgrewriteaof", 1, "server", ServerCommands::bgrewriteaof).flags(Flag.ADMIN, Flag.NOSCRIPT)
                .doc("Asynchronously rewrites the append-only file to disk.", "1.0.0", "O(1)"));
        t.add(of("lastsave", 1, "server", (c, a) -> Reply.integer(c.server().lastSave().get())).flags(Flag.FAST)
                .doc("Returns the Unix timestamp of the last successful save to disk.", "1.0.0", "O(1)"));
        t.add(of("shutdown", -1, "server", ServerCommands::shutdown).flags(Flag.ADMIN, Flag.NO_AUTH)
                .doc("Synchronously saves the database(s) to disk and shuts down the Redis server.", "1.0.0", "O(N)"));
        t.add(of("debug", -2, "server", ServerCommands::debug).flags(Flag.ADMIN, Flag.EXCLUSIVE)
                .doc("A container for debugging commands.", "1.0.0", "Depends on subcommand."));
        t.add(of("swapdb", 3, "server", ServerCommands::swapdb).flags(Flag.WRITE, Flag.FAST, Flag.EXCLUSIVE)
                .doc("Swaps two Redis databases.", "4.0.0", "O(N) where N is the count of clients watching or blocking"));
        t.add(of("slowlog", -2, "server", ServerCommands::slowlog).flags(Flag.ADMIN)
                .doc("A container for slow log commands.", "2.2.12", "Depends on subcommand."));
        t.add(of("monitor", 1, "server", (c, a) -> {
            c.server().monitors().add(c.client());
            return Reply.OK;
        }).flags(Flag.ADMIN, Flag.NOSCRIPT).doc("Listens for all requests received by the server in real-time.", "1.0.0",
                "O(1)"));
    }

    private static Reply flush(Context c, List<byte[]> a, boolean all) {
        if (a.size() > 2 || (a.size() == 2 && !Args.is(a.get(1), "ASYNC") && !Args.is(a.get(1), "SYNC"))) {
            throw CommandError.SYNTAX;
        }
        int from = all ? 0 : c.client().db();
        int to = all ? c.server().databases().count() - 1 : c.client().db();
        for (int i = from; i <= to; i++) {
            CouloyDB db = all ? c.server().databases().peek(i) : c.db();
            if (db == null) {
                continue;
            }
            // Key by key, so WATCHers see the change; each delete is one record.
            long cursor = 0;
            do {
                CouloyDB.ScanResult r = db.scan(cursor, 10_000, null);
                r.keys().forEach(db::delete);
                cursor = r.cursor();
            } while (cursor != 0);
        }
        return Reply.OK;
    }

    private static Reply time(Context c, List<byte[]> a) {
        long micros = java.time.Instant.now().toEpochMilli() * 1000 + (System.nanoTime() / 1000) % 1000;
        return new Reply.Array(List.of(Reply.bulk(Long.toString(micros / 1_000_000)),
                Reply.bulk(Long.toString(micros % 1_000_000))));
    }

    private static Reply save(Context c, List<byte[]> a) {
        c.server().databases().syncAll();
        c.server().lastSave().set(System.currentTimeMillis() / 1000);
        return Reply.OK;
    }

    private static Reply shutdown(Context c, List<byte[]> a) {
        for (byte[] opt : a.subList(1, a.size())) {
            String o = Args.upper(opt);
            if (!List.of("NOSAVE", "SAVE", "NOW", "FORCE", "ABORT").contains(o)) {
                throw CommandError.SYNTAX;
            }
        }
        RunningScript script = c.server().runningScript();
        if (script != null && script.client() != c.client().id()) {
            boolean nosave = a.stream().anyMatch(x -> Args.is(x, "NOSAVE"));
            if (!nosave) {
                // As Redis: only SHUTDOWN NOSAVE may stop a server busy with a script.
                return Dispatcher.busyError(script);
            }
            c.server().abandonRunningScript();
        }
        c.client().closeAfterReply(true);
        new Thread(c.server().shutdown(), "couloy-shutdown").start();
        return null; // as Redis: a successful SHUTDOWN closes the connection without a reply
    }

    /**
     * BGREWRITEAOF: the log's rewrite is the engine's merge, which copies the live records of
     * the sealed files into new ones and drops the rest; run for every open database on a
     * background thread, one at a time, as Redis runs one rewrite at a time.
     */
    private static Reply bgrewriteaof(Context c, List<byte[]> a) {
        ServerContext server = c.server();
        if (!server.rewriting().compareAndSet(false, true)) {
            throw new CommandError("ERR Background append only file rewriting already in progress");
        }
        Thread.ofPlatform().name("couloy-bgrewriteaof").daemon().start(() -> {
            try {
                for (int i = 0; i < server.databases().count(); i++) {
                    CouloyDB db = server.databases().peek(i);
                    if (db != null) {
                        db.merge();
                    }
                }
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(ServerCommands.class).warn("BGREWRITEAOF (merge) failed", e);
            } finally {
                server.rewriting().set(false);
            }
        });
        return new Reply.Simple("Background append only file rewriting started");
    }

    private static Reply debug(Context c, List<byte[]> a) {
        return switch (Args.upper(a.get(1))) {
            case "SLEEP" -> {
                double seconds = Double.parseDouble(Args.text(a.get(2)));
                try {
                    Thread.sleep((long) (seconds * 1000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                yield Reply.OK;
            }
            case "RELOAD" -> {
                // Redis saves and reloads its RDB; the engine's equivalent is close (sync) and reopen.
                c.server().databases().reload();
                yield Reply.OK;
            }
            default -> throw new CommandError("ERR DEBUG subcommand not supported here: " + Args.text(a.get(1)));
        };
    }

    private static Reply swapdb(Context c, List<byte[]> a) {
        int[] ids = new int[2];
        for (int i = 0; i < 2; i++) {
            long v;
            try {
                v = Args.integer(a.get(i + 1));
            } catch (CommandError e) {
                v = Long.MIN_VALUE;
            }
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new CommandError("ERR invalid " + (i == 0 ? "first" : "second") + " DB index");
            }
            ids[i] = (int) v;
        }
        int count = c.server().databases().count();
        if (ids[0] < 0 || ids[0] >= count || ids[1] < 0 || ids[1] >= count) {
            throw new CommandError("ERR DB index is out of range");
        }
        c.server().databases().swap(ids[0], ids[1]);
        for (var client : c.server().clients().values()) {
            client.breakWatches(ids[0]);
            client.breakWatches(ids[1]);
        }
        return Reply.OK;
    }

    private static Reply slowlog(Context c, List<byte[]> a) {
        var log = c.server().slowLog();
        String sub = Args.upper(a.get(1));
        switch (sub) {
            case "GET" -> {
                if (a.size() <= 3) {
                    long count = 10;
                    if (a.size() == 3) {
                        try {
                            count = Args.integer(a.get(2));
                        } catch (CommandError e) {
                            count = -2;
                        }
                        if (count < -1) {
                            throw new CommandError("ERR count should be greater than or equal to -1");
                        }
                    }
                    List<Reply> out = new ArrayList<>();
                    for (var e : log.newest(count)) {
                        List<Reply> args = new ArrayList<>();
                        e.args().forEach(x -> args.add(new Reply.Bulk(x)));
                        out.add(new Reply.Array(List.of(Reply.integer(e.id()), Reply.integer(e.unixSeconds()),
                                Reply.integer(e.micros()), new Reply.Array(args), Reply.bulk(e.client()), Reply.bulk(e.clientName()))));
                    }
                    return new Reply.Array(out);
                }
            }
            case "LEN" -> {
                if (a.size() == 2) {
                    return Reply.integer(log.size());
                }
            }
            case "RESET" -> {
                if (a.size() == 2) {
                    log.reset();
                    return Reply.OK;
                }
            }
            default -> throw new CommandError("ERR unknown subcommand '" + Args.text(a.get(1)) + "'. Try SLOWLOG HELP.");
        }
        throw new CommandError("ERR wrong number of arguments for 'slowlog|" + sub.toLowerCase(Locale.ROOT) + "' command");
    }

    /** What CONFIG SET may change while the server runs. */
    private static final List<String> LIVE_SETTINGS = List.of("requirepass", "timeout", "maxclients", "proto-max-bulk-len",
            "client-query-buffer-limit", "notify-keyspace-events", "slowlog-log-slower-than", "slowlog-max-len", "busy-reply-threshold", "lua-time-limit", "loglevel", "latency-monitor-threshold");

    private static Reply config(Context c, List<byte[]> a) {
        String sub = Args.upper(a.get(1));
        switch (sub) {
            case "GET" -> {
                if (a.size() < 3) {
                    throw new CommandError("ERR wrong number of arguments for 'config|get' command");
                }
                List<Reply> out = new ArrayList<>();
                var settings = c.server().config().asMap();
                for (Map.Entry<String, String> e : settings.entrySet()) {
                    for (byte[] pattern : a.subList(2, a.size())) {
                        if (GlobPattern.compile(Args.text(pattern).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8))
                                .matches(e.getKey().getBytes(StandardCharsets.UTF_8))) {
                            out.add(Reply.bulk(e.getKey()));
                            out.add(Reply.bulk(e.getValue()));
                            break;
                        }
                    }
                }
                return new Reply.Map(out);
            }
            case "SET" -> {
                if (a.size() < 4 || a.size() % 2 != 0) {
                    throw new CommandError("ERR wrong number of arguments for 'config|set' command");
                }
                var cfg = c.server().config();
                for (int i = 2; i < a.size(); i += 2) {
                    String name = Args.text(a.get(i)).toLowerCase(Locale.ROOT);
                    if (!LIVE_SETTINGS.contains(name)) {
                        // Redis's three refusals: a name it does not know, dir (protected), the rest (immutable).
                        if (!cfg.asMap().containsKey(name)) {
                            throw new CommandError("ERR Unknown option or number of arguments for CONFIG SET - '" + name + "'");
                        }
                        throw new CommandError("ERR CONFIG SET failed (possibly related to argument '" + name + "') - can't set "
                                + (name.equals("dir") ? "protected" : "immutable") + " config");
                    }
                    try {
                        cfg = cfg.with(name, Args.text(a.get(i + 1)));
                        KeyspaceNotifier.parse(cfg.notifyKeyspaceEvents());
                    } catch (IllegalArgumentException e) {
                        throw new CommandError("ERR CONFIG SET failed (possibly related to argument '" + name + "') - "
                                + e.getMessage());
                    }
                }
                c.server().config(cfg);
                return Reply.OK;
            }
            case "REWRITE" -> {
                if (a.size() != 2) {
                    throw new CommandError("ERR wrong number of arguments for 'config|rewrite' command");
                }
                java.nio.file.Path file = c.server().configFile();
                if (file == null) {
                    throw new CommandError("ERR The server is running without a config file");
                }
                try {
                    io.couloy.server.config.ConfigFile.rewrite(file, c.server().config());
                } catch (java.io.IOException e) {
                    throw new CommandError("ERR Rewriting config file: " + e.getMessage());
                }
                return Reply.OK;
            }
            case "RESETSTAT" -> {
                c.server().commandsProcessed().reset();
                c.server().commands().all().forEach(spec -> spec.stats().reset());
                return Reply.OK;
            }
            default -> throw new CommandError("ERR unknown subcommand '" + Args.text(a.get(1)) + "'. Try CONFIG HELP.");
        }
    }

    private static Reply command(Context c, List<byte[]> a) {
        CommandTable table = c.server().commands();
        if (a.size() == 1) {
            List<Reply> out = new ArrayList<>();
            table.all().forEach(s -> out.add(info(s)));
            return new Reply.Array(out);
        }
        return switch (Args.upper(a.get(1))) {
            case "COUNT" -> Reply.integer(table.all().size());
            case "LIST" -> {
                List<Reply> out = new ArrayList<>();
                table.all().forEach(s -> out.add(Reply.bulk(s.name())));
                yield new Reply.Array(out);
            }
            case "INFO" -> {
                List<Reply> out = new ArrayList<>();
                for (byte[] name : a.subList(2, a.size())) {
                    CommandSpec s = table.lookup(name);
                    out.add(s == null ? Reply.NIL_ARRAY : info(s));
                }
                yield new Reply.Array(out);
            }
            case "DOCS" -> {
                List<Reply> out = new ArrayList<>();
                for (CommandSpec s : table.all()) {
                    if (a.size() > 2 && a.subList(2, a.size()).stream().noneMatch(n -> Args.text(n).equalsIgnoreCase(s.name()))) {
                        continue;
                    }
                    out.add(Reply.bulk(s.name()));
                    out.add(new Reply.Map(List.of(Reply.bulk("summary"), Reply.bulk(s.summary()), Reply.bulk("since"),
                            Reply.bulk(s.since()), Reply.bulk("group"), Reply.bulk(s.group()), Reply.bulk("complexity"),
                            Reply.bulk(s.complexity()))));
                }
                yield new Reply.Map(out);
            }
            case "GETKEYS" -> {
                if (a.size() < 3) {
                    throw new CommandError("ERR wrong number of arguments for 'command|getkeys' command");
                }
                List<byte[]> cmd = a.subList(2, a.size());
                CommandSpec s = table.lookup(cmd.get(0));
                if (s == null) {
                    throw new CommandError("ERR Invalid command specified");
                }
                if (!s.arityOk(cmd.size())) {
                    throw new CommandError("ERR Invalid number of arguments specified for command");
                }
                if (s.firstKey() == 0) {
                    throw new CommandError("ERR The command has no key arguments");
                }
                List<Reply> keys = new ArrayList<>();
                s.keysOf(cmd).forEach(k -> keys.add(new Reply.Bulk(k)));
                yield new Reply.Array(keys);
            }
            default -> throw new CommandError("ERR unknown subcommand '" + Args.text(a.get(1)) + "'. Try COMMAND HELP.");
        };
    }

    private static Reply info(CommandSpec s) {
        List<Reply> flags = new ArrayList<>();
        for (Flag f : s.flags()) {
            if (f != Flag.NO_AUTH && f != Flag.NOT_QUEUED && f != Flag.EXCLUSIVE) {
                flags.add(new Reply.Simple(f.name().toLowerCase(Locale.ROOT)));
            }
        }
        return new Reply.Array(List.of(Reply.bulk(s.name()), Reply.integer(s.arity()), new Reply.Set(flags),
                Reply.integer(s.firstKey()), Reply.integer(s.lastKey()), Reply.integer(s.step()),
                new Reply.Set(List.of(new Reply.Simple("@" + s.group()))), Reply.EMPTY, Reply.EMPTY, Reply.EMPTY));
    }

    /** used_cpu_sys / used_cpu_user in seconds, from /proc/self/stat (clock ticks of 10 ms). */
    private static String cpuTimes() {
        double user = 0;
        double sys = 0;
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            // Fields after the ")" that ends the command name: state is field 3, utime 14, stime 15.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            user = Long.parseLong(f[11]) / 100.0;
            sys = Long.parseLong(f[12]) / 100.0;
        } catch (java.io.IOException | RuntimeException e) {
            var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
                user = sun.getProcessCpuTime() / 1e9; // no split between user and system here
            }
        }
        return String.format(Locale.ROOT, "used_cpu_sys:%.6f\r\nused_cpu_user:%.6f\r\nused_cpu_sys_children:0.000000\r\n"
                + "used_cpu_user_children:0.000000\r\n", sys, user);
    }

    private static Reply info(Context c, List<byte[]> a) {
        ServerContext s = c.server();
        String want = a.size() > 1 ? Args.text(a.get(1)).toLowerCase(Locale.ROOT) : "default";
        boolean all = want.equals("all") || want.equals("everything") || want.equals("default");
        StringBuilder sb = new StringBuilder();
        Runtime rt = Runtime.getRuntime();
        if (all || want.equals("server")) {
            sb.append("# Server\r\nredis_version:").append(ServerContext.VERSION).append("\r\ncouloy_version:0.1.0\r\n")
                    .append("redis_mode:standalone\r\nos:").append(System.getProperty("os.name")).append(' ')
                    .append(System.getProperty("os.arch")).append("\r\narch_bits:64\r\nmultiplexing_api:")
                    .append(s.multiplexingApi()).append("\r\nprocess_id:")
                    .append(ProcessHandle.current().pid()).append("\r\ntcp_port:").append(s.config().port())
                    .append("\r\nuptime_in_seconds:").append((System.currentTimeMillis() - s.startMillis()) / 1000)
                    .append("\r\n\r\n");
        }
        if (all || want.equals("clients")) {
            sb.append("# Clients\r\nconnected_clients:").append(s.clients().size()).append("\r\nmaxclients:")
                    .append(s.config().maxclients()).append("\r\n\r\n");
        }
        if (all || want.equals("memory")) {
            // the heap in use and long lists' native pages (which are outside the heap)
            long used = rt.totalMemory() - rt.freeMemory() + CouloyDB.nativeMemoryBytes();
            sb.append("# Memory\r\nused_memory:").append(used).append("\r\nused_memory_human:")
                    .append(used / (1024 * 1024)).append("M\r\nmaxmemory:0\r\n\r\n");
        }
        if (all || want.equals("persistence")) {
            sb.append("# Persistence\r\nloading:0\r\naof_enabled:1\r\naof_rewrite_in_progress:")
                    .append(c.server().rewriting().get() ? 1 : 0).append("\r\nrdb_last_save_time:").append(c.server().lastSave().get())
                    .append("\r\n\r\n");
        }
        if (all || want.equals("stats")) {
            sb.append("# Stats\r\ntotal_connections_received:").append(s.connectionsReceived())
                    .append("\r\ntotal_commands_processed:").append(s.commandsProcessed().sum()).append("\r\n\r\n");
        }
        if (all || want.equals("cpu")) {
            sb.append("# CPU\r\n").append(cpuTimes()).append("\r\n");
        }
        if (all || want.equals("replication")) {
            sb.append("# Replication\r\nrole:master\r\nconnected_slaves:0\r\n\r\n");
        }
        if (want.equals("all") || want.equals("everything") || want.equals("commandstats")) {
            sb.append("# Commandstats\r\n");
            s.commands().all().stream().filter(spec -> spec.stats().calls() > 0)
                    .sorted(java.util.Comparator.comparing(CommandSpec::name)).forEach(spec -> {
                        var stats = spec.stats();
                        long calls = stats.calls();
                        long usec = stats.micros();
                        sb.append("cmdstat_").append(spec.name()).append(":calls=").append(calls).append(",usec=").append(usec)
                                .append(",usec_per_call=").append(String.format(Locale.ROOT, "%.2f", (double) usec / calls))
                                .append(",rejected_calls=0,failed_calls=").append(stats.failedCalls()).append("\r\n");
                    });
            sb.append("\r\n");
        }
        if (all || want.equals("keyspace")) {
            sb.append("# Keyspace\r\n");
            for (int i = 0; i < s.databases().count(); i++) {
                CouloyDB db = s.databases().peek(i);
                if (db != null) {
                    Stats st = db.stats();
                    if (st.keyCount() > 0) {
                        sb.append("db").append(i).append(":keys=").append(st.keyCount()).append(",expires=0,avg_ttl=0\r\n");
                    }
                }
            }
        }
        return Reply.bulk(sb.toString());
    }
}
