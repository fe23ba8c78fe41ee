package io.couloy.engine;

/**
 * A listener registered with {@link CouloyDB#subscribe}. Events reach the listener on a thread
 * of its own, in commit order, after the change is visible to readers. A listener that falls
 * more than its queue capacity behind loses events; {@link #dropped()} counts them.
 */
public interface Subscription extends AutoCloseable {
    /** Events not delivered because the listener's queue was full. */
    long dropped();

    /** Stops delivery; events already queued may still arrive. Idempotent. */
    @Override
    void close();
}
