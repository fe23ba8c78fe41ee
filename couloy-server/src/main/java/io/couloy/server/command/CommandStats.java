package io.couloy.server.command;

import java.util.concurrent.atomic.LongAdder;

/**
 * One command's counters for INFO commandstats: calls, time spent, failed calls. Held by the
 * command's {@link CommandSpec}, so counting a call is three uncontended adds, not a look-up by
 * name. Time is kept in nanoseconds and shown in microseconds: adding each call's truncated
 * microseconds, as Redis does, would count a 0.6 µs command as 0.
 */
public final class CommandStats {
    private final LongAdder calls = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final LongAdder failed = new LongAdder();

    void record(long callNanos, boolean callFailed) {
        calls.increment();
        nanos.add(callNanos);
        if (callFailed) {
            failed.increment();
        }
    }

    public long calls() {
        return calls.sum();
    }

    public long micros() {
        return nanos.sum() / 1000;
    }

    public long failedCalls() {
        return failed.sum();
    }

    /** CONFIG RESETSTAT. */
    public void reset() {
        calls.reset();
        nanos.reset();
        failed.reset();
    }
}
