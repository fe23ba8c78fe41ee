package io.couloy.engine;

/**
 * A committed change to a key, as {@link CouloyDB#subscribe} delivers it.
 *
 * @param key the key (the listener may keep it)
 * @param kind what happened
 */
public record KeyEvent(byte[] key, Kind kind) {
    /** What happened to the key. */
    public enum Kind {
        /** A value was written (put, or a batch or transaction put). */
        SET,
        /** The key was deleted. */
        DELETED,
        /** Members of the collection the key holds were added, changed or removed. */
        UPDATED,
        /** The key's expiry was set, changed or removed; its value stayed. */
        EXPIRE,
        /** The key's time to live ran out and it was removed. */
        EXPIRED
    }

    /**
     * Which events a subscriber wants, asked by the writer while it holds the write lock, before
     * the event is built: must be fast and must not block.
     */
    @FunctionalInterface
    public interface Filter {
        boolean wants(byte[] key, Kind kind);
    }
}
