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

/** SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, PUBSUB. */
public final class PubSubCommands {
    private PubSubCommands() {}

    public static void register(CommandTable t) {
        t.add(of("subscribe", -2, "pubsub", (c, a) -> change(c, a, "subscribe", false, true)).flags(Flag.NOSCRIPT)
                .doc("Listens for messages published to channels.", "2.0.0", "O(N)"));
        t.add(of("unsubscribe", -1, "pubsub", (c, a) -> change(c, a, "unsubscribe", false, false)).flags(Flag.NOSCRIPT)
                .doc("Stops listening to messages posted to channels.", "2.0.0", "O(N)"));
        t.add(of("psubscribe", -2, "pubsub", (c, a) -> change(c, a, "psubscribe", true, true)).flags(Flag.NOSCRIPT)
                .doc("Listens for messages published to channels that match one or more patterns.", "2.0.0", "O(N)"));
        t.add(of("punsubscribe", -1, "pubsub", (c, a) -> change(c, a, "punsubscribe", true, false)).flags(Flag.NOSCRIPT)
                .doc("Stops listening to messages published to channels that match one or more patterns.", "2.0.0", "O(N+M)"));
        t.add(of("publish", 3, "pubsub", (c, a) -> Reply.integer(c.server().pubsub().publish(a.get(1), a.get(2))))
                .flags(Flag.FAST).doc("Posts a message to a channel.", "2.0.0", "O(N+M)"));
        t.add(of("pubsub", -2, "pubsub", PubSubCommands::pubsub)
                .doc("A container for Pub/Sub commands.", "2.8.0", "Depends on subcommand."));
    }

    private static Reply bulk(String s) {
        return new Reply.Bulk(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static Reply change(Context c, List<byte[]> a, String kind, boolean patterns, boolean subscribe) {
        PubSub ps = c.server().pubsub();
        List<byte[]> names = a.size() > 1 ? a.subList(1, a.size()) : ps.subscriptions(c.client(), patterns);
        List<Reply> replies = new ArrayList<>();
        if (names.isEmpty()) {
            // UNSUBSCRIBE with nothing subscribed still answers once.
            replies.add(new Reply.Push(List.of(bulk(kind), Reply.NIL, Reply.integer(ps.subscriptions(c.client(), !patterns).size()))));
        }
        for (byte[] n : names) {
            int count = subscribe ? (patterns ? ps.psubscribe(c.client(), n) : ps.subscribe(c.client(), n))
                    : (patterns ? ps.punsubscribe(c.client(), n) : ps.unsubscribe(c.client(), n));
            replies.add(new Reply.Push(List.of(bulk(kind), new Reply.Bulk(n), Reply.integer(count))));
        }
        return new Reply.Many(replies);
    }

    private static Reply pubsub(Context c, List<byte[]> a) {
        PubSub ps = c.server().pubsub();
        return switch (Args.upper(a.get(1))) {
            case "CHANNELS" -> {
                if (a.size() > 3) {
                    throw new CommandError("ERR wrong number of arguments for 'pubsub|channels' command");
                }
                List<Reply> out = new ArrayList<>();
                ps.channels(a.size() == 3 ? GlobPattern.compile(a.get(2)) : null).forEach(n -> out.add(new Reply.Bulk(n)));
                yield new Reply.Array(out);
            }
            case "NUMSUB" -> {
                List<Reply> out = new ArrayList<>();
                for (byte[] ch : a.subList(2, a.size())) {
                    out.add(new Reply.Bulk(ch));
                    out.add(Reply.integer(ps.subscribers(ch)));
                }
                yield new Reply.Map(out);
            }
            case "NUMPAT" -> Reply.integer(ps.patternCount());
            default -> throw new CommandError("ERR unknown subcommand '" + Args.text(a.get(1)) + "'. Try PUBSUB HELP.");
        };
    }
}
