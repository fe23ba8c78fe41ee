package io.couloy.engine;

import static io.couloy.engine.Bytes.b;
import static io.couloy.engine.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class CouloyDBTest {
    @TempDir
    Path dir;

    private final TestClock clock = new TestClock();

    private CouloyDB open(IndexType type) {
        return CouloyDB.open(Options.builder(dir).indexType(type).clock(clock).dataFileSize(4096)
                .mergeInterval(Duration.ZERO).build());
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void put_get_delete_roundTrip(IndexType type) {
        try (CouloyDB db = open(type)) {
            assertThat(db.get(b("k"))).isNull();
            db.put(b("k"), b("v1"));
            db.put(b("k"), b("v2"));
            assertThat(s(db.get(b("k")))).isEqualTo("v2");
            assertThat(db.exists(b("k"))).isTrue();
            assertThat(db.delete(b("k"))).isTrue();
            assertThat(db.delete(b("k"))).isFalse();
            assertThat(db.get(b("k"))).isNull();
            assertThat(db.exists(b("k"))).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void get_emptyValue_isDistinctFromAbsent(IndexType type) {
        try (CouloyDB db = open(type)) {
            db.put(b("empty"), new byte[0]);
            assertThat(db.get(b("empty"))).isEmpty();
            assertThat(db.get(b("absent"))).isNull();
        }
        try (CouloyDB db = open(type)) {
            assertThat(db.get(b("empty"))).isNotNull().isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void put_controlBytesInKeyAndValue_areStoredVerbatim(IndexType type) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i; // 0x00..0x1F, which the Go original reserves
        }
        byte[] value = {0, 1, 2, (byte) 0xFF, 0};
        try (CouloyDB db = open(type)) {
            db.put(key, value);
            db.put(new byte[] {0}, new byte[] {0});
        }
        try (CouloyDB db = open(type)) {
            assertThat(db.get(key)).isEqualTo(value);
            assertThat(db.get(new byte[] {0})).isEqualTo(new byte[] {0});
            assertThat(db.keys()).hasSize(2);
        }
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void reopen_keepsEveryWrite_acrossManyRotatedFiles(IndexType type) {
        try (CouloyDB db = open(type)) {
            for (int i = 0; i < 2000; i++) {
                db.put(b("key" + i), b("value" + i));
            }
            for (int i = 0; i < 2000; i += 3) {
                db.delete(b("key" + i));
            }
            assertThat(db.stats().files().size()).isGreaterThan(5);
        }
        try (CouloyDB db = open(type)) {
            for (int i = 0; i < 2000; i++) {
                assertThat(s(db.get(b("key" + i)))).isEqualTo(i % 3 == 0 ? null : "value" + i);
            }
            assertThat(db.stats().keyCount()).isEqualTo(2000 - 667);
        }
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void ttl_expiresKeys_andSurvivesReopen(IndexType type) {
        try (CouloyDB db = open(type)) {
            db.put(b("short"), b("x"), Duration.ofSeconds(10));
            db.put(b("long"), b("y"), Duration.ofHours(1));
            db.put(b("forever"), b("z"));
            assertThat(db.ttl(b("short"))).isEqualTo(10_000);
            assertThat(db.ttl(b("forever"))).isEqualTo(-1);
            assertThat(db.ttl(b("absent"))).isEqualTo(-2);
            clock.advance(Duration.ofSeconds(11));
            assertThat(db.get(b("short"))).isNull();
            assertThat(db.exists(b("short"))).isFalse();
            assertThat(db.ttl(b("short"))).isEqualTo(-2);
            assertThat(s(db.get(b("long")))).isEqualTo("y");
        }
        try (CouloyDB db = open(type)) {
            assertThat(db.get(b("short"))).isNull();
            assertThat(db.ttl(b("long"))).isEqualTo(Duration.ofHours(1).toMillis() - 11_000);
            clock.advance(Duration.ofHours(2));
            assertThat(db.keys()).extracting(Bytes::s).containsExactly("forever");
        }
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void expire_and_persist_changeOnlyTheExpiry(IndexType type) {
        try (CouloyDB db = open(type)) {
            db.put(b("k"), b("v"));
            assertThat(db.persist(b("k"))).isFalse();
            assertThat(db.expire(b("k"), Duration.ofSeconds(5))).isTrue();
            assertThat(db.ttl(b("k"))).isEqualTo(5000);
            assertThat(db.persist(b("k"))).isTrue();
            assertThat(db.ttl(b("k"))).isEqualTo(-1);
            assertThat(db.expire(b("k"), Duration.ofSeconds(5))).isTrue();
            assertThat(db.expire(b("absent"), Duration.ofSeconds(5))).isFalse();
        }
        try (CouloyDB db = open(type)) {
            assertThat(db.ttl(b("k"))).isEqualTo(5000);
            assertThat(s(db.get(b("k")))).isEqualTo("v");
            db.merge();
            assertThat(db.ttl(b("k"))).isEqualTo(5000);
            assertThat(db.expire(b("k"), Duration.ZERO)).isTrue(); // non-positive ttl deletes, as in Redis
            assertThat(db.exists(b("k"))).isFalse();
        }
    }

    /**
     * Merge encodes live records into a 1 MiB buffer and writes records larger than it directly:
     * small and large values in turn, over more than one output file (8 MiB each), keep
     * their order, offsets and hints, before and after a reopen from those hints.
     */
    @org.junit.jupiter.api.Test
    void merge_ofSmallAndLargerThanItsBufferValues_acrossOutputFiles_keepsEveryValue() {
        Options options = Options.builder(dir).dataFileSize(8 << 20).mergeInterval(Duration.ZERO).build();
        java.util.Random r = new java.util.Random(5);
        java.util.Map<String, byte[]> model = new java.util.HashMap<>();
        try (CouloyDB db = CouloyDB.open(options)) {
            for (int round = 0; round < 2; round++) { // the second round leaves the first dead
                for (int i = 0; i < 3000; i++) {
                    int size = i % 500 == 7 ? (1 << 20) + r.nextInt(1 << 20) : r.nextInt(2000);
                    byte[] v = new byte[size];
                    r.nextBytes(v);
                    db.put(b("k" + i), v);
                    model.put("k" + i, v);
                }
            }
            db.merge();
            model.forEach((k, v) -> assertThat(db.get(b(k))).as(k).isEqualTo(v));
        }
        try (CouloyDB db = CouloyDB.open(options)) {
            model.forEach((k, v) -> assertThat(db.get(b(k))).as(k).isEqualTo(v));
        }
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void largestKey_andValuesLargerThanADataFile_roundTrip(IndexType type) {
        byte[] bigKey = new byte[65_535];
        java.util.Arrays.fill(bigKey, (byte) 7);
        byte[] bigValue = new byte[100_000]; // 25 times the 4 KiB data file size
        new java.util.Random(1).nextBytes(bigValue);
        try (CouloyDB db = open(type)) {
            db.put(bigKey, b("v"));
            db.put(b("big"), bigValue);
            db.put(b("after"), b("x"));
            assertThat(db.get(b("big"))).isEqualTo(bigValue);
            db.merge();
            assertThat(db.get(bigKey)).isEqualTo(b("v"));
        }
        try (CouloyDB db = open(type)) {
            assertThat(db.get(b("big"))).isEqualTo(bigValue);
            assertThat(db.get(bigKey)).isEqualTo(b("v"));
            assertThat(s(db.get(b("after")))).isEqualTo("x");
        }
    }

    /** Found by ModelPropertyTest: the put's own expiry has passed, but a later EXPIRE extended it. */
    @ParameterizedTest
    @EnumSource(IndexType.class)
    void expireExtendingAPutsTtl_survivesReopenAndMerge(IndexType type) {
        try (CouloyDB db = open(type)) {
            db.put(b("k"), b("v"), Duration.ofSeconds(1));
            db.put(b("m"), b("w"), Duration.ofSeconds(1));
            db.merge();
            db.expire(b("k"), Duration.ofSeconds(6));
            db.expire(b("m"), Duration.ofSeconds(6));
            db.merge();
            db.expire(b("m"), Duration.ofSeconds(7));
            clock.advance(Duration.ofSeconds(5));
        }
        try (CouloyDB db = open(type)) {
            assertThat(s(db.get(b("k")))).isEqualTo("v");
            assertThat(db.ttl(b("k"))).isEqualTo(1000);
            assertThat(db.ttl(b("m"))).isEqualTo(2000);
            clock.advance(Duration.ofSeconds(3));
        }
        try (CouloyDB db = open(type)) {
            assertThat(db.get(b("k"))).isNull();
            assertThat(db.get(b("m"))).isNull();
            assertThat(db.stats().keyCount()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void put_withoutTtl_clearsAnEarlierExpiry(IndexType type) {
        try (CouloyDB db = open(type)) {
            db.put(b("k"), b("v"), Duration.ofSeconds(1));
            db.put(b("k"), b("w"));
            clock.advance(Duration.ofSeconds(2));
            assertThat(s(db.get(b("k")))).isEqualTo("w");
        }
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void writeBatch_appliesAll_andLaterOpsWin(IndexType type) {
        try (CouloyDB db = open(type)) {
            db.put(b("gone"), b("x"));
            db.write(new WriteBatch().put(b("a"), b("1")).put(b("b"), b("2")).delete(b("gone"))
                    .put(b("a"), b("3")).put(b("t"), b("t"), Duration.ofSeconds(1)));
            assertThat(s(db.get(b("a")))).isEqualTo("3");
            assertThat(s(db.get(b("b")))).isEqualTo("2");
            assertThat(db.get(b("gone"))).isNull();
        }
        try (CouloyDB db = open(type)) {
            assertThat(s(db.get(b("a")))).isEqualTo("3");
            assertThat(db.get(b("gone"))).isNull();
            assertThat(db.ttl(b("t"))).isEqualTo(1000);
        }
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void iterator_prefixRangeReverseKeysOnly(IndexType type) {
        try (CouloyDB db = open(type)) {
            for (String k : List.of("a", "b1", "b2", "b3", "c", "d")) {
                db.put(b(k), b("v" + k));
            }
            assertThat(keys(db, IteratorOptions.ALL)).containsExactly("a", "b1", "b2", "b3", "c", "d");
            assertThat(keys(db, IteratorOptions.builder().prefix(b("b")).build())).containsExactly("b1", "b2", "b3");
            assertThat(keys(db, IteratorOptions.builder().prefix(b("b")).reverse(true).build()))
                    .containsExactly("b3", "b2", "b1");
            assertThat(keys(db, IteratorOptions.builder().start(b("b2")).end(b("d")).build()))
                    .containsExactly("b2", "b3", "c");
            assertThat(keys(db, IteratorOptions.builder().start(b("b2")).end(b("d")).reverse(true).build()))
                    .containsExactly("c", "b3", "b2");
            assertThat(keys(db, IteratorOptions.builder().reverse(true).build()))
                    .containsExactly("d", "c", "b3", "b2", "b1", "a");
            try (EntryIterator it = db.iterator(IteratorOptions.builder().keysOnly(true).build())) {
                assertThat(it.next().value()).isNull();
            }
            try (EntryIterator it = db.iterator(IteratorOptions.ALL)) {
                assertThat(s(it.next().value())).isEqualTo("va");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void iterator_prefixOfFFBytes_hasNoUpperBound(IndexType type) {
        try (CouloyDB db = open(type)) {
            db.put(new byte[] {(byte) 0xFF}, b("1"));
            db.put(new byte[] {(byte) 0xFF, 0}, b("2"));
            db.put(new byte[] {(byte) 0xFE}, b("3"));
            List<byte[]> seen = new ArrayList<>();
            db.fold(IteratorOptions.builder().prefix(new byte[] {(byte) 0xFF}).build(), (k, v) -> seen.add(k));
            assertThat(seen).containsExactly(new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xFF, 0});
        }
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void fold_stopsWhenVisitorReturnsFalse(IndexType type) {
        try (CouloyDB db = open(type)) {
            for (int i = 0; i < 10; i++) {
                db.put(b("k" + i), b("v"));
            }
            List<String> seen = new ArrayList<>();
            db.fold(IteratorOptions.ALL, (k, v) -> {
                seen.add(s(k));
                return seen.size() < 3;
            });
            assertThat(seen).containsExactly("k0", "k1", "k2");
        }
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void merge_reclaimsDeadBytes_andKeepsLiveData(IndexType type) {
        try (CouloyDB db = open(type)) {
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < 300; i++) {
                    db.put(b("key" + i), b("value-" + round + "-" + i));
                }
            }
            for (int i = 0; i < 300; i += 2) {
                db.delete(b("key" + i));
            }
            Stats before = db.stats();
            db.merge();
            Stats after = db.stats();
            assertThat(after.totalBytes()).isLessThan(before.totalBytes() / 3);
            assertThat(after.deadBytes()).isLessThan(after.totalBytes() / 10 + 100);
            for (int i = 0; i < 300; i++) {
                assertThat(s(db.get(b("key" + i)))).isEqualTo(i % 2 == 0 ? null : "value-4-" + i);
            }
        }
        try (CouloyDB db = open(type)) {
            for (int i = 0; i < 300; i++) {
                assertThat(s(db.get(b("key" + i)))).isEqualTo(i % 2 == 0 ? null : "value-4-" + i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void merge_dropsExpiredRecords_andDeletedKeysStayDeleted(IndexType type) {
        try (CouloyDB db = open(type)) {
            db.put(b("exp"), b("x"), Duration.ofSeconds(1));
            db.put(b("del"), b("x"));
            db.delete(b("del"));
            clock.advance(Duration.ofSeconds(2));
            db.merge();
            db.merge();
        }
        try (CouloyDB db = open(type)) {
            assertThat(db.get(b("exp"))).isNull();
            assertThat(db.get(b("del"))).isNull();
            assertThat(db.stats().keyCount()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void backup_isAnOpenableConsistentCopy(IndexType type) {
        Path copy = dir.resolveSibling(dir.getFileName() + "-backup");
        try (CouloyDB db = open(type)) {
            for (int i = 0; i < 500; i++) {
                db.put(b("k" + i), b("v" + i));
            }
            db.backup(copy);
            db.put(b("after"), b("backup"));
        }
        try (CouloyDB restored = CouloyDB.open(Options.builder(copy).indexType(type).build())) {
            assertThat(restored.stats().keyCount()).isEqualTo(500);
            assertThat(s(restored.get(b("k499")))).isEqualTo("v499");
            assertThat(restored.get(b("after"))).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void everySyncPolicy_persistsAcrossClose(SyncPolicy policy) {
        Options o = Options.builder(dir).syncPolicy(policy).bytesPerSync(1024).build();
        try (CouloyDB db = CouloyDB.open(o)) {
            for (int i = 0; i < 100; i++) {
                db.put(b("k" + i), b("v" + i));
            }
            db.sync();
        }
        try (CouloyDB db = CouloyDB.open(o)) {
            assertThat(db.stats().keyCount()).isEqualTo(100);
        }
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void stats_countsLiveAndDeadBytesPerFile(IndexType type) {
        try (CouloyDB db = open(type)) {
            db.put(b("k"), b("v1"));
            Stats one = db.stats();
            assertThat(one.deadBytes()).isZero();
            db.put(b("k"), b("v2"));
            Stats two = db.stats();
            assertThat(two.liveBytes()).isEqualTo(one.liveBytes());
            assertThat(two.deadBytes()).isEqualTo(one.liveBytes());
            assertThat(two.keyCount()).isEqualTo(1);
            assertThat(two.indexMemoryBytes()).isPositive();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void reads_fromActiveChunksSealedFilesAndChannel_returnTheSameValues(boolean mmap) {
        // 12 MiB of values: the active file spans several 4 MiB mapped chunks, and records
        // straddle chunk boundaries; a 8 MiB file size makes sealed, wholly mapped files too.
        Options o = Options.builder(dir).mmapReads(mmap).dataFileSize(8 << 20).mergeInterval(Duration.ZERO).build();
        int n = 12_000;
        try (CouloyDB db = CouloyDB.open(o)) {
            for (int i = 0; i < n; i++) {
                db.put(b("k" + i), bigValue(i));
            }
            for (int i = 0; i < n; i++) {
                assertThat(db.get(b("k" + i))).as("k%d", i).isEqualTo(bigValue(i));
            }
            db.merge();
            for (int i = 0; i < n; i += 7) {
                assertThat(db.get(b("k" + i))).isEqualTo(bigValue(i));
            }
        }
        try (CouloyDB db = CouloyDB.open(o)) {
            for (int i = 0; i < n; i += 3) {
                assertThat(db.get(b("k" + i))).isEqualTo(bigValue(i));
            }
        }
    }

    private static byte[] bigValue(int i) {
        byte[] v = new byte[1000 + i % 97];
        java.util.Arrays.fill(v, (byte) i);
        v[0] = (byte) (i >> 8);
        return v;
    }

    private static List<String> keys(CouloyDB db, IteratorOptions o) {
        List<String> out = new ArrayList<>();
        try (EntryIterator it = db.iterator(o)) {
            it.forEachRemaining(e -> out.add(s(e.key())));
        }
        return out;
    }
}
