package io.couloy.engine;

import java.nio.file.Path;

/**
 * The directory is not a CouloyDB directory, or was written by an incompatible format version.
 * Raised before anything in the directory is changed.
 */
public final class FormatException extends CouloyException {
    public FormatException(Path path, String detail) {
        super(path + ": " + detail);
    }
}
