package io.couloy.engine;

import io.couloy.engine.types.HyperLogLog;
import java.util.List;

/**
 * Redis's HyperLogLog commands (PFADD, PFCOUNT, PFMERGE) on a {@link CouloyDB}: string values in
 * Redis's own HyperLogLog format, with its hash and estimator, so counts equal Redis's. Get one
 * with {@link CouloyDB#hyperLogLogs()}.
 *
 * <p>A string that is not a HyperLogLog raises {@link InvalidValueException} with Redis's text
 * ("Key is not a valid HyperLogLog string value.", which a Redis server replies as WRONGTYPE);
 * a collection raises {@link WrongTypeException}.
 */
public final class HyperLogLogs {
    private final CouloyDB db;

    HyperLogLogs(CouloyDB db) {
        this.db = db;
    }

    /**
     * PFADD: adds the elements (none: only creates the key); returns true if the estimate may
     * have changed, that is, a register changed or the key was created.
     */
    public boolean add(byte[] key, List<byte[]> elements) {
        return db.mutate(m -> {
            byte[] v = db.stringValue(key);
            HyperLogLog h = v == null ? HyperLogLog.empty() : HyperLogLog.parse(v);
            boolean changed = v == null;
            for (byte[] e : elements) {
                changed |= h.add(e);
            }
            if (changed) {
                db.putString(m, key, h.toBytes(), db.expiryOf(key));
            }
            return changed;
        });
    }

    /** PFCOUNT: the estimated number of distinct elements of the union of the keys (missing keys are empty). */
    public long count(List<byte[]> keys) {
        if (keys.size() == 1) {
            byte[] v = db.get(keys.get(0));
            return v == null ? 0 : HyperLogLog.parse(v).count();
        }
        return db.consistently(() -> {
            HyperLogLog union = HyperLogLog.empty();
            for (byte[] k : keys) {
                byte[] v = db.get(k);
                if (v != null) {
                    union.merge(HyperLogLog.parse(v));
                }
            }
            return union.count();
        });
    }

    /** PFMERGE: stores in {@code destination} the union of it (if it exists) and the sources. */
    public void merge(byte[] destination, List<byte[]> sources) {
        db.mutate(m -> {
            byte[] d = db.stringValue(destination);
            HyperLogLog union = d == null ? HyperLogLog.empty() : HyperLogLog.parse(d);
            for (byte[] k : sources) {
                byte[] v = db.stringValue(k);
                if (v != null) {
                    union.merge(HyperLogLog.parse(v));
                }
            }
            db.putString(m, destination, union.toBytes(), db.expiryOf(destination));
            return null;
        });
    }
}
