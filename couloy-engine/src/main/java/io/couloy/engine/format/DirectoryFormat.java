package io.couloy.engine.format;

/**
 * Names and markers of a data directory.
 *
 * <pre>
 * dir/
 *   VERSION              "couloydb 1\n": the directory format; checked before anything is touched
 *   LOCK                 held with an OS file lock while the directory is open for writing
 *   000000001.data       data files, ids increasing; the highest is the active (appended) one
 *   000000001.hint       hint for an immutable data file
 *   000000007.hint.tmp   hint being written for the active file; discarded on open
 *   merge/               a merge in progress; holds its output data and hint files
 *   merge/MERGE_DONE     written last by a merge: "couloydb-merge 1 K id,id,..." + crc;
 *                        its presence makes the merge's output the files in force
 * </pre>
 */
public final class DirectoryFormat {
    public static final String VERSION_FILE = "VERSION";
    public static final String VERSION_TEXT = "couloydb 1\n";
    public static final String LOCK_FILE = "LOCK";
    public static final String DATA_SUFFIX = ".data";
    public static final String HINT_SUFFIX = ".hint";
    public static final String HINT_TMP_SUFFIX = ".hint.tmp";
    public static final String MERGE_DIR = "merge";
    public static final String MERGE_DONE = "MERGE_DONE";

    private DirectoryFormat() {}

    public static String dataName(int id) {
        return String.format("%09d%s", id, DATA_SUFFIX);
    }

    public static String hintName(int id) {
        return String.format("%09d%s", id, HINT_SUFFIX);
    }

    public static String hintTmpName(int id) {
        return String.format("%09d%s", id, HINT_TMP_SUFFIX);
    }

    /** The id in a data file's name, or -1 if the name is not one. */
    public static int dataId(String fileName) {
        if (!fileName.endsWith(DATA_SUFFIX)) {
            return -1;
        }
        String digits = fileName.substring(0, fileName.length() - DATA_SUFFIX.length());
        if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        long id = Long.parseLong(digits);
        return id > 0 && id <= Integer.MAX_VALUE ? (int) id : -1;
    }
}
