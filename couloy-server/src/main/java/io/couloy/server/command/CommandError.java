package io.couloy.server.command;

/** Thrown by handlers and argument parsers for an error reply; the text is the whole reply ("ERR ..."). */
public final class CommandError extends RuntimeException {
    public CommandError(String text) {
        super(text, null, false, false);
    }

    public static final CommandError SYNTAX = new CommandError("ERR syntax error");
    public static final CommandError NOT_INTEGER = new CommandError("ERR value is not an integer or out of range");
    public static final CommandError NOT_FLOAT = new CommandError("ERR value is not a valid float");
}
