package io.couloy.engine;

import io.couloy.engine.txn.ConflictTracker;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches keys for changes, as Redis's WATCH does: {@link #changed()} turns true once any
 * watched key is written, deleted, has its expiry changed, or expires, after it was added.
 * Writing a key to the value it already had still counts as a change. Pass it to
 * {@link CouloyDB#write(WriteBatch, KeyWatch)} to apply a batch only if nothing changed, checked
 * atomically with the write. Thread-safe; close it to stop watching.
 */
public final class KeyWatch implements AutoCloseable {
    private record Watched(byte[] key, long expiryAtWatch) {}

    private final CouloyDB db;
    private final ConflictTracker tracker;
    private final ConflictTracker.Flag flag = new ConflictTracker.Flag();
    private final List<Watched> keys = new ArrayList<>();
    private boolean closed;

    KeyWatch(CouloyDB db, ConflictTracker tracker) {
        this.db = db;
        this.tracker = tracker;
    }

    /** Starts watching {@code key} as it is now. */
    public synchronized KeyWatch add(byte[] key) {
        if (closed) {
            throw new IllegalStateException("watch is closed");
        }
        // Register before looking: a change after this point raises the flag.
        tracker.watch(key, flag);
        keys.add(new Watched(key.clone(), db.expiryForWatch(key)));
        return this;
    }

    /** Whether a watched key changed since it was added (expiry by the clock included). */
    public synchronized boolean changed() {
        if (flag.raised()) {
            return true;
        }
        long now = db.options().clock().millis();
        for (Watched w : keys) {
            if (w.expiryAtWatch > 0 && w.expiryAtWatch <= now) {
                return true;
            }
        }
        return false;
    }

    /** Stops watching every key. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            for (Watched w : keys) {
                tracker.unwatch(w.key, flag);
            }
            keys.clear();
        }
    }
}
