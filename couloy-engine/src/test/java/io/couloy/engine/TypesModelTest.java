package io.couloy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random sequences of hash, set and string operations on a few shared keys, against a model of
 * Java collections, checked after every step, with merges, reopens and a moving clock in
 * between. jqwik prints the seed and the shrunk failing sequence on failure.
 */
class TypesModelTest {
    private static final int KEYS = 6;
    private static final int MEMBERS = 12;

    sealed interface Op permits HSet, HDel, HIncr, SAdd, SRem, SPop, SUnionStore, Push, Pop, LSet, LInsert, LRem,
            LTrim, LMove, ZAdd, ZRem, ZPop, Put, Del, Expire, Advance, Merge, MergeRun, Reopen {}

    record HSet(int key, List<Integer> fields, int valueSize) implements Op {}

    record HDel(int key, List<Integer> fields) implements Op {}

    record HIncr(int key, int field, int delta) implements Op {}

    record SAdd(int key, List<Integer> members) implements Op {}

    record SRem(int key, List<Integer> members) implements Op {}

    record SPop(int key, int count) implements Op {}

    record SUnionStore(int dst, int a, int b) implements Op {}

    record Push(int key, boolean left, List<Integer> elements) implements Op {}

    record Pop(int key, boolean left, int count) implements Op {}

    record LSet(int key, int index, int element) implements Op {}

    record LInsert(int key, boolean before, int pivot, int element, int times) implements Op {}

    record LRem(int key, int count, int element) implements Op {}

    record LTrim(int key, int start, int stop) implements Op {}

    record LMove(int src, int dst, boolean fromLeft, boolean toLeft) implements Op {}

    record ZAdd(int key, List<Integer> members, int score) implements Op {}

    record ZRem(int key, List<Integer> members) implements Op {}

    record ZPop(int key, int count, boolean max) implements Op {}

    record Put(int key, int valueSize) implements Op {}

    record Del(int key) implements Op {}

    record Expire(int key, int seconds) implements Op {}

    record Advance(int seconds) implements Op {}

    record Merge() implements Op {}

    /** A merge of some consecutive immutable files, not necessarily from the oldest (see {@link MergeRuns}). */
    record MergeRun(int from, int length) implements Op {}

    record Reopen() implements Op {}

    static byte[] key(int i) {
        return ("k" + i).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] member(int i) {
        // Some members share prefixes, one is empty, one has a zero byte.
        return switch (i % 4) {
            case 0 -> ("m" + i).getBytes(StandardCharsets.UTF_8);
            case 1 -> new byte[] {0, (byte) i};
            case 2 -> ("member-with-a-longer-name-" + i).getBytes(StandardCharsets.UTF_8);
            default -> i == 3 ? new byte[0] : new byte[] {(byte) 0xFF, (byte) i};
        };
    }

