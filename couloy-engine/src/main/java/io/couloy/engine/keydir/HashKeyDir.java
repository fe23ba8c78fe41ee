package io.couloy.engine.keydir;

import io.couloy.engine.format.LittleEndian;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;

/**
 * An open-addressing hash table (linear probing, backward-shift deletion) of 6-byte slots over
 * an {@link EntryArena}.
 *
 * <pre>
 * slot = 8-bit hash tag << 40 | 40-bit entry address;  0 = empty
 * </pre>
 *
 * Memory per key: one slot at a load factor between 0.4 and 0.8 (7.5 to 15 bytes) plus the
 * 14-byte entry (22 with an expiry) plus the key. The tag skips most key comparisons, so a probe
 * touches the arena only for the likely match.
 */
class HashKeyDir implements KeyDir, KeyDir.Mutator {
    private static final int SLOT = 6;
    private static final long ADDR_MASK = (1L << 40) - 1;
    private static final double MAX_LOAD = 0.8;
    /** Entries {@link #walkLocations} visits per hold of the read lock: some microseconds of writers waiting. */
    private static final int WALK_STEP = 1024;
    /** Walks in steps that a resize may restart, before one that holds the lock throughout. */
    private static final int WALK_ATTEMPTS = 3;
    /** The table is one byte array: 2^28 slots of 6 bytes stay under the 2 GiB array limit. */
    private static final long MAX_CAPACITY = 1L << 28;

    final EntryArena arena;
    final StampedLock lock = new StampedLock();
    private final int minCapacity;
    private byte[] table;
    private int capacity;
    /** Tables allocated so far: a walk in table order starts again when this changes. */
    private int tables;
    private long count;
    private int sweepCursor;

    /** A directory for the whole key space: starts at 1,024 slots and a 64 KiB arena chunk. */
    HashKeyDir() {
        this(1024, 1 << 16);
    }

    /** A directory starting at {@code minCapacity} slots (a power of two) and a {@code minChunk} arena chunk. */
    HashKeyDir(int minCapacity, int minChunk) {
        this.minCapacity = minCapacity;
        this.arena = new EntryArena(minChunk);
        allocateTable(minCapacity);
    }

    private void allocateTable(int cap) {
        table = new byte[cap * SLOT + 2]; // +2: an 8-byte read of the last slot stays inside
        capacity = cap;
        tables++;
    }

    private static long slot(byte[] t, int i) {
        return LittleEndian.getLong(t, i * SLOT) & 0xFFFF_FFFF_FFFFL;
    }

    private static void setSlot(byte[] t, int i, long s) {
        LittleEndian.putInt(t, i * SLOT, (int) s);
        LittleEndian.putShort(t, i * SLOT + 4, (int) (s >>> 32));
    }

    private static int tag(long hash) {
        return (int) (hash >>> 56);
    }

