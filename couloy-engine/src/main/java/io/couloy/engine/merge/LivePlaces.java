package io.couloy.engine.merge;

import io.couloy.engine.CouloyException;
import io.couloy.engine.log.DataFile;
import java.util.Arrays;
import java.util.List;

/**
 * Where the live records of a merge's inputs lie, as the indexes named them during one walk:
 * for each input its records' offsets in ascending order, each once, with the index data each
 * entry held (a key's expiry, a member's score bits). Packed as {@code input << 32 | offset}
 * (offsets stay below 4 GiB) beside the data, 16 bytes a live record, sorted so that the copy
 * reads each file front to back as a scan would, skipping what is dead.
 */
final class LivePlaces {
    private final long[] places;
    private final long[] data;
    /** {@code starts[i]} is the first place of input i; {@code starts[inputs]}, the number of places. */
    private final int[] starts;

    private LivePlaces(long[] places, long[] data, int count, int inputs) {
        this.places = places;
        this.data = data;
        this.starts = new int[inputs + 1];
        int j = 0;
        for (int i = 0; i <= inputs; i++) {
            while (j < count && (places[j] >>> 32) < i) {
                j++;
            }
            starts[i] = j;
        }
    }

    /**
     * Walks the indexes for every live entry on one of {@code inputs}. Throws if the engine
     * closes meanwhile: a walk cut short would leave live records out of the merge.
     */
    static LivePlaces collect(MergeHost host, List<DataFile> inputs) {
        int[] ids = inputs.stream().mapToInt(DataFile::id).toArray();
        int[] handles = inputs.stream().mapToInt(DataFile::handle).toArray();
        Collector c = new Collector();
        host.forEachLiveEntry(handle -> inputOf(ids, handles, handle) >= 0,
                loc -> c.add((long) inputOf(ids, handles, loc.fileId()) << 32 | loc.offset(), loc.expiry()));
        if (host.closing()) {
            throw new CouloyException("merge abandoned: database closing");
        }
        sortByPlace(c.places, c.data, c.count);
        // A resize during the walk may have shown an entry twice.
        int unique = 0;
        for (int j = 0; j < c.count; j++) {
            if (unique == 0 || c.places[j] != c.places[unique - 1]) {
                c.places[unique] = c.places[j];
                c.data[unique] = c.data[j];
                unique++;
            }
        }
        return new LivePlaces(c.places, c.data, unique, inputs.size());
    }

    /** The input index of the file with {@code handle}, or -1 if it is not an input. Input ids ascend. */
    private static int inputOf(int[] ids, int[] handles, int handle) {
        int i = Arrays.binarySearch(ids, DataFile.idOf(handle));
        return i >= 0 && handles[i] == handle ? i : -1;
    }

    /**
     * Sorts {@code places[0, n)} ascending, moving {@code data} with them: a least-significant-
     * digit radix sort, 16 bits a pass, as many passes as the largest place needs (three while
     * there are fewer than 65,536 inputs). The JDK sorts no pairs of primitives, and boxing them
     * would cost ~50 bytes an entry. Takes another 16 bytes a place while it runs.
     */
    static void sortByPlace(long[] places, long[] data, int n) {
        long all = 0;
        for (int i = 0; i < n; i++) {
            all |= places[i];
        }
        long[] p = places;
        long[] d = data;
        long[] p2 = new long[n];
        long[] d2 = new long[n];
        int[] at = new int[(1 << 16) + 1];
        for (int shift = 0; shift < 64 && (all >>> shift) != 0; shift += 16) {
            Arrays.fill(at, 0);
            for (int i = 0; i < n; i++) {
                at[(int) ((p[i] >>> shift) & 0xFFFF) + 1]++;
            }
            for (int b = 0; b < 1 << 16; b++) {
                at[b + 1] += at[b];
            }
            for (int i = 0; i < n; i++) {
                int to = at[(int) ((p[i] >>> shift) & 0xFFFF)]++;
                p2[to] = p[i];
                d2[to] = d[i];
            }
            long[] t = p; p = p2; p2 = t;
            t = d; d = d2; d2 = t;
        }
        if (p != places) {
            System.arraycopy(p, 0, places, 0, n);
            System.arraycopy(d, 0, data, 0, n);
        }
    }

    /** Index of the first place of {@code input}. */
    int from(int input) {
        return starts[input];
    }

    /** Index just past the last place of {@code input}. */
    int to(int input) {
        return starts[input + 1];
    }

    /** The file offset of place {@code j}. */
    long offset(int j) {
        return places[j] & 0xFFFF_FFFFL;
    }

    /** The index data the entry of place {@code j} held during the walk: a key's expiry, a member's score bits. */
    long data(int j) {
        return data[j];
    }

    private static final class Collector {
        long[] places = new long[1024];
        long[] data = new long[1024];
        int count;

        void add(long place, long datum) {
            if (count == places.length) {
                if (places.length >= Integer.MAX_VALUE - 16) {
                    throw new CouloyException("merge: too many live records to list in one merge");
                }
                int grown = (int) Math.min(Integer.MAX_VALUE - 16, 2L * places.length);
                places = Arrays.copyOf(places, grown);
                data = Arrays.copyOf(data, grown);
            }
            places[count] = place;
            data[count] = datum;
            count++;
        }
    }
}
