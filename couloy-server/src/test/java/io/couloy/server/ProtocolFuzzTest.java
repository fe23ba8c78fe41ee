package io.couloy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.server.net.CouloyServer;
import io.couloy.server.resp.RequestDecoder;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random and mutated frames: the server answers or closes that connection, and stays up for the others. */
class ProtocolFuzzTest {
    @TempDir
    Path dir;

    @Test
    void decoder_givesTheSameCommandsWhateverTheSplit() {
        byte[] stream = ("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nv\r\nal\r\nPING\r\nSET \"a b\" 'c\\'d' \"\\x41\\n\"\r\n"
                + "*1\r\n$4\r\nPING\r\n").getBytes(StandardCharsets.ISO_8859_1);
        for (int chunk = 1; chunk <= stream.length; chunk++) {
            EmbeddedChannel ch = new EmbeddedChannel(new RequestDecoder(() -> 1 << 20, () -> Long.MAX_VALUE));
            for (int i = 0; i < stream.length; i += chunk) {
                ch.writeInbound(Unpooled.wrappedBuffer(stream, i, Math.min(chunk, stream.length - i)));
            }
            List<String> commands = new ArrayList<>();
            Object m;
            while ((m = ch.readInbound()) != null) {
                @SuppressWarnings("unchecked")
                List<byte[]> args = (List<byte[]>) m;
                commands.add(String.join("|", args.stream().map(a -> new String(a, StandardCharsets.ISO_8859_1)).toList()));
            }
            assertThat(commands).as("split into chunks of %d", chunk)
                    .containsExactly("SET|k|v\r\nal", "PING", "SET|a b|c'd|A\n", "PING");
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void decoder_fillsLargeArgumentsAsTheyArrive_whateverTheSplit() {
        byte[] big = new byte[200_000];
        new Random(1).nextBytes(big);
        byte[] stream = concat(RawClient.encode("SET".getBytes(), "k".getBytes(), big), RawClient.encode("PING".getBytes()));
        for (int chunk : new int[] {1_000, 4_096, 65_536, 199_999, stream.length}) {
            EmbeddedChannel ch = new EmbeddedChannel(new RequestDecoder(() -> 1 << 20, () -> Long.MAX_VALUE));
            for (int i = 0; i < stream.length; i += chunk) {
                ch.writeInbound(Unpooled.wrappedBuffer(stream, i, Math.min(chunk, stream.length - i)));
            }
            @SuppressWarnings("unchecked")
            List<byte[]> set = (List<byte[]>) ch.readInbound();
            assertThat(set.get(2)).as("chunks of %d", chunk).isEqualTo(big);
            @SuppressWarnings("unchecked")
            List<byte[]> ping = (List<byte[]>) ch.readInbound();
            assertThat(new String(ping.get(0), StandardCharsets.US_ASCII)).isEqualTo("PING");
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void clientPastTheQueryBufferLimit_isDisconnected_othersAreNot() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir); RawClient greedy = new RawClient(server.port());
                RawClient other = new RawClient(server.port())) {
            assertThat(other.call("CONFIG", "SET", "client-query-buffer-limit", "1mb")).isEqualTo("+OK\r\n");
            greedy.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3000000\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            try {
                for (int i = 0; i < 40; i++) {
                    greedy.send(chunk);
                }
            } catch (IOException closedWhileSending) {
                // the server may close before all of it is sent
            }
            assertThat(greedy.closedByServer()).isTrue();
            assertThat(other.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(other.call("EXISTS", "k")).isEqualTo(":0\r\n");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void randomAndMutatedFrames_neverTakeTheServerDown() throws Exception {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        byte[][] valid = {
            RawClient.encode("SET".getBytes(), "k".getBytes(), "v".getBytes()),
            RawClient.encode("GET".getBytes(), "k".getBytes()),
            "PING\r\n".getBytes(), RawClient.encode("MULTI".getBytes()), RawClient.encode("EXEC".getBytes()),
            RawClient.encode("INCR".getBytes(), "n".getBytes()),
        };
        try (CouloyServer server = ServerFixture.start(dir)) {
            for (int round = 0; round < 200; round++) {
                byte[] frame;
                if (r.nextBoolean()) {
                    frame = new byte[1 + r.nextInt(200)];
                    r.nextBytes(frame);
                } else {
                    frame = valid[r.nextInt(valid.length)].clone();
                    for (int flips = 1 + r.nextInt(3); flips > 0; flips--) {
                        frame[r.nextInt(frame.length)] = (byte) r.nextInt(256);
                    }
                }
                try (RawClient c = new RawClient(server.port(), 100)) {
                    c.send(frame);
                    c.send(RawClient.encode("PING".getBytes()));
                    drain(c);
                } catch (IOException closed) {
                    // the server may close a connection that broke the protocol
                }
            }
            try (RawClient c = new RawClient(server.port())) {
                assertThat(c.call("PING")).as("seed %d", seed).isEqualTo("+PONG\r\n");
                assertThat(c.call("SET", "after", "fuzz")).isEqualTo("+OK\r\n");
            }
        }
    }

    @Test
    void bytesOfAnUnknownCommandComeBackOnOneLine() throws Exception {
        // Found by the fuzz test: a CR LF inside an echoed argument ended the error line early.
        try (CouloyServer server = ServerFixture.start(dir); RawClient c = new RawClient(server.port())) {
            c.send(RawClient.encode("FOO".getBytes(), "a\r\nb".getBytes(), new byte[] {(byte) 0xE9, (byte) 0xFF}));
            assertThat(c.reply()).isEqualTo("-ERR unknown command 'FOO', with args beginning with: 'a  b' '\u00e9\u00ff' \r\n");
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    /** Reads replies until the connection closes or goes quiet. */
    private static void drain(RawClient c) throws IOException {
        try {
            for (int i = 0; i < 50; i++) {
                c.reply();
            }
        } catch (java.net.SocketTimeoutException quiet) {
            // a frame that is a prefix of a longer one leaves the server waiting: fine
        }
    }
}
