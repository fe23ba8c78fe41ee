package io.couloy.engine.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The open data files, indexed by id in a copy-on-write array: a read's lookup is one array
 * load, while the rare changes (rotation, merge) copy the array under a lock.
 */
public final class FileTable {
    private volatile DataFile[] byId = new DataFile[16];

    /** The file with {@code id}, or null. */
    public DataFile get(int id) {
        DataFile[] a = byId;
        return id >= 0 && id < a.length ? a[id] : null;
    }

    public synchronized void put(DataFile file) {
        DataFile[] a = byId;
        DataFile[] copy = Arrays.copyOf(a, Math.max(a.length, file.id() + 1 + (file.id() >> 2)));
        copy[file.id()] = file;
        byId = copy;
    }

    /** Removes and returns the file with {@code id}, or null. */
    public synchronized DataFile remove(int id) {
        DataFile[] a = byId;
        if (id >= a.length || a[id] == null) {
            return null;
        }
        DataFile[] copy = a.clone();
        DataFile f = copy[id];
        copy[id] = null;
        byId = copy;
        return f;
    }

    /** Every file, ascending id. */
    public List<DataFile> all() {
        return below(Integer.MAX_VALUE);
    }

    /** Files with an id below {@code id}, ascending. */
    public List<DataFile> below(int id) {
        DataFile[] a = byId;
        List<DataFile> out = new ArrayList<>();
        for (int i = 0; i < a.length && i < id; i++) {
            if (a[i] != null) {
                out.add(a[i]);
            }
        }
        return out;
    }

    /** Drops every file (after closing them). */
    public synchronized void clear() {
        byId = new DataFile[16];
    }
}
