package io.couloy.bench;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.IndexType;
import io.couloy.engine.Options;
import io.couloy.engine.SyncPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Open (recovery from hints) time and key-directory bytes per key, for N keys of 16 bytes with
 * 16-byte values. Not a JMH benchmark: each figure is one cold measurement of a whole open.
 */
final class OpenAndMemory {
    record Result(IndexType index, long keys, double openSeconds, double indexBytesPerKey) {}

    private OpenAndMemory() {}

    static Result measure(IndexType index, long count) throws IOException {
        Path dir = Keys.tempDir("couloy-open");
        try {
            Options options = Options.builder(dir).indexType(index).syncPolicy(SyncPolicy.OS)
                    .mergeInterval(Duration.ZERO).build();
            byte[] value = Keys.value(16, 1);
            try (CouloyDB db = CouloyDB.open(options)) {
                Keys.put(db, count, i -> value);
            }
            System.gc();
            long start = System.nanoTime();
            try (CouloyDB db = CouloyDB.open(options)) {
                double seconds = (System.nanoTime() - start) / 1e9;
                long keys = db.stats().keyCount();
                if (keys != count) {
                    throw new IllegalStateException("expected " + count + " keys, found " + keys);
                }
                return new Result(index, count, seconds, (double) db.stats().indexMemoryBytes() / count);
            }
        } finally {
            Keys.deleteTree(dir);
        }
    }
}
