package io.couloy.engine;

import static io.couloy.engine.Bytes.b;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Readers, writers and merges at once. Bounded by operation counts, not by time. */
class ConcurrencyTest {
    @TempDir
    Path dir;

    private CouloyDB open(IndexType type, SyncPolicy policy) {
        return open(type, policy, MergeReads.AUTO);
    }

    private CouloyDB open(IndexType type, SyncPolicy policy, MergeReads reads) {
        return CouloyDB.open(Options.builder(dir).indexType(type).syncPolicy(policy).dataFileSize(16 * 1024)
                .mergeInterval(Duration.ZERO).mergeReads(reads).build());
    }

    private static byte[] num(long n) {
        return ByteBuffer.allocate(8).putLong(n).array();
    }

    private static long num(byte[] b) {
        return ByteBuffer.wrap(b).getLong();
    }

    /** Runs every task on its own thread and rethrows the first failure. */
    private static void runAll(List<Runnable> tasks) throws InterruptedException {
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (Runnable task : tasks) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    task.run();
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            t.start();
            threads.add(t);
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        if (!errors.isEmpty()) {
            AssertionError e = new AssertionError("a task failed");
            errors.forEach(e::addSuppressed);
            throw e;
        }
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void readersNeverSeeAValueGoBackwards_whileWritersAndMergesRun(IndexType type) throws InterruptedException {
        try (CouloyDB db = open(type, SyncPolicy.OS)) {
            int writers = 3;
            int keysPerWriter = 50;
            int versions = 60;
            AtomicBoolean done = new AtomicBoolean();
            List<Runnable> tasks = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                tasks.add(() -> {
                    for (int v = 1; v <= versions; v++) {
                        for (int k = 0; k < keysPerWriter; k++) {
                            db.put(b("w" + writer + ":" + k), num(v));
                        }
                    }
                });
            }
            for (int r = 0; r < 3; r++) {
                tasks.add(() -> {
                    long[][] seen = new long[writers][keysPerWriter];
                    for (int round = 0; round < 200; round++) {
                        for (int w = 0; w < writers; w++) {
                            for (int k = 0; k < keysPerWriter; k++) {
                                byte[] v = db.get(b("w" + w + ":" + k));
                                long now = v == null ? 0 : num(v);
                                assertThat(now).isGreaterThanOrEqualTo(seen[w][k]);
                                seen[w][k] = now;
                            }
                        }
                    }
                });
            }
            tasks.add(() -> {
                for (int i = 0; i < 15; i++) {
                    db.merge();
                }
                done.set(true);
            });
            runAll(tasks);
            for (int w = 0; w < writers; w++) {
                for (int k = 0; k < keysPerWriter; k++) {
                    assertThat(num(db.get(b("w" + w + ":" + k)))).isEqualTo(versions);
                }
            }
        }
    }

