package io.couloy.engine.log;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine's single-writer lock. Its holders stay a microsecond or two (an append is a memory
 * copy with deferred writes), so a writer that finds it taken retries for a few microseconds
 * before parking: with more writer threads than cores, a parked writer is woken a scheduler
 * time slice later, which made the tail latency of pipelined writes milliseconds. Measured on 2
 * cores, 4 event loops, redis-benchmark -c 50 (bench/compare-redis.sh's setup): 512 spins took
 * SET -P 16 from ~400k to ~500k/s and its p99 from 16 to 9 ms, unpipelined p99 from 4-5.6 to
 * ~2 ms at the same rate; 8192 spins cost unpipelined throughput. {@code -Dcouloy.writeLockSpins}
 * overrides it (0: park at once).
 */
public final class WriteLock extends ReentrantLock {
    private static final int SPINS = Integer.getInteger("couloy.writeLockSpins", 512);

    @Override
    public void lock() {
        for (int i = 0; i < SPINS; i++) {
            if (tryLock()) {
                return;
            }
            Thread.onSpinWait();
        }
        super.lock();
    }
}
