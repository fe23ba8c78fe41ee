package io.couloy.engine;

import io.couloy.engine.types.Collection;
import io.couloy.engine.types.ZSetIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Redis's sorted-set operations (ZADD, ZRANGE, ZRANK, ...) on a {@link CouloyDB}. Get one with
 * {@link CouloyDB#zsets()}; it holds no state of its own.
 *
 * <p>Storage: each member is one record without a value; its score is in the record header and
 * the hint, so the index is rebuilt without reading values. Memory holds, per member, a member
 * index entry (member, position, score: about 32 bytes plus the member) and an entry of an
 * order-statistic B+tree (about 40 bytes plus a second copy of the member). ZSCORE is O(1);
 * ZADD, ZREM, ZRANK and the start of every range are O(log n); no operation reads a file, as
 * members and scores are all in memory.
 *
 * <p>Members are ordered by score, then by their bytes (unsigned), as in Redis. Lexicographic
 * ranges assume, as Redis does, that every member has the same score. Operations on a key
 * holding another type throw {@link WrongTypeException}; a missing key is an empty sorted set.
 */
public final class ZSets {
    private static final byte[] NO_VALUE = new byte[0];

    private final CouloyDB db;

    ZSets(CouloyDB db) {
        this.db = db;
    }

    /** A member and its score. */
    public record Entry(byte[] member, double score) {
        public Entry {
            Objects.requireNonNull(member, "member");
        }
    }

    /**
     * ZADD's flags: {@code nx} only adds, {@code xx} only updates, {@code gt} / {@code lt} update
     * only to a greater / lesser score (and still add new members), {@code ch} counts changed
     * members rather than added ones. The combinations Redis refuses are refused here with its
     * message.
     */
    public record AddOptions(boolean nx, boolean xx, boolean gt, boolean lt, boolean ch) {
        public static final AddOptions NONE = new AddOptions(false, false, false, false, false);

        public AddOptions {
            if (nx && xx) {
                throw new IllegalArgumentException("XX and NX options at the same time are not compatible");
            }
            if ((gt && lt) || (nx && (gt || lt))) {
                throw new IllegalArgumentException("GT, LT, and/or NX options at the same time are not compatible");
            }
        }
    }

    /** A score interval; each end inclusive unless marked exclusive. Infinite ends are ±infinity. */
    public record ScoreRange(double min, boolean minExclusive, double max, boolean maxExclusive) {
        public static final ScoreRange ALL = new ScoreRange(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);

        boolean belowMin(double s) {
            return minExclusive ? s <= min : s < min;
        }

        boolean aboveMax(double s) {
            return maxExclusive ? s >= max : s > max;
        }
    }

    /** A lexicographic interval ("-", "+", "[a", "(a" in Redis); a null end is infinite. */
    public record LexRange(byte[] min, boolean minExclusive, byte[] max, boolean maxExclusive) {
        boolean belowMin(byte[] m, int start, int length) {
            if (min == null) {
                return false;
            }
            int c = Arrays.compareUnsigned(m, start, start + length, min, 0, min.length);
            return minExclusive ? c <= 0 : c < 0;
        }

        boolean aboveMax(byte[] m, int start, int length) {
            if (max == null) {
                return false;
            }
            int c = Arrays.compareUnsigned(m, start, start + length, max, 0, max.length);
            return maxExclusive ? c >= 0 : c > 0;
        }
    }

    /** How ZUNIONSTORE / ZINTERSTORE combine the scores of a member present in several sets. */
    public enum Aggregate { SUM, MIN, MAX }

    // ------------------------------------------------------------------ writes

    /** ZADD: returns members added (or, with {@code ch}, added or changed). */
    public long add(byte[] key, List<Entry> entries, AddOptions options) {
        Added r = addCounting(key, entries, options);
        return options.ch() ? r.added() + r.changed() : r.added();
    }

    /** What one ZADD did: members added, and members whose score changed. */
    public record Added(long added, long changed) {}

    /** ZADD, telling added and changed members apart whatever {@code ch} says. */
    public Added addCounting(byte[] key, List<Entry> entries, AddOptions options) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no members given");
        }
        for (Entry e : entries) {
            requireScore(e.score());
        }
        return db.mutate(m -> {
            Collection c = db.collectionForWrite(m, key, KeyType.ZSET, !options.xx());
            if (c == null) {
                return new Added(0, 0);
            }
            // Within one call the last score of a repeated member wins, judged against the one before.
            Map<ByteKey, Double> pending = new LinkedHashMap<>();
            long added = 0;
            long changed = 0;
            for (Entry e : entries) {
                ByteKey k = new ByteKey(e.member());
                Double current = pending.containsKey(k) ? pending.get(k) : c.zset().score(e.member());
                if (current == null) {
                    if (options.xx()) {
                        continue;
                    }
                    added++;
                } else {
                    if (options.nx() || (options.gt() && e.score() <= current) || (options.lt() && e.score() >= current)
                            || e.score() == current) {
                        continue;
                    }
                    changed++;
                }
                pending.put(k, e.score());
            }
            pending.forEach((k, score) -> put(m, key, c, k.b(), score));
            if (!pending.isEmpty()) {
                m.event(key, KeyEvent.Kind.UPDATED);
            }
            return new Added(added, changed);
        });
    }

    /**
     * ZADD ... INCR and ZINCRBY: adds {@code increment} to the member's score (0 if absent);
     * returns the new score, or null if the options prevented the update.
     *
     * @throws InvalidValueException "resulting score is not a number (NaN)" (inf + -inf)
     */
    public Double increment(byte[] key, byte[] member, double increment, AddOptions options) {
        requireScore(increment);
        return db.mutate(m -> {
            Collection c = db.collectionForWrite(m, key, KeyType.ZSET, !options.xx());
            if (c == null) {
                return null;
            }
            Double current = c.zset().score(member);
            if ((current == null && options.xx()) || (current != null && options.nx())) {
                return null;
            }
            double next = (current == null ? 0 : current) + increment;
            if (Double.isNaN(next)) {
                throw new InvalidValueException("resulting score is not a number (NaN)");
            }
            if (current != null && ((options.gt() && next <= current) || (options.lt() && next >= current))) {
                return null;
            }
            put(m, key, c, member, next);
            m.event(key, KeyEvent.Kind.UPDATED);
            return next;
        });
    }

    private void put(Mutation m, byte[] key, Collection c, byte[] member, double score) {
        db.putMember(m, key, c, member, NO_VALUE, Double.doubleToRawLongBits(score));
    }

    private static void requireScore(double score) {
        if (Double.isNaN(score)) {
            throw new InvalidValueException("value is not a valid float");
        }
    }

    /** ZREM: returns how many of the members were present. Removing the last deletes the key. */
    public long remove(byte[] key, List<byte[]> members) {
        return db.mutate(m -> {
            Collection c = db.collectionForWrite(m, key, KeyType.ZSET, false);
            if (c == null) {
                return 0L;
            }
            List<byte[]> present = new ArrayList<>();
            java.util.Set<ByteKey> seen = new java.util.HashSet<>();
            for (byte[] member : members) {
                if (c.zset().score(member) != null && seen.add(new ByteKey(member))) {
                    present.add(member);
                }
            }
            removeMembers(m, key, c, present);
            return (long) present.size();
        });
    }

    private void removeMembers(Mutation m, byte[] key, Collection c, List<byte[]> members) {
        if (members.isEmpty()) {
            return;
        }
        if (members.size() >= c.size()) {
            db.deleteKey(m, key);
            return;
        }
        for (byte[] member : members) {
            db.removeMember(m, key, c, member);
        }
        m.event(key, KeyEvent.Kind.UPDATED);
    }

    /** ZPOPMIN / ZPOPMAX: removes and returns up to {@code count} members with the lowest (or highest) scores. */
    public List<Entry> pop(byte[] key, long count, boolean max) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        return db.mutate(m -> {
            Collection c = db.collectionForWrite(m, key, KeyType.ZSET, false);
            if (c == null || count == 0) {
                return new ArrayList<Entry>();
            }
            List<Entry> out = entries(c.zset().walk(max ? c.size() - 1 : 0, max, count, null));
            removeMembers(m, key, c, out.stream().map(Entry::member).toList());
            return out;
        });
    }

    /** ZREMRANGEBYRANK: removes members ranked {@code start} to {@code stop} (clamped as ZRANGE); returns how many. */
    public long removeRangeByRank(byte[] key, long start, long stop) {
        return removeWhere(key, c -> entries(c, Walk.byRank(c, start, stop, false)));
    }

    /** ZREMRANGEBYSCORE. */
    public long removeRangeByScore(byte[] key, ScoreRange range) {
        return removeWhere(key, c -> entries(c, Walk.byScore(c, range, false, 0, -1)));
    }

    /** ZREMRANGEBYLEX. */
    public long removeRangeByLex(byte[] key, LexRange range) {
        return removeWhere(key, c -> entries(c, Walk.byLex(c, range, false, 0, -1)));
    }

    private long removeWhere(byte[] key, java.util.function.Function<Collection, List<Entry>> select) {
        return db.mutate(m -> {
            Collection c = db.collectionForWrite(m, key, KeyType.ZSET, false);
            if (c == null) {
                return 0L;
            }
            List<Entry> doomed = select.apply(c);
            removeMembers(m, key, c, doomed.stream().map(Entry::member).toList());
            return (long) doomed.size();
        });
    }

    // ------------------------------------------------------------------ reads

    /** ZSCORE: the member's score, or null. O(1). */
    public Double score(byte[] key, byte[] member) {
        Collection c = db.collection(key, KeyType.ZSET);
        return c == null ? null : c.zset().score(Objects.requireNonNull(member, "member"));
    }

    /** ZMSCORE. */
    public List<Double> scores(byte[] key, List<byte[]> members) {
        Collection c = db.collection(key, KeyType.ZSET);
        List<Double> out = new ArrayList<>(members.size());
        for (byte[] member : members) {
            out.add(c == null ? null : c.zset().score(member));
        }
        return out;
    }

    /** ZCARD. */
    public long size(byte[] key) {
        Collection c = db.collection(key, KeyType.ZSET);
        return c == null ? 0 : c.size();
    }

    /** ZRANK (or ZREVRANK if {@code reverse}): the member's 0-based rank, or null if absent. O(log n). */
    public Long rank(byte[] key, byte[] member, boolean reverse) {
        Collection c = db.collection(key, KeyType.ZSET);
        if (c == null) {
            return null;
        }
        long r = c.zset().rank(member);
        if (r < 0) {
            return null;
        }
        return reverse ? c.size() - 1 - r : r;
    }

    /** ZCOUNT: members with a score in {@code range}. O(log n). */
    public long count(byte[] key, ScoreRange range) {
        Collection c = db.collection(key, KeyType.ZSET);
        if (c == null) {
            return 0;
        }
        long below = c.zset().countBefore((s, m, start, length) -> range.belowMin(s));
        long upTo = c.zset().countBefore((s, m, start, length) -> !range.aboveMax(s));
        return Math.max(0, upTo - below);
    }

    /** ZLEXCOUNT. */
    public long lexCount(byte[] key, LexRange range) {
        Collection c = db.collection(key, KeyType.ZSET);
        if (c == null) {
            return 0;
        }
        long below = c.zset().countBefore((s, m, start, length) -> range.belowMin(m, start, length));
        long upTo = c.zset().countBefore((s, m, start, length) -> !range.aboveMax(m, start, length));
        return Math.max(0, upTo - below);
    }

    /** ZRANGE by rank (ZREVRANGE if {@code reverse}): ranks {@code start} to {@code stop}, clamped as Redis does. */
    public List<Entry> rangeByRank(byte[] key, long start, long stop, boolean reverse) {
        Collection c = db.collection(key, KeyType.ZSET);
        return c == null ? new ArrayList<>() : entries(c, Walk.byRank(c, start, stop, reverse));
    }

    /**
     * Sees each member of a range in place: the engine's own bytes, lent for the call under the
     * set's read lock. For a caller that encodes members straight into a buffer of its own (a
     * server's reply): no object per member and no copy of the range in between.
     */
    public interface MemberSink {
        /** Called once before any member: at most this many will come. */
        void expect(long count);

        /** A member: {@code array[start, start + length)}, to copy and not to keep; writers of the set wait meanwhile. */
        void member(byte[] array, int start, int length);
    }

    /** The members {@link #rangeByRank} selects, handed to {@code sink} in order; returns how many. */
    public long visitByRank(byte[] key, long start, long stop, boolean reverse, MemberSink sink) {
        Collection c = db.collection(key, KeyType.ZSET);
        return visit(c, c == null ? null : Walk.byRank(c, start, stop, reverse), sink);
    }

    /**
     * ZRANGE BYSCORE (ZRANGEBYSCORE, ZREVRANGEBYSCORE): members with a score in {@code range},
     * ascending or descending, skipping {@code offset} and returning at most {@code count}
     * (negative: all), as LIMIT does.
     */
    public List<Entry> rangeByScore(byte[] key, ScoreRange range, boolean reverse, long offset, long count) {
        Collection c = db.collection(key, KeyType.ZSET);
        return c == null ? new ArrayList<>() : entries(c, Walk.byScore(c, range, reverse, offset, count));
    }

    /** The members {@link #rangeByScore} selects, handed to {@code sink} as {@link #visitByRank} does. */
    public long visitByScore(byte[] key, ScoreRange range, boolean reverse, long offset, long count, MemberSink sink) {
        Collection c = db.collection(key, KeyType.ZSET);
        return visit(c, c == null ? null : Walk.byScore(c, range, reverse, offset, count), sink);
    }

    /** ZRANGE BYLEX (ZRANGEBYLEX, ZREVRANGEBYLEX), as {@link #rangeByScore} for members. */
    public List<Entry> rangeByLex(byte[] key, LexRange range, boolean reverse, long offset, long count) {
        Collection c = db.collection(key, KeyType.ZSET);
        return c == null ? new ArrayList<>() : entries(c, Walk.byLex(c, range, reverse, offset, count));
    }

    /** The members {@link #rangeByLex} selects, handed to {@code sink} as {@link #visitByRank} does. */
    public long visitByLex(byte[] key, LexRange range, boolean reverse, long offset, long count, MemberSink sink) {
        Collection c = db.collection(key, KeyType.ZSET);
        return visit(c, c == null ? null : Walk.byLex(c, range, reverse, offset, count), sink);
    }

    /**
     * What a range selects, as a walk of the order: up to {@code limit} entries from rank
     * {@code from}, in the direction {@code reverse} gives, while {@code keep} holds. The
     * factories return null for a range that selects nothing before the walk starts.
     */
    private record Walk(long from, boolean reverse, long limit, ZSetIndex.ScoreBound keep) {
        static Walk byRank(Collection c, long start, long stop, boolean reverse) {
            long n = c.size();
            long[] r = Lists.clamp(start, stop, n);
            if (r == null) {
                return null;
            }
            return new Walk(reverse ? n - 1 - r[0] : r[0], reverse, r[1] - r[0] + 1, null);
        }

        static Walk byScore(Collection c, ScoreRange range, boolean reverse, long offset, long count) {
            return between(c.zset(), (s, m, start, length) -> range.belowMin(s), (s, m, start, length) -> range.aboveMax(s),
                    reverse, offset, count);
        }

        static Walk byLex(Collection c, LexRange range, boolean reverse, long offset, long count) {
            return between(c.zset(), (s, m, start, length) -> range.belowMin(m, start, length),
                    (s, m, start, length) -> range.aboveMax(m, start, length), reverse, offset, count);
        }

        /**
         * The entries neither {@code belowMin} nor {@code aboveMax} (each true for a prefix, or
         * a suffix, of the order), walked from the end {@code reverse} names, skipping
         * {@code offset} and taking at most {@code count} (negative: all), as LIMIT does.
         */
        private static Walk between(ZSetIndex z, ZSetIndex.ScoreBound belowMin, ZSetIndex.ScoreBound aboveMax,
                boolean reverse, long offset, long count) {
            long limit = count < 0 ? Long.MAX_VALUE : count;
            if (offset < 0) {
                return null;
            }
            if (reverse) {
                long last = z.countBefore((s, m, start, length) -> !aboveMax.before(s, m, start, length)) - 1;
                return new Walk(last - offset, true, limit, (s, m, start, length) -> !belowMin.before(s, m, start, length));
            }
            long first = z.countBefore(belowMin);
            return new Walk(first + offset, false, limit, (s, m, start, length) -> !aboveMax.before(s, m, start, length));
        }
    }

    private static List<Entry> entries(Collection c, Walk w) {
        return w == null ? new ArrayList<>() : entries(c.zset().walk(w.from(), w.reverse(), w.limit(), w.keep()));
    }

    private static long visit(Collection c, Walk w, MemberSink sink) {
        if (w == null) {
            sink.expect(0);
            return 0;
        }
        sink.expect(Math.min(w.limit(), c.size()));
        long[] n = {0};
        c.zset().walk(w.from(), w.reverse(), w.limit(), w.keep(), (s, m, start, length) -> {
            sink.member(m, start, length);
            n[0]++;
        });
        return n[0];
    }

    /** ZRANDMEMBER, with Redis's count rules (negative: may repeat). */
    public List<Entry> randomMembers(byte[] key, long count, RandomGenerator random) {
        Collection c = db.collection(key, KeyType.ZSET);
        List<Entry> out = new ArrayList<>();
        if (c == null) {
            return out;
        }
        for (byte[] member : RandomMembers.pick(c, count, random)) {
            Double s = c.zset().score(member);
            if (s != null) {
                out.add(new Entry(member, s));
            }
        }
        return out;
    }

    /** ZSCAN: one step of a cursor scan over members and scores. */
    public ScanStep<Entry> scan(byte[] key, long cursor, int count, GlobPattern match) {
        Collection c = db.collection(key, KeyType.ZSET);
        if (c == null) {
            return new ScanStep<>(0, List.of());
        }
        List<byte[]> found = new ArrayList<>();
        long next = c.zset().scan(cursor, Math.max(1, count), found::add);
        List<Entry> out = new ArrayList<>();
        for (byte[] member : found) {
            Double s = c.zset().score(member);
            if (s != null && (match == null || match.matches(member))) {
                out.add(new Entry(member, s));
            }
        }
        return new ScanStep<>(next, out);
    }

    // ------------------------------------------------------------------ set algebra

    /** The kind of combination of {@link #combine}. */
    public enum Combination { UNION, INTERSECTION, DIFFERENCE }

    /**
     * ZUNION / ZINTER / ZDIFF: combines sorted sets (and plain sets, whose members score 1),
     * multiplying each source's scores by its weight (null: all 1) and aggregating scores of a
     * member found in several sources. The result is ordered by score then member.
     */
    public List<Entry> combine(Combination how, List<byte[]> keys, double[] weights, Aggregate aggregate) {
        if (weights != null && weights.length != keys.size()) {
            throw new IllegalArgumentException("one weight per key is needed");
        }
        return db.consistently(() -> {
            List<Map<ByteKey, Double>> sources = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                sources.add(read(keys.get(i), weights == null ? 1 : weights[i]));
            }
            Map<ByteKey, Double> result = new LinkedHashMap<>();
            if (sources.isEmpty()) {
                return new ArrayList<Entry>();
            }
            switch (how) {
                case UNION -> {
                    for (Map<ByteKey, Double> src : sources) {
                        src.forEach((k, s) -> result.merge(k, s, (a, b) -> aggregate(a, b, aggregate)));
                    }
                }
                case INTERSECTION -> {
                    outer:
                    for (Map.Entry<ByteKey, Double> e : sources.get(0).entrySet()) {
                        double s = e.getValue();
                        for (int i = 1; i < sources.size(); i++) {
                            Double other = sources.get(i).get(e.getKey());
                            if (other == null) {
                                continue outer;
                            }
                            s = aggregate(s, other, aggregate);
                        }
                        result.put(e.getKey(), s);
                    }
                }
                case DIFFERENCE -> {
                    outer:
                    for (Map.Entry<ByteKey, Double> e : sources.get(0).entrySet()) {
                        for (int i = 1; i < sources.size(); i++) {
                            if (sources.get(i).containsKey(e.getKey())) {
                                continue outer;
                            }
                        }
                        result.put(e.getKey(), e.getValue());
                    }
                }
            }
            List<Entry> out = new ArrayList<>(result.size());
            result.forEach((k, s) -> out.add(new Entry(k.b(), s)));
            out.sort((a, b) -> compare(a, b));
            return out;
        });
    }

    /** ZUNIONSTORE / ZINTERSTORE / ZDIFFSTORE: stores {@link #combine}'s result in {@code destination}; returns its size. */
    public long combineStore(byte[] destination, Combination how, List<byte[]> keys, double[] weights,
            Aggregate aggregate) {
        return db.mutate(m -> {
            List<Entry> result = combine(how, keys, weights, aggregate);
            store(m, destination, result);
            return (long) result.size();
        });
    }

    /** ZRANGESTORE and the stores above: replaces {@code destination} with {@code entries} (deleted if empty). */
    public long store(byte[] destination, List<Entry> entries) {
        return db.mutate(m -> {
            store(m, destination, entries);
            return (long) entries.size();
        });
    }

    private void store(Mutation m, byte[] destination, List<Entry> entries) {
        if (entries.isEmpty()) {
            if (db.type(destination) != null) {
                db.deleteKey(m, destination);
            }
            return;
        }
        Collection c = db.createCollection(m, destination, KeyType.ZSET);
        Map<ByteKey, Double> last = new LinkedHashMap<>();
        for (Entry e : entries) {
            requireScore(e.score());
            last.put(new ByteKey(e.member()), e.score());
        }
        last.forEach((k, s) -> put(m, destination, c, k.b(), s));
        m.event(destination, KeyEvent.Kind.UPDATED);
    }

    private Map<ByteKey, Double> read(byte[] key, double weight) {
        Map<ByteKey, Double> out = new LinkedHashMap<>();
        KeyType type = db.type(key);
        if (type == null) {
            return out;
        }
        if (type == KeyType.SET) {
            for (byte[] member : db.sets().members(key)) {
                out.put(new ByteKey(member), weighted(1, weight));
            }
            return out;
        }
        Collection c = db.collection(key, KeyType.ZSET);
        for (ZSetIndex.Entry e : c.zset().walk(0, false, Long.MAX_VALUE, null)) {
            out.put(new ByteKey(e.member()), weighted(e.score(), weight));
        }
        return out;
    }

    /** Redis's weighting: 0 weight times an infinite score is 0, not NaN. */
    private static double weighted(double score, double weight) {
        double r = score * weight;
        return Double.isNaN(r) ? 0 : r;
    }

    private static double aggregate(double a, double b, Aggregate how) {
        return switch (how) {
            case SUM -> {
                double s = a + b;
                yield Double.isNaN(s) ? 0 : s; // inf + -inf: Redis yields 0
            }
            case MIN -> Math.min(a, b);
            case MAX -> Math.max(a, b);
        };
    }

    private static int compare(Entry a, Entry b) {
        int c = Double.compare(a.score() == 0.0 ? 0.0 : a.score(), b.score() == 0.0 ? 0.0 : b.score());
        return c != 0 ? c : Arrays.compareUnsigned(a.member(), b.member());
    }

    private static List<Entry> entries(List<ZSetIndex.Entry> in) {
        List<Entry> out = new ArrayList<>(in.size());
        for (ZSetIndex.Entry e : in) {
            out.add(new Entry(e.member(), e.score()));
        }
        return out;
    }
}
