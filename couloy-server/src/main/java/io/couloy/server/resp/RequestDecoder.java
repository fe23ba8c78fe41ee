package io.couloy.server.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ByteProcessor;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the request stream into commands ({@code List<byte[]>}, name first): RESP arrays of bulk
 * strings, as clients send, and inline commands, as typed in telnet, with Redis's quoting rules.
 * Resumable: a command split across reads keeps its parsed arguments and waits for the rest.
 * Malformed input yields a {@link ProtocolError} with Redis's text, after which the decoder
 * reads nothing more (the connection replies and closes).
 *
 * <p>A large argument is copied into its own array as its bytes arrive, so it is held once, not
 * once in the input buffer and again when complete. A client whose unparsed input passes
 * {@code client-query-buffer-limit} is disconnected, as Redis does.
 */
public final class RequestDecoder extends ByteToMessageDecoder {
    /** A request that breaks the protocol; the text is the error reply. */
    public record ProtocolError(String text) {}

    private static final int MAX_INLINE = 64 * 1024;
    private static final int MAX_MULTIBULK = 1024 * 1024;

    /** Arguments at least this long are filled as they arrive instead of waiting whole in the input buffer. */
    private static final int STREAMED = 64 * 1024;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RequestDecoder.class);

    private final java.util.function.LongSupplier maxBulkLength;
    private final java.util.function.LongSupplier queryBufferLimit;
    private List<byte[]> args; // the multibulk command being read, or null
    private int expected;
    private byte[] partial; // a large argument being filled, or null
    private int filled;
    private boolean failed;
    private final HeaderNumber number = new HeaderNumber();

    /**
     * @param maxBulkLength the largest argument accepted (Redis's proto-max-bulk-len), read per argument
     * @param queryBufferLimit most unparsed input a client may have (client-query-buffer-limit)
     */
    public RequestDecoder(java.util.function.LongSupplier maxBulkLength, java.util.function.LongSupplier queryBufferLimit) {
        this.maxBulkLength = maxBulkLength;
        this.queryBufferLimit = queryBufferLimit;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!failed && in.readableBytes() + (long) filled > queryBufferLimit.getAsLong()) {
            LOG.warn("closing client {} that reached max query buffer length ({} bytes)", ctx.channel().remoteAddress(),
                    in.readableBytes() + (long) filled);
            failed = true;
            in.skipBytes(in.readableBytes());
            ctx.close();
            return;
        }
        while (!failed && in.isReadable()) {
            Object command = args == null && in.getByte(in.readerIndex()) != '*' ? inline(in) : multibulk(in);
            if (command == null) {
                return; // need more bytes
            }
            if (command instanceof ProtocolError) {
                failed = true;
                in.skipBytes(in.readableBytes());
            }
            if (command != Skip.INSTANCE) {
                out.add(command);
            }
        }
        if (failed) {
            in.skipBytes(in.readableBytes());
        }
    }

    /** Nothing to hand on (an empty inline line, an empty multibulk). */
    private enum Skip { INSTANCE }

    /** Index of the '\n' ending the line at the reader index, or -1 if not yet there. */
    private static int lineEnd(ByteBuf in) {
        return in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
    }

    private Object inline(ByteBuf in) {
        int nl = lineEnd(in);
        if (nl < 0) {
            return in.readableBytes() > MAX_INLINE ? new ProtocolError("ERR Protocol error: too big inline request") : null;
        }
        int len = nl - in.readerIndex();
        byte[] line = new byte[len];
        in.readBytes(line);
        in.skipBytes(1);
        int end = len > 0 && line[len - 1] == '\r' ? len - 1 : len;
        List<byte[]> words = InlineSplitter.split(line, end);
        if (words == null) {
            return new ProtocolError("ERR Protocol error: unbalanced quotes in request");
        }
        return words.isEmpty() ? Skip.INSTANCE : words;
    }

    private Object multibulk(ByteBuf in) {
        if (args == null) {
            int nl = number.read(in, in.readerIndex() + 1);
            if (nl < 0) {
                return in.readableBytes() > MAX_INLINE ? new ProtocolError("ERR Protocol error: too big mbulk count string")
                        : null;
            }
            long n = number.value();
            if (n > MAX_MULTIBULK || n == Long.MIN_VALUE) {
                return new ProtocolError("ERR Protocol error: invalid multibulk length");
            }
            in.readerIndex(nl + 1);
            if (n <= 0) {
                return Skip.INSTANCE;
            }
            expected = (int) n;
            args = new ArrayList<>(Math.min(expected, 1024));
        }
        while (args.size() < expected) {
            if (partial != null) {
                if (!fill(in)) {
                    return null;
                }
                continue;
            }
            if (!in.isReadable()) {
                return null;
            }
            int start = in.readerIndex();
            byte type = in.getByte(start);
            if (type != '$') {
                return new ProtocolError("ERR Protocol error: expected '$', got '" + (char) (type & 0xFF) + "'");
            }
            int nl = number.read(in, start + 1);
            if (nl < 0) {
                return in.readableBytes() > MAX_INLINE ? new ProtocolError("ERR Protocol error: too big bulk count string")
                        : null;
            }
            long len = number.value();
            if (len < 0 || len > maxBulkLength.getAsLong() || len > Integer.MAX_VALUE - 8) {
                return new ProtocolError("ERR Protocol error: invalid bulk length");
            }
            if (in.writerIndex() - (nl + 1) < len + 2) {
                if (len >= STREAMED) {
                    in.readerIndex(nl + 1);
                    partial = new byte[(int) len];
                    filled = 0;
                    continue;
                }
                return null; // the header is re-read when the rest arrives; parsed arguments stay
            }
            in.readerIndex(nl + 1);
            byte[] arg = new byte[(int) len];
            in.readBytes(arg);
            in.skipBytes(2);
            args.add(arg);
        }
        List<byte[]> done = args;
        args = null;
        return done;
    }

    /** Copies what has arrived of the large argument; true once it and its CRLF are complete. */
    private boolean fill(ByteBuf in) {
        int n = Math.min(in.readableBytes(), partial.length - filled);
        in.readBytes(partial, filled, n);
        filled += n;
        if (filled < partial.length || in.readableBytes() < 2) {
            return false;
        }
        in.skipBytes(2);
        args.add(partial);
        partial = null;
        filled = 0;
        return true;
    }

    /**
     * The decimal number of a header line, read as {@link ByteBuf#forEachByte} passes its bytes
     * (one bounds check a line, where a search for the line's end and a read of each digit cost
     * one a byte): as Redis's string2ll reads it, an optional '-', no '+', no leading zeros, at
     * most 20 characters, with a '\r' allowed just before the '\n'.
     */
    private static final class HeaderNumber implements ByteProcessor {
        private long value;
        private int chars;
        private boolean digits;
        private boolean negative;
        private boolean leadingZero;
        private boolean cr;
        private boolean bad;

        /** Reads the line from {@code from}; the index of its '\n', or -1 if it has not all arrived. */
        int read(ByteBuf in, int from) {
            value = 0;
            chars = 0;
            digits = negative = leadingZero = cr = bad = false;
            return in.forEachByte(from, in.writerIndex() - from, this);
        }

        /** The line's number, or Long.MIN_VALUE if it is not one. */
        long value() {
            return bad || !digits || (leadingZero && negative) ? Long.MIN_VALUE : negative ? -value : value;
        }

        @Override
        public boolean process(byte b) {
            if (b == '\n') {
                return false;
            }
            if (cr || b == '\r') {
                bad |= cr; // a '\r' anywhere but just before the '\n'
                cr = true;
                return true;
            }
            if (chars++ == 0 && b == '-') {
                negative = true;
                return true;
            }
            int d = b - '0';
            if (d < 0 || d > 9 || leadingZero || chars > 20 || value > (Long.MAX_VALUE - d) / 10) {
                bad = true;
                return true;
            }
            leadingZero = !digits && d == 0;
            digits = true;
            value = value * 10 + d;
            return true;
        }
    }
}
