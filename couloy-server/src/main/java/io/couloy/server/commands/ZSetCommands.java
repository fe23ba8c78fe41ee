package io.couloy.server.commands;

import static io.couloy.server.command.CommandSpec.of;
import static io.couloy.server.pubsub.KeyspaceNotifier.ZSET;

import io.couloy.engine.ScanStep;
import io.couloy.engine.ZSets;
import io.couloy.server.command.Args;
import io.couloy.server.command.CommandError;
import io.couloy.server.command.CommandTable;
import io.couloy.server.command.Context;
import io.couloy.server.command.Flag;
import io.couloy.server.resp.BulksWriter;
import io.couloy.server.resp.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The sorted-set commands: parse, call {@link ZSets}, reply (scores as RESP3 doubles or RESP2 bulk strings). */
public final class ZSetCommands {
    private ZSetCommands() {}

    public static void register(CommandTable t) {
        t.add(of("zadd", -4, "sortedset", ZSetCommands::zadd).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1)
                .doc("Adds one or more members to a sorted set, or updates their scores.", "1.2.0", "O(log(N)) per member"));
        t.add(of("zincrby", 4, "sortedset", (c, a) -> new Reply.Dbl(StringCommands.notified(c, ZSET, "zincr", a.get(1),
                c.db().zsets().increment(a.get(1), a.get(3), score(a.get(2)), ZSets.AddOptions.NONE)))).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1)
                .doc("Increments the score of a member in a sorted set.", "1.2.0", "O(log(N))"));
        t.add(of("zrem", -3, "sortedset", (c, a) -> removed(c, "zrem", a.get(1),
                c.db().zsets().remove(a.get(1), a.subList(2, a.size()))))
                .flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).doc("Removes one or more members from a sorted set.", "1.2.0", "O(M*log(N))"));
        t.add(of("zcard", 2, "sortedset", (c, a) -> Reply.integer(c.db().zsets().size(a.get(1)))).flags(Flag.READONLY, Flag.FAST)
                .keys(1, 1, 1).doc("Returns the number of members in a sorted set.", "1.2.0", "O(1)"));
        t.add(of("zscore", 3, "sortedset", (c, a) -> dbl(c.db().zsets().score(a.get(1), a.get(2)))).flags(Flag.READONLY, Flag.FAST)
                .keys(1, 1, 1).doc("Returns the score of a member in a sorted set.", "1.2.0", "O(1)"));
        t.add(of("zmscore", -3, "sortedset", ZSetCommands::zmscore).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1)
                .doc("Returns the score of one or more members in a sorted set.", "6.2.0", "O(N)"));
        t.add(of("zcount", 4, "sortedset", (c, a) -> Reply.integer(c.db().zsets().count(a.get(1), scoreRange(a.get(2), a.get(3)))))
                .flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).doc("Returns the count of members in a sorted set that have scores within a range.", "2.0.0", "O(log(N))"));
        t.add(of("zlexcount", 4, "sortedset", (c, a) -> Reply.integer(c.db().zsets().lexCount(a.get(1), lexRange(a.get(2), a.get(3)))))
                .flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).doc("Returns the number of members in a sorted set within a lexicographical range.", "2.8.9", "O(log(N))"));
        t.add(of("zrank", -3, "sortedset", (c, a) -> rank(c, a, false)).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1)
                .doc("Returns the index of a member in a sorted set ordered by ascending scores.", "2.0.0", "O(log(N))"));
        t.add(of("zrevrank", -3, "sortedset", (c, a) -> rank(c, a, true)).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1)
                .doc("Returns the index of a member in a sorted set ordered by descending scores.", "2.0.0", "O(log(N))"));
        t.add(of("zrange", -4, "sortedset", (c, a) -> range(c, a, 1, Mode.RANK, false, true)).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Returns members in a sorted set within a range of indexes.", "1.2.0", "O(log(N)+M)"));
        t.add(of("zrevrange", -4, "sortedset", (c, a) -> range(c, a, 1, Mode.RANK, true, false)).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Returns members in a sorted set within a range of indexes in reverse order.", "1.2.0", "O(log(N)+M)"));
        t.add(of("zrangebyscore", -4, "sortedset", (c, a) -> range(c, a, 1, Mode.SCORE, false, false)).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Returns members in a sorted set within a range of scores.", "1.0.5", "O(log(N)+M)"));
        t.add(of("zrevrangebyscore", -4, "sortedset", (c, a) -> range(c, a, 1, Mode.SCORE, true, false)).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Returns members in a sorted set within a range of scores in reverse order.", "2.2.0", "O(log(N)+M)"));
        t.add(of("zrangebylex", -4, "sortedset", (c, a) -> range(c, a, 1, Mode.LEX, false, false)).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Returns members in a sorted set within a lexicographical range.", "2.8.9", "O(log(N)+M)"));
        t.add(of("zrevrangebylex", -4, "sortedset", (c, a) -> range(c, a, 1, Mode.LEX, true, false)).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Returns members in a sorted set within a lexicographical range in reverse order.", "2.8.9", "O(log(N)+M)"));
        t.add(of("zrangestore", -5, "sortedset", ZSetCommands::zrangestore).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 2, 1)
                .doc("Stores a range of members from sorted set in a key.", "6.2.0", "O(log(N)+M)"));
        t.add(of("zremrangebyrank", 4, "sortedset", (c, a) -> removed(c, "zremrangebyrank", a.get(1),
                c.db().zsets().removeRangeByRank(a.get(1), Args.integer(a.get(2)), Args.integer(a.get(3))))).flags(Flag.WRITE).keys(1, 1, 1)
                .doc("Removes members in a sorted set within a range of indexes.", "2.0.0", "O(log(N)+M)"));
        t.add(of("zremrangebyscore", 4, "sortedset", (c, a) -> removed(c, "zremrangebyscore", a.get(1),
                c.db().zsets().removeRangeByScore(a.get(1), scoreRange(a.get(2), a.get(3))))).flags(Flag.WRITE).keys(1, 1, 1)
                .doc("Removes members in a sorted set within a range of scores.", "1.2.0", "O(log(N)+M)"));
        t.add(of("zremrangebylex", 4, "sortedset", (c, a) -> removed(c, "zremrangebylex", a.get(1),
                c.db().zsets().removeRangeByLex(a.get(1), lexRange(a.get(2), a.get(3))))).flags(Flag.WRITE).keys(1, 1, 1)
                .doc("Removes members in a sorted set within a lexicographical range.", "2.8.9", "O(log(N)+M)"));
        t.add(of("zpopmin", -2, "sortedset", (c, a) -> pop(c, a, false)).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1)
                .doc("Returns the lowest-scoring members from a sorted set after removing them.", "5.0.0", "O(log(N)*M)"));
        t.add(of("zpopmax", -2, "sortedset", (c, a) -> pop(c, a, true)).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1)
                .doc("Returns the highest-scoring members from a sorted set after removing them.", "5.0.0", "O(log(N)*M)"));
        t.add(of("zmpop", -4, "sortedset", ZSetCommands::zmpop).flags(Flag.WRITE).keys(0, 0, 0)
                .doc("Returns the highest- or lowest-scoring members from one or more sorted sets after removing them.",
                        "7.0.0", "O(K)+O(M*log(N))"));
        t.add(of("zrandmember", -2, "sortedset", ZSetCommands::zrandmember).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Returns one or more random members from a sorted set.", "6.2.0", "O(N)"));
        for (ZSets.Combination how : ZSets.Combination.values()) {
            String base = switch (how) {
                case UNION -> "zunion";
                case INTERSECTION -> "zinter";
                case DIFFERENCE -> "zdiff";
            };
            t.add(of(base, -3, "sortedset", (c, a) -> combine(c, a, how, false)).flags(Flag.READONLY).keys(0, 0, 0)
                    .doc("Returns the " + how.name().toLowerCase() + " of multiple sorted sets.", "6.2.0", "O(N)+O(M*log(M))"));
            t.add(of(base + "store", -4, "sortedset", (c, a) -> combine(c, a, how, true)).flags(Flag.WRITE, Flag.DENYOOM)
                    .keys(1, 1, 1).doc("Stores the " + how.name().toLowerCase() + " of multiple sorted sets in a key.",
                            how == ZSets.Combination.DIFFERENCE ? "6.2.0" : "2.0.0", "O(N)+O(M*log(M))"));
        }
        t.add(of("zintercard", -3, "sortedset", ZSetCommands::zintercard).flags(Flag.READONLY).keys(0, 0, 0)
                .doc("Returns the number of members of the intersect of multiple sorted sets.", "7.0.0", "O(N*K)"));
        t.add(of("zscan", -3, "sortedset", ZSetCommands::zscan).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Iterates over members and scores of a sorted set.", "2.8.0", "O(1) per call"));
    }

    private enum Mode { RANK, SCORE, LEX }

    private static Reply dbl(Double d) {
        return d == null ? Reply.NIL : new Reply.Dbl(d);
    }

    /** A score as Redis reads it: a decimal, inf, +inf, -inf; NaN refused. */
    static double score(byte[] b) {
        String s = Args.text(b);
        double d;
        try {
            d = switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
                case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
                default -> {
                    if (s.isEmpty() || Character.isWhitespace(s.charAt(0)) || s.endsWith("d") || s.endsWith("f")
                            || s.endsWith("D") || s.endsWith("F")) {
                        throw new NumberFormatException();
                    }
                    yield Double.parseDouble(s);
                }
            };
        } catch (NumberFormatException e) {
            throw CommandError.NOT_FLOAT;
        }
        if (Double.isNaN(d)) {
            throw CommandError.NOT_FLOAT;
        }
        return d;
    }

    private static ZSets.ScoreRange scoreRange(byte[] min, byte[] max) {
        boolean minEx = min.length > 0 && min[0] == '(';
        boolean maxEx = max.length > 0 && max[0] == '(';
        try {
            return new ZSets.ScoreRange(score(minEx ? java.util.Arrays.copyOfRange(min, 1, min.length) : min), minEx,
                    score(maxEx ? java.util.Arrays.copyOfRange(max, 1, max.length) : max), maxEx);
        } catch (CommandError e) {
            throw new CommandError("ERR min or max is not a float");
        }
    }

    private static ZSets.LexRange lexRange(byte[] min, byte[] max) {
        byte[][] lo = lexItem(min);
        byte[][] hi = lexItem(max);
        if (lo == null || hi == null) {
            throw new CommandError("ERR min or max not valid string range item");
        }
        // "-" as max or "+" as min makes an empty range, as in Redis.
        if (lo[0] == PLUS || hi[0] == MINUS) {
            return new ZSets.LexRange(new byte[] {(byte) 0xFF, (byte) 0xFF}, true, new byte[0], true);
        }
        return new ZSets.LexRange(lo[0] == MINUS ? null : lo[0], lo[1] != null, hi[0] == PLUS ? null : hi[0], hi[1] != null);
    }

    private static final byte[] MINUS = new byte[0];
    private static final byte[] PLUS = new byte[0];

    /** {value, exclusive marker or null}, or null if invalid. */
    private static byte[][] lexItem(byte[] b) {
        if (b.length == 1 && b[0] == '-') {
            return new byte[][] {MINUS, null};
        }
        if (b.length == 1 && b[0] == '+') {
            return new byte[][] {PLUS, null};
        }
        if (b.length >= 1 && (b[0] == '[' || b[0] == '(')) {
            return new byte[][] {java.util.Arrays.copyOfRange(b, 1, b.length), b[0] == '(' ? new byte[0] : null};
        }
        return null;
    }

    private static Reply zadd(Context c, List<byte[]> a) {
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        boolean ch = false;
        boolean incr = false;
        int i = 2;
        loop:
        for (; i < a.size(); i++) {
            switch (Args.upper(a.get(i))) {
                case "NX" -> nx = true;
                case "XX" -> xx = true;
                case "GT" -> gt = true;
                case "LT" -> lt = true;
                case "CH" -> ch = true;
                case "INCR" -> incr = true;
                default -> {
                    break loop; // the score-member pairs start here
                }
            }
        }
        int pairs = a.size() - i;
        if (pairs == 0 || pairs % 2 != 0) {
            throw CommandError.SYNTAX;
        }
        ZSets.AddOptions options;
        try {
            options = new ZSets.AddOptions(nx, xx, gt, lt, ch);
        } catch (IllegalArgumentException e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        if (incr && pairs != 2) {
            throw new CommandError("ERR INCR option supports a single increment-element pair");
        }
        List<ZSets.Entry> entries = new ArrayList<>();
        for (int j = i; j < a.size(); j += 2) {
            entries.add(new ZSets.Entry(a.get(j + 1), score(a.get(j))));
        }
        if (incr) {
            Double next = c.db().zsets().increment(a.get(1), entries.get(0).member(), entries.get(0).score(), options);
            if (next != null) {
                c.notify(ZSET, "zincr", a.get(1));
            }
            return dbl(next);
        }
        ZSets.Added r = c.db().zsets().addCounting(a.get(1), entries, options);
        if (r.added() + r.changed() > 0) {
            c.notify(ZSET, "zadd", a.get(1));
        }
        return Reply.integer(ch ? r.added() + r.changed() : r.added());
    }

    private static Reply removed(Context c, String event, byte[] key, long n) {
        return Reply.integer(c.notifyRemoved(ZSET, event, key, n));
    }

    /** ZPOPMIN / ZPOPMAX and their blocking and multi-key forms. */
    static List<ZSets.Entry> popped(Context c, byte[] key, long count, boolean max) {
        List<ZSets.Entry> out = c.db().zsets().pop(key, count, max);
        if (!out.isEmpty()) {
            c.notify(ZSET, max ? "zpopmax" : "zpopmin", key);
            c.notifyIfEmptied(key);
        }
        return out;
    }

    private static Reply zmscore(Context c, List<byte[]> a) {
        List<Reply> out = new ArrayList<>();
        for (Double d : c.db().zsets().scores(a.get(1), a.subList(2, a.size()))) {
            out.add(dbl(d));
        }
        return new Reply.Array(out);
    }

    private static Reply rank(Context c, List<byte[]> a, boolean reverse) {
        boolean withScore = a.size() == 4 && Args.is(a.get(3), "WITHSCORE");
        if (a.size() > 4 || (a.size() == 4 && !withScore)) {
            throw CommandError.SYNTAX;
        }
        Long r = c.db().zsets().rank(a.get(1), a.get(2), reverse);
        if (r == null) {
            return withScore ? Reply.NIL_ARRAY : Reply.NIL;
        }
        if (!withScore) {
            return Reply.integer(r);
        }
        return new Reply.Array(List.of(Reply.integer(r), dbl(c.db().zsets().score(a.get(1), a.get(2)))));
    }

    /** The members (and scores) a range command selects; {@code generic}: ZRANGE's BYSCORE/BYLEX/REV/LIMIT syntax. */
    private static List<ZSets.Entry> select(Context c, byte[] key, byte[] from, byte[] to, Mode mode, boolean reverse,
            long offset, long count) {
        ZSets z = c.db().zsets();
        return switch (mode) {
            case RANK -> z.rangeByRank(key, Args.integer(from), Args.integer(to), reverse);
            case SCORE -> z.rangeByScore(key, reverse ? scoreRange(to, from) : scoreRange(from, to), reverse, offset, count);
            case LEX -> z.rangeByLex(key, reverse ? lexRange(to, from) : lexRange(from, to), reverse, offset, count);
        };
    }

    private static Reply range(Context c, List<byte[]> a, int keyAt, Mode mode, boolean reverse, boolean generic) {
        boolean withScores = false;
        boolean limit = false;
        long offset = 0;
        long count = -1;
        for (int i = keyAt + 3; i < a.size(); i++) {
            String o = Args.upper(a.get(i));
            if (o.equals("WITHSCORES")) {
                withScores = true;
            } else if (o.equals("LIMIT") && i + 2 < a.size()) {
                limit = true;
                offset = Args.integer(a.get(++i));
                count = Args.integer(a.get(++i));
            } else if (generic && o.equals("BYSCORE") && mode == Mode.RANK) {
                mode = Mode.SCORE;
            } else if (generic && o.equals("BYLEX") && mode == Mode.RANK) {
                mode = Mode.LEX;
            } else if (generic && o.equals("REV")) {
                reverse = true;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (limit && mode == Mode.RANK) {
            throw new CommandError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && mode == Mode.LEX) {
            throw new CommandError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        byte[] key = a.get(keyAt);
        byte[] from = a.get(keyAt + 1);
        byte[] to = a.get(keyAt + 2);
        if (withScores || !c.replyGoesOut()) {
            return entries(c, select(c, key, from, to, mode, reverse, offset, count), withScores);
        }
        // Members alone go from the index straight into the reply's bytes: no object per member.
        ZSets z = c.db().zsets();
        BulksWriter out = new BulksWriter();
        try {
            switch (mode) {
                case RANK -> z.visitByRank(key, Args.integer(from), Args.integer(to), reverse, out);
                case SCORE -> z.visitByScore(key, reverse ? scoreRange(to, from) : scoreRange(from, to), reverse, offset, count, out);
                case LEX -> z.visitByLex(key, reverse ? lexRange(to, from) : lexRange(from, to), reverse, offset, count, out);
            }
        } catch (RuntimeException e) {
            out.discard();
            throw e;
        }
        return out.reply();
    }

    /** Members, with scores flat (RESP2) or as [member, score] pairs (RESP3), as Redis replies. */
    private static Reply entries(Context c, List<ZSets.Entry> entries, boolean withScores) {
        return Reply.withPairs(entries, e -> new Reply.Bulk(e.member()), e -> new Reply.Dbl(e.score()), withScores,
                c.client().protocol() == 3);
    }

    private static Reply zrangestore(Context c, List<byte[]> a) {
        Mode mode = Mode.RANK;
        boolean reverse = false;
        long offset = 0;
        long count = -1;
        boolean limit = false;
        for (int i = 5; i < a.size(); i++) {
            String o = Args.upper(a.get(i));
            switch (o) {
                case "BYSCORE" -> mode = Mode.SCORE;
                case "BYLEX" -> mode = Mode.LEX;
                case "REV" -> reverse = true;
                case "LIMIT" -> {
                    if (i + 2 >= a.size()) {
                        throw CommandError.SYNTAX;
                    }
                    limit = true;
                    offset = Args.integer(a.get(++i));
                    count = Args.integer(a.get(++i));
                }
                default -> throw CommandError.SYNTAX;
            }
        }
        if (limit && mode == Mode.RANK) {
            throw new CommandError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        List<ZSets.Entry> entries = select(c, a.get(2), a.get(3), a.get(4), mode, reverse, offset, count);
        return SetCommands.stored(c, ZSET, "zrangestore", a.get(1), () -> c.db().zsets().store(a.get(1), entries));
    }

    private static Reply pop(Context c, List<byte[]> a, boolean max) {
        if (a.size() > 3) {
            throw CommandError.SYNTAX;
        }
        long count = 1;
        if (a.size() == 3) {
            count = Args.integer(a.get(2));
            if (count < 0) {
                throw new CommandError("ERR value is out of range, must be positive");
            }
        }
        List<ZSets.Entry> popped = popped(c, a.get(1), count, max);
        if (a.size() == 2) {
            List<Reply> out = new ArrayList<>();
            for (ZSets.Entry e : popped) {
                out.add(new Reply.Bulk(e.member()));
                out.add(new Reply.Dbl(e.score()));
            }
            return new Reply.Array(out);
        }
        return entries(c, popped, true);
    }

    private static Reply zmpop(Context c, List<byte[]> a) {
        ListCommands.MultiPop p = ListCommands.MultiPop.parse(a, List.of("MIN", "MAX"));
        for (byte[] key : p.keys()) {
            if (c.db().zsets().size(key) > 0) {
                List<Reply> pairs = new ArrayList<>();
                for (ZSets.Entry e : popped(c, key, p.count(), p.where().equals("MAX"))) {
                    pairs.add(new Reply.Array(List.of(new Reply.Bulk(e.member()), new Reply.Dbl(e.score()))));
                }
                return new Reply.Array(List.of(new Reply.Bulk(key), new Reply.Array(pairs)));
            }
        }
        return Reply.NIL_ARRAY;
    }

    private static Reply zrandmember(Context c, List<byte[]> a) {
        if (a.size() == 2) {
            List<ZSets.Entry> one = c.db().zsets().randomMembers(a.get(1), 1, ThreadLocalRandom.current());
            return one.isEmpty() ? Reply.NIL : new Reply.Bulk(one.get(0).member());
        }
        long count = Args.integer(a.get(2));
        boolean withScores = a.size() == 4 && Args.is(a.get(3), "WITHSCORES");
        if (a.size() > 4 || (a.size() == 4 && !withScores)) {
            throw CommandError.SYNTAX;
        }
        if (count < -Long.MAX_VALUE / 2) {
            throw new CommandError("ERR value is out of range");
        }
        return entries(c, c.db().zsets().randomMembers(a.get(1), count, ThreadLocalRandom.current()), withScores);
    }

    private static Reply combine(Context c, List<byte[]> a, ZSets.Combination how, boolean store) {
        int at = store ? 2 : 1;
        long numkeys = Args.integer(a.get(at));
        String name = Args.text(a.get(0)).toLowerCase(java.util.Locale.ROOT);
        if (numkeys <= 0) {
            throw new CommandError("ERR at least 1 input key is needed for '" + name + "' command");
        }
        if (numkeys > a.size() - at - 1) {
            throw CommandError.SYNTAX;
        }
        List<byte[]> keys = a.subList(at + 1, at + 1 + (int) numkeys);
        double[] weights = null;
        ZSets.Aggregate aggregate = ZSets.Aggregate.SUM;
        boolean withScores = false;
        for (int i = at + 1 + (int) numkeys; i < a.size(); i++) {
            String o = Args.upper(a.get(i));
            if (o.equals("WEIGHTS") && how != ZSets.Combination.DIFFERENCE && i + numkeys < a.size()) {
                weights = new double[(int) numkeys];
                for (int w = 0; w < numkeys; w++) {
                    try {
                        weights[w] = score(a.get(++i));
                    } catch (CommandError e) {
                        throw new CommandError("ERR weight value is not a float");
                    }
                }
            } else if (o.equals("AGGREGATE") && how != ZSets.Combination.DIFFERENCE && i + 1 < a.size()) {
                try {
                    aggregate = ZSets.Aggregate.valueOf(Args.upper(a.get(++i)));
                } catch (IllegalArgumentException e) {
                    throw CommandError.SYNTAX;
                }
            } else if (o.equals("WITHSCORES") && !store) {
                withScores = true;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (store) {
            double[] w = weights;
            ZSets.Aggregate agg = aggregate;
            return SetCommands.stored(c, ZSET, name, a.get(1), keys, () -> c.db().zsets().combineStore(a.get(1), how, keys, w, agg));
        }
        return entries(c, c.db().zsets().combine(how, keys, weights, aggregate), withScores);
    }

    private static Reply zintercard(Context c, List<byte[]> a) {
        SetCommands.InterCard ic = SetCommands.InterCard.parse(a);
        List<ZSets.Entry> all = c.db().zsets().combine(ZSets.Combination.INTERSECTION, ic.keys(), null, ZSets.Aggregate.SUM);
        return Reply.integer(ic.limit() > 0 ? Math.min(ic.limit(), all.size()) : all.size());
    }

    private static Reply zscan(Context c, List<byte[]> a) {
        ScanArgs s = ScanArgs.parse(a, 2);
        ScanStep<ZSets.Entry> step = c.db().zsets().scan(a.get(1), s.cursor(), s.count(), s.match());
        List<Reply> items = new ArrayList<>();
        for (ZSets.Entry e : step.items()) {
            items.add(new Reply.Bulk(e.member()));
            items.add(new Reply.Bulk(io.couloy.server.resp.DoubleText.of(e.score()).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        return ScanArgs.reply(step.cursor(), items);
    }
}
