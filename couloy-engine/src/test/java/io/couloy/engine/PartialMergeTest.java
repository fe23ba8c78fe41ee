package io.couloy.engine;

import static io.couloy.engine.Bytes.b;
import static io.couloy.engine.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.couloy.engine.merge.MergeScope;
import io.couloy.engine.merge.Merger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Merges that leave the oldest file out. The value a key had there must stay dead after the
 * merge and a reopen, however the newer inputs ended it: a DELETE, an expiry (active expiry
 * leaves no record), a member removed, a collection deleted or expired; and an expiry change
 * to a value in the older file must survive.
 */
@ParameterizedClass
@EnumSource(value = MergeReads.class, names = {"SCAN", "LIVE"})
class PartialMergeTest {
    /** Scanning every record, or reading each input's hint and only its live records. */
    @Parameter
    MergeReads reads;

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock();

    private CouloyDB open() {
        return CouloyDB.open(Options.builder(dir).clock(clock).dataFileSize(4096).mergeInterval(Duration.ZERO)
                .mergeReads(reads).syncPolicy(SyncPolicy.OS).build());
    }

    /** A value as large as a file: the next record starts a new file, and this one dies at the next call. */
    private static void rotate(CouloyDB db) {
        db.put(b("filler"), new byte[4096]);
    }

    /** Writes {@code old} into the first file, {@code newer} into later ones, merges all but the first, reopens. */
    private CouloyDB mergedAndReopened(Consumer<CouloyDB> old, Consumer<CouloyDB> newer) {
        try (CouloyDB db = open()) {
            old.accept(db);
            rotate(db);
            newer.accept(db);
            rotate(db);
            rotate(db);
            Merger.Result r = db.merge(MergeRuns.ALL_BUT_OLDEST);
            assertThat(r.inputFiles()).isGreaterThan(1);
            assertThat(db.stats().files().getFirst().id()).isEqualTo(1); // the old file stayed
        }
        return open();
    }

    @Test
    void deletedString_staysDeleted() {
        try (CouloyDB db = mergedAndReopened(d -> d.put(b("k"), b("old")), d -> d.delete(b("k")))) {
            assertThat(db.get(b("k"))).isNull();
        }
    }

    @Test
    void expiredString_removedByActiveExpiry_staysGone() {
        try (CouloyDB db = mergedAndReopened(d -> d.put(b("k"), b("old")), d -> {
            d.expire(b("k"), Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(2));
            awaitSwept(d);
        })) {
            assertThat(db.get(b("k"))).isNull();
        }
    }

    @Test
    void overwrittenByValueThatExpired_staysGone() {
        try (CouloyDB db = mergedAndReopened(d -> d.put(b("k"), b("old")), d -> {
            d.put(b("k"), b("new"), Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(2));
        })) {
            assertThat(db.get(b("k"))).isNull();
        }
    }

    @Test
    void tombstoneOfExpiredKey_survivesASecondMerge() {
        // The first merge turns the expired value into a DELETE; the index keeps its expired entry
        // (until active expiry removes it), pointing into a file id the output now reuses.
        try (CouloyDB db = mergedAndReopened(d -> d.put(b("k"), b("old")), d -> {
            d.put(b("k"), b("new"), Duration.ofSeconds(1));
            rotate(d);
            clock.advance(Duration.ofSeconds(2));
            d.merge(MergeRuns.ALL_BUT_OLDEST);
            rotate(d);
        })) {
            assertThat(db.get(b("k"))).isNull();
        }
    }

    @Test
    void expiryOfValueInOlderFile_survives() {
        try (CouloyDB db = mergedAndReopened(d -> d.put(b("k"), b("old")), d -> d.expire(b("k"), Duration.ofSeconds(100)))) {
            assertThat(s(db.get(b("k")))).isEqualTo("old");
            assertThat(db.ttl(b("k"))).isBetween(99_000L, 100_000L);
        }
    }

