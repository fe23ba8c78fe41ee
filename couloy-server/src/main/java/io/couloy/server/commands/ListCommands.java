package io.couloy.server.commands;

import static io.couloy.server.command.CommandSpec.of;
import static io.couloy.server.commands.StringCommands.notified;
import static io.couloy.server.pubsub.KeyspaceNotifier.GENERIC;
import static io.couloy.server.pubsub.KeyspaceNotifier.LIST;

import io.couloy.engine.Lists;
import io.couloy.server.command.Args;
import io.couloy.server.command.CommandError;
import io.couloy.server.command.CommandTable;
import io.couloy.server.command.Context;
import io.couloy.server.command.Flag;
import io.couloy.server.resp.Reply;
import java.util.ArrayList;
import java.util.List;

/** The non-blocking list commands: parse, call {@link Lists}, reply. */
public final class ListCommands {
    private ListCommands() {}

    public static void register(CommandTable t) {
        t.add(of("lpush", -3, "list", (c, a) -> Reply.integer(notified(c, LIST, "lpush", a.get(1), c.db().lists().pushLeft(a.get(1), a.subList(2, a.size())))))
                .flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).doc("Prepends one or more elements to a list.", "1.0.0", "O(1) per element"));
        t.add(of("rpush", -3, "list", (c, a) -> Reply.integer(notified(c, LIST, "rpush", a.get(1), c.db().lists().pushRight(a.get(1), a.subList(2, a.size())))))
                .flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).doc("Appends one or more elements to a list.", "1.0.0", "O(1) per element"));
        t.add(of("lpushx", -3, "list", (c, a) -> pushed(c, "lpush", a.get(1), c.db().lists().pushLeftIfExists(a.get(1), a.subList(2, a.size()))))
                .flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).doc("Prepends elements only when the list exists.", "2.2.0", "O(1) per element"));
        t.add(of("rpushx", -3, "list", (c, a) -> pushed(c, "rpush", a.get(1), c.db().lists().pushRightIfExists(a.get(1), a.subList(2, a.size()))))
                .flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).doc("Appends elements only when the list exists.", "2.2.0", "O(1) per element"));
        t.add(of("lpop", -2, "list", (c, a) -> pop(c, a, Lists.End.LEFT)).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1)
                .doc("Returns the first elements in a list after removing it.", "1.0.0", "O(N)"));
        t.add(of("rpop", -2, "list", (c, a) -> pop(c, a, Lists.End.RIGHT)).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1)
                .doc("Returns and removes the last elements of a list.", "1.0.0", "O(N)"));
        t.add(of("llen", 2, "list", (c, a) -> Reply.integer(c.db().lists().length(a.get(1)))).flags(Flag.READONLY, Flag.FAST)
                .keys(1, 1, 1).doc("Returns the length of a list.", "1.0.0", "O(1)"));
        t.add(of("lindex", 3, "list", (c, a) -> Reply.bulkOrNil(c.db().lists().index(a.get(1), Args.integer(a.get(2)))))
                .flags(Flag.READONLY).keys(1, 1, 1).doc("Returns an element from a list by its index.", "1.0.0", "O(1)"));
        t.add(of("lrange", 4, "list", (c, a) -> new Reply.PackedBulks(c.db().lists().rangePacked(a.get(1), Args.integer(a.get(2)), Args.integer(a.get(3)))))
                .flags(Flag.READONLY).keys(1, 1, 1).doc("Returns a range of elements from a list.", "1.0.0", "O(S+N)"));
        t.add(of("lset", 4, "list", ListCommands::lset).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1)
                .doc("Sets the value of an element in a list by its index.", "1.0.0", "O(1)"));
        t.add(of("linsert", 5, "list", ListCommands::linsert).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1)
                .doc("Inserts an element before or after another element in a list.", "2.2.0", "O(N)"));
        t.add(of("lrem", 4, "list", (c, a) -> Reply.integer(c.notifyRemoved(LIST, "lrem", a.get(1),
                c.db().lists().remove(a.get(1), Args.integer(a.get(2)), a.get(3)))))
                .flags(Flag.WRITE).keys(1, 1, 1).doc("Removes elements from a list.", "1.0.0", "O(N+M)"));
        t.add(of("ltrim", 4, "list", ListCommands::ltrim).flags(Flag.WRITE).keys(1, 1, 1).doc("Removes elements from both ends a list.", "1.0.0", "O(N)"));
        t.add(of("lpos", -3, "list", ListCommands::lpos).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Returns the index of matching elements in a list.", "6.0.6", "O(N)"));
        t.add(of("lmove", 5, "list", ListCommands::lmove).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 2, 1)
                .doc("Returns an element after popping it from one list and pushing it to another.", "6.2.0", "O(1)"));
        t.add(of("lmpop", -4, "list", ListCommands::lmpop).flags(Flag.WRITE).keys(0, 0, 0)
                .doc("Returns multiple elements from a list after removing them.", "7.0.0", "O(N+M)"));
        t.add(of("rpoplpush", 3, "list", (c, a) -> move(c, a.get(1), a.get(2), Lists.End.RIGHT, Lists.End.LEFT)).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 2, 1)
                .doc("Returns the last element of a list after removing and pushing it to another list.", "1.2.0", "O(1)"));
    }

    private static Reply pop(Context c, List<byte[]> a, Lists.End end) {
        if (a.size() == 2) {
            byte[] v = c.db().lists().pop(a.get(1), end);
            if (v != null) {
                notifyPop(c, a.get(1), end);
            }
            return Reply.bulkOrNil(v);
        }
        if (a.size() > 3) {
            throw CommandError.SYNTAX;
        }
        long count;
        try {
            count = Args.integer(a.get(2));
        } catch (CommandError e) {
            count = -1;
        }
        if (count < 0) {
            throw new CommandError("ERR value is out of range, must be positive");
        }
        if (c.db().lists().length(a.get(1)) == 0) {
            return Reply.NIL_ARRAY;
        }
        List<byte[]> popped = c.db().lists().pop(a.get(1), end, count);
        if (!popped.isEmpty()) {
            notifyPop(c, a.get(1), end);
        }
        return new Reply.Bulks(popped);
    }

    /** The events of elements popped from {@code key}: lpop or rpop, then del if that emptied it. */
    static void notifyPop(Context c, byte[] key, Lists.End end) {
        c.notify(LIST, end == Lists.End.LEFT ? "lpop" : "rpop", key);
        c.notifyIfEmptied(key);
    }

    private static Reply pushed(Context c, String event, byte[] key, long length) {
        if (length > 0) {
            c.notify(LIST, event, key);
        }
        return Reply.integer(length);
    }

    /** LMOVE and its kin: Redis names the push first, then the pop, then the source's del. */
    static Reply move(Context c, byte[] src, byte[] dst, Lists.End from, Lists.End to) {
        byte[] v = c.db().lists().move(src, dst, from, to);
        if (v != null) {
            c.notify(LIST, to == Lists.End.LEFT ? "lpush" : "rpush", dst);
            notifyPop(c, src, from);
        }
        return Reply.bulkOrNil(v);
    }

    private static Reply ltrim(Context c, List<byte[]> a) {
        boolean existed = c.notifying(LIST | GENERIC) && c.db().exists(a.get(1));
        c.db().lists().trim(a.get(1), Args.integer(a.get(2)), Args.integer(a.get(3)));
        if (existed) {
            c.notify(LIST, "ltrim", a.get(1));
            c.notifyIfEmptied(a.get(1));
        }
        return Reply.OK;
    }

    /** The numkeys / keys / direction / COUNT arguments shared by LMPOP and ZMPOP. */
    record MultiPop(List<byte[]> keys, String where, long count) {
        static MultiPop parse(List<byte[]> a, List<String> directions) {
            long numkeys = Args.integer(a.get(1));
            if (numkeys <= 0 || numkeys > Integer.MAX_VALUE) {
                throw new CommandError("ERR numkeys should be greater than 0");
            }
            if (numkeys > a.size() - 3) {
                throw CommandError.SYNTAX;
            }
            int at = 2 + (int) numkeys;
            String where = Args.upper(a.get(at));
            if (!directions.contains(where)) {
                throw CommandError.SYNTAX;
            }
            long count = 1;
            boolean countSeen = false;
            for (int i = at + 1; i < a.size(); i++) {
                if (Args.is(a.get(i), "COUNT") && i + 1 < a.size() && !countSeen) {
                    countSeen = true;
                    try {
                        count = Args.integer(a.get(++i));
                    } catch (CommandError e) {
                        count = -1;
                    }
                    if (count <= 0) {
                        throw new CommandError("ERR count should be greater than 0");
                    }
                } else {
                    throw CommandError.SYNTAX;
                }
            }
            return new MultiPop(a.subList(2, at), where, count);
        }
    }

    private static Reply lmpop(Context c, List<byte[]> a) {
        MultiPop p = MultiPop.parse(a, List.of("LEFT", "RIGHT"));
        for (byte[] key : p.keys()) {
            if (c.db().lists().length(key) > 0) {
                Lists.End end = p.where().equals("LEFT") ? Lists.End.LEFT : Lists.End.RIGHT;
                List<byte[]> popped = c.db().lists().pop(key, end, p.count());
                notifyPop(c, key, end);
                return new Reply.Array(List.of(new Reply.Bulk(key), new Reply.Bulks(popped)));
            }
        }
        return Reply.NIL_ARRAY;
    }

    private static Reply lset(Context c, List<byte[]> a) {
        c.db().lists().set(a.get(1), Args.integer(a.get(2)), a.get(3));
        c.notify(LIST, "lset", a.get(1));
        return Reply.OK;
    }

    private static Reply linsert(Context c, List<byte[]> a) {
        boolean before;
        if (Args.is(a.get(2), "BEFORE")) {
            before = true;
        } else if (Args.is(a.get(2), "AFTER")) {
            before = false;
        } else {
            throw CommandError.SYNTAX;
        }
        long length = c.db().lists().insert(a.get(1), before, a.get(3), a.get(4));
        if (length > 0) {
            c.notify(LIST, "linsert", a.get(1));
        }
        return Reply.integer(length);
    }

    static Lists.End end(byte[] arg) {
        if (Args.is(arg, "LEFT")) {
            return Lists.End.LEFT;
        }
        if (Args.is(arg, "RIGHT")) {
            return Lists.End.RIGHT;
        }
        throw CommandError.SYNTAX;
    }

    private static Reply lmove(Context c, List<byte[]> a) {
        Lists.End from = end(a.get(3));
        Lists.End to = end(a.get(4));
        return move(c, a.get(1), a.get(2), from, to);
    }

    private static Reply lpos(Context c, List<byte[]> a) {
        long rank = 1;
        Long count = null;
        long maxLen = 0;
        for (int i = 3; i < a.size(); i += 2) {
            if (i + 1 >= a.size()) {
                throw CommandError.SYNTAX;
            }
            String opt = Args.upper(a.get(i));
            long v = Args.integer(a.get(i + 1));
            switch (opt) {
                case "RANK" -> {
                    if (v == 0 || v == Long.MIN_VALUE) {
                        throw new CommandError("ERR RANK can't be zero: use 1 to start from the first match, 2 from the "
                                + "second ... or use negative to start from the end of the list");
                    }
                    rank = v;
                }
                case "COUNT" -> {
                    if (v < 0) {
                        throw new CommandError("ERR COUNT can't be negative");
                    }
                    count = v;
                }
                case "MAXLEN" -> {
                    if (v < 0) {
                        throw new CommandError("ERR MAXLEN can't be negative");
                    }
                    maxLen = v;
                }
                default -> throw CommandError.SYNTAX;
            }
        }
        List<Long> found = c.db().lists().positions(a.get(1), a.get(2), rank, count == null ? 1 : count, maxLen);
        if (count == null) {
            return found.isEmpty() ? Reply.NIL : Reply.integer(found.get(0));
        }
        List<Reply> out = new ArrayList<>();
        found.forEach(p -> out.add(Reply.integer(p)));
        return new Reply.Array(out);
    }
}
