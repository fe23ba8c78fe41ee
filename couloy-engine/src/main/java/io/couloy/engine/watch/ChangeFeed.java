package io.couloy.engine.watch;

import io.couloy.engine.KeyEvent;
import io.couloy.engine.Subscription;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers key change events to subscribers of a key prefix (an empty prefix: every key).
 * Writers publish under the engine's write lock, so each subscriber's queue is in commit order;
 * each subscriber drains its bounded queue on a virtual thread of its own, so a slow listener
 * delays nobody else and never blocks a writer. Costs a writer one volatile read while nobody
 * subscribes.
 */
public final class ChangeFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
    private static final KeyEvent STOP = new KeyEvent(new byte[0], KeyEvent.Kind.SET);

    private final CopyOnWriteArrayList<Sub> subs = new CopyOnWriteArrayList<>();

    private final class Sub implements Subscription {
        final byte[] prefix;
        final KeyEvent.Filter filter;
        final ArrayBlockingQueue<KeyEvent> queue;
        final AtomicLong dropped = new AtomicLong();
        final Thread thread;
        volatile boolean closed;

        Sub(byte[] prefix, KeyEvent.Filter filter, int capacity, Consumer<KeyEvent> listener) {
            this.prefix = prefix;
            this.filter = filter;
            this.queue = new ArrayBlockingQueue<>(capacity + 1);
            this.thread = Thread.ofVirtual().name("couloy-subscriber").start(() -> deliver(listener));
        }

        private void deliver(Consumer<KeyEvent> listener) {
            while (true) {
                KeyEvent e;
                try {
                    e = queue.take();
                } catch (InterruptedException interrupted) {
                    return;
                }
                if (e == STOP) {
                    return;
                }
                try {
                    listener.accept(e);
                } catch (RuntimeException failure) {
                    LOG.warn("key event listener failed; it keeps receiving events", failure);
                }
            }
        }

        boolean matches(byte[] key) {
            return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
        }

        void offer(KeyEvent e) {
            // One slot stays free for STOP, so closing never blocks.
            if (queue.remainingCapacity() <= 1 || !queue.offer(e)) {
                dropped.incrementAndGet();
            }
        }

        @Override
        public long dropped() {
            return dropped.get();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                subs.remove(this);
                queue.offer(STOP);
            }
        }
    }

    /** Registers {@code listener} for the events {@code filter} wants of keys starting with {@code prefix}. */
    public Subscription subscribe(byte[] prefix, KeyEvent.Filter filter, int queueCapacity, Consumer<KeyEvent> listener) {
        Sub s = new Sub(prefix.clone(), filter, queueCapacity, listener);
        subs.add(s);
        return s;
    }

    /** Queues an event for every matching subscriber. Call under the write lock, after the change is visible. */
    public void publish(byte[] key, KeyEvent.Kind kind) {
        if (subs.isEmpty()) {
            return;
        }
        KeyEvent event = null;
        for (Sub s : subs) {
            if (s.matches(key) && s.filter.wants(key, kind)) {
                if (event == null) {
                    event = new KeyEvent(key.clone(), kind);
                }
                s.offer(event);
            }
        }
    }

    @Override
    public void close() {
        for (Sub s : subs) {
            s.close();
        }
    }
}
