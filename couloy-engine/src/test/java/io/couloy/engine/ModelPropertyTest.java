package io.couloy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of operations against CouloyDB and a TreeMap model, compared after every
 * step. jqwik prints the seed and the shrunk failing sequence on failure; rerun with
 * {@code @Property(seed = "...")} to reproduce.
 */
class ModelPropertyTest {
    private static final int KEYS = 24;

    sealed interface Op permits Put, Delete, Batch, Expire, Persist, Advance, Merge, MergeRun, Reopen {}

    record Put(int key, byte[] value, int ttlSeconds) implements Op {
        @Override
        public String toString() {
            return "Put(" + key + ", " + value.length + "B, ttl=" + ttlSeconds + ")";
        }
    }

    record Delete(int key) implements Op {}

    record Batch(List<Op> ops) implements Op {}

    record Expire(int key, int seconds) implements Op {}

    record Persist(int key) implements Op {}

    record Advance(int seconds) implements Op {}

    record Merge() implements Op {}

    /** A merge of some consecutive immutable files, not necessarily from the oldest (see {@link MergeRuns}). */
    record MergeRun(int from, int length) implements Op {}

    record Reopen() implements Op {}

    record Value(byte[] bytes, long expiry) {}

    /** Keys include control bytes and shared prefixes to exercise ordering and 0x00-0x1F keys. */
    static byte[] key(int i) {
        return switch (i % 4) {
            case 0 -> new byte[] {(byte) i};
            case 1 -> new byte[] {'k', (byte) i, 0};
            case 2 -> ("key-" + i).getBytes();
            default -> new byte[] {(byte) 0xFF, (byte) i};
        };
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> key = Arbitraries.integers().between(0, KEYS - 1);
        Arbitrary<byte[]> value = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<Op> put = Combinators.combine(key, value, Arbitraries.integers().between(0, 20).map(t -> t > 12 ? t - 12 : 0))
                .as(Put::new);
        Arbitrary<Op> delete = key.map(Delete::new);
        Arbitrary<Op> batch = Arbitraries.oneOf(put, delete).list().ofMinSize(1).ofMaxSize(8).map(Batch::new);
        Arbitrary<Op> expire = Combinators.combine(key, Arbitraries.integers().between(-1, 8)).as(Expire::new);
        Arbitrary<Op> persist = key.map(Persist::new);
        Arbitrary<Op> advance = Arbitraries.integers().between(1, 5).map(Advance::new);
        Arbitrary<Op> merge = Arbitraries.just(new Merge());
        Arbitrary<Op> mergeRun = Combinators.combine(Arbitraries.integers().between(0, 50),
                Arbitraries.integers().between(0, 50)).as(MergeRun::new);
        Arbitrary<Op> reopen = Arbitraries.just(new Reopen());
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(30, put), net.jqwik.api.Tuple.of(10, delete),
                        net.jqwik.api.Tuple.of(6, batch), net.jqwik.api.Tuple.of(4, expire),
                        net.jqwik.api.Tuple.of(3, persist), net.jqwik.api.Tuple.of(3, advance),
                        net.jqwik.api.Tuple.of(3, merge), net.jqwik.api.Tuple.of(5, mergeRun),
                        net.jqwik.api.Tuple.of(3, reopen))
                .list().ofMinSize(1).ofMaxSize(120);
    }

    @Property(tries = 60)
    void hashIndex_matchesModel(@ForAll("ops") List<Op> ops, @ForAll MergeReads reads) throws IOException {
        run(IndexType.HASH, ops, false, reads);
    }

    @Property(tries = 60)
    void btreeIndex_matchesModel(@ForAll("ops") List<Op> ops, @ForAll MergeReads reads) throws IOException {
        run(IndexType.BTREE, ops, false, reads);
    }

    @Property(tries = 60)
    void deferredWrites_matchModel(@ForAll("ops") List<Op> ops, @ForAll MergeReads reads) throws IOException {
        run(IndexType.HASH, ops, true, reads);
    }

    /** With {@code deferred}, records wait in memory between flushes (every few operations, and at close). */
    private void run(IndexType type, List<Op> ops, boolean deferred, MergeReads reads) throws IOException {
        Path dir = Files.createTempDirectory("couloy-model");
        TestClock clock = new TestClock();
        Options options = Options.builder(dir).indexType(type).clock(clock).dataFileSize(4096)
                .mergeInterval(Duration.ZERO).syncPolicy(SyncPolicy.OS).deferredWrites(deferred).mergeReads(reads).build();
        int step = 0;
        TreeMap<byte[], Value> model = new TreeMap<>(Arrays::compareUnsigned);
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
                    default -> apply(db, model, clock, op);
                }
                dropExpired(model, clock.millis());
                check(db, model, clock.millis(), op);
                if (deferred && ++step % 5 == 0) {
                    db.flushWrites();
                }
            }
        } finally {
            db.close();
            deleteTree(dir);
        }
    }

    private static void apply(CouloyDB db, TreeMap<byte[], Value> model, TestClock clock, Op op) {
        long now = clock.millis();
        switch (op) {
            case Put p -> {
                if (p.ttlSeconds() > 0) {
                    db.put(key(p.key()), p.value(), Duration.ofSeconds(p.ttlSeconds()));
                    model.put(key(p.key()), new Value(p.value(), now + p.ttlSeconds() * 1000L));
                } else {
                    db.put(key(p.key()), p.value());
                    model.put(key(p.key()), new Value(p.value(), 0));
                }
            }
            case Delete d -> {
                boolean existed = model.remove(key(d.key())) != null;
                assertThat(db.delete(key(d.key()))).as("delete result").isEqualTo(existed);
            }
            case Batch b -> {
                WriteBatch batch = new WriteBatch();
                for (Op inner : b.ops()) {
                    switch (inner) {
                        case Put p when p.ttlSeconds() > 0 -> {
                            batch.put(key(p.key()), p.value(), Duration.ofSeconds(p.ttlSeconds()));
                            model.put(key(p.key()), new Value(p.value(), now + p.ttlSeconds() * 1000L));
                        }
                        case Put p -> {
                            batch.put(key(p.key()), p.value());
                            model.put(key(p.key()), new Value(p.value(), 0));
                        }
                        case Delete d -> {
                            batch.delete(key(d.key()));
                            model.remove(key(d.key()));
                        }
                        default -> throw new IllegalStateException();
                    }
                }
                db.write(batch);
            }
            case Expire e -> {
                Value v = model.get(key(e.key()));
                boolean result = db.expire(key(e.key()), Duration.ofSeconds(e.seconds()));
                assertThat(result).as("expire result").isEqualTo(v != null);
                if (v != null) {
                    if (e.seconds() <= 0) {
                        model.remove(key(e.key()));
                    } else {
                        model.put(key(e.key()), new Value(v.bytes(), now + e.seconds() * 1000L));
                    }
                }
            }
            case Persist p -> {
                Value v = model.get(key(p.key()));
                boolean had = v != null && v.expiry() != 0;
                assertThat(db.persist(key(p.key()))).as("persist result").isEqualTo(had);
                if (had) {
                    model.put(key(p.key()), new Value(v.bytes(), 0));
                }
            }
            default -> throw new IllegalStateException("unexpected " + op);
        }
    }

    private static void dropExpired(TreeMap<byte[], Value> model, long now) {
        model.values().removeIf(v -> v.expiry() != 0 && v.expiry() <= now);
    }

    private static void check(CouloyDB db, TreeMap<byte[], Value> model, long now, Op after) {
        for (int i = 0; i < KEYS; i++) {
            byte[] k = key(i);
            Value v = model.get(k);
            assertThat(db.get(k)).as("value of key %d after %s", i, after).isEqualTo(v == null ? null : v.bytes());
            long ttl = v == null ? -2 : v.expiry() == 0 ? -1 : v.expiry() - now;
            assertThat(db.ttl(k)).as("ttl of key %d after %s", i, after).isEqualTo(ttl);
        }
        List<byte[]> keys = db.keys();
        assertThat(keys).as("keys after %s", after).containsExactlyElementsOf(new ArrayList<>(model.keySet()));
        List<byte[]> reversed = new ArrayList<>();
        db.fold(IteratorOptions.builder().reverse(true).keysOnly(true).build(), (k, v) -> reversed.add(k));
        assertThat(reversed).containsExactlyElementsOf(model.descendingKeySet());
        long live = model.size();
        assertThat(db.stats().keyCount()).as("key count").isGreaterThanOrEqualTo(live);
        for (Map.Entry<byte[], Value> e : model.entrySet()) {
            assertThat(db.exists(e.getKey())).isTrue();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Example
    void keyEncoding_isInjective() {
        TreeMap<byte[], Integer> seen = new TreeMap<>(Arrays::compareUnsigned);
        for (int i = 0; i < KEYS; i++) {
            assertThat(seen.put(key(i), i)).isNull();
        }
    }
}
