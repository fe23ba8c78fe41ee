package io.couloy.engine;

import java.nio.file.Path;

/** A stored record or file failed its checksum or could not be parsed. Carries where. */
public final class CorruptionException extends CouloyException {
    private final Path file;
    private final long offset;

    public CorruptionException(Path file, long offset, String detail) {
        super(detail + " (file " + file + ", offset " + offset + ")");
        this.file = file;
        this.offset = offset;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }

    /** Byte offset in {@link #file()} where the damage was found. */
    public long offset() {
        return offset;
    }
}
