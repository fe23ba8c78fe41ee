package io.couloy.server.net;

import io.couloy.server.command.CommandTable;
import io.couloy.server.command.Dispatcher;
import io.couloy.server.command.ServerContext;
import io.couloy.server.commands.BlockingCommands;
import io.couloy.server.commands.ConnectionCommands;
import io.couloy.server.commands.HashCommands;
import io.couloy.server.commands.HyperLogLogCommands;
import io.couloy.server.commands.PubSubCommands;
import io.couloy.server.commands.ScriptCommands;
import io.couloy.server.commands.SetCommands;
import io.couloy.server.commands.SortCommands;
import io.couloy.server.commands.KeyCommands;
import io.couloy.server.commands.ListCommands;
import io.couloy.server.commands.ServerCommands;
import io.couloy.server.commands.StringCommands;
import io.couloy.server.commands.TransactionCommands;
import io.couloy.server.commands.ZSetCommands;
import io.couloy.server.config.ServerConfig;
import io.couloy.server.resp.ReplyEncoder;
import io.couloy.server.resp.RequestDecoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server: Netty event loops read, decode and encode; commands run on the connection's event
 * loop (each connection's commands in order), or, under {@code appendfsync always}, on a larger
 * ordered executor pool, so a command waiting for its fsync never stalls other connections and
 * many writers share one fsync. Atomicity comes from the engine (every command is one atomic
 * engine call or one commit group) and the server lock (EXEC runs alone).
 */
public final class CouloyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CouloyServer.class);

    private final ServerContext context;
    private final Dispatcher dispatcher;
    private final Transport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final EventExecutorGroup blocking;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Channel channel;
    private volatile boolean closed;

    public CouloyServer(ServerConfig config) {
        this(config, null);
    }

    /** @param configFile the file the settings came from, which CONFIG REWRITE updates; null if none */
    public CouloyServer(ServerConfig config, java.nio.file.Path configFile) {
        CommandTable table = new CommandTable();
        this.context = new ServerContext(config, table);
        this.transport = Transport.named(config.ioTransport());
        context.multiplexingApi(transport.apiName());
        this.boss = new MultiThreadIoEventLoopGroup(1, transport.ioHandlers());
        this.workers = new CommandLoops(config.ioThreads(), transport);
        context.configFile(configFile);
        this.dispatcher = new Dispatcher(context);
        ConnectionCommands.register(table);
        StringCommands.register(table);
        KeyCommands.register(table);
        ServerCommands.register(table);
        TransactionCommands.register(table, dispatcher);
        HashCommands.register(table);
        SetCommands.register(table);
        HyperLogLogCommands.register(table);
        ListCommands.register(table);
        ZSetCommands.register(table);
        PubSubCommands.register(table);
        BlockingCommands.register(table);
        SortCommands.register(table);
        ScriptCommands.register(table, dispatcher);
        io.couloy.server.commands.LatencyCommands.register(table);
        this.blocking = config.appendfsync().equals("always") ? new DefaultEventExecutorGroup(ServerContext.ALWAYS_POOL_THREADS) : null;
        context.shutdown(this::close);
    }

    /** Binds and starts serving; returns once listening. */
    public CouloyServer start() throws InterruptedException {
        ServerConfig config = context.config();
        long start = System.nanoTime();
        context.databases().get(0); // open (and recover) the first database before accepting clients
        int libraries = context.functions().loadInto(context.scripts());
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 511)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ReplyEncoder encoder = new ReplyEncoder();
                        var p = ch.pipeline();
                        if (context.config().timeout() > 0) {
                            p.addLast(new IdleStateHandler(0, 0, context.config().timeout()));
                        }
                        p.addLast(new RequestDecoder(() -> context.config().protoMaxBulkLen(),
                                () -> context.config().clientQueryBufferLimit()));
                        p.addLast(encoder);
                        if (blocking != null) {
                            p.addLast(blocking, new ConnectionHandler(dispatcher, encoder));
                        } else {
                            p.addLast(new ConnectionHandler(dispatcher, encoder));
                        }
                    }
                });
        channel = b.bind(new InetSocketAddress(config.bind(), config.port())).sync().channel();
        context.config(context.config().with("port", Integer.toString(port()))); // port 0 means "any": show the one taken
        LOG.info("CouloyDB server (Redis {} protocol) listening on {}:{} ({}), data in {}, appendfsync {}, {} keys in db0 "
                + "and {} function libraries loaded in {} ms", ServerContext.VERSION, config.bind(), port(),
                transport.apiName(),
                config.dir().toAbsolutePath(), config.appendfsync(), context.databases().get(0).stats().keyCount(), libraries,
                (System.nanoTime() - start) / 1_000_000);
        if (!io.netty.util.internal.PlatformDependent.hasUnsafe()) {
            LOG.info("Netty runs without sun.misc.Unsafe (slower request decoding); start the JVM with "
                    + "--sun-misc-unsafe-memory-access=allow, as bin/couloy-server does, to let it");
        }
        return this;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public ServerContext context() {
        return context;
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    /** Stops accepting, lets in-flight commands finish, syncs and closes the databases. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("shutting down");
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        }
        // Connections close once their in-flight command is done, so no command runs after a
        // running script is abandoned below (its database then takes no writes).
        context.clients().values().forEach(io.couloy.server.command.Client::kill);
        // A script still running would hold the server lock (and, inside EXEC, its event loop) for
        // ever: it is stopped, and its writes dropped, until the loops have ended.
        context.abandonRunningScript();
        var workersDone = workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        while (!workersDone.awaitUninterruptibly(100)) {
            context.abandonRunningScript();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        if (blocking != null) {
            blocking.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        context.waiters().close();
        context.exclusive().enterExclusive();
        try {
            context.databases().close();
            context.functions().close();
        } finally {
            context.exclusive().exitExclusive();
        }
        LOG.info("stopped");
        stopped.countDown();
    }
}
