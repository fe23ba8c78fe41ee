package io.couloy.bench;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.Lists;
import io.couloy.engine.MergeReads;
import io.couloy.engine.Options;
import io.couloy.engine.SyncPolicy;
import io.couloy.engine.merge.Merger;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What one merge costs, wall clock and the merging thread's CPU: of N keys written twice (so
 * half the bytes are dead), of a list half popped, and of a store an earlier merge left mostly live. Not a JMH benchmark:
 * each figure is one measurement of a whole merge, after a warm-up merge of a smaller store.
 * Each case runs with a given {@link MergeReads}: scanning every input record, or reading only
 * those the index names (which the default chooses for most merges that start at the oldest file).
 */
final class MergeCost {
    record Result(long bytesBefore, long bytesAfter, long bytesRead, long recordsCopied, double seconds, double cpuSeconds,
            double pauseMillis) {}

    private MergeCost() {}

    static Result measure(long count, int valueSize, MergeReads reads) throws IOException {
        Path dir = Keys.tempDir("couloy-merge");
        try (CouloyDB db = open(dir, reads)) {
            for (int pass = 0; pass < 2; pass++) {
                long seed = pass;
                Keys.put(db, count, i -> Keys.value(valueSize, i + seed));
            }
            return timed(db::merge, count);
        } finally {
            Keys.deleteTree(dir);
        }
    }

    /**
     * The case the automatic merge meets in a long run: N keys written and merged (mostly live
     * files), then a fifth of them overwritten four times. {@code fragmented} times
     * {@link CouloyDB#mergeFragmented()} (the automatic merge's choice of files), else
     * {@link CouloyDB#merge()}; either leaves the same live data.
     */
    static Result measureAfterMerge(long count, int valueSize, boolean fragmented, MergeReads reads) throws IOException {
        Path dir = Keys.tempDir("couloy-merge");
        try (CouloyDB db = open(dir, reads)) {
            Keys.put(db, count, i -> Keys.value(valueSize, i));
            db.merge();
            long hot = count / 5;
            for (int pass = 1; pass <= 4; pass++) {
                long seed = pass;
                Keys.put(db, hot, i -> Keys.value(valueSize, i + seed));
            }
            // The fragmented choice may leave some dead files for a later merge: no fixed count to check.
            return timed(fragmented ? db::mergeFragmented : db::merge, fragmented ? -1 : count);
        } finally {
            Keys.deleteTree(dir);
        }
    }

    /**
     * A list of N elements pushed, then its first half popped: the merge checks every element
     * record, and every pop's tombstone, against the list's index.
     */
    static Result measureList(long count, int valueSize, MergeReads reads) throws IOException {
        Path dir = Keys.tempDir("couloy-merge");
        try (CouloyDB db = open(dir, reads)) {
            byte[] key = "bench:list".getBytes(StandardCharsets.UTF_8);
            List<byte[]> batch = new ArrayList<>();
            for (long i = 0; i < count; i++) {
                batch.add(Keys.value(valueSize, i));
                if (batch.size() == 1000 || i == count - 1) {
                    db.lists().pushRight(key, batch);
                    batch.clear();
                }
            }
            for (long popped = 0; popped < count / 2; popped += 1000) {
                db.lists().pop(key, Lists.End.LEFT, Math.min(1000, count / 2 - popped));
            }
            return timed(db::merge, count - count / 2 + 1); // and the list's own record
        } finally {
            Keys.deleteTree(dir);
        }
    }

    private static CouloyDB open(Path dir, MergeReads reads) {
        return CouloyDB.open(Options.builder(dir).syncPolicy(SyncPolicy.OS).mergeInterval(Duration.ZERO)
                .mergeReads(reads).build());
    }

    /** Times {@code merge}; {@code expectCopied} is the live record count it must copy, or -1 for no check. */
    private static Result timed(Supplier<Merger.Result> merge, long expectCopied) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        Merger.Result r = merge.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
        if (expectCopied >= 0 && r.recordsCopied() != expectCopied) {
            throw new IllegalStateException("expected " + expectCopied + " records copied, merge copied " + r.recordsCopied());
        }
        return new Result(r.bytesBefore(), r.bytesAfter(), r.bytesRead(), r.recordsCopied(), seconds, cpuSeconds, r.pauseNanos() / 1e6);
    }
}
