package io.couloy.engine.script;

/**
 * The reply values scripts exchange with commands, in Redis's reply model: a {@code Long}
 * (integer), a {@code byte[]} (bulk string), {@code null} (nil), a {@code java.util.List} of
 * these (array), or one of the two records below.
 */
public final class Replies {
    private Replies() {}

    /** A status reply, such as OK. */
    public record Status(String text) {}

    /** An error reply; {@code text} starts with its code, such as "ERR" or "WRONGTYPE". */
    public record Error(String text) {}

    public static final Status OK = new Status("OK");
}
