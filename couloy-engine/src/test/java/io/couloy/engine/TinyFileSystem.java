package io.couloy.engine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tmpfs of a given size mounted for a test, to fill up: full-disk tests of the engine and of
 * the server (which gets it from this module's test jar). Mounting needs root, as on CI; where it
 * is refused the test is skipped, and reported as skipped, through a JUnit assumption.
 */
public final class TinyFileSystem implements AutoCloseable {
    private final Path path;

    private TinyFileSystem(Path path) {
        this.path = path;
    }

    /** Mounts a tmpfs of {@code size} (as mount's option: "1m") at a new directory under {@code base}. */
    public static TinyFileSystem mount(Path base, String size) {
        Path dir;
        try {
            dir = Files.createDirectories(base.resolve("tiny"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()),
                "cannot mount a tmpfs here (needs root)");
        return new TinyFileSystem(dir);
    }

    public Path path() {
        return path;
    }

    /** Gives the file system a new size (frees space when larger); true if mount agreed. */
    public boolean resize(String size) {
        return run("mount", "-o", "remount,size=" + size, path.toString());
    }

    @Override
    public void close() {
        run("umount", path.toString());
    }

    private static boolean run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
