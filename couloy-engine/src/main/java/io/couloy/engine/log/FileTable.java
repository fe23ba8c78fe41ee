package io.couloy.engine.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The open data files, indexed by handle ({@link DataFile#handle()}) in a copy-on-write array: a
 * read's lookup is one array load, while the rare changes (rotation, merge) copy the array under
 * a lock. The two handles of an id sit side by side, at {@code 2 * id} and {@code 2 * id + 1}.
 */
public final class FileTable {
    private volatile DataFile[] byHandle = new DataFile[32];

    private static int index(int handle) {
        int id = DataFile.idOf(handle);
        return 2 * id + (handle == id ? 0 : 1);
    }

    /** The file with {@code handle}, or null. */
    public DataFile get(int handle) {
        DataFile[] a = byHandle;
        int i = handle < 0 ? -1 : index(handle);
        return i >= 0 && i < a.length ? a[i] : null;
    }

    public synchronized void put(DataFile file) {
        DataFile[] a = byHandle;
        int i = index(file.handle());
        DataFile[] copy = Arrays.copyOf(a, Math.max(a.length, i + 2 + (i >> 2)));
        copy[i] = file;
        byHandle = copy;
    }

    /** Removes and returns the file with {@code handle}, or null. */
    public synchronized DataFile remove(int handle) {
        DataFile[] a = byHandle;
        int i = index(handle);
        if (i >= a.length || a[i] == null) {
            return null;
        }
        DataFile[] copy = a.clone();
        DataFile f = copy[i];
        copy[i] = null;
        byHandle = copy;
        return f;
    }

    /** Every file, ascending id. */
    public List<DataFile> all() {
        return below(Integer.MAX_VALUE / 2);
    }

    /**
     * Files with an id below {@code id}, ascending. Both of an id's files while a merge moves keys
     * from one to the other; only the merge itself lists files then (it holds the merge lock, as
     * do backup and close), or statistics.
     */
    public List<DataFile> below(int id) {
        DataFile[] a = byHandle;
        List<DataFile> out = new ArrayList<>();
        for (int i = 0; i < a.length && i < 2L * id; i++) {
            if (a[i] != null) {
                out.add(a[i]);
            }
        }
        return out;
    }

    /** Drops every file (after closing them). */
    public synchronized void clear() {
        byHandle = new DataFile[32];
    }
}
