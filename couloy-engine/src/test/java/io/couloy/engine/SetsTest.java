package io.couloy.engine;

import static io.couloy.engine.Bytes.b;
import static io.couloy.engine.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SetsTest {
    @TempDir
    Path dir;

    private CouloyDB open() {
        return CouloyDB.open(Options.builder(dir).mergeInterval(Duration.ZERO).build());
    }

    private static List<byte[]> l(String... members) {
        return Arrays.stream(members).map(Bytes::b).toList();
    }

    private static List<String> sorted(List<byte[]> members) {
        return members.stream().map(Bytes::s).sorted().toList();
    }

    @Test
    void addRemoveContains_countAsRedis() {
        try (CouloyDB db = open()) {
            Sets sets = db.sets();
            assertThat(sets.add(b("s"), l("a", "b", "a", ""))).isEqualTo(3);
            assertThat(sets.add(b("s"), l("a", "c"))).isEqualTo(1);
            assertThat(sets.size(b("s"))).isEqualTo(4);
            assertThat(sets.contains(b("s"), b(""))).isTrue();
            assertThat(sets.contains(b("s"), l("a", "x", "c"))).containsExactly(true, false, true);
            assertThat(sets.remove(b("s"), l("a", "x", "a"))).isEqualTo(1);
            assertThat(sorted(sets.members(b("s")))).containsExactly("", "b", "c");
            assertThat(sets.remove(b("s"), l("b", "c", ""))).isEqualTo(3);
            assertThat(db.exists(b("s"))).isFalse();
            assertThat(sets.remove(b("s"), l("b"))).isZero();
        }
    }

    @Test
    void pop_removesWhatItReturns_andDeletesTheEmptiedSet() {
        try (CouloyDB db = open()) {
            Sets sets = db.sets();
            sets.add(b("s"), l("a", "b", "c", "d"));
            Random r = new Random(3);
            List<byte[]> popped = sets.pop(b("s"), 3, r);
            assertThat(popped).hasSize(3);
            assertThat(sets.size(b("s"))).isEqualTo(1);
            popped.forEach(p -> assertThat(sets.contains(b("s"), p)).isFalse());
            assertThat(sets.pop(b("s"), 5, r)).hasSize(1);
            assertThat(db.exists(b("s"))).isFalse();
            assertThat(sets.pop(b("s"), 1, r)).isEmpty();
        }
    }

    @Test
    void randomMembers_positiveDistinct_negativeRepeats() {
        try (CouloyDB db = open()) {
            Sets sets = db.sets();
            List<byte[]> many = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                many.add(b("m" + i));
            }
            sets.add(b("s"), many);
            Random r = new Random(5);
            assertThat(new HashSet<>(sorted(sets.randomMembers(b("s"), 10, r)))).hasSize(10);
            assertThat(sets.randomMembers(b("s"), 1000, r)).hasSize(100);
            assertThat(sets.randomMembers(b("s"), -1000, r)).hasSize(1000);
            assertThat(sets.size(b("s"))).isEqualTo(100);
        }
    }

    @Test
    void move_isAtomicAndChecksTypes() {
        try (CouloyDB db = open()) {
            Sets sets = db.sets();
            sets.add(b("src"), l("a", "b"));
            db.put(b("str"), b("v"));
            assertThat(sets.move(b("src"), b("dst"), b("a"))).isTrue();
            assertThat(sorted(sets.members(b("dst")))).containsExactly("a");
            assertThat(sets.move(b("src"), b("dst"), b("zz"))).isFalse();
            assertThatThrownBy(() -> sets.move(b("src"), b("str"), b("zz"))).isInstanceOf(WrongTypeException.class);
            assertThat(sets.move(b("src"), b("dst"), b("b"))).isTrue();
            assertThat(db.exists(b("src"))).isFalse();
            assertThat(sorted(sets.members(b("dst")))).containsExactly("a", "b");
            assertThat(sets.move(b("dst"), b("dst"), b("a"))).isTrue();
            assertThat(sets.size(b("dst"))).isEqualTo(2);
        }
    }

    @Test
    void algebra_matchesRedisExamples() {
        try (CouloyDB db = open()) {
            Sets sets = db.sets();
            // The examples of Redis's SINTER / SUNION / SDIFF pages.
            sets.add(b("key1"), l("a", "b", "c", "d"));
            sets.add(b("key2"), l("c"));
            sets.add(b("key3"), l("a", "c", "e"));
            List<byte[]> keys = List.of(b("key1"), b("key2"), b("key3"));
            assertThat(sorted(sets.intersection(keys))).containsExactly("c");
            assertThat(sorted(sets.union(keys))).containsExactly("a", "b", "c", "d", "e");
            assertThat(sorted(sets.difference(keys))).containsExactly("b", "d");
            assertThat(sets.intersection(List.of(b("key1"), b("missing")))).isEmpty();
            assertThat(sets.intersectionSize(List.of(b("key1"), b("key3")), 0)).isEqualTo(2);
            assertThat(sets.intersectionSize(List.of(b("key1"), b("key3")), 1)).isEqualTo(1);
            db.put(b("str"), b("v"));
            assertThatThrownBy(() -> sets.union(List.of(b("key1"), b("str")))).isInstanceOf(WrongTypeException.class);
            assertThatThrownBy(() -> sets.intersection(List.of(b("missing"), b("str"))))
                    .isInstanceOf(WrongTypeException.class);
        }
    }

    @Test
    void store_replacesAnyDestination_andAnEmptyResultDeletesIt() {
        TestClock clock = new TestClock();
        try (CouloyDB db = CouloyDB.open(Options.builder(dir).clock(clock).mergeInterval(Duration.ZERO).build())) {
            Sets sets = db.sets();
            sets.add(b("a"), l("1", "2", "3"));
            sets.add(b("b"), l("2", "3", "4"));
            db.put(b("dst"), b("a string"), Duration.ofSeconds(5));
            assertThat(sets.intersectionStore(b("dst"), List.of(b("a"), b("b")))).isEqualTo(2);
            assertThat(db.type(b("dst"))).isEqualTo(KeyType.SET);
            assertThat(db.ttl(b("dst"))).isEqualTo(-1);
            assertThat(sets.unionStore(b("a"), List.of(b("a"), b("b")))).isEqualTo(4);
            assertThat(sorted(sets.members(b("a")))).containsExactly("1", "2", "3", "4");
            assertThat(sets.differenceStore(b("dst"), List.of(b("b"), b("a")))).isZero();
            assertThat(db.exists(b("dst"))).isFalse();
        }
        try (CouloyDB db = open()) {
            assertThat(sorted(db.sets().members(b("a")))).containsExactly("1", "2", "3", "4");
            assertThat(db.exists(b("dst"))).isFalse();
        }
    }

    @Test
    void scan_visitsEveryMember_andFiltersWithMatch() {
        try (CouloyDB db = open()) {
            List<byte[]> members = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                members.add(b((i % 2 == 0 ? "even" : "odd") + i));
            }
            db.sets().add(b("s"), members);
            Set<String> seen = new HashSet<>();
            long cursor = 0;
            do {
                ScanStep<byte[]> step = db.sets().scan(b("s"), cursor, 50, GlobPattern.compile(b("odd*")));
                step.items().forEach(m -> seen.add(s(m)));
                cursor = step.cursor();
            } while (cursor != 0);
            assertThat(seen).hasSize(500).allMatch(m -> m.startsWith("odd"));
        }
    }

    @Test
    void largeSet_survivesMergeAndReopen() {
        try (CouloyDB db = CouloyDB.open(Options.builder(dir).dataFileSize(256 * 1024).mergeInterval(Duration.ZERO).build())) {
            for (int round = 0; round < 5; round++) {
                List<byte[]> members = new ArrayList<>();
                for (int i = 0; i < 5000; i++) {
                    members.add(b("m" + (round * 3000 + i)));
                }
                db.sets().add(b("s"), members);
                db.merge();
            }
        }
        try (CouloyDB db = open()) {
            assertThat(db.sets().size(b("s"))).isEqualTo(17000);
            assertThat(db.sets().contains(b("s"), b("m16999"))).isTrue();
        }
    }
}
