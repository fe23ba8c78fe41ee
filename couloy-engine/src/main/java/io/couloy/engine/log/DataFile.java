package io.couloy.engine.log;

import io.couloy.engine.StorageException;
import io.couloy.engine.format.DirectoryFormat;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One data file: an append-only sequence of records. Only the engine's single writer appends;
 * any number of threads read at once with positioned reads (no shared file position), or from a
 * read-only memory map once the file is sealed and mmap reads are on.
 *
 * <p>Closing a file that readers still use is allowed (merge does it): they get
 * {@link ClosedException} and look the key up again.
 */
public final class DataFile implements AutoCloseable {
    /**
     * The generation bit of a file handle. Index entries name a file by its handle, not its id:
     * the id plus this bit, which a merge's output for an id has the other way round from the
     * input it replaces. Both can then be open at once, so keys move to the output while reads
     * and writes go on, and the swap (the only part that stops writers) does not grow with them.
     * Files opened at start-up and every active file have the bit clear.
     */
    public static final int GENERATION = 1 << 30;

    private final int id;
    private final int handle;
    /** Changes once, when a merge installs the output it was opened from. */
    private volatile Path path;
    private final boolean writable;
    /** Replaced if an interrupted thread's I/O closed it (see {@link #io}). */
    private volatile FileChannel channel;
    private volatile boolean closed;
    private volatile long size;
    private volatile MemorySegment mapped;
    private volatile Arena mapArena;
    private static final int CHUNK_BITS = 22;
    static final int CHUNK_SIZE = 1 << CHUNK_BITS;
    private static final MemorySegment[] NO_CHUNKS = new MemorySegment[0];
    private volatile MemorySegment[] chunks = NO_CHUNKS;
    private Arena chunkArena;
    private final AtomicLong liveBytes = new AtomicLong();

    /**
     * The tail is held in pieces of this size, not one chunk-sized array: a 4 MB array is a
     * humongous object for G1 at its default region size (1 MB up to a 2 GB heap), and under a
     * steady write load each one's allocation started a concurrent mark (278 of 473 young pauses
     * in a 16 B side-by-side run, pipelined p99s of 5-14 ms). 256 KB stays under half of the
     * smallest region, so pieces are ordinary young objects whatever the heap.
     */
    private static final int PIECE_BITS = 18;
    static final int PIECE_SIZE = 1 << PIECE_BITS;

    /**
     * The newest, partly written chunk of the active file, kept in memory too, so reads of the
     * freshest records (the ones a LRANGE or a hot key touches most) are memory copies rather than
     * one system call each. A full chunk is memory-mapped and the next gets fresh pieces; a reader
     * still copying from an old piece reads bytes that never change. The writer fills
     * {@code pieces} in order, each before the size that covers it is published, so a reader that
     * saw the size sees the piece. The first {@code loaded} bytes were read back from the file when
     * the tail started; the rest this process appended.
     */
    private record Tail(long index, byte[][] pieces, int loaded) {
        Tail(long index, int loaded) {
            this(index, new byte[CHUNK_SIZE >>> PIECE_BITS][], loaded);
        }

        /** The piece holding chunk offset {@code in}, allocated if the writer reaches it first. */
        byte[] pieceForWrite(int in) {
            int i = in >>> PIECE_BITS;
            byte[] p = pieces[i];
            if (p == null) {
                p = new byte[PIECE_SIZE];
                pieces[i] = p;
            }
            return p;
        }

        /** Copies chunk bytes {@code [in, in + len)} in, across pieces. Writer only. */
        void put(int in, byte[] bytes, int off, int len) {
            while (len > 0) {
                int at = in & (PIECE_SIZE - 1);
                int n = Math.min(len, PIECE_SIZE - at);
                System.arraycopy(bytes, off, pieceForWrite(in), at, n);
                in += n;
                off += n;
                len -= n;
            }
        }

        /** Copies chunk bytes {@code [in, in + len)} out, across pieces; the range must be published. */
        void get(int in, byte[] out, int off, int len) {
            while (len > 0) {
                int at = in & (PIECE_SIZE - 1);
                int n = Math.min(len, PIECE_SIZE - at);
                System.arraycopy(pieces[in >>> PIECE_BITS], at, out, off, n);
                in += n;
                off += n;
                len -= n;
            }
        }

        /** The piece holding all of chunk bytes {@code [in, in + len)}, or null if they cross pieces. */
        byte[] pieceHolding(int in, int len) {
            return in >>> PIECE_BITS == (in + len - 1) >>> PIECE_BITS ? pieces[in >>> PIECE_BITS] : null;
        }
    }

