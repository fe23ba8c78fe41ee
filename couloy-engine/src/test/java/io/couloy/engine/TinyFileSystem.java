package io.couloy.engine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A tmpfs of a given size mounted around each test, to fill up: full-disk tests of the engine
 * and of the server (which gets it from this module's test jar). Register it with
 * {@code @RegisterExtension final TinyFileSystem disk = new TinyFileSystem("1m");}. Mounting needs
 * root, as on CI; where it is refused the test is skipped, and reported as skipped, through a
 * JUnit assumption.
 */
public final class TinyFileSystem implements BeforeEachCallback, AfterEachCallback {
    private final String size;
    private Path path;

    /** @param size as mount's tmpfs option, e.g. "1m" */
    public TinyFileSystem(String size) {
        this.size = size;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        path = Files.createTempDirectory("couloy-tiny");
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", path.toString()),
                "cannot mount a tmpfs here (needs root)");
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (path != null) {
            run("umount", path.toString());
            Files.deleteIfExists(path);
            path = null;
        }
    }

    /** Where it is mounted (empty at the start of each test). */
    public Path path() {
        return path;
    }

    /** Gives the file system a new size (frees space when larger); true if mount agreed. */
    public boolean resize(String newSize) {
        return run("mount", "-o", "remount,size=" + newSize, path.toString());
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
