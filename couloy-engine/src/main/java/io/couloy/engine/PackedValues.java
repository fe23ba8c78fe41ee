package io.couloy.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Values side by side in a few arrays, as a list range reads them: value {@code i} is the
 * {@link #length(int)} bytes of {@link #array(int)} from {@link #offset(int)}. A range of small
 * elements is read as a few copies of the data file's bytes, and each value stays where its
 * record lies in those copies: no array per value, and a server writes each straight from here
 * into its reply. Records among the newest of the active file are not even copied: their values
 * are named where the file's in-memory tail holds them. The arrays are the caller's to read,
 * never to change — some are the engine's own (a changed byte there fails later reads of those
 * records with a checksum error). (A sorted set's members are in memory already: a range of them
 * is lent member by member, {@link ZSets#visitByRank}.)
 */
public final class PackedValues {
    /** Arrays hold at most this much unless one run of records is larger: a range of any size never needs one huge array. */
    private static final int CHUNK = 1 << 20;

    private byte[][] chunks = new byte[2][];
    private int chunkCount;
    /** The array of our own that {@link #reserve} fills, by its number in {@link #chunks}; -1 before the first. */
    private int own = -1;
    private int used;
    private final int firstOwnSize;
    private int[] chunkOf;
    private int[] offsets;
    private int[] lengths;
    private int count;

    /**
     * @param expected how many values will come
     * @param bytes how many bytes the first array of our own should hold, if one is needed
     */
    PackedValues(int expected, int bytes) {
        this.firstOwnSize = Math.clamp(bytes, 16, CHUNK);
        this.chunkOf = new int[Math.max(1, expected)];
        this.offsets = new int[chunkOf.length];
        this.lengths = new int[chunkOf.length];
    }

    /** How many values. */
    public int count() {
        return count;
    }

    /** The array value {@code i} lies in. */
    public byte[] array(int i) {
        return chunks[chunkOf[Objects.checkIndex(i, count)]];
    }

    /** Where value {@code i} starts in {@link #array(int)}. */
    public int offset(int i) {
        return offsets[Objects.checkIndex(i, count)];
    }

    /** How long value {@code i} is. */
    public int length(int i) {
        return lengths[Objects.checkIndex(i, count)];
    }

    /** Value {@code i}, copied out. */
    public byte[] get(int i) {
        int at = offset(i);
        return Arrays.copyOfRange(array(i), at, at + lengths[i]);
    }

    /** Every value, copied out. */
    public List<byte[]> toList() {
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(get(i));
        }
        return out;
    }

    /** The array {@link #reserve} last made room in, and its number for {@link #add(int, int, int)}. */
    byte[] current() {
        return chunks[own];
    }

    int currentChunk() {
        return own;
    }

    private int addChunk(byte[] array) {
        if (chunkCount == chunks.length) {
            chunks = Arrays.copyOf(chunks, 2 * chunkCount);
        }
        chunks[chunkCount] = array;
        return chunkCount++;
    }

    /**
     * Makes room for {@code n} more bytes in {@link #current()} and returns where they go; the
     * caller fills them.
     */
    int reserve(int n) {
        if (own < 0) {
            own = addChunk(new byte[Math.max(n, firstOwnSize)]);
            used = 0;
        }
        byte[] c = chunks[own];
        if (c.length - used < n) {
            if (used == 0 || (c.length < CHUNK && used + n <= CHUNK)) {
                // Values already named in it keep their offsets in the larger copy.
                chunks[own] = Arrays.copyOf(c, Math.max(used + n, Math.min(CHUNK, 2 * c.length)));
            } else {
                own = addChunk(new byte[Math.max(n, CHUNK)]);
                used = 0;
            }
        }
        int at = used;
        used += n;
        return at;
    }

    /**
     * The number, for {@link #add(int, int, int)}, of an array that is not ours and holds values
     * where they are (the data file's in-memory tail); {@link #reserve} never writes into it.
     */
    int shared(byte[] array) {
        for (int i = chunkCount - 1; i >= 0; i--) {
            if (chunks[i] == array) {
                return i;
            }
        }
        return addChunk(array);
    }

    /** Adds the value at {@code [offset, offset+length)} of array number {@code chunk}. */
    void add(int chunk, int offset, int length) {
        if (count == offsets.length) {
            chunkOf = Arrays.copyOf(chunkOf, 2 * count);
            offsets = Arrays.copyOf(offsets, 2 * count);
            lengths = Arrays.copyOf(lengths, 2 * count);
        }
        chunkOf[count] = chunk;
        offsets[count] = offset;
        lengths[count++] = length;
    }

    /** Adds a copy of {@code value}. */
    void add(byte[] value) {
        addCopy(value, 0, value.length);
    }

    /** Adds a copy of {@code source[from, from + length)}. */
    void addCopy(byte[] source, int from, int length) {
        int at = reserve(length);
        System.arraycopy(source, from, current(), at, length);
        add(currentChunk(), at, length);
    }
}
