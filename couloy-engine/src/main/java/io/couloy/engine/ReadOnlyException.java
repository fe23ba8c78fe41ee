package io.couloy.engine;

/**
 * A write was attempted on a database opened with {@link Options.Builder#readOnly(boolean)}, or
 * on one whose writes were stopped by {@link CouloyDB#abandonGroup()}.
 */
public final class ReadOnlyException extends CouloyException {
    public ReadOnlyException() {
        super("the database is open read-only");
    }

    ReadOnlyException(String message) {
        super(message);
    }
}
