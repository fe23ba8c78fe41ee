package io.couloy.engine.types;

import io.couloy.engine.format.MalformedRecordException;
import io.couloy.engine.keydir.KeyDir;
import io.couloy.engine.keydir.Location;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The in-memory index of one list: its elements' positions in list order, as a circular array.
 * Each element is a member record whose member is an 8-byte sequence number ({@link #seqKey});
 * sequence numbers increase along the list, with gaps, so pushing at either end and inserting
 * between two elements never renumbers the others until a gap is used up.
 *
 * <pre>
 * per element: seq (i64) | file id (i32) &lt;&lt; 32 | offset (u32) | record size (i32) = 20 bytes
 * </pre>
 *
 * LPUSH / RPUSH / LPOP / RPOP and LINDEX are O(1); a member looked up by sequence number (recovery,
 * merge) is O(log n); inserting or removing in the middle shifts the shorter side, O(n).
 *
 * <p>It is a {@link KeyDir} keyed by {@link #seqKey}, so recovery, merge and typed writes treat
 * it like any member index. Readers take a read lock; writers are serialised by the engine.
 */
public final class ListIndex implements KeyDir, KeyDir.Mutator {
    /** Gap left between elements pushed at the ends. */
    public static final long STEP = 1L << 20;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private long[] seqs = new long[4];
    private long[] positions = new long[4];
    private int[] sizes = new int[4];
    private int head; // array index of element 0
    private int count;

    /** The member bytes of sequence number {@code seq}: big-endian with the sign flipped, so bytes sort as numbers. */
    public static byte[] seqKey(long seq) {
        byte[] out = new byte[8];
        writeSeqKey(seq, out, 0);
        return out;
    }

    /** Writes {@link #seqKey}'s 8 bytes for {@code seq} at {@code out[at..at+8)}. */
    public static void writeSeqKey(long seq, byte[] out, int at) {
        long v = seq ^ Long.MIN_VALUE;
        for (int i = 7; i >= 0; i--) {
            out[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    /** The sequence number of member bytes {@code key}; {@link MalformedRecordException} if not 8 bytes. */
    public static long seqOf(byte[] key) {
        if (key.length != 8) {
            throw new MalformedRecordException("list element without an 8-byte sequence number");
        }
        long v = 0;
        for (byte b : key) {
            v = (v << 8) | (b & 0xFF);
        }
        return v ^ Long.MIN_VALUE;
    }

    private int slot(int index) {
        return (head + index) & (seqs.length - 1);
    }

    /** Index of {@code seq}, or -(insertion point) - 1. */
    private int search(long seq) {
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long s = seqs[slot(mid)];
            if (s < seq) {
                lo = mid + 1;
            } else if (s > seq) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    private Location locationAt(int index) {
        int s = slot(index);
        long p = positions[s];
        return new Location((int) (p >>> 32), p & 0xFFFF_FFFFL, sizes[s], 0);
    }

    // ---- list operations (readers) ----

    /** Elements held. */
    @Override
    public long size() {
        lock.readLock().lock();
        try {
            return count;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The sequence numbers of the first and last elements, read together ({@code {0, 0}} when
     * empty): what a push needs, under one lock hold.
     */
    public long[] endSeqs() {
        lock.readLock().lock();
        try {
            return count == 0 ? new long[2] : new long[] {seqs[head], seqs[slot(count - 1)]};
        } finally {
            lock.readLock().unlock();
        }
    }

    /** An element's sequence number and position. */
    public record Element(long seq, Location location) {}

    /** The element at {@code index} (0-based from the head), or null if out of range. */
    public Element at(long index) {
        lock.readLock().lock();
        try {
            if (index < 0 || index >= count) {
                return null;
            }
            return new Element(seqs[slot((int) index)], locationAt((int) index));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Elements {@code from} to {@code to} inclusive (already clamped to the list), in order. */
    public List<Element> range(long from, long to) {
        lock.readLock().lock();
        try {
            List<Element> out = new java.util.ArrayList<>((int) Math.max(0, Math.min(to, count - 1L) - from + 1));
            for (long i = Math.max(0, from); i <= to && i < count; i++) {
                out.add(new Element(seqs[slot((int) i)], locationAt((int) i)));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Elements {@code from} to {@code to} (already clamped) as parallel arrays, copied under one
     * read-lock hold: a range read without an object per element.
     */
    public Span span(long from, long to) {
        lock.readLock().lock();
        try {
            int first = (int) Math.max(0, from);
            int n = (int) Math.max(0, Math.min(to, count - 1L) - first + 1);
            Span out = new Span(new long[n], new long[n], new int[n]);
            // The ring holds the span in at most two stretches: copied as such, not slot by slot.
            int start = n == 0 ? 0 : slot(first);
            int a = Math.min(n, seqs.length - start);
            System.arraycopy(seqs, start, out.seqs, 0, a);
            System.arraycopy(positions, start, out.positions, 0, a);
            System.arraycopy(sizes, start, out.sizes, 0, a);
            System.arraycopy(seqs, 0, out.seqs, a, n - a);
            System.arraycopy(positions, 0, out.positions, a, n - a);
            System.arraycopy(sizes, 0, out.sizes, a, n - a);
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Elements in list order: sequence numbers, file id << 32 | offset, record sizes. */
    public record Span(long[] seqs, long[] positions, int[] sizes) {
        public int length() {
            return seqs.length;
        }

        public Location location(int j) {
            return new Location((int) (positions[j] >>> 32), positions[j] & 0xFFFF_FFFFL, sizes[j], 0);
        }
    }

    // ---- KeyDir ----

    @Override
    public Location get(byte[] key) {
        long seq = seqOf(key);
        lock.readLock().lock();
        try {
            int i = search(seq);
            return i < 0 ? null : locationAt(i);
        } finally {
            lock.readLock().unlock();
        }
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

    @Override
    public Location put(byte[] key, int fileId, long offset, int size, long expiry) {
        long seq = seqOf(key);
        long pos = ((long) fileId << 32) | offset;
        // Pushes land at an end: no search for them (a binary search of a long list misses the cache).
        int i = count == 0 || seq > seqs[slot(count - 1)] ? -(count + 1) : seq < seqs[head] ? -1 : search(seq);
        if (i >= 0) {
            Location before = locationAt(i);
            positions[slot(i)] = pos;
            sizes[slot(i)] = size;
            return before;
        }
        insert(-(i + 1), seq, pos, size);
        return null;
    }

    private void insert(int index, long seq, long pos, int size) {
        if (count == seqs.length) {
            grow();
        }
        if (index < count / 2) {
            // shift the front part one slot towards the head
            head = (head - 1) & (seqs.length - 1);
            for (int j = 0; j < index; j++) {
                copy(slot(j + 1), slot(j));
            }
        } else {
            for (int j = count; j > index; j--) {
                copy(slot(j - 1), slot(j));
            }
        }
        int s = slot(index);
        seqs[s] = seq;
        positions[s] = pos;
        sizes[s] = size;
        count++;
    }

    private void copy(int from, int to) {
        seqs[to] = seqs[from];
        positions[to] = positions[from];
        sizes[to] = sizes[from];
    }

    private void grow() {
        resize(seqs.length * 2);
    }

    /** Copies the elements into arrays of {@code n} slots, element 0 first. */
    private void resize(int n) {
        long[] s2 = new long[n];
        long[] p2 = new long[n];
        int[] z2 = new int[n];
        for (int j = 0; j < count; j++) {
            int s = slot(j);
            s2[j] = seqs[s];
            p2[j] = positions[s];
            z2[j] = sizes[s];
        }
        seqs = s2;
        positions = p2;
        sizes = z2;
        head = 0;
    }

    @Override
    public Location remove(byte[] key) {
        long seq = seqOf(key);
        // Pops take an end: no search for them.
        int i = count > 0 && seq == seqs[head] ? 0 : count > 0 && seq == seqs[slot(count - 1)] ? count - 1 : search(seq);
        if (i < 0) {
            return null;
        }
        Location before = locationAt(i);
        if (i < count / 2) {
            for (int j = i; j > 0; j--) {
                copy(slot(j - 1), slot(j));
            }
            head = (head + 1) & (seqs.length - 1);
        } else {
            for (int j = i; j < count - 1; j++) {
                copy(slot(j + 1), slot(j));
            }
        }
        count--;
        if (count > 16 && count < seqs.length / 4) {
            resize(seqs.length / 2);
        }
        return before;
    }

    @Override
    public Location setExpiry(byte[] key, long expiry) {
        throw new UnsupportedOperationException("list elements do not expire");
    }

    @Override
    public boolean moveIfAt(byte[] key, int oldFileId, long oldOffset, int newFileId, long newOffset, int newSize) {
        int i = search(seqOf(key));
        if (i < 0 || positions[slot(i)] != (((long) oldFileId << 32) | oldOffset)) {
            return false;
        }
        positions[slot(i)] = ((long) newFileId << 32) | newOffset;
        sizes[slot(i)] = newSize;
        return true;
    }

    @Override
    public void presize(long keys) {
        // grows on demand
    }

    @Override
    public void trim() {
        // shrinks on removal
    }

    /** Lists are not scanned with a cursor (Redis has no LSCAN); visits everything in one step. */
    @Override
    public long scan(long cursor, int count, Consumer<byte[]> visitor) {
        forEach((k, loc) -> visitor.accept(k));
        return 0;
    }

    @Override
    public byte[] randomKey(RandomGenerator random) {
        lock.readLock().lock();
        try {
            return count == 0 ? null : seqKey(seqs[slot(random.nextInt(count))]);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long memoryBytes() {
        lock.readLock().lock();
        try {
            return 64L + 20L * seqs.length + 48;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public boolean ordered() {
        return true;
    }

    @Override
    public List<byte[]> keys(byte[] from, boolean inclusive, boolean reverse, int limit) {
        throw new UnsupportedOperationException("list elements are read by index");
    }

    @Override
    public int sweepExpired(long now, int budget, Removed removed) {
        return 0;
    }

    /** Visits elements in list order. */
    @Override
    public void forEach(Visitor visitor) {
        lock.readLock().lock();
        try {
            for (int j = 0; j < count; j++) {
                visitor.visit(seqKey(seqs[slot(j)]), locationAt(j));
            }
        } finally {
            lock.readLock().unlock();
        }
    }
}
