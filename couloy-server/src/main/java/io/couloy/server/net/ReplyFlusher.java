package io.couloy.server.net;

import io.couloy.server.command.Databases;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.List;

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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReplyFlusher.class);
    /** One per loop thread (a map by loop held its loops for ever: each value referenced its key). */
    private static final FastThreadLocal<ReplyFlusher> ON_THIS_LOOP = new FastThreadLocal<>();

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

    /** The flusher of {@code loop}; called on that loop's thread. */
    static ReplyFlusher of(EventExecutor loop, Databases databases) {
        ReplyFlusher f = ON_THIS_LOOP.get();
        if (f == null || f.loop != loop) {
            f = new ReplyFlusher(loop, databases);
            ON_THIS_LOOP.set(f);
        }
        return f;
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
        } catch (RuntimeException e) { // a full disk, or anything else: nothing waiting was saved
            failure = e;
        }
        for (Sender s : senders) {
            // Every sender is told, whatever another one throws: one left out would wait for ever.
            try {
                if (failure == null) {
                    s.sendReplies();
                } else {
                    s.failReplies(failure);
                }
            } catch (RuntimeException e) {
                LOG.error("sending replies failed", e);
            }
        }
        senders.clear();
        spare = senders;
    }
}
