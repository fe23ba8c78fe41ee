package io.couloy.bench;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.Options;
import io.couloy.engine.SyncPolicy;
import io.couloy.engine.merge.Merger;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What one merge costs: N keys written twice (so half the bytes are dead), then one
 * {@link CouloyDB#merge()} timed, wall clock and the merging thread's CPU. Not a JMH benchmark:
 * each figure is one measurement of a whole merge, after a warm-up merge of a smaller store.
 */
final class MergeCost {
    record Result(long bytesBefore, long bytesAfter, double seconds, double cpuSeconds) {}

    private MergeCost() {}

    static Result measure(long count, int valueSize) throws IOException {
        Path dir = Keys.tempDir("couloy-merge");
        try {
            Options options = Options.builder(dir).syncPolicy(SyncPolicy.OS).mergeInterval(Duration.ZERO).build();
            try (CouloyDB db = CouloyDB.open(options)) {
                for (int pass = 0; pass < 2; pass++) {
                    long seed = pass;
                    Keys.put(db, count, i -> Keys.value(valueSize, i + seed));
                }
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                long cpu = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                Merger.Result r = db.merge();
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
                if (r.recordsCopied() != count) {
                    throw new IllegalStateException("expected " + count + " records copied, merge copied " + r.recordsCopied());
                }
                return new Result(r.bytesBefore(), r.bytesAfter(), seconds, cpuSeconds);
            }
        } finally {
            Keys.deleteTree(dir);
        }
    }
}