    /**
     * A merge moves keys to its output while writers go on (only the final swap stops them).
     * Keys, hash fields, list elements and sorted-set members written meanwhile must keep their
     * newer places, reads must never land on another record, and the live-byte counts must come
     * out exact: after a last merge with nothing writing, every byte of every file is live.
     */
    @ParameterizedTest
    @CsvSource({"HASH, SCAN", "HASH, LIVE", "BTREE, LIVE"})
    void writesDuringAMergesMoves_keepTheirNewerPlaces_andSurviveReopen(IndexType type, MergeReads reads)
            throws InterruptedException {
        int keys = 3000;
        int rounds = 10;
        AtomicInteger writersLeft = new AtomicInteger(3);
        AtomicInteger merges = new AtomicInteger();
        try (CouloyDB db = open(type, SyncPolicy.OS, reads)) {
            Runnable strings = () -> {
                try {
                    for (int r = 1; r <= rounds; r++) {
                        for (int i = 0; i < keys; i++) {
                            db.put(b("s:" + i), value("s:" + i, r));
                            db.hashes().set(b("h"), b("f" + i), value("f" + i, r));
                        }
                    }
                    for (int i = 0; i < keys; i += 7) {
                        db.delete(b("s:" + i));
                    }
                } finally {
                    writersLeft.decrementAndGet();
                }
            };
            Runnable collections = () -> {
                try {
                    for (int r = 1; r <= rounds; r++) {
                        for (int i = 0; i < keys / 3; i++) {
                            db.lists().pushRight(b("l"), List.of(value("l", r * keys + i)));
                            db.zsets().add(b("z"), List.of(new ZSets.Entry(b("m" + i), r)), ZSets.AddOptions.NONE);
                        }
                        db.lists().pop(b("l"), Lists.End.LEFT, keys / 6);
                    }
                } finally {
                    writersLeft.decrementAndGet();
                }
            };
            Runnable ttls = () -> {
                // Expiries set and removed while merges copy the values they belong to: a copy
                // may carry an expiry the index no longer holds, and must lose to the newer record.
                try {
                    for (int i = 0; i < keys; i += 11) {
                        db.put(b("t:" + i), value("t:" + i, 0));
                    }
                    for (int r = 1; r <= rounds; r++) {
                        for (int i = 0; i < keys; i += 11) {
                            if ((r + i) % 2 == 0) {
                                db.expire(b("t:" + i), Duration.ofHours(r));
                            } else {
                                db.persist(b("t:" + i));
                            }
                        }
                    }
                } finally {
                    writersLeft.decrementAndGet();
                }
            };
            Runnable reader = () -> {
                // Every value names its key: a location moved wrongly would land on another record.
                Random random = new Random(7);
                while (writersLeft.get() > 0) {
                    int i = random.nextInt(keys);
                    byte[] v = db.get(b("s:" + i));
                    if (v != null) {
                        assertThat(nameOf(v)).isEqualTo("s:" + i);
                    }
                    byte[] f = db.hashes().get(b("h"), b("f" + i));
                    if (f != null) {
                        assertThat(nameOf(f)).isEqualTo("f" + i);
                    }
                }
            };
            Runnable merger = () -> {
                while (writersLeft.get() > 0 || merges.get() < 3) {
                    if (merges.getAndIncrement() % 2 == 0) {
                        db.merge();
                    } else {
                        db.mergeFragmented();
                    }
                }
            };
            runAll(List.of(strings, collections, ttls, reader, merger));
            checkWritten(db, keys, rounds);
            db.merge();
            List<Stats.FileStats> files = db.stats().files();
            assertThat(files).filteredOn(f -> !f.active()).isNotEmpty().allSatisfy(f ->
                    assertThat(f.liveBytes()).as("live bytes of file %d", f.id()).isEqualTo(f.totalBytes()));
        }
        try (CouloyDB db = open(type, SyncPolicy.OS)) {
            checkWritten(db, keys, rounds);
        }
    }

    /** A value of about 100 bytes that starts with its key's name. */
    private static byte[] value(String name, int version) {
        return (name + "=" + version + "/" + "x".repeat(90)).getBytes(StandardCharsets.UTF_8);
    }

    private static String nameOf(byte[] value) {
        String s = new String(value, StandardCharsets.UTF_8);
        return s.substring(0, s.indexOf('='));
    }

