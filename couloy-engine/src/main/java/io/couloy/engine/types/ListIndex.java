package io.couloy.engine.types;

import io.couloy.engine.format.MalformedRecordException;
import io.couloy.engine.keydir.KeyDir;
import io.couloy.engine.keydir.Location;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

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
 *
 * a page of P = 1 &lt;&lt; pageBits slots, one memory segment, columns one after another:
 *   [0, 8P) seqs        [8P, 16P) positions        [16P, 20P) record sizes
 * </pre>
 *
 * A short list is one page that doubles as it grows (4, 8, ... slots), on the Java heap. Past
 * {@value #PAGE_BITS} bits (16384 elements, 320 KiB a page) the array grows by pages: a full
 * array doubles its table of pages, not its elements, and a page that no element occupies is
 * freed. Doubling one flat array copied every element while the list's writer waited — 40 MB
 * and several milliseconds at two million elements — and each copy was a humongous allocation
 * that set off a concurrent collection cycle.
 *
 * <p>Full pages are native memory, each in its own shared {@link Arena}, freed when the page
 * empties, the list is {@link #release() released}, or (a safety net for an index dropped without
 * release) when the index is collected. On the heap they were most of what a young collection
 * copied while lists grew: 20 MB of fresh pages per million pushes, copied to the survivor space
 * and again to the old generation, in pauses the pipelined clients waited through.
 *
 * <p>LPUSH / RPUSH / LPOP / RPOP and LINDEX are O(1); a member looked up by sequence number (recovery,
 * merge) is O(log n); inserting or removing in the middle shifts the shorter side, O(n).
 *
 * <p>It is a {@link KeyDir} keyed by {@link #seqKey}, so recovery, merge and typed writes treat
 * it like any member index. Readers take a read lock (or read optimistically); writers are
 * serialised by the engine.
 */
public final class ListIndex implements KeyDir, KeyDir.Mutator {
    /** Gap left between elements pushed at the ends. */
    public static final long STEP = 1L << 20;

    /** Log2 of a full page's slots. */
    static final int PAGE_BITS = 14;
    private static final int FIRST_BITS = 2;
    private static final Cleaner CLEANER = Cleaner.create();
    /** Bytes of native pages held by every list index in this JVM. */
    private static final AtomicLong NATIVE_BYTES = new AtomicLong();

    /**
     * Not reentrant: nothing under it calls back into this index. A read-write lock's per-thread
     * hold counts cost a push three lock round trips' bookkeeping; this costs a push one write
     * lock, its reads being optimistic.
     */
    private final StampedLock lock = new StampedLock();
    /** Largest log2 page size, {@link #PAGE_BITS} but in tests. */
    private final int maxPageBits;
    /** Log2 of each page's slots: below {@link #maxPageBits} only while there is one page. */
    private int pageBits;
    private int pageMask;
    /** Byte offsets of the positions and sizes columns in a page. */
    private long positionBase;
    private long sizeBase;
    /** The pages; null where no element lies. */
    private MemorySegment[] pages;
    /** The native pages' arenas, by page (null for a heap page); made with the first native page. */
    private NativePages natives;
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
        firstPage();
    }

    /** One page of the first size, on the heap whatever the page size (the state of an empty index). */
    private void firstPage() {
        pages = new MemorySegment[] {heapPage(FIRST_BITS)};
        pageSize(FIRST_BITS);
        head = 0;
    }

    /**
     * The arenas of an index's native pages, apart from the index so that the cleaner can free
     * them once the index is unreachable. Changed under the index's write lock; run (closed) once.
     */
    private static final class NativePages implements Runnable {
        Arena[] arenas;
        final long pageBytes;
        final Cleaner.Cleanable cleanable;

        NativePages(ListIndex owner, int pages, long pageBytes) {
            arenas = new Arena[pages];
            this.pageBytes = pageBytes;
            cleanable = CLEANER.register(owner, this);
        }

        /** A native page in a new arena, recorded at {@code into[at]} ({@link #arenas} or what will be). */
        MemorySegment allocate(Arena[] into, int at) {
            into[at] = Arena.ofShared();
            NATIVE_BYTES.addAndGet(pageBytes);
            return into[at].allocate(pageBytes, Long.BYTES);
        }

        long count() {
            long n = 0;
            for (Arena a : arenas) {
                n += a == null ? 0 : 1;
            }
            return n;
        }

        void free(int page) {
            if (arenas[page] != null) {
                arenas[page].close();
                arenas[page] = null;
                NATIVE_BYTES.addAndGet(-pageBytes);
            }
        }

        @Override
        public void run() {
            for (int i = 0; i < arenas.length; i++) {
                free(i);
            }
        }
    }

    private static MemorySegment heapPage(int bits) {
        return MemorySegment.ofArray(new long[(20 << bits) / Long.BYTES]);
    }

    /** A fresh page of {@code 1 << bits} slots at {@code pages[page]}: native if full-sized. */
    private MemorySegment newPage(int page, int bits) {
        if (bits < maxPageBits) {
            return pages[page] = heapPage(bits);
        }
        NativePages np = natives();
        return pages[page] = np.allocate(np.arenas, page);
    }

    /** The native pages' arenas, made (one per page now held) with the first native page. */
    private NativePages natives() {
        if (natives == null) {
            natives = new NativePages(this, pages.length, 20L << maxPageBits);
        }
        return natives;
    }

    /** Bytes of native memory that list indexes hold, across every database open in this JVM. */
    public static long nativeBytes() {
        return NATIVE_BYTES.get();
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
        return pages.length << pageBits;
    }

    private int slot(int index) {
        return (head + index) & (capacity() - 1);
    }

    private long seqAt(int slot) {
        return pages[slot >>> pageBits].get(JAVA_LONG, (long) (slot & pageMask) << 3);
    }

    private long positionAt(int slot) {
        return pages[slot >>> pageBits].get(JAVA_LONG, positionBase + ((long) (slot & pageMask) << 3));
    }

    private int sizeAt(int slot) {
        return pages[slot >>> pageBits].get(JAVA_INT, sizeBase + ((long) (slot & pageMask) << 2));
    }

    /** Writes one slot, making its page if no element lay there. */
    private void set(int slot, long seq, long pos, int size) {
        int page = slot >>> pageBits;
        MemorySegment p = pages[page];
        if (p == null) {
            p = newPage(page, pageBits);
        }
        long at = slot & pageMask;
        p.set(JAVA_LONG, at << 3, seq);
        p.set(JAVA_LONG, positionBase + (at << 3), pos);
        p.set(JAVA_INT, sizeBase + (at << 2), size);
    }

    private void setLocation(int slot, long pos, int size) {
        MemorySegment p = pages[slot >>> pageBits];
        long at = slot & pageMask;
        p.set(JAVA_LONG, positionBase + (at << 3), pos);
        p.set(JAVA_INT, sizeBase + (at << 2), size);
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
        long stamp = lock.tryOptimisticRead();
        int n = count;
        if (lock.validate(stamp)) {
            return n;
        }
        stamp = lock.readLock();
        try {
            return count;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** A list's length and the sequence numbers of its first and last elements (both 0 when empty). */
    public record Ends(long count, long first, long last) {}

    /** The length and both end sequence numbers, read together: what a push needs. */
    public Ends ends() {
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            try {
                Ends e = readEnds();
                if (lock.validate(stamp)) {
                    return e;
                }
            } catch (RuntimeException tornRead) {
                // A writer changed the pages under us (a freed page's segment throws): retry locked.
            }
        }
        stamp = lock.readLock();
        try {
            return readEnds();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private Ends readEnds() {
        int n = count;
        return n == 0 ? new Ends(0, 0, 0) : new Ends(n, seqAt(head), seqAt(slot(n - 1)));
    }

    /** An element's sequence number and position. */
    public record Element(long seq, Location location) {}

    /** The element at {@code index} (0-based from the head), or null if out of range. */
    public Element at(long index) {
        long stamp = lock.readLock();
        try {
            if (index < 0 || index >= count) {
                return null;
            }
            return new Element(seqAt(slot((int) index)), locationAt((int) index));
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Elements {@code from} to {@code to} inclusive (already clamped to the list), in order. */
    public List<Element> range(long from, long to) {
        long stamp = lock.readLock();
        try {
            List<Element> out = new java.util.ArrayList<>((int) Math.max(0, Math.min(to, count - 1L) - from + 1));
            for (long i = Math.max(0, from); i <= to && i < count; i++) {
                out.add(new Element(seqAt(slot((int) i)), locationAt((int) i)));
            }
            return out;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Elements {@code from} to {@code to} (already clamped) as parallel arrays, copied under one
     * read-lock hold: a range read without an object per element.
     */
    public Span span(long from, long to) {
        long stamp = lock.readLock();
        try {
            int first = (int) Math.max(0, from);
            int n = (int) Math.max(0, Math.min(to, count - 1L) - first + 1);
            Span out = new Span(new long[n], new long[n], new int[n]);
            copyOut(first, n, MemorySegment.ofArray(out.seqs), MemorySegment.ofArray(out.positions), 0,
                    MemorySegment.ofArray(out.sizes), 0);
            return out;
        } finally {
            lock.unlockRead(stamp);
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
        long stamp = lock.readLock();
        try {
            int i = search(seq);
            return i < 0 ? null : locationAt(i);
        } finally {
            lock.unlockRead(stamp);
        }
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
        if (pages.length == 1 && pageBits < maxPageBits) {
            flatten(pageBits + 1);
            return;
        }
        int n = pages.length;
        int headPage = head >>> pageBits;
        int inPage = head & pageMask;
        MemorySegment[] old = pages;
        NativePages np = natives();
        Arena[] oldArenas = np.arenas;
        pages = new MemorySegment[2 * n];
        np.arenas = new Arena[2 * n];
        for (int i = 0; i < n; i++) { // pages in list order, the head's first
            pages[i] = old[(headPage + i) & (n - 1)];
            np.arenas[i] = oldArenas[(headPage + i) & (n - 1)];
        }
        if (inPage > 0) {
            // The head's page also holds the last elements, before the head: they move to a page
            // of their own after the others, where the doubled ring continues.
            MemorySegment.copy(pages[0], 0, newPage(n, pageBits), 0, pages[0].byteSize());
        }
        head = inPage;
    }

    /** Copies the elements into one page of {@code 1 << bits} slots, element 0 first. */
    private void flatten(int bits) {
        Arena[] arenas = new Arena[1];
        MemorySegment page = bits < maxPageBits ? heapPage(bits) : natives().allocate(arenas, 0);
        copyOut(0, count, page, page, 8L << bits, page, 16L << bits);
        if (natives != null) {
            natives.run(); // frees the old pages
            natives.arenas = arenas;
        }
        pages = new MemorySegment[] {page};
        pageSize(bits);
        head = 0;
    }

    private void pageSize(int bits) {
        pageBits = bits;
        pageMask = (1 << bits) - 1;
        positionBase = 8L << bits;
        sizeBase = 16L << bits;
    }

    /**
     * Copies elements {@code first} to {@code first + n - 1} into the three columns from their
     * start ({@code positionsBase}, {@code sizesBase} bytes into their segments), a stretch at a
     * time (to a page's end).
     */
    private void copyOut(int first, int n, MemorySegment seqsTo, MemorySegment positionsTo, long positionsBase,
            MemorySegment sizesTo, long sizesBase) {
        for (int j = 0; j < n; ) {
            int s = slot(first + j);
            MemorySegment page = pages[s >>> pageBits];
            long at = s & pageMask;
            int stretch = (int) Math.min(n - j, pageMask + 1 - at);
            MemorySegment.copy(page, at << 3, seqsTo, (long) j << 3, (long) stretch << 3);
            MemorySegment.copy(page, positionBase + (at << 3), positionsTo, positionsBase + ((long) j << 3), (long) stretch << 3);
            MemorySegment.copy(page, sizeBase + (at << 2), sizesTo, sizesBase + ((long) j << 2), (long) stretch << 2);
            j += stretch;
        }
    }

    /** Frees the page of {@code slot} if no element lies in it any more (never a short list's one page). */
    private void releaseIfEmpty(int slot) {
        if (pages.length == 1) {
            return;
        }
        int page = slot >>> pageBits;
        int first = page << pageBits;
        int mask = capacity() - 1;
        boolean used = count > 0 && (((head - first) & mask) <= pageMask || ((first - head) & mask) < count);
        if (!used) {
            pages[page] = null;
            if (natives != null) {
                natives.free(page);
            }
        }
    }

    /**
     * Empties the index and frees its native pages now, rather than when it is collected: for a
     * list that was deleted or replaced. A reader that still holds it sees an empty list.
     */
    public void release() {
        long stamp = lock.writeLock();
        try {
            if (natives == null && count == 0) {
                return; // holds nothing outside the heap
            }
            if (natives != null) {
                natives.cleanable.clean();
                natives = null;
            }
            firstPage();
            count = 0;
        } finally {
            lock.unlockWrite(stamp);
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
        int slots = pages.length == 1 ? capacity() : Math.max(count, 1 << maxPageBits);
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

    /**
     * In one step, as {@link #scan}: the list's lock is held while its locations are read (no key
     * copies; a million elements take some milliseconds).
     */
    @Override
    public void walkLocations(Consumer<Location> visitor) {
        long stamp = lock.readLock();
        try {
            for (int j = 0; j < count; j++) {
                visitor.accept(locationAt(j));
            }
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public byte[] randomKey(RandomGenerator random) {
        long stamp = lock.readLock();
        try {
            return count == 0 ? null : seqKey(seqAt(slot(random.nextInt(count))));
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Heap and native bytes: the pages (free slots included) and the objects that hold them. */
    @Override
    public long memoryBytes() {
        long stamp = lock.readLock();
        try {
            long held = 0;
            for (MemorySegment page : pages) {
                held += page == null ? 0 : page.byteSize() + 56; // + segment object, or array header
            }
            long arenas = natives == null ? 0 : 64 + 16L * natives.arenas.length + 120 * natives.count();
            return 96L + 16L * pages.length + held + arenas;
        } finally {
            lock.unlockRead(stamp);
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
        long stamp = lock.readLock();
        try {
            for (int j = 0; j < count; j++) {
                visitor.visit(seqKey(seqAt(slot(j))), locationAt(j));
            }
        } finally {
            lock.unlockRead(stamp);
        }
    }
}
