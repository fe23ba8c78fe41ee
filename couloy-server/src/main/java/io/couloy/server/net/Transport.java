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
import java.util.Locale;
import java.util.function.Supplier;

/**
 * How the event loops reach the sockets: Linux's epoll through Netty's native transport where it
 * loads, Java's NIO selector everywhere else. The native transport spends less CPU per read and
 * write (no selected-key set, no NIO buffers between Netty and the kernel); both serve the same
 * pipeline. {@link #readNow} is the one thing {@link LoopConnections} needs beyond Netty's public
 * channel API: reading a connection from inside a busy script, outside the loop's own dispatch.
 */
enum Transport {
    NIO(NioIoHandler::newFactory, NioServerSocketChannel.class) {
        @Override
        void readNow(Channel channel) {
            if (channel.unsafe() instanceof AbstractNioChannel.NioUnsafe u) {
                u.read();
            }
        }
    },
    EPOLL(EpollIoHandler::newFactory, EpollServerSocketChannel.class) {
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

    private final Supplier<IoHandlerFactory> ioHandlers;
    private final Class<? extends ServerChannel> serverChannel;

    Transport(Supplier<IoHandlerFactory> ioHandlers, Class<? extends ServerChannel> serverChannel) {
        this.ioHandlers = ioHandlers;
        this.serverChannel = serverChannel;
    }

    /**
     * The transport an {@code io-transport} setting names: {@code epoll} or {@code nio}, or
     * {@code auto} for epoll where its native library loads (Linux on x86-64) and NIO elsewhere.
     * {@code epoll} where it cannot load is an error naming why, not a silent fallback.
     */
    static Transport named(String setting) {
        return switch (setting) {
            case "nio" -> NIO;
            case "epoll" -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("io-transport epoll: Netty's native epoll transport does not load here ("
                            + Epoll.unavailabilityCause() + "); use auto or nio");
                }
                yield EPOLL;
            }
            default -> Epoll.isAvailable() ? EPOLL : NIO;
        };
    }

    /** As INFO's multiplexing_api and the start-up log name it: epoll or nio. */
    String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Makes the event loops' I/O handlers. */
    IoHandlerFactory ioHandlers() {
        return ioHandlers.get();
    }

    /** The listening socket's channel type. */
    Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    /** Reads what {@code channel} has been sent, now; on its event loop's thread only. */
    abstract void readNow(Channel channel);
}
