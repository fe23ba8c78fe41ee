package io.couloy.server.commands;

import static io.couloy.server.command.CommandSpec.of;

import io.couloy.server.command.CommandTable;
import io.couloy.server.command.Flag;
import io.couloy.server.pubsub.KeyspaceNotifier;
import io.couloy.server.resp.Reply;

/** PFADD, PFCOUNT, PFMERGE. */
public final class HyperLogLogCommands {
    private HyperLogLogCommands() {}

    public static void register(CommandTable t) {
        t.add(of("pfadd", -2, "hyperloglog", (c, a) -> {
            if (!c.db().hyperLogLogs().add(a.get(1), a.subList(2, a.size()))) {
                return Reply.ZERO;
            }
            c.notify(KeyspaceNotifier.STRING, "pfadd", a.get(1));
            return Reply.ONE;
        })
                .flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1)
                .doc("Adds elements to a HyperLogLog key. Creates the key if it doesn't exist.", "2.8.9", "O(1) per element"));
        t.add(of("pfcount", -2, "hyperloglog", (c, a) -> Reply.integer(c.db().hyperLogLogs().count(a.subList(1, a.size()))))
                .flags(Flag.READONLY).keys(1, -1, 1)
                .doc("Returns the approximated cardinality of the set(s) observed by the HyperLogLog key(s).", "2.8.9", "O(1) with one key"));
        t.add(of("pfmerge", -2, "hyperloglog", (c, a) -> {
            c.missed(a.subList(1, a.size())); // Redis reads every key, the destination first
            c.db().hyperLogLogs().merge(a.get(1), a.subList(2, a.size()));
            c.notify(KeyspaceNotifier.STRING, "pfadd", a.get(1)); // sic: Redis names PFMERGE's event pfadd
            return Reply.OK;
        }).flags(Flag.WRITE, Flag.DENYOOM).keys(1, -1, 1)
                .doc("Merges one or more HyperLogLog values into a single key.", "2.8.9", "O(N)"));
    }
}
