package io.couloy.server.commands;

import static io.couloy.server.command.CommandSpec.of;
import static io.couloy.server.pubsub.KeyspaceNotifier.GENERIC;
import static io.couloy.server.pubsub.KeyspaceNotifier.SET;

import io.couloy.engine.ScanStep;
import io.couloy.server.command.Args;
import io.couloy.server.command.CommandError;
import io.couloy.server.command.CommandTable;
import io.couloy.server.command.Context;
import io.couloy.server.command.Flag;
import io.couloy.server.pubsub.KeyspaceNotifier;
import io.couloy.server.resp.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The set commands: parse, call {@link io.couloy.engine.Sets}, reply. */
public final class SetCommands {
    private SetCommands() {}

    public static void register(CommandTable t) {
        t.add(of("sadd", -3, "set", SetCommands::sadd)
                .flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).doc("Adds one or more members to a set.", "1.0.0", "O(1) per member"));
        t.add(of("srem", -3, "set", (c, a) -> Reply.integer(c.notifyRemoved(SET, "srem", a.get(1),
                c.db().sets().remove(a.get(1), a.subList(2, a.size())))))
                .flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).doc("Removes one or more members from a set.", "1.0.0", "O(N)"));
        t.add(of("sismember", 3, "set", (c, a) -> Reply.integer(c.db().sets().contains(a.get(1), a.get(2)) ? 1 : 0))
                .flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).doc("Determines whether a member belongs to a set.", "1.0.0", "O(1)"));
        t.add(of("smismember", -3, "set", SetCommands::smismember).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1)
                .doc("Determines whether multiple members belong to a set.", "6.2.0", "O(N)"));
        t.add(of("scard", 2, "set", (c, a) -> Reply.integer(c.db().sets().size(a.get(1)))).flags(Flag.READONLY, Flag.FAST)
                .keys(1, 1, 1).doc("Returns the number of members in a set.", "1.0.0", "O(1)"));
        t.add(of("smembers", 2, "set", (c, a) -> set(c.db().sets().members(a.get(1)))).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Returns all members of a set.", "1.0.0", "O(N)"));
        t.add(of("srandmember", -2, "set", SetCommands::srandmember).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Get one or multiple random members from a set.", "1.0.0", "O(N)"));
        t.add(of("spop", -2, "set", SetCommands::spop).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1)
                .doc("Returns one or more random members from a set after removing them.", "1.0.0", "O(N)"));
        t.add(of("smove", 4, "set", SetCommands::smove)
                .flags(Flag.WRITE, Flag.FAST).keys(1, 2, 1).doc("Moves a member from one set to another.", "1.0.0", "O(1)"));
        t.add(of("sinter", -2, "set", (c, a) -> set(c.db().sets().intersection(a.subList(1, a.size()))))
                .flags(Flag.READONLY).keys(1, -1, 1).doc("Returns the intersect of multiple sets.", "1.0.0", "O(N*M)"));
        t.add(of("sunion", -2, "set", (c, a) -> set(c.db().sets().union(a.subList(1, a.size()))))
                .flags(Flag.READONLY).keys(1, -1, 1).doc("Returns the union of multiple sets.", "1.0.0", "O(N)"));
        t.add(of("sdiff", -2, "set", (c, a) -> set(c.db().sets().difference(a.subList(1, a.size()))))
                .flags(Flag.READONLY).keys(1, -1, 1).doc("Returns the difference of multiple sets.", "1.0.0", "O(N)"));
        t.add(of("sinterstore", -3, "set", (c, a) -> stored(c, SET, "sinterstore", a.get(1), a.subList(2, a.size()), () -> c.db().sets().intersectionStore(a.get(1), a.subList(2, a.size()))))
                .flags(Flag.WRITE, Flag.DENYOOM).keys(1, -1, 1).doc("Stores the intersect of multiple sets in a key.", "1.0.0", "O(N*M)"));
        t.add(of("sunionstore", -3, "set", (c, a) -> stored(c, SET, "sunionstore", a.get(1), a.subList(2, a.size()), () -> c.db().sets().unionStore(a.get(1), a.subList(2, a.size()))))
                .flags(Flag.WRITE, Flag.DENYOOM).keys(1, -1, 1).doc("Stores the union of multiple sets in a key.", "1.0.0", "O(N)"));
        t.add(of("sdiffstore", -3, "set", (c, a) -> stored(c, SET, "sdiffstore", a.get(1), a.subList(2, a.size()), () -> c.db().sets().differenceStore(a.get(1), a.subList(2, a.size()))))
                .flags(Flag.WRITE, Flag.DENYOOM).keys(1, -1, 1).doc("Stores the difference of multiple sets in a key.", "1.0.0", "O(N)"));
        t.add(of("sintercard", -3, "set", SetCommands::sintercard).flags(Flag.READONLY).keys(2, -1, 1)
                .doc("Returns the number of members of the intersect of multiple sets.", "7.0.0", "O(N*M)"));
        t.add(of("sscan", -3, "set", SetCommands::sscan).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Iterates over members of a set.", "2.6.0", "O(1) per call"));
    }

    /**
     * A STORE command's write and events: {@code event} on the destination when the result has
     * members, else {@code del} if an existing destination was removed. Returns the size.
     */
    static Reply stored(Context c, int type, String event, byte[] dst, List<byte[]> sources,
            java.util.function.LongSupplier store) {
        c.missed(sources);
        return stored(c, type, event, dst, store);
    }

    static Reply stored(Context c, int type, String event, byte[] dst, java.util.function.LongSupplier store) {
        boolean existed = (c.notifying(GENERIC) || c.notifying(KeyspaceNotifier.NEW)) && c.db().exists(dst);
        long size = store.getAsLong();
        if (size > 0) {
            if (!existed) {
                c.announceNew(c.client().db(), dst);
            }
            c.notify(type, event, dst);
        } else if (existed) {
            c.notify(GENERIC, "del", dst);
        }
        return Reply.integer(size);
    }

    private static Reply sadd(Context c, List<byte[]> a) {
        long n = c.db().sets().add(a.get(1), a.subList(2, a.size()));
        if (n > 0) {
            c.notify(SET, "sadd", a.get(1));
        }
        return Reply.integer(n);
    }

    private static Reply smove(Context c, List<byte[]> a) {
        byte[] src = a.get(1);
        byte[] dst = a.get(2);
        boolean same = java.util.Arrays.equals(src, dst);
        boolean wasInDst = !same && c.notifying(SET) && c.db().sets().contains(dst, a.get(3));
        if (!c.db().sets().move(src, dst, a.get(3))) {
            return Reply.ZERO;
        }
        if (!same) {
            c.notify(SET, "srem", src);
            c.notifyIfEmptied(src);
            if (!wasInDst) {
                c.notify(SET, "sadd", dst);
            }
        }
        return Reply.ONE;
    }

    private static Reply set(List<byte[]> members) {
        List<Reply> out = new ArrayList<>(members.size());
        members.forEach(m -> out.add(new Reply.Bulk(m)));
        return new Reply.Set(out);
    }

    private static Reply smismember(Context c, List<byte[]> a) {
        List<Reply> out = new ArrayList<>();
        for (boolean b : c.db().sets().contains(a.get(1), a.subList(2, a.size()))) {
            out.add(Reply.integer(b ? 1 : 0));
        }
        return new Reply.Array(out);
    }

    private static Reply srandmember(Context c, List<byte[]> a) {
        if (a.size() == 2) {
            List<byte[]> one = c.db().sets().randomMembers(a.get(1), 1, ThreadLocalRandom.current());
            return one.isEmpty() ? Reply.NIL : new Reply.Bulk(one.get(0));
        }
        if (a.size() > 3) {
            throw CommandError.SYNTAX;
        }
        long count = Args.integer(a.get(2));
        if (count < -Long.MAX_VALUE / 2) {
            throw new CommandError("ERR value is out of range");
        }
        return new Reply.Bulks(c.db().sets().randomMembers(a.get(1), count, ThreadLocalRandom.current()));
    }

    private static Reply spop(Context c, List<byte[]> a) {
        if (a.size() == 2) {
            List<byte[]> one = popped(c, a.get(1), 1);
            return one.isEmpty() ? Reply.NIL : new Reply.Bulk(one.get(0));
        }
        if (a.size() > 3) {
            throw CommandError.SYNTAX;
        }
        long count = Args.integer(a.get(2));
        if (count < 0) {
            throw new CommandError("ERR value is out of range, must be positive");
        }
        return set(popped(c, a.get(1), count));
    }

    private static List<byte[]> popped(Context c, byte[] key, long count) {
        List<byte[]> out = c.db().sets().pop(key, count, ThreadLocalRandom.current());
        if (!out.isEmpty()) {
            c.notify(SET, "spop", key);
            c.notifyIfEmptied(key);
        }
        return out;
    }

    /** SINTERCARD / ZINTERCARD: numkeys key [key ...] [LIMIT limit]. */
    record InterCard(List<byte[]> keys, long limit) {
        static InterCard parse(List<byte[]> a) {
            long n = Args.integer(a.get(1));
            if (n <= 0) {
                throw new CommandError("ERR numkeys should be greater than 0");
            }
            if (n > a.size() - 2) {
                throw new CommandError("ERR Number of keys can't be greater than number of args");
            }
            long limit = 0;
            int after = 2 + (int) n;
            if (after < a.size()) {
                if (after + 2 != a.size() || !Args.is(a.get(after), "LIMIT")) {
                    throw CommandError.SYNTAX;
                }
                limit = Args.integer(a.get(after + 1));
                if (limit < 0) {
                    throw new CommandError("ERR LIMIT can't be negative");
                }
            }
            return new InterCard(a.subList(2, after), limit);
        }
    }

    private static Reply sintercard(Context c, List<byte[]> a) {
        InterCard ic = InterCard.parse(a);
        return Reply.integer(c.db().sets().intersectionSize(ic.keys(), ic.limit()));
    }

    private static Reply sscan(Context c, List<byte[]> a) {
        ScanArgs s = ScanArgs.parse(a, 2);
        ScanStep<byte[]> step = c.db().sets().scan(a.get(1), s.cursor(), s.count(), s.match());
        List<Reply> items = new ArrayList<>();
        step.items().forEach(m -> items.add(new Reply.Bulk(m)));
        return ScanArgs.reply(step.cursor(), items);
    }
}
