package io.couloy.engine.keydir;

import io.couloy.engine.IndexType;
import java.util.List;
import java.util.function.Consumer;

/**
 * The in-memory key directory: for each live key, where its latest record lies.
 *
 * <p>Threading: {@link #get} never blocks on a writer for long (optimistic reads, retried under
 * a read lock); every change goes through {@link #write}, whose changes readers see all at once.
 * Writers are serialised by the engine, so a {@link Mutator} is used by one thread at a time.
 */
public interface KeyDir {
    /** The key's location, or null if absent. Expired keys are returned; the caller checks. */
    Location get(byte[] key);

    /**
     * The key's expiry (0: none), or -1 if absent: {@link #get} without a {@link Location} made,
     * for callers that only ask whether a key is live (every typed write looks its key up so).
     */
    default long expiry(byte[] key) {
        Location loc = get(key);
        return loc == null ? -1 : loc.expiry();
    }

    /** Applies {@code changes} atomically with respect to readers. */
    void write(Consumer<Mutator> changes);

    /**
     * One {@link Mutator#put} as its own {@link #write}; returns the location it replaced, or
     * null. A directory may do it without the consumer and the holder for the result that
     * {@code write} takes (a SET's one change).
     */
    default Location putOne(byte[] key, int fileId, long offset, int size, long expiry) {
        Location[] before = new Location[1];
        write(m -> before[0] = m.put(key, fileId, offset, size, expiry));
        return before[0];
    }

    /** One {@link Mutator#remove} as its own {@link #write}, as {@link #putOne}. */
    default Location removeOne(byte[] key) {
        Location[] before = new Location[1];
        write(m -> before[0] = m.remove(key));
        return before[0];
    }

    /**
     * Sizes the directory for about {@code keys} keys up front, so loading them does not rehash
     * repeatedly. An overestimate is undone by {@link #trim()}.
     */
    void presize(long keys);

    /** Shrinks the index if it is more than twice as large as its keys need (after a presize). */
    void trim();

    /**
     * One step of a Redis-style cursor scan: visits the keys of a few home buckets, at least
     * {@code count} keys unless the scan ends, and returns the next cursor (0 when done). Buckets
     * are visited in reverse-binary order, so a key present for the whole scan is visited at
     * least once even if the table grows or shrinks between steps (Redis's dictScan guarantee).
     */
    long scan(long cursor, int count, Consumer<byte[]> visitor);

    /**
     * Visits the location of every entry held for the whole call at least once (some may be
     * visited twice), holding the lock for a step of some entries at a time, so writes go on
     * between steps. For walks over every entry that must not stop writers for all of them, such
     * as a merge collecting the records its inputs still hold. The visitor must not write to
     * this directory.
     */
    void walkLocations(Consumer<Location> visitor);

    /**
     * A key chosen at random (nearly uniformly: a key after a long run of empty slots is a little
     * likelier), or null if empty. Expected O(1).
     */
    byte[] randomKey(java.util.random.RandomGenerator random);

    /** Live keys held (expired ones not yet swept included). */
    long size();

    /** Bytes of memory the directory holds, free space inside its arrays included. */
    long memoryBytes();

    /** Whether {@link #keys} returns keys in order without sorting them first. */
    boolean ordered();

    /**
     * Up to {@code limit} keys after {@code from} (null: from the first, or the last if
     * {@code reverse}) in unsigned byte order, {@code from} itself included if {@code inclusive}.
     * On an unordered directory this costs a full scan and sort of the matching keys.
     */
    List<byte[]> keys(byte[] from, boolean inclusive, boolean reverse, int limit);

    /**
     * Removes up to {@code budget} keys expired at {@code now}, resuming a cursor across calls;
     * each removed key and its old location go to {@code removed}. Returns how many were removed.
     */
    int sweepExpired(long now, int budget, Removed removed);

    /**
     * Visits every entry under the read lock (writers wait): for walks that must see each key
     * exactly once, such as retiring a deleted collection's members. The visitor must not
     * write to this directory.
     */
    void forEach(Visitor visitor);

    /** Receives entries of {@link #forEach}. */
    @FunctionalInterface
    interface Visitor {
        void visit(byte[] key, Location location);
    }

    /** Receives entries removed by {@link #sweepExpired}. */
    @FunctionalInterface
    interface Removed {
        void removed(byte[] key, Location was);
    }

    /** The changes {@link #write} may make. Valid only inside its callback. */
    interface Mutator {
        /** Points {@code key} at a new record; returns where it pointed before, or null. */
        Location put(byte[] key, int fileId, long offset, int size, long expiry);

        /** Drops {@code key}; returns where it pointed, or null if absent. */
        Location remove(byte[] key);

        /** Changes only the expiry; returns the location before, or null if absent. */
        Location setExpiry(byte[] key, long expiry);

        /**
         * Moves {@code key} to a new position only if it still points at the old one (used by
         * merge, which copies records while writes go on). Returns whether it moved.
         */
        boolean moveIfAt(byte[] key, int oldFileId, long oldOffset, int newFileId, long newOffset, int newSize);
    }

    /**
     * A directory for the members of one collection: starts at 8 slots and a 64-byte arena, so
     * a small collection costs a few hundred bytes, and grows as a key directory does.
     */
    static KeyDir forMembers() {
        return new HashKeyDir(8, 64);
    }

    /** A directory of the given type. */
    static KeyDir create(IndexType type) {
        return switch (type) {
            case HASH -> new HashKeyDir();
            case BTREE -> new OrderedKeyDir();
        };
    }
}