    static String name(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    /** What a key holds in the model: a string, a hash (member name to value) or a set. */
    static final class Model {
        final Map<Integer, Object> values = new HashMap<>();
        final Map<Integer, Long> expiries = new HashMap<>();

        void dropExpired(long now) {
            expiries.entrySet().removeIf(e -> {
                if (e.getValue() <= now) {
                    values.remove(e.getKey());
                    return true;
                }
                return false;
            });
        }

        void remove(int k) {
            values.remove(k);
            expiries.remove(k);
        }

        @SuppressWarnings("unchecked")
        Map<String, byte[]> hash(int k) {
            return (Map<String, byte[]>) values.get(k);
        }

        @SuppressWarnings("unchecked")
        TreeMap<String, Double> zset(int k) {
            return (TreeMap<String, Double>) values.get(k);
        }

        @SuppressWarnings("unchecked")
        List<String> list(int k) {
            return (List<String>) values.get(k);
        }

        @SuppressWarnings("unchecked")
        Set<String> set(int k) {
            return (Set<String>) values.get(k);
        }
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> key = Arbitraries.integers().between(0, KEYS - 1);
        Arbitrary<List<Integer>> members = Arbitraries.integers().between(0, MEMBERS - 1).list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<Integer> size = Arbitraries.integers().between(0, 200);
        return Arbitraries.frequencyOf(
                        Tuple.of(20, Combinators.combine(key, members, size).as(HSet::new)),
                        Tuple.of(8, Combinators.combine(key, members).as(HDel::new)),
                        Tuple.of(4, Combinators.combine(key, Arbitraries.integers().between(0, MEMBERS - 1),
                                Arbitraries.integers().between(-5, 5)).as(HIncr::new)),
                        Tuple.of(20, Combinators.combine(key, members).as(SAdd::new)),
                        Tuple.of(8, Combinators.combine(key, members).as(SRem::new)),
                        Tuple.of(3, Combinators.combine(key, Arbitraries.integers().between(0, 3)).as(SPop::new)),
                        Tuple.of(3, Combinators.combine(key, key, key).as(SUnionStore::new)),
                        Tuple.of(20, Combinators.combine(key, Arbitraries.of(true, false), members).as(Push::new)),
                        Tuple.of(6, Combinators.combine(key, Arbitraries.of(true, false),
                                Arbitraries.integers().between(0, 3)).as(Pop::new)),
                        Tuple.of(3, Combinators.combine(key, Arbitraries.integers().between(-5, 5),
                                Arbitraries.integers().between(0, MEMBERS - 1)).as(LSet::new)),
                        Tuple.of(4, Combinators.combine(key, Arbitraries.of(true, false),
                                Arbitraries.integers().between(0, MEMBERS - 1), Arbitraries.integers().between(0, MEMBERS - 1),
                                Arbitraries.of(1, 1, 1, 30)).as(LInsert::new)),
                        Tuple.of(3, Combinators.combine(key, Arbitraries.integers().between(-2, 2),
                                Arbitraries.integers().between(0, MEMBERS - 1)).as(LRem::new)),
                        Tuple.of(3, Combinators.combine(key, Arbitraries.integers().between(-6, 6),
                                Arbitraries.integers().between(-6, 6)).as(LTrim::new)),
                        Tuple.of(3, Combinators.combine(key, key, Arbitraries.of(true, false), Arbitraries.of(true, false))
                                .as(LMove::new)),
                        Tuple.of(15, Combinators.combine(key, members, Arbitraries.integers().between(-3, 3)).as(ZAdd::new)),
                        Tuple.of(5, Combinators.combine(key, members).as(ZRem::new)),
                        Tuple.of(3, Combinators.combine(key, Arbitraries.integers().between(0, 3), Arbitraries.of(true, false))
                                .as(ZPop::new)),
                        Tuple.of(5, Combinators.combine(key, size).as(Put::new)),
                        Tuple.of(4, key.map(Del::new)),
                        Tuple.of(3, Combinators.combine(key, Arbitraries.integers().between(-1, 6)).as(Expire::new)),
                        Tuple.of(3, Arbitraries.integers().between(1, 4).map(Advance::new)),
                        Tuple.of(3, Arbitraries.just(new Merge())),
                        Tuple.of(5, Combinators.combine(Arbitraries.integers().between(0, 50),
                                Arbitraries.integers().between(0, 50)).as(MergeRun::new)),
                        Tuple.of(3, Arbitraries.just(new Reopen())))
                .map(op -> (Op) op)
                .list().ofMinSize(1).ofMaxSize(100);
    }

    @Property(tries = 100)
    void hashesSetsAndStrings_matchModel(@ForAll("ops") List<Op> ops, @ForAll MergeReads reads) throws IOException {
        Path dir = Files.createTempDirectory("couloy-types-model");
        TestClock clock = new TestClock();
        Options options = Options.builder(dir).clock(clock).dataFileSize(4096).mergeInterval(Duration.ZERO)
                .syncPolicy(SyncPolicy.OS).mergeReads(reads).build();
        Model model = new Model();
        Random random = new Random(7);
        CouloyDB db = CouloyDB.open(options);
        try {
            for (Op op : ops) {
                switch (op) {
                    case Merge m -> db.merge();
                    case MergeRun m -> db.merge(MergeRuns.run(m.from(), m.length()));
                    case Reopen r -> {
                        db.close();
                        db = CouloyDB.open(options);
                    }
                    case Advance a -> clock.advance(Duration.ofSeconds(a.seconds()));
                    default -> apply(db, model, clock.millis(), op, random);
                }
                model.dropExpired(clock.millis());
                check(db, model, op);
            }
        } finally {
            db.close();
            deleteTree(dir);
        }
    }

    private static KeyType typeOf(Object v) {
        return v == null ? null : v instanceof byte[] ? KeyType.STRING : v instanceof TreeMap ? KeyType.ZSET
                : v instanceof Map ? KeyType.HASH : v instanceof List ? KeyType.LIST : KeyType.SET;
    }

    private static byte[] unname(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }

    private static void applyList(CouloyDB db, Model model, Op op) {
        Lists lists = db.lists();
        switch (op) {
            case Push o -> {
                if (wrongType(model, o.key(), KeyType.LIST)) {
                    assertThatThrownBy(() -> lists.pushLeft(key(o.key()), List.of(member(0))))
                            .isInstanceOf(WrongTypeException.class);
                    return;
                }
                List<String> list = model.list(o.key()) == null ? new ArrayList<>() : model.list(o.key());
                for (int e : o.elements()) {
                    if (o.left()) {
                        list.add(0, name(member(e)));
                    } else {
                        list.add(name(member(e)));
                    }
                }
                model.values.put(o.key(), list);
                List<byte[]> elements = o.elements().stream().map(TypesModelTest::member).toList();
                long n = o.left() ? lists.pushLeft(key(o.key()), elements) : lists.pushRight(key(o.key()), elements);
                assertThat(n).isEqualTo(list.size());
            }
            case Pop o -> {
                if (wrongType(model, o.key(), KeyType.LIST)) {
                    return;
                }
                List<String> list = model.list(o.key());
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < o.count() && list != null && !list.isEmpty(); i++) {
                    expected.add(o.left() ? list.remove(0) : list.remove(list.size() - 1));
                }
                if (list != null && list.isEmpty()) {
                    model.remove(o.key());
                }
                List<byte[]> popped = lists.pop(key(o.key()), o.left() ? Lists.End.LEFT : Lists.End.RIGHT, o.count());
                assertThat(popped.stream().map(TypesModelTest::name).toList()).isEqualTo(expected);
            }
            case LSet o -> {
                if (wrongType(model, o.key(), KeyType.LIST)) {
                    return;
                }
                List<String> list = model.list(o.key());
                int i = list == null ? -1 : o.index() < 0 ? list.size() + o.index() : o.index();
                if (list == null || i < 0 || i >= list.size()) {
                    assertThatThrownBy(() -> lists.set(key(o.key()), o.index(), member(o.element())))
                            .isInstanceOf(InvalidValueException.class)
                            .hasMessage(list == null ? "no such key" : "index out of range");
                    return;
                }
                list.set(i, name(member(o.element())));
                lists.set(key(o.key()), o.index(), member(o.element()));
            }
            case LInsert o -> {
                if (wrongType(model, o.key(), KeyType.LIST)) {
                    return;
                }
                for (int t = 0; t < o.times(); t++) {
                    List<String> list = model.list(o.key());
                    long expected;
                    if (list == null) {
                        expected = 0;
                    } else {
                        int at = list.indexOf(name(member(o.pivot())));
                        if (at < 0) {
                            expected = -1;
                        } else {
                            list.add(o.before() ? at : at + 1, name(member(o.element())));
                            expected = list.size();
                        }
                    }
                    assertThat(lists.insert(key(o.key()), o.before(), member(o.pivot()), member(o.element())))
                            .isEqualTo(expected);
                }
            }
            case LRem o -> {
                if (wrongType(model, o.key(), KeyType.LIST)) {
                    return;
                }
                List<String> list = model.list(o.key());
                String e = name(member(o.element()));
                int removed = 0;
                if (list != null) {
                    int limit = o.count() == 0 ? Integer.MAX_VALUE : Math.abs(o.count());
                    if (o.count() >= 0) {
                        for (int i = 0; i < list.size() && removed < limit; ) {
                            if (list.get(i).equals(e)) {
                                list.remove(i);
                                removed++;
                            } else {
                                i++;
                            }
                        }
                    } else {
                        for (int i = list.size() - 1; i >= 0 && removed < limit; i--) {
                            if (list.get(i).equals(e)) {
                                list.remove(i);
                                removed++;
                            }
                        }
                    }
                    if (list.isEmpty()) {
                        model.remove(o.key());
                    }
                }
                assertThat(lists.remove(key(o.key()), o.count(), member(o.element()))).isEqualTo(removed);
            }
            case LTrim o -> {
                if (wrongType(model, o.key(), KeyType.LIST)) {
                    return;
                }
                List<String> list = model.list(o.key());
                if (list != null) {
                    int n = list.size();
                    int start = o.start() < 0 ? Math.max(0, n + o.start()) : o.start();
                    int stop = o.stop() < 0 ? n + o.stop() : Math.min(o.stop(), n - 1);
                    List<String> kept = start > stop || start >= n ? new ArrayList<>()
                            : new ArrayList<>(list.subList(start, stop + 1));
                    if (kept.isEmpty()) {
                        model.remove(o.key());
                    } else {
                        model.values.put(o.key(), kept);
                    }
                }
                lists.trim(key(o.key()), o.start(), o.stop());
            }
            case LMove o -> {
                if (wrongType(model, o.src(), KeyType.LIST) || wrongType(model, o.dst(), KeyType.LIST)) {
                    assertThatThrownBy(() -> lists.move(key(o.src()), key(o.dst()), Lists.End.LEFT, Lists.End.LEFT))
                            .isInstanceOf(WrongTypeException.class);
                    return;
                }
                List<String> src = model.list(o.src());
                String moved = null;
                if (src != null) {
                    moved = o.fromLeft() ? src.remove(0) : src.remove(src.size() - 1);
                    if (src.isEmpty()) {
                        model.remove(o.src());
                    }
                    List<String> dst = model.list(o.dst()) == null ? new ArrayList<>() : model.list(o.dst());
                    if (o.toLeft()) {
                        dst.add(0, moved);
                    } else {
                        dst.add(moved);
                    }
                    model.values.put(o.dst(), dst);
                }
                byte[] result = lists.move(key(o.src()), key(o.dst()), o.fromLeft() ? Lists.End.LEFT : Lists.End.RIGHT,
                        o.toLeft() ? Lists.End.LEFT : Lists.End.RIGHT);
                assertThat(result == null ? null : name(result)).isEqualTo(moved);
            }
            default -> throw new IllegalStateException("unexpected " + op);
        }
    }