    private volatile Tail tail;

    private DataFile(int id, int handle, Path path, FileChannel channel, long size, boolean writable) {
        if (handle != id && handle != (id | GENERATION)) {
            throw new IllegalArgumentException("handle " + handle + " is not one of data file " + id);
        }
        this.id = id;
        this.handle = handle;
        this.path = path;
        this.channel = channel;
        this.writable = writable;
        this.size = size;
    }

    /**
     * Creates a new, empty file to append to. Fails if it exists with data; an empty leftover
     * (a rotation that failed after creating it, say on a full disk) is replaced.
     */
    public static DataFile create(Path dir, int id) {
        Path path = dir.resolve(DirectoryFormat.dataName(id));
        requireId(path, id);
        try {
            if (Files.exists(path) && Files.size(path) == 0) {
                Files.delete(path);
            }
            FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            return new DataFile(id, id, path, ch, 0, true);
        } catch (IOException e) {
            throw new StorageException(path, "create data file", e);
        }
    }

    /** Opens an existing file; {@code writable} for the one recovery may truncate. */
    public static DataFile open(Path path, int id, boolean writable) {
        return open(path, id, id, writable);
    }

    /** Opens an existing file under {@code handle} ({@code id} with or without {@link #GENERATION}). */
    public static DataFile open(Path path, int id, int handle, boolean writable) {
        requireId(path, id);
        try {
            FileChannel ch = writable
                    ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(path, StandardOpenOption.READ);
            return new DataFile(id, handle, path, ch, ch.size(), writable);
        } catch (IOException e) {
            throw new StorageException(path, "open data file", e);
        }
    }

    /** Ids must leave {@link #GENERATION} free: 2^30 files, far past any directory's need. */
    private static void requireId(Path path, int id) {
        if (id < 0 || id >= GENERATION) {
            throw new StorageException(path, "data file id " + id + " is past the largest, " + (GENERATION - 1), null);
        }
    }

    /** The file's id: its name on disk and its place in the order of files. */
    public int id() {
        return id;
    }

    /** What index entries and the {@link FileTable} know the file by (see {@link #GENERATION}). */
    public int handle() {
        return handle;
    }

    /** The id a handle names. */
    public static int idOf(int handle) {
        return handle & ~GENERATION;
    }

    /** The handle for a file that replaces the one of {@code handle}, both open at once for a while. */
    public static int successor(int handle) {
        return handle ^ GENERATION;
    }

    /**
     * Records that the file was renamed to {@code to} (a merge installed it). The open channel and
     * map stay valid across a rename; the path matters for reopening after an interrupt and for
     * messages.
     */
    public void movedTo(Path to) {
        path = to;
    }

    public Path path() {
        return path;
    }

    /** Bytes written (for the active file) or the file's length. */
    public long size() {
        return size;
    }

    /** Bytes of this file still referenced by the key directory. */
    public AtomicLong liveBytes() {
        return liveBytes;
    }

    /** The file's length on disk. */
    public long length() {
        return io("size", -1, FileChannel::size);
    }

    @FunctionalInterface
    private interface ChannelOp<T> {
        T run(FileChannel channel) throws IOException;
    }

