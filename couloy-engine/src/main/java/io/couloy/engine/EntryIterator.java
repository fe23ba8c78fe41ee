package io.couloy.engine;

import io.couloy.engine.keydir.KeyDir;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Walks keys in order, as {@link CouloyDB#iterator(IteratorOptions)} describes.
 *
 * <p>Weakly consistent, never a snapshot: keys are fetched from the key directory a batch at a
 * time and each value is read when {@link #next()} reaches its key. A key present and unchanged
 * for the whole walk is returned exactly once with its value; a key written or deleted during the
 * walk may or may not be returned, and if returned carries a value it had at some point during the
 * walk. It never throws {@code ConcurrentModificationException} and holds no lock between calls.
 * On a {@link IndexType#HASH} directory the first call collects and sorts all matching keys.
 * A walk with values visits string keys only; a keys-only walk visits keys of every type.
 */
public final class EntryIterator implements Iterator<Entry>, AutoCloseable {
    private static final int BATCH = 256;

    private final CouloyDB db;
    private final KeyDir keyDir;
    private final IteratorOptions options;
    private final ArrayDeque<byte[]> keys = new ArrayDeque<>();
    private byte[] last;
    private boolean started;
    private boolean exhausted;
    private Entry next;
    /** The walk covers [lower, upper) in key order; null is unbounded. */
    private final byte[] lower;
    private final byte[] upper;

    EntryIterator(CouloyDB db, KeyDir keyDir, IteratorOptions options) {
        this.db = db;
        this.keyDir = keyDir;
        this.options = options;
        byte[] p = options.prefix();
        this.lower = max(options.start(), p);
        this.upper = minUpper(options.end(), p == null ? null : prefixEnd(p));
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            byte[] key = nextKey();
            if (key == null) {
                return false;
            }
            if (options.keysOnly()) {
                if (db.exists(key)) {
                    next = new Entry(key, null);
                }
            } else {
                byte[] value;
                try {
                    value = db.get(key);
                } catch (WrongTypeException collection) {
                    continue; // a collection has no single value: value walks visit string keys
                }
                if (value != null) {
                    next = new Entry(key, value);
                }
            }
        }
        return true;
    }

    @Override
    public Entry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Entry e = next;
        next = null;
        return e;
    }

    private byte[] nextKey() {
        while (true) {
            while (keys.isEmpty()) {
                if (exhausted) {
                    return null;
                }
                fill();
            }
            byte[] key = keys.poll();
            switch (position(key)) {
                case BEFORE -> {
                    // not yet inside the range (the reverse seek is inclusive of the bound): skip
                }
                case AFTER -> {
                    exhausted = true;
                    keys.clear();
                    return null;
                }
                case INSIDE -> {
                    return key;
                }
            }
        }
    }

    private void fill() {
        int limit = keyDir.ordered() ? BATCH : Integer.MAX_VALUE;
        List<byte[]> batch = started
                ? keyDir.keys(last, false, options.reverse(), limit)
                : keyDir.keys(seekKey(), true, options.reverse(), limit);
        started = true;
        if (batch.size() < limit) {
            exhausted = true;
        }
        if (!batch.isEmpty()) {
            last = batch.getLast();
        }
        keys.addAll(batch);
    }

    /** Where the walk starts: the tighter of the range bound and the prefix's range. */
    private byte[] seekKey() {
        return options.reverse() ? upper : lower;
    }

    private static byte[] max(byte[] a, byte[] b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return Arrays.compareUnsigned(a, b) >= 0 ? a : b;
    }

    private static byte[] minUpper(byte[] a, byte[] b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return Arrays.compareUnsigned(a, b) <= 0 ? a : b;
    }

    /** The smallest key greater than every key with {@code prefix}, or null if there is none. */
    static byte[] prefixEnd(byte[] prefix) {
        byte[] end = prefix.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xFF) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return null;
    }

    private enum Position { BEFORE, INSIDE, AFTER }

    /** Where {@code k} lies relative to the walk, in walking order. */
    private Position position(byte[] k) {
        boolean belowLower = lower != null && Arrays.compareUnsigned(k, lower) < 0;
        boolean atOrAboveUpper = upper != null && Arrays.compareUnsigned(k, upper) >= 0;
        if (options.reverse()) {
            return atOrAboveUpper ? Position.BEFORE : belowLower ? Position.AFTER : Position.INSIDE;
        }
        return belowLower ? Position.BEFORE : atOrAboveUpper ? Position.AFTER : Position.INSIDE;
    }

    @Override
    public void close() {
        keys.clear();
        exhausted = true;
    }
}
