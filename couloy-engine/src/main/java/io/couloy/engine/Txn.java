package io.couloy.engine;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One run of a transaction function: reads go to the database (seeing this transaction's own
 * writes), writes are buffered and applied as one atomic, durable batch at commit. Use it only
 * inside the function it was passed to, from that thread.
 */
public final class Txn {
    private final CouloyDB db;
    private final boolean readOnly;
    private final KeyWatch reads; // null under READ_COMMITTED
    private final TreeMap<byte[], WriteBatch.Op> writes = new TreeMap<>(Arrays::compareUnsigned);

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
