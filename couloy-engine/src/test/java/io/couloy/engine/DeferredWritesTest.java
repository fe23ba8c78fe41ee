package io.couloy.engine;

import static io.couloy.engine.Bytes.b;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deferred writes: records wait in memory, visible to readers, until flushWrites() writes them
 * in one go; without the option every write reaches the file before it returns; ALWAYS ignores
 * the option. (What a crash keeps is CrashTest's sigkill_deferredWrites case.)
 */
class DeferredWritesTest {
    @TempDir
    Path dir;

    private long dataBytesOnDisk() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            long total = 0;
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".data")).toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }

    private CouloyDB open(boolean deferred, SyncPolicy policy) {
        return CouloyDB.open(Options.builder(dir).deferredWrites(deferred).syncPolicy(policy).mergeInterval(Duration.ZERO)
                .build());
    }

    @Test
    void deferredRecords_areReadable_beforeTheyReachTheFile_andGoInOneFlush() throws IOException {
        try (CouloyDB db = open(true, SyncPolicy.OS)) {
            db.put(b("first"), b("1")); // the first append starts the in-memory tail, so it is written at once
            long before = dataBytesOnDisk();
            for (int i = 0; i < 100; i++) {
                db.put(b("k" + i), b("v" + i));
            }
            db.hashes().set(b("h"), List.of(new Hashes.FieldValue(b("f"), b("x"))));
            db.delete(b("k7"));
            assertThat(dataBytesOnDisk()).as("nothing written yet").isEqualTo(before);
            assertThat(db.get(b("k42"))).isEqualTo(b("v42"));
            assertThat(db.hashes().get(b("h"), b("f"))).isEqualTo(b("x"));
            assertThat(db.exists(b("k7"))).isFalse();
            db.flushWrites();
            assertThat(dataBytesOnDisk()).as("all of it, at once").isGreaterThan(before + 100 * 10);
            db.flushWrites(); // nothing waits: no-op
        }
        try (CouloyDB db = open(false, SyncPolicy.OS)) {
            assertThat(db.get(b("k99"))).isEqualTo(b("v99"));
            assertThat(db.exists(b("k7"))).isFalse();
        }
    }

    @Test
    void closeWritesWhatWaits() {
        try (CouloyDB db = open(true, SyncPolicy.EVERY_SECOND)) {
            db.put(b("first"), b("1"));
            db.put(b("unflushed"), b("2"));
        }
        try (CouloyDB db = open(true, SyncPolicy.EVERY_SECOND)) {
            assertThat(db.get(b("unflushed"))).isEqualTo(b("2"));
        }
    }

    @Test
    void withoutTheOption_orUnderAlways_everyWriteReachesTheFile() throws IOException {
        for (var mode : List.of(new Object[] {false, SyncPolicy.OS}, new Object[] {true, SyncPolicy.ALWAYS})) {
            try (CouloyDB db = open((Boolean) mode[0], (SyncPolicy) mode[1])) {
                db.put(b("first"), b("1"));
                long before = dataBytesOnDisk();
                db.put(b("next"), b("2"));
                assertThat(dataBytesOnDisk()).as("mode %s %s", mode[0], mode[1]).isGreaterThan(before);
            }
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {256 * 1024, 16 * 1024 * 1024})
    void recordsPastTheBufferLimit_aChunkBoundary_orARotation_stayReadable(long fileSize) {
        try (CouloyDB db = CouloyDB.open(Options.builder(dir).deferredWrites(true).syncPolicy(SyncPolicy.OS)
                .dataFileSize(fileSize).mergeInterval(Duration.ZERO).build())) {
            byte[] big = new byte[100_000];
            for (int i = 0; i < 60; i++) { // 6 MB: rotations of small files, or a 4 MiB chunk boundary; the 1 MiB limit
                java.util.Arrays.fill(big, (byte) i);
                db.put(b("big" + i), big);
                db.put(b("small" + i), b("v" + i)); // deferred between the big ones, flushed with the next
            }
            for (int i = 0; i < 60; i++) {
                assertThat(db.get(b("big" + i))).containsOnly((byte) i);
            }
        }
        try (CouloyDB db = open(false, SyncPolicy.OS)) { // what reached the files, byte for byte
            for (int i = 0; i < 60; i++) {
                assertThat(db.get(b("big" + i))).hasSize(100_000).containsOnly((byte) i);
                assertThat(db.get(b("small" + i))).isEqualTo(b("v" + i));
            }
        }
    }
}
