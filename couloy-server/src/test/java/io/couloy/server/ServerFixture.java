package io.couloy.server;

import io.couloy.server.config.ServerConfig;
import io.couloy.server.net.CouloyServer;
import java.nio.file.Path;

/** A server started in-process on a free port over a temporary directory. */
final class ServerFixture {
    private ServerFixture() {}

    static CouloyServer start(Path dir) throws InterruptedException {
        return start(dir, "everysec", null);
    }

    /** As {@link #start(Path)}, with settings changed by {@code tweak} (e.g. {@code c -> c.with("io-threads", "4")}). */
    static CouloyServer start(Path dir, java.util.function.UnaryOperator<ServerConfig> tweak) throws InterruptedException {
        return new CouloyServer(tweak.apply(ServerConfig.defaults().with("port", "0").with("dir", dir.toString())
                .with("data-file-size", "64mb"))).start();
    }

    static CouloyServer start(Path dir, String appendfsync, String requirepass) throws InterruptedException {
        ServerConfig c = ServerConfig.defaults().with("port", "0").with("dir", dir.toString())
                .with("appendfsync", appendfsync).with("data-file-size", "64mb");
        if (requirepass != null) {
            c = c.with("requirepass", requirepass);
        }
        return new CouloyServer(c).start();
    }
}
