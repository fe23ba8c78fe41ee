package io.couloy.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Puts and deletes applied all or nothing by {@link CouloyDB#write(WriteBatch)}: on disk they
 * count only once the batch's commit record is read back, and readers never see part of one.
 * Later operations on the same key win. Not thread-safe; reusable after {@link #clear()}.
 */
public final class WriteBatch {
    /** One buffered operation; {@code value} is null for a delete. */
    record Op(byte[] key, byte[] value, Duration ttl) {
        boolean isDelete() {
            return value == null;
        }
    }

    private final List<Op> ops = new ArrayList<>();

    /** Buffers a put. The arrays are not copied: do not change them before the batch is written. */
    public WriteBatch put(byte[] key, byte[] value) {
        ops.add(new Op(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"), null));
        return this;
    }

    /** Buffers a put that expires after {@code ttl}. */
    public WriteBatch put(byte[] key, byte[] value, Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        ops.add(new Op(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"), ttl));
        return this;
    }

    /** Buffers a delete. */
    public WriteBatch delete(byte[] key) {
        ops.add(new Op(Objects.requireNonNull(key, "key"), null, null));
        return this;
    }

    void add(Op op) {
        ops.add(op);
    }

    public int size() {
        return ops.size();
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    public void clear() {
        ops.clear();
    }

    List<Op> ops() {
        return Collections.unmodifiableList(ops);
    }
}
