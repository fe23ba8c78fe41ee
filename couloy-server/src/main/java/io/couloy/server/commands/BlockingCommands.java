package io.couloy.server.commands;

import static io.couloy.server.command.CommandSpec.of;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.Lists;
import io.couloy.engine.WrongTypeException;
import io.couloy.engine.ZSets;
import io.couloy.server.command.Args;
import io.couloy.server.command.CommandError;
import io.couloy.server.command.CommandTable;
import io.couloy.server.command.Context;
import io.couloy.server.command.Flag;
import io.couloy.server.resp.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP: try at once; if nothing
 * is there, block the connection (it reads nothing more until answered) and wait in
 * {@link io.couloy.server.blocking.Waiters}, first come first served, until a write to one of
 * the keys gives something or the timeout passes. Inside EXEC or a script they never block.
 */
public final class BlockingCommands {
    private BlockingCommands() {}

    public static void register(CommandTable t) {
        t.add(of("blpop", -3, "list", (c, a) -> bpop(c, a, Lists.End.LEFT)).flags(Flag.WRITE, Flag.NOSCRIPT).keys(1, -2, 1)
                .doc("Removes and returns the first element in a list. Blocks until an element is available otherwise.", "2.0.0", "O(N)"));
        t.add(of("brpop", -3, "list", (c, a) -> bpop(c, a, Lists.End.RIGHT)).flags(Flag.WRITE, Flag.NOSCRIPT).keys(1, -2, 1)
                .doc("Removes and returns the last element in a list. Blocks until an element is available otherwise.", "2.0.0", "O(N)"));
        t.add(of("blmove", 6, "list", BlockingCommands::blmove).flags(Flag.WRITE, Flag.DENYOOM, Flag.NOSCRIPT).keys(1, 2, 1)
                .doc("Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise.", "6.2.0", "O(1)"));
        t.add(of("brpoplpush", 4, "list", (c, a) -> move(c, a.get(1), a.get(2), Lists.End.RIGHT, Lists.End.LEFT, a.get(3)))
                .flags(Flag.WRITE, Flag.DENYOOM, Flag.NOSCRIPT).keys(1, 2, 1)
                .doc("Pops an element from a list, pushes it to another list and returns it. Block until an element is available otherwise.", "2.2.0", "O(1)"));
        t.add(of("blmpop", -5, "list", BlockingCommands::blmpop).flags(Flag.WRITE, Flag.NOSCRIPT).keys(0, 0, 0)
                .doc("Pops the first element from one of multiple lists. Blocks until an element is available otherwise.", "7.0.0", "O(N+M)"));
        t.add(of("bzpopmin", -3, "sortedset", (c, a) -> bzpop(c, a, false)).flags(Flag.WRITE, Flag.NOSCRIPT).keys(1, -2, 1)
                .doc("Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member is available otherwise.", "5.0.0", "O(log(N))"));
        t.add(of("bzpopmax", -3, "sortedset", (c, a) -> bzpop(c, a, true)).flags(Flag.WRITE, Flag.NOSCRIPT).keys(1, -2, 1)
                .doc("Removes and returns the member with the highest score from one or more sorted sets. Blocks until a member is available otherwise.", "5.0.0", "O(log(N))"));
        t.add(of("bzmpop", -5, "sortedset", BlockingCommands::bzmpop).flags(Flag.WRITE, Flag.NOSCRIPT).keys(0, 0, 0)
                .doc("Removes and returns a member by score from one or more sorted sets. Blocks until a member is available otherwise.", "7.0.0", "O(K)+O(M*log(N))"));
    }

    /** A timeout in seconds (a decimal) as milliseconds; 0 waits forever. */
    private static long timeout(byte[] arg) {
        double seconds;
        try {
            seconds = Double.parseDouble(Args.text(arg));
        } catch (NumberFormatException e) {
            throw new CommandError("ERR timeout is not a float or out of range");
        }
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            throw new CommandError("ERR timeout is not a float or out of range");
        }
        if (seconds < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        return seconds == 0 ? 0 : Math.max(1, (long) (seconds * 1000));
    }

