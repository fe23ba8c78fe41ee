package io.couloy.server.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
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
            int nl = lineEnd(in);
            if (nl < 0) {
                return in.readableBytes() > MAX_INLINE ? new ProtocolError("ERR Protocol error: too big mbulk count string")
                        : null;
            }
            long n = number(in, in.readerIndex() + 1, nl);
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
            int nl = lineEnd(in);
            if (nl < 0) {
                return in.readableBytes() > MAX_INLINE ? new ProtocolError("ERR Protocol error: too big bulk count string")
                        : null;
            }
            long len = number(in, start + 1, nl);
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
     * The decimal number in bytes [from, nl) (a trailing '\r' allowed), or Long.MIN_VALUE: read
     * as Redis's string2ll reads it (an optional '-', no '+', no leading zeros), digit by digit
     * from the buffer — a String per header line was 5% of a loop's time under pipelined load.
     */
    private static long number(ByteBuf in, int from, int nl) {
        int end = nl > from && in.getByte(nl - 1) == '\r' ? nl - 1 : nl;
        if (end <= from || end - from > 20) {
            return Long.MIN_VALUE;
        }
        int i = from;
        boolean negative = in.getByte(i) == '-';
        if (negative && ++i == end) {
            return Long.MIN_VALUE;
        }
        byte first = in.getByte(i);
        if (first == '0') {
            return i + 1 == end && !negative ? 0 : Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < end; i++) {
            int d = in.getByte(i) - '0';
            if (d < 0 || d > 9 || v > (Long.MAX_VALUE - d) / 10) {
                return Long.MIN_VALUE;
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }
}
