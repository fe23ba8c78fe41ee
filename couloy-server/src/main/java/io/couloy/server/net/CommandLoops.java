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
    CommandLoops(int threads, Transport transport) {
        super(threads, new io.netty.util.concurrent.DefaultThreadFactory("couloy-io"), transport.ioHandlers(), transport);
    }

    @Override
    protected IoEventLoop newChild(Executor executor, IoHandlerFactory io, Object... args) {
        return new Loop(this, executor, io, (Transport) args[0]);
    }

    /** One loop of the group. */
    static final class Loop extends SingleThreadIoEventLoop {
        private final Transport transport;

        Loop(IoEventLoopGroup parent, Executor executor, IoHandlerFactory io, Transport transport) {
            super(parent, executor, io);
            this.transport = transport;
        }

        /** How this loop reaches its sockets. */
        Transport transport() {
            return transport;
        }

        /** Runs the tasks waiting now; on this loop's thread only. */
        void runWaitingTasks() {
            runAllTasks();
        }
    }
}
