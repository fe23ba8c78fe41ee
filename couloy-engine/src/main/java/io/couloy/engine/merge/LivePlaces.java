package io.couloy.engine.merge;

import io.couloy.engine.CouloyException;
import io.couloy.engine.log.DataFile;
import java.util.Arrays;
import java.util.List;

/**
 * Where the live records of a merge's inputs lie, as the indexes name them: for each input,
 * its records' offsets in ascending order, each once. Packed as {@code input << 32 | offset}
 * in one array (8 bytes a live record; offsets stay below 4 GiB), sorted, so the copy reads
 * each file front to back as a scan would, skipping what is dead.
 */
final class LivePlaces {
    private final long[] places;
    private final int count;
    /** {@code starts[i]} is the first place of input i; {@code starts[inputs]} is {@code count}. */
    private final int[] starts;

    private LivePlaces(long[] places, int count, int inputs) {
        this.places = places;
        this.count = count;
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
                loc -> c.add((long) inputOf(ids, handles, loc.fileId()) << 32 | loc.offset()));
        if (host.closing()) {
            throw new CouloyException("merge abandoned: database closing");
        }
        long[] sorted = c.places;
        Arrays.sort(sorted, 0, c.count);
        // A resize during the walk may have shown an entry twice.
        int unique = 0;
        for (int j = 0; j < c.count; j++) {
            if (unique == 0 || sorted[j] != sorted[unique - 1]) {
                sorted[unique++] = sorted[j];
            }
        }
        return new LivePlaces(sorted, unique, inputs.size());
    }

    /** The input index of the file with {@code handle}, or -1 if it is not an input. Input ids ascend. */
    private static int inputOf(int[] ids, int[] handles, int handle) {
        int i = Arrays.binarySearch(ids, DataFile.idOf(handle));
        return i >= 0 && handles[i] == handle ? i : -1;
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

    /** Live records listed, over all inputs. */
    int size() {
        return count;
    }

    private static final class Collector {
        long[] places = new long[1024];
        int count;

        void add(long place) {
            if (count == places.length) {
                if (places.length >= Integer.MAX_VALUE - 16) {
                    throw new CouloyException("merge: too many live records to list in one merge");
                }
                places = Arrays.copyOf(places, (int) Math.min(Integer.MAX_VALUE - 16, 2L * places.length));
            }
            places[count++] = place;
        }
    }
}
