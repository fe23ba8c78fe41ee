package io.couloy.server.net;

import io.netty.channel.Channel;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.AbstractNioChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * How the event loops reach the sockets: Linux's epoll through Netty's native transport where it
 * loads, Java's NIO selector everywhere else. The native transport spends less CPU per read and
 * write (no selected-key set, no NIO buffers between Netty and the kernel); both serve the same
 * pipeline. {@link #readNow} is the one thing {@link LoopConnections} needs beyond Netty's public
 * channel API: reading a connection from inside a busy script, outside the loop's own dispatch.
 */
enum Transport {
    NIO {
        @Override
        IoHandlerFactory ioHandlers() {
            return NioIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> serverChannel() {
            return NioServerSocketChannel.class;
        }

        @Override
        void readNow(Channel channel) {
            if (channel.unsafe() instanceof AbstractNioChannel.NioUnsafe u) {
                u.read();
            }
        }
    },
    EPOLL {
        @Override
        IoHandlerFactory ioHandlers() {
            return EpollIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> serverChannel() {
            return EpollServerSocketChannel.class;
        }

        @Override
        void readNow(Channel channel) {
            // The event the loop would dispatch for a readable socket; the unsafe reads until the
            // socket has nothing more (edge-triggered epoll: a later, stale event finds nothing).
            if (channel.unsafe() instanceof IoHandle handle) { // the epoll channel's unsafe, a package-private class
                handle.handle(null, READABLE);
            }
        }
    };

    /** An "input ready" event; the epoll unsafe reads only the ops of the events it handles. */
    private static final EpollIoEvent READABLE = () -> EpollIoOps.EPOLLIN;

    /**
     * The transport an {@code io-transport} setting names: {@code epoll} or {@code nio}, or
     * {@code auto} for epoll where its native library loads (Linux on x86-64) and NIO elsewhere.
     * {@code epoll} where it cannot load is an error, not a silent fallback.
     */
    static Transport named(String setting) {
        return switch (setting) {
            case "nio" -> NIO;
            case "epoll" -> {
                Epoll.ensureAvailability();
                yield EPOLL;
            }
            default -> Epoll.isAvailable() ? EPOLL : NIO;
        };
    }

    /** Makes the event loops' I/O handlers. */
    abstract IoHandlerFactory ioHandlers();

    /** The listening socket's channel type. */
    abstract Class<? extends ServerChannel> serverChannel();

    /** Reads what {@code channel} has been sent, now; on its event loop's thread only. */
    abstract void readNow(Channel channel);
}
