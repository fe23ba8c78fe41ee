package io.couloy.engine.merge;

import io.couloy.engine.StorageException;
import io.couloy.engine.format.DirectoryFormat;
import io.couloy.engine.log.DataDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a committed merge's output in force, or throws away an uncommitted one. Idempotent: a
 * crash at any step leaves a state from which running it again finishes the job, so after any
 * crash either all the old files or all the new ones are in force, never a mix.
 *
 * <p>Output files reuse the ids of input files (the i-th output takes the i-th input's id), so
 * merged data keeps sorting before every file written after the merge started.
 */
public final class MergeInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(MergeInstaller.class);

    private MergeInstaller() {}

    /**
     * Completes or discards the merge in {@code dir/merge}.
     *
     * @return the output ids installed, or an empty list if there was nothing to install
     */
    public static List<Integer> installOrDiscard(Path dir) {
        Path mergeDir = dir.resolve(DirectoryFormat.MERGE_DIR);
        if (!Files.isDirectory(mergeDir)) {
            return List.of();
        }
        MergeManifest manifest = MergeManifest.read(mergeDir);
        if (manifest == null) {
            LOG.warn("discarding unfinished merge in {}", mergeDir);
            deleteTree(mergeDir);
            return List.of();
        }
        install(dir, mergeDir, manifest);
        return manifest.outputIds();
    }

    static void install(Path dir, Path mergeDir, MergeManifest manifest) {
        moveIntoPlace(dir, mergeDir, manifest);
        complete(dir, mergeDir);
    }

    /**
     * The renames of {@link #install}: after it the directory's names are the merge's (once
     * synced). A running engine does it after swapping its file table, with writes going on. A
     * crash before {@link #complete} leaves MERGE_DONE in place, so the next open installs again.
     */
    static void moveIntoPlace(Path dir, Path mergeDir, MergeManifest manifest) {
        Set<Integer> outputs = new HashSet<>(manifest.outputIds());
        try {
            for (int id : dataIds(dir)) {
                if (manifest.replaces(id) && !outputs.contains(id)) {
                    Files.deleteIfExists(dir.resolve(DirectoryFormat.hintName(id)));
                    Files.deleteIfExists(dir.resolve(DirectoryFormat.dataName(id)));
                }
            }
            for (int id : manifest.outputIds()) {
                Path newData = mergeDir.resolve(DirectoryFormat.dataName(id));
                Path newHint = mergeDir.resolve(DirectoryFormat.hintName(id));
                if (Files.exists(newData)) {
                    // The old hint goes first: old data with no hint is safe, new data with an old hint is not.
                    Files.deleteIfExists(dir.resolve(DirectoryFormat.hintName(id)));
                    Files.move(newData, dir.resolve(DirectoryFormat.dataName(id)),
                            StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                if (Files.exists(newHint)) {
                    Files.move(newHint, dir.resolve(DirectoryFormat.hintName(id)),
                            StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new StorageException(dir, "install merge", e);
        }
    }

    /**
     * Makes the renames durable, then drops {@code merge/}. Needs no pause of writers: a
     * directory sync under a heavy write load waits for the journal, 50-250 ms seen in the
     * server, which writers had waited for too.
     */
    static void complete(Path dir, Path mergeDir) {
        DataDirectory.fsync(dir);
        deleteTree(mergeDir);
        DataDirectory.fsync(dir);
    }

    private static List<Integer> dataIds(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> DirectoryFormat.dataId(p.getFileName().toString())).filter(id -> id > 0).toList();
        } catch (IOException e) {
            throw new StorageException(dir, "list", e);
        }
    }

    /** Deletes a directory and everything in it; the manifest goes first so a crash cannot leave it half-emptied yet committed. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.deleteIfExists(root.resolve(DirectoryFormat.MERGE_DONE));
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new StorageException(root, "delete", e);
        }
    }
}
