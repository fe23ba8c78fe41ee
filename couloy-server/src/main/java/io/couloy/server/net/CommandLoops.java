package io.couloy.server.net;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import java.util.concurrent.Executor;

/**
 * The event loops that serve connections and run their commands, scripts included. Netty's own,
 * but able to run the tasks waiting on a loop from inside one of them: a busy script does so to
 * register the connections accepted meanwhile and to send what other threads handed the loop
 * (see {@link LoopConnections}).
 */
final class CommandLoops extends MultiThreadIoEventLoopGroup {
    CommandLoops(int threads, IoHandlerFactory io) {
        super(threads, new io.netty.util.concurrent.DefaultThreadFactory("couloy-io"), io);
    }

    @Override
    protected IoEventLoop newChild(Executor executor, IoHandlerFactory io, Object... args) {
        return new Loop(this, executor, io);
    }

    /** One loop of the group. */
    static final class Loop extends SingleThreadIoEventLoop {
        Loop(IoEventLoopGroup parent, Executor executor, IoHandlerFactory io) {
            super(parent, executor, io);
        }

        /** Runs the tasks waiting now; on this loop's thread only. */
        void runWaitingTasks() {
            runAllTasks();
        }
    }
}
