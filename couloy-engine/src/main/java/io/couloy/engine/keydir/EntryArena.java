package io.couloy.engine.keydir;

import io.couloy.engine.format.LittleEndian;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Packed key-directory entries in large byte arrays, addressed by a 40-bit number, so that a
 * million keys cost a handful of Java objects rather than millions.
 *
 * <pre>
 * entry   +----------------------+-----------+---------+---------+------------+---------+
 *         | file id | hasExpiry  | offset    | size    | key len | [expiry]   | key     |
 *         | u31       bit 31     | u32       | u32     | u16     | i64 if set | k bytes |
 *         +----------------------+-----------+---------+---------+------------+---------+
 * address = chunk index (16 bits) << 24 | offset in chunk (24 bits); 0 is never an entry.
 * </pre>
 *
 * Freed entries go on a free list per exact size and are reused by the next entry of that size;
 * keys of one length (the common case) therefore reuse memory fully. Not thread-safe: the owning
 * key directory serialises writers and validates optimistic readers.
 */
final class EntryArena {
    static final int HEADER = 14;
    private static final int CHUNK_BITS = 24;
    private static final int CHUNK_SIZE = 1 << CHUNK_BITS;
    private static final int SMALL_SIZES = 2048;
    static final int MAX_KEY = 0xFFFF;
    private static final byte[][] NO_CHUNKS = new byte[0][];
    private static final long[] NO_FREE = new long[0];

    private final int minChunk;
    private byte[][] chunks = NO_CHUNKS;
    private int tail = CHUNK_SIZE; // forces a first chunk
    /** Free-list heads by entry size below SMALL_SIZES; grown to the largest size freed so far. */
    private long[] smallFree = NO_FREE;
    private Map<Integer, long[]> largeFree; // created on first use
    private long allocatedBytes;
    private long freeBytes;

    /**
     * @param minChunk size of the first chunk; later ones double, up to 16 MiB. Small for the
     *     many small member tables of collections, large for the key directory.
     */
    EntryArena(int minChunk) {
        this.minChunk = minChunk;
    }

    static int entrySize(int keyLength, boolean hasExpiry) {
        return HEADER + (hasExpiry ? 8 : 0) + keyLength;
    }

    /** Allocates and fills an entry; returns its address. */
    long allocate(byte[] key, int fileId, long offset, int size, long expiry) {
        boolean hasExpiry = expiry != 0;
        int n = entrySize(key.length, hasExpiry);
        long addr = takeFree(n);
        if (addr == 0) {
            addr = bump(n);
        }
        byte[] c = chunks[(int) (addr >>> CHUNK_BITS)];
        int p = (int) (addr & (CHUNK_SIZE - 1));
        LittleEndian.putInt(c, p, fileId | (hasExpiry ? 0x8000_0000 : 0));
        LittleEndian.putInt(c, p + 4, (int) offset);
        LittleEndian.putInt(c, p + 8, size);
        LittleEndian.putShort(c, p + 12, key.length);
        int k = p + HEADER;
        if (hasExpiry) {
            LittleEndian.putLong(c, k, expiry);
            k += 8;
        }
        System.arraycopy(key, 0, c, k, key.length);
        return addr;
    }

    private long bump(int n) {
        if (chunks.length == 0 || tail + n > chunks[chunks.length - 1].length) {
            int index = chunks.length;
            if (index >= (1 << 16)) {
                throw new IllegalStateException("key directory is full (1 TiB of entries)");
            }
            long grow = Math.max((long) minChunk << Math.min(index, 8), Long.highestOneBit(Math.max(1, allocatedBytes)));
            int size = (int) Math.max(n + 8, Math.min(CHUNK_SIZE, grow));
            byte[][] grown = Arrays.copyOf(chunks, index + 1);
            grown[index] = new byte[size];
            chunks = grown;
            tail = index == 0 ? 8 : 0; // address 0 stays unused
            allocatedBytes += size;
        }
        long addr = ((long) (chunks.length - 1) << CHUNK_BITS) | tail;
        tail += n;
        return addr;
    }

    private long takeFree(int n) {
        long head;
        if (n < SMALL_SIZES) {
            head = n < smallFree.length ? smallFree[n] : 0;
            if (head != 0) {
                smallFree[n] = nextFree(head);
            }
        } else {
            long[] h = largeFree == null ? null : largeFree.get(n);
            head = h == null ? 0 : h[0];
            if (head != 0) {
                long next = nextFree(head);
                if (next == 0) {
                    largeFree.remove(n);
                } else {
                    h[0] = next;
                }
            }
        }
        if (head != 0) {
            freeBytes -= n;
        }
        return head;
    }

