package io.couloy.engine.merge;

import io.couloy.engine.log.DataFile;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which immutable files a merge rewrites: always a contiguous run of them (ascending id), since
 * a file left out between two inputs would end up older than records copied from after it.
 */
@FunctionalInterface
public interface MergeScope {
    /** Every immutable file: drops every tombstone, since no older file can hold what it deleted. */
    MergeScope ALL = immutable -> immutable;

    /**
     * The contiguous run of {@code immutable} (ascending id) to merge; empty for none. The
     * result must be a sub-list of consecutive elements of the argument.
     */
    List<DataFile> select(List<DataFile> immutable);

    /**
     * The run whose dead bytes exceed {@code deadRatio} of its size by the most: Bitcask's "merge
     * the fragmented files" without rewriting the mostly live ones, such as the output of the
     * previous merge. Each file scores {@code dead·(1−r) − live·r}, positive when it is more than
     * r dead; a run's score is positive exactly when the run is more than r dead, and the run of
     * highest score is found in one pass (Kadane's maximum sub-array). Empty when no run is.
     */
    static MergeScope fragmented(double deadRatio) {
        return fragmented(deadRatio, f -> false);
    }

    /**
     * As {@link #fragmented(double)}, with no run holding a file {@code avoid} names: one a merge
     * could not read through (a damaged record), which merging would lose records of. The runs
     * before and after it stay open to merges.
     */
    static MergeScope fragmented(double deadRatio, Predicate<DataFile> avoid) {
        return immutable -> {
            double best = 0;
            long bestDead = 0;
            int bestFrom = 0;
            int bestTo = 0;
            double run = 0;
            long runDead = 0;
            int from = 0;
            for (int i = 0; i < immutable.size(); i++) {
                DataFile f = immutable.get(i);
                if (avoid.test(f)) {
                    run = -1; // the next file starts a new run
                    continue;
                }
                long size = f.size();
                long live = Math.clamp(f.liveBytes().get(), 0, size);
                if (run < 0) {
                    run = 0;
                    runDead = 0;
                    from = i;
                }
                run += (size - live) * (1 - deadRatio) - live * deadRatio;
                runDead += size - live;
                // Ties go to the run with more dead bytes: at a ratio of 1 every wholly dead file scores 0.
                if (run > best || (run == best && runDead > bestDead)) {
                    best = run;
                    bestDead = runDead;
                    bestFrom = from;
                    bestTo = i + 1;
                }
            }
            return immutable.subList(bestFrom, bestTo);
        };
    }
}
