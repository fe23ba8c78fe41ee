package io.couloy.engine;

import java.util.List;

/**
 * A snapshot of the database's size and shape.
 *
 * @param keyCount keys in the key directory (expired keys not yet swept included)
 * @param indexMemoryBytes memory the key directory holds
 * @param files one line per data file, ascending id
 * @param recoveryWarnings what the last open found and repaired or skipped (torn tails,
 *     corrupt records, rebuilt hints), with file and offset
 */
public record Stats(long keyCount, long indexMemoryBytes, List<FileStats> files, List<String> recoveryWarnings) {
    /**
     * @param id data file id
     * @param totalBytes the file's size
     * @param liveBytes bytes of records the key directory still points at
     * @param active whether this is the file being appended to
     */
    public record FileStats(int id, long totalBytes, long liveBytes, boolean active) {
        public long deadBytes() {
            return totalBytes - liveBytes;
        }
    }

    public long totalBytes() {
        return files.stream().mapToLong(FileStats::totalBytes).sum();
    }

    public long liveBytes() {
        return files.stream().mapToLong(FileStats::liveBytes).sum();
    }

    public long deadBytes() {
        return totalBytes() - liveBytes();
    }
}
