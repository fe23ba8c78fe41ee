package io.couloy.server.net;

import io.netty.channel.Channel;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The connections of one event loop, so that a script running on the loop can serve the others
 * once it is busy — Redis's processEventsWhileBlocked. Each is read at once (a read that finds
 * nothing costs one system call), its commands answered (BUSY, or what Redis lets through: SCRIPT
 * KILL, SHUTDOWN NOSAVE, ...), and the replies sent; the loop's waiting tasks run first, so
 * connections accepted meanwhile are served too. Used from its loop's thread only.
 */
final class LoopConnections {
    private static final FastThreadLocal<LoopConnections> ON_THIS_LOOP = new FastThreadLocal<>() {
        @Override
        protected LoopConnections initialValue() {
            return new LoopConnections();
        }
    };

    /** A set, not a list: a loop may hold thousands of connections, and each close removes one. */
    private final Set<Channel> open = new LinkedHashSet<>();

    /** The connections of the loop whose thread calls. */
    static LoopConnections onThisLoop() {
        return ON_THIS_LOOP.get();
    }

    void add(Channel channel) {
        open.add(channel);
    }

    void remove(Channel channel) {
        open.remove(channel);
    }

    /**
     * Reads what every connection but {@code running} (the script's own, whose input waits, as in
     * Redis) has sent, then sends the replies with {@code replies}.
     */
    void serveAllBut(Channel running, ReplyFlusher replies) {
        if (!running.eventLoop().inEventLoop()) {
            // Under appendfsync always commands run on a pool thread, not the loop: the loop is
            // free and serves its connections; only those sharing this pool thread wait.
            return;
        }
        if (!(running.eventLoop() instanceof CommandLoops.Loop loop)) {
            return; // not one of the server's loops: a test's embedded channel
        }
        loop.runWaitingTasks(); // connections accepted meanwhile register here, among others
        // A copy: a read may close its connection, which leaves the list meanwhile.
        for (Channel ch : open.toArray(new Channel[0])) {
            if (ch != running && ch.isActive() && ch.config().isAutoRead()) {
                loop.transport().readNow(ch);
            }
        }
        replies.run();
    }
}