    private static void apply(CouloyDB db, Model model, long now, Op op, Random random) {
        Hashes h = db.hashes();
        Sets s = db.sets();
        switch (op) {
            case HSet o -> {
                if (wrongType(model, o.key(), KeyType.HASH)) {
                    assertThatThrownBy(() -> h.set(key(o.key()), member(0), new byte[1])).isInstanceOf(WrongTypeException.class);
                    return;
                }
                List<Hashes.FieldValue> fields = new ArrayList<>();
                Map<String, byte[]> hash = model.hash(o.key()) == null ? new HashMap<>() : model.hash(o.key());
                Set<String> added = new HashSet<>();
                for (int f : o.fields()) {
                    byte[] v = new byte[o.valueSize() + f];
                    java.util.Arrays.fill(v, (byte) (f + o.valueSize()));
                    fields.add(new Hashes.FieldValue(member(f), v));
                    if (hash.put(name(member(f)), v) == null) {
                        added.add(name(member(f)));
                    }
                }
                model.values.put(o.key(), hash);
                assertThat(h.set(key(o.key()), fields)).as("fields added").isEqualTo(added.size());
            }
            case HDel o -> {
                if (wrongType(model, o.key(), KeyType.HASH)) {
                    assertThatThrownBy(() -> h.delete(key(o.key()), List.of(member(0)))).isInstanceOf(WrongTypeException.class);
                    return;
                }
                Map<String, byte[]> hash = model.hash(o.key());
                int removed = 0;
                for (int f : new HashSet<>(o.fields())) {
                    if (hash != null && hash.remove(name(member(f))) != null) {
                        removed++;
                    }
                }
                if (hash != null && hash.isEmpty()) {
                    model.remove(o.key());
                }
                assertThat(h.delete(key(o.key()), o.fields().stream().map(TypesModelTest::member).toList()))
                        .as("fields removed").isEqualTo(removed);
            }
            case HIncr o -> {
                if (wrongType(model, o.key(), KeyType.HASH)) {
                    return;
                }
                Map<String, byte[]> hash = model.hash(o.key()) == null ? new HashMap<>() : model.hash(o.key());
                byte[] old = hash.get(name(member(o.field())));
                Long current = old == null ? Long.valueOf(0) : parse(old);
                if (current == null) {
                    assertThatThrownBy(() -> h.incrementBy(key(o.key()), member(o.field()), o.delta()))
                            .isInstanceOf(InvalidValueException.class).hasMessage("hash value is not an integer");
                    return;
                }
                long next = current + o.delta();
                hash.put(name(member(o.field())), Long.toString(next).getBytes(StandardCharsets.US_ASCII));
                model.values.put(o.key(), hash);
                assertThat(h.incrementBy(key(o.key()), member(o.field()), o.delta())).isEqualTo(next);
            }
            case SAdd o -> {
                if (wrongType(model, o.key(), KeyType.SET)) {
                    assertThatThrownBy(() -> s.add(key(o.key()), List.of(member(0)))).isInstanceOf(WrongTypeException.class);
                    return;
                }
                Set<String> set = model.set(o.key()) == null ? new HashSet<>() : model.set(o.key());
                int added = 0;
                for (int m : o.members()) {
                    if (set.add(name(member(m)))) {
                        added++;
                    }
                }
                model.values.put(o.key(), set);
                assertThat(s.add(key(o.key()), o.members().stream().map(TypesModelTest::member).toList()))
                        .as("members added").isEqualTo(added);
            }
            case SRem o -> {
                if (wrongType(model, o.key(), KeyType.SET)) {
                    return;
                }
                Set<String> set = model.set(o.key());
                int removed = 0;
                for (int m : new HashSet<>(o.members())) {
                    if (set != null && set.remove(name(member(m)))) {
                        removed++;
                    }
                }
                if (set != null && set.isEmpty()) {
                    model.remove(o.key());
                }
                assertThat(s.remove(key(o.key()), o.members().stream().map(TypesModelTest::member).toList()))
                        .as("members removed").isEqualTo(removed);
            }
            case SPop o -> {
                if (wrongType(model, o.key(), KeyType.SET)) {
                    return;
                }
                Set<String> set = model.set(o.key());
                List<byte[]> popped = s.pop(key(o.key()), o.count(), random);
                int expected = set == null ? 0 : Math.min(o.count(), set.size());
                assertThat(popped).as("popped").hasSize(expected);
                for (byte[] p : popped) {
                    assertThat(set.remove(name(p))).as("popped a member").isTrue();
                }
                if (set != null && set.isEmpty()) {
                    model.remove(o.key());
                }
            }
            case SUnionStore o -> {
                if (wrongType(model, o.a(), KeyType.SET) || wrongType(model, o.b(), KeyType.SET)) {
                    assertThatThrownBy(() -> s.unionStore(key(o.dst()), List.of(key(o.a()), key(o.b()))))
                            .isInstanceOf(WrongTypeException.class);
                    return;
                }
                Set<String> union = new HashSet<>();
                if (model.set(o.a()) != null) {
                    union.addAll(model.set(o.a()));
                }
                if (model.set(o.b()) != null) {
                    union.addAll(model.set(o.b()));
                }
                model.remove(o.dst());
                if (!union.isEmpty()) {
                    model.values.put(o.dst(), union);
                }
                assertThat(s.unionStore(key(o.dst()), List.of(key(o.a()), key(o.b())))).isEqualTo(union.size());
            }
            case Push o -> applyList(db, model, o);
            case Pop o -> applyList(db, model, o);
            case LSet o -> applyList(db, model, o);
            case LInsert o -> applyList(db, model, o);
            case LRem o -> applyList(db, model, o);
            case LTrim o -> applyList(db, model, o);
            case LMove o -> applyList(db, model, o);
            case ZAdd o -> {
                if (wrongType(model, o.key(), KeyType.ZSET)) {
                    assertThatThrownBy(() -> db.zsets().add(key(o.key()), List.of(new ZSets.Entry(member(0), 1)),
                            ZSets.AddOptions.NONE)).isInstanceOf(WrongTypeException.class);
                    return;
                }
                TreeMap<String, Double> z = model.zset(o.key()) == null ? new TreeMap<>() : model.zset(o.key());
                Set<String> added = new HashSet<>();
                List<ZSets.Entry> entries = new ArrayList<>();
                for (int i = 0; i < o.members().size(); i++) {
                    double score = o.score() * 1.5 + i;
                    String m = name(member(o.members().get(i)));
                    if (!z.containsKey(m)) {
                        added.add(m);
                    }
                    entries.add(new ZSets.Entry(member(o.members().get(i)), score));
                }
                for (ZSets.Entry e : entries) {
                    z.put(name(e.member()), e.score());
                }
                model.values.put(o.key(), z);
                assertThat(db.zsets().add(key(o.key()), entries, ZSets.AddOptions.NONE)).isEqualTo(added.size());
            }
            case ZRem o -> {
                if (wrongType(model, o.key(), KeyType.ZSET)) {
                    return;
                }
                TreeMap<String, Double> z = model.zset(o.key());
                int removed = 0;
                for (int m : new HashSet<>(o.members())) {
                    if (z != null && z.remove(name(member(m))) != null) {
                        removed++;
                    }
                }
                if (z != null && z.isEmpty()) {
                    model.remove(o.key());
                }
                assertThat(db.zsets().remove(key(o.key()), o.members().stream().map(TypesModelTest::member).toList()))
                        .isEqualTo(removed);
            }
            case ZPop o -> {
                if (wrongType(model, o.key(), KeyType.ZSET)) {
                    return;
                }
                TreeMap<String, Double> z = model.zset(o.key());
                List<String> expected = new ArrayList<>();
                if (z != null) {
                    List<String> ordered = zorder(z);
                    for (int i = 0; i < o.count() && i < ordered.size(); i++) {
                        String m = ordered.get(o.max() ? ordered.size() - 1 - i : i);
                        expected.add(m);
                        z.remove(m);
                    }
                    if (z.isEmpty()) {
                        model.remove(o.key());
                    }
                }
                assertThat(db.zsets().pop(key(o.key()), o.count(), o.max()).stream().map(e -> name(e.member())).toList())
                        .isEqualTo(expected);
            }
            case Put o -> {
                byte[] v = new byte[o.valueSize()];
                java.util.Arrays.fill(v, (byte) 'v');
                model.remove(o.key());
                model.values.put(o.key(), v);
                db.put(key(o.key()), v);
            }
            case Del o -> {
                boolean existed = model.values.containsKey(o.key());
                model.remove(o.key());
                assertThat(db.delete(key(o.key()))).isEqualTo(existed);
            }
            case Expire o -> {
                boolean existed = model.values.containsKey(o.key());
                assertThat(db.expire(key(o.key()), Duration.ofSeconds(o.seconds()))).isEqualTo(existed);
                if (existed) {
                    if (o.seconds() <= 0) {
                        model.remove(o.key());
                    } else {
                        model.expiries.put(o.key(), now + o.seconds() * 1000L);
                    }
                }
            }
            default -> throw new IllegalStateException("unexpected " + op);
        }
    }