    /**
     * Runs one channel operation. A FileChannel closes itself when a thread blocked in it is
     * interrupted, which would break the file for every other thread (a user cancelling a
     * Future that reads, an executor shut down mid-fsync). So an operation that meets a
     * channel closed by an interrupt reopens it and retries, then restores the caller's
     * interrupt status; only {@link #close()} makes the file unusable.
     */
    private <T> T io(String action, long offset, ChannelOp<T> op) {
        boolean interrupted = false;
        try {
            while (true) {
                FileChannel ch = channel;
                try {
                    return op.run(ch);
                } catch (ClosedByInterruptException e) {
                    Thread.interrupted(); // clear it, or the retry would be interrupted at once
                    interrupted = true;
                    reopen(ch);
                } catch (ClosedChannelException e) {
                    interrupted |= Thread.interrupted();
                    reopen(ch);
                } catch (IOException e) {
                    throw new StorageException(path, offset >= 0 ? action + " at offset " + offset : action, e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized void reopen(FileChannel broken) {
        if (closed) {
            throw new ClosedException(id);
        }
        if (channel != broken) {
            return; // another thread reopened it already
        }
        try {
            channel = writable
                    ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new StorageException(path, "reopen after an interrupt", e);
        }
    }

    /**
     * Appends {@code len} bytes and returns the offset they start at. Single writer only.
     * On failure nothing is counted as written and the partial bytes are cut off again, so a
     * failed append (a full disk) leaves the file as it was.
     */
    public long append(byte[] bytes, int off, int len) {
        return append(bytes, off, len, false);
    }

    /**
     * How many of the file's last bytes were appended but not yet written ({@code defer}
     * appends): always inside the in-memory tail chunk, so readers find them there and they are
     * written from there — the tail is their only copy; the file's physical end is
     * {@code size - pendingLength}. Guarded by {@link #pendingLock}, not by the engine's write
     * lock, so a thread acknowledging its writes can write them out while another holds the
     * write lock for long (a script's commit group).
     */
    private volatile int pendingLength;
    private final Object pendingLock = new Object();
    /** Set when deferred bytes could not be written: they are lost, so nothing may follow them. */
    private volatile StorageException lost;
    /** Past this many deferred bytes an append writes them all out. */
    static final int PENDING_LIMIT = 1 << 20;

    /**
     * As {@link #append(byte[], int, int)}; with {@code defer}, the bytes only join the deferred
     * ones in memory (readers see them through the tail chunk) until {@link #writePending()}.
     * A record that would leave the tail's chunk, or pass {@link #PENDING_LIMIT}, is written at
     * once together with what waits, so deferred bytes never lie outside the tail. Single writer.
     */
    public long append(byte[] bytes, int off, int len, boolean defer) {
        synchronized (pendingLock) {
            if (lost != null) {
                throw new StorageException(path, "append after deferred writes were lost", new IOException(lost.getMessage()));
            }
            long start = size;
            Tail t = tail;
            int waiting = pendingLength;
            boolean inTail = t != null && t.index() == start >>> CHUNK_BITS && ((start + len - 1) >>> CHUNK_BITS) == t.index();
            if (defer && inTail && waiting + len <= PENDING_LIMIT) {
                copyToTail(bytes, off, len, start);
                size = start + len;
                pendingLength = waiting + len; // after size: a reader sees the bytes in the tail by then
                return start;
            }
            writePending();
            writeAt(start, bytes, off, len);
            if (tail != null) {
                copyToTail(bytes, off, len, start);
            }
            size = start + len;
            return start;
        }
    }

    /** Writes at the file's physical end; on failure cuts the file back to {@code at} and throws. */
    private void writeAt(long at, byte[] bytes, int off, int len) {
        try {
            io("append", at, ch -> {
                ByteBuffer buf = ByteBuffer.wrap(bytes, off, len);
                long pos = at;
                while (buf.hasRemaining()) {
                    pos += ch.write(buf, pos);
                }
                return null;
            });
        } catch (StorageException e) {
            try {
                io("truncate", at, ch -> ch.truncate(at));
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void copyToTail(byte[] bytes, int off, int len, long at) {
        while (len > 0) {
            long index = at >>> CHUNK_BITS;
            Tail t = tail;
            if (t.index() != index) {
                t = new Tail(index, 0);
                tail = t;
            }
            int in = (int) (at & (CHUNK_SIZE - 1));
            int n = Math.min(len, CHUNK_SIZE - in);
            t.put(in, bytes, off, n);
            off += n;
            len -= n;
            at += n;
        }
    }

    /** Deferred bytes not yet written to the file (any thread may ask). */
    public int pendingLength() {
        return pendingLength;
    }

    /** Whether deferred bytes wait to be written (any thread may ask). */
    public boolean hasPending() {
        return pendingLength > 0;
    }

    /**
     * Writes the deferred bytes to the file, one positioned write per tail piece they touch
     * (mostly one); any thread may call it. On
     * failure (a full disk) the file is cut back to where they would have started and the bytes
     * are lost: every deferred write since the last success is gone, and this file takes no more
     * appends.
     */
    public void writePending() {
        synchronized (pendingLock) {
            int n = pendingLength;
            if (n == 0) {
                return;
            }
            long from = size - n;
            Tail t = tailHolding(from, n);
            if (t == null) {
                throw new IllegalStateException("deferred bytes of " + path + " are not in the in-memory tail");
            }
            try {
                int in = (int) (from & (CHUNK_SIZE - 1));
                for (int done = 0; done < n; ) {
                    int at = (in + done) & (PIECE_SIZE - 1);
                    int len = Math.min(n - done, PIECE_SIZE - at);
                    writeAt(from + done, t.pieces()[(in + done) >>> PIECE_BITS], at, len);
                    done += len;
                }
            } catch (StorageException e) {
                lost = e;
                pendingLength = 0;
                throw e;
            }
            pendingLength = 0;
        }
    }

    /** Reads into {@code out[off..off+len)}; short only at end of file (returns bytes read). */
    public int readFully(long offset, byte[] out, int off, int len) {
        if (readMapped(offset, out, off, len)) {
            return len;
        }
        return readChannel(offset, out, off, len);
    }

    /**
     * The mapped bytes of {@code [offset, offset+len)} if one memory map covers them all, else
     * null. Reading the returned segment throws IllegalStateException once the map is closed.
     */
    public MemorySegment mappedSlice(long offset, int len) {
        MemorySegment m = mapped;
        long at = offset;
        if (m == null) {
            MemorySegment[] c = chunks;
            int index = (int) (offset >>> CHUNK_BITS);
            if (index >= c.length || ((offset + len - 1) >>> CHUNK_BITS) != index) {
                byte[] piece = pieceHolding(offset, len);
                return piece == null ? null : MemorySegment.ofArray(piece).asSlice(offset & (PIECE_SIZE - 1), len);
            }
            m = c[index];
            at = offset - ((long) index << CHUNK_BITS);
        }
        return at + len <= m.byteSize() ? m.asSlice(at, len) : null;
    }

    /**
     * Bytes of the in-memory tail: {@code array[at, at + len)} is the file's {@code [offset, offset + len)}.
     * {@code appendedHere}: this process appended them from its own memory (none was read back from
     * the disk), so a checksum of theirs can only agree — a reader may skip it.
     */
    public record TailBytes(byte[] array, int at, boolean appendedHere) {}

    /**
     * The in-memory tail's array, if one piece of it holds all of {@code [offset, offset + len)},
     * else null (read with {@link #readFully} then). Lets a reader use the newest records where
     * they are instead of copying them: bytes below the file's size are never written again (an
     * append that fails leaves nothing in the tail; deferred bytes that cannot be written stop the
     * file's appends), and a full chunk's pieces are replaced, never reused. The array is the
     * file's: read it, never change it.
     */
    public TailBytes tailBytes(long offset, int len) {
        Tail t = tailHolding(offset, len);
        byte[] piece = t == null ? null : t.pieceHolding((int) (offset & (CHUNK_SIZE - 1)), len);
        if (piece == null) {
            return null;
        }
        return new TailBytes(piece, (int) (offset & (PIECE_SIZE - 1)), (offset & (CHUNK_SIZE - 1)) >= t.loaded());
    }

    /** The tail piece holding all of {@code [offset, offset + len)}, or null. */
    private byte[] pieceHolding(long offset, int len) {
        Tail t = tailHolding(offset, len);
        return t == null ? null : t.pieceHolding((int) (offset & (CHUNK_SIZE - 1)), len);
    }

    /** The tail, if it holds all of {@code [offset, offset + len)}. */
    private Tail tailHolding(long offset, int len) {
        Tail t = tail;
        return t != null && t.index() == offset >>> CHUNK_BITS && ((offset + len - 1) >>> CHUNK_BITS) == t.index()
                && offset + len <= size ? t : null;
    }

    /** Copies from a memory map (or the in-memory tail) if one covers the whole range; false to fall back to the channel. */
    private boolean readMapped(long offset, byte[] out, int off, int len) {
        MemorySegment m = mapped;
        long at = offset;
        if (m == null) {
            MemorySegment[] c = chunks;
            int index = (int) (offset >>> CHUNK_BITS);
            if (index >= c.length || ((offset + len - 1) >>> CHUNK_BITS) != index) {
                return readTail(offset, out, off, len);
            }
            m = c[index];
            at = offset - ((long) index << CHUNK_BITS);
        }
        if (at + len > m.byteSize()) {
            return false;
        }
        try {
            MemorySegment.copy(m, ValueLayout.JAVA_BYTE, at, out, off, len);
            return true;
        } catch (IllegalStateException unmapped) {
            return false; // replaced by a whole-file map, or the file is closing: the channel decides
        }
    }

    private boolean readTail(long offset, byte[] out, int off, int len) {
        Tail t = tailHolding(offset, len);
        if (t == null) {
            return false;
        }
        t.get((int) (offset & (CHUNK_SIZE - 1)), out, off, len);
        return true;
    }

    private int readChannel(long offset, byte[] out, int off, int len) {
        return io("read", offset, ch -> {
            ByteBuffer buf = ByteBuffer.wrap(out, off, len);
            long pos = offset;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos);
                if (n < 0) {
                    break;
                }
                pos += n;
            }
            return len - buf.remaining();
        });
    }

    /** Makes every appended byte durable (fdatasync). */
    public void force() {
        io("fsync", -1, ch -> {
            ch.force(false);
            return null;
        });
    }

    /** Cuts the file to {@code length} bytes (recovery of a torn tail). */
    public void truncate(long length) {
        io("truncate to " + length, -1, ch -> {
            ch.truncate(length);
            ch.force(true);
            return null;
        });
        size = length;
    }

    /**
     * Maps the (now immutable) file for reads; later reads copy from memory, not via syscalls.
     * Drops the chunk maps the file had while it was active.
     */
    public void mapForReads() {
        if (size == 0 || mapped != null) {
            return;
        }
        if (pendingLength > 0) {
            throw new IllegalStateException("deferred bytes of " + path + " were not written before sealing");
        }
        Arena arena = Arena.ofShared();
        try {
            long length = size;
            mapped = io("mmap", -1, ch -> ch.map(FileChannel.MapMode.READ_ONLY, 0, length, arena));
            mapArena = arena;
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        closeChunks();
    }

    /**
     * Maps each whole {@value #CHUNK_SIZE}-byte chunk of a growing (active) file once it is fully
     * written, so reads of all but the newest bytes are memory copies too. Writer only.
     */
    public void mapWrittenChunks() {
        if (tail == null && mapped == null && writable) {
            startTail();
        }
        MemorySegment[] c = chunks;
        long full = (size - pendingLength) >>> CHUNK_BITS; // what the file holds, not what waits in memory
        if (full <= c.length || mapped != null) {
            return;
        }
        if (chunkArena == null) {
            chunkArena = Arena.ofShared();
        }
        MemorySegment[] grown = java.util.Arrays.copyOf(c, (int) full);
        Arena arena = chunkArena;
        for (int i = c.length; i < full; i++) {
            long at = (long) i << CHUNK_BITS;
            grown[i] = io("mmap", at, ch -> ch.map(FileChannel.MapMode.READ_ONLY, at, CHUNK_SIZE, arena));
        }
        chunks = grown;
    }

    /** Begins keeping the newest chunk in memory, with what the file already holds of it. */
    private void startTail() {
        long index = size >>> CHUNK_BITS;
        long start = index << CHUNK_BITS;
        int have = (int) (size - start);
        Tail t = new Tail(index, have);
        for (int in = 0; in < have; in += PIECE_SIZE) {
            int n = Math.min(PIECE_SIZE, have - in);
            if (readChannel(start + in, t.pieceForWrite(in), 0, n) != n) {
                return; // could not read it back: reads of this chunk stay on the channel
            }
        }
        tail = t;
    }

    private void closeChunks() {
        tail = null;
        Arena arena = chunkArena;
        chunks = NO_CHUNKS;
        chunkArena = null;
        if (arena != null) {
            closeArena(arena);
        }
    }

    /**
     * Closes a shared arena. Closing waits for plain accesses, but fails with "Session is
     * acquired" while a reader holds the segment through a ByteBuffer view (the checksum of a
     * mapped record is computed that way); such a hold lasts one checksum, so retry briefly.
     */
    private void closeArena(Arena arena) {
        for (int attempt = 0; ; attempt++) {
            try {
                arena.close();
                return;
            } catch (IllegalStateException acquired) {
                if (attempt >= 100_000) {
                    throw new StorageException(path, "unmap (a reader held the mapping for over 10 s)", null);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        closeChunks();
        Arena arena = mapArena;
        mapped = null;
        mapArena = null;
        if (arena != null) {
            // Closing a shared arena waits until no thread is inside an access, then makes further
            // accesses throw, which readers turn into ClosedException.
            closeArena(arena);
        }
        try {
            channel.close();
        } catch (IOException e) {
            throw new StorageException(path, "close", e);
        }
    }

    @Override
    public String toString() {
        return path.getFileName().toString();
    }

    /** The file was closed under a reader, typically by a merge swapping files: look up again. */
    public static final class ClosedException extends RuntimeException {
        public ClosedException(int id) {
            super("data file " + id + " was closed", null, false, false);
        }
    }
}
