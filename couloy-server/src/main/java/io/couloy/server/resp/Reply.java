package io.couloy.server.resp;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A reply, in RESP3's richer model; {@link ReplyEncoder} writes it in RESP2 or RESP3 as the
 * connection negotiated (maps become flat arrays, doubles bulk strings, booleans integers and
 * nulls {@code $-1} or {@code *-1} in RESP2). Constant replies are shared instances.
 */
public sealed interface Reply {
    /** A simple string: {@code +OK}. */
    record Simple(String text) implements Reply {}

    /** An error; {@code text} starts with its code ("ERR ...", "WRONGTYPE ..."). */
    record Error(String text) implements Reply {}

    record Int(long value) implements Reply {}

    record Bulk(byte[] bytes) implements Reply {}

    record Array(List<Reply> items) implements Reply {}

    /**
     * An array of bulk strings (a null item is a null bulk): an {@link Array} of {@link Bulk}s
     * without an object per item, for range replies (LRANGE, SMEMBERS, HKEYS, ...).
     */
    record Bulks(List<byte[]> items) implements Reply {}

    /** {@link Bulks} whose items lie packed in one array, as a list range reads them (LRANGE). */
    record PackedBulks(io.couloy.engine.PackedValues values) implements Reply {}

    /**
     * An array of {@code count} bulk strings already encoded (the same bytes in RESP2 and RESP3)
     * into a pooled buffer, by {@link BulksWriter} as an engine range lends its members: a range
     * reply with no object per item and no zeroed array in between. It owns {@code items}: only a
     * reply written to its connection as soon as its command returns takes this form, writing it
     * releases them, and the path that drops a reply unsent calls {@link #release(Reply)}.
     */
    record EncodedBulks(int count, io.netty.buffer.ByteBuf items) implements Reply {}

    /** Frees what {@code reply} holds, for a reply that will not be written (CLIENT REPLY OFF). */
    static void release(Reply reply) {
        if (reply instanceof EncodedBulks b) {
            b.items().release();
        }
    }

    /**
     * Each item, followed by its second reply if {@code withSecond}: flat (RESP2) or as [item,
     * second] pairs (RESP3) — Redis's shape for WITHSCORES and WITHVALUES.
     */
    static <T> Reply withPairs(List<T> items, java.util.function.Function<T, Reply> first,
            java.util.function.Function<T, Reply> second, boolean withSecond, boolean resp3) {
        List<Reply> out = new java.util.ArrayList<>(withSecond && !resp3 ? 2 * items.size() : items.size());
        for (T item : items) {
            if (withSecond && resp3) {
                out.add(new Array(List.of(first.apply(item), second.apply(item))));
            } else {
                out.add(first.apply(item));
                if (withSecond) {
                    out.add(second.apply(item));
                }
            }
        }
        return new Array(out);
    }

    /** RESP3 double; RESP2 writes it as a bulk string. */
    record Dbl(double value) implements Reply {}

    /** RESP3 big number (its decimal digits); RESP2 writes a bulk string. */
    record BigNumber(String digits) implements Reply {}

    /** RESP3 verbatim string with its three-letter format ("txt"); RESP2 writes the text as a bulk string. */
    record Verbatim(String format, byte[] text) implements Reply {}

    /** RESP3 boolean; RESP2 writes it as 1 or 0. */
    record Bool(boolean value) implements Reply {}

    /** RESP3 map (alternating keys and values); RESP2 writes a flat array. */
    record Map(List<Reply> keysAndValues) implements Reply {}

    /** RESP3 set; RESP2 writes an array. */
    record Set(List<Reply> items) implements Reply {}

    /** RESP3 push (pub/sub messages); RESP2 writes an array. */
    record Push(List<Reply> items) implements Reply {}

    /** Several replies to one command, written one after another (SUBSCRIBE a b answers twice). */
    record Many(List<Reply> replies) implements Reply {}

    /** No reply now: the command blocked, and its reply comes later (BLPOP waiting for a push). */
    record Deferred() implements Reply {}

    /**
     * A reply encoded ahead for both protocols: a published message goes to many subscribers, so it
     * is encoded once per protocol rather than once per subscriber.
     */
    record Encoded(byte[] resp2, byte[] resp3) implements Reply {
        public static Encoded of(Reply r) {
            return new Encoded(ReplyEncoder.bytes(r, false), ReplyEncoder.bytes(r, true));
        }
    }

    /** A missing value: RESP2 {@code $-1} (or {@code *-1} if {@code array}), RESP3 {@code _}. */
    record Null(boolean array) implements Reply {}

    Simple OK = new Simple("OK");
    Simple PONG = new Simple("PONG");
    Simple QUEUED = new Simple("QUEUED");
    Null NIL = new Null(false);
    Null NIL_ARRAY = new Null(true);
    Int ZERO = new Int(0);
    Int ONE = new Int(1);
    Array EMPTY = new Array(List.of());
    Deferred DEFERRED = new Deferred();
    /** No reply at all (CLIENT REPLY OFF and SKIP answer nothing). */
    Many NONE = new Many(List.of());

    static Reply bulk(String s) {
        return new Bulk(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A bulk string, or nil for null. */
    static Reply bulkOrNil(byte[] b) {
        return b == null ? NIL : new Bulk(b);
    }

    static Int integer(long v) {
        return v == 0 ? ZERO : v == 1 ? ONE : new Int(v);
    }

    static Error error(String text) {
        return new Error(text);
    }
}
