package io.couloy.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * How a database is opened. Immutable; build with {@link #builder(Path)}.
 *
 * @param directory the data directory; created if absent (never a silent temporary directory)
 * @param dataFileSize the active data file rotates once it would pass this size; default 256 MiB,
 *     4 KiB to 2 GiB. Larger files mean fewer files and hints; smaller ones let merge reclaim
 *     space in smaller steps
 * @param indexType the key directory's shape; default {@link IndexType#HASH}
 * @param syncPolicy when writes are fsynced; default {@link SyncPolicy#EVERY_SECOND}, Redis's
 *     {@code appendfsync everysec}
 * @param bytesPerSync if above 0, a background fsync starts each time this many bytes were written
 *     since the last one, to keep the OS from building up a long write-back burst; default 0 (off)
 * @param mmapReads read through read-only memory maps (whole immutable files, and the active
 *     file in 4 MiB chunks once written) instead of positioned reads; default true. A read is then
 *     a memory copy instead of a system call (about 1.6x the gets per second). The maps share the
 *     OS page cache, so they cost address space, not heap
 * @param mergeDeadRatio automatic merge runs when some run of consecutive immutable files has
 *     at least this share of dead bytes, and rewrites the run that has the most dead bytes beyond
 *     that share (mostly live files, such as an earlier merge's output, stay); default 0.5
 * @param mergeMinFiles ... and there are at least this many immutable files; default 2
 * @param mergeReads how a merge finds its inputs' live records; default {@link MergeReads#AUTO}
 * @param mergeInterval how often the trigger is checked; default 1 minute, {@link Duration#ZERO}
 *     turns automatic merge off ({@link CouloyDB#merge()} still works)
 * @param readOnly open without the write lock's exclusivity and refuse writes; default false
 * @param maxKeySize largest key in bytes; default and ceiling 65535
 * @param maxValueSize largest value in bytes; default 512 MiB, Redis's proto-max-bulk-len
 * @param clock the time source for expiry; default the system clock. Tests may supply their own
 * @param scriptTimeLimit how long a Lua script may run before it is stopped with an error
 *     (its writes so far stay, as in Redis); default 5 seconds, Redis's lua-time-limit
 * @param deferredWrites a write returns once its record is in memory (readers see it at once);
 *     the records gathered go to the active file in one system call at {@link
 *     CouloyDB#flushWrites()}, or when 1 MiB gathers, a 4 MiB chunk fills, or a second passes.
 *     A process crash loses what was not flushed, so the caller flushes before it tells anyone a
 *     write happened — as Redis writes its AOF buffer before it sends replies. Default false:
 *     every write reaches the file before it returns. Has no effect under {@link
 *     SyncPolicy#ALWAYS} (a write waits for its fsync anyway) or without {@code mmapReads}
 */
public record Options(
        Path directory,
        long dataFileSize,
        IndexType indexType,
        SyncPolicy syncPolicy,
        long bytesPerSync,
        boolean mmapReads,
        double mergeDeadRatio,
        int mergeMinFiles,
        MergeReads mergeReads,
        Duration mergeInterval,
        boolean readOnly,
        int maxKeySize,
        int maxValueSize,
        InstantSource clock,
        Duration scriptTimeLimit,
        boolean deferredWrites) {

    public static final long MIN_DATA_FILE_SIZE = 4 * 1024;
    public static final long MAX_DATA_FILE_SIZE = 2L * 1024 * 1024 * 1024;
    public static final int MAX_KEY_SIZE = 0xFFFF;

    /** Validates every field; see {@link Builder} for the rules. */
    public Options {
        Objects.requireNonNull(directory, "directory must be set");
        Objects.requireNonNull(indexType, "indexType must not be null");
        Objects.requireNonNull(syncPolicy, "syncPolicy must not be null");
        Objects.requireNonNull(mergeReads, "mergeReads must not be null");
        Objects.requireNonNull(mergeInterval, "mergeInterval must not be null");
        Objects.requireNonNull(clock, "clock must not be null");
        Objects.requireNonNull(scriptTimeLimit, "scriptTimeLimit must not be null");
        require(scriptTimeLimit.toMillis() > 0, "scriptTimeLimit must be at least a millisecond");
        require(dataFileSize >= MIN_DATA_FILE_SIZE && dataFileSize <= MAX_DATA_FILE_SIZE,
                "dataFileSize must be between 4 KiB and 2 GiB, was " + dataFileSize);
        require(bytesPerSync >= 0, "bytesPerSync must be >= 0, was " + bytesPerSync);
        require(mergeDeadRatio > 0 && mergeDeadRatio <= 1, "mergeDeadRatio must be in (0, 1], was " + mergeDeadRatio);
        require(mergeMinFiles >= 1, "mergeMinFiles must be >= 1, was " + mergeMinFiles);
        require(!mergeInterval.isNegative(), "mergeInterval must not be negative");
        require(maxKeySize >= 1 && maxKeySize <= MAX_KEY_SIZE, "maxKeySize must be between 1 and 65535, was " + maxKeySize);
        require(maxValueSize >= 0, "maxValueSize must be >= 0, was " + maxValueSize);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** A builder with every default, for the data directory {@code directory}. */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder(directory);
        b.dataFileSize = dataFileSize;
        b.indexType = indexType;
        b.syncPolicy = syncPolicy;
        b.bytesPerSync = bytesPerSync;
        b.mmapReads = mmapReads;
        b.mergeDeadRatio = mergeDeadRatio;
        b.mergeMinFiles = mergeMinFiles;
        b.mergeReads = mergeReads;
        b.mergeInterval = mergeInterval;
        b.readOnly = readOnly;
        b.maxKeySize = maxKeySize;
        b.maxValueSize = maxValueSize;
        b.clock = clock;
        b.scriptTimeLimit = scriptTimeLimit;
        b.deferredWrites = deferredWrites;
        return b;
    }

    /** Fluent builder; {@link #build()} validates. Defaults are those documented on {@link Options}. */
    public static final class Builder {
        private final Path directory;
        private long dataFileSize = 256L * 1024 * 1024;
        private IndexType indexType = IndexType.HASH;
        private SyncPolicy syncPolicy = SyncPolicy.EVERY_SECOND;
        private long bytesPerSync;
        private boolean mmapReads = true;
        private double mergeDeadRatio = 0.5;
        private int mergeMinFiles = 2;
        private MergeReads mergeReads = MergeReads.AUTO;
        private Duration mergeInterval = Duration.ofMinutes(1);
        private boolean readOnly;
        private int maxKeySize = MAX_KEY_SIZE;
        private int maxValueSize = 512 * 1024 * 1024;
        private InstantSource clock = InstantSource.system();
        private Duration scriptTimeLimit = Duration.ofSeconds(5);
        private boolean deferredWrites;

        private Builder(Path directory) {
            this.directory = directory;
        }

        public Builder dataFileSize(long bytes) {
            this.dataFileSize = bytes;
            return this;
        }

        public Builder indexType(IndexType type) {
            this.indexType = type;
            return this;
        }

        public Builder syncPolicy(SyncPolicy policy) {
            this.syncPolicy = policy;
            return this;
        }

        public Builder bytesPerSync(long bytes) {
            this.bytesPerSync = bytes;
            return this;
        }

        public Builder mmapReads(boolean on) {
            this.mmapReads = on;
            return this;
        }

        public Builder mergeDeadRatio(double ratio) {
            this.mergeDeadRatio = ratio;
            return this;
        }

        public Builder mergeMinFiles(int files) {
            this.mergeMinFiles = files;
            return this;
        }

        public Builder mergeReads(MergeReads reads) {
            this.mergeReads = reads;
            return this;
        }

        public Builder mergeInterval(Duration interval) {
            this.mergeInterval = interval;
            return this;
        }

        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        public Builder maxKeySize(int bytes) {
            this.maxKeySize = bytes;
            return this;
        }

        public Builder maxValueSize(int bytes) {
            this.maxValueSize = bytes;
            return this;
        }

        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        public Builder scriptTimeLimit(Duration limit) {
            this.scriptTimeLimit = limit;
            return this;
        }

        public Builder deferredWrites(boolean on) {
            this.deferredWrites = on;
            return this;
        }

        /** Validates and returns the options; throws {@link IllegalArgumentException} naming the bad field. */
        public Options build() {
            return new Options(directory, dataFileSize, indexType, syncPolicy, bytesPerSync, mmapReads,
                    mergeDeadRatio, mergeMinFiles, mergeReads, mergeInterval, readOnly, maxKeySize, maxValueSize, clock,
                    scriptTimeLimit, deferredWrites);
        }
    }
}
