package io.couloy.engine;

import static io.couloy.engine.Bytes.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.couloy.engine.merge.MergeScope;
import io.couloy.engine.merge.Merger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merge that reads only the records the indexes name ({@link MergeReads#LIVE}) must copy
 * exactly what a scan of every record copies, and must not drop what the indexes cannot know of.
 */
class MergeReadsTest {
    @TempDir
    Path root;

    private static Options options(Path dir, MergeReads reads, TestClock clock) {
        return Options.builder(dir).dataFileSize(4096).mergeInterval(Duration.ZERO).mergeReads(reads)
                .clock(clock).build();
    }

    private static byte[] value(int i, int round) {
        return ("v" + i + "." + round + "-".repeat(80)).substring(0, 80).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The same history of every kind of record in two directories, merged with each way of
     * reading: the files that come out must be the same bytes, and the index walk must read less.
     */
    @Test
    void readingOnlyLiveRecords_writesTheFilesAScanWrites() throws IOException {
        Merger.Result scanned = mergeHistory(root.resolve("scan"), MergeReads.SCAN);
        Merger.Result listed = mergeHistory(root.resolve("live"), MergeReads.LIVE);
        assertThat(listed.recordsCopied()).isEqualTo(scanned.recordsCopied()).isPositive();
        assertThat(contents(root.resolve("live"))).isEqualTo(contents(root.resolve("scan")));
        assertThat(scanned.bytesRead()).isEqualTo(scanned.bytesBefore());
        assertThat(listed.bytesRead()).isLessThan(scanned.bytesRead() / 2);
        // and what they hold is the history's end state, before and after reopen
        for (MergeReads reads : List.of(MergeReads.SCAN, MergeReads.LIVE)) {
            TestClock clock = new TestClock();
            clock.advance(Duration.ofSeconds(30));
            try (CouloyDB db = CouloyDB.open(options(root.resolve(reads == MergeReads.SCAN ? "scan" : "live"), reads, clock))) {
                checkEndState(db);
            }
        }
    }

    /**
     * A run that leaves the oldest file takes what its inputs' records were from their hints
     * ({@link MergeReads#LIVE} and {@link MergeReads#AUTO} alike): the files must be the bytes a
     * scan writes, tombstones included, and dead values must not be read.
     */
    @Test
    void aPartialRunReadingHints_writesTheFilesAScanWrites() throws IOException {
        Merger.Result scanned = mergeHistory(root.resolve("scan"), MergeReads.SCAN, MergeRuns.ALL_BUT_OLDEST, dir -> { });
        assertThat(scanned.bytesRead()).isEqualTo(scanned.bytesBefore());
        for (MergeReads reads : List.of(MergeReads.LIVE, MergeReads.AUTO)) {
            Path dir = root.resolve(reads.name());
            Merger.Result hinted = mergeHistory(dir, reads, MergeRuns.ALL_BUT_OLDEST, d -> { });
            assertThat(hinted.recordsCopied()).isEqualTo(scanned.recordsCopied()).isPositive();
            assertThat(contents(dir)).as(reads.name()).isEqualTo(contents(root.resolve("scan")));
            assertThat(hinted.bytesRead()).as(reads.name()).isLessThan(scanned.bytesRead() / 2);
        }
        for (String name : List.of("scan", "LIVE")) {
            TestClock clock = new TestClock();
            clock.advance(Duration.ofSeconds(30));
            try (CouloyDB db = CouloyDB.open(options(root.resolve(name), MergeReads.SCAN, clock))) {
                assertThat(db.stats().files().getFirst().id()).isEqualTo(1); // the oldest file stayed
                checkEndState(db);
            }
        }
    }

    /** With values no larger than their keys the hint is most of the file: the default scans instead. */
    @Test
    void aPartialRunOfSmallValues_scansUnderAuto() {
        try (CouloyDB db = CouloyDB.open(options(root.resolve("db"), MergeReads.AUTO, new TestClock()))) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 1000; i++) {
                    db.put(b("key:" + i), b("v" + round));
                }
            }
            Merger.Result r = db.merge(MergeRuns.ALL_BUT_OLDEST);
            assertThat(r.recordsCopied()).isPositive();
            assertThat(r.bytesRead()).isEqualTo(r.bytesBefore());
        }
    }

    /** An input whose hint is gone or fails its checksum is scanned instead, with the same result. */
    @Test
    void aPartialRunWhoseHintIsMissingOrDamaged_scansThatFile() throws IOException {
        mergeHistory(root.resolve("scan"), MergeReads.SCAN, MergeRuns.ALL_BUT_OLDEST, dir -> { });
        Merger.Result missing = mergeHistory(root.resolve("missing"), MergeReads.LIVE, MergeRuns.ALL_BUT_OLDEST,
                dir -> Files.delete(hintOf(DataFiles.list(dir).get(2))));
        Merger.Result damaged = mergeHistory(root.resolve("damaged"), MergeReads.LIVE, MergeRuns.ALL_BUT_OLDEST,
                dir -> DataFiles.flipByte(hintOf(DataFiles.list(dir).get(3)), 40));
        Merger.Result hinted = mergeHistory(root.resolve("hinted"), MergeReads.LIVE, MergeRuns.ALL_BUT_OLDEST, dir -> { });
        assertThat(contents(root.resolve("missing"))).isEqualTo(contents(root.resolve("scan")));
        assertThat(contents(root.resolve("damaged"))).isEqualTo(contents(root.resolve("scan")));
        // each read one input's every byte: more than reading all hints, less than scanning all
        assertThat(missing.bytesRead()).isGreaterThan(hinted.bytesRead());
        assertThat(damaged.bytesRead()).isGreaterThan(hinted.bytesRead());
    }

    private static Path hintOf(Path data) {
        return data.resolveSibling(data.getFileName().toString().replace(".data", ".hint"));
    }

    /** What a test does to the directory just before the merge. */
    @FunctionalInterface
    private interface BeforeMerge {
        void accept(Path dir) throws IOException;
    }

    /** Strings overwritten, deleted, expiring, extended and persisted; every collection kind; a deleted and an expired collection; a batch. */
    private static Merger.Result mergeHistory(Path dir, MergeReads reads) throws IOException {
        return mergeHistory(dir, reads, null, d -> { });
    }

    /**
     * The history, then a merge of what {@code scope} picks (every immutable file when null),
     * after {@code beforeMerge} has seen the directory.
     */
    private static Merger.Result mergeHistory(Path dir, MergeReads reads, MergeScope scope, BeforeMerge beforeMerge)
            throws IOException {
        TestClock clock = new TestClock();
        try (CouloyDB db = CouloyDB.open(options(dir, reads, clock))) {
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < 100; i++) {
                    db.put(b("k" + i), value(i, round));
                }
            }
            for (int i = 0; i < 20; i++) {
                db.delete(b("k" + i));
            }
            db.put(b("short"), value(1, 0), Duration.ofSeconds(10));
            db.put(b("extended"), value(2, 0), Duration.ofSeconds(10));
            db.expire(b("extended"), Duration.ofHours(1));
            db.put(b("persisted"), value(3, 0), Duration.ofSeconds(10));
            db.persist(b("persisted"));
            db.expire(b("k50"), Duration.ofHours(2));
            db.write(new WriteBatch().put(b("batched1"), value(4, 0)).put(b("batched2"), value(5, 0)).delete(b("k21")));
            for (int i = 0; i < 30; i++) {
                db.hashes().set(b("hash"), b("f" + (i % 10)), value(i, 9));
                db.sets().add(b("set"), List.of(b("m" + i)));
                db.zsets().add(b("zset"), List.of(new ZSets.Entry(b("z" + (i % 12)), i * 1.5)), ZSets.AddOptions.NONE);
                db.lists().pushRight(b("list"), List.of(value(i, 7)));
                db.hashes().set(b("gone"), b("f" + i), value(i, 8));
                db.sets().add(b("expiring"), List.of(b("e" + i)));
            }
            db.sets().remove(b("set"), List.of(b("m3"), b("m4")));
            db.lists().pop(b("list"), Lists.End.LEFT, 11);
            db.delete(b("gone"));
            db.expire(b("expiring"), Duration.ofSeconds(5));
            for (int i = 20; i < 100; i++) {
                db.put(b("k" + i), value(i, 5));
            }
            clock.advance(Duration.ofSeconds(20)); // "short" and "expiring" are now expired, unswept
            beforeMerge.accept(dir);
            Merger.Result r = scope == null ? db.merge() : db.merge(scope);
            assertThat(r.inputFiles()).isGreaterThan(5);
            return r;
        }
    }

    private static void checkEndState(CouloyDB db) {
        for (int i = 0; i < 20; i++) {
            assertThat(db.get(b("k" + i))).as("k%d", i).isNull();
        }
        for (int i = 20; i < 100; i++) {
            assertThat(db.get(b("k" + i))).as("k%d", i).isEqualTo(value(i, 5)); // k21: deleted by the batch, written again
        }
        assertThat(db.get(b("short"))).isNull();
        assertThat(db.get(b("extended"))).isEqualTo(value(2, 0));
        assertThat(db.get(b("persisted"))).isEqualTo(value(3, 0));
        assertThat(db.ttl(b("persisted"))).isEqualTo(-1);
        assertThat(db.get(b("batched1"))).isEqualTo(value(4, 0));
        assertThat(db.hashes().length(b("hash"))).isEqualTo(10);
        assertThat(db.hashes().get(b("hash"), b("f3"))).isEqualTo(value(23, 9));
        assertThat(db.sets().size(b("set"))).isEqualTo(28);
        assertThat(db.zsets().score(b("zset"), b("z1"))).isEqualTo(25 * 1.5);
        assertThat(db.lists().range(b("list"), 0, -1)).hasSize(19);
        assertThat(db.lists().index(b("list"), 0)).isEqualTo(value(11, 7));
        assertThat(db.hashes().length(b("gone"))).isZero();
        assertThat(db.sets().size(b("expiring"))).isZero();
    }

    /** Every data and hint file by name, as text of its bytes. */
    private static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".data") || p.toString().endsWith(".hint")).toList()) {
                out.put(p.getFileName().toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    /** Writes k0..k199 once each over small files; returns the data files. */
    private List<Path> fill(Path dir) throws IOException {
        try (CouloyDB db = CouloyDB.open(options(dir, MergeReads.LIVE, new TestClock()))) {
            for (int i = 0; i < 200; i++) {
                db.put(b("k" + i), value(i, 0));
            }
        }
        return DataFiles.list(dir);
    }

    /** A damaged record the index still points at stops the merge with its file and offset; nothing changes. */
    @Test
    void aDamagedLiveRecord_stopsTheMergeAtItsOffset() throws IOException {
        Path dir = root.resolve("db");
        Path first = fill(dir).getFirst();
        DataFiles.flipByte(first, 60); // inside k0's value, at offset 0; the hint still names it
        try (CouloyDB db = CouloyDB.open(options(dir, MergeReads.LIVE, new TestClock()))) {
            assertThatThrownBy(db::merge).isInstanceOf(CorruptionException.class)
                    .satisfies(e -> {
                        assertThat(((CorruptionException) e).file().getFileName()).isEqualTo(first.getFileName());
                        assertThat(((CorruptionException) e).offset()).isZero();
                    });
            for (int i = 1; i < 200; i++) {
                assertThat(db.get(b("k" + i))).as("k%d", i).isEqualTo(value(i, 0));
            }
        }
        assertThat(first).exists();
    }

    /**
     * A damaged record no index points at is dead: the merge that reads only live records never
     * meets it, and drops it with its file, which a scan could not get past.
     */
    @Test
    void aDamagedDeadRecord_isDroppedWithItsFile() throws IOException {
        Path dir = root.resolve("db");
        Path first = fill(dir).getFirst();
        DataFiles.flipByte(first, 60);
        try (CouloyDB db = CouloyDB.open(options(dir, MergeReads.LIVE, new TestClock()))) {
            db.put(b("k0"), value(0, 1)); // k0's damaged record is now dead
            Merger.Result r = db.merge();
            assertThat(r.inputFiles()).isPositive();
            assertThat(db.get(b("k0"))).isEqualTo(value(0, 1));
            for (int i = 1; i < 200; i++) {
                assertThat(db.get(b("k" + i))).as("k%d", i).isEqualTo(value(i, 0));
            }
        }
        try (CouloyDB db = CouloyDB.open(options(dir, MergeReads.LIVE, new TestClock()))) {
            assertThat(db.stats().recoveryWarnings()).isEmpty();
            for (int i = 1; i < 200; i++) {
                assertThat(db.get(b("k" + i))).as("k%d after reopen", i).isEqualTo(value(i, 0));
            }
        }
    }

    /**
     * In a run that leaves the oldest file, read through the hints: a damaged record no index
     * points at is dropped with its file (a scan stops at it), and a damaged live one stops the
     * merge at its offset.
     */
    @Test
    void aPartialRunReadingHints_dropsADamagedDeadRecord_andStopsAtADamagedLiveOne() throws IOException {
        Path dir = root.resolve("db");
        Path second = fill(dir).get(1);
        DataFiles.flipByte(second, 60); // inside the value of its first record, at offset 0
        byte[] damaged = Files.readAllBytes(second);
        try (CouloyDB db = CouloyDB.open(options(dir, MergeReads.LIVE, new TestClock()))) {
            assertThatThrownBy(() -> db.merge(MergeRuns.ALL_BUT_OLDEST)).isInstanceOf(CorruptionException.class)
                    .satisfies(e -> {
                        assertThat(((CorruptionException) e).file().getFileName()).isEqualTo(second.getFileName());
                        assertThat(((CorruptionException) e).offset()).isZero();
                    });
        }
        try (CouloyDB db = CouloyDB.open(options(dir, MergeReads.SCAN, new TestClock()))) {
            for (int i = 0; i < 200; i++) {
                db.put(b("k" + i), value(i, 1)); // every record of the first files is now dead
            }
            assertThatThrownBy(() -> db.merge(MergeRuns.ALL_BUT_OLDEST)).isInstanceOf(CorruptionException.class);
        }
        try (CouloyDB db = CouloyDB.open(options(dir, MergeReads.LIVE, new TestClock()))) {
            Merger.Result r = db.merge(MergeRuns.ALL_BUT_OLDEST);
            assertThat(r.inputFiles()).isPositive();
            assertThat(!Files.exists(second) || !Arrays.equals(Files.readAllBytes(second), damaged))
                    .as("the damaged file was replaced").isTrue();
        }
        try (CouloyDB db = CouloyDB.open(options(dir, MergeReads.LIVE, new TestClock()))) {
            assertThat(db.stats().recoveryWarnings()).isEmpty();
            for (int i = 0; i < 200; i++) {
                assertThat(db.get(b("k" + i))).as("k%d", i).isEqualTo(value(i, 1));
            }
        }
    }

    /**
     * Damage recovery met in a file without a hint hides the records after it from the index
     * (they are unreadable, and reported). A merge must not drop them with the file: it scans
     * that file, stops at the damage, and leaves the file for repair.
     */
    @Test
    void aFileRecoveryFoundDamaged_isNotDroppedByAMergeOfLiveRecords() throws IOException {
        Path dir = root.resolve("db");
        Path first = fill(dir).getFirst();
        Files.delete(dir.resolve(first.getFileName().toString().replace(".data", ".hint")));
        byte[] before = Files.readAllBytes(first);
        DataFiles.flipByte(first, 60);
        try (CouloyDB db = CouloyDB.open(options(dir, MergeReads.LIVE, new TestClock()))) {
            assertThat(db.stats().recoveryWarnings()).anyMatch(w -> w.contains("corrupt data in"));
            db.put(b("k0"), value(0, 1));
            assertThatThrownBy(db::merge).isInstanceOf(CorruptionException.class)
                    .satisfies(e -> assertThat(((CorruptionException) e).file().getFileName()).isEqualTo(first.getFileName()));
        }
        byte[] after = Files.readAllBytes(first);
        after[60] ^= 0x5A;
        assertThat(after).isEqualTo(before);
    }
}
