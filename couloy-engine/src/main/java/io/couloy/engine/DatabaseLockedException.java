package io.couloy.engine;

import java.nio.file.Path;

/** Another process (or another open instance in this one) holds the data directory. */
public final class DatabaseLockedException extends CouloyException {
    public DatabaseLockedException(Path dir) {
        super("data directory " + dir + " is already open in another process or instance");
    }
}
