package io.couloy.engine.merge;

import io.couloy.engine.keydir.KeyDir;
import io.couloy.engine.log.DataFile;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** What a {@link Merger} needs of the running engine. */
public interface MergeHost {
    Path directory();

    KeyDir keyDir();

    long dataFileSize();

    long nowMillis();

    /** Whether the engine is closing: a merge in progress gives up (its output is discarded). */
    boolean closing();

    /** Seals the active file (a new one takes writes) and returns every immutable file, ascending id. */
    List<DataFile> sealActiveForMerge();

    /** Runs {@code swap} with appends stopped and readers told that files are changing. */
    void exclusively(Runnable swap);

    /** Replaces the open files: {@code removed} ids are dropped, {@code added} put in; returns the dropped files, still open. */
    List<DataFile> replaceFiles(List<Integer> removed, List<DataFile> added);

    /** Opens a data file of the directory read-only, as the engine reads it. */
    DataFile openImmutable(int id);

    /** Logs or records a problem met while merging. */
    Consumer<String> warnings();
}
