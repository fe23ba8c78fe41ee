package io.couloy.engine.log;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Shares fsyncs between writers. Each append advances a byte sequence; a writer that needs its
 * bytes durable either finds them durable already, waits for the fsync in flight, or becomes
 * the leader and runs one fsync that covers every write appended up to then. With N writers
 * waiting, one fsync acknowledges all of them.
 *
 * <p>Rotation forces the old file before the new one takes writes, so forcing the file that is
 * active after reading {@link #written()} always covers everything up to that sequence.
 */
public final class GroupCommit {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition done = lock.newCondition();
    private final Supplier<DataFile> activeFile;
    private volatile long written;
    private long durable;
    private boolean syncing;

    public GroupCommit(Supplier<DataFile> activeFile) {
        this.activeFile = activeFile;
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
        lock.lock();
        try {
            durable = Math.max(durable, written);
            done.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Returns once everything up to {@code sequence} is durable, syncing if no one else is. */
    public void awaitDurable(long sequence) {
        lock.lock();
        try {
            while (durable < sequence) {
                if (syncing) {
                    done.awaitUninterruptibly();
                    continue;
                }
                syncing = true;
                long target = written;
                DataFile file = activeFile.get();
                lock.unlock();
                boolean ok = false;
                try {
                    file.force();
                    ok = true;
                } catch (DataFile.ClosedException rotatedAndClosed) {
                    ok = true; // a file is only closed after rotation forced it
                } finally {
                    lock.lock();
                    syncing = false;
                    if (ok) {
                        durable = Math.max(durable, target);
                    }
                    done.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Syncs everything appended so far (the once-a-second policy, or bytes-per-sync). */
    public void syncNow() {
        awaitDurable(written);
    }
}
