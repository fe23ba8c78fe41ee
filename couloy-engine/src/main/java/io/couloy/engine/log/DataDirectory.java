package io.couloy.engine.log;

import io.couloy.engine.DatabaseLockedException;
import io.couloy.engine.FormatException;
import io.couloy.engine.StorageException;
import io.couloy.engine.format.DirectoryFormat;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The data directory itself: its format marker, its lock, its listing. Checks are made before
 * anything is written, so opening the wrong directory changes nothing.
 */
public final class DataDirectory implements AutoCloseable {
    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Checks the format marker (writing it into a new, empty directory) and takes the lock. */
    public static DataDirectory open(Path dir, boolean readOnly) {
        try {
            if (!Files.exists(dir)) {
                if (readOnly) {
                    throw new FormatException(dir, "does not exist");
                }
                Files.createDirectories(dir);
            }
            if (!Files.isDirectory(dir)) {
                throw new FormatException(dir, "is not a directory");
            }
            checkVersion(dir, readOnly);
            if (readOnly) {
                return new DataDirectory(dir, null, null);
            }
            FileChannel ch = FileChannel.open(dir.resolve(DirectoryFormat.LOCK_FILE),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                ch.close();
                throw new DatabaseLockedException(dir);
            }
            return new DataDirectory(dir, ch, l);
        } catch (IOException e) {
            throw new StorageException(dir, "open data directory", e);
        }
    }

    private static void checkVersion(Path dir, boolean readOnly) throws IOException {
        Path version = dir.resolve(DirectoryFormat.VERSION_FILE);
        try {
            String text = Files.readString(version, StandardCharsets.UTF_8);
            if (!text.equals(DirectoryFormat.VERSION_TEXT)) {
                throw new FormatException(dir, "unsupported format '" + text.strip()
                        + "'; this build reads '" + DirectoryFormat.VERSION_TEXT.strip() + "'");
            }
            return;
        } catch (NoSuchFileException absent) {
            // fall through: a new directory, or not ours
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new FormatException(dir, "is not a CouloyDB data directory (no VERSION file, not empty)");
            }
        }
        if (readOnly) {
            throw new FormatException(dir, "is empty: nothing to open read-only");
        }
        Path tmp = dir.resolve(DirectoryFormat.VERSION_FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(DirectoryFormat.VERSION_TEXT.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, version, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        fsync(dir);
    }

    public Path path() {
        return dir;
    }

    /** Ids of the data files present, ascending. */
    public List<Integer> dataFileIds() {
        return dataFileIds(dir);
    }

    static List<Integer> dataFileIds(Path dir) {
        List<Integer> ids = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.forEach(p -> {
                int id = DirectoryFormat.dataId(p.getFileName().toString());
                if (id > 0) {
                    ids.add(id);
                }
            });
        } catch (IOException e) {
            throw new StorageException(dir, "list", e);
        }
        ids.sort(null);
        return ids;
    }

    /**
     * Makes a directory's entries (created, renamed, deleted files) durable. An interrupt does
     * not fail it (a file channel closes on one): it retries with the interrupt status cleared,
     * then restores it, as {@link DataFile}'s I/O does — a writer interrupted while rotating to a
     * new file would otherwise get a StorageException for a write that succeeded.
     */
    public static void fsync(Path dir) {
        boolean interrupted = false;
        try {
            while (true) {
                try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                    ch.force(true);
                    return;
                } catch (java.nio.channels.ClosedByInterruptException e) {
                    interrupted |= Thread.interrupted(); // clear it, or the retry would be interrupted at once
                } catch (IOException e) {
                    throw new StorageException(dir, "fsync directory", e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            throw new StorageException(dir, "release lock", e);
        }
    }
}
