package io.couloy.server.net;

import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes the pub/sub messages of every connection served by one event loop in one task. A
 * PUBLISH to 50 subscribers would otherwise hand a task to each subscriber's loop, and each hand-off
 * can wake that loop with a system call; this way a publish wakes each loop at most once, and a
 * loop that is already awake takes the messages of many publishes in one pass.
 *
 * <p>A connection with only a few bytes of messages may leave them for the next pass of the loop
 * ({@link Drain#run}), which then writes them whatever their size: a subscriber's messages wait
 * one pass at most. Under load that pass holds the next batch of publishes, so each subscriber
 * write carries two passes' messages: PUBLISH to 50 subscribers from 50 unpipelined clients made
 * 1.9 subscriber writes per publish, Redis 1.3 (its passes were longer), and each write is a
 * system call and a wake-up of the subscriber. On an idle loop the next pass comes at once (a
 * queued task makes the loop poll without waiting), so the wait is one non-blocking poll.
 */
final class PushFlusher implements Runnable {
    /** One per loop thread (a map by loop held its loops for ever: each value referenced its key). */
    private static final FastThreadLocal<PushFlusher> ON_THIS_LOOP = new FastThreadLocal<>();

    /** A connection's writing of its queued messages. */
    interface Drain {
        /**
         * Writes and flushes the queued messages; or, if {@code mayWait} and they are few, writes
         * nothing and returns false, to be run again (with {@code mayWait} false) in the next pass.
         */
        boolean run(boolean mayWait);
    }

    private final EventExecutor loop;
    private final Queue<Drain> drains = PlatformDependent.newMpscQueue();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** Drains may wait only on a loop that runs tasks at the end of its iterations. */
    private final boolean mayWait;
    /** Drains that chose to wait, for the next pass; touched on the loop's thread only. */
    private ArrayList<Drain> waiting = new ArrayList<>();
    /** The list {@link #waiting} swaps with while its drains run. */
    private ArrayList<Drain> spare = new ArrayList<>();
    /** Queues {@link #runWaiting} for the next iteration: run at the end of this one, after all its tasks. */
    private final Runnable toNextPass;

    private PushFlusher(EventExecutor loop) {
        this.loop = loop;
        this.mayWait = loop instanceof SingleThreadEventLoop;
        Runnable runWaiting = this::runWaiting;
        this.toNextPass = () -> loop.execute(runWaiting);
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

    /** Runs {@code drain} on the loop soon. */
    void schedule(Drain drain) {
        drains.offer(drain);
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    @Override
    public void run() {
        scheduled.set(false); // a drain offered from now on schedules another pass
        boolean nextPassArmed = !waiting.isEmpty();
        Drain d;
        while ((d = drains.poll()) != null) {
            if (!d.run(mayWait)) {
                waiting.add(d);
            }
        }
        if (!nextPassArmed && !waiting.isEmpty()) {
            ((SingleThreadEventLoop) loop).executeAfterEventLoopIteration(toNextPass);
        }
    }

    private void runWaiting() {
        ArrayList<Drain> now = waiting;
        waiting = spare; // a drain that waits from here on arms the next pass again
        for (Drain d : now) {
            d.run(false);
        }
        now.clear();
        spare = now;
    }
}
