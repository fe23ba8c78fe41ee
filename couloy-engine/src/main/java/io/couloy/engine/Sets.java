package io.couloy.engine;

import io.couloy.engine.types.Collection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Redis's set operations (SADD, SISMEMBER, SINTER, ...) on a {@link CouloyDB}. Get one with
 * {@link CouloyDB#sets()}; it holds no state of its own.
 *
 * <p>Storage: each member is one record with no value; memory holds each member and its
 * record's location (about 30 bytes plus the member). SISMEMBER, SCARD and SMEMBERS touch no
 * file. A set whose last member is removed is deleted; deleting a set of any size writes one
 * record.
 *
 * <p>Writes are atomic and durable as the database's sync policy says. Operations on a key
 * holding another type throw {@link WrongTypeException}; a missing key is an empty set.
 */
public final class Sets {
    private static final byte[] NO_VALUE = new byte[0];

    private final CouloyDB db;

    Sets(CouloyDB db) {
        this.db = db;
    }

    /** SADD: returns how many members were not already in the set. */
    public int add(byte[] key, List<byte[]> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("no members given");
        }
        return db.mutate(m -> {
            Collection c = db.collectionForWrite(m, key, KeyType.SET, true);
            Set<ByteKey> added = new HashSet<>();
            for (byte[] member : members) {
                if (c.members().get(member) == null && added.add(new ByteKey(member))) {
                    db.putMember(m, key, c, member, NO_VALUE);
                }
            }
            if (!added.isEmpty()) {
                m.event(key, KeyEvent.Kind.UPDATED);
            }
            return added.size();
        });
    }

    /** SREM: returns how many of the members were in the set. Removing the last deletes the key. */
    public int remove(byte[] key, List<byte[]> members) {
        return db.mutate(m -> {
            Collection c = db.collectionForWrite(m, key, KeyType.SET, false);
            return c == null ? 0 : removePresent(m, key, c, members);
        });
    }

    private int removePresent(Mutation m, byte[] key, Collection c, List<byte[]> members) {
        Set<ByteKey> present = new LinkedHashSet<>();
        for (byte[] member : members) {
            if (c.members().get(member) != null) {
                present.add(new ByteKey(member));
            }
        }
        if (present.isEmpty()) {
            return 0;
        }
        if (present.size() == c.size()) {
            db.deleteKey(m, key);
        } else {
            for (ByteKey b : present) {
                db.removeMember(m, key, c, b.b());
            }
            m.event(key, KeyEvent.Kind.UPDATED);
        }
        return present.size();
    }

    /** SISMEMBER. */
    public boolean contains(byte[] key, byte[] member) {
        Collection c = db.collection(key, KeyType.SET);
        return c != null && c.members().get(Objects.requireNonNull(member, "member")) != null;
    }

    /** SMISMEMBER: for each member, whether it is in the set. */
    public List<Boolean> contains(byte[] key, List<byte[]> members) {
        Collection c = db.collection(key, KeyType.SET);
        List<Boolean> out = new ArrayList<>(members.size());
        for (byte[] member : members) {
            out.add(c != null && c.members().get(Objects.requireNonNull(member, "member")) != null);
        }
        return out;
    }

    /** SCARD. O(1). */
    public long size(byte[] key) {
        Collection c = db.collection(key, KeyType.SET);
        return c == null ? 0 : c.size();
    }

    /** SMEMBERS: every member, in no particular order. */
    public List<byte[]> members(byte[] key) {
        Collection c = db.collection(key, KeyType.SET);
        List<byte[]> out = new ArrayList<>();
        if (c != null) {
            c.members().forEach((member, loc) -> out.add(member));
        }
        return out;
    }

    /**
     * SRANDMEMBER: with {@code count} ≥ 0, up to that many distinct members; negative, exactly
     * |count| members, possibly repeated.
     */
    public List<byte[]> randomMembers(byte[] key, long count, RandomGenerator random) {
        Collection c = db.collection(key, KeyType.SET);
        return c == null ? new ArrayList<>() : RandomMembers.pick(c, count, random);
    }

    /** SPOP: removes and returns up to {@code count} (≥ 0) distinct random members. */
    public List<byte[]> pop(byte[] key, long count, RandomGenerator random) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        return db.mutate(m -> {
            Collection c = db.collectionForWrite(m, key, KeyType.SET, false);
            if (c == null || count == 0) {
                return new ArrayList<byte[]>();
            }
            List<byte[]> chosen = RandomMembers.pick(c, count, random);
            removePresent(m, key, c, chosen);
            return chosen;
        });
    }

    /**
     * SMOVE: moves {@code member} from {@code source} to {@code destination} atomically; returns
     * false if it was not in the source. Both keys must hold sets (or not exist).
     */
    public boolean move(byte[] source, byte[] destination, byte[] member) {
        return db.mutate(m -> {
            Collection src = db.collectionForWrite(m, source, KeyType.SET, false);
            // Redis checks the destination's type even when the member is absent.
            Collection dst = db.collection(destination, KeyType.SET);
            if (src == null || src.members().get(member) == null) {
                return false;
            }
            if (java.util.Arrays.equals(source, destination)) {
                return true;
            }
            removePresent(m, source, src, List.of(member));
            if (dst == null) {
                dst = db.collectionForWrite(m, destination, KeyType.SET, true);
            }
            if (dst.members().get(member) == null) {
                db.putMember(m, destination, dst, member, NO_VALUE);
                m.event(destination, KeyEvent.Kind.UPDATED);
            }
            return true;
        });
    }

    /** SINTER: members in every set; a missing key makes the result empty. */
    public List<byte[]> intersection(List<byte[]> keys) {
        return toList(inter(keys, 0));
    }

    /** SINTERCARD: how many members are in every set, counting up to {@code limit} (0: no limit). */
    public long intersectionSize(List<byte[]> keys, long limit) {
        return inter(keys, limit).size();
    }

    /** SUNION: members in any set. */
    public List<byte[]> union(List<byte[]> keys) {
        return toList(unionOf(keys));
    }

    /** SDIFF: members of the first set in none of the others. */
    public List<byte[]> difference(List<byte[]> keys) {
        return toList(diff(keys));
    }

    /** SINTERSTORE: stores the intersection in {@code destination} (replacing what it held); returns its size. */
    public long intersectionStore(byte[] destination, List<byte[]> keys) {
        return store(destination, () -> inter(keys, 0));
    }

    /** SUNIONSTORE: as {@link #intersectionStore} for the union. */
    public long unionStore(byte[] destination, List<byte[]> keys) {
        return store(destination, () -> unionOf(keys));
    }

    /** SDIFFSTORE: as {@link #intersectionStore} for the difference. */
    public long differenceStore(byte[] destination, List<byte[]> keys) {
        return store(destination, () -> diff(keys));
    }

    /**
     * SSCAN: one step of a cursor scan over the members; start at 0 and continue with the
     * returned cursor until it is 0. A member present for the whole scan is returned at least once.
     */
    public ScanStep<byte[]> scan(byte[] key, long cursor, int count, GlobPattern match) {
        Collection c = db.collection(key, KeyType.SET);
        if (c == null) {
            return new ScanStep<>(0, List.of());
        }
        List<byte[]> found = new ArrayList<>();
        long next = c.members().scan(cursor, Math.max(1, count), found::add);
        if (match != null && !match.matchesAll()) {
            found.removeIf(member -> !match.matches(member));
        }
        return new ScanStep<>(next, found);
    }

    // Set algebra reads every source under the write lock, so the sources are one consistent state.

    private Set<ByteKey> inter(List<byte[]> keys, long limit) {
        return db.consistently(() -> {
            List<Collection> sets = new ArrayList<>();
            boolean empty = false;
            for (byte[] k : keys) {
                Collection c = db.collection(k, KeyType.SET);
                if (c == null) {
                    empty = true; // Redis still checks every key's type
                } else {
                    sets.add(c);
                }
            }
            Set<ByteKey> out = new LinkedHashSet<>();
            if (empty || sets.isEmpty()) {
                return out;
            }
            sets.sort(java.util.Comparator.comparingLong(Collection::size));
            Collection smallest = sets.get(0);
            smallest.members().forEach((member, loc) -> {
                if (limit > 0 && out.size() >= limit) {
                    return;
                }
                for (int i = 1; i < sets.size(); i++) {
                    if (sets.get(i).members().get(member) == null) {
                        return;
                    }
                }
                out.add(new ByteKey(member));
            });
            return out;
        });
    }

    private Set<ByteKey> unionOf(List<byte[]> keys) {
        return db.consistently(() -> {
            Set<ByteKey> out = new LinkedHashSet<>();
            for (byte[] k : keys) {
                Collection c = db.collection(k, KeyType.SET);
                if (c != null) {
                    c.members().forEach((member, loc) -> out.add(new ByteKey(member)));
                }
            }
            return out;
        });
    }

    private Set<ByteKey> diff(List<byte[]> keys) {
        return db.consistently(() -> {
            if (keys.isEmpty()) {
                return new LinkedHashSet<ByteKey>();
            }
            List<Collection> others = new ArrayList<>();
            Collection first = db.collection(keys.get(0), KeyType.SET);
            for (byte[] k : keys.subList(1, keys.size())) {
                Collection c = db.collection(k, KeyType.SET);
                if (c != null) {
                    others.add(c);
                }
            }
            Set<ByteKey> out = new LinkedHashSet<>();
            if (first == null) {
                return out;
            }
            first.members().forEach((member, loc) -> {
                for (Collection o : others) {
                    if (o.members().get(member) != null) {
                        return;
                    }
                }
                out.add(new ByteKey(member));
            });
            return out;
        });
    }

    private long store(byte[] destination, java.util.function.Supplier<Set<ByteKey>> result) {
        return db.mutate(m -> {
            Set<ByteKey> members = result.get(); // the write lock is re-entrant
            if (members.isEmpty()) {
                if (db.type(destination) != null) {
                    db.deleteKey(m, destination);
                }
            } else {
                // The new header replaces whatever the destination held, expiry included.
                Collection c = db.createCollection(m, destination, KeyType.SET);
                for (ByteKey b : members) {
                    db.putMember(m, destination, c, b.b(), NO_VALUE);
                }
                m.event(destination, KeyEvent.Kind.UPDATED);
            }
            return (long) members.size();
        });
    }

    private static List<byte[]> toList(Set<ByteKey> set) {
        List<byte[]> out = new ArrayList<>(set.size());
        for (ByteKey b : set) {
            out.add(b.b());
        }
        return out;
    }
}
