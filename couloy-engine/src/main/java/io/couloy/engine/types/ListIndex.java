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
 *
 * slots:  [ page 0 | page 1 | ... | page n-1 ]   capacity = n &lt;&lt; pageBits, n a power of two
 *                ^head (element 0)       element i is at slot (head + i) mod capacity
 * </pre>
 *
 * A short list is one page that doubles as it grows (4, 8, ... slots). Past {@value #PAGE_BITS}
 * bits (16384 elements; a page's {@code long[]} is 128 KiB) the array grows by pages: a full
 * array doubles its table of pages, not its elements, and a page that no element occupies is
 * dropped. Doubling one flat array copied every element while the list's writer waited — 40 MB
 * and several milliseconds at two million elements — and each copy was a humongous allocation
 * that set off a concurrent collection cycle.
 *
 * <p>LPUSH / RPUSH / LPOP / RPOP and LINDEX are O(1); a member looked up by sequence number (recovery,
 * merge) is O(log n); inserting or removing in the middle shifts the shorter side, O(n).
 *
 * <p>It is a {@link KeyDir} keyed by {@link #seqKey}, so recovery, merge and typed writes treat
 * it like any member index. Readers take a read lock; writers are serialised by the engine.
 */
public final class ListIndex implements KeyDir, KeyDir.Mutator {
    /** Gap left between elements pushed at the ends. */
    public static final long STEP = 1L << 20;

    /** Log2 of a full page's slots. */
    static final int PAGE_BITS = 14;
    private static final int FIRST_BITS = 2;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Largest log2 page size, {@link #PAGE_BITS} but in tests. */
    private final int maxPageBits;
    /** Log2 of each page's slots: below {@link #maxPageBits} only while there is one page. */
    private int pageBits = FIRST_BITS;
    private int pageMask = (1 << FIRST_BITS) - 1;
    /** Pages of the three columns; a page is null where no element lies. */
    private long[][] seqs = {new long[1 << FIRST_BITS]};
    private long[][] positions = {new long[1 << FIRST_BITS]};
    private int[][] sizes = {new int[1 << FIRST_BITS]};
    private int head; // slot of element 0
    private int count;

    public ListIndex() {
        this(PAGE_BITS);
    }

    /** With pages of {@code 1 << maxPageBits} slots (tests use small ones to cross pages often). */
    ListIndex(int maxPageBits) {
        if (maxPageBits < FIRST_BITS || maxPageBits > 24) {
            throw new IllegalArgumentException("page bits must be " + FIRST_BITS + "-24, was " + maxPageBits);
        }
        this.maxPageBits = maxPageBits;
    }

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

    private int capacity() {
        return seqs.length << pageBits;
    }

    private int slot(int index) {
        return (head + index) & (capacity() - 1);
    }

    private long seqAt(int slot) {
        return seqs[slot >>> pageBits][slot & pageMask];
    }

    private long positionAt(int slot) {
        return positions[slot >>> pageBits][slot & pageMask];
    }

    private int sizeAt(int slot) {
        return sizes[slot >>> pageBits][slot & pageMask];
    }

    /** Writes one slot, making its page if no element lay there. */
    private void set(int slot, long seq, long pos, int size) {
        int page = slot >>> pageBits;
        if (seqs[page] == null) {
            seqs[page] = new long[pageMask + 1];
            positions[page] = new long[pageMask + 1];
            sizes[page] = new int[pageMask + 1];
        }
        int at = slot & pageMask;
        seqs[page][at] = seq;
        positions[page][at] = pos;
        sizes[page][at] = size;
    }

    private void setLocation(int slot, long pos, int size) {
        positions[slot >>> pageBits][slot & pageMask] = pos;
        sizes[slot >>> pageBits][slot & pageMask] = size;
    }

    /** Index of {@code seq}, or -(insertion point) - 1. */
    private int search(long seq) {
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long s = seqAt(slot(mid));
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
        long p = positionAt(s);
        return new Location((int) (p >>> 32), p & 0xFFFF_FFFFL, sizeAt(s), 0);
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
            return count == 0 ? new long[2] : new long[] {seqAt(head), seqAt(slot(count - 1))};
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
            return new Element(seqAt(slot((int) index)), locationAt((int) index));
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
                out.add(new Element(seqAt(slot((int) i)), locationAt((int) i)));
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
            copyOut(first, n, out.seqs, out.positions, out.sizes);
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
        int i = count == 0 || seq > seqAt(slot(count - 1)) ? -(count + 1) : seq < seqAt(head) ? -1 : search(seq);
        if (i >= 0) {
            Location before = locationAt(i);
            setLocation(slot(i), pos, size);
            return before;
        }
        insert(-(i + 1), seq, pos, size);
        return null;
    }

    private void insert(int index, long seq, long pos, int size) {
        if (count == capacity()) {
            grow();
        }
        if (index < count / 2) {
            // shift the front part one slot towards the head
            head = (head - 1) & (capacity() - 1);
            for (int j = 0; j < index; j++) {
                copy(slot(j + 1), slot(j));
            }
        } else {
            for (int j = count; j > index; j--) {
                copy(slot(j - 1), slot(j));
            }
        }
        set(slot(index), seq, pos, size);
        count++;
    }

    private void copy(int from, int to) {
        set(to, seqAt(from), positionAt(from), sizeAt(from));
    }

    /** Doubles the capacity of a full ring: a short list's one page, else the table of pages. */
    private void grow() {
        if (seqs.length == 1 && pageBits < maxPageBits) {
            flatten(pageBits + 1);
            return;
        }
        int n = seqs.length;
        int headPage = head >>> pageBits;
        int inPage = head & pageMask;
        long[][] s2 = new long[2 * n][];
        long[][] p2 = new long[2 * n][];
        int[][] z2 = new int[2 * n][];
        for (int i = 0; i < n; i++) { // pages in list order, the head's first
            s2[i] = seqs[(headPage + i) & (n - 1)];
            p2[i] = positions[(headPage + i) & (n - 1)];
            z2[i] = sizes[(headPage + i) & (n - 1)];
        }
        if (inPage > 0) {
            // The head's page also holds the last elements, before the head: they move to a page
            // of their own after the others, where the doubled ring continues.
            s2[n] = java.util.Arrays.copyOf(s2[0], pageMask + 1);
            p2[n] = java.util.Arrays.copyOf(p2[0], pageMask + 1);
            z2[n] = java.util.Arrays.copyOf(z2[0], pageMask + 1);
        }
        seqs = s2;
        positions = p2;
        sizes = z2;
        head = inPage;
    }

    /** Copies the elements into one page of {@code 1 << bits} slots, element 0 first. */
    private void flatten(int bits) {
        int n = 1 << bits;
        long[] s2 = new long[n];
        long[] p2 = new long[n];
        int[] z2 = new int[n];
        copyOut(0, count, s2, p2, z2);
        seqs = new long[][] {s2};
        positions = new long[][] {p2};
        sizes = new int[][] {z2};
        pageBits = bits;
        pageMask = n - 1;
        head = 0;
    }

    /** Copies elements {@code first} to {@code first + n - 1} into the three arrays from 0, a stretch at a time (to a page's end). */
    private void copyOut(int first, int n, long[] s2, long[] p2, int[] z2) {
        for (int j = 0; j < n; ) {
            int s = slot(first + j);
            int page = s >>> pageBits;
            int at = s & pageMask;
            int stretch = Math.min(n - j, pageMask + 1 - at);
            System.arraycopy(seqs[page], at, s2, j, stretch);
            System.arraycopy(positions[page], at, p2, j, stretch);
            System.arraycopy(sizes[page], at, z2, j, stretch);
            j += stretch;
        }
    }

    /** Drops the page of {@code slot} if no element lies in it any more (never a short list's one page). */
    private void releaseIfEmpty(int slot) {
        if (seqs.length == 1) {
            return;
        }
        int page = slot >>> pageBits;
        int first = page << pageBits;
        int mask = capacity() - 1;
        boolean used = count > 0 && (((head - first) & mask) <= pageMask || ((first - head) & mask) < count);
        if (!used) {
            seqs[page] = null;
            positions[page] = null;
            sizes[page] = null;
        }
    }

    @Override
    public Location remove(byte[] key) {
        long seq = seqOf(key);
        // Pops take an end: no search for them.
        int i = count > 0 && seq == seqAt(head) ? 0 : count > 0 && seq == seqAt(slot(count - 1)) ? count - 1 : search(seq);
        if (i < 0) {
            return null;
        }
        Location before = locationAt(i);
        int vacated;
        if (i < count / 2) {
            for (int j = i; j > 0; j--) {
                copy(slot(j - 1), slot(j));
            }
            vacated = head;
            head = (head + 1) & (capacity() - 1);
        } else {
            for (int j = i; j < count - 1; j++) {
                copy(slot(j + 1), slot(j));
            }
            vacated = slot(count - 1);
        }
        count--;
        releaseIfEmpty(vacated);
        int slots = seqs.length == 1 ? capacity() : Math.max(count, 1 << maxPageBits);
        if (count > 16 && count < slots / 4) {
            // A quarter full: back to one page of twice the elements (a list that grew long and
            // was popped short holds at most two pages until then).
            flatten(Math.max(FIRST_BITS, 33 - Integer.numberOfLeadingZeros(count)));
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
        if (i < 0 || positionAt(slot(i)) != (((long) oldFileId << 32) | oldOffset)) {
            return false;
        }
        setLocation(slot(i), ((long) newFileId << 32) | newOffset, newSize);
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
            return count == 0 ? null : seqKey(seqAt(slot(random.nextInt(count))));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long memoryBytes() {
        lock.readLock().lock();
        try {
            long pages = 0;
            for (long[] page : seqs) {
                pages += page == null ? 0 : 1;
            }
            return 80L + 24L * seqs.length + pages * (20L * (pageMask + 1) + 48);
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
                visitor.visit(seqKey(seqAt(slot(j))), locationAt(j));
            }
        } finally {
            lock.readLock().unlock();
        }
    }
}
