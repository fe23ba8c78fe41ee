package io.couloy.engine.script;

import java.util.List;

/**
 * The reply values scripts exchange with commands, in Redis's reply model: a {@code Long}
 * (integer), a {@code byte[]} (bulk string), {@code null} (nil), a {@code java.util.List} of
 * these (array), a {@code Boolean}, or one of the records below. Booleans, doubles, big
 * numbers, verbatim strings, maps and sets are RESP3's: a command caller hands them to a script
 * only after {@code redis.setresp(3)}, and a script may return them either way.
 */
public final class Replies {
    private Replies() {}

    /** A status reply, such as OK. */
    public record Status(String text) {}

    /** An error reply; {@code text} starts with its code, such as "ERR" or "WRONGTYPE". */
    public record Error(String text) {}

    /** A RESP3 double. */
    public record Double(double value) {}

    /** A RESP3 big number, as its decimal digits. */
    public record BigNumber(String digits) {}

    /** A RESP3 verbatim string: a three-letter format ("txt", "mkd") and the text. */
    public record Verbatim(String format, byte[] text) {}

    /** A RESP3 map: keys and values alternating. */
    public record Map(List<Object> keysAndValues) {}

    /** A RESP3 set. */
    public record Set(List<Object> members) {}

    public static final Status OK = new Status("OK");
}
