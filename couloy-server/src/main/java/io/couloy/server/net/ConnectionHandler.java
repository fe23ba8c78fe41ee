package io.couloy.server.net;

import io.couloy.server.command.Client;
import io.couloy.server.command.Dispatcher;
import io.couloy.server.resp.Reply;
import io.couloy.server.resp.ReplyEncoder;
import io.couloy.server.resp.RequestDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection: hands each decoded command to the {@link Dispatcher} and writes the reply,
 * flushing once per read batch (so pipelined replies go out together, in request order). A
 * protocol error is answered and the connection closed; nothing a client sends can take the
 * server down.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter implements ReplyFlusher.Sender {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);

    /** Bytes queued for a connection that does not read before it is closed (pub/sub messages). */
    private static final long OUTPUT_LIMIT = 32L * 1024 * 1024;

    private final Dispatcher dispatcher;
    private final ReplyEncoder encoder;
    private Client client;
    private ChannelHandlerContext ctx;
    /** Sends the replies of a read at the end of the loop's pass, with the other connections'. */
    private ReplyFlusher replyFlusher;
    /** This connection waits in {@link #replyFlusher} for its replies to go out. */
    private boolean sendQueued;
    private boolean closing;
    /** A blocking command waits for its reply: later commands queue in {@link #pending}, in order. */
    private boolean blocked;
    private final java.util.ArrayDeque<Object> pending = new java.util.ArrayDeque<>();
    /**
     * Pub/sub messages from publishers on other threads. They are written by one drain on this
     * connection's event loop ({@link PushFlusher}) with one flush for all that queued meanwhile: a
     * task, a write and a flush per message made PUBLISH fan-out several times slower.
     */
    private final java.util.Queue<Reply> pushes = io.netty.util.internal.PlatformDependent.newMpscQueue(PUSH_CHUNK, 1 << 30);
    /**
     * Messages per piece of {@link #pushes}: Netty's default piece, 1024 references (4 KiB), was
     * allocated for every connection, subscriber or not; a backlog grows by pieces, bounded by
     * {@link #OUTPUT_LIMIT} in bytes, not by this queue.
     */
    private static final int PUSH_CHUNK = 32;
    private final java.util.concurrent.atomic.AtomicBoolean drainScheduled = new java.util.concurrent.atomic.AtomicBoolean();

    ConnectionHandler(Dispatcher dispatcher, ReplyEncoder encoder) {
        this.dispatcher = dispatcher;
        this.encoder = encoder;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        var server = dispatcher.server();
        client = new Client(server.newClientId(), ctx.channel().remoteAddress(), server.config().requirepass() == null,
                encoder::protocol);
        if (server.clients().size() >= server.config().maxclients()) {
            closing = true;
            ctx.writeAndFlush(Reply.error("ERR max number of clients reached")).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        server.clients().put(client.id(), client);
        this.ctx = ctx;
        replyFlusher = ReplyFlusher.of(ctx.executor(), server.databases());
        PushFlusher flusher = PushFlusher.of(ctx.executor());
        client.unblockSink(reply -> ctx.executor().execute(() -> resume(ctx, reply)));
        client.closer(() -> ctx.channel().close());
        LoopConnections connections = LoopConnections.onThisLoop();
        connections.add(ctx.channel());
        client.whileBusySink(() -> connections.serveAllBut(ctx.channel(), replyFlusher));
        var channel = ctx.channel();
        PushFlusher.Drain drain = mayWait -> drainPushes(ctx, mayWait);
        client.pushSink(message -> {
            // A subscriber that stops reading is cut off at the output limit, as Redis's
            // client-output-buffer-limit pubsub does, instead of queueing without bound. The
            // limit counts what waits in the queue as well as what the channel holds: fifty slow
            // subscribers of 1 KB messages once filled 2 GB of direct memory between two checks.
            long waiting = pushedBytes.addAndGet(size(message));
            var outbound = channel.unsafe().outboundBuffer();
            if (!channel.isActive() || waiting + (outbound == null ? 0 : outbound.totalPendingWriteBytes()) > OUTPUT_LIMIT) {
                pushedBytes.addAndGet(-size(message));
                channel.close();
                return;
            }
            pushes.offer(message);
            if (drainScheduled.compareAndSet(false, true)) {
                flusher.schedule(drain);
            }
        });
        ctx.fireChannelActive();
    }

    /**
     * Writes and flushes the queued messages — unless {@code mayWait} and they come to less than
     * {@value #WAIT_BELOW} bytes: then they wait for the next pass of the loop ({@link PushFlusher}).
     */
    private boolean drainPushes(ChannelHandlerContext ctx, boolean mayWait) {
        if (mayWait && pushedBytes.get() < WAIT_BELOW && !closing) {
            return false; // drainScheduled stays set: the flusher runs this again next pass
        }
        drainScheduled.set(false); // a message offered from now on schedules another drain
        if (pushesToChannel(ctx)) {
            ctx.flush();
        }
        return true;
    }

    /** Messages under this many bytes may wait a loop pass to go out with the next pass's. */
    private static final int WAIT_BELOW = 64 * 1024;

    /**
     * Hands the queued messages to the channel, unflushed, after the replies buffered before them,
     * in buffers of up to {@value #PUSH_BUFFER} bytes: few allocations and outbound entries, not
     * one per message, and no buffer sized to a whole backlog. False if there were none to write.
     */
    private boolean pushesToChannel(ChannelHandlerContext ctx) {
        Reply m = pushes.poll();
        if (m == null) {
            return false;
        }
        if (closing || !ctx.channel().isActive()) {
            do {
                pushedBytes.addAndGet(-size(m));
            } while ((m = pushes.poll()) != null);
            return false;
        }
        repliesToChannel(ctx); // replies written before these messages go out before them
        boolean resp3 = encoder.protocol() == 3;
        io.netty.buffer.ByteBuf out = null;
        try {
            do {
                pushedBytes.addAndGet(-size(m));
                if (out == null) {
                    out = ctx.alloc().ioBuffer(PUSH_BUFFER);
                }
                ReplyEncoder.write(m, out, resp3);
                if (out.readableBytes() >= PUSH_BUFFER) {
                    ctx.write(out, ctx.voidPromise());
                    out = null;
                }
            } while ((m = pushes.poll()) != null);
        } catch (OutOfMemoryError e) { // Netty's OutOfDirectMemoryError too: this subscriber goes, the server stays
            LOG.warn("closing subscriber {}: no memory for its messages", ctx.channel().remoteAddress());
            if (out != null) {
                out.release();
            }
            pushes.clear();
            pushedBytes.set(0);
            closing = true;
            ctx.close();
            return false;
        }
        if (out != null) {
            ctx.write(out, ctx.voidPromise());
        }
        return true;
    }

    private static final int PUSH_BUFFER = 64 * 1024;
    /** Bytes of the messages in {@link #pushes}, counted against {@link #OUTPUT_LIMIT}. */
    private final java.util.concurrent.atomic.AtomicLong pushedBytes = new java.util.concurrent.atomic.AtomicLong();

    /** What a pushed message takes in the queue (pre-encoded messages: their bytes; others, a guess). */
    private long size(Reply message) {
        return message instanceof Reply.Encoded e ? (encoder.protocol() == 3 ? e.resp3().length : e.resp2().length) : 64;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (replies != null) {
            replies.release();
            replies = null;
        }
        if (client != null) {
            LoopConnections.onThisLoop().remove(ctx.channel());
            dispatcher.server().clients().remove(client.id());
            dispatcher.server().pubsub().drop(client);
            dispatcher.server().monitors().remove(client);
            dispatcher.server().waiters().cancel(client.id());
            client.endMulti();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            return;
        }
        if (blocked || !pending.isEmpty()) {
            queue(ctx, msg);
        } else {
            process(ctx, msg);
        }
    }

    /**
     * Commands a connection may queue while it waits for a blocking command's late reply before
     * it stops reading. Not stopping at once saves two epoll_ctl calls per wait; the bound keeps
     * a client that pipelines without end from filling the heap.
     */
    private static final int MAX_PENDING = 1024;

    private void queue(ChannelHandlerContext ctx, Object msg) {
        pending.add(msg);
        if (pending.size() >= MAX_PENDING) {
            ctx.channel().config().setAutoRead(false); // read again once the queue is worked off
        }
    }

    /** The late reply of a blocking command: write it, then run what queued meanwhile, then read again. */
    private void resume(ChannelHandlerContext ctx, Reply reply) {
        if (closing || !ctx.channel().isActive()) {
            return;
        }
        blocked = false;
        if (client.sendsReply()) {
            reply(ctx, reply);
        }
        drainPending(ctx);
    }

    /** Runs queued commands until one must wait again; flushes; reads again if reading had stopped. */
    private void drainPending(ChannelHandlerContext ctx) {
        while (!blocked && !closing && !pending.isEmpty()) {
            process(ctx, pending.poll());
        }
        sendSoon(ctx);
        if (!closing && pending.size() < MAX_PENDING && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @SuppressWarnings("unchecked")
    private void process(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof RequestDecoder.ProtocolError e) {
            closing = true;
            repliesToChannel(ctx);
            ctx.writeAndFlush(Reply.error(e.text())).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        Reply reply = dispatcher.dispatch(client, (List<byte[]>) msg);
        if (reply instanceof Reply.Deferred) {
            blocked = true;
            sendSoon(ctx);
            return;
        }
        if (!client.sendsReply()) {
            Reply.release(reply);
            reply = Reply.NONE;
        }
        if (client.closeAfterReply()) {
            closing = true;
            repliesToChannel(ctx);
            if (reply == null) {
                ctx.flush();
                ctx.close();
            } else {
                ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
            }
        } else {
            reply(ctx, reply);
        }
    }

    /**
     * Replies not yet handed to the channel, encoded one after another into one buffer: a
     * pipelined batch then leaves in one write of one buffer, not a gathering write of a buffer
     * per reply (that writev was the largest cost of pipelined SET and GET).
     */
    private ByteBuf replies;
    /** A pre-encoded reply this large goes to the channel as it is; below it, copying it on costs less than a buffer more in the write. */
    private static final int HAND_OFF = 16 * 1024;
    /** Past this, the buffer goes to the channel and a new one starts, so large replies are not held. */
    private static final int REPLY_BUFFER_LIMIT = 64 * 1024;

    private void reply(ChannelHandlerContext ctx, Reply reply) {
        if (!pushes.isEmpty()) {
            // Messages published before this reply was made go out before it, as they would from
            // Redis's one output buffer: they may be waiting for the next loop pass.
            pushesToChannel(ctx);
        }
        if (replies == null) {
            replies = ctx.alloc().ioBuffer(256);
        }
        if (reply instanceof Reply.EncodedBulks b && b.items().readableBytes() >= HAND_OFF) {
            // Its bytes are ready in a buffer of their own: they follow the header as they are,
            // a second buffer of the same write, rather than copied again.
            ReplyEncoder.arrayHeader(replies, b.count());
            repliesToChannel(ctx);
            if (closing) { // the writes before it could not be saved: nothing more is sent
                b.items().release();
            } else {
                ctx.write(b.items(), ctx.voidPromise());
            }
            return;
        }
        ReplyEncoder.write(reply, replies, encoder.protocol() == 3);
        if (replies.readableBytes() >= REPLY_BUFFER_LIMIT) {
            repliesToChannel(ctx);
        }
    }

    /**
     * Hands the buffered replies to the channel (not yet flushed), ahead of whatever is written
     * next — after the writes they acknowledge are in the data files: the engines defer writes
     * ({@link io.couloy.engine.Options#deferredWrites()}) so a batch's records go out in one
     * system call. If that fails (a full disk), none of these replies is sent: the connection is
     * closed, as nothing in them can be promised.
     */
    private void repliesToChannel(ChannelHandlerContext ctx) {
        if (replies != null) {
            try {
                dispatcher.server().databases().flushWrites();
            } catch (RuntimeException e) { // as ReplyFlusher: whatever failed, nothing here was saved
                failReplies(e);
                return;
            }
            ctx.write(replies, ctx.voidPromise());
            replies = null;
        }
    }

    @Override
    public void sendReplies() {
        sendQueued = false;
        if (replies != null) { // the flusher saved the writes these acknowledge
            ctx.write(replies, ctx.voidPromise());
            replies = null;
        }
        ctx.flush();
    }

    @Override
    public void failReplies(RuntimeException cause) {
        sendQueued = false;
        if (replies == null) {
            return; // nothing of this connection's was waiting
        }
        LOG.error("writes could not be saved; closing {} without its replies", ctx.channel().remoteAddress(), cause);
        replies.release();
        replies = null;
        closing = true;
        ctx.close();
    }

    private void flushReplies(ChannelHandlerContext ctx) {
        repliesToChannel(ctx);
        ctx.flush();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        sendSoon(ctx);
    }

    /**
     * Sends the buffered replies at the end of this loop pass, with the other connections' after
     * one engine flush for them all (replies that come later in the pass, from a woken blocking
     * command, join them).
     */
    private void sendSoon(ChannelHandlerContext ctx) {
        if (replies == null || replyFlusher == null) {
            flushReplies(ctx);
        } else if (!sendQueued) {
            sendQueued = true;
            replyFlusher.add(this);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close(); // the idle timeout, as Redis's "timeout" setting
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection {} closed after an error", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