    @Test
    void persistOfValueInOlderFile_survives() {
        try (CouloyDB db = mergedAndReopened(d -> d.put(b("k"), b("old"), Duration.ofSeconds(100)),
                d -> d.persist(b("k")))) {
            clock.advance(Duration.ofSeconds(200));
            assertThat(s(db.get(b("k")))).isEqualTo("old");
            assertThat(db.ttl(b("k"))).isEqualTo(-1);
        }
    }

    @Test
    void removedHashField_staysRemoved() {
        try (CouloyDB db = mergedAndReopened(d -> {
            d.hashes().set(b("h"), b("f1"), b("v1"));
            d.hashes().set(b("h"), b("f2"), b("v2"));
        }, d -> d.hashes().delete(b("h"), List.of(b("f1"))))) {
            assertThat(db.hashes().get(b("h"), b("f1"))).isNull();
            assertThat(s(db.hashes().get(b("h"), b("f2")))).isEqualTo("v2");
            assertThat(db.hashes().length(b("h"))).isEqualTo(1);
        }
    }

    @Test
    void deletedHash_staysDeleted() {
        try (CouloyDB db = mergedAndReopened(d -> d.hashes().set(b("h"), b("f"), b("v")), d -> d.delete(b("h")))) {
            assertThat(db.exists(b("h"))).isFalse();
            assertThat(db.hashes().get(b("h"), b("f"))).isNull();
        }
    }

    @Test
    void expiredHash_staysGone() {
        try (CouloyDB db = mergedAndReopened(d -> d.hashes().set(b("h"), b("f"), b("v")), d -> {
            d.expire(b("h"), Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(2));
            awaitSwept(d);
        })) {
            assertThat(db.exists(b("h"))).isFalse();
            assertThat(db.hashes().length(b("h"))).isZero();
        }
    }

    @Test
    void emptiedList_staysEmpty() {
        try (CouloyDB db = mergedAndReopened(d -> d.lists().pushRight(b("l"), List.of(b("a"), b("b"))),
                d -> d.lists().pop(b("l"), Lists.End.LEFT, 2))) {
            assertThat(db.exists(b("l"))).isFalse();
        }
    }

    @Test
    void keptTombstones_countAsLive_andAFullMergeDropsThem() {
        try (CouloyDB db = open()) {
            for (int i = 0; i < 20; i++) {
                db.put(b("k" + i), b("old"));
            }
            rotate(db);
            for (int i = 0; i < 20; i++) {
                db.delete(b("k" + i));
            }
            rotate(db);
            rotate(db);
            db.merge(MergeRuns.ALL_BUT_OLDEST);
            Stats.FileStats tombstones = db.stats().files().get(1);
            assertThat(tombstones.totalBytes()).isPositive();
            assertThat(tombstones.liveBytes()).isEqualTo(tombstones.totalBytes());
            // The run of highest score is now the old file alone: the tombstones are no reason to rewrite.
            assertThat(db.merge(MergeScope.fragmented(0.5)).inputFiles()).isEqualTo(1);
            db.merge();
            for (int i = 0; i < 20; i++) {
                assertThat(db.get(b("k" + i))).isNull();
            }
            List<Stats.FileStats> left = db.stats().files().stream().filter(f -> !f.active()).toList();
            long bytes = left.stream().mapToLong(Stats.FileStats::totalBytes).sum();
            assertThat(bytes).as("only the live filler is left").isLessThan(4096 + 64)
                    .isEqualTo(left.stream().mapToLong(Stats.FileStats::liveBytes).sum());
        }
    }

    @Test
    void scopeThatSkipsAFile_isRefused() {
        try (CouloyDB db = open()) {
            db.put(b("a"), b("1"));
            rotate(db);
            rotate(db);
            rotate(db);
            assertThatThrownBy(() -> db.merge(immutable -> List.of(immutable.get(0), immutable.get(2))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consecutive");
            assertThat(s(db.get(b("a")))).isEqualTo("1");
        }
    }

    private static void awaitSwept(CouloyDB db) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (db.stats().keyCount() > 1 && System.nanoTime() < deadline) { // only "filler" may remain
            Thread.onSpinWait();
        }
        assertThat(db.stats().keyCount()).as("active expiry ran").isLessThanOrEqualTo(1);
    }
}
