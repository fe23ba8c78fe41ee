package io.couloy.server.config;

import io.couloy.engine.SyncPolicy;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The server's settings, named as redis.conf names them. Immutable; {@link #with} returns a
 * changed copy (CONFIG SET replaces the running copy).
 *
 * @param port TCP port; default 6379
 * @param bind address to listen on; default 127.0.0.1
 * @param dir data directory; default ./data (never a temporary directory)
 * @param appendfsync always | everysec | no, mapped onto the engine's sync policy
 * @param databases number of databases SELECT can reach; default 16
 * @param requirepass password AUTH must give; null for none
 * @param maxclients connections accepted at once; default 10000
 * @param timeout seconds a client may idle before it is closed; 0 never
 * @param protoMaxBulkLen largest argument; default 512 MB
 * @param dataFileSize the engine's data file size; default 256 MB
 * @param clientQueryBufferLimit most bytes of unparsed input a client may have; default 1 GB
 * @param notifyKeyspaceEvents keyspace notification classes, as Redis's letters; default none
 * @param slowlogLogSlowerThan microseconds from which a command enters SLOWLOG; negative: never; default 10000
 * @param slowlogMaxLen SLOWLOG entries kept; default 128
 * @param busyReplyThreshold milliseconds a script runs before other clients get BUSY; default 5000
 *     (Redis's busy-reply-threshold, formerly lua-time-limit)
 * @param loglevel debug | verbose | notice | warning, as Redis 7.0's; default notice
 * @param logfile where the log goes; "" (default) for standard error
 * @param indexType the engine's key directory: hash (default; smallest) or btree (ordered)
 * @param mergeDeadRatio an automatic merge runs when a run of consecutive immutable files has
 *     this share of dead bytes, on the run most over it; default 0.5
 * @param mergeMinFiles ... and there are at least this many of them; default 2
 * @param mergeInterval seconds between merge-trigger checks; 0 turns automatic merge off; default 60
 * @param mergeReads how a merge finds its inputs' live records: auto (default), scan or live, as
 *     the engine's {@link io.couloy.engine.MergeReads}
 * @param latencyMonitorThreshold milliseconds from which a command is a LATENCY sample; 0 (default) off
 * @param ioThreads event loops serving the connections; default 1, as Redis's io-threads. Each
 *     loop reads, runs and answers its connections' commands; more loops serve reads in parallel
 *     (they take no lock) but writes share the engine's write lock, and a loop that is
 *     descheduled on a busy machine delays all its connections. On 2 cores shared with the client,
 *     one loop was fastest (see the README's benchmark section).
 * @param ioTransport how the loops reach the sockets: auto (default: Linux's epoll through Netty's
 *     native transport where it loads, else Java's NIO), epoll (an error where it cannot load) or nio
 */
public record ServerConfig(int port, String bind, Path dir, String appendfsync, int databases, String requirepass,
        int maxclients, int timeout, long protoMaxBulkLen, long dataFileSize, long clientQueryBufferLimit,
        String notifyKeyspaceEvents, long slowlogLogSlowerThan, int slowlogMaxLen, long busyReplyThreshold,
        String loglevel, String logfile, String indexType, double mergeDeadRatio, int mergeMinFiles, long mergeInterval,
        String mergeReads, long latencyMonitorThreshold, int ioThreads, String ioTransport) {

    private static final java.util.Set<String> MERGE_READS = java.util.Set.of("auto", "scan", "live");

    private static final java.util.Set<String> TRANSPORTS = java.util.Set.of("auto", "epoll", "nio");

    private static final java.util.Set<String> LOG_LEVELS = java.util.Set.of("debug", "verbose", "notice", "warning");

    /** Shown by CONFIG GET for clients that read them, but fixed: CouloyDB always logs, never snapshots. */
    private static final java.util.Set<String> FIXED = java.util.Set.of("appendonly", "save");

    public ServerConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(notifyKeyspaceEvents, "notifyKeyspaceEvents");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, was " + port);
        }
        if (!appendfsync.equals("always") && !appendfsync.equals("everysec") && !appendfsync.equals("no")) {
            throw new IllegalArgumentException("appendfsync must be always, everysec or no, was " + appendfsync);
        }
        if (databases < 1) {
            throw new IllegalArgumentException("databases must be at least 1, was " + databases);
        }
        if (clientQueryBufferLimit < 1024 * 1024) {
            throw new IllegalArgumentException("client-query-buffer-limit must be at least 1mb");
        }
        if (!LOG_LEVELS.contains(loglevel)) {
            throw new IllegalArgumentException("argument(s) must be one of the following: debug, verbose, notice, warning");
        }
        Objects.requireNonNull(logfile, "logfile");
        if (!indexType.equals("hash") && !indexType.equals("btree")) {
            throw new IllegalArgumentException("index-type must be hash or btree, was " + indexType);
        }
        if (!(mergeDeadRatio > 0 && mergeDeadRatio <= 1)) {
            throw new IllegalArgumentException("merge-dead-ratio must be in (0, 1], was " + mergeDeadRatio);
        }
        if (mergeMinFiles < 1) {
            throw new IllegalArgumentException("merge-min-files must be at least 1, was " + mergeMinFiles);
        }
        if (ioThreads < 1 || ioThreads > 128) {
            throw new IllegalArgumentException("io-threads must be 1-128, was " + ioThreads);
        }
        if (!TRANSPORTS.contains(ioTransport)) {
            throw new IllegalArgumentException("io-transport must be auto, epoll or nio, was " + ioTransport);
        }
        if (mergeInterval < 0) {
            throw new IllegalArgumentException("merge-interval must not be negative, was " + mergeInterval);
        }
        if (!MERGE_READS.contains(mergeReads)) {
            throw new IllegalArgumentException("merge-reads must be auto, scan or live, was " + mergeReads);
        }
    }

    public static ServerConfig defaults() {
        return new ServerConfig(6379, "127.0.0.1", Path.of("data"), "everysec", 16, null, 10_000, 0,
                512L * 1024 * 1024, 256L * 1024 * 1024, 1024L * 1024 * 1024, "", 10_000, 128, 5_000, "notice", "", "hash",
                0.5, 2, 60, "auto", 0, 1, "auto");
    }

    /** The engine's key directory shape. */
    public io.couloy.engine.IndexType engineIndexType() {
        return indexType.equals("btree") ? io.couloy.engine.IndexType.BTREE : io.couloy.engine.IndexType.HASH;
    }

    /** How the engine's merges read their inputs. */
    public io.couloy.engine.MergeReads engineMergeReads() {
        return io.couloy.engine.MergeReads.valueOf(mergeReads.toUpperCase(java.util.Locale.ROOT));
    }

    public SyncPolicy syncPolicy() {
        return switch (appendfsync) {
            case "always" -> SyncPolicy.ALWAYS;
            case "everysec" -> SyncPolicy.EVERY_SECOND;
            default -> SyncPolicy.OS;
        };
    }

    /** A copy with one redis.conf-named setting changed; IllegalArgumentException for an unknown name or bad value. */
    public ServerConfig with(String name, String value) {
        java.util.LinkedHashMap<String, String> m = asMap();
        if (name.equals("lua-time-limit")) {
            name = "busy-reply-threshold"; // the old name, still accepted
        }
        if (!m.containsKey(name) || FIXED.contains(name)) {
            throw new IllegalArgumentException("unknown setting '" + name + "'");
        }
        m.put(name, value);
        try {
            return new ServerConfig(Integer.parseInt(m.get("port")), m.get("bind").split("\\s+")[0], Path.of(m.get("dir")),
                    m.get("appendfsync").toLowerCase(java.util.Locale.ROOT), Integer.parseInt(m.get("databases")),
                    m.get("requirepass").isEmpty() ? null : m.get("requirepass"), Integer.parseInt(m.get("maxclients")),
                    Integer.parseInt(m.get("timeout")), MemoryText.parse(m.get("proto-max-bulk-len")),
                    MemoryText.parse(m.get("data-file-size")), MemoryText.parse(m.get("client-query-buffer-limit")),
                    m.get("notify-keyspace-events"), Long.parseLong(m.get("slowlog-log-slower-than")),
                    Integer.parseInt(m.get("slowlog-max-len")), Long.parseLong(m.get("busy-reply-threshold")),
                    m.get("loglevel").toLowerCase(java.util.Locale.ROOT), m.get("logfile"),
                    m.get("index-type").toLowerCase(java.util.Locale.ROOT), Double.parseDouble(m.get("merge-dead-ratio")),
                    Integer.parseInt(m.get("merge-min-files")), Long.parseLong(m.get("merge-interval")),
                    m.get("merge-reads").toLowerCase(java.util.Locale.ROOT), Long.parseLong(m.get("latency-monitor-threshold")), Integer.parseInt(m.get("io-threads")),
                    m.get("io-transport").toLowerCase(java.util.Locale.ROOT));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("argument couldn't be parsed into an integer");
        }
    }

    /** Each setting's current value as CONFIG GET shows it, in a stable order. */
    public java.util.LinkedHashMap<String, String> asMap() {
        java.util.LinkedHashMap<String, String> m = new java.util.LinkedHashMap<>();
        m.put("port", Integer.toString(port));
        m.put("bind", bind);
        m.put("dir", dir.toAbsolutePath().toString());
        m.put("appendfsync", appendfsync);
        m.put("appendonly", "yes");
        m.put("databases", Integer.toString(databases));
        m.put("requirepass", requirepass == null ? "" : requirepass);
        m.put("maxclients", Integer.toString(maxclients));
        m.put("timeout", Integer.toString(timeout));
        m.put("proto-max-bulk-len", Long.toString(protoMaxBulkLen));
        m.put("data-file-size", Long.toString(dataFileSize));
        m.put("client-query-buffer-limit", Long.toString(clientQueryBufferLimit));
        m.put("notify-keyspace-events", notifyKeyspaceEvents);
        m.put("slowlog-log-slower-than", Long.toString(slowlogLogSlowerThan));
        m.put("slowlog-max-len", Integer.toString(slowlogMaxLen));
        m.put("busy-reply-threshold", Long.toString(busyReplyThreshold));
        m.put("loglevel", loglevel);
        m.put("logfile", logfile);
        m.put("index-type", indexType);
        m.put("merge-dead-ratio", Double.toString(mergeDeadRatio));
        m.put("merge-min-files", Integer.toString(mergeMinFiles));
        m.put("merge-interval", Long.toString(mergeInterval));
        m.put("merge-reads", mergeReads);
        m.put("latency-monitor-threshold", Long.toString(latencyMonitorThreshold));
        m.put("io-threads", Integer.toString(ioThreads));
        m.put("io-transport", ioTransport);
        m.put("save", "");
        return m;
    }
}
