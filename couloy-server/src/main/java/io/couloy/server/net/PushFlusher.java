package io.couloy.server.net;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes the pub/sub messages of every connection served by one event loop in one task. A
 * PUBLISH to 50 subscribers would otherwise hand a task to each subscriber's loop, and each hand-off
 * can wake that loop with a system call; this way a publish wakes each loop at most once, and a
 * loop that is already awake takes the messages of many publishes in one pass.
 */
final class PushFlusher implements Runnable {
    /** One per loop thread (a map by loop held its loops for ever: each value referenced its key). */
    private static final FastThreadLocal<PushFlusher> ON_THIS_LOOP = new FastThreadLocal<>();

    private final EventExecutor loop;
    private final Queue<Runnable> drains = PlatformDependent.newMpscQueue();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    private PushFlusher(EventExecutor loop) {
        this.loop = loop;
    }

    /** The flusher of {@code loop}; called on that loop's thread (other threads then schedule on it). */
    static PushFlusher of(EventExecutor loop) {
        PushFlusher f = ON_THIS_LOOP.get();
        if (f == null || f.loop != loop) {
            f = new PushFlusher(loop);
            ON_THIS_LOOP.set(f);
        }
        return f;
    }

    /** Runs {@code drain} (a connection's write-and-flush of its queued messages) on the loop soon. */
    void schedule(Runnable drain) {
        drains.offer(drain);
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    @Override
    public void run() {
        scheduled.set(false); // a drain offered from now on schedules another pass
        Runnable r;
        while ((r = drains.poll()) != null) {
            r.run();
        }
    }
}
