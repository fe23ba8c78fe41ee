package io.couloy.engine;

/**
 * How a merge finds the records of its input files that are still live.
 *
 * <p>A merge of a run that starts at the oldest file needs only the live records: nothing older
 * remains for a tombstone to hide. The index names every one of them, so the merge can read just
 * those instead of every record of its inputs. A run that leaves older files behind must also
 * learn of every delete and expiry in it: it takes them, and what each other record was, from
 * the inputs' hint files, and reads from the data files only the records still live.
 */
public enum MergeReads {
    /**
     * {@link #LIVE} when the run starts at the oldest file and its dead bytes outweigh the walk
     * of the indexes (24 bytes per entry held), else {@link #SCAN}; a run that leaves older files
     * reads an input's hint and only its live records when the hint is under half the input's
     * size (values larger than their keys), else scans it. The default.
     */
    AUTO,
    /**
     * Read every record of the inputs, front to back, and ask the index of each whether it is
     * live; hints are not used.
     */
    SCAN,
    /**
     * Walk the indexes for the entries that point into the inputs, then read only those records
     * in file order. A file recovery or an earlier merge found damaged is still scanned, so that
     * the merge stops at the damage instead of dropping what follows it. Runs that leave older
     * files read each input's hint and only its live records, scanning an input whose hint is
     * missing or damaged.
     */
    LIVE
}
