package io.couloy.server;

import io.couloy.server.config.ConfigFile;
import io.couloy.server.config.Logging;
import io.couloy.server.config.ServerConfig;
import io.couloy.server.net.CouloyServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code couloy-server [config-file] [--port N] [--dir D] [--appendfsync always|everysec|no] ...} */
@Command(name = "couloy-server", mixinStandardHelpOptions = true, version = "CouloyDB 0.1.0",
        description = "A Redis-compatible server on the CouloyDB engine. Flags are named as redis-server's.")
public final class Main implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", description = "a config file in redis.conf syntax")
    Path configFile;

    @Option(names = "--port", description = "TCP port (default 6379)")
    Integer port;

    @Option(names = "--bind", description = "address to listen on (default 127.0.0.1)")
    String bind;

    @Option(names = "--dir", description = "data directory (default ./data)")
    Path dir;

    @Option(names = "--appendfsync", description = "always | everysec | no (default everysec)")
    String appendfsync;

    @Option(names = "--databases", description = "number of databases (default 16)")
    Integer databases;

    @Option(names = "--requirepass", description = "password clients must AUTH with")
    String requirepass;

    @Option(names = "--maxclients", description = "connections accepted at once (default 10000)")
    Integer maxclients;

    @Option(names = "--timeout", description = "close clients idle this many seconds (0: never)")
    Integer timeout;

    @Option(names = "--proto-max-bulk-len", description = "largest argument, e.g. 512mb")
    String protoMaxBulkLen;

    @Option(names = "--data-file-size", description = "engine data file size, e.g. 256mb")
    String dataFileSize;

    @Option(names = "--client-query-buffer-limit", description = "most unparsed input per client, e.g. 1gb (default)")
    String clientQueryBufferLimit;

    @Option(names = "--notify-keyspace-events", description = "keyspace notification classes, e.g. KEA (default none)")
    String notifyKeyspaceEvents;

    @Option(names = "--slowlog-log-slower-than", description = "microseconds from which a command enters SLOWLOG (10000)")
    Long slowlogLogSlowerThan;

    @Option(names = "--slowlog-max-len", description = "SLOWLOG entries kept (128)")
    Integer slowlogMaxLen;

    @Option(names = {"--busy-reply-threshold", "--lua-time-limit"}, description = "ms a script runs before others get BUSY (5000)")
    Long busyReplyThreshold;

    @Option(names = "--loglevel", description = "debug | verbose | notice | warning (default notice)")
    String loglevel;

    @Option(names = "--logfile", description = "log to this file instead of standard error")
    String logfile;

    @Option(names = "--index-type", description = "engine key directory: hash (default) | btree")
    String indexType;

    @Option(names = "--io-threads", description = "event loops serving connections (default 1)")
    Integer ioThreads;

    @Option(names = "--io-transport", description = "auto (epoll where it loads, else nio), epoll or nio (auto)")
    String ioTransport;

    @Option(names = "--merge-dead-ratio", description = "merge the run of old files most over this share of dead bytes (0.5)")
    Double mergeDeadRatio;

    @Option(names = "--merge-min-files", description = "... and at least this many old files (2)")
    Integer mergeMinFiles;

    @Option(names = "--merge-interval", description = "seconds between merge checks; 0: no automatic merge (60)")
    Long mergeInterval;

    @Option(names = "--merge-reads", description = "how a merge finds live records: auto (default) | scan | live")
    String mergeReads;

    @Spec
    CommandSpec spec;

    /** Whether the JVM was started with --sun-misc-unsafe-memory-access=allow (else Unsafe's use prints warnings). */
    private static boolean unsafeMemoryAccessAllowed() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.equals("--sun-misc-unsafe-memory-access=allow"));
    }

    @Override
    public Integer call() throws Exception {
        if (System.getProperty("io.netty.noUnsafe") == null && unsafeMemoryAccessAllowed()) {
            // Netty 4.2 leaves sun.misc.Unsafe alone on Java 24+ unless told: without it every
            // read of a request's arguments from a direct buffer duplicates a ByteBuffer, about
            // 0.3 us more per pipelined LPUSH here. bin/couloy-server allows the access.
            System.setProperty("io.netty.noUnsafe", "false");
        }
        if (System.getProperty("io.netty.tryReflectionSetAccessible") == null) {
            // With the jar's Add-Opens of sun.nio.ch, Netty replaces the selector's key sets with
            // its array-backed one (it iterates a HashSet otherwise).
            System.setProperty("io.netty.tryReflectionSetAccessible", "true");
        }
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // Netty's default samples one buffer in 128 and records a stack trace for it: about 2%
            // of an event loop's time under load. The tests keep it; -Dio.netty.leakDetection.level
            // turns it back on.
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
        ServerConfig c = ServerConfig.defaults();
        if (configFile != null) {
            ConfigFile.Result r = ConfigFile.apply(configFile, c);
            r.ignored().forEach(line -> System.err.println("ignored setting: " + line));
            c = r.config();
        }
        // Every flag is named as its setting (--port is "port"): flags given override the file.
        for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            String name = option.names()[0].substring(2);
            if (!option.usageHelp() && !option.versionHelp()) {
                c = c.with(name, option.getValue().toString());
            }
        }
        Logging.file(c.logfile());
        CouloyServer server = new CouloyServer(c, configFile == null ? null : configFile.toAbsolutePath()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "couloy-sigterm"));
        server.awaitTermination();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
