package io.couloy.server.command;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
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

    /**
     * Enters as an ordinary command if that needs no waiting, else returns null. Unlike an
     * untimed {@code tryLock()} it does not barge past a queued exclusive command.
     */
    public ReentrantReadWriteLock.ReadLock tryEnterShared() {
        ReentrantReadWriteLock.ReadLock l = stripes[STRIPE.get() % stripes.length].readLock();
        try {
            return l.tryLock(0, TimeUnit.NANOSECONDS) ? l : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * As {@link #enterShared()}, but while waiting asks {@code giveUp} every few milliseconds and
     * returns null if it says so (a script holds the server past busy-reply-threshold: the
     * command is answered BUSY instead of stalling its event loop).
     */
    public ReentrantReadWriteLock.ReadLock enterShared(BooleanSupplier giveUp) {
        ReentrantReadWriteLock.ReadLock l = stripes[STRIPE.get() % stripes.length].readLock();
        return acquire(l, giveUp) ? l : null;
    }

    /** As {@link #enterExclusive()}, giving up (holding nothing) when {@code giveUp} says so. */
    public boolean enterExclusive(BooleanSupplier giveUp) {
        for (int i = 0; i < stripes.length; i++) {
            if (!acquire(stripes[i].writeLock(), giveUp)) {
                for (int j = i - 1; j >= 0; j--) {
                    stripes[j].writeLock().unlock();
                }
                return false;
            }
        }
        return true;
    }

    private static boolean acquire(Lock l, BooleanSupplier giveUp) {
        try {
            while (!l.tryLock(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (giveUp.getAsBoolean()) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static final long POLL_MILLIS = 10;

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
