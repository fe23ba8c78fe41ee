package io.couloy.engine;

/** How the key directory is organised in memory. */
public enum IndexType {
    /**
     * Open-addressing hash table only. Smallest (24 to 30 bytes plus the key per key, measured) and fastest
     * for point reads; ordered iteration must collect and sort the matching keys first.
     */
    HASH,
    /**
     * Hash table plus a B+tree of the same entries (about 18 bytes a key more): point reads as
     * fast as {@link #HASH}, and prefix, range and reverse scans in key order without sorting.
     */
    BTREE
}
