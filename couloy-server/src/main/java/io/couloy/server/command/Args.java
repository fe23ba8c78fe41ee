package io.couloy.server.command;

import io.couloy.engine.InvalidValueException;
import io.couloy.engine.types.NumberText;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Argument parsing with Redis's error texts. */
public final class Args {
    private Args() {}

    public static long integer(byte[] arg) {
        try {
            return NumberText.parseLong(arg, "value is not an integer or out of range");
        } catch (InvalidValueException e) {
            throw CommandError.NOT_INTEGER;
        }
    }

    /** The argument as a byte string: one char per byte (ISO-8859-1), so any bytes round-trip into replies. */
    public static String text(byte[] arg) {
        return new String(arg, StandardCharsets.ISO_8859_1);
    }

    public static String upper(byte[] arg) {
        return text(arg).toUpperCase(Locale.ROOT);
    }

    public static boolean is(byte[] arg, String keyword) {
        return text(arg).equalsIgnoreCase(keyword);
    }
}