    /** Index of the slot holding {@code key}, or -1. Safe to run unlocked: may throw on torn state. */
    private int find(byte[] t, int cap, byte[] key, long h) {
        int mask = cap - 1;
        int i = (int) (h & mask);
        int tag = tag(h);
        for (int probes = 0; probes < cap; probes++) {
            long s = slot(t, i);
            if (s == 0) {
                return -1;
            }
            if ((int) (s >>> 40) == tag && arena.keyEquals(s & ADDR_MASK, key)) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    @Override
    public Location get(byte[] key) {
        long h = KeyHash.hash(key);
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            try {
                Location loc = lookup(key, h);
                if (lock.validate(stamp)) {
                    return loc;
                }
            } catch (RuntimeException tornRead) {
                // A writer changed the arrays under us; retry under the read lock below.
            }
        }
        stamp = lock.readLock();
        try {
            return lookup(key, h);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public long expiry(byte[] key) {
        long h = KeyHash.hash(key);
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            try {
                long e = expiryOf(key, h);
                if (lock.validate(stamp)) {
                    return e;
                }
            } catch (RuntimeException tornRead) {
                // As in get: retry under the read lock.
            }
        }
        stamp = lock.readLock();
        try {
            return expiryOf(key, h);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private long expiryOf(byte[] key, long h) {
        byte[] t = table;
        int i = find(t, capacity, key, h);
        return i < 0 ? -1 : arena.expiry(slot(t, i) & ADDR_MASK);
    }

    private Location lookup(byte[] key, long h) {
        byte[] t = table;
        int i = find(t, capacity, key, h);
        return i < 0 ? null : arena.location(slot(t, i) & ADDR_MASK);
    }

    @Override
    public void write(Consumer<Mutator> changes) {
        long stamp = lock.writeLock();
        try {
            changes.accept(this);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    @Override
    public Location putOne(byte[] key, int fileId, long offset, int size, long expiry) {
        long stamp = lock.writeLock();
        try {
            return put(key, fileId, offset, size, expiry);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    @Override
    public Location removeOne(byte[] key) {
        long stamp = lock.writeLock();
        try {
            return remove(key);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    // ---- Mutator: called only inside write(), under the write lock ----

    @Override
    public Location put(byte[] key, int fileId, long offset, int size, long expiry) {
        long h = KeyHash.hash(key);
        int i = find(table, capacity, key, h);
        if (i < 0) {
            insertNew(key, h, fileId, offset, size, expiry);
            return null;
        }
        long addr = slot(table, i) & ADDR_MASK;
        Location before = arena.location(addr);
        update(i, h, addr, key, fileId, offset, size, expiry);
        return before;
    }

    /** As {@link #put}, returning the entry's address instead of the previous location. */
    long putForAddress(byte[] key, int fileId, long offset, int size, long expiry) {
        long h = KeyHash.hash(key);
        int i = find(table, capacity, key, h);
        if (i < 0) {
            return insertNew(key, h, fileId, offset, size, expiry);
        }
        return update(i, h, slot(table, i) & ADDR_MASK, key, fileId, offset, size, expiry);
    }

    /** The address of {@code key}'s entry, or 0 if absent. Callers hold the write lock. */
    long address(byte[] key) {
        int i = find(table, capacity, key, KeyHash.hash(key));
        return i < 0 ? 0 : slot(table, i) & ADDR_MASK;
    }

    private long insertNew(byte[] key, long h, int fileId, long offset, int size, long expiry) {
        long addr = arena.allocate(key, fileId, offset, size, expiry);
        insertSlot(h, addr);
        count++;
        onInsert(key, addr);
        if (count > capacity * MAX_LOAD) {
            resize(capacityFor(count, minCapacity));
        }
        return addr;
    }

    /** Rewrites slot {@code i}'s entry; returns its address, new if the expiry field came or went. */
    private long update(int i, long h, long addr, byte[] key, int fileId, long offset, int size, long expiry) {
        if (arena.hasExpiry(addr) == (expiry != 0)) {
            arena.setPosition(addr, fileId, offset, size);
            if (expiry != 0) {
                arena.setExpiryInPlace(addr, expiry);
            }
            return addr;
        }
        return relocate(i, h, addr, key, fileId, offset, size, expiry);
    }

    private long relocate(int i, long h, long addr, byte[] key, int fileId, long offset, int size, long expiry) {
        long moved = arena.allocate(key, fileId, offset, size, expiry);
        setSlot(table, i, ((long) tag(h) << 40) | moved);
        onRelocate(key, moved);
        arena.free(addr);
        return moved;
    }

    private void insertSlot(long h, long addr) {
        int mask = capacity - 1;
        int i = (int) (h & mask);
        while (slot(table, i) != 0) {
            i = (i + 1) & mask;
        }
        setSlot(table, i, ((long) tag(h) << 40) | addr);
    }

    @Override
    public Location remove(byte[] key) {
        long h = KeyHash.hash(key);
        int i = find(table, capacity, key, h);
        if (i < 0) {
            return null;
        }
        long addr = slot(table, i) & ADDR_MASK;
        Location before = arena.location(addr);
        onRemove(key);
        deleteSlot(i);
        arena.free(addr);
        count--;
        return before;
    }

    private void deleteSlot(int i) {
        int mask = capacity - 1;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            long s = slot(table, j);
            if (s == 0) {
                break;
            }
            int home = (int) (arena.hashKey(s & ADDR_MASK) & mask);
            // Move s back into the hole unless its home lies cyclically in (i, j].
            boolean homeBetween = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!homeBetween) {
                setSlot(table, i, s);
                i = j;
            }
        }
        setSlot(table, i, 0);
    }

    @Override
    public Location setExpiry(byte[] key, long expiry) {
        long h = KeyHash.hash(key);
        int i = find(table, capacity, key, h);
        if (i < 0) {
            return null;
        }
        long addr = slot(table, i) & ADDR_MASK;
        Location before = arena.location(addr);
        if (arena.hasExpiry(addr) == (expiry != 0)) {
            if (expiry != 0) {
                arena.setExpiryInPlace(addr, expiry);
            }
        } else {
            relocate(i, h, addr, key, before.fileId(), before.offset(), before.size(), expiry);
        }
        return before;
    }

    @Override
    public boolean moveIfAt(byte[] key, int oldFileId, long oldOffset, int newFileId, long newOffset, int newSize) {
        int i = find(table, capacity, key, KeyHash.hash(key));
        if (i < 0) {
            return false;
        }
        long addr = slot(table, i) & ADDR_MASK;
        if (arena.fileId(addr) != oldFileId || arena.offset(addr) != oldOffset) {
            return false;
        }
        arena.setPosition(addr, newFileId, newOffset, newSize);
        return true;
    }

    /** The smallest power-of-two capacity that holds {@code keys} below the maximum load. */
    private static int capacityFor(long keys, int minCapacity) {
        long needed = Math.max(minCapacity, (long) Math.ceil(keys / MAX_LOAD) + 1);
        long cap = Long.highestOneBit(needed - 1) << 1;
        if (cap > MAX_CAPACITY) {
            throw new IllegalStateException("key directory cannot hold " + keys + " keys (at most "
                    + (long) (MAX_CAPACITY * MAX_LOAD) + ")");
        }
        return (int) cap;
    }

    @Override
    public void presize(long keys) {
        write(m -> {
            int want = capacityFor(Math.max(keys, count), minCapacity);
            if (want > capacity) {
                resize(want);
            }
        });
    }

    @Override
    public void trim() {
        write(m -> {
            int want = capacityFor(count, minCapacity);
            if (want < capacity / 2) {
                resize(want);
            }
        });
    }

    private void resize(int newCapacity) {
        byte[] old = table;
        int oldCapacity = capacity;
        allocateTable(newCapacity);
        for (int i = 0; i < oldCapacity; i++) {
            long s = slot(old, i);
            if (s != 0) {
                insertSlot(arena.hashKey(s & ADDR_MASK), s & ADDR_MASK);
            }
        }
    }

    @Override
    public long scan(long cursor, int count, Consumer<byte[]> visitor) {
        long stamp = lock.readLock();
        try {
            long mask = capacity - 1;
            long v = cursor;
            int visited = 0;
            do {
                int home = (int) (v & mask);
                // With linear probing every key whose home is this bucket lies in the run of
                // occupied slots starting there.
                for (int i = home; ; i = (int) ((i + 1) & mask)) {
                    long s = slot(table, i);
                    if (s == 0) {
                        break;
                    }
                    long addr = s & ADDR_MASK;
                    if ((arena.hashKey(addr) & mask) == home) {
                        visitor.accept(arena.key(addr));
                        visited++;
                    }
                }
                // Next cursor: increment the reversed bits (Redis's dictScan).
                v |= ~mask;
                v = Long.reverse(v);
                v++;
                v = Long.reverse(v);
            } while (v != 0 && visited < count);
            return v;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Walks the slots in table order, a step of {@link #WALK_STEP} entries per hold of the read
     * lock, each step ending on an empty slot. That makes it complete without {@link #scan}'s
     * re-hash of every key it passes (4-8x the cost at millions of keys): an entry sits between
     * its home slot and the next empty one, and backward-shift deletion moves it towards its home,
     * never before it; so whichever step's range holds its home met it there. The walk starts
     * after an empty slot and goes once round, on to an empty slot; a resize re-places every
     * entry, and starts it again.
     */
    @Override
    public void walkLocations(Consumer<Location> visitor) {
        walkLocations(visitor, WALK_STEP, () -> { });
    }

    /**
     * {@link #walkLocations}, a step of at least {@code step} entries per hold of the lock, and
     * {@code betweenSteps} run after each (tests write there).
     */
    void walkLocations(Consumer<Location> visitor, int step, Runnable betweenSteps) {
        // A resize re-places the entries midway: again, on the new table. Tables only double as
        // they fill, so that is rare; after a few, the last round holds the lock throughout.
        for (int attempt = 0; !walkOnce(visitor, attempt < WALK_ATTEMPTS ? step : Integer.MAX_VALUE, betweenSteps);
                attempt++) {
            // walked again
        }
    }

    private boolean walkOnce(Consumer<Location> visitor, int step, Runnable betweenSteps) {
        int generation = 0;
        int pos = -1;
        long walked = 0;
        while (true) {
            long stamp = lock.readLock();
            try {
                if (pos < 0) {
                    // In the first step's hold, so that a walk of one step (the last attempt)
                    // holds the lock from its start to its end.
                    generation = tables;
                    int start = 0;
                    while (slot(table, start) != 0) {
                        start++; // the load factor keeps empty slots
                    }
                    pos = start + 1;
                } else if (tables != generation) {
                    return false;
                }
                int mask = capacity - 1;
                int seen = 0;
                while (true) {
                    pos &= mask;
                    long s = slot(table, pos);
                    pos++;
                    walked++;
                    if (s != 0) {
                        visitor.accept(arena.location(s & ADDR_MASK));
                        seen++;
                    } else if (walked >= capacity) {
                        return true; // round, and on an empty slot
                    } else if (seen >= step) {
                        break;
                    }
                }
            } finally {
                lock.unlockRead(stamp);
            }
            betweenSteps.run();
        }
    }

    // ---- hooks for the ordered variant ----

    void onInsert(byte[] key, long addr) {}

    void onRemove(byte[] key) {}

    void onRelocate(byte[] key, long addr) {}

    // ---- queries ----

    @Override
    public long size() {
        long stamp = lock.readLock();
        try {
            return count;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public long memoryBytes() {
        long stamp = lock.readLock();
        try {
            return 16L + table.length + arena.allocatedBytes() + arena.overheadBytes() + extraMemory();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    long extraMemory() {
        return 0;
    }

    @Override
    public boolean ordered() {
        return false;
    }

    @Override
    public List<byte[]> keys(byte[] from, boolean inclusive, boolean reverse, int limit) {
        List<byte[]> all = new ArrayList<>();
        long stamp = lock.readLock();
        try {
            for (int i = 0; i < capacity; i++) {
                long s = slot(table, i);
                if (s == 0) {
                    continue;
                }
                long addr = s & ADDR_MASK;
                if (from != null) {
                    int c = arena.compareKey(addr, from);
                    boolean after = reverse ? c < 0 || (inclusive && c == 0) : c > 0 || (inclusive && c == 0);
                    if (!after) {
                        continue;
                    }
                }
                all.add(arena.key(addr));
            }
        } finally {
            lock.unlockRead(stamp);
        }
        all.sort(reverse ? (a, b) -> Arrays.compareUnsigned(b, a) : Arrays::compareUnsigned);
        return all.size() > limit ? new ArrayList<>(all.subList(0, limit)) : all;
    }

    @Override
    public byte[] randomKey(java.util.random.RandomGenerator random) {
        long stamp = lock.readLock();
        try {
            if (count == 0) {
                return null;
            }
            int i = random.nextInt(capacity);
            while (true) {
                long s = slot(table, i);
                if (s != 0) {
                    return arena.key(s & ADDR_MASK);
                }
                i = (i + 1) & (capacity - 1);
            }
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public void forEach(Visitor visitor) {
        long stamp = lock.readLock();
        try {
            for (int i = 0; i < capacity; i++) {
                long s = slot(table, i);
                if (s != 0) {
                    long addr = s & ADDR_MASK;
                    visitor.visit(arena.key(addr), arena.location(addr));
                }
            }
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public int sweepExpired(long now, int budget, Removed removed) {
        List<byte[]> expired = new ArrayList<>();
        long stamp = lock.readLock();
        try {
            int i = sweepCursor % capacity;
            for (int n = 0; n < budget && n < capacity; n++, i = (i + 1) % capacity) {
                long s = slot(table, i);
                if (s != 0 && arena.location(s & ADDR_MASK).expiredAt(now)) {
                    expired.add(arena.key(s & ADDR_MASK));
                }
            }
            sweepCursor = i;
        } finally {
            lock.unlockRead(stamp);
        }
        int[] removedCount = new int[1];
        write(m -> {
            for (byte[] key : expired) {
                Location loc = lookup(key, KeyHash.hash(key));
                if (loc != null && loc.expiredAt(now)) {
                    m.remove(key);
                    removed.removed(key, loc);
                    removedCount[0]++;
                }
            }
        });
        return removedCount[0];
    }
}
