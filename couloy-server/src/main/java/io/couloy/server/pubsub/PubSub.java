package io.couloy.server.pubsub;

import io.couloy.engine.GlobPattern;
import io.couloy.server.command.Client;
import io.couloy.server.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Channels and patterns with their subscribers. PUBLISH delivers to each subscriber's connection
 * (Netty queues the write on that connection's event loop), so a publisher never waits for a
 * subscriber; a subscriber too slow to drain its connection is disconnected by the connection
 * layer's output limit, not buffered without bound. One lock: subscription changes are rare
 * next to publishes, and a publish holds it only to collect the receivers.
 *
 * <p>Shard channels (SSUBSCRIBE / SPUBLISH) are a namespace of their own, as in Redis: on one
 * node they behave as channels, never reach SUBSCRIBE or pattern subscribers, and are counted
 * apart in subscription replies; a cluster will route them by slot.
 */
public final class PubSub {
    private static final Reply.Bulk MESSAGE = new Reply.Bulk("message".getBytes(StandardCharsets.US_ASCII));
    private static final Reply.Bulk PMESSAGE = new Reply.Bulk("pmessage".getBytes(StandardCharsets.US_ASCII));
    private static final Reply.Bulk SMESSAGE = new Reply.Bulk("smessage".getBytes(StandardCharsets.US_ASCII));

    private final Map<Name, Set<Client>> channels = new HashMap<>();
    private final Map<Name, Pattern> patterns = new HashMap<>();
    private final Map<Name, Set<Client>> shardChannels = new HashMap<>();

    private record Pattern(GlobPattern glob, Set<Client> clients) {}

    /** Subscribes; returns the client's subscription count after it. */
    public synchronized int subscribe(Client c, byte[] channel) {
        add(channels, c.channels(), c, channel);
        return count(c);
    }

    public synchronized int unsubscribe(Client c, byte[] channel) {
        remove(channels, c.channels(), c, channel);
        return count(c);
    }

    /** SSUBSCRIBE; returns the client's shard-channel count after it, as Redis does. */
    public synchronized int ssubscribe(Client c, byte[] channel) {
        add(shardChannels, c.shardChannels(), c, channel);
        return c.shardChannels().size();
    }

    public synchronized int sunsubscribe(Client c, byte[] channel) {
        remove(shardChannels, c.shardChannels(), c, channel);
        return c.shardChannels().size();
    }

    private static void add(Map<Name, Set<Client>> registry, Set<Name> own, Client c, byte[] channel) {
        Name n = new Name(channel);
        if (own.add(n)) {
            registry.computeIfAbsent(n, x -> new LinkedHashSet<>()).add(c);
        }
    }

    private static void remove(Map<Name, Set<Client>> registry, Set<Name> own, Client c, byte[] channel) {
        Name n = new Name(channel);
        if (own.remove(n)) {
            Set<Client> set = registry.get(n);
            set.remove(c);
            if (set.isEmpty()) {
                registry.remove(n);
            }
        }
    }

    public synchronized int psubscribe(Client c, byte[] pattern) {
        Name n = new Name(pattern);
        if (c.patterns().add(n)) {
            patterns.computeIfAbsent(n, x -> new Pattern(GlobPattern.compile(pattern), new LinkedHashSet<>())).clients().add(c);
        }
        return count(c);
    }

    public synchronized int punsubscribe(Client c, byte[] pattern) {
        Name n = new Name(pattern);
        if (c.patterns().remove(n)) {
            Pattern p = patterns.get(n);
            p.clients().remove(c);
            if (p.clients().isEmpty()) {
                patterns.remove(n);
            }
        }
        return count(c);
    }

    private static int count(Client c) {
        return c.channels().size() + c.patterns().size();
    }

    /** What a client is subscribed to, by kind. */
    public enum Kind { CHANNEL, PATTERN, SHARD }

    /** The client's subscriptions of one kind, for UNSUBSCRIBE without arguments. */
    public synchronized List<byte[]> subscriptions(Client c, Kind kind) {
        List<byte[]> out = new ArrayList<>();
        (switch (kind) {
            case CHANNEL -> c.channels();
            case PATTERN -> c.patterns();
            case SHARD -> c.shardChannels();
        }).forEach(n -> out.add(n.bytes()));
        return out;
    }

    /** Forgets a disconnected client. */
    public synchronized void drop(Client c) {
        for (Name n : List.copyOf(c.channels())) {
            unsubscribe(c, n.bytes());
        }
        for (Name n : List.copyOf(c.patterns())) {
            punsubscribe(c, n.bytes());
        }
        for (Name n : List.copyOf(c.shardChannels())) {
            sunsubscribe(c, n.bytes());
        }
    }

    /** PUBLISH: sends to every subscriber of the channel and of a matching pattern; returns how many. */
    public int publish(byte[] channel, byte[] message) {
        List<Client> direct;
        List<Map.Entry<Name, Client>> viaPattern = new ArrayList<>();
        synchronized (this) {
            Set<Client> set = channels.get(new Name(channel));
            direct = set == null ? List.of() : List.copyOf(set);
            for (Map.Entry<Name, Pattern> e : patterns.entrySet()) {
                if (e.getValue().glob().matches(channel)) {
                    for (Client c : e.getValue().clients()) {
                        viaPattern.add(Map.entry(e.getKey(), c));
                    }
                }
            }
        }
        Reply.Bulk ch = new Reply.Bulk(channel);
        Reply.Bulk msg = new Reply.Bulk(message);
        if (!direct.isEmpty()) {
            Reply m = Reply.Encoded.of(new Reply.Push(List.of(MESSAGE, ch, msg)));
            for (Client c : direct) {
                c.push(m);
            }
        }
        Map<Name, Reply> byPattern = new HashMap<>();
        for (Map.Entry<Name, Client> e : viaPattern) {
            e.getValue().push(byPattern.computeIfAbsent(e.getKey(),
                    p -> Reply.Encoded.of(new Reply.Push(List.of(PMESSAGE, new Reply.Bulk(p.bytes()), ch, msg)))));
        }
        return direct.size() + viaPattern.size();
    }

    /** SPUBLISH: sends to the shard channel's subscribers; returns how many. */
    public int spublish(byte[] channel, byte[] message) {
        List<Client> receivers;
        synchronized (this) {
            Set<Client> set = shardChannels.get(new Name(channel));
            receivers = set == null ? List.of() : List.copyOf(set);
        }
        Reply m = Reply.Encoded.of(new Reply.Push(List.of(SMESSAGE, new Reply.Bulk(channel), new Reply.Bulk(message))));
        receivers.forEach(c -> c.push(m));
        return receivers.size();
    }

    /** PUBSUB CHANNELS / SHARDCHANNELS: active channels matching {@code pattern} (null: all). */
    public synchronized List<byte[]> channels(GlobPattern pattern, boolean shard) {
        List<byte[]> out = new ArrayList<>();
        for (Name n : (shard ? shardChannels : channels).keySet()) {
            if (pattern == null || pattern.matches(n.bytes())) {
                out.add(n.bytes());
            }
        }
        return out;
    }

    public synchronized int subscribers(byte[] channel, boolean shard) {
        Set<Client> set = (shard ? shardChannels : channels).get(new Name(channel));
        return set == null ? 0 : set.size();
    }

    public synchronized int patternCount() {
        return patterns.size();
    }
}
