package io.couloy.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real Redis (Debian's redis-server, which .ci/run installs) on a free loopback port,
 * persistence off, to compare replies with. Tests assume {@link #available()} and report
 * themselves skipped without it.
 */
final class RedisProcess implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/redis-server");
    private final Process process;
    private final int port;

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    RedisProcess() throws IOException, InterruptedException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        process = new ProcessBuilder(BINARY.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 200; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(25);
            }
        }
        process.destroyForcibly();
        throw new IOException("redis-server did not start");
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
    }
}
