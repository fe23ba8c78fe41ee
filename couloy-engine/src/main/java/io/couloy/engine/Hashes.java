package io.couloy.engine;

import io.couloy.engine.types.Collection;
import io.couloy.engine.types.NumberText;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Redis's hash operations (HSET, HGET, HDEL, ...) on a {@link CouloyDB}. Get one with
 * {@link CouloyDB#hashes()}; it holds no state of its own.
 *
 * <p>Storage: each field is one record in the data files (key, collection id, field, value);
 * memory holds each field and its record's location (about 30 bytes plus the field), never the
 * values. HGET is one index probe and one read; HSET of n fields appends n records (plus a header
 * and a commit marker when the hash is new). A hash whose last field is removed is deleted, and
 * deleting a hash of any size writes one record.
 *
 * <p>Every write is atomic and durable as the database's sync policy says; a reader on another
 * thread sees a multi-field write whole or not at all. Operations on a key holding another type
 * throw {@link WrongTypeException}; on a missing key they behave as on an empty hash.
 */
public final class Hashes {
    private final CouloyDB db;

    Hashes(CouloyDB db) {
        this.db = db;
    }

    /** A field and its value. */
    public record FieldValue(byte[] field, byte[] value) {
        public FieldValue {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(value, "value");
        }
    }

    /** HSET: sets one field; returns whether it is new. */
    public boolean set(byte[] key, byte[] field, byte[] value) {
        return set(key, List.of(new FieldValue(field, value))) == 1;
    }

    /** HSET: sets every field given (the last value wins for a repeated field); returns how many are new. */
    public int set(byte[] key, List<FieldValue> fields) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("no fields given");
        }
        return db.mutate(m -> {
            Collection c = db.collectionForWrite(m, key, KeyType.HASH, true);
            int added = 0;
            Set<ByteKey> seen = new HashSet<>();
            for (FieldValue fv : fields) {
                if (c.members().get(fv.field()) == null && seen.add(new ByteKey(fv.field()))) {
                    added++;
                }
                db.putMember(m, key, c, fv.field(), fv.value());
            }
            m.event(key, KeyEvent.Kind.UPDATED);
            return added;
        });
    }

    /** HSETNX: sets the field only if it does not exist; returns whether it was set. */
    public boolean setIfAbsent(byte[] key, byte[] field, byte[] value) {
        return db.mutate(m -> {
            Collection c = db.collectionForWrite(m, key, KeyType.HASH, true);
            if (c.members().get(field) != null) {
                return false;
            }
            db.putMember(m, key, c, field, value);
            m.event(key, KeyEvent.Kind.UPDATED);
            return true;
        });
    }

    /** HGET: the field's value, or null. */
    public byte[] get(byte[] key, byte[] field) {
        Objects.requireNonNull(field, "field");
        Collection c = db.collection(key, KeyType.HASH);
        return c == null ? null : db.memberValue(key, c, field);
    }

    /** HMGET: each field's value, null where absent. */
    public List<byte[]> get(byte[] key, List<byte[]> fields) {
        Collection c = db.collection(key, KeyType.HASH);
        List<byte[]> out = new ArrayList<>(fields.size());
        for (byte[] f : fields) {
            out.add(c == null ? null : db.memberValue(key, c, Objects.requireNonNull(f, "field")));
        }
        return out;
    }

    /** HEXISTS. Touches no file. */
    public boolean exists(byte[] key, byte[] field) {
        Collection c = db.collection(key, KeyType.HASH);
        return c != null && c.members().get(Objects.requireNonNull(field, "field")) != null;
    }

    /** HLEN. O(1), touches no file. */
    public long length(byte[] key) {
        Collection c = db.collection(key, KeyType.HASH);
        return c == null ? 0 : c.size();
    }

    /** HSTRLEN: the length of the field's value, 0 if absent. */
    public long valueLength(byte[] key, byte[] field) {
        byte[] v = get(key, field);
        return v == null ? 0 : v.length;
    }

    /** HDEL: removes the fields; returns how many existed. Removing the last field deletes the key. */
    public int delete(byte[] key, List<byte[]> fields) {
        return db.mutate(m -> {
            Collection c = db.collectionForWrite(m, key, KeyType.HASH, false);
            if (c == null) {
                return 0;
            }
            List<byte[]> present = new ArrayList<>();
            Set<ByteKey> seen = new HashSet<>();
            for (byte[] f : fields) {
                if (c.members().get(f) != null && seen.add(new ByteKey(f))) {
                    present.add(f);
                }
            }
            if (present.isEmpty()) {
                return 0;
            }
            if (present.size() == c.size()) {
                db.deleteKey(m, key);
            } else {
                for (byte[] f : present) {
                    db.removeMember(m, key, c, f);
                }
                m.event(key, KeyEvent.Kind.UPDATED);
            }
            return present.size();
        });
    }

    /** HKEYS: every field, in no particular order. Touches no file. */
    public List<byte[]> fields(byte[] key) {
        Collection c = db.collection(key, KeyType.HASH);
        List<byte[]> out = new ArrayList<>();
        if (c != null) {
            c.members().forEach((field, loc) -> out.add(field));
        }
        return out;
    }

    /** HGETALL: every field with its value, in no particular order. */
    public List<FieldValue> entries(byte[] key) {
        Collection c = db.collection(key, KeyType.HASH);
        List<FieldValue> out = new ArrayList<>();
        if (c == null) {
            return out;
        }
        for (byte[] f : fields(key, c)) {
            byte[] v = db.memberValue(key, c, f);
            if (v != null) { // removed meanwhile
                out.add(new FieldValue(f, v));
            }
        }
        return out;
    }

    /** HVALS: every value, in no particular order. */
    public List<byte[]> values(byte[] key) {
        return entries(key).stream().map(FieldValue::value).toList();
    }

    private static List<byte[]> fields(byte[] key, Collection c) {
        List<byte[]> out = new ArrayList<>((int) Math.min(c.size(), 1 << 20));
        c.members().forEach((field, loc) -> out.add(field));
        return out;
    }

    /**
     * HINCRBY: adds {@code delta} to the field's integer value (0 if absent); returns the new value.
     *
     * @throws InvalidValueException "hash value is not an integer" or "increment or decrement would overflow"
     */
    public long incrementBy(byte[] key, byte[] field, long delta) {
        return db.mutate(m -> {
            Collection c = db.collectionForWrite(m, key, KeyType.HASH, true);
            byte[] old = c.members().get(field) == null ? null : db.memberValue(key, c, field);
            long current = old == null ? 0 : NumberText.parseLong(old, "hash value is not an integer");
            long next;
            try {
                next = Math.addExact(current, delta);
            } catch (ArithmeticException e) {
                throw new InvalidValueException("increment or decrement would overflow");
            }
            db.putMember(m, key, c, field, NumberText.formatLong(next));
            m.event(key, KeyEvent.Kind.UPDATED);
            return next;
        });
    }

    /**
     * HINCRBYFLOAT: adds {@code delta} (a decimal, as Redis takes it) to the field's value (0 if
     * absent); returns the new value as stored, formatted as Redis formats it.
     *
     * @throws InvalidValueException "hash value is not a float", "value is not a valid float" or
     *     "increment would produce NaN or Infinity"
     */
    public byte[] incrementByFloat(byte[] key, byte[] field, byte[] delta) {
        BigDecimal d = NumberText.parseDecimal(delta, "value is not a valid float");
        return db.mutate(m -> {
            Collection c = db.collectionForWrite(m, key, KeyType.HASH, true);
            byte[] old = c.members().get(field) == null ? null : db.memberValue(key, c, field);
            BigDecimal current = old == null ? BigDecimal.ZERO
                    : NumberText.parseDecimal(old, "hash value is not a float");
            byte[] next = NumberText.formatDecimal(current.add(d));
            db.putMember(m, key, c, field, next);
            m.event(key, KeyEvent.Kind.UPDATED);
            return next.clone();
        });
    }

    /**
     * HRANDFIELD: with {@code count} ≥ 0, up to that many distinct fields; with a negative count,
     * exactly |count| fields, possibly repeated. Values are read only if {@code withValues}
     * (otherwise each {@link FieldValue#value()} is empty).
     */
    public List<FieldValue> randomFields(byte[] key, long count, boolean withValues, RandomGenerator random) {
        Collection c = db.collection(key, KeyType.HASH);
        List<FieldValue> out = new ArrayList<>();
        if (c == null || count == 0) {
            return out;
        }
        for (byte[] f : RandomMembers.pick(c, count, random)) {
            byte[] v = withValues ? db.memberValue(key, c, f) : EMPTY;
            if (v != null) {
                out.add(new FieldValue(f, v));
            }
        }
        return out;
    }

    /**
     * HSCAN: one step of a cursor scan over the fields; start at 0, continue with the returned
     * cursor until it is 0. A field present for the whole scan is returned at least once.
     * {@code match} (null: all) filters fields after they are collected, as in Redis.
     */
    public ScanStep<FieldValue> scan(byte[] key, long cursor, int count, GlobPattern match, boolean withValues) {
        Collection c = db.collection(key, KeyType.HASH);
        if (c == null) {
            return new ScanStep<>(0, List.of());
        }
        List<byte[]> found = new ArrayList<>();
        long next = c.members().scan(cursor, Math.max(1, count), found::add);
        List<FieldValue> out = new ArrayList<>(found.size());
        for (byte[] f : found) {
            if (match == null || match.matches(f)) {
                byte[] v = withValues ? db.memberValue(key, c, f) : EMPTY;
                if (v != null) {
                    out.add(new FieldValue(f, v));
                }
            }
        }
        return new ScanStep<>(next, out);
    }

    private static final byte[] EMPTY = new byte[0];
}
