package io.couloy.engine;

/** A write was attempted on a database opened with {@link Options.Builder#readOnly(boolean)}. */
public final class ReadOnlyException extends CouloyException {
    public ReadOnlyException() {
        super("the database is open read-only");
    }
}
