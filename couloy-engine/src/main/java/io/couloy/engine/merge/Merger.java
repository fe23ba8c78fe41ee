package io.couloy.engine.merge;

import io.couloy.engine.CorruptionException;
import io.couloy.engine.CouloyException;
import io.couloy.engine.MergeReads;
import io.couloy.engine.StorageException;
import io.couloy.engine.format.DirectoryFormat;
import io.couloy.engine.format.HintCodec;
import io.couloy.engine.format.RecordCodec;
import io.couloy.engine.format.RecordType;
import io.couloy.engine.format.LittleEndian;
import io.couloy.engine.keydir.KeyDir;
import io.couloy.engine.keydir.Location;
import io.couloy.engine.log.DataDirectory;
import io.couloy.engine.log.DataFile;
import io.couloy.engine.log.HintWriter;
import io.couloy.engine.log.RecordScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Online merge (compaction). Reads and writes go on while it runs; writers pause only for the
 * final swap (renames, no data copying and no per-key work).
 *
 * <ol>
 *   <li>Seal the active file: every file up to id K is now immutable. The {@link MergeScope}
 *       picks a contiguous run [a, b] of them as inputs.</li>
 *   <li>Copy each record an index still points at (a key's value or collection header, a
 *       collection member), unexpired, into new files under {@code merge/} with their hints, in
 *       the order read. Overwritten and expired records, and members of deleted collections, are
 *       dropped; so are tombstones when a is the oldest file.</li>
 *   <li>Sync them and write {@code MERGE_DONE}: the commit point.</li>
 *   <li>Open the outputs beside the inputs, each under the other handle of its id
 *       ({@link DataFile#GENERATION}), and move each key that still points at its old place to
 *       its copy, a batch at a time, while reads and writes go on.</li>
 *   <li>Swap: drop the inputs from the file table, the only step that stops writers; then
 *       rename the files into place ({@link MergeInstaller}), close the inputs, sync the
 *       directory and remove {@code merge/}.</li>
 * </ol>
 *
 * A crash before step 3 leaves the old files in force; after it, the next open finishes step 5
 * (the moves are in memory only: the next open reads the installed files' hints).
 *
 * <p>When files older than a stay, what the inputs say about their keys must survive: a deleted
 * or expired key (active expiry removes it from the index without a record) may still have a
 * value in an older file, which replay would bring back. So a key the index no longer holds (or
 * holds expired) keeps a DELETE in the output wherever the inputs held a DELETE, an EXPIRE or a
 * value with an expiry for it; a removed member keeps its MEMBER_DELETE; and an EXPIRE of a key whose value
 * lies in an older file is kept, carrying the expiry the index holds now. One tombstone per
 * such record is more than needed but never wrong: the key is absent, and anything that brings
 * it back is newer than the run. None of this depends on whether a batch record committed.
 */
public final class Merger {
    /**
     * What one merge did. {@code pauseNanos} is how long writers waited for the swap: the one part
     * of a merge that stops the database, and what the p99 of writes overlapping it pays.
     */
    public record Result(int inputFiles, int outputFiles, long bytesBefore, long bytesAfter, long recordsCopied,
            long pauseNanos, long bytesRead) {
        static final Result NOTHING = new Result(0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * {@link MergeReads#AUTO} reads only live records when the inputs' dead bytes pass this many
     * per index entry. Walking an entry costs ~70 ns; scanning a dead record a probe of the index
     * and its bytes. Measured (README, "One merge"): at 40 dead bytes an entry (16 B values
     * written twice) the walk already saved 45% of the merge's CPU.
     */
    static final long WALK_BYTES_PER_ENTRY = 24;

    /** {@link MergeReads#AUTO} reads a partial run's input through its hint when the data file is this many times the hint's size. */
    static final long HINT_SIZE_RATIO = 2;

    private final MergeHost host;
    private final MergeReads reads;
    private final Path dir;
    private final Path mergeDir;

    public Merger(MergeHost host, MergeReads reads) {
        this.host = host;
        this.reads = reads;
        this.dir = host.directory();
        this.mergeDir = dir.resolve(DirectoryFormat.MERGE_DIR);
    }

    /** Merges every immutable file. */
    public Result run() {
        return run(MergeScope.ALL);
    }

    /** Merges the immutable files {@code scope} picks. */
    public Result run(MergeScope scope) {
        List<DataFile> immutable = host.sealActiveForMerge();
        List<DataFile> inputs = immutable.isEmpty() ? immutable : scope.select(immutable);
        if (inputs.isEmpty()) {
            return Result.NOTHING;
        }
        int[] ids = inputs.stream().mapToInt(DataFile::id).toArray();
        int first = immutable.indexOf(inputs.get(0));
        if (first < 0 || first + ids.length > immutable.size()
                || !immutable.subList(first, first + ids.length).equals(inputs)) {
            throw new IllegalArgumentException("merge scope must pick consecutive immutable files, picked " + Arrays.toString(ids));
        }
        boolean keepDeletes = first > 0;
        MergeInstaller.deleteTree(mergeDir);
        try {
            Files.createDirectories(mergeDir);
        } catch (IOException e) {
            throw new StorageException(mergeDir, "create merge directory", e);
        }
        Output out = new Output(ids, inputs.stream().mapToInt(in -> DataFile.successor(in.handle())).toArray());
        Moves moves = new Moves();
        long before = 0;
        long read = 0;
        try {
            // Taken before the first record is read: what the walk finds is all the copy will
            // look at, so it must be complete (it throws if the engine closes meanwhile).
            LivePlaces listed = !keepDeletes && readsListed(inputs) ? LivePlaces.collect(host, inputs) : null;
            for (int i = 0; i < inputs.size(); i++) {
                DataFile in = inputs.get(i);
                before += in.size();
                if (listed != null) {
                    read += copyListed(in, listed, i, out, moves);
                } else if (keepDeletes) {
                    long hinted = readsHinted(in) ? copyHinted(in, out, moves, ids[0]) : -1;
                    read += hinted >= 0 ? hinted : copyScanned(in, out, moves, ids[0]);
                } else {
                    read += copyScanned(in, out, moves, -1);
                }
            }
            out.finish();
        } catch (RuntimeException e) {
            out.abandon();
            MergeInstaller.deleteTree(mergeDir);
            throw e;
        }
        if (host.closing()) {
            MergeInstaller.deleteTree(mergeDir);
            return Result.NOTHING;
        }
        List<Integer> outputIds = out.ids();
        MergeManifest manifest = new MergeManifest(ids[0], ids[ids.length - 1], outputIds);
        manifest.write(mergeDir);
        // Committed. The outputs open beside the inputs, each under the other handle of its id, and
        // keys move to them in batches while reads and writes go on: moving them in the swap had
        // stopped writers for ~200 ns a key (a million keys, 200 ms).
        List<DataFile> outputs = new ArrayList<>();
        long after = 0;
        for (int id : outputIds) {
            DataFile f = host.openMerged(mergeDir.resolve(DirectoryFormat.dataName(id)), id, out.handleOf(id));
            // Kept tombstones count as live: they are needed while older files stay, and a
            // file of them alone must not look dead to the next merge's scope.
            f.liveBytes().addAndGet(out.tombstoneBytes(id));
            outputs.add(f);
            after += f.size();
        }
        host.addFiles(outputs);
        try {
            moves.applyAll(host, outputs);
        } catch (RuntimeException e) {
            host.refuseMerges("a merge failed while moving keys to its files (" + e + "); the next open installs them");
            throw e;
        }
        List<Integer> inputHandles = inputs.stream().map(DataFile::handle).toList();
        List<DataFile> replaced = new ArrayList<>();
        long[] paused = new long[1];
        // The swap is the file table's alone. The renames come after it, with writes going on:
        // under a heavy write load a rename or unlink waits for the file system's journal (one
        // swap with them inside stopped writers for 519 ms in a 1 KB server round). Nothing the
        // engine runs reads the directory's names meanwhile (a backup takes the merge lock), and
        // a crash before they end leaves MERGE_DONE, so the next open installs them.
        host.exclusively(() -> {
            long pauseStart = System.nanoTime();
            replaced.addAll(host.removeFiles(inputHandles));
            paused[0] = System.nanoTime() - pauseStart;
        });
        try {
            MergeInstaller.moveIntoPlace(dir, mergeDir, manifest);
            for (DataFile f : outputs) {
                f.movedTo(dir.resolve(DirectoryFormat.dataName(f.id())));
            }
        } catch (StorageException e) {
            // The keys are on the outputs already, which stay readable through their open files;
            // the next open finishes the install (MERGE_DONE stays until it ends).
            host.refuseMerges("a merge could not install its files (" + e.getMessage() + "); the next open finishes it");
            replaced.forEach(DataFile::close);
            throw e;
        }
        // Closing the last descriptor of a deleted file frees its blocks and page cache, up to
        // half a second for 2 GB, which writers need not wait for either.
        replaced.forEach(DataFile::close);
        try {
            MergeInstaller.complete(dir, mergeDir);
        } catch (StorageException e) {
            host.refuseMerges("a merge could not sync its installed files (" + e.getMessage()
                    + "); the next open finishes it");
            throw e;
        }
        return new Result(ids.length, outputIds.size(), before, after, moves.count, paused[0], read);
    }

    /** Whether this merge (of a run from the oldest file) reads only the records the index names. */
    private boolean readsListed(List<DataFile> inputs) {
        if (reads == MergeReads.SCAN || inputs.stream().anyMatch(host::leftOut)) {
            return false;
        }
        if (reads == MergeReads.LIVE) {
            return true;
        }
        long dead = 0;
        for (DataFile in : inputs) {
            dead += in.size() - Math.max(0, in.liveBytes().get());
        }
        return dead > WALK_BYTES_PER_ENTRY * host.indexEntries();
    }

    /**
     * Whether this partial merge learns what {@code in}'s records were from its hint, reading
     * from the data file only the live ones. A file known damaged is scanned, so that the merge
     * stops at the damage (as {@link #readsListed} does). {@link MergeReads#AUTO} takes the hint
     * when it is under half the data file: with values not much larger than their keys the hint
     * is nearly the file's size, and reading it and then each live record apart cost more than
     * the scan (16 B values: 0.51 s of CPU against 0.32, README "One merge").
     */
    private boolean readsHinted(DataFile in) {
        if (reads == MergeReads.SCAN || host.leftOut(in)) {
            return false;
        }
        if (reads == MergeReads.LIVE) {
            return true;
        }
        try {
            return Files.size(hintPath(in)) * HINT_SIZE_RATIO < in.size();
        } catch (IOException e) {
            return false;
        }
    }

    private Path hintPath(DataFile in) {
        return dir.resolve(DirectoryFormat.hintName(in.id()));
    }

    /**
     * Copies what of {@code in} a partial merge keeps, as {@link #copyScanned} does, but learns
     * each record's type, key, place and expiry from the file's hint: only the live records are
     * read from the data file, and a dead value is never read (a scan reads and checks every byte
     * of it, the most of a partial merge's reading). Returns the bytes read (hint included), or
     * -1 with nothing written when the hint is missing or fails its check, so the caller scans.
     */
    private long copyHinted(DataFile in, Output out, Moves moves, int firstInput) {
        byte[] hint;
        try {
            hint = Files.readAllBytes(hintPath(in));
        } catch (IOException e) {
            return -1;
        }
        // Checked whole before the first entry acts: a hint that fails half-way must not have
        // written half of its file's records when the scan takes over.
        if (HintCodec.parse(hint, null) != null) {
            return -1;
        }
        RecordScanner scanner = new RecordScanner(in);
        long[] read = {hint.length};
        HintCodec.parse(hint, (type, expiry, offset, size, key, value) -> {
            if (host.closing()) {
                throw new CouloyException("merge abandoned: database closing");
            }
            if (type.holdsState()) {
                Location loc = host.live(type, key);
                if (at(loc, in, offset)) {
                    scanner.seek(offset);
                    if (!scanner.next() || scanner.header().recordSize() != size
                            || scanner.header().type().committed() != type || !Arrays.equals(scanner.key(), key)) {
                        throw unreadableLive(in, offset,
                                scanner.end() != null ? scanner.endReason() : "not the record its hint names");
                    }
                    read[0] += size;
                    copy(in, scanner, type, key, loc.expiry(), out, moves);
                    return;
                }
            }
            keepDelete(type, key, in, offset, expiry, out, firstInput);
        });
        return read[0];
    }

    /**
     * Copies the records of {@code in} that the index named, read where {@code listed} says they
     * are, in file order (the order a scan would copy them in). Returns the bytes read.
     */
    private long copyListed(DataFile in, LivePlaces listed, int input, Output out, Moves moves) {
        RecordScanner scanner = new RecordScanner(in);
        long read = 0;
        for (int j = listed.from(input); j < listed.to(input); j++) {
            long offset = listed.offset(j);
            if (host.closing()) {
                throw new CouloyException("merge abandoned: database closing");
            }
            scanner.seek(offset);
            if (!scanner.next()) {
                throw unreadableLive(in, offset, scanner.endReason());
            }
            read += scanner.header().recordSize();
            RecordType type = scanner.header().type().committed();
            if (type.holdsState()) {
                // Not asked of the index again (that probe was a third of this loop's time):
                // whatever changed since the walk is newer than the copy and wins over it. A move
                // applies only while the index still points at the original; a new expiry or
                // score has a newer record of its own; a key the expiry sweep dropped was copied
                // with that expiry, passed, and stays dropped.
                copy(in, scanner, type, scanner.key(), listed.data(j), out, moves);
            }
        }
        return read;
    }

    /**
     * Reports that the live record the index names at {@code offset} of {@code in} cannot be read,
     * keeps the file out of later merges, and returns the exception that stops this one.
     */
    private CorruptionException unreadableLive(DataFile in, long offset, String reason) {
        String why = "merge stopped: " + in.path().getFileName() + " has no readable record at offset " + offset
                + " (" + reason + "), where the index points";
        host.warnings().accept(why);
        host.leaveOut(in);
        return new CorruptionException(in.path(), offset, why);
    }

    /**
     * Copies what of {@code in} is still needed, reading every record. {@code firstInput} is the
     * lowest input id when older files stay (deletes must then be kept), else -1. Returns the
     * bytes read.
     */
    private long copyScanned(DataFile in, Output out, Moves moves, int firstInput) {
        RecordScanner scanner = new RecordScanner(in);
        while (scanner.next()) {
            if (host.closing()) {
                throw new CouloyException("merge abandoned: database closing");
            }
            RecordType type = scanner.header().type().committed();
            if (type == RecordType.BATCH_COMMIT) {
                continue;
            }
            byte[] key = scanner.key();
            if (type.holdsState() && copyIfLive(in, scanner, type, key, out, moves)) {
                continue;
            }
            if (firstInput >= 0) {
                keepDelete(type, key, in, scanner.offset(), scanner.header().expiry(), out, firstInput);
            }
        }
        if (scanner.end() != RecordScanner.End.CLEAN) {
            // The scan cannot find the records after the damage, yet the index (loaded from the
            // hint) may still point at some: merging the file would drop them with it. This
            // merge stops instead; the file stays as it is until it is repaired.
            String why = "merge stopped: " + in.path().getFileName() + " is unreadable from offset "
                    + scanner.validLength() + " (" + scanner.endReason() + "), and records after it may be live";
            host.warnings().accept(why);
            host.leaveOut(in);
            throw new CorruptionException(in.path(), scanner.validLength(), why);
        }
        return in.size();
    }

    /**
     * Copies the scanner's state record ({@code type}, {@code key}) if the index points at it
     * and it is live, and notes the move; returns whether it did.
     */
    private boolean copyIfLive(DataFile in, RecordScanner scanner, RecordType type, byte[] key, Output out, Moves moves) {
        Location loc = host.live(type, key);
        if (!at(loc, in, scanner.offset())) {
            return false;
        }
        copy(in, scanner, type, key, loc.expiry(), out, moves);
        return true;
    }

    /**
     * Copies the scanner's record with {@code expiry} (for a member, its index data: a score's
     * bits) as the index holds it, and notes the move.
     */
    private static void copy(DataFile in, RecordScanner scanner, RecordType type, byte[] key, long expiry, Output out,
            Moves moves) {
        byte[] value = scanner.value();
        int size = RecordCodec.size(expiry, key.length, value == null ? 0 : value.length);
        long newOffset = out.append(type, key, expiry, value, size);
        moves.add(type == RecordType.MEMBER_PUT, key, in.handle(), scanner.offset(), out.currentHandle(),
                newOffset, size);
    }

    private static boolean at(Location loc, DataFile in, long offset) {
        return loc != null && loc.fileId() == in.handle() && loc.offset() == offset;
    }

    /**
     * Writes what a dropped record of a partial merge must leave behind, if anything (see the
     * class comment): the record of committed {@code type} at {@code offset} of {@code in}, whose
     * header carries {@code expiry}.
     */
    private void keepDelete(RecordType type, byte[] key, DataFile in, long offset, long expiry, Output out, int firstInput) {
        Location indexed = host.indexed(type, key);
        if (type == RecordType.MEMBER_DELETE) {
            if (indexed == null) {
                out.appendTombstone(RecordType.MEMBER_DELETE, key, 0);
            }
            return;
        }
        // An expired entry is absent too, and may point where its record no longer is: an earlier
        // merge dropped it and gave its file id to an output.
        boolean absent = indexed == null || indexed.expiredAt(host.nowMillis());
        switch (type) {
            case PUT, COLLECTION -> {
                // Not copied, so expired if the index points here; else only one with a TTL may be
                // the last word on an absent key (a later record removed any other).
                if (at(indexed, in, offset) || (absent && expiry != 0)) {
                    out.appendTombstone(RecordType.DELETE, key, 0);
                }
            }
            case DELETE -> {
                if (absent) {
                    out.appendTombstone(RecordType.DELETE, key, 0);
                }
            }
            case EXPIRE -> {
                if (absent) {
                    out.appendTombstone(RecordType.DELETE, key, 0);
                } else if (DataFile.idOf(indexed.fileId()) < firstInput) {
                    out.appendTombstone(RecordType.EXPIRE, key, indexed.expiry());
                }
            }
            default -> { }
        }
    }

    /**
     * Output files under merge/, taking the input ids in order; the last id absorbs any overflow.
     * Records are encoded into a buffer written out when full: one write per record had been one
     * system call per live key (a million for a million small keys). Nothing reads an output
     * file before the merge installs it, so buffered bytes need no reader's view.
     */
    private final class Output {
        private static final int BUFFER = 1 << 20;
        private final int[] ids;
        /** The handle each id's output is known by once open: the other one from its input's. */
        private final int[] handles;
        private int index = -1;
        private DataFile file;
        private HintWriter hint;
        private final byte[] buffer = new byte[BUFFER];
        private int buffered;
        private final List<DataFile> done = new ArrayList<>();
        private final long[] tombstoneBytes;

        Output(int[] ids, int[] handles) {
            this.ids = ids;
            this.handles = handles;
            this.tombstoneBytes = new long[ids.length];
        }

        /** Appends a record without a value that a partial merge keeps (DELETE, EXPIRE, MEMBER_DELETE). */
        void appendTombstone(RecordType type, byte[] key, long expiry) {
            int size = RecordCodec.size(expiry, key.length, 0);
            append(type, key, expiry, null, size);
            tombstoneBytes[index] += size;
        }

        long tombstoneBytes(int id) {
            return tombstoneBytes[indexOf(id)];
        }

        int currentHandle() {
            return handles[index];
        }

        int handleOf(int id) {
            return handles[indexOf(id)];
        }

        /** Where output {@code id} (one of the inputs' ids) stands in {@code ids}. */
        private int indexOf(int id) {
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] == id) {
                    return i;
                }
            }
            throw new IllegalArgumentException("no output has id " + id);
        }

        /** Appends the record of {@code size} bytes and returns its offset in the current file. */
        long append(RecordType type, byte[] key, long expiry, byte[] value, int size) {
            long length = file == null ? 0 : file.size() + buffered;
            boolean full = file != null && length + size > host.dataFileSize() && length > 0;
            if (file == null || (full && index + 1 < ids.length)) {
                next();
                length = 0;
            }
            if (length + size > 0xFFFF_FFFFL) {
                throw new CouloyException("merge output file " + file.path() + " would pass 4 GiB");
            }
            if (buffered + size > BUFFER) {
                flush();
            }
            if (size > BUFFER) {
                byte[] record = RecordCodec.encode(type, expiry, key, value);
                file.append(record, 0, record.length);
            } else {
                RecordCodec.encodeInto(buffer, buffered, type, expiry, key, value);
                buffered += size;
            }
            hint.add(type, expiry, length, size, key, value);
            return length;
        }

        private void flush() {
            if (buffered > 0) {
                file.append(buffer, 0, buffered);
                buffered = 0;
            }
        }

        private void next() {
            seal();
            index++;
            file = DataFile.create(mergeDir, ids[index]);
            hint = new HintWriter(mergeDir.resolve(DirectoryFormat.hintTmpName(ids[index])),
                    mergeDir.resolve(DirectoryFormat.hintName(ids[index])));
        }

        private void seal() {
            if (file != null) {
                flush();
                file.force();
                hint.seal();
                file.close();
                done.add(file);
                file = null;
                hint = null;
            }
        }

        void finish() {
            seal();
            DataDirectory.fsync(mergeDir);
        }

        void abandon() {
            if (hint != null) {
                hint.close();
            }
            if (file != null) {
                file.close();
            }
        }

        List<Integer> ids() {
            return done.stream().map(DataFile::id).toList();
        }
    }

    /**
     * Moves, packed: u8 member flag, u32 key length, key, old handle, old offset, new handle, new
     * offset, size. Member record keys may pass 64 KiB, hence the u32.
     */
    private static final class Moves {
        /** Moves per hold of the key directory's write lock: ~200 us of writers waiting. */
        private static final int BATCH = 1024;
        private byte[] buf = new byte[1 << 16];
        private int len;
        long count;

        void add(boolean member, byte[] key, int oldHandle, long oldOffset, int newHandle, long newOffset, int size) {
            int need = 5 + key.length + 4 + 8 + 4 + 8 + 4;
            if (len + need > buf.length) {
                long grown = Math.max((long) buf.length * 2, len + need);
                if (grown > Integer.MAX_VALUE - 16) {
                    throw new CouloyException("merge: too many live keys to move in one merge");
                }
                buf = Arrays.copyOf(buf, (int) grown);
            }
            buf[len] = (byte) (member ? 1 : 0);
            LittleEndian.putInt(buf, len + 1, key.length);
            System.arraycopy(key, 0, buf, len + 5, key.length);
            int p = len + 5 + key.length;
            LittleEndian.putInt(buf, p, oldHandle);
            LittleEndian.putLong(buf, p + 4, oldOffset);
            LittleEndian.putInt(buf, p + 12, newHandle);
            LittleEndian.putLong(buf, p + 16, newOffset);
            LittleEndian.putInt(buf, p + 24, size);
            len = p + 28;
            count++;
        }

        /**
         * Points each key or member that the index still has at its old place at its copy. Keys
         * move a batch at a time under the key directory's write lock, so a writer waits for one
         * batch, not all; members under their collection's lock alone. A key written meanwhile
         * keeps its newer place.
         */
        void applyAll(MergeHost host, List<DataFile> outputs) {
            int[] p = {0};
            while (p[0] < len) {
                if (buf[p[0]] == 1) {
                    p[0] = apply(null, host, outputs, p[0]);
                } else {
                    host.keyDir().write(m -> {
                        for (int n = 0; n < BATCH && p[0] < len && buf[p[0]] == 0; n++) {
                            p[0] = apply(m, host, outputs, p[0]);
                        }
                    });
                }
            }
        }

        /** Applies the move at {@code p} (a key's with {@code m}, a member's without); returns the next one's position. */
        private int apply(KeyDir.Mutator m, MergeHost host, List<DataFile> outputs, int p) {
            boolean member = buf[p] == 1;
            int kl = LittleEndian.getInt(buf, p + 1);
            byte[] key = Arrays.copyOfRange(buf, p + 5, p + 5 + kl);
            int q = p + 5 + kl;
            int oldHandle = LittleEndian.getInt(buf, q);
            long oldOffset = LittleEndian.getLong(buf, q + 4);
            int newHandle = LittleEndian.getInt(buf, q + 12);
            long newOffset = LittleEndian.getLong(buf, q + 16);
            int size = LittleEndian.getInt(buf, q + 24);
            boolean moved = member ? host.moveMember(key, oldHandle, oldOffset, newHandle, newOffset, size)
                    : m.moveIfAt(key, oldHandle, oldOffset, newHandle, newOffset, size);
            if (moved) {
                for (DataFile f : outputs) {
                    if (f.handle() == newHandle) {
                        f.liveBytes().addAndGet(size);
                        break;
                    }
                }
            }
            return q + 28;
        }
    }
}
