package io.couloy.engine;

import static io.couloy.engine.Bytes.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.couloy.engine.format.DirectoryFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merge whose install fails after its commit point (MERGE_DONE written, keys already moved to
 * its files): the database goes on reading and writing from the files it has open, refuses
 * further merges, and the next open finishes the install with nothing lost.
 */
class MergeInstallFailureTest {
    @TempDir
    Path dir;

    private CouloyDB open() {
        return CouloyDB.open(Options.builder(dir).dataFileSize(4096).mergeInterval(Duration.ZERO)
                .syncPolicy(SyncPolicy.OS).build());
    }

    private static byte[] value(int key, int version) {
        return b("k" + key + "=" + version + "/" + "x".repeat(100));
    }

    @Test
    void aFailedInstall_keepsEveryValue_refusesMerges_andIsFinishedByTheNextOpen() throws IOException {
        int keys = 200;
        // The first file's hint becomes a directory the install cannot delete: the install's
        // first step for the first output fails, after the keys have moved to the outputs.
        Path obstacle = dir.resolve(DirectoryFormat.hintName(1));
        try (CouloyDB db = open()) {
            for (int version = 1; version <= 3; version++) {
                for (int k = 0; k < keys; k++) {
                    db.put(b("k" + k), value(k, version));
                }
            }
            db.flushWrites();
            assertThat(db.stats().files().size()).isGreaterThan(3);
            Files.deleteIfExists(obstacle);
            Files.createDirectories(obstacle);
            Files.writeString(obstacle.resolve("keep"), "not a hint");

            assertThatThrownBy(db::merge).isInstanceOf(StorageException.class);

            for (int k = 0; k < keys; k++) {
                assertThat(db.get(b("k" + k))).as("k%d after the failed install", k).isEqualTo(value(k, 3));
            }
            for (int k = 0; k < keys; k += 2) {
                db.put(b("k" + k), value(k, 4));
            }
            assertThatThrownBy(db::merge).isInstanceOf(CouloyException.class).hasMessageContaining("merges are refused");
        }
        Files.delete(obstacle.resolve("keep"));
        Files.delete(obstacle);
        try (CouloyDB db = open()) {
            assertThat(dir.resolve(DirectoryFormat.MERGE_DIR)).doesNotExist();
            for (int k = 0; k < keys; k++) {
                assertThat(db.get(b("k" + k))).as("k%d after reopen", k).isEqualTo(value(k, k % 2 == 0 ? 4 : 3));
            }
            db.merge(); // merges work again
            for (int k = 0; k < keys; k++) {
                assertThat(db.get(b("k" + k))).isEqualTo(value(k, k % 2 == 0 ? 4 : 3));
            }
        }
    }
}
