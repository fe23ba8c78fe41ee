package io.couloy.engine.log;

import io.couloy.engine.CouloyException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Shares fsyncs between writers. Each append advances a byte sequence; a writer that needs its
 * bytes durable, and finds nobody else syncing or waiting, fsyncs itself; otherwise it enqueues
 * itself and parks. One syncer thread runs fsyncs back to back: each
 * covers everything appended before it started, then wakes exactly the writers it covered. So
 * while one fsync runs, every write arriving meanwhile gathers for the next one, and 64 writers
 * cost a few fsyncs, not 64.
 *
 * <p>Rotation forces the old file before the new one takes writes, so forcing the file that is
 * active after reading {@link #written()} covers everything up to that sequence.
 */
public final class GroupCommit implements AutoCloseable {
    private record Waiter(Thread thread, long sequence) {}

    private final Supplier<DataFile> activeFile;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final Thread syncer;
    private volatile long written;
    private volatile long durable;
    private volatile RuntimeException failure;
    private volatile long failedUpTo;
    private volatile boolean closed;
    private volatile boolean syncerBusy;
    private final java.util.concurrent.atomic.AtomicBoolean inline = new java.util.concurrent.atomic.AtomicBoolean();

    public GroupCommit(Supplier<DataFile> activeFile, String name) {
        this.activeFile = activeFile;
        this.syncer = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
        syncer.start();
    }

    /** Records that {@code bytes} more were appended; returns the sequence to wait for. Writer only. */
    public long appended(int bytes) {
        long w = written + bytes;
        written = w;
        return w;
    }

    public long written() {
        return written;
    }

    /** Marks everything appended so far durable (after a rotation's fsync). Writer only. */
    public void allDurable() {
        advance(written);
    }

    private synchronized void advance(long to) {
        durable = Math.max(durable, to);
    }

    /** Returns once everything up to {@code sequence} is durable; throws if the fsync for it failed. */
    public void awaitDurable(long sequence) {
        if (durable >= sequence) {
            return;
        }
        // A lone writer syncs itself: with nobody else waiting, handing the fsync to the syncer
        // thread would only add two thread wake-ups to its latency.
        if (waiters.isEmpty() && !syncerBusy && inline.compareAndSet(false, true)) {
            try {
                long target = writtenToFile();
                activeFile.get().force();
                advance(target);
            } catch (DataFile.ClosedException rotatedAndClosed) {
                // A file is closed only after rotation forced it; the syncer path below settles it.
            } finally {
                inline.set(false);
            }
            if (durable >= sequence) {
                return;
            }
        }
        waiters.add(new Waiter(Thread.currentThread(), sequence));
        LockSupport.unpark(syncer);
        while (durable < sequence) {
            RuntimeException f = failure;
            if (f != null && failedUpTo >= sequence) {
                throw new CouloyException("write not durable: " + f.getMessage(), f);
            }
            if (closed) {
                throw new CouloyException("database closed before the write was synced");
            }
            LockSupport.park(this);
        }
    }

    /**
     * Syncs everything written to the file so far (the once-a-second policy, bytes-per-sync, an
     * explicit sync). Deferred appends still in memory are not covered: the caller writes them
     * first ({@code CouloyDB.flushWrites}), and ones appended meanwhile wait for the next sync.
     */
    public void syncNow() {
        awaitDurable(writtenToFile());
    }

    /**
     * The sequence up to which bytes are in the file, not only in the active file's deferred
     * buffer: a sync covers no more. Read in this order it can only fall short (bytes appended
     * in between raise the pending count first), which is the safe side.
     */
    private long writtenToFile() {
        long w = written;
        return w - activeFile.get().pendingLength();
    }

    private void run() {
        while (!closed) {
            if (waiters.isEmpty() || durable >= written) {
                wake(); // waiters covered by allDurable() after a rotation
                LockSupport.park(this);
                continue;
            }
            long target = writtenToFile();
            DataFile file = activeFile.get();
            syncerBusy = true;
            try {
                file.force();
            } catch (DataFile.ClosedException rotatedAndClosed) {
                // A file is closed only after rotation forced it.
            } catch (RuntimeException e) {
                failedUpTo = target;
                failure = e;
                wakeAll();
                continue;
            } finally {
                syncerBusy = false;
            }
            advance(target);
            wake();
        }
        wakeAll();
    }

    private void wake() {
        long d = durable;
        waiters.removeIf(w -> {
            if (w.sequence <= d) {
                LockSupport.unpark(w.thread);
                return true;
            }
            return false;
        });
    }

    private void wakeAll() {
        for (Waiter w : waiters) {
            LockSupport.unpark(w.thread);
        }
    }

    /** Stops the syncer; writers still waiting get an exception. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(syncer);
        try {
            syncer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
