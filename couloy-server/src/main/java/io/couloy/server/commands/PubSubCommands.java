package io.couloy.server.commands;

import static io.couloy.server.command.CommandSpec.of;

import io.couloy.engine.GlobPattern;
import io.couloy.server.command.Args;
import io.couloy.server.command.CommandError;
import io.couloy.server.command.CommandTable;
import io.couloy.server.command.Context;
import io.couloy.server.command.Flag;
import io.couloy.server.pubsub.PubSub;
import io.couloy.server.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE, PUBLISH, SPUBLISH, PUBSUB. */
public final class PubSubCommands {
    private PubSubCommands() {}

    public static void register(CommandTable t) {
        t.add(of("subscribe", -2, "pubsub", (c, a) -> change(c, a, "subscribe", PubSub.Kind.CHANNEL, true)).flags(Flag.NOSCRIPT)
                .doc("Listens for messages published to channels.", "2.0.0", "O(N)"));
        t.add(of("unsubscribe", -1, "pubsub", (c, a) -> change(c, a, "unsubscribe", PubSub.Kind.CHANNEL, false)).flags(Flag.NOSCRIPT)
                .doc("Stops listening to messages posted to channels.", "2.0.0", "O(N)"));
        t.add(of("psubscribe", -2, "pubsub", (c, a) -> change(c, a, "psubscribe", PubSub.Kind.PATTERN, true)).flags(Flag.NOSCRIPT)
                .doc("Listens for messages published to channels that match one or more patterns.", "2.0.0", "O(N)"));
        t.add(of("punsubscribe", -1, "pubsub", (c, a) -> change(c, a, "punsubscribe", PubSub.Kind.PATTERN, false))
                .flags(Flag.NOSCRIPT)
                .doc("Stops listening to messages published to channels that match one or more patterns.", "2.0.0", "O(N+M)"));
        t.add(of("ssubscribe", -2, "pubsub", (c, a) -> change(c, a, "ssubscribe", PubSub.Kind.SHARD, true)).flags(Flag.NOSCRIPT)
                .keys(1, -1, 1).doc("Listens for messages published to shard channels.", "7.0.0", "O(N)"));
        t.add(of("sunsubscribe", -1, "pubsub", (c, a) -> change(c, a, "sunsubscribe", PubSub.Kind.SHARD, false))
                .flags(Flag.NOSCRIPT).keys(1, -1, 1).doc("Stops listening to messages posted to shard channels.", "7.0.0", "O(N)"));
        t.add(of("spublish", 3, "pubsub", (c, a) -> Reply.integer(c.server().pubsub().spublish(a.get(1), a.get(2))))
                .flags(Flag.FAST).keys(1, 1, 1).doc("Post a message to a shard channel", "7.0.0", "O(N)"));
        t.add(of("publish", 3, "pubsub", (c, a) -> Reply.integer(c.server().pubsub().publish(a.get(1), a.get(2))))
                .flags(Flag.FAST).doc("Posts a message to a channel.", "2.0.0", "O(N+M)"));
        t.add(of("pubsub", -2, "pubsub", PubSubCommands::pubsub)
                .doc("A container for Pub/Sub commands.", "2.8.0", "Depends on subcommand."));
    }

    private static Reply bulk(String s) {
        return new Reply.Bulk(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static Reply change(Context c, List<byte[]> a, String command, PubSub.Kind kind, boolean subscribe) {
        PubSub ps = c.server().pubsub();
        List<byte[]> names = a.size() > 1 ? a.subList(1, a.size()) : ps.subscriptions(c.client(), kind);
        List<Reply> replies = new ArrayList<>();
        if (names.isEmpty()) {
            // UNSUBSCRIBE with nothing subscribed still answers once, with the count of the other kinds
            // that share its counter (channels and patterns count together; shard channels alone).
            int others = switch (kind) {
                case CHANNEL -> ps.subscriptions(c.client(), PubSub.Kind.PATTERN).size();
                case PATTERN -> ps.subscriptions(c.client(), PubSub.Kind.CHANNEL).size();
                case SHARD -> 0;
            };
            replies.add(new Reply.Push(List.of(bulk(command), Reply.NIL, Reply.integer(others))));
        }
        for (byte[] n : names) {
            int count = switch (kind) {
                case CHANNEL -> subscribe ? ps.subscribe(c.client(), n) : ps.unsubscribe(c.client(), n);
                case PATTERN -> subscribe ? ps.psubscribe(c.client(), n) : ps.punsubscribe(c.client(), n);
                case SHARD -> subscribe ? ps.ssubscribe(c.client(), n) : ps.sunsubscribe(c.client(), n);
            };
            replies.add(new Reply.Push(List.of(bulk(command), new Reply.Bulk(n), Reply.integer(count))));
        }
        return new Reply.Many(replies);
    }

    private static Reply pubsub(Context c, List<byte[]> a) {
        PubSub ps = c.server().pubsub();
        String sub = Args.upper(a.get(1));
        return switch (sub) {
            case "CHANNELS", "SHARDCHANNELS" -> {
                if (a.size() > 3) {
                    throw new CommandError("ERR wrong number of arguments for 'pubsub|" + sub.toLowerCase(java.util.Locale.ROOT)
                            + "' command");
                }
                List<Reply> out = new ArrayList<>();
                ps.channels(a.size() == 3 ? GlobPattern.compile(a.get(2)) : null, sub.equals("SHARDCHANNELS"))
                        .forEach(n -> out.add(new Reply.Bulk(n)));
                yield new Reply.Array(out);
            }
            case "NUMSUB", "SHARDNUMSUB" -> {
                List<Reply> out = new ArrayList<>();
                for (byte[] ch : a.subList(2, a.size())) {
                    out.add(new Reply.Bulk(ch));
                    out.add(Reply.integer(ps.subscribers(ch, sub.equals("SHARDNUMSUB"))));
                }
                yield new Reply.Map(out);
            }
            case "NUMPAT" -> Reply.integer(ps.patternCount());
            default -> throw new CommandError("ERR unknown subcommand '" + Args.text(a.get(1)) + "'. Try PUBSUB HELP.");
        };
    }
}