    private long nextFree(long addr) {
        return LittleEndian.getLong(chunks[(int) (addr >>> CHUNK_BITS)], (int) (addr & (CHUNK_SIZE - 1)));
    }

    /** Returns an entry's memory for reuse. */
    void free(long addr) {
        int n = entrySize(keyLength(addr), hasExpiry(addr));
        byte[] c = chunk(addr);
        int p = pos(addr);
        if (n < SMALL_SIZES) {
            if (n >= smallFree.length) {
                smallFree = Arrays.copyOf(smallFree, Math.min(SMALL_SIZES, Math.max(n + 1, smallFree.length * 2)));
            }
            LittleEndian.putLong(c, p, smallFree[n]);
            smallFree[n] = addr;
        } else {
            if (largeFree == null) {
                largeFree = new HashMap<>();
            }
            long[] h = largeFree.computeIfAbsent(n, x -> new long[1]);
            LittleEndian.putLong(c, p, h[0]);
            h[0] = addr;
        }
        freeBytes += n;
    }

    byte[] chunk(long addr) {
        return chunks[(int) (addr >>> CHUNK_BITS)];
    }

    static int pos(long addr) {
        return (int) (addr & (CHUNK_SIZE - 1));
    }

    int fileId(long addr) {
        return LittleEndian.getInt(chunk(addr), pos(addr)) & 0x7FFF_FFFF;
    }

    boolean hasExpiry(long addr) {
        return LittleEndian.getInt(chunk(addr), pos(addr)) < 0;
    }

    long offset(long addr) {
        return LittleEndian.getInt(chunk(addr), pos(addr) + 4) & 0xFFFF_FFFFL;
    }

    int size(long addr) {
        return LittleEndian.getInt(chunk(addr), pos(addr) + 8);
    }

    int keyLength(long addr) {
        return LittleEndian.getUnsignedShort(chunk(addr), pos(addr) + 12);
    }

    long expiry(long addr) {
        return hasExpiry(addr) ? LittleEndian.getLong(chunk(addr), pos(addr) + HEADER) : 0;
    }

    int keyStart(long addr) {
        return pos(addr) + HEADER + (hasExpiry(addr) ? 8 : 0);
    }

    byte[] key(long addr) {
        return Arrays.copyOfRange(chunk(addr), keyStart(addr), keyStart(addr) + keyLength(addr));
    }

    boolean keyEquals(long addr, byte[] key) {
        int len = keyLength(addr);
        if (len != key.length) {
            return false;
        }
        int s = keyStart(addr);
        return Arrays.equals(chunk(addr), s, s + len, key, 0, len);
    }

    /** Compares the entry's key with {@code key}, unsigned byte order. */
    int compareKey(long addr, byte[] key) {
        int s = keyStart(addr);
        return Arrays.compareUnsigned(chunk(addr), s, s + keyLength(addr), key, 0, key.length);
    }

    Location location(long addr) {
        return new Location(fileId(addr), offset(addr), size(addr), expiry(addr));
    }

    /** Rewrites position fields in place; only valid when the expiry flag does not change. */
    void setPosition(long addr, int fileId, long offset, int size) {
        byte[] c = chunk(addr);
        int p = pos(addr);
        int flag = LittleEndian.getInt(c, p) & 0x8000_0000;
        LittleEndian.putInt(c, p, fileId | flag);
        LittleEndian.putInt(c, p + 4, (int) offset);
        LittleEndian.putInt(c, p + 8, size);
    }

    void setExpiryInPlace(long addr, long expiry) {
        LittleEndian.putLong(chunk(addr), pos(addr) + HEADER, expiry);
    }

    long hashKey(long addr) {
        return KeyHash.hash(chunk(addr), keyStart(addr), keyLength(addr));
    }

    long allocatedBytes() {
        return allocatedBytes;
    }

    /** Heap bytes of the arena's bookkeeping (free lists, chunk table), chunks excluded. */
    long overheadBytes() {
        return 16L + 8L * chunks.length + 16 + 8L * smallFree.length + (largeFree == null ? 0 : 64L * largeFree.size());
    }

    long freeBytes() {
        return freeBytes;
    }
}
