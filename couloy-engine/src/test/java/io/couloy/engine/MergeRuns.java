package io.couloy.engine;

import io.couloy.engine.merge.MergeScope;

/** Merge scopes for tests: a run of immutable files chosen by two arbitrary numbers. */
final class MergeRuns {
    private MergeRuns() {}

    /** Every immutable file except the oldest: the merge must keep what its inputs deleted. */
    static final MergeScope ALL_BUT_OLDEST = immutable -> immutable.subList(1, immutable.size());

    /**
     * The run starting at file {@code from} (mod the count) of up to {@code length} + 1 files:
     * usually leaves older files out, so the merge must keep what its inputs deleted.
     */
    static MergeScope run(int from, int length) {
        return immutable -> {
            int n = immutable.size();
            int a = Math.floorMod(from, n);
            int b = Math.min(n, a + 1 + Math.floorMod(length, n - a));
            return immutable.subList(a, b);
        };
    }
}
