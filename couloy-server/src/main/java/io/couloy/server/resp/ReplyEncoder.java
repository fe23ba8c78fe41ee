package io.couloy.server.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes replies in RESP2 or RESP3 ({@link #protocol(int)}, set by HELLO). One instance per
 * connection.
 */
public final class ReplyEncoder extends MessageToByteEncoder<Reply> {
    private static final byte[] CRLF = {'\r', '\n'};
    private volatile int protocol = 2;

    public ReplyEncoder() {
        super(Reply.class);
    }

    public void protocol(int version) {
        this.protocol = version;
    }

    public int protocol() {
        return protocol;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Reply reply, ByteBuf out) {
        write(reply, out, protocol == 3);
    }

    /** {@code reply}'s bytes in one protocol. */
    static byte[] bytes(Reply reply, boolean resp3) {
        ByteBuf buf = io.netty.buffer.Unpooled.buffer();
        write(reply, buf, resp3);
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }

    /**
     * Writes {@code reply} to {@code out}; public for tests and for replies built ahead. An
     * {@link Reply.EncodedBulks} is released once written: it is written once.
     */
    public static void write(Reply reply, ByteBuf out, boolean resp3) {
        switch (reply) {
            case Reply.Simple s -> {
                if (s == Reply.OK) {
                    out.writeBytes(OK_LINE); // the reply of most writes: one copy, not a byte at a time
                } else {
                    statusLine(out, '+', s.text());
                }
            }
            case Reply.Error e -> statusLine(out, '-', e.text());
            case Reply.Int i -> number(out, ':', i.value());
            case Reply.Bulk b -> {
                number(out, '$', b.bytes().length);
                out.writeBytes(b.bytes());
                out.writeShort(CR_LF);
            }
            case Reply.Array a -> items(out, '*', a.items(), resp3);
            case Reply.Bulks b -> bulks(out, b.items(), resp3);
            case Reply.PackedBulks p -> bulks(out, p.values());
            case Reply.EncodedBulks b -> {
                number(out, '*', b.count());
                out.writeBytes(b.items());
                b.items().release();
            }
            case Reply.Set s -> items(out, resp3 ? '~' : '*', s.items(), resp3);
            case Reply.Push p -> items(out, resp3 ? '>' : '*', p.items(), resp3);
            case Reply.Many m -> m.replies().forEach(r -> write(r, out, resp3));
            case Reply.Deferred d -> { }
            case Reply.Encoded e -> out.writeBytes(resp3 ? e.resp3() : e.resp2());
            case Reply.Map m -> {
                if (resp3) {
                    line(out, '%', Integer.toString(m.keysAndValues().size() / 2));
                    for (Reply r : m.keysAndValues()) {
                        write(r, out, true);
                    }
                } else {
                    items(out, '*', m.keysAndValues(), false);
                }
            }
            case Reply.Dbl d -> {
                String text = DoubleText.of(d.value());
                if (resp3) {
                    line(out, ',', text);
                } else {
                    write(Reply.bulk(text), out, false);
                }
            }
            case Reply.BigNumber n -> {
                if (resp3) {
                    line(out, '(', n.digits());
                } else {
                    write(Reply.bulk(n.digits()), out, false);
                }
            }
            case Reply.Verbatim v -> {
                if (resp3) {
                    line(out, '=', Integer.toString(v.text().length + 4));
                    out.writeBytes(v.format().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    out.writeByte(':');
                    out.writeBytes(v.text());
                    out.writeBytes(CRLF);
                } else {
                    write(new Reply.Bulk(v.text()), out, false);
                }
            }
            case Reply.Bool b -> {
                if (resp3) {
                    line(out, '#', b.value() ? "t" : "f");
                } else {
                    line(out, ':', b.value() ? "1" : "0");
                }
            }
            case Reply.Null n -> {
                if (resp3) {
                    out.writeBytes(new byte[] {'_', '\r', '\n'});
                } else {
                    line(out, n.array() ? '*' : '$', "-1");
                }
            }
        }
    }

    /**
     * An array of bulks. Small items with table headers (the common range reply) are assembled in
     * one array and written once: a buffer write per header, item and CRLF was most of LRANGE's
     * encoding time.
     */
    private static void bulks(ByteBuf out, List<byte[]> items, boolean resp3) {
        number(out, '*', items.size());
        long size = 0;
        for (byte[] item : items) {
            if (item == null || item.length >= SHARED_HEADERS) {
                size = -1;
                break;
            }
            size += BULK_HEADERS[item.length].length + item.length + 2;
        }
        if (size < 0 || size > 64 * 1024) {
            if (size > 0) {
                out.ensureWritable((int) Math.min(size, Integer.MAX_VALUE - 16)); // see the packed form
            }
            for (byte[] item : items) {
                write(item == null ? Reply.NIL : new Reply.Bulk(item), out, resp3);
            }
            return;
        }
        byte[] all = new byte[(int) size];
        int at = 0;
        for (byte[] item : items) {
            at = putBulk(all, at, item, 0, item.length);
        }
        out.writeBytes(all);
    }

    /** As {@link #bulks(ByteBuf, List, boolean)}, the items copied straight from where the engine read them. */
    private static void bulks(ByteBuf out, io.couloy.engine.PackedValues values) {
        int n = values.count();
        number(out, '*', n);
        long size = 0;
        for (int i = 0; i < n; i++) {
            int length = values.length(i);
            size += (length < SHARED_HEADERS ? BULK_HEADERS[length].length : 13) + length + 2;
        }
        if (size > 64 * 1024) {
            // Grown once, not doubled from the connection's first 256 bytes as the items go in:
            // those copies were 6% of the loop's time under LRANGE of 100 values of 1 KB.
            out.ensureWritable((int) Math.min(size, Integer.MAX_VALUE - 16));
            for (int i = 0; i < n; i++) {
                number(out, '$', values.length(i));
                out.writeBytes(values.array(i), values.offset(i), values.length(i));
                out.writeShort(CR_LF);
            }
            return;
        }
        byte[] all = new byte[(int) size];
        int at = 0;
        for (int i = 0; i < n; i++) {
            at = putBulk(all, at, values.array(i), values.offset(i), values.length(i));
        }
        out.writeBytes(all, 0, at);
    }

    /** Puts one bulk string ("$n", CRLF, the bytes, CRLF) at {@code all[at..)}; returns where it ends. */
    private static int putBulk(byte[] all, int at, byte[] src, int off, int length) {
        byte[] header = length < SHARED_HEADERS ? BULK_HEADERS[length]
                : ("$" + length + "\r\n").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, all, at, header.length);
        at += header.length;
        System.arraycopy(src, off, all, at, length);
        at += length;
        all[at++] = '\r';
        all[at++] = '\n';
        return at;
    }

    private static void items(ByteBuf out, char type, List<Reply> items, boolean resp3) {
        number(out, type, items.size());
        for (Reply r : items) {
            write(r, out, resp3);
        }
    }

    /**
     * A status or error line. Its text is a byte string (one char per byte, as {@link
     * io.couloy.server.command.Args#text} decodes arguments), so a client's bytes echoed in an
     * error come back as they were sent; CR and LF become spaces, as Redis does, since either
     * would end the line early and break the protocol.
     */
    private static void statusLine(ByteBuf out, char type, String text) {
        out.writeByte(type);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            out.writeByte(ch == '\r' || ch == '\n' ? ' ' : ch > 0xFF ? '?' : ch);
        }
        out.writeBytes(CRLF);
    }

    static final int CR_LF = ('\r' << 8) | '\n';

    /** "$n\r\n", "*n\r\n" and ":n\r\n" for small n, ready to copy: most bulks, arrays and integer replies are small. */
    private static final int SHARED_HEADERS = 1024;
    private static final byte[][] BULK_HEADERS = headers('$');
    private static final byte[][] ARRAY_HEADERS = headers('*');
    private static final byte[][] INTEGERS = headers(':');
    private static final byte[] OK_LINE = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);

    private static byte[][] headers(char type) {
        byte[][] out = new byte[SHARED_HEADERS][];
        for (int i = 0; i < SHARED_HEADERS; i++) {
            out[i] = (type + Integer.toString(i) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }

    /** An array's header, {@code *count\r\n}: for a connection that sends an {@link Reply.EncodedBulks}'s items on their own. */
    public static void arrayHeader(ByteBuf out, int count) {
        number(out, '*', count);
    }

    /**
     * A line of {@code type} and the decimal {@code v}: lengths, counts and integers, without a
     * String (one per bulk header cost LRANGE several percent of its time); small bulk and array
     * headers are copied from a table, as Redis's shared headers are.
     */
    static void number(ByteBuf out, char type, long v) {
        if (v >= 0 && v < SHARED_HEADERS && (type == '$' || type == '*' || type == ':')) {
            out.writeBytes((type == '$' ? BULK_HEADERS : type == '*' ? ARRAY_HEADERS : INTEGERS)[(int) v]);
            return;
        }
        if (v == Long.MIN_VALUE) {
            line(out, type, Long.toString(v));
            return;
        }
        // Digits straight into the buffer, from the last: a scratch array per reply was most of
        // what an LPUSH's reply allocated.
        long rest = Math.abs(v);
        int digits = 1;
        for (long r = rest; r >= 10; r /= 10) {
            digits++;
        }
        int length = 1 + (v < 0 ? 1 : 0) + digits + 2;
        out.ensureWritable(length);
        int start = out.writerIndex();
        int at = start + length;
        out.setByte(--at, '\n');
        out.setByte(--at, '\r');
        do {
            out.setByte(--at, (int) ('0' + rest % 10));
            rest /= 10;
        } while (rest > 0);
        if (v < 0) {
            out.setByte(--at, '-');
        }
        out.setByte(start, type);
        out.writerIndex(start + length);
    }

    private static void line(ByteBuf out, char type, String text) {
        out.writeByte(type);
        out.writeCharSequence(text, StandardCharsets.UTF_8);
        out.writeBytes(CRLF);
    }
}
