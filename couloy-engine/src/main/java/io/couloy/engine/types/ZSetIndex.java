package io.couloy.engine.types;

import io.couloy.engine.keydir.AddressableKeyDir;
import io.couloy.engine.keydir.KeyDir;
import io.couloy.engine.keydir.Location;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The in-memory index of one sorted set: a member index (member to record location, the score
 * kept in the location's expiry slot as raw double bits, since members never expire) for ZSCORE
 * in O(1), and a {@link ScoreTree} for rank and range queries in O(log n).
 *
 * <p>It is a {@link KeyDir} over members whose "expiry" is the score's bits, so recovery, merge
 * and typed writes treat it like any member index; scores reach it from hint files, never from
 * values. The tree names members by their entry's address in the member index, so each member's
 * bytes are in memory once. Reads take a read lock; writers are serialised by the engine, and
 * every change to the member index happens under the write lock, which is what makes reading
 * members by address from the tree safe.
 */
public final class ZSetIndex implements KeyDir, KeyDir.Mutator {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final AddressableKeyDir members = new AddressableKeyDir();
    private final ScoreTree order = new ScoreTree(new ScoreTree.Members() {
        @Override
        public byte[] array(long handle) {
            return members.keyArray(handle);
        }

        @Override
        public int start(long handle) {
            return members.keyStart(handle);
        }

        @Override
        public int length(long handle) {
            return members.keyLength(handle);
        }
    });

    /** The score bits a location of this index carries. */
    public static double score(Location loc) {
        return Double.longBitsToDouble(loc.expiry());
    }

    /** An entry of the order. */
    public record Entry(byte[] member, double score) {}

    // ---- sorted-set queries ----

    /** The member's score, or null if absent. */
    public Double score(byte[] member) {
        Location loc = members.get(member);
        return loc == null ? null : score(loc);
    }

    /** The member's rank (0-based, ascending), or -1 if absent. */
    public long rank(byte[] member) {
        lock.readLock().lock();
        try {
            Location loc = members.get(member);
            return loc == null ? -1 : order.rank(score(loc), member);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** How many entries lie before the bound {@code before} describes (a prefix of the order). */
    public long countBefore(ScoreBound before) {
        lock.readLock().lock();
        try {
            return order.countBefore(before::before);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * A predicate true for a prefix of the order (entries below some bound). The member is
     * {@code member[start, start + length)}, seen in place: copy it to keep it.
     */
    @FunctionalInterface
    public interface ScoreBound {
        boolean before(double score, byte[] member, int start, int length);
    }

    /** Sees the entries of a walk in place: the member is {@code member[start, start + length)}; copy it to keep it. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(double score, byte[] member, int start, int length);
    }

    /**
     * Up to {@code limit} entries from rank {@code from} on, ascending or (if {@code reverse})
     * descending, while {@code keep} holds.
     */
    public List<Entry> walk(long from, boolean reverse, long limit, ScoreBound keep) {
        List<Entry> out = new ArrayList<>();
        walk(from, reverse, limit, keep, (s, m, start, length) -> out.add(new Entry(Arrays.copyOfRange(m, start, start + length), s)));
        return out;
    }

    /**
     * As {@link #walk(long, boolean, long, ScoreBound)}, handing each entry to {@code visitor} in
     * place rather than copying it into a list; the visitor runs under the read lock, so it
     * should copy and return.
     */
    public void walk(long from, boolean reverse, long limit, ScoreBound keep, EntryVisitor visitor) {
        long[] seen = {0};
        lock.readLock().lock();
        try {
            order.walk(from, reverse, (s, h) -> {
                if (seen[0] >= limit) {
                    return false;
                }
                byte[] array = members.keyArray(h);
                int start = members.keyStart(h);
                int length = members.keyLength(h);
                if (keep != null && !keep.before(s, array, start, length)) {
                    return false;
                }
                visitor.visit(s, array, start, length);
                seen[0]++;
                return true;
            });
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---- KeyDir ----

    @Override
    public Location get(byte[] key) {
        return members.get(key);
    }

    @Override
    public void write(Consumer<Mutator> changes) {
        lock.writeLock().lock();
        try {
            changes.accept(this);
        } finally {
            lock.writeLock().unlock();
        }
    }

    // The tree reads members through their entries, so an entry leaves the tree before the
    // member index may free or move it.

    @Override
    public Location put(byte[] key, int fileId, long offset, int size, long scoreBits) {
        Location[] before = new Location[1];
        members.write(m -> {
            long old = members.address(key);
            if (old != 0) {
                before[0] = members.location(old);
                order.remove(score(before[0]), key);
            }
            long addr = members.putForAddress(key, fileId, offset, size, scoreBits);
            order.insert(Double.longBitsToDouble(scoreBits), key, addr);
        });
        return before[0];
    }

    @Override
    public Location remove(byte[] key) {
        Location[] before = new Location[1];
        members.write(m -> {
            long old = members.address(key);
            if (old != 0) {
                before[0] = members.location(old);
                order.remove(score(before[0]), key);
                m.remove(key);
            }
        });
        return before[0];
    }

    @Override
    public Location setExpiry(byte[] key, long expiry) {
        throw new UnsupportedOperationException("sorted-set members do not expire");
    }

    @Override
    public boolean moveIfAt(byte[] key, int oldFileId, long oldOffset, int newFileId, long newOffset, int newSize) {
        boolean[] moved = new boolean[1];
        members.write(m -> moved[0] = m.moveIfAt(key, oldFileId, oldOffset, newFileId, newOffset, newSize));
        return moved[0];
    }

    @Override
    public void presize(long keys) {
        members.presize(keys);
    }

    @Override
    public void trim() {
        members.trim();
    }

    @Override
    public long scan(long cursor, int count, Consumer<byte[]> visitor) {
        return members.scan(cursor, count, visitor);
    }

    @Override
    public void walkLocations(Consumer<Location> visitor) {
        members.walkLocations(visitor);
    }

    @Override
    public byte[] randomKey(RandomGenerator random) {
        return members.randomKey(random);
    }

    @Override
    public long size() {
        return members.size();
    }

    @Override
    public long memoryBytes() {
        lock.readLock().lock();
        try {
            return members.memoryBytes() + order.memoryBytes() + 64;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public boolean ordered() {
        return false;
    }

    @Override
    public List<byte[]> keys(byte[] from, boolean inclusive, boolean reverse, int limit) {
        return members.keys(from, inclusive, reverse, limit);
    }

    @Override
    public int sweepExpired(long now, int budget, Removed removed) {
        return 0;
    }

    @Override
    public void forEach(Visitor visitor) {
        members.forEach(visitor);
    }
}
