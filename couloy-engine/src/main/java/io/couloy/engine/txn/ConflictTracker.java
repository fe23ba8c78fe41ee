package io.couloy.engine.txn;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

    private final ConcurrentHashMap<ByteKey, Set<Flag>> watchers = new ConcurrentHashMap<>();

    public void watch(byte[] key, Flag flag) {
        watchers.compute(new ByteKey(key.clone()), (k, set) -> {
            Set<Flag> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            s.add(flag);
            return s;
        });
    }

    public void unwatch(byte[] key, Flag flag) {
        watchers.computeIfPresent(new ByteKey(key), (k, set) -> {
            set.remove(flag);
            return set.isEmpty() ? null : set;
        });
    }

    /** Flags every watcher of {@code key}. Call after the change is visible, under the write lock. */
    public void touched(byte[] key) {
        if (watchers.isEmpty()) {
            return;
        }
        Set<Flag> set = watchers.get(new ByteKey(key));
        if (set != null) {
            for (Flag f : set) {
                f.raised = true;
            }
        }
    }
}