    /** Members in Redis's order: by score, then by bytes (the hex names sort as the bytes do). */
    private static List<String> zorder(TreeMap<String, Double> z) {
        List<String> ordered = new ArrayList<>(z.keySet());
        ordered.sort((a, b) -> {
            int c = Double.compare(z.get(a), z.get(b));
            return c != 0 ? c : a.compareTo(b);
        });
        return ordered;
    }

    private static boolean wrongType(Model model, int key, KeyType wanted) {
        KeyType held = typeOf(model.values.get(key));
        return held != null && held != wanted;
    }

    private static Long parse(byte[] v) {
        String s = new String(v, StandardCharsets.US_ASCII);
        if (!s.matches("0|-?[1-9][0-9]{0,18}")) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void check(CouloyDB db, Model model, Op after) {
        for (int k = 0; k < KEYS; k++) {
            Object v = model.values.get(k);
            byte[] key = key(k);
            assertThat(db.type(key)).as("type of key %d after %s", k, after).isEqualTo(typeOf(v));
            switch (typeOf(v)) {
                case null -> {
                    assertThat(db.get(key)).isNull();
                    assertThat(db.hashes().length(key)).isZero();
                    assertThat(db.sets().members(key)).isEmpty();
                    assertThat(db.lists().range(key, 0, -1)).isEmpty();
                }
                case STRING -> {
                    assertThat(db.get(key)).isEqualTo((byte[]) v);
                    assertThatThrownBy(() -> db.hashes().get(key, member(0))).isInstanceOf(WrongTypeException.class);
                }
                case HASH -> {
                    Map<String, byte[]> hash = model.hash(k);
                    Map<String, byte[]> actual = new HashMap<>();
                    for (Hashes.FieldValue fv : db.hashes().entries(key)) {
                        assertThat(actual.put(name(fv.field()), fv.value())).as("field returned twice").isNull();
                    }
                    assertThat(actual.keySet()).as("fields of key %d after %s", k, after).isEqualTo(hash.keySet());
                    hash.forEach((f, val) -> assertThat(actual.get(f)).as("field %s", f).isEqualTo(val));
                    assertThat(db.hashes().length(key)).isEqualTo(hash.size());
                    for (int m = 0; m < MEMBERS; m++) {
                        assertThat(db.hashes().get(key, member(m))).isEqualTo(hash.get(name(member(m))));
                    }
                    assertThatThrownBy(() -> db.get(key)).isInstanceOf(WrongTypeException.class);
                    assertThatThrownBy(() -> db.sets().size(key)).isInstanceOf(WrongTypeException.class);
                }
                case SET -> {
                    Set<String> set = model.set(k);
                    Set<String> actual = new HashSet<>();
                    for (byte[] m : db.sets().members(key)) {
                        assertThat(actual.add(name(m))).as("member returned twice").isTrue();
                    }
                    assertThat(actual).as("members of key %d after %s", k, after).isEqualTo(set);
                    assertThat(db.sets().size(key)).isEqualTo(set.size());
                    for (int m = 0; m < MEMBERS; m++) {
                        assertThat(db.sets().contains(key, member(m))).isEqualTo(set.contains(name(member(m))));
                    }
                }
                case ZSET -> {
                    TreeMap<String, Double> z = model.zset(k);
                    List<ZSets.Entry> all = db.zsets().rangeByRank(key, 0, -1, false);
                    assertThat(all.stream().map(e -> name(e.member())).toList()).as("zset %d after %s", k, after)
                            .isEqualTo(zorder(z));
                    for (ZSets.Entry e : all) {
                        assertThat(e.score()).isEqualTo(z.get(name(e.member())));
                    }
                    for (int m = 0; m < MEMBERS; m++) {
                        Double s = z.get(name(member(m)));
                        assertThat(db.zsets().score(key, member(m))).isEqualTo(s);
                        assertThat(db.zsets().rank(key, member(m), false))
                                .isEqualTo(s == null ? null : (long) zorder(z).indexOf(name(member(m))));
                    }
                }
                case LIST -> {
                    List<String> list = model.list(k);
                    assertThat(db.lists().range(key, 0, -1).stream().map(TypesModelTest::name).toList())
                            .as("list %d after %s", k, after).isEqualTo(list);
                    assertThat(db.lists().length(key)).isEqualTo(list.size());
                    assertThat(name(db.lists().index(key, -1))).isEqualTo(list.get(list.size() - 1));
                    assertThat(db.lists().range(key, 1, 2).stream().map(TypesModelTest::name).toList())
                            .isEqualTo(list.subList(Math.min(1, list.size()), Math.min(3, list.size())));
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