    private static void checkWritten(CouloyDB db, int keys, int rounds) {
        Deque<String> list = new ArrayDeque<>();
        for (int r = 1; r <= rounds; r++) {
            for (int i = 0; i < keys / 3; i++) {
                list.addLast(new String(value("l", r * keys + i), StandardCharsets.UTF_8));
            }
            for (int i = 0; i < keys / 6; i++) {
                list.removeFirst();
            }
        }
        for (int i = 0; i < keys; i++) {
            byte[] s = db.get(b("s:" + i));
            assertThat(s == null ? null : new String(s, StandardCharsets.UTF_8)).as("s:%d", i)
                    .isEqualTo(i % 7 == 0 ? null : new String(value("s:" + i, rounds), StandardCharsets.UTF_8));
            assertThat(db.hashes().get(b("h"), b("f" + i))).as("f%d", i).isEqualTo(value("f" + i, rounds));
        }
        for (int i = 0; i < keys / 3; i++) {
            assertThat(db.zsets().score(b("z"), b("m" + i))).isEqualTo((double) rounds);
        }
        assertThat(db.lists().range(b("l"), 0, -1)).map(e -> new String(e, StandardCharsets.UTF_8))
                .containsExactlyElementsOf(list);
        for (int i = 0; i < keys; i += 11) {
            long ttl = db.ttl(b("t:" + i));
            if ((rounds + i) % 2 == 0) {
                assertThat(ttl).as("ttl of t:%d", i).isBetween(Duration.ofHours(rounds).minusMinutes(5).toMillis(),
                        Duration.ofHours(rounds).toMillis());
            } else {
                assertThat(ttl).as("ttl of t:%d", i).isEqualTo(-1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void readersNeverSeeHalfABatch(IndexType type) throws InterruptedException {
        try (CouloyDB db = open(type, SyncPolicy.OS)) {
            db.write(new WriteBatch().put(b("a"), num(0)).put(b("b"), num(0)));
            int batches = 5000;
            List<Runnable> tasks = new ArrayList<>();
            tasks.add(() -> {
                for (int i = 1; i <= batches; i++) {
                    // a comes first in the batch: were the batch applied key by key, a reader could
                    // find the new a and then, a moment later, still the old b.
                    db.write(new WriteBatch().put(b("a"), num(i)).put(b("b"), num(i)));
                }
            });
            for (int r = 0; r < 2; r++) {
                tasks.add(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        long a = num(db.get(b("a")));
                        long bb = num(db.get(b("b")));
                        assertThat(bb).as("b read after a").isGreaterThanOrEqualTo(a);
                    }
                });
            }
            runAll(tasks);
        }
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void groupCommit_manyWritersUnderAlways_allDurable(IndexType type) throws InterruptedException {
        int threads = 16;
        int each = 100;
        try (CouloyDB db = open(type, SyncPolicy.ALWAYS)) {
            List<Runnable> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                tasks.add(() -> {
                    for (int i = 0; i < each; i++) {
                        db.put(b("t" + id + ":" + i), num(i));
                    }
                });
            }
            runAll(tasks);
        }
        try (CouloyDB db = open(type, SyncPolicy.ALWAYS)) {
            assertThat(db.stats().keyCount()).isEqualTo(threads * each);
        }
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void iterator_returnsEveryStableKeyExactlyOnce_whileOthersChange(IndexType type) throws InterruptedException {
        try (CouloyDB db = open(type, SyncPolicy.OS)) {
            for (int i = 0; i < 2000; i++) {
                db.put(b(String.format("stable:%05d", i)), num(i));
            }
            List<Runnable> tasks = new ArrayList<>();
            tasks.add(() -> {
                for (int i = 0; i < 4000; i++) {
                    db.put(b(String.format("churn:%05d", i % 500)), num(i));
                    db.put(b(String.format("stable:%05d:x", i % 2000)), num(i)); // interleaved with stable keys
                    if (i % 3 == 0) {
                        db.delete(b(String.format("stable:%05d:x", (i / 3) % 2000)));
                    }
                }
            });
            tasks.add(() -> {
                for (int pass = 0; pass < 5; pass++) {
                    Set<String> seen = new HashSet<>();
                    List<String> stable = new ArrayList<>();
                    try (EntryIterator it = db.iterator(IteratorOptions.builder().prefix(b("stable:")).build())) {
                        while (it.hasNext()) {
                            String k = Bytes.s(it.next().key());
                            assertThat(seen.add(k)).as("returned twice: %s", k).isTrue();
                            if (!k.endsWith(":x")) {
                                stable.add(k);
                            }
                        }
                    }
                    assertThat(stable).hasSize(2000).isSorted();
                }
            });
            tasks.add(() -> {
                for (int i = 0; i < 5; i++) {
                    db.merge();
                }
            });
            runAll(tasks);
        }
    }
}
