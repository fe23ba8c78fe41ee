package io.couloy.server;

import io.couloy.server.config.ConfigFile;
import io.couloy.server.config.ServerConfig;
import io.couloy.server.net.CouloyServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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

    @Override
    public Integer call() throws Exception {
        ServerConfig c = ServerConfig.defaults();
        if (configFile != null) {
            ConfigFile.Result r = ConfigFile.apply(configFile, c);
            r.ignored().forEach(line -> System.err.println("ignored setting: " + line));
            c = r.config();
        }
        c = set(c, "port", port);
        c = set(c, "bind", bind);
        c = set(c, "dir", dir);
        c = set(c, "appendfsync", appendfsync);
        c = set(c, "databases", databases);
        c = set(c, "requirepass", requirepass);
        c = set(c, "maxclients", maxclients);
        c = set(c, "timeout", timeout);
        c = set(c, "proto-max-bulk-len", protoMaxBulkLen);
        c = set(c, "data-file-size", dataFileSize);
        c = set(c, "client-query-buffer-limit", clientQueryBufferLimit);
        c = set(c, "notify-keyspace-events", notifyKeyspaceEvents);
        CouloyServer server = new CouloyServer(c, configFile == null ? null : configFile.toAbsolutePath()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "couloy-sigterm"));
        server.awaitTermination();
        return 0;
    }

    private static ServerConfig set(ServerConfig c, String name, Object value) {
        return value == null ? c : c.with(name, value.toString());
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
