package io.couloy.server.net;

import io.couloy.server.command.Databases;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Sends the replies of every connection one event loop read from in one pass, once the loop has
 * handled all its ready sockets: the writes those replies acknowledge reach the data files in one
 * {@code pwrite} for the pass, not one per connection — Redis's beforeSleep, which writes its AOF
 * buffer once per event loop iteration and then the clients' replies. Unpipelined clients made a
 * {@code pwrite} of one record per request (about 5% of the loop's time at 50 clients).
 *
 * <p>Used from its loop's thread only: a pass is a task on the loop, and Netty runs tasks after
 * the ready sockets of the same iteration.
 */
final class ReplyFlusher implements Runnable {
    private static final Map<EventExecutor, ReplyFlusher> BY_LOOP = Collections.synchronizedMap(new WeakHashMap<>());

    /** A connection with replies to send. */
    interface Sender {
        /** Hands its buffered replies to the channel and flushes; the writes they acknowledge are saved. */
        void sendReplies();

        /** The writes could not be saved: drops its replies and closes. */
        void failReplies(RuntimeException cause);
    }

    private final EventExecutor loop;
    private final Databases databases;
    private List<Sender> waiting = new ArrayList<>();
    private List<Sender> spare = new ArrayList<>();

    private ReplyFlusher(EventExecutor loop, Databases databases) {
        this.loop = loop;
        this.databases = databases;
    }

    static ReplyFlusher of(EventExecutor loop, Databases databases) {
        return BY_LOOP.computeIfAbsent(loop, l -> new ReplyFlusher(l, databases));
    }

    /** Sends {@code sender}'s replies at the end of this loop pass (once, however often it is added). */
    void add(Sender sender) {
        if (waiting.isEmpty()) {
            loop.execute(this);
        }
        waiting.add(sender);
    }

    @Override
    public void run() {
        List<Sender> senders = waiting;
        waiting = spare; // a sender added while these are sent waits for the next pass
        RuntimeException failure = null;
        try {
            databases.flushWrites();
        } catch (io.couloy.engine.CouloyException e) {
            failure = e;
        }
        for (Sender s : senders) {
            if (failure == null) {
                s.sendReplies();
            } else {
                s.failReplies(failure);
            }
        }
        senders.clear();
        spare = senders;
    }
}
