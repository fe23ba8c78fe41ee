package io.couloy.engine;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Redis (Debian's redis-server, which .ci/run installs) started on a free loopback port
 * with persistence off, for tests that compare our answers with Redis's. {@link #available()}
 * tells whether the binary is there; tests assume it and report themselves skipped otherwise.
 */
final class RealRedis implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final Process process;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    RealRedis() throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        process = new ProcessBuilder(BINARY.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Socket connected = null;
        for (int i = 0; i < 200 && connected == null; i++) {
            try {
                connected = new Socket("127.0.0.1", port);
            } catch (IOException notYet) {
                Thread.sleep(25);
            }
        }
        if (connected == null) {
            process.destroyForcibly();
            throw new IOException("redis-server did not start on port " + port);
        }
        socket = connected;
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
        out = new java.io.BufferedOutputStream(socket.getOutputStream());
    }

    /** Sends a command; returns the reply: Long, byte[] (bulk or status), null, List, or a RuntimeException for an error. */
    Object call(byte[]... args) throws IOException {
        StringBuilder head = new StringBuilder("*").append(args.length).append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            out.write(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(a);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
        return read();
    }

    Object call(String... args) throws IOException {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return call(b);
    }

    private Object read() throws IOException {
        int type = in.read();
        String line = line();
        return switch (type) {
            case '+' -> line.getBytes(StandardCharsets.UTF_8);
            case '-' -> new RuntimeException(line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    yield null;
                }
                byte[] b = in.readNBytes(n);
                in.readNBytes(2);
                yield b;
            }
            case '*' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    yield null;
                }
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(read());
                }
                yield items;
            }
            default -> throw new IOException("unexpected reply type " + type);
        };
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            sb.append((char) c);
        }
        in.read(); // '\n'
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        process.destroy();
    }
}
