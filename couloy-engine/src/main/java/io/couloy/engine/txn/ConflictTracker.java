package io.couloy.engine.txn;

import java.util.Arrays;
import java.util.Set;
import java.util.HashMap;
import java.util.HashSet;

/**
 * Who watches which key, so that a write can flag every transaction or WATCH that read the key
 * it changed (the way Redis's touchWatchedKey works). Costs the write path one emptiness check
 * while nobody watches, and one hash lookup per written key while someone does; holds memory
 * only for keys being watched.
 *
 * <p>A watcher registers a key before reading it; writers call {@link #touched} after the key
 * directory shows their change and while holding the engine's write lock. So a change the reader
 * did not see always flags it, and a commit that checks its flag under the write lock cannot
 * miss a change.
 */
public final class ConflictTracker {
    /** Set when any key it watches is written. */
    public static final class Flag {
        private volatile boolean raised;

        public boolean raised() {
            return raised;
        }
    }

    private record ByteKey(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ByteKey other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    // One lock around the map: watch/unwatch/touched are short, and a plain lock makes the
    // watcher-before-reader / writer-after-change protocol obviously sound. (A ConcurrentHashMap
    // of concurrent sets, iterated outside its bin locks, let a concurrent bank-transfer test
    // lose about one update in a hundred runs.)
    private final HashMap<ByteKey, Set<Flag>> watchers = new HashMap<>();
    /** Keys watched; read without the lock by writers so that nobody watching costs one volatile read. */
    private volatile int watchedKeys;

    public synchronized void watch(byte[] key, Flag flag) {
        watchers.computeIfAbsent(new ByteKey(key.clone()), k -> new HashSet<>()).add(flag);
        watchedKeys = watchers.size();
    }

    public synchronized void unwatch(byte[] key, Flag flag) {
        ByteKey k = new ByteKey(key);
        Set<Flag> set = watchers.get(k);
        if (set != null) {
            set.remove(flag);
            if (set.isEmpty()) {
                watchers.remove(k);
            }
        }
        watchedKeys = watchers.size();
    }

    /** Flags every watcher of {@code key}. Call after the change is visible, under the write lock. */
    public void touched(byte[] key) {
        if (watchedKeys == 0) {
            return;
        }
        synchronized (this) {
            Set<Flag> set = watchers.get(new ByteKey(key));
            if (set != null) {
                for (Flag f : set) {
                    f.raised = true;
                }
            }
        }
    }
}
