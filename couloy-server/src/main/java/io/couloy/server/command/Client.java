package io.couloy.server.command;

import io.couloy.engine.KeyWatch;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * One connection's state: selected database, protocol, name, authentication, the MULTI queue
 * and WATCHed keys. Used by one thread at a time (the connection's).
 */
public final class Client {
    private final long id;
    private final SocketAddress address;
    private final IntConsumer protocolSink;
    private final long createdMillis = System.currentTimeMillis();
    private int db;
    private int protocol = 2;
    private String name = "";
    private boolean authenticated;
    private List<List<byte[]>> multi; // null outside MULTI
    private boolean multiDirty;
    private final Map<Integer, KeyWatch> watches = new HashMap<>();
    private boolean closeAfterReply;
    private java.util.function.Consumer<io.couloy.server.resp.Reply> pushSink = r -> { };
    private final java.util.Set<io.couloy.server.pubsub.Name> channels = new java.util.LinkedHashSet<>();
    private final java.util.Set<io.couloy.server.pubsub.Name> patterns = new java.util.LinkedHashSet<>();
    private final java.util.Set<io.couloy.server.pubsub.Name> shardChannels = new java.util.LinkedHashSet<>();

    /** Its commands' Context while no new keys are tracked: immutable, so one serves them all. */
    private Context context;

    public Client(long id, SocketAddress address, boolean authenticated, IntConsumer protocolSink) {
        this.id = id;
        this.address = address;
        this.authenticated = authenticated;
        this.protocolSink = protocolSink;
    }

    public long id() {
        return id;
    }

    public SocketAddress address() {
        return address;
    }

    /** ip:port, as Redis writes client addresses. */
    public String addressText() {
        String s = String.valueOf(address);
        return s.startsWith("/") ? s.substring(1) : s;
    }

    private boolean scripting;
    private boolean repliesOff;
    private boolean skipThisReply;
    private boolean skipNextReply;

    /** CLIENT REPLY ON | OFF | SKIP. */
    public void replyMode(String mode) {
        switch (mode) {
            case "ON" -> {
                repliesOff = false;
                skipNextReply = false;
            }
            case "OFF" -> repliesOff = true;
            default -> skipNextReply = !repliesOff;
        }
    }

    /** Called once after each command: whether its reply is sent (CLIENT REPLY). */
    public boolean sendsReply() {
        boolean send = !repliesOff && !skipThisReply;
        skipThisReply = skipNextReply;
        skipNextReply = false;
        return send;
    }

    /** Whether the commands now running come from this client's script (MONITOR shows them as "lua"). */
    public boolean scripting() {
        return scripting;
    }

    /**
     * Marks the commands now running as this client's script's, and the protocol they answer in
     * (the script's redis.setresp; RESP2 until it calls it, whatever the connection speaks).
     */
    public void scripting(boolean on, int resp) {
        this.scripting = on;
        this.scriptProtocol = resp;
    }

    private int scriptProtocol = 2;

    public long createdMillis() {
        return createdMillis;
    }

    public int db() {
        return db;
    }

    public void db(int index) {
        this.db = index;
    }

    /** The protocol replies are shaped for: the connection's, or inside a script the script's. */
    public int protocol() {
        return scripting ? scriptProtocol : protocol;
    }

    public void protocol(int version) {
        this.protocol = version;
        protocolSink.accept(version);
    }

    public String name() {
        return name;
    }

    public void name(String n) {
        this.name = n;
    }

    public boolean authenticated() {
        return authenticated;
    }

    public void authenticated(boolean a) {
        this.authenticated = a;
    }

    public boolean inMulti() {
        return multi != null;
    }

    public void beginMulti() {
        multi = new ArrayList<>();
        multiDirty = false;
    }

    public List<List<byte[]>> queued() {
        return multi;
    }

    public void markMultiDirty() {
        multiDirty = true;
    }

    public boolean multiDirty() {
        return multiDirty;
    }

    /** Leaves MULTI and forgets WATCHed keys (EXEC, DISCARD, RESET). */
    public void endMulti() {
        multi = null;
        multiDirty = false;
        unwatch();
    }

    public Map<Integer, KeyWatch> watches() {
        return watches;
    }

    private volatile boolean watchesBroken;

    /** SWAPDB replaced database {@code index}: a transaction watching keys there must fail, as in Redis. */
    public void breakWatches(int index) {
        if (watches.containsKey(index)) {
            watchesBroken = true;
        }
    }

    /** Whether EXEC must fail: a watched key changed, expired, or its database was swapped. */
    public boolean watchedKeysChanged() {
        return watchesBroken || watches.values().stream().anyMatch(KeyWatch::changed);
    }

    public void unwatch() {
        watchesBroken = false;
        watches.values().forEach(KeyWatch::close);
        watches.clear();
    }

    public boolean closeAfterReply() {
        return closeAfterReply;
    }

    public void closeAfterReply(boolean c) {
        this.closeAfterReply = c;
    }

    /** Where messages published to this client go (its connection), from any thread. */
    public void pushSink(java.util.function.Consumer<io.couloy.server.resp.Reply> sink) {
        this.pushSink = sink;
    }

    public void push(io.couloy.server.resp.Reply message) {
        pushSink.accept(message);
    }

    /** Channels subscribed to. Guarded by the {@link io.couloy.server.pubsub.PubSub} registry's lock. */
    public java.util.Set<io.couloy.server.pubsub.Name> channels() {
        return channels;
    }

    /** Patterns subscribed to. Guarded as {@link #channels()}. */
    public java.util.Set<io.couloy.server.pubsub.Name> patterns() {
        return patterns;
    }

    /** Shard channels subscribed to (SSUBSCRIBE). Guarded as {@link #channels()}. */
    public java.util.Set<io.couloy.server.pubsub.Name> shardChannels() {
        return shardChannels;
    }

    /** Subscribed to anything: under RESP2 only subscription commands, PING, QUIT and RESET are allowed. */
    public boolean subscribed() {
        return !channels.isEmpty() || !patterns.isEmpty() || !shardChannels.isEmpty();
    }

    private volatile boolean nonBlocking;
    private java.util.function.Consumer<io.couloy.server.resp.Reply> unblock = r -> { };

    /**
     * Whether blocking commands must answer at once (inside EXEC or a script); then too, replies
     * are values for EXEC or the script, not written to the connection at once.
     */
    public boolean nonBlocking() {
        return nonBlocking;
    }

    public void nonBlocking(boolean b) {
        this.nonBlocking = b;
    }

    /** How a blocked command's late reply reaches the connection (which resumes reading after it). */
    public void unblockSink(java.util.function.Consumer<io.couloy.server.resp.Reply> sink) {
        this.unblock = sink;
    }

    public void unblock(io.couloy.server.resp.Reply reply) {
        unblock.accept(reply);
    }

    private Runnable whileBusy = () -> { };

    /**
     * What a script of this client's runs while it is busy (past busy-reply-threshold): its
     * connection's event loop serves the loop's other connections, since the script runs there.
     */
    public void whileBusySink(Runnable r) {
        this.whileBusy = r;
    }

    /** Called by this client's busy script, on its connection's event loop. */
    public void whileBusy() {
        whileBusy.run();
    }

    private volatile Runnable closer = () -> { };

    /** Closes this client's connection from any thread (CLIENT KILL). */
    public void closer(Runnable r) {
        this.closer = r;
    }

    public void kill() {
        closer.run();
    }

    /** The Context of a command of this client on {@code server} that tracks no new keys. */
    Context context(ServerContext server) {
        Context c = context;
        if (c == null || c.server() != server) {
            context = c = new Context(server, this);
        }
        return c;
    }
}
