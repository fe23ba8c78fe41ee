package io.couloy.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One run of a transaction function: reads go to the database (seeing this transaction's own
 * writes), writes are buffered and applied as one atomic, durable batch at commit. Use it only
 * inside the function it was passed to, from that thread.
 *
 * <p>Typed operations (hashes, lists, sets, sorted sets, string counters and bitmaps) join a
 * transaction through {@link #queue}: like commands between Redis's MULTI and EXEC, they run at
 * commit, in order, each seeing the effects of those before it, and together with the buffered
 * puts and deletes they are written as one atomic group. Typed reads go through {@link #read},
 * which adds the key to the transaction's read set, so that under {@link Isolation#SERIALIZABLE}
 * a change to it by another writer makes the transaction run again.
 */
public final class Txn {
    private final CouloyDB db;
    private final boolean readOnly;
    private final KeyWatch reads; // null under READ_COMMITTED
    private final TreeMap<byte[], WriteBatch.Op> writes = new TreeMap<>(Arrays::compareUnsigned);
    private final List<Queued<?>> queued = new ArrayList<>();

    /**
     * The result of a queued operation, known once the transaction commits.
     *
     * @param <T> what the operation returns
     */
    public static final class Queued<T> {
        private final Function<CouloyDB, T> op;
        private boolean done;
        private T value;
        private RuntimeException error;

        Queued(Function<CouloyDB, T> op) {
            this.op = op;
        }

        void run(CouloyDB db) {
            try {
                value = op.apply(db);
            } catch (RuntimeException e) {
                error = e;
            }
            done = true;
        }

        /**
         * What the operation returned at commit.
         *
         * @throws IllegalStateException before the transaction committed
         * @throws RuntimeException what the operation threw (it changed nothing; the others committed)
         */
        public T get() {
            if (!done) {
                throw new IllegalStateException("the transaction has not committed");
            }
            if (error != null) {
                throw error;
            }
            return value;
        }

        /** Whether the operation ran and threw. */
        public boolean failed() {
            return done && error != null;
        }
    }

    /**
     * Queues a typed write (or any operation on the database) to run at commit, after this
     * transaction's buffered puts and deletes, atomically with them. {@code op} must use only
     * the database it is given and must not start transactions of its own.
     */
    public <T> Queued<T> queue(Function<CouloyDB, T> op) {
        if (readOnly) {
            throw new ReadOnlyException();
        }
        Queued<T> q = new Queued<>(Objects.requireNonNull(op, "op"));
        queued.add(q);
        return q;
    }

    /**
     * Runs a typed read of {@code key} now, against the committed state (queued writes have not
     * run yet), and adds {@code key} to the read set.
     */
    public <T> T read(byte[] key, Function<CouloyDB, T> read) {
        Objects.requireNonNull(key, "key must not be null");
        if (reads != null) {
            reads.add(key);
        }
        return read.apply(db);
    }

    Txn(CouloyDB db, boolean readOnly, KeyWatch reads) {
        this.db = db;
        this.readOnly = readOnly;
        this.reads = reads;
    }

    /** The value of {@code key} as this transaction sees it, or null. */
    public byte[] get(byte[] key) {
        Objects.requireNonNull(key, "key must not be null");
        WriteBatch.Op own = writes.get(key);
        if (own != null) {
            return own.isDelete() ? null : own.value().clone();
        }
        if (reads != null) {
            reads.add(key);
        }
        return db.get(key);
    }

    /** Whether {@code key} exists as this transaction sees it. */
    public boolean exists(byte[] key) {
        Objects.requireNonNull(key, "key must not be null");
        WriteBatch.Op own = writes.get(key);
        if (own != null) {
            return !own.isDelete();
        }
        if (reads != null) {
            reads.add(key);
        }
        return db.exists(key);
    }

    /** Buffers a put; applied at commit. */
    public void put(byte[] key, byte[] value) {
        buffer(new WriteBatch.Op(key.clone(), value.clone(), null));
    }

    /** Buffers a put with a time to live; applied at commit. */
    public void put(byte[] key, byte[] value, Duration ttl) {
        buffer(new WriteBatch.Op(key.clone(), value.clone(), Objects.requireNonNull(ttl, "ttl")));
    }

    /** Buffers a delete; applied at commit. */
    public void delete(byte[] key) {
        buffer(new WriteBatch.Op(key.clone(), null, null));
    }

    private void buffer(WriteBatch.Op op) {
        if (readOnly) {
            throw new ReadOnlyException();
        }
        db.validate(op);
        writes.put(op.key(), op);
    }

    /** Applies the buffered writes if the reads still hold; false on a conflict (nothing written). */
    boolean commit() {
        if (!queued.isEmpty()) {
            List<Runnable> ops = new ArrayList<>();
            if (!writes.isEmpty()) {
                List<WriteBatch.Op> buffered = new ArrayList<>(writes.values());
                ops.add(() -> db.mutate(m -> {
                    db.applyBatchOps(m, buffered);
                    return null;
                }));
            }
            for (Queued<?> q : queued) {
                ops.add(() -> q.run(db));
            }
            return db.commitGroup(reads, ops);
        }
        if (writes.isEmpty()) {
            // Nothing to write: the reads were consistent if none changed up to now.
            return reads == null || !reads.changed();
        }
        WriteBatch batch = new WriteBatch();
        for (WriteBatch.Op op : writes.values()) {
            batch.add(op);
        }
        return db.write(batch, reads);
    }

    void close() {
        if (reads != null) {
            reads.close();
        }
    }
}
