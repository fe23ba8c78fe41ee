package io.couloy.engine;

/**
 * How a merge finds the records of its input files that are still live.
 *
 * <p>A merge of a run that starts at the oldest file needs only the live records: nothing older
 * remains for a tombstone to hide. The index names every one of them, so the merge can read just
 * those instead of every record of its inputs; a run that leaves older files behind must still
 * read its deletes, and scans.
 */
public enum MergeReads {
    /**
     * {@link #LIVE} when the run starts at the oldest file and its dead bytes outweigh the walk
     * of the indexes (24 bytes per entry held), else {@link #SCAN}. The default.
     */
    AUTO,
    /** Read every record of the inputs, front to back, and ask the index of each whether it is live. */
    SCAN,
    /**
     * Walk the indexes for the entries that point into the inputs, then read only those records
     * in file order. A file recovery or an earlier merge found damaged is still scanned, so that
     * the merge stops at the damage instead of dropping what follows it. Runs that leave older
     * files scan.
     */
    LIVE
}
