package io.couloy.server.command;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Lets ordinary commands run in parallel and an exclusive one (EXEC, FLUSHALL) run alone. One
 * read-write lock per stripe, a thread always using the same stripe, so ordinary commands on
 * different threads never touch the same lock word (a single shared read lock made every
 * command bounce one cache line between the cores); the exclusive side takes every stripe.
 */
public final class StripedExclusion {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final ThreadLocal<Integer> STRIPE = ThreadLocal.withInitial(NEXT::getAndIncrement);

    private final ReentrantReadWriteLock[] stripes;

    public StripedExclusion(int stripes) {
        this.stripes = new ReentrantReadWriteLock[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new ReentrantReadWriteLock();
        }
    }

    /** Enters as an ordinary command; returns the lock to pass to {@link #exitShared}. */
    public ReentrantReadWriteLock.ReadLock enterShared() {
        ReentrantReadWriteLock.ReadLock l = stripes[STRIPE.get() % stripes.length].readLock();
        l.lock();
        return l;
    }

    public void exitShared(ReentrantReadWriteLock.ReadLock l) {
        l.unlock();
    }

    public void enterExclusive() {
        for (ReentrantReadWriteLock s : stripes) {
            s.writeLock().lock();
        }
    }

    public void exitExclusive() {
        for (int i = stripes.length - 1; i >= 0; i--) {
            stripes[i].writeLock().unlock();
        }
    }
}
