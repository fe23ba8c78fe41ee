package io.couloy.server.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The request decoder through an embedded channel: what a client's bytes become, whole and split
 * at every point, and the protocol errors Redis replies with for malformed headers.
 */
class RequestDecoderTest {
    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new RequestDecoder(() -> 512L * 1024 * 1024, () -> 1L << 30));
    }

    /** What the decoder hands on for {@code chunks} written one after the other. */
    private static List<Object> decode(byte[]... chunks) {
        EmbeddedChannel ch = channel();
        for (byte[] c : chunks) {
            ch.writeInbound(Unpooled.wrappedBuffer(c));
        }
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(o);
        }
        ch.finishAndReleaseAll();
        return out;
    }

    private static List<Object> decode(String text) {
        return decode(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Commands as lists of strings, errors as their text: comparable with equals. */
    private static List<Object> shown(List<Object> decoded) {
        List<Object> out = new ArrayList<>();
        for (Object o : decoded) {
            if (o instanceof RequestDecoder.ProtocolError e) {
                out.add(e.text());
            } else {
                List<String> words = new ArrayList<>();
                for (Object w : (List<?>) o) {
                    words.add(new String((byte[]) w, StandardCharsets.ISO_8859_1));
                }
                out.add(words);
            }
        }
        return out;
    }

    private static byte[] encode(List<byte[]> command) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + command.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] arg : command) {
            b.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(arg);
            b.writeBytes(new byte[] {'\r', '\n'});
        }
        return b.toByteArray();
    }

    @Test
    void multibulkCommands() {
        assertThat(shown(decode("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n*1\r\n$4\r\nPING\r\n")))
                .containsExactly(List.of("SET", "k", ""), List.of("PING"));
    }

    @Test
    void everySplitPointGivesTheSameCommands() {
        byte[] stream = "*2\r\n$4\r\nECHO\r\n$12\r\nhello\r\nworld\r\n*1\r\n$4\r\nPING\r\nPING\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        List<Object> whole = shown(decode(stream));
        assertThat(whole).containsExactly(List.of("ECHO", "hello\r\nworld"), List.of("PING"), List.of("PING"));
        for (int i = 1; i < stream.length; i++) {
            for (int j = i; j < stream.length; j++) {
                byte[] a = java.util.Arrays.copyOfRange(stream, 0, i);
                byte[] b = java.util.Arrays.copyOfRange(stream, i, j);
                byte[] c = java.util.Arrays.copyOfRange(stream, j, stream.length);
                assertThat(shown(decode(a, b, c))).as("split at %d and %d", i, j).isEqualTo(whole);
            }
        }
    }

    @Test
    void emptyAndNullMultibulksAreSkipped() {
        assertThat(shown(decode("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n"))).containsExactly(List.of("PING"));
    }

    @Test
    void malformedMultibulkLengths() {
        for (String bad : List.of("*01\r\n", "*abc\r\n", "*-\r\n", "*\r\n", "*1x\r\n", "*1\r\r\n", "*-0\r\n",
                "*99999999999999999999\r\n", "*1048577\r\n")) {
            assertThat(shown(decode(bad))).as(bad).containsExactly("ERR Protocol error: invalid multibulk length");
        }
    }

    @Test
    void malformedBulkLengths() {
        for (String bad : List.of("$-1\r\n", "$01\r\n", "$x\r\n", "$\r\n", "$-0\r\n", "$1 \r\n",
                "$99999999999999999999\r\n")) {
            assertThat(shown(decode("*1\r\n" + bad + "a\r\n"))).as(bad)
                    .containsExactly("ERR Protocol error: invalid bulk length");
        }
        assertThat(shown(decode("*1\r\n$0\r\n\r\n"))).containsExactly(List.of(""));
    }

    @Test
    void aBulkHeaderMustStartWithDollar() {
        assertThat(shown(decode("*1\r\n:3\r\nabc\r\n"))).containsExactly("ERR Protocol error: expected '$', got ':'");
    }

    @Test
    void nothingIsDecodedAfterAProtocolError() {
        assertThat(shown(decode("*1\r\n$x\r\n*1\r\n$4\r\nPING\r\n")))
                .containsExactly("ERR Protocol error: invalid bulk length");
    }

    @Test
    void anIncompleteHeaderWaits() {
        assertThat(decode("*1\r\n$12")).isEmpty();
        assertThat(decode("*1\r\n$x")).isEmpty(); // the error once the line is whole, as Redis reads it
        assertThat(shown(decode("*1\r\n$4\r\nPI".getBytes(StandardCharsets.US_ASCII), "NG\r\n".getBytes(
                StandardCharsets.US_ASCII)))).containsExactly(List.of("PING"));
    }

    @Test
    void inlineCommands() {
        assertThat(shown(decode("PING\r\nset a 'b c'\n\r\n"))).containsExactly(List.of("PING"), List.of("set", "a", "b c"));
        assertThat(shown(decode("set a 'b\r\n"))).containsExactly("ERR Protocol error: unbalanced quotes in request");
    }

    @Test
    void aLargeArgumentArrivingInPieces() {
        byte[] big = new byte[300_000];
        new java.util.Random(7).nextBytes(big);
        byte[] stream = encode(List.of("SET".getBytes(StandardCharsets.US_ASCII), big));
        List<byte[]> chunks = new ArrayList<>();
        for (int at = 0; at < stream.length; at += 4099) {
            chunks.add(java.util.Arrays.copyOfRange(stream, at, Math.min(stream.length, at + 4099)));
        }
        List<Object> out = decode(chunks.toArray(byte[][]::new));
        assertThat(out).hasSize(1);
        assertThat((byte[]) ((List<?>) out.get(0)).get(1)).isEqualTo(big);
    }

    @Property(tries = 200)
    void anyCommandsInAnyPiecesDecodeAsSent(@ForAll @Size(min = 1, max = 6) List<@Size(min = 1, max = 5) List<byte[]>> commands,
            @ForAll @IntRange(min = 1, max = 40) int piece) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        commands.forEach(c -> all.writeBytes(encode(c)));
        byte[] stream = all.toByteArray();
        List<byte[]> chunks = new ArrayList<>();
        for (int at = 0; at < stream.length; at += piece) {
            chunks.add(java.util.Arrays.copyOfRange(stream, at, Math.min(stream.length, at + piece)));
        }
        List<Object> out = decode(chunks.toArray(byte[][]::new));
        assertThat(out).hasSameSizeAs(commands);
        for (int i = 0; i < commands.size(); i++) {
            List<?> got = (List<?>) out.get(i);
            assertThat(got).hasSameSizeAs(commands.get(i));
            for (int j = 0; j < got.size(); j++) {
                assertThat((byte[]) got.get(j)).isEqualTo(commands.get(i).get(j));
            }
        }
    }
}
