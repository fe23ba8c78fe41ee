package io.couloy.server.command;

import io.couloy.server.config.ServerConfig;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What commands share: settings, databases, the command table, connected clients, counters, and
 * the lock that makes MULTI/EXEC exclusive (every other command holds it shared).
 */
public final class ServerContext {
    public static final String VERSION = "7.2.0";
    /** Threads running commands under appendfsync always, so a command waiting for its fsync stalls no others. */
    public static final int ALWAYS_POOL_THREADS = 64;

    private volatile ServerConfig config;
    private final Databases databases;
    private final CommandTable commands;
    /** One stripe per thread that runs commands: the event loops, or the ordered pool under appendfsync always. */
    private final StripedExclusion exclusive;
    private final ConcurrentHashMap<Long, Client> clients = new ConcurrentHashMap<>();
    private final AtomicLong nextClientId = new AtomicLong();
    private final java.util.concurrent.atomic.LongAdder commandsProcessed = new java.util.concurrent.atomic.LongAdder();
    private final AtomicLong connectionsReceived = new AtomicLong();
    private final long startMillis = System.currentTimeMillis();
    private volatile Runnable shutdown = () -> { };
    private final io.couloy.server.pubsub.PubSub pubsub = new io.couloy.server.pubsub.PubSub();
    private final io.couloy.server.pubsub.KeyspaceNotifier notifier = new io.couloy.server.pubsub.KeyspaceNotifier(pubsub);

    private final io.couloy.server.blocking.Waiters waiters;
    private final io.couloy.server.monitor.SlowLog slowLog = new io.couloy.server.monitor.SlowLog();
    /** One script cache and function registry for every database, as in Redis. */
    private final io.couloy.engine.script.LuaSandbox scripts = new io.couloy.engine.script.LuaSandbox();
    private final io.couloy.server.functions.FunctionStore functions;

    private final io.couloy.server.monitor.LatencyMonitor latency = new io.couloy.server.monitor.LatencyMonitor();

    /** LATENCY's samples. */
    public io.couloy.server.monitor.LatencyMonitor latency() {
        return latency;
    }

    private final AtomicLong lastSave = new AtomicLong(System.currentTimeMillis() / 1000);

    /** When SAVE / BGSAVE last made everything durable (LASTSAVE), in Unix seconds. */
    public AtomicLong lastSave() {
        return lastSave;
    }

    private final java.util.concurrent.atomic.AtomicBoolean rewriting = new java.util.concurrent.atomic.AtomicBoolean();

    /** Whether a BGREWRITEAOF (a merge of every open database) runs now. */
    public java.util.concurrent.atomic.AtomicBoolean rewriting() {
        return rewriting;
    }

    public io.couloy.engine.script.LuaSandbox scripts() {
        return scripts;
    }

    public io.couloy.server.functions.FunctionStore functions() {
        return functions;
    }

    private volatile RunningScript runningScript;

    /** The script or function running now, or null. */
    public RunningScript runningScript() {
        return runningScript;
    }

    /** Marks a script as running (scripts run one at a time, under the exclusive lock). */
    public RunningScript startScript(long client, boolean function, java.util.List<byte[]> command) {
        RunningScript r = new RunningScript(client, function, command);
        runningScript = r;
        return r;
    }

    public void endScript() {
        runningScript = null;
    }

    /**
     * For a stopping server (SHUTDOWN NOSAVE, SIGTERM): stops the running script, if any, even
     * one that wrote, and has its writes dropped, so the data keeps all of a script or none.
     */
    public void abandonRunningScript() {
        RunningScript r = runningScript;
        if (r != null) {
            r.abandon();
            scripts().kill();
        }
    }
    private final io.couloy.server.monitor.Monitors monitors = new io.couloy.server.monitor.Monitors();

    public io.couloy.server.monitor.SlowLog slowLog() {
        return slowLog;
    }

    public io.couloy.server.monitor.Monitors monitors() {
        return monitors;
    }

    public io.couloy.server.blocking.Waiters waiters() {
        return waiters;
    }

    public io.couloy.server.pubsub.KeyspaceNotifier notifier() {
        return notifier;
    }

    public io.couloy.server.pubsub.PubSub pubsub() {
        return pubsub;
    }

    public ServerContext(ServerConfig config, CommandTable commands) {
        config(config);
        int commandThreads = config.appendfsync().equals("always") ? ALWAYS_POOL_THREADS : config.ioThreads();
        this.exclusive = new StripedExclusion(commandThreads);
        this.functions = new io.couloy.server.functions.FunctionStore(config.dir().resolve("functions"));
        this.commands = commands;
        this.waiters = new io.couloy.server.blocking.Waiters(this);
        this.databases = new Databases(config, (i, db) -> {
            notifier.watch(i, db);
            waiters.watch(i, db);
        });
    }

    private volatile java.nio.file.Path configFile;

    /** The config file the server started from (CONFIG REWRITE writes it), or null. */
    public java.nio.file.Path configFile() {
        return configFile;
    }

    public void configFile(java.nio.file.Path file) {
        this.configFile = file;
    }

    /** Set by the server once it has chosen its transport. */
    private volatile String multiplexingApi = "";

    /** How the event loops reach the sockets, as INFO's multiplexing_api shows it: epoll or nio. */
    public String multiplexingApi() {
        return multiplexingApi;
    }

    public void multiplexingApi(String name) {
        this.multiplexingApi = name;
    }

    public ServerConfig config() {
        return config;
    }

    /** Replaces the settings (CONFIG SET); the notification classes are kept as Redis prints them. */
    public void config(ServerConfig c) {
        if (config == null || !config.loglevel().equals(c.loglevel())) {
            io.couloy.server.config.Logging.level(c.loglevel());
        }
        notifier.flags(c.notifyKeyspaceEvents());
        this.config = c.with("notify-keyspace-events", notifier.flags());
    }

    public Databases databases() {
        return databases;
    }

    public CommandTable commands() {
        return commands;
    }

    public StripedExclusion exclusive() {
        return exclusive;
    }

    public ConcurrentHashMap<Long, Client> clients() {
        return clients;
    }

    public long newClientId() {
        connectionsReceived.incrementAndGet();
        return nextClientId.incrementAndGet();
    }

    public java.util.concurrent.atomic.LongAdder commandsProcessed() {
        return commandsProcessed;
    }

    public long connectionsReceived() {
        return connectionsReceived.get();
    }

    public long startMillis() {
        return startMillis;
    }

    public Runnable shutdown() {
        return shutdown;
    }

    public void shutdown(Runnable r) {
        this.shutdown = r;
    }
}