    /** Tries now; if nothing, blocks (unless inside EXEC or a script, where the empty reply comes at once). */
    private static Reply tryOrBlock(Context c, List<byte[]> keys, Supplier<Reply> attempt, Reply empty, long timeoutMillis) {
        Reply now = attempt.get();
        if (now != null) {
            return now;
        }
        if (c.client().nonBlocking()) {
            return empty;
        }
        var client = c.client();
        c.server().waiters().block(client.id(), client.db(), keys, () -> {
            try {
                return attempt.get();
            } catch (WrongTypeException e) {
                return null; // the key was recreated as another type: keep waiting
            }
        }, empty, timeoutMillis, client::unblock);
        return Reply.DEFERRED;
    }

    private static Reply bpop(Context c, List<byte[]> a, Lists.End end) {
        long t = timeout(a.getLast());
        List<byte[]> keys = a.subList(1, a.size() - 1);
        CouloyDB db = c.db();
        return tryOrBlock(c, keys, () -> {
            for (byte[] k : keys) {
                if (db.lists().length(k) > 0) {
                    byte[] v = db.lists().pop(k, end);
                    if (v != null) {
                        ListCommands.notifyPop(c, k, end);
                        return new Reply.Array(List.of(new Reply.Bulk(k), new Reply.Bulk(v)));
                    }
                }
            }
            return null;
        }, Reply.NIL_ARRAY, t);
    }

    private static Reply blmove(Context c, List<byte[]> a) {
        return move(c, a.get(1), a.get(2), ListCommands.end(a.get(3)), ListCommands.end(a.get(4)), a.get(5));
    }

    private static Reply move(Context c, byte[] src, byte[] dst, Lists.End from, Lists.End to, byte[] timeoutArg) {
        long t = timeout(timeoutArg);
        CouloyDB db = c.db();
        return tryOrBlock(c, List.of(src), () -> {
            Reply r = ListCommands.move(c, src, dst, from, to);
            return r == Reply.NIL ? null : r;
        }, Reply.NIL, t);
    }

    private static Reply blmpop(Context c, List<byte[]> a) {
        long t = timeout(a.get(1));
        ListCommands.MultiPop p = ListCommands.MultiPop.parse(a.subList(1, a.size()), List.of("LEFT", "RIGHT"));
        CouloyDB db = c.db();
        Lists.End end = p.where().equals("LEFT") ? Lists.End.LEFT : Lists.End.RIGHT;
        return tryOrBlock(c, p.keys(), () -> {
            for (byte[] k : p.keys()) {
                if (db.lists().length(k) > 0) {
                    List<byte[]> popped = db.lists().pop(k, end, p.count());
                    if (!popped.isEmpty()) {
                        ListCommands.notifyPop(c, k, end);
                        return new Reply.Array(List.of(new Reply.Bulk(k), new Reply.Bulks(popped)));
                    }
                }
            }
            return null;
        }, Reply.NIL_ARRAY, t);
    }

    private static Reply bzpop(Context c, List<byte[]> a, boolean max) {
        long t = timeout(a.getLast());
        List<byte[]> keys = a.subList(1, a.size() - 1);
        CouloyDB db = c.db();
        return tryOrBlock(c, keys, () -> {
            for (byte[] k : keys) {
                if (db.zsets().size(k) > 0) {
                    List<ZSets.Entry> e = ZSetCommands.popped(c, k, 1, max);
                    if (!e.isEmpty()) {
                        return new Reply.Array(List.of(new Reply.Bulk(k), new Reply.Bulk(e.get(0).member()),
                                new Reply.Dbl(e.get(0).score())));
                    }
                }
            }
            return null;
        }, Reply.NIL_ARRAY, t);
    }

    private static Reply bzmpop(Context c, List<byte[]> a) {
        long t = timeout(a.get(1));
        ListCommands.MultiPop p = ListCommands.MultiPop.parse(a.subList(1, a.size()), List.of("MIN", "MAX"));
        CouloyDB db = c.db();
        return tryOrBlock(c, p.keys(), () -> {
            for (byte[] k : p.keys()) {
                if (db.zsets().size(k) > 0) {
                    List<Reply> pairs = new ArrayList<>();
                    for (ZSets.Entry e : ZSetCommands.popped(c, k, p.count(), p.where().equals("MAX"))) {
                        pairs.add(new Reply.Array(List.of(new Reply.Bulk(e.member()), new Reply.Dbl(e.score()))));
                    }
                    if (!pairs.isEmpty()) {
                        return new Reply.Array(List.of(new Reply.Bulk(k), new Reply.Array(pairs)));
                    }
                }
            }
            return null;
        }, Reply.NIL_ARRAY, t);
    }
}
