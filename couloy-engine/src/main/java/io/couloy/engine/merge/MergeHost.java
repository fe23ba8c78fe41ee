package io.couloy.engine.merge;

import io.couloy.engine.format.RecordType;
import io.couloy.engine.keydir.KeyDir;
import io.couloy.engine.keydir.Location;
import io.couloy.engine.log.DataFile;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

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

    /** Puts {@code added} in the file table, beside the files they will replace (their handles differ). */
    void addFiles(List<DataFile> added);

    /** Drops the files of {@code handles} from the file table and returns them, still open. */
    List<DataFile> removeFiles(List<Integer> handles);

    /** Opens the data file at {@code path} read-only under {@code handle}, as the engine reads its files. */
    DataFile openMerged(Path path, int id, int handle);

    /** Keeps {@code file} out of the automatic merge's runs from now on: a merge could not read through it. */
    void leaveOut(DataFile file);

    /**
     * Whether {@code file} is known to be damaged (a merge or recovery could not read through it):
     * a merge must then scan it, and stop at the damage, rather than read only what the index
     * names, which would drop the unreadable rest.
     */
    boolean leftOut(DataFile file);

    /**
     * Visits the location of each live index entry (a key's, unexpired, or a member's of a live
     * collection) whose file handle {@code in} accepts: each entry held for the whole walk at
     * least once, some twice. Holds no lock for long, so writes go on; they can only take entries
     * away from immutable files, never add them. Stops early when the engine closes (between
     * collections).
     */
    void forEachLiveEntry(IntPredicate in, Consumer<Location> visitor);

    /** Entries of every index: keys, and the members of every collection. What walking them costs. */
    long indexEntries();

    /**
     * Refuses merges from now on, for {@code reason}: one failed after its commit point, so the
     * file table holds what the directory will hold only once the next open has installed it.
     * Reads and writes go on; another merge would start from a table it cannot read correctly.
     */
    void refuseMerges(String reason);

    /**
     * Where the index points for the key of a state record of committed type {@code type} (PUT,
     * COLLECTION, MEMBER_PUT), or null if nothing live does: the key is gone, expired, or for a
     * member, its collection was deleted or recreated.
     */
    Location live(RecordType type, byte[] key);

    /**
     * Where the index points for the key of a record of committed type {@code type}, expired or
     * not: for a string or collection key (PUT, COLLECTION, DELETE, EXPIRE) its entry; for a
     * member (MEMBER_PUT, MEMBER_DELETE) its entry in the collection the key names, or null if
     * that collection is gone or has another id.
     */
    Location indexed(RecordType type, byte[] key);

    /**
     * Points a member at its copy if its index entry still points at the original, under its
     * collection's lock (not the key directory's), while writes go on. Returns whether it moved.
     */
    boolean moveMember(byte[] recordKey, int oldFileId, long oldOffset, int newFileId, long newOffset, int newSize);

    /** Logs or records a problem met while merging. */
    Consumer<String> warnings();
}
