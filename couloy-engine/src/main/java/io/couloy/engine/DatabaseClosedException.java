package io.couloy.engine;

/** The database was used after {@link CouloyDB#close()}. */
public final class DatabaseClosedException extends CouloyException {
    public DatabaseClosedException() {
        super("the database is closed");
    }
}
