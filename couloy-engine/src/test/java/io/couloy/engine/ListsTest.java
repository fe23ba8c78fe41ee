package io.couloy.engine;

import static io.couloy.engine.Bytes.b;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListsTest {
    @TempDir
    Path dir;

    private final TestClock clock = new TestClock();

    private CouloyDB open() {
        return CouloyDB.open(Options.builder(dir).clock(clock).mergeInterval(Duration.ZERO).build());
    }

    private static List<byte[]> l(String... elements) {
        return Arrays.stream(elements).map(Bytes::b).toList();
    }

    private static List<String> strings(List<byte[]> elements) {
        return elements.stream().map(Bytes::s).toList();
    }

    @Test
    void aLongListsNativePagesAreFreedWhenItIsDeletedAndWhenTheDatabaseCloses() throws Exception {
        long before = CouloyDB.nativeMemoryBytes();
        try (CouloyDB db = open()) {
            List<byte[]> values = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                values.add(b("v" + i));
            }
            for (int i = 0; i < 40; i++) { // 40 000 elements: past one 16384-element page
                db.lists().pushRight(b("gone"), values);
                db.lists().pushRight(b("kept"), values);
            }
            long held = CouloyDB.nativeMemoryBytes() - before;
            assertThat(held).isGreaterThan(2 * 20L * 16384);

            db.delete(b("gone"));
            // the deleted list is retired in the background
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (CouloyDB.nativeMemoryBytes() - before > held / 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(CouloyDB.nativeMemoryBytes() - before).isEqualTo(held / 2);
            assertThat(db.lists().length(b("kept"))).isEqualTo(40_000);
        }
        assertThat(CouloyDB.nativeMemoryBytes()).isEqualTo(before);
    }

    @Test
    void redisPageExamples() {
        try (CouloyDB db = open()) {
            Lists lists = db.lists();
            // LRANGE page
            lists.pushRight(b("mylist"), l("one", "two", "three"));
            assertThat(strings(lists.range(b("mylist"), 0, 0))).containsExactly("one");
            assertThat(strings(lists.range(b("mylist"), -3, 2))).containsExactly("one", "two", "three");
            assertThat(strings(lists.range(b("mylist"), -100, 100))).containsExactly("one", "two", "three");
            assertThat(lists.range(b("mylist"), 5, 10)).isEmpty();
            // LINSERT page
            lists.trim(b("mylist"), 1, 0);
            assertThat(db.exists(b("mylist"))).isFalse();
            lists.pushRight(b("mylist"), l("Hello", "World"));
            assertThat(lists.insert(b("mylist"), true, b("World"), b("There"))).isEqualTo(3);
            assertThat(strings(lists.range(b("mylist"), 0, -1))).containsExactly("Hello", "There", "World");
            assertThat(lists.insert(b("mylist"), true, b("nope"), b("x"))).isEqualTo(-1);
            assertThat(lists.insert(b("nokey"), true, b("World"), b("x"))).isZero();
            // LPOS page
            lists.pushRight(b("pos"), l("a", "b", "c", "d", "1", "2", "3", "4", "3", "3", "3"));
            assertThat(lists.positions(b("pos"), b("3"), 1, 1, 0)).containsExactly(6L);
            assertThat(lists.positions(b("pos"), b("3"), 1, 0, 0)).containsExactly(6L, 8L, 9L, 10L);
            assertThat(lists.positions(b("pos"), b("3"), 2, 0, 0)).containsExactly(8L, 9L, 10L);
            assertThat(lists.positions(b("pos"), b("3"), -1, 2, 0)).containsExactly(10L, 9L);
            assertThat(lists.positions(b("pos"), b("3"), 1, 0, 7)).containsExactly(6L);
            // LREM page
            lists.pushRight(b("rem"), l("hello", "hello", "foo", "hello"));
            assertThat(lists.remove(b("rem"), -2, b("hello"))).isEqualTo(2);
            assertThat(strings(lists.range(b("rem"), 0, -1))).containsExactly("hello", "foo");
            // LMOVE page
            lists.pushRight(b("src"), l("one", "two", "three"));
            assertThat(new String(lists.move(b("src"), b("dst"), Lists.End.RIGHT, Lists.End.LEFT))).isEqualTo("three");
            assertThat(new String(lists.move(b("src"), b("dst"), Lists.End.LEFT, Lists.End.RIGHT))).isEqualTo("one");
            assertThat(strings(lists.range(b("src"), 0, -1))).containsExactly("two");
            assertThat(strings(lists.range(b("dst"), 0, -1))).containsExactly("three", "one");
            // LPUSH order
            lists.pushLeft(b("lp"), l("a", "b", "c"));
            assertThat(strings(lists.range(b("lp"), 0, -1))).containsExactly("c", "b", "a");
            assertThat(lists.pushLeftIfExists(b("absent"), l("x"))).isZero();
            assertThat(db.exists(b("absent"))).isFalse();
        }
    }

    @Test
    void rotationOnOneKey_keepsEveryElement() {
        try (CouloyDB db = open()) {
            Lists lists = db.lists();
            lists.pushRight(b("r"), l("a", "b", "c"));
            lists.move(b("r"), b("r"), Lists.End.LEFT, Lists.End.RIGHT);
            assertThat(strings(lists.range(b("r"), 0, -1))).containsExactly("b", "c", "a");
            lists.move(b("r"), b("r"), Lists.End.RIGHT, Lists.End.LEFT);
            assertThat(strings(lists.range(b("r"), 0, -1))).containsExactly("a", "b", "c");
        }
    }

    @Test
    void manyInsertsAtOnePlace_rewriteTheListAndKeepItsExpiry() {
        try (CouloyDB db = open()) {
            Lists lists = db.lists();
            lists.pushRight(b("l"), l("first", "last"));
            db.expire(b("l"), Duration.ofSeconds(100));
            List<String> expected = new ArrayList<>(List.of("first", "last"));
            for (int i = 0; i < 100; i++) {
                lists.insert(b("l"), true, b("last"), b("x" + i));
                expected.add(expected.size() - 1, "x" + i);
            }
            assertThat(strings(lists.range(b("l"), 0, -1))).isEqualTo(expected);
            assertThat(db.ttl(b("l"))).isEqualTo(100_000);
            db.merge();
            assertThat(strings(lists.range(b("l"), 0, -1))).isEqualTo(expected);
        }
        try (CouloyDB db = open()) {
            assertThat(db.lists().length(b("l"))).isEqualTo(102);
            assertThat(db.ttl(b("l"))).isEqualTo(100_000);
        }
    }

    @Test
    void queueOfAHundredThousand_survivesMergeAndReopen() {
        try (CouloyDB db = CouloyDB.open(Options.builder(dir).dataFileSize(1 << 20).mergeInterval(Duration.ZERO).build())) {
            Lists lists = db.lists();
            for (int i = 0; i < 100_000; i += 100) {
                List<byte[]> batch = new ArrayList<>();
                for (int j = i; j < i + 100; j++) {
                    batch.add(b("e" + j));
                }
                lists.pushRight(b("q"), batch);
            }
            assertThat(lists.pop(b("q"), Lists.End.LEFT, 40_000)).hasSize(40_000);
            lists.pushLeft(b("q"), l("head"));
            db.merge();
        }
        try (CouloyDB db = open()) {
            Lists lists = db.lists();
            assertThat(lists.length(b("q"))).isEqualTo(60_001);
            assertThat(new String(lists.index(b("q"), 0))).isEqualTo("head");
            assertThat(new String(lists.index(b("q"), 1))).isEqualTo("e40000");
            assertThat(new String(lists.index(b("q"), -1))).isEqualTo("e99999");
            assertThat(strings(lists.range(b("q"), 30_000, 30_001))).containsExactly("e69999", "e70000");
        }
    }

    @Test
    void setAndIndex_addressFromEitherEnd() {
        try (CouloyDB db = open()) {
            Lists lists = db.lists();
            lists.pushRight(b("l"), l("a", "b", "c"));
            lists.set(b("l"), -1, b("C"));
            lists.set(b("l"), 0, b("A"));
            assertThat(strings(lists.range(b("l"), 0, -1))).containsExactly("A", "b", "C");
            assertThat(lists.index(b("l"), 3)).isNull();
            assertThat(lists.index(b("l"), -4)).isNull();
            assertThat(new String(lists.index(b("l"), -3))).isEqualTo("A");
        }
    }
    /**
     * LRANGE reads runs of neighbouring records with one copy; elements spread over files, far
     * apart, moved by LSET or merge, larger than a run or than a small record, and popped must
     * come back exactly as a plain list holds them, from every start and stop.
     */
    @Test
    void rangesMatchAModelAcrossFilesSizesSetsAndMerges() {
        java.util.Random random = new java.util.Random(7);
        List<byte[]> model = new ArrayList<>();
        Options options = Options.builder(dir).clock(clock).mergeInterval(Duration.ZERO).dataFileSize(64 * 1024)
                .deferredWrites(true).build();
        int[] sizes = {0, 1, 16, 100, 4095, 5000, 70_000};
        try (CouloyDB db = CouloyDB.open(options)) {
            Lists lists = db.lists();
            for (int round = 0; round < 6; round++) {
                for (int i = 0; i < 60; i++) {
                    byte[] e = new byte[sizes[random.nextInt(sizes.length)]];
                    random.nextBytes(e);
                    if (random.nextBoolean()) {
                        lists.pushLeft(b("l"), List.of(e));
                        model.addFirst(e);
                    } else {
                        lists.pushRight(b("l"), List.of(e));
                        model.addLast(e);
                    }
                    if (random.nextInt(4) == 0) {
                        db.put(b("other" + i), new byte[random.nextInt(300)]); // a record between neighbours
                    }
                    if (random.nextInt(8) == 0) {
                        int at = random.nextInt(model.size());
                        byte[] v = ("set" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                        lists.set(b("l"), at, v);
                        model.set(at, v);
                    }
                }
                for (int i = 0; i < 10; i++) {
                    assertThat(lists.pop(b("l"), Lists.End.LEFT)).isEqualTo(model.removeFirst());
                    assertThat(lists.pop(b("l"), Lists.End.RIGHT)).isEqualTo(model.removeLast());
                }
                if (round % 2 == 1) {
                    db.flushWrites();
                    db.merge();
                }
                for (int probe = 0; probe < 40; probe++) {
                    int start = random.nextInt(model.size() + 5) - 2;
                    int stop = random.nextInt(model.size() + 5) - 2;
                    int n = model.size();
                    int from = start < 0 ? Math.max(0, n + start) : start;
                    int to = Math.min(n - 1, stop < 0 ? n + stop : stop);
                    assertThat(lists.range(b("l"), start, stop))
                            .containsExactlyElementsOf(from > to ? List.of() : model.subList(from, to + 1));
                }
                assertThat(lists.range(b("l"), 0, -1)).containsExactlyElementsOf(model);
            }
        }
        try (CouloyDB db = CouloyDB.open(options)) {
            assertThat(db.lists().range(b("l"), 0, -1)).containsExactlyElementsOf(model);
        }
    }

    /**
     * A range of the newest elements names their values in the data file's in-memory tail, not
     * in a copy: those values must stay as they were while the list changes afterwards, the tail
     * fills up and is replaced, and the file is merged away.
     */
    @Test
    void aRangeReadFromTheNewestRecordsKeepsItsValuesWhileTheListChanges() {
        Options options = Options.builder(dir).clock(clock).mergeInterval(Duration.ZERO).deferredWrites(true).build();
        try (CouloyDB db = CouloyDB.open(options)) {
            Lists lists = db.lists();
            List<byte[]> pushed = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                byte[] e = ("element-" + i + "-" + "x".repeat(i)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                lists.pushRight(b("l"), List.of(e));
                pushed.add(e);
            }
            PackedValues early = lists.rangePacked(b("l"), 0, 99);
            // Read in place: the array is a piece of the tail (256 KiB), not a copy sized to the range.
            assertThat(early.array(0).length).isEqualTo(1 << 18);
            byte[] filler = new byte[64 * 1024];
            for (int i = 0; i < 100; i++) { // past the tail chunk: a new one replaces it
                lists.pushRight(b("l"), List.of(filler));
            }
            for (int i = 0; i < 100; i++) {
                lists.pop(b("l"), Lists.End.LEFT);
            }
            lists.pushLeft(b("l"), List.of(b("new head")));
            lists.set(b("l"), 0, b("changed head"));
            db.flushWrites();
            db.merge();
            assertThat(early.toList()).containsExactlyElementsOf(pushed);
            assertThat(lists.range(b("l"), 0, 0)).containsExactly(b("changed head"));
        }
    }
}
