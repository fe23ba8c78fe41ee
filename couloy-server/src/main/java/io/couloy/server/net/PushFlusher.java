package io.couloy.server.net;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import java.util.Collections;
import java.util.Map;
import java.util.Queue;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes the pub/sub messages of every connection served by one event loop in one task. A
 * PUBLISH to 50 subscribers would otherwise hand a task to each subscriber's loop, and each hand-off
 * can wake that loop with a system call; this way a publish wakes each loop at most once, and a
 * loop that is already awake takes the messages of many publishes in one pass.
 */
final class PushFlusher implements Runnable {
    private static final Map<EventExecutor, PushFlusher> BY_LOOP = Collections.synchronizedMap(new WeakHashMap<>());

    private final EventExecutor loop;
    private final Queue<Runnable> drains = PlatformDependent.newMpscQueue();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    private PushFlusher(EventExecutor loop) {
        this.loop = loop;
    }

    static PushFlusher of(EventExecutor loop) {
        return BY_LOOP.computeIfAbsent(loop, PushFlusher::new);
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
