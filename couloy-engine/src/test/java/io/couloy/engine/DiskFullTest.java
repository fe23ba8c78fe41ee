package io.couloy.engine;

import static io.couloy.engine.Bytes.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fills a small tmpfs until writes fail: each failure is a clear StorageException, nothing
 * acknowledged is lost, the failed write leaves nothing behind, and once space is freed the
 * database goes on. Needs permission to mount a tmpfs (root, as on CI); skipped, and reported
 * as skipped, where that is refused.
 */
class DiskFullTest {
    @RegisterExtension
    final TinyFileSystem disk = new TinyFileSystem("1m");

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void fullDisk_failsWritesClearly_losesNothingAcknowledged_andRecovers(SyncPolicy policy) throws Exception {
        Path dir = disk.path().resolve("db");
        Options o = Options.builder(dir).syncPolicy(policy).dataFileSize(64 * 1024).mergeInterval(Duration.ZERO).build();
        List<Integer> acknowledged = new ArrayList<>();
        byte[] value = new byte[900];
        try (CouloyDB db = CouloyDB.open(o)) {
            int i = 0;
            StorageException failure = null;
            while (failure == null && i < 10_000) {
                try {
                    db.put(b("k" + i), value);
                    acknowledged.add(i);
                } catch (StorageException e) {
                    failure = e;
                }
                i++;
            }
            assertThat(failure).as("the disk filled up").isNotNull();
            assertThat(failure.getMessage()).contains(disk.path().toString());
            int failed = i - 1;
            assertThat(db.get(b("k" + failed))).as("the failed write left nothing").isNull();
            for (int k : acknowledged) {
                assertThat(db.get(b("k" + k))).isEqualTo(value);
            }
            assertThatThrownBy(() -> db.put(b("again"), value)).isInstanceOf(StorageException.class);
            // Free space: the database goes on without a restart.
            assertThat(disk.resize("8m")).isTrue();
            db.put(b("after"), b("space"));
        }
        try (CouloyDB db = CouloyDB.open(o)) {
            for (int k : acknowledged) {
                assertThat(db.get(b("k" + k))).isEqualTo(value);
            }
            assertThat(db.get(b("after"))).isEqualTo(b("space"));
            assertThat(db.get(b("again"))).isNull();
        }
    }

    /**
     * Deferred writes: what a flushWrites() acknowledged survives; the flush that meets the full
     * disk fails clearly, and the instance then refuses writes (memory shows records the file
     * lost) until it is reopened, which brings back exactly the flushed writes.
     */
    @org.junit.jupiter.api.Test
    void fullDisk_deferredWrites_keepWhatWasFlushed_andRefuseWritesUntilReopened() throws Exception {
        Path dir = disk.path().resolve("db");
        Options o = Options.builder(dir).syncPolicy(SyncPolicy.EVERY_SECOND).dataFileSize(64 * 1024)
                .mergeInterval(Duration.ZERO).deferredWrites(true).build();
        List<Integer> acknowledged = new ArrayList<>();
        List<Integer> batch = new ArrayList<>();
        byte[] value = new byte[900];
        try (CouloyDB db = CouloyDB.open(o)) {
            CouloyException failure = null;
            for (int i = 0; failure == null && i < 10_000; i++) {
                try {
                    db.put(b("k" + i), value);
                    batch.add(i);
                    if (batch.size() == 10) {
                        db.flushWrites();
                        acknowledged.addAll(batch);
                        batch.clear();
                    }
                } catch (StorageException e) {
                    failure = e;
                }
            }
            assertThat(failure).as("the disk filled up").isNotNull();
            assertThat(failure.getMessage()).contains(disk.path().toString());
            assertThat(acknowledged).isNotEmpty();
            for (int k : acknowledged) {
                assertThat(db.get(b("k" + k))).isEqualTo(value);
            }
            assertThatThrownBy(() -> {
                db.put(b("again"), value);
                db.flushWrites();
            }).isInstanceOf(CouloyException.class);
            assertThat(disk.resize("8m")).isTrue();
        }
        try (CouloyDB db = CouloyDB.open(o)) {
            for (int k : acknowledged) {
                assertThat(db.get(b("k" + k))).as("k%d was flushed", k).isEqualTo(value);
            }
            db.put(b("after"), b("space"));
            db.flushWrites();
            assertThat(db.get(b("after"))).isEqualTo(b("space"));
        }
    }
}
