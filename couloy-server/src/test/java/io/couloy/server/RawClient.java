package io.couloy.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A socket client that sends raw bytes and reads back whole RESP replies as raw bytes, so tests
 * can compare replies byte for byte and send malformed input.
 */
final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        this(port, 10_000);
    }

    RawClient(int port, int timeoutMillis) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMillis);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a command as a RESP array of bulk strings and returns the reply's bytes. */
    String call(String... args) throws IOException {
        send(command(args));
        return reply();
    }

    /** A command's bytes: a RESP array of the arguments' UTF-8 bulk strings. */
    static byte[] command(String... args) {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return encode(b);
    }

    static byte[] encode(byte[]... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            o.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            o.writeBytes(a);
            o.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return o.toByteArray();
    }

    /** Reads one whole reply (nested aggregates included) and returns it as text. */
    String reply() throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        readReply(o);
        return o.toString(StandardCharsets.ISO_8859_1);
    }

    private void readReply(ByteArrayOutputStream o) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("connection closed");
        }
        o.write(type);
        String line = line(o);
        switch (type) {
            case '$', '=', '!' -> {
                int n = Integer.parseInt(line);
                if (n >= 0) {
                    o.writeBytes(in.readNBytes(n + 2));
                }
            }
            case '*', '~', '>' -> {
                int n = Integer.parseInt(line);
                for (int i = 0; i < n; i++) {
                    readReply(o);
                }
            }
            case '%', '|' -> {
                int n = Integer.parseInt(line);
                for (int i = 0; i < 2 * n; i++) {
                    readReply(o);
                }
            }
            default -> { }
        }
    }

    private String line(ByteArrayOutputStream o) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            sb.append((char) c);
            o.write(c);
        }
        o.write('\r');
        o.write(in.read());
        return sb.toString();
    }

    /** Whether the server closed the connection (reads end of stream within the timeout). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
