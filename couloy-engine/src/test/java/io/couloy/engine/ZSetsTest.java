package io.couloy.engine;

import static io.couloy.engine.Bytes.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZSetsTest {
    @TempDir
    Path dir;

    private CouloyDB open() {
        return CouloyDB.open(Options.builder(dir).mergeInterval(Duration.ZERO).build());
    }

    private static ZSets.Entry e(double score, String member) {
        return new ZSets.Entry(b(member), score);
    }

    private static List<String> members(List<ZSets.Entry> entries) {
        return entries.stream().map(x -> new String(x.member())).toList();
    }

    private static final ZSets.AddOptions NONE = ZSets.AddOptions.NONE;

    @Test
    void redisPageExamples() {
        try (CouloyDB db = open()) {
            ZSets z = db.zsets();
            // ZADD page
            assertThat(z.add(b("myzset"), List.of(e(1, "one")), NONE)).isEqualTo(1);
            assertThat(z.add(b("myzset"), List.of(e(1, "uno")), NONE)).isEqualTo(1);
            assertThat(z.add(b("myzset"), List.of(e(2, "two"), e(3, "three")), NONE)).isEqualTo(2);
            assertThat(z.rangeByRank(b("myzset"), 0, -1, false)).extracting(ZSets.Entry::score)
                    .containsExactly(1.0, 1.0, 2.0, 3.0);
            assertThat(members(z.rangeByRank(b("myzset"), 0, -1, false))).containsExactly("one", "uno", "two", "three");
            // ZRANGEBYSCORE page: (1 2 and (1 (2
            ZSets.ScoreRange open1 = new ZSets.ScoreRange(1, true, 2, false);
            assertThat(members(z.rangeByScore(b("myzset"), open1, false, 0, -1))).containsExactly("two");
            assertThat(z.rangeByScore(b("myzset"), new ZSets.ScoreRange(1, true, 2, true), false, 0, -1)).isEmpty();
            assertThat(members(z.rangeByScore(b("myzset"), ZSets.ScoreRange.ALL, true, 1, 2)))
                    .containsExactly("two", "uno");
            assertThat(z.count(b("myzset"), new ZSets.ScoreRange(1, true, 3, false))).isEqualTo(2);
            assertThat(z.rank(b("myzset"), b("three"), false)).isEqualTo(3);
            assertThat(z.rank(b("myzset"), b("one"), true)).isEqualTo(3);
            assertThat(z.rank(b("myzset"), b("four"), false)).isNull();
            // ZRANGEBYLEX page
            z.add(b("lex"), List.of(e(0, "a"), e(0, "b"), e(0, "c"), e(0, "d"), e(0, "e"), e(0, "f"), e(0, "g")), NONE);
            assertThat(members(z.rangeByLex(b("lex"), new ZSets.LexRange(null, false, b("c"), false), false, 0, -1)))
                    .containsExactly("a", "b", "c");
            assertThat(members(z.rangeByLex(b("lex"), new ZSets.LexRange(null, false, b("c"), true), false, 0, -1)))
                    .containsExactly("a", "b");
            assertThat(members(z.rangeByLex(b("lex"), new ZSets.LexRange(b("aaa"), true, b("g"), true), false, 0, -1)))
                    .containsExactly("b", "c", "d", "e", "f");
            assertThat(members(z.rangeByLex(b("lex"), new ZSets.LexRange(b("c"), false, null, false), true, 0, 2)))
                    .containsExactly("g", "f");
            assertThat(z.lexCount(b("lex"), new ZSets.LexRange(b("b"), false, b("f"), false))).isEqualTo(5);
            // ZUNIONSTORE page
            z.add(b("zset1"), List.of(e(1, "one"), e(2, "two")), NONE);
            z.add(b("zset2"), List.of(e(1, "one"), e(2, "two"), e(3, "three")), NONE);
            assertThat(z.combineStore(b("out"), ZSets.Combination.UNION, List.of(b("zset1"), b("zset2")),
                    new double[] {2, 3}, ZSets.Aggregate.SUM)).isEqualTo(3);
            List<ZSets.Entry> out = z.rangeByRank(b("out"), 0, -1, false);
            assertThat(members(out)).containsExactly("one", "three", "two");
            assertThat(out).extracting(ZSets.Entry::score).containsExactly(5.0, 9.0, 10.0);
            // ZINTERSTORE page
            assertThat(z.combineStore(b("out"), ZSets.Combination.INTERSECTION, List.of(b("zset1"), b("zset2")),
                    new double[] {2, 3}, ZSets.Aggregate.SUM)).isEqualTo(2);
            assertThat(z.rangeByRank(b("out"), 0, -1, false)).extracting(ZSets.Entry::score).containsExactly(5.0, 10.0);
            // ZDIFF page
            assertThat(members(z.combine(ZSets.Combination.DIFFERENCE, List.of(b("zset2"), b("zset1")), null,
                    ZSets.Aggregate.SUM))).containsExactly("three");
            // ZPOPMIN / ZPOPMAX
            assertThat(members(z.pop(b("zset2"), 1, true))).containsExactly("three");
            assertThat(members(z.pop(b("zset2"), 5, false))).containsExactly("one", "two");
            assertThat(db.exists(b("zset2"))).isFalse();
        }
    }

    @Test
    void addOptions_followRedis() {
        try (CouloyDB db = open()) {
            ZSets z = db.zsets();
            z.add(b("z"), List.of(e(5, "a")), NONE);
            assertThat(z.add(b("z"), List.of(e(1, "a"), e(1, "b")), new ZSets.AddOptions(false, false, true, false, true)))
                    .as("GT CH: a not lowered, b added").isEqualTo(1);
            assertThat(z.score(b("z"), b("a"))).isEqualTo(5.0);
            assertThat(z.add(b("z"), List.of(e(9, "a"), e(9, "c")), new ZSets.AddOptions(false, true, false, false, true)))
                    .as("XX CH: a changed, c not added").isEqualTo(1);
            assertThat(z.score(b("z"), b("c"))).isNull();
            assertThat(z.add(b("z"), List.of(e(0, "a")), new ZSets.AddOptions(true, false, false, false, false))).isZero();
            assertThat(z.increment(b("z"), b("a"), 1, NONE)).isEqualTo(10.0);
            assertThat(z.increment(b("z"), b("a"), -100, new ZSets.AddOptions(false, false, true, false, false))).isNull();
            assertThat(z.add(b("absent"), List.of(e(1, "x")), new ZSets.AddOptions(false, true, false, false, false))).isZero();
            assertThat(db.exists(b("absent"))).isFalse();
            assertThatThrownBy(() -> new ZSets.AddOptions(true, true, false, false, false))
                    .hasMessage("XX and NX options at the same time are not compatible");
            assertThatThrownBy(() -> new ZSets.AddOptions(true, false, true, false, false))
                    .hasMessage("GT, LT, and/or NX options at the same time are not compatible");
            z.add(b("inf"), List.of(e(Double.POSITIVE_INFINITY, "x")), NONE);
            assertThatThrownBy(() -> z.increment(b("inf"), b("x"), Double.NEGATIVE_INFINITY, NONE))
                    .isInstanceOf(InvalidValueException.class).hasMessage("resulting score is not a number (NaN)");
        }
    }

    @Test
    void scoresComeBackFromHints_afterMergeAndReopen() {
        Random r = new Random(11);
        TreeMap<String, Double> model = new TreeMap<>();
        try (CouloyDB db = CouloyDB.open(Options.builder(dir).dataFileSize(64 * 1024).mergeInterval(Duration.ZERO).build())) {
            ZSets z = db.zsets();
            for (int i = 0; i < 20_000; i++) {
                String m = "m" + r.nextInt(5000);
                double s = switch (r.nextInt(5)) {
                    case 0 -> -r.nextDouble() * 1e6;
                    case 1 -> Double.NEGATIVE_INFINITY;
                    case 2 -> r.nextInt(10);
                    default -> r.nextDouble();
                };
                z.add(b("z"), List.of(e(s, m)), NONE);
                model.put(m, s);
                if (i % 7 == 0) {
                    String gone = "m" + r.nextInt(5000);
                    z.remove(b("z"), List.of(b(gone)));
                    model.remove(gone);
                }
            }
            db.merge();
        }
        try (CouloyDB db = open()) {
            ZSets z = db.zsets();
            assertThat(z.size(b("z"))).isEqualTo(model.size());
            model.forEach((m, s) -> assertThat(z.score(b("z"), b(m))).as(m).isEqualTo(s));
            List<ZSets.Entry> all = z.rangeByRank(b("z"), 0, -1, false);
            List<String> expected = new ArrayList<>(model.keySet());
            expected.sort((x, y) -> {
                int c = Double.compare(model.get(x), model.get(y));
                return c != 0 ? c : x.compareTo(y);
            });
            assertThat(members(all)).isEqualTo(expected);
            String some = expected.get(expected.size() / 3);
            assertThat(z.rank(b("z"), b(some), false)).isEqualTo(expected.size() / 3);
        }
    }

    @Test
    void unionAcceptsPlainSets_asScoreOne() {
        try (CouloyDB db = open()) {
            db.sets().add(b("s"), List.of(b("a"), b("b")));
            db.zsets().add(b("z"), List.of(e(2, "a")), NONE);
            List<ZSets.Entry> u = db.zsets().combine(ZSets.Combination.UNION, List.of(b("s"), b("z")), null,
                    ZSets.Aggregate.SUM);
            assertThat(members(u)).containsExactly("b", "a");
            assertThat(u).extracting(ZSets.Entry::score).containsExactly(1.0, 3.0);
            db.put(b("str"), b("x"));
            assertThatThrownBy(() -> db.zsets().combine(ZSets.Combination.UNION, List.of(b("str")), null,
                    ZSets.Aggregate.SUM)).isInstanceOf(WrongTypeException.class);
        }
    }

    /** Collects what a visit hands over, checking the sink's contract as it goes. */
    private static final class Collected implements ZSets.MemberSink {
        final List<String> members = new ArrayList<>();
        long expected = -1;

        @Override
        public void expect(long count) {
            assertThat(expected).as("expect is called once, first").isEqualTo(-1);
            expected = count;
        }

        @Override
        public void member(byte[] array, int start, int length) {
            assertThat(expected).as("expect comes before the members").isGreaterThanOrEqualTo(0);
            members.add(new String(array, start, length));
        }
    }

    private interface Visit {
        long run(ZSets.MemberSink sink);
    }

    /** The members a visit hands over, checked against the count it returns and the bound it announced. */
    private static List<String> visited(Visit visit) {
        Collected c = new Collected();
        long n = visit.run(c);
        assertThat(n).isEqualTo(c.members.size());
        assertThat(c.expected).isGreaterThanOrEqualTo(n);
        return c.members;
    }

    @Test
    void visitedMembers_areTheRangesMembers_inOrderAndBounds() {
        try (CouloyDB db = open()) {
            ZSets z = db.zsets();
            Random r = new Random(7);
            List<ZSets.Entry> entries = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                entries.add(e(r.nextInt(100), ("m" + i + "-").repeat(1 + r.nextInt(300))));
            }
            z.add(b("z"), entries, NONE);
            assertThat(visited(s -> z.visitByRank(b("z"), 0, -1, false, s))).isEqualTo(members(z.rangeByRank(b("z"), 0, -1, false)));
            assertThat(visited(s -> z.visitByRank(b("z"), 0, -1, true, s))).isEqualTo(members(z.rangeByRank(b("z"), 0, -1, true)));
            for (int i = 0; i < 200; i++) {
                long start = r.nextInt(7000) - 3500;
                long stop = r.nextInt(7000) - 3500;
                boolean reverse = r.nextBoolean();
                assertThat(visited(s -> z.visitByRank(b("z"), start, stop, reverse, s))).as("%d %d %s", start, stop, reverse)
                        .isEqualTo(members(z.rangeByRank(b("z"), start, stop, reverse)));
                ZSets.ScoreRange scores = new ZSets.ScoreRange(r.nextInt(110) - 5, r.nextBoolean(), r.nextInt(110) - 5, r.nextBoolean());
                long offset = r.nextInt(40) - 2;
                long count = r.nextInt(60) - 5;
                assertThat(visited(s -> z.visitByScore(b("z"), scores, reverse, offset, count, s))).as("%s %d %d", scores, offset, count)
                        .isEqualTo(members(z.rangeByScore(b("z"), scores, reverse, offset, count)));
            }
            z.add(b("lex"), List.of(e(0, "a"), e(0, "b"), e(0, "c"), e(0, "d")), NONE);
            ZSets.LexRange bc = new ZSets.LexRange(b("a"), true, b("c"), false);
            assertThat(visited(s -> z.visitByLex(b("lex"), bc, false, 0, -1, s))).containsExactly("b", "c");
            assertThat(visited(s -> z.visitByLex(b("lex"), new ZSets.LexRange(null, false, null, false), true, 1, 2, s)))
                    .containsExactly("c", "b");
            assertThat(visited(s -> z.visitByRank(b("missing"), 0, -1, false, s))).isEmpty();
            assertThat(visited(s -> z.visitByRank(b("z"), 5, 4, false, s))).isEmpty();
            db.put(b("str"), b("x"));
            assertThatThrownBy(() -> z.visitByRank(b("str"), 0, -1, false, new Collected())).isInstanceOf(WrongTypeException.class);
        }
    }
}
