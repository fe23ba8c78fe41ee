package io.couloy.engine;

import java.io.IOException;
import java.nio.file.Path;

/** An I/O operation on a data directory file failed (disk full, permission, device error). */
public final class StorageException extends CouloyException {
    private final Path file;

    public StorageException(Path file, String action, IOException cause) {
        super(action + " failed for " + file + ": " + cause.getMessage(), cause);
        this.file = file;
    }

    /** The file the failed operation was on. */
    public Path file() {
        return file;
    }
}
