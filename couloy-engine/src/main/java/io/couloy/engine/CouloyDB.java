package io.couloy.engine;

import io.couloy.engine.format.CollectionHeader;
import io.couloy.engine.format.DirectoryFormat;
import io.couloy.engine.format.KeyText;
import io.couloy.engine.format.MalformedRecordException;
import io.couloy.engine.format.MemberKey;
import io.couloy.engine.format.RecordCodec;
import io.couloy.engine.format.RecordType;
import io.couloy.engine.keydir.KeyDir;
import io.couloy.engine.keydir.Location;
import io.couloy.engine.log.DataDirectory;
import io.couloy.engine.log.DataFile;
import io.couloy.engine.log.FileTable;
import io.couloy.engine.log.GroupCommit;
import io.couloy.engine.log.HintWriter;
import io.couloy.engine.merge.MergeHost;
import io.couloy.engine.merge.MergeInstaller;
import io.couloy.engine.merge.MergeScope;
import io.couloy.engine.merge.Merger;
import io.couloy.engine.recovery.Recovery;
import io.couloy.engine.script.CommandCaller;
import io.couloy.engine.script.EngineCommands;
import io.couloy.engine.script.LuaSandbox;
import io.couloy.engine.txn.ConflictTracker;
import io.couloy.engine.types.Catalog;
import io.couloy.engine.types.Collection;
import io.couloy.engine.types.ListIndex;
import io.couloy.engine.watch.ChangeFeed;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded key-value store on the Bitcask model: every write is one append to the active data
 * file, an in-memory key directory points at each live key's latest record, and a read is one
 * positioned read.
 *
 * <pre>{@code
 * try (CouloyDB db = CouloyDB.open(Options.builder(Path.of("data")).build())) {
 *     db.put(key, value);
 *     byte[] v = db.get(key);   // null if absent
 * }
 * }</pre>
 *
 * <p>Thread-safe. Reads run in parallel with each other and with writes; writes are serialised
 * on the log. Keys and values are arbitrary byte arrays (empty values allowed); arrays passed in
 * are not kept, arrays returned are the caller's.
 */
public final class CouloyDB implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CouloyDB.class);
    private static final int READ_RETRIES = 10_000;
    /** Longest hash field or set member: member indexes store lengths in 16 bits. */
    static final int MAX_MEMBER = 0xFFFF;

    private enum State { OPEN, CLOSING, CLOSED }

    private final Options options;
    private final Path dir;
    private final DataDirectory directory;
    private final KeyDir keyDir;
    private final FileTable files = new FileTable();
    // The typed facades hold nothing but this instance: one each, not one per call.
    private final Hashes hashes = new Hashes(this);
    private final Strings strings = new Strings(this);
    private final HyperLogLogs hyperLogLogs = new HyperLogLogs(this);
    private final Lists lists = new Lists(this);
    private final ZSets zsets = new ZSets(this);
    private final Sets sets = new Sets(this);
    /** Bound once: a method reference to an instance method is a new object wherever it is written. */
    private final java.util.function.Consumer<Location> markDead = this::markDead;
    private final java.util.function.BiConsumer<byte[], KeyEvent.Kind> changed = this::changed;
    private final ReentrantLock writeLock = new io.couloy.engine.log.WriteLock();
    private final ReentrantLock mergeLock = new ReentrantLock();
    private final MergeScope mergeScope;
    /** Ids of files a merge or recovery could not read through (damaged records): the automatic merge leaves them be. */
    private final Set<Integer> unmergeable = ConcurrentHashMap.newKeySet();
    private final GroupCommit groupCommit;
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final ConflictTracker tracker = new ConflictTracker();
    private final ChangeFeed feed = new ChangeFeed();
    private final Catalog catalog = new Catalog();
    private final LuaSandbox scripts = new LuaSandbox();
    private volatile DataFile active;
    private HintWriter activeHint;
    /** Non-null while a transaction's queued operations commit as one group (under the write lock). */
    private Group group;
    private long bytesSinceSync;
    /** Odd while a merge swaps files: a read that fails then is retried, not reported as corruption. */
    private volatile long swapEpoch;
    private volatile State state = State.OPEN;
    private final ScheduledExecutorService background;
    private final ExecutorService merges;
    /** Syncs and seals rotated files off the write path, unless the policy is ALWAYS. */
    private final ExecutorService sealer;

    private CouloyDB(Options options) {
        this.options = options;
        this.mergeScope = MergeScope.fragmented(options.mergeDeadRatio(), f -> unmergeable.contains(f.id()));
        this.dir = options.directory().toAbsolutePath();
        this.directory = DataDirectory.open(dir, options.readOnly());
        this.groupCommit = new GroupCommit(() -> active, "couloy-sync " + dir.getFileName());
        try {
            this.keyDir = KeyDir.create(options.indexType());
            if (!options.readOnly()) {
                MergeInstaller.installOrDiscard(dir);
            }
            long start = System.nanoTime();
            Recovery.Result recovered = Recovery.run(dir, directory.dataFileIds(), keyDir, catalog,
                    options.readOnly(), now());
            recovered.files().values().forEach(files::put);
            warnings.addAll(recovered.warnings());
            // A merge must not drop what the index could not learn of: those files stay as they are.
            unmergeable.addAll(recovered.damaged());
            for (DataFile f : files.all()) {
                if (options.mmapReads()) {
                    f.mapForReads();
                }
            }
            if (!options.readOnly()) {
                openNewActive(recovered.files().isEmpty() ? 1 : recovered.files().lastKey() + 1);
            }
            LOG.info("opened {}: {} keys in {} files in {} ms", dir, keyDir.size(), files.all().size(),
                    (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException e) {
            files.all().forEach(DataFile::close);
            groupCommit.close();
            directory.close();
            throw e;
        }
        this.background = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "couloy-background"));
        this.merges = Executors.newSingleThreadExecutor(r -> daemon(r, "couloy-merge"));
        this.sealer = Executors.newSingleThreadExecutor(r -> daemon(r, "couloy-seal"));
        if (!options.readOnly()) {
            scheduleBackground();
        }
    }

    /**
     * Opens (creating if needed) the database in {@code options.directory()}.
     *
     * @throws DatabaseLockedException if another process or instance has it open
     * @throws FormatException if the directory is not a CouloyDB directory or of another format version
     */
    public static CouloyDB open(Options options) {
        return new CouloyDB(Objects.requireNonNull(options, "options"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void scheduleBackground() {
        if (options.syncPolicy() == SyncPolicy.EVERY_SECOND) {
            background.scheduleWithFixedDelay(() -> quietly("periodic sync", () -> {
                flushWrites(); // deferred records nobody flushed wait at most this long
                groupCommit.syncNow();
            }), 1, 1, TimeUnit.SECONDS);
        } else if (deferring()) {
            background.scheduleWithFixedDelay(() -> quietly("periodic flush", this::flushWrites), 1, 1, TimeUnit.SECONDS);
        }
        background.scheduleWithFixedDelay(() -> quietly("expiry sweep", this::sweepExpired), 100, 100, TimeUnit.MILLISECONDS);
        Duration every = options.mergeInterval();
        if (!every.isZero()) {
            background.scheduleWithFixedDelay(() -> quietly("merge trigger", this::maybeMerge),
                    every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void quietly(String what, Runnable task) {
        if (state != State.OPEN) {
            return;
        }
        try {
            task.run();
        } catch (RuntimeException e) {
            if (state == State.OPEN) {
                LOG.warn("{} failed", what, e);
            }
        }
    }

    private long now() {
        return options.clock().millis();
    }

    /**
     * Whether {@code loc} has passed its expiry. Reads the clock only for a key that has one: a
     * clock read is ~20 ns, and most look-ups (every typed write, most reads) are of keys without.
     */
    private boolean expired(Location loc) {
        return expired(loc.expiry());
    }

    private boolean expired(long expiry) {
        return expiry != 0 && expiry <= now();
    }

    // ------------------------------------------------------------------ reads

    /**
     * The value of string key {@code key}, or null if absent or expired. An empty value is an
     * empty array.
     *
     * @throws WrongTypeException if the key holds a collection
     */
    public byte[] get(byte[] key) {
        requireKey(key);
        return read(keyDir, key, key, false, key);
    }

    /**
     * Reads the record that {@code index} holds for {@code indexKey}, whose record key is
     * {@code recordKey}: a string value ({@code member} false) or a member's value. Retries when
     * a write or merge moved the record between the look-up and the read; a record that stays
     * unreadable where the index still points is corruption.
     */
    private byte[] read(KeyDir index, byte[] indexKey, byte[] recordKey, boolean member, byte[] userKey) {
        for (int attempt = 0; ; attempt++) {
            ensureOpen();
            long epoch = swapEpoch;
            Location loc = index.get(indexKey);
            // A member's "expiry" is index data (a score); its collection's expiry was checked.
            if (loc == null || (!member && expired(loc))) {
                return null;
            }
            byte[] value = readValue(loc, recordKey, member);
            if (value != null) {
                return value;
            }
            if ((epoch & 1) == 0 && swapEpoch == epoch && loc.equals(index.get(indexKey)) && files.get(loc.fileId()) != null) {
                Collection c = member ? null : catalog.get(userKey);
                if (c != null) {
                    throw new WrongTypeException(userKey, KeyType.ofCode(c.kind()), KeyType.STRING);
                }
                throw new CorruptionException(dir.resolve(DirectoryFormat.dataName(DataFile.idOf(loc.fileId()))), loc.offset(),
                        "record of key " + printable(userKey) + " fails its checksum or names another key");
            }
            if ((swapEpoch & 1) == 1) {
                // A merge is swapping files; wait for it rather than spin, and do not count it.
                LockSupport.parkNanos(50_000);
                attempt--;
            } else if (attempt > READ_RETRIES) {
                throw new CouloyException("read of key " + printable(userKey) + " kept racing concurrent writes");
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * Reads and checks the record at {@code loc}: a string's PUT, or a member's MEMBER_PUT if
     * {@code member}, of record key {@code key}. Null if it is not there (moved, closed, damaged,
     * of another type).
     */
    /** Records up to this size are read by copying them whole ({@link #readValue}). */
    private static final int SMALL_RECORD = 4096;

    private byte[] readValue(Location loc, byte[] key, boolean member) {
        DataFile f = files.get(loc.fileId());
        if (f == null) {
            return null;
        }
        // A small record is copied out whole and checked in the array; a large one is checked in
        // the map, so its value is copied once, not twice. Checking a small one in the map cost
        // a segment, a ByteBuffer view and a header copy per read: LRANGE's largest cost.
        MemorySegment mapped = loc.size() > SMALL_RECORD ? f.mappedSlice(loc.offset(), loc.size()) : null;
        if (mapped != null) {
            try {
                return RecordCodec.valueIfMatches(mapped, key, member);
            } catch (IllegalStateException unmapped) {
                // the map was closed meanwhile (sealed or merged away): read as below
            }
        }
        byte[] record;
        try {
            record = new byte[loc.size()];
            if (f.readFully(loc.offset(), record, 0, record.length) != record.length) {
                return null;
            }
        } catch (DataFile.ClosedException e) {
            return null;
        }
        return valueInRecord(record, 0, record.length, key, member);
    }

    /** Whether {@code key} is present and not expired. Touches no file. */
    public boolean exists(byte[] key) {
        requireKey(key);
        ensureOpen();
        Location loc = keyDir.get(key);
        return loc != null && !expired(loc);
    }

    /**
     * Remaining time to live of {@code key} in milliseconds, with Redis's codes: -2 if the key
     * does not exist, -1 if it has no expiry.
     */
    public long ttl(byte[] key) {
        requireKey(key);
        ensureOpen();
        Location loc = keyDir.get(key);
        long now = now();
        if (loc == null || loc.expiredAt(now)) {
            return -2;
        }
        return loc.expiry() == 0 ? -1 : loc.expiry() - now;
    }

    /** An iterator over the keys {@code options} selects; see {@link EntryIterator} for what it sees. */
    public EntryIterator iterator(IteratorOptions options) {
        ensureOpen();
        return new EntryIterator(this, keyDir, Objects.requireNonNull(options, "options"));
    }

    /** Visits entries in iterator order until {@code visitor} returns false. */
    public void fold(IteratorOptions options, BiPredicate<byte[], byte[]> visitor) {
        try (EntryIterator it = iterator(options)) {
            while (it.hasNext()) {
                Entry e = it.next();
                if (!visitor.test(e.key(), e.value())) {
                    return;
                }
            }
        }
    }

    /** One step of {@link #scan}: the keys found and the cursor to pass next (0: the scan is complete). */
    public record ScanResult(long cursor, List<byte[]> keys) {}

    /**
     * Redis's SCAN over keys: start with cursor 0 and pass each returned cursor back until it
     * is 0 again. A key present for the whole scan is returned at least once (possibly more,
     * if the index was resized meanwhile); keys written during the scan may or may not be.
     * {@code count} is a hint of how much work a step does; {@code match} (null: all) is a
     * {@link GlobPattern}, applied after the keys are collected, as in Redis.
     */
    public ScanResult scan(long cursor, int count, GlobPattern match) {
        return scan(cursor, count, match, null);
    }

    /** As {@link #scan(long, int, GlobPattern)}, keeping only keys of {@code type} (null: any), as SCAN ... TYPE does. */
    public ScanResult scan(long cursor, int count, GlobPattern match, KeyType type) {
        ensureOpen();
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive, was " + count);
        }
        List<byte[]> found = new ArrayList<>();
        long next = keyDir.scan(cursor, count, found::add);
        long now = now();
        // Filtered after the directory's lock is released: looking keys up under it could wait
        // behind a queued writer that waits for us.
        found.removeIf(key -> (match != null && !match.matchesAll() && !match.matches(key)) || !live(key, now)
                || (type != null && type(key) != type));
        return new ScanResult(next, found);
    }

    private boolean live(byte[] key, long now) {
        Location loc = keyDir.get(key);
        return loc != null && !loc.expiredAt(now);
    }

    /** Every live key, in ascending order. */
    public List<byte[]> keys() {
        List<byte[]> out = new ArrayList<>();
        fold(new IteratorOptions(null, null, null, false, true), (k, v) -> out.add(k));
        return out;
    }

    // ------------------------------------------------------------------ writes

    /** Sets {@code key} to {@code value}, clearing any expiry. */
    public void put(byte[] key, byte[] value) {
        putRecord(key, value, 0);
    }

    /** Sets {@code key} to {@code value}, expiring after {@code ttl} (which must be positive). */
    public void put(byte[] key, byte[] value, Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, was " + ttl);
        }
        putRecord(key, value, expiryAfter(ttl));
    }

    private long expiryAfter(Duration ttl) {
        return Math.addExact(now(), Math.max(1, ttl.toMillis()));
    }

    /** Whether this thread is running a commit group's ops: plain writes then join the group. */
    private boolean inGroup() {
        return writeLock.isHeldByCurrentThread() && group != null;
    }

    private void putRecord(byte[] key, byte[] value, long expiry) {
        requireKey(key);
        requireValue(value);
        if (inGroup()) {
            mutate(m -> {
                putString(m, key, value, expiry);
                return null;
            });
            return;
        }
        byte[] record = RecordCodec.encode(RecordType.PUT, expiry, key, value);
        long sequence;
        writeLock.lock();
        try {
            ensureWritable();
            long offset = append(record);
            DataFile file = active;
            activeHint.add(RecordType.PUT, expiry, offset, record.length, key);
            file.liveBytes().addAndGet(record.length);
            Location before = keyDir.putOne(key, file.handle(), offset, record.length, expiry);
            markDead(before);
            forgetCollection(key);
            changed(key, KeyEvent.Kind.SET);
            sequence = groupCommit.appended(record.length);
        } finally {
            writeLock.unlock();
        }
        afterWrite(sequence);
    }

    /** Deletes {@code key}; returns whether it existed (an expired key did not). */
    public boolean delete(byte[] key) {
        requireKey(key);
        if (inGroup()) {
            return mutate(m -> {
                if (type(key) == null) {
                    return false;
                }
                deleteKey(m, key);
                return true;
            });
        }
        long sequence;
        writeLock.lock();
        try {
            ensureWritable();
            Location loc = keyDir.get(key);
            if (loc == null) {
                return false;
            }
            if (expired(loc)) {
                // Its record already reads as gone on recovery: no tombstone needed.
                removeFromKeyDir(key);
                changed(key, KeyEvent.Kind.EXPIRED);
                return false;
            }
            byte[] record = RecordCodec.encode(RecordType.DELETE, 0, key, null);
            long offset = append(record);
            activeHint.add(RecordType.DELETE, 0, offset, record.length, key);
            removeFromKeyDir(key);
            changed(key, KeyEvent.Kind.DELETED);
            sequence = groupCommit.appended(record.length);
        } finally {
            writeLock.unlock();
        }
        afterWrite(sequence);
        return true;
    }

    /** Drops {@code key}'s directory entry, and the collection it held, if any. */
    private void removeFromKeyDir(byte[] key) {
        markDead(keyDir.removeOne(key));
        forgetCollection(key);
    }

    /**
     * After {@code key}'s directory entry was replaced or removed (under the write lock): the
     * collection it held, if any, is gone. The catalog changes after the directory, so a reader
     * that finds the key in the directory finds its collection.
     */
    private void forgetCollection(byte[] key) {
        Collection gone = catalog.remove(key);
        if (gone != null) {
            retire(gone);
        }
    }

    /**
     * Bytes of native memory (outside the Java heap) the engine holds for the in-memory indexes
     * of every database open in this JVM: today, the full pages of long lists. What the heap
     * figures do not show of the process's memory.
     */
    public static long nativeMemoryBytes() {
        return ListIndex.nativeBytes();
    }

    /**
     * Counts a dropped collection's member records as dead and frees its index's native memory,
     * off the caller's thread: deleting a collection of any size costs the caller O(1). The
     * records themselves go at the next merge.
     */
    private void retire(Collection c) {
        if (c.size() == 0) {
            c.release();
            return;
        }
        try {
            background.execute(() -> {
                c.members().forEach((member, loc) -> markDead(loc));
                c.release();
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            c.release(); // closing: the counts are rebuilt on the next open
        }
    }

    /**
     * Sets {@code key} to expire after {@code ttl}; a zero or negative ttl deletes it, as Redis's
     * EXPIRE does. Returns whether the key existed. The value is not rewritten.
     */
    public boolean expire(byte[] key, Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            return delete(key);
        }
        return changeExpiry(key, expiryAfter(ttl));
    }

    /** Sets {@code key} to expire at {@code unixMillis}; a time in the past deletes it. Returns whether it existed. */
    public boolean expireAt(byte[] key, long unixMillis) {
        if (unixMillis <= now()) {
            return delete(key);
        }
        return changeExpiry(key, unixMillis);
    }

    /** Removes {@code key}'s expiry; returns false if it has none or does not exist (Redis's PERSIST). */
    public boolean persist(byte[] key) {
        requireKey(key);
        Location loc = keyDir.get(key);
        if (loc == null || loc.expiry() == 0 || expired(loc)) {
            return false;
        }
        return changeExpiry(key, 0);
    }

    private boolean changeExpiry(byte[] key, long expiry) {
        requireKey(key);
        if (inGroup()) {
            return mutate(m -> {
                Location loc = keyDir.get(key);
                if (loc == null || expired(loc) || (expiry == 0 && loc.expiry() == 0)) {
                    return false;
                }
                setExpiry(m, key, expiry);
                return true;
            });
        }
        long sequence;
        writeLock.lock();
        try {
            ensureWritable();
            Location loc = keyDir.get(key);
            if (loc == null || expired(loc) || (expiry == 0 && loc.expiry() == 0)) {
                return false;
            }
            byte[] record = RecordCodec.encode(RecordType.EXPIRE, expiry, key, null);
            long offset = append(record);
            activeHint.add(RecordType.EXPIRE, expiry, offset, record.length, key);
            keyDir.write(m -> m.setExpiry(key, expiry));
            changed(key, KeyEvent.Kind.EXPIRE);
            sequence = groupCommit.appended(record.length);
        } finally {
            writeLock.unlock();
        }
        afterWrite(sequence);
        return true;
    }

    /**
     * Applies every operation of {@code batch} or none: one append, one commit record, and the
     * key directory changes become visible to readers at once.
     */
    public void write(WriteBatch batch) {
        write(batch, null);
    }

    /**
     * Applies {@code batch} only if no key of {@code watch} changed (checked atomically with the
     * write, as Redis's EXEC checks WATCH); returns false, writing nothing, if one did. A null
     * watch always applies.
     */
    public boolean write(WriteBatch batch, KeyWatch watch) {
        Objects.requireNonNull(batch, "batch");
        if (inGroup()) {
            if (watch != null && watch.changed()) {
                return false;
            }
            for (WriteBatch.Op op : batch.ops()) {
                validate(op);
            }
            mutate(m -> {
                applyBatchOps(m, batch.ops());
                return null;
            });
            return true;
        }
        List<WriteBatch.Op> ops = batch.ops();
        long[] expiries = new long[ops.size()];
        int total = RecordCodec.size(0, 0, 0);
        for (int i = 0; i < ops.size(); i++) {
            WriteBatch.Op op = ops.get(i);
            validate(op);
            if (op.ttl() != null) {
                expiries[i] = expiryAfter(op.ttl());
            }
            total = Math.addExact(total, RecordCodec.size(expiries[i], op.key().length,
                    op.isDelete() ? 0 : op.value().length));
        }
        byte[] bytes = new byte[total];
        int[] starts = new int[ops.size() + 1]; // starts[n]: where the commit record begins
        for (int i = 0; i < ops.size(); i++) {
            WriteBatch.Op op = ops.get(i);
            starts[i + 1] = RecordCodec.encodeInto(bytes, starts[i],
                    op.isDelete() ? RecordType.BATCH_DELETE : RecordType.BATCH_PUT, expiries[i], op.key(), op.value());
        }
        RecordCodec.encodeInto(bytes, starts[ops.size()], RecordType.BATCH_COMMIT, 0, new byte[0], null);
        long sequence;
        writeLock.lock();
        try {
            ensureWritable();
            if (watch != null && watch.changed()) {
                return false;
            }
            if (ops.isEmpty()) {
                return true;
            }
            long base = append(bytes);
            DataFile file = active;
            List<Location> dead = new ArrayList<>();
            keyDir.write(m -> {
                for (int i = 0; i < ops.size(); i++) {
                    WriteBatch.Op op = ops.get(i);
                    int size = starts[i + 1] - starts[i];
                    long offset = base + starts[i];
                    if (op.isDelete()) {
                        dead.add(m.remove(op.key()));
                        activeHint.add(RecordType.DELETE, 0, offset, size, op.key());
                    } else {
                        dead.add(m.put(op.key(), file.handle(), offset, size, expiries[i]));
                        file.liveBytes().addAndGet(size);
                        activeHint.add(RecordType.PUT, expiries[i], offset, size, op.key());
                    }
                }
            });
            dead.forEach(this::markDead);
            for (WriteBatch.Op op : ops) {
                forgetCollection(op.key());
                changed(op.key(), op.isDelete() ? KeyEvent.Kind.DELETED : KeyEvent.Kind.SET);
            }
            sequence = groupCommit.appended(bytes.length);
        } finally {
            writeLock.unlock();
        }
        afterWrite(sequence);
        return true;
    }

    /** Inside {@link #mutate}: stages a batch's puts and deletes. */
    void applyBatchOps(Mutation m, List<WriteBatch.Op> ops) {
        // Staged records are not visible to the checks below, so only each key's last op counts.
        java.util.LinkedHashMap<ByteKey, WriteBatch.Op> last = new java.util.LinkedHashMap<>();
        for (WriteBatch.Op op : ops) {
            last.remove(new ByteKey(op.key()));
            last.put(new ByteKey(op.key()), op);
        }
        for (WriteBatch.Op op : last.values()) {
            if (op.isDelete()) {
                if (type(op.key()) != null) {
                    deleteKey(m, op.key());
                }
            } else {
                putString(m, op.key(), op.value(), op.ttl() == null ? 0 : expiryAfter(op.ttl()));
            }
        }
    }

    /** Checks one batch or transaction operation before anything is written. */
    void validate(WriteBatch.Op op) {
        requireKey(op.key());
        if (!op.isDelete()) {
            requireValue(op.value());
            if (op.ttl() != null && (op.ttl().isNegative() || op.ttl().isZero())) {
                throw new IllegalArgumentException("ttl must be positive, was " + op.ttl());
            }
        }
    }

    // ------------------------------------------------------------------ collections (for the type APIs)

    /** What {@code key} holds, or null if it does not exist or has expired (Redis's TYPE). */
    public KeyType type(byte[] key) {
        requireKey(key);
        ensureOpen();
        Location loc = keyDir.get(key);
        if (loc == null || expired(loc)) {
            return null;
        }
        Collection c = catalog.get(key);
        return c == null ? KeyType.STRING : KeyType.ofCode(c.kind());
    }

    /**
     * RENAME / COPY: gives {@code destination} the value of {@code source} (any type, expiry
     * included), replacing what it held unless {@code onlyIfAbsent}; removes the source unless
     * {@code keepSource}. Atomic: one record group. A string costs one record; a collection is
     * copied member by member (O(n), where Redis's RENAME is O(1)).
     *
     * @return false if the source does not exist or {@code onlyIfAbsent} and the destination does
     */
    public boolean copy(byte[] source, byte[] destination, boolean onlyIfAbsent, boolean keepSource) {
        requireKey(source);
        requireKey(destination);
        return mutate(m -> {
            KeyType type = type(source);
            if (type == null || (onlyIfAbsent && type(destination) != null)) {
                return false;
            }
            if (Arrays.equals(source, destination)) {
                return true;
            }
            long expiry = expiryOf(source);
            if (type == KeyType.STRING) {
                putString(m, destination, get(source), expiry);
            } else {
                Collection from = catalog.get(source);
                Collection to = createCollection(m, destination, type, expiry);
                from.members().forEach((member, loc) -> putMember(m, destination, to, member,
                        read(from.members(), member, MemberKey.encode(source, from.id(), member), true, source),
                        loc.expiry()));
                m.event(destination, KeyEvent.Kind.UPDATED);
            }
            if (!keepSource) {
                deleteKey(m, source);
            }
            return true;
        });
    }

    /** A key chosen at random (RANDOMKEY), or null if the database is empty. Expired keys are skipped. */
    public byte[] randomKey() {
        ensureOpen();
        java.util.random.RandomGenerator r = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 100; attempt++) {
            ScanResult step = scan(r.nextLong() & Long.MAX_VALUE & ((1L << 40) - 1), 1, null);
            if (!step.keys().isEmpty()) {
                return step.keys().get(r.nextInt(step.keys().size()));
            }
        }
        ScanResult first = scan(0, 100, null);
        return first.keys().isEmpty() ? null : first.keys().get(0);
    }

    /** The hash operations on this database. */
    public Hashes hashes() {
        return hashes;
    }

    /** The string operations (counters, ranges, bitmaps) on this database. */
    public Strings strings() {
        return strings;
    }

    /**
     * EVAL: runs a Lua script atomically against this database, with {@code keys} as KEYS and
     * {@code args} as ARGV, its {@code redis.call}s reaching {@link EngineCommands}. The script
     * runs under the write lock, and its writes commit as one group (a crash keeps all or none);
     * as in Redis, writes made before an error stay. Returns the script's reply in Redis's model
     * ({@link io.couloy.engine.script.Replies}); a failing script returns an error reply.
     *
     * @throws io.couloy.engine.script.ScriptTimeoutException past {@link Options#scriptTimeLimit()}
     */
    public Object eval(byte[] script, List<byte[]> keys, List<byte[]> args) {
        return evalSha(scripts.load(script), keys, args);
    }

    /** EVALSHA: as {@link #eval} for a script loaded before (by eval or {@link #scriptLoad}). */
    public Object evalSha(String sha, List<byte[]> keys, List<byte[]> args) {
        return evalWith(sha, keys, args, new EngineCommands(this));
    }

    /**
     * Runs a loaded script with {@code caller} answering its commands (the server passes its
     * command table, whose writes must go through this database), atomically as {@link #eval}.
     */
    public Object evalWith(String sha, List<byte[]> keys, List<byte[]> args, CommandCaller caller) {
        return atomically(() -> scripts.run(sha, keys, args, caller, options.scriptTimeLimit().toMillis()));
    }

    /** How long a script may run (Options#scriptTimeLimit), for callers that run scripts of their own. */
    public long scriptTimeLimitMillis() {
        return options.scriptTimeLimit().toMillis();
    }

    /**
     * Runs {@code body} as a script runs: under the write lock, its writes committed as one group
     * (a crash keeps all or none; writes made before an exception stay, as in Redis). For a
     * server running scripts or functions from a sandbox of its own. The body's exception is
     * rethrown.
     */
    public <T> T atomically(java.util.function.Supplier<T> body) {
        ensureOpen();
        Object[] result = new Object[1];
        RuntimeException[] failure = new RuntimeException[1];
        Runnable run = () -> {
            try {
                result[0] = body.get();
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        };
        if (options.readOnly()) {
            consistently(() -> {
                run.run();
                return null;
            });
        } else {
            commitGroup(null, List.of(run));
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        @SuppressWarnings("unchecked")
        T t = (T) result[0];
        return t;
    }

    /** SCRIPT LOAD: compiles and caches a script; returns its SHA1. */
    public String scriptLoad(byte[] script) {
        return scripts.load(script);
    }

    /** The script cache and runner (SCRIPT EXISTS / FLUSH go through it). */
    public LuaSandbox scripts() {
        return scripts;
    }

    /** The HyperLogLog operations on this database. */
    public HyperLogLogs hyperLogLogs() {
        return hyperLogLogs;
    }

    /** The list operations on this database. */
    public Lists lists() {
        return lists;
    }

    /** The sorted-set operations on this database. */
    public ZSets zsets() {
        return zsets;
    }

    /** The set operations on this database. */
    public Sets sets() {
        return sets;
    }

    /**
     * The live collection of {@code type} that {@code key} holds, or null if the key is absent
     * or expired. For reads (any thread) and inside {@link #mutate}.
     *
     * @throws WrongTypeException if the key holds another type
     */
    Collection collection(byte[] key, KeyType type) {
        requireKey(key);
        ensureOpen();
        long expiry = keyDir.expiry(key);
        if (expiry < 0 || expired(expiry)) {
            return null;
        }
        // Read after the directory: a key whose directory entry is a collection has its catalog entry.
        Collection c = catalog.get(key);
        KeyType held = c == null ? KeyType.STRING : KeyType.ofCode(c.kind());
        if (held != type) {
            throw new WrongTypeException(key, held, type);
        }
        return c;
    }

    /**
     * As {@link #memberValue}, for a member whose location the caller has just read from the
     * index (a range walk, a pop) and whose record key it has made ({@code recordKey}, the member
     * from {@code memberAt}; a range reuses that array along it): reads there first, and looks
     * the member up again — copying it out — only if the record moved meanwhile, so a range costs
     * one read per element, not a look-up and a read.
     */
    byte[] memberValueAt(byte[] key, Collection c, byte[] recordKey, int memberAt, Location loc) {
        byte[] v = readValue(loc, recordKey, true);
        return v != null ? v : read(c.members(), Arrays.copyOfRange(recordKey, memberAt, recordKey.length), recordKey, true, key);
    }

    /** Widest stretch of a file a list range copies at once, and how much of it may be other records. */
    private static final int RUN_BYTES = 64 * 1024;

    /**
     * The values of a list range's elements, in order ({@code recordKey} reused as in
     * {@link #memberValueAt}, the 8-byte sequence at
     * {@code seqAt}). Elements pushed one after another lie side by side in one file, so a run of
     * them is copied into {@code out} with one read, each record is checked there, and its value
     * stays in place: one copy per element's record, and another of its value, cost more than the
     * checks. A run in the active file's in-memory tail is not copied at all: for 1 KB elements
     * the copy (and the zeroed array it needs) was two thirds of the range's time. An element
     * whose record is not where the span says (popped or moved meanwhile) is looked up again, or
     * left out if it is gone.
     */
    void listValues(byte[] key, Collection c, ListIndex.Span span, byte[] recordKey, int seqAt, PackedValues out) {
        long[] positions = span.positions();
        int[] sizes = span.sizes();
        int n = span.length();
        for (int j = 0; j < n; ) {
            long lo = positions[j] & 0xFFFF_FFFFL;
            long hi = lo + sizes[j];
            long used = sizes[j];
            int k = j + 1;
            while (k < n && positions[k] >>> 32 == positions[j] >>> 32) {
                long o = positions[k] & 0xFFFF_FFFFL;
                long nlo = Math.min(lo, o);
                long nhi = Math.max(hi, o + sizes[k]);
                if (nhi - nlo > RUN_BYTES || nhi - nlo > 2 * (used + sizes[k]) + 256) {
                    break;
                }
                lo = nlo;
                hi = nhi;
                used += sizes[k];
                k++;
            }
            DataFile f = files.get((int) (positions[j] >>> 32));
            int length = (int) (hi - lo);
            DataFile.TailBytes newest = f == null ? null : f.tailBytes(lo, length);
            int base;
            byte[] buf;
            int chunk;
            // Bytes this process appended need no checksum: they never went to the disk and back.
            boolean checkCrc = newest == null || !newest.appendedHere();
            if (newest != null) {
                // The newest records: checked and named where the file's memory holds them.
                base = newest.at();
                buf = newest.array();
                chunk = out.shared(buf);
            } else {
                base = f == null ? -1 : out.reserve(length);
                // Held here: a value looked up again below may move later values to another array.
                buf = f == null ? null : out.current();
                chunk = f == null ? -1 : out.currentChunk();
                if (f != null) {
                    try {
                        if (f.readFully(lo, buf, base, length) != length) {
                            base = -1;
                        }
                    } catch (DataFile.ClosedException e) {
                        base = -1;
                    }
                }
            }
            for (int i = j; i < k; i++) {
                ListIndex.writeSeqKey(span.seqs()[i], recordKey, seqAt);
                int pos = base + (int) ((positions[i] & 0xFFFF_FFFFL) - lo);
                int at = base < 0 ? -1 : RecordCodec.valueOffsetIfMatches(buf, pos, sizes[i], recordKey, true, checkCrc);
                if (at >= 0) {
                    out.add(chunk, at, pos + sizes[i] - at);
                } else {
                    byte[] v = memberValueAt(key, c, recordKey, seqAt, span.location(i));
                    if (v != null) { // else popped meanwhile
                        out.add(v);
                    }
                }
            }
            j = k;
        }
    }

    /** The value of the record of {@code size} bytes at {@code buf[pos..)} if it is a valid put of {@code key}, else null. */
    private static byte[] valueInRecord(byte[] buf, int pos, int size, byte[] key, boolean member) {
        int at = RecordCodec.valueOffsetIfMatches(buf, pos, size, key, member);
        return at < 0 ? null : Arrays.copyOfRange(buf, at, pos + size);
    }

    /** The value of {@code member} of collection {@code c} at {@code key}, or null if not a member. */
    byte[] memberValue(byte[] key, Collection c, byte[] member) {
        return read(c.members(), member, MemberKey.encode(key, c.id(), member), true, key);
    }

    /**
     * Runs a typed write: {@code body} reads the current state and stages records on the
     * mutation, under the write lock; the records are then appended together (a batch if more
     * than one) and the in-memory changes applied. Waits for durability as the sync policy says.
     */
    <T> T mutate(Function<Mutation, T> body) {
        long sequence = -1;
        T result;
        writeLock.lock();
        try {
            Mutation m = startMutation();
            result = body.apply(m);
            sequence = commitIfAny(m);
        } finally {
            writeLock.unlock();
        }
        settle(sequence);
        return result;
    }

    /** As {@link #mutate}, for a body whose result is a long: no box for it (LPUSH's length, INCR's value). */
    long mutateLong(ToLongFunction<Mutation> body) {
        long sequence = -1;
        long result;
        writeLock.lock();
        try {
            Mutation m = startMutation();
            result = body.applyAsLong(m);
            sequence = commitIfAny(m);
        } finally {
            writeLock.unlock();
        }
        settle(sequence);
        return result;
    }

    private Mutation startMutation() {
        ensureWritable();
        return new Mutation();
    }

    /** The commit's sequence number, or -1 if the body staged nothing. */
    private long commitIfAny(Mutation m) {
        return m.isEmpty() ? -1 : commit(m);
    }

    /** After a mutation's lock is released: waits for durability as the sync policy says. */
    private void settle(long sequence) {
        // Inside a group the lock is still held, and the group waits for durability once.
        if (sequence >= 0 && !writeLock.isHeldByCurrentThread()) {
            afterWrite(sequence);
        }
    }

    /** The records of a commit group so far: their hints wait for the commit record. */
    private static final class Group {
        record Hint(RecordType type, long expiry, long offset, int size, byte[] key, byte[] value) {}

        final List<Hint> hints = new ArrayList<>();
        boolean abandoned;
    }

    /**
     * Why writes are refused, once memory shows writes the files do not have (an abandoned group,
     * deferred records that could not be written); null while all is well.
     */
    private volatile String writesRefused;

    /** Why merges are refused (one failed after its commit point: {@link MergeHost#refuseMerges}); null while all is well. */
    private volatile String mergesRefused;

    /**
     * Called inside {@link #atomically}: the group's writes are not committed. Their records stay
     * in the data file with no commit record after them, so recovery ignores them; but this
     * instance already shows them, so it refuses every later write ({@link ReadOnlyException}) —
     * close it and open it again. For a server that stops in the middle of a script (SHUTDOWN
     * NOSAVE), which must keep all of a script or none of it.
     */
    public void abandonGroup() {
        Group g = group;
        if (g == null || !writeLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("abandonGroup() outside atomically()");
        }
        g.abandoned = true;
        writesRefused = "a transaction was abandoned in this instance; close it and open it again";
    }

    /**
     * Runs {@code ops} (typed writes, through {@link #mutate}) as one atomic group: their records
     * are written as batch records and one commit record follows the last, so a crash keeps all
     * of them or none. Each op sees the effects of the ones before it. Returns false, running
     * nothing, if {@code watch} saw a change. An op that throws is skipped (its writes are staged
     * only once it succeeds); the others still commit, as Redis's EXEC runs the rest.
     *
     * <p>The active file does not rotate during a group, so it may pass the configured size by
     * the group's size. Readers on other threads may see the ops' effects one by one while the
     * group runs.
     */
    boolean commitGroup(KeyWatch watch, List<Runnable> ops) {
        long sequence = -1;
        writeLock.lock();
        try {
            ensureWritable();
            if (watch != null && watch.changed()) {
                return false;
            }
            if (active.size() >= options.dataFileSize()) {
                rotate();
            }
            Group g = new Group();
            group = g;
            try {
                for (Runnable op : ops) {
                    op.run();
                }
            } finally {
                if (!g.hints.isEmpty() && !g.abandoned) {
                    byte[] commitRecord = RecordCodec.encode(RecordType.BATCH_COMMIT, 0, new byte[0], null);
                    append(commitRecord); // no rotation: the group is still set
                    for (Group.Hint h : g.hints) {
                        activeHint.add(h.type(), h.expiry(), h.offset(), h.size(), h.key(), h.value());
                    }
                    sequence = groupCommit.appended(commitRecord.length);
                }
                group = null;
            }
        } finally {
            writeLock.unlock();
        }
        if (sequence >= 0) {
            afterWrite(sequence);
        }
        return true;
    }

    private long commit(Mutation m) {
        int n = m.recordCount();
        boolean batch = n > 1 || group != null;
        boolean commitHere = batch && group == null; // a group writes one commit record at its end
        int total = commitHere ? RecordCodec.size(0, 0, 0) : 0;
        for (int i = 0; i < n; i++) {
            Mutation.Staged r = m.record(i);
            total = Math.addExact(total, RecordCodec.size(r.expiry, r.key.length, r.value == null ? 0 : r.value.length));
        }
        byte[] bytes = new byte[total];
        int at = 0;
        for (int i = 0; i < n; i++) {
            Mutation.Staged r = m.record(i);
            int end = RecordCodec.encodeInto(bytes, at, batch ? r.type.batched() : r.type, r.expiry, r.key, r.value);
            m.placed(i, at, end - at);
            at = end;
        }
        if (commitHere) {
            RecordCodec.encodeInto(bytes, at, RecordType.BATCH_COMMIT, 0, new byte[0], null);
        }
        long base = append(bytes);
        DataFile file = active;
        long offset = base; // the records lie end to end
        for (int i = 0; i < n; i++) {
            Mutation.Staged r = m.record(i);
            int size = m.size(i);
            if (group != null) {
                group.hints.add(new Group.Hint(r.type, r.expiry, offset, size, r.key, r.value));
            } else {
                activeHint.add(r.type, r.expiry, offset, size, r.key, r.value);
            }
            if (r.type.holdsState()) {
                file.liveBytes().addAndGet(size);
            }
            offset += size;
        }
        m.written(file.handle(), base, markDead);
        m.publish(changed);
        return groupCommit.appended(bytes.length);
    }

    /**
     * Inside {@link #mutate}: the collection of {@code type} at {@code key}, created if absent
     * (its header record staged, and registered once written) unless {@code create} is false,
     * in which case null.
     */
    Collection collectionForWrite(Mutation m, byte[] key, KeyType type, boolean create) {
        Collection c = collection(key, type);
        return c != null || !create ? c : createCollection(m, key, type);
    }

    /**
     * Inside {@link #mutate}: stages a new, empty collection at {@code key}, replacing whatever
     * the key held (its expiry included), and registers it once written.
     */
    Collection createCollection(Mutation m, byte[] key, KeyType type) {
        return createCollection(m, key, type, 0);
    }

    /** As {@link #createCollection(Mutation, byte[], KeyType)}, expiring at {@code expiry} (0: never). */
    Collection createCollection(Mutation m, byte[] key, KeyType type, long expiry) {
        requireKey(key);
        Collection created = new Collection(type.code, catalog.newId());
        byte[] k = key.clone();
        int i = m.stage(RecordType.COLLECTION, expiry, k, new CollectionHeader(type.code, created.id()).encode());
        m.then(() -> {
            Collection old = catalog.put(k, created);
            if (old != null) {
                retire(old);
            }
            markDead(keyDir.putOne(k, m.fileId(), m.offset(i), m.size(i), expiry));
        });
        return created;
    }

    /**
     * Runs {@code body} under the write lock without writing: for reads that must see several
     * keys in one state (set algebra). Writers wait meanwhile.
     */
    <T> T consistently(java.util.function.Supplier<T> body) {
        writeLock.lock();
        try {
            ensureOpen();
            return body.get();
        } finally {
            writeLock.unlock();
        }
    }

    /** Inside {@link #mutate}: stages setting {@code member} of {@code c} (at {@code key}) to {@code value}. */
    void putMember(Mutation m, byte[] key, Collection c, byte[] member, byte[] value) {
        putMember(m, key, c, member, value, 0);
    }

    /**
     * As {@link #putMember(Mutation, byte[], Collection, byte[], byte[])}, with {@code aux}: index
     * data kept in the record header's expiry field and in the hint, so the index is rebuilt
     * without reading values (a sorted-set member's score bits).
     */
    void putMember(Mutation m, byte[] key, Collection c, byte[] member, byte[] value, long aux) {
        requireMember(member);
        stageMemberPut(m, key, c, member.clone(), value, aux);
    }

    /** Inside {@link #mutate}: stages setting list element {@code seq} of {@code c} (at {@code key}) to {@code value}. */
    void putListElement(Mutation m, byte[] key, Collection c, long seq, byte[] value) {
        stageMemberPut(m, key, c, ListIndex.seqKey(seq), value, 0);
    }

    /** {@code member} is the index's to keep: a copy, or an array made for it. */
    private void stageMemberPut(Mutation m, byte[] key, Collection c, byte[] member, byte[] value, long aux) {
        requireValue(value);
        m.stageMember(RecordType.MEMBER_PUT, aux, MemberKey.encode(key, c.id(), member), value, c, member);
    }

    /** Inside {@link #mutate}: stages removing {@code member} from {@code c} (at {@code key}). */
    void removeMember(Mutation m, byte[] key, Collection c, byte[] member) {
        stageMemberRemove(m, key, c, member.clone());
    }

    /** Inside {@link #mutate}: stages removing list element {@code seq} from {@code c} (at {@code key}). */
    void removeListElement(Mutation m, byte[] key, Collection c, long seq) {
        stageMemberRemove(m, key, c, ListIndex.seqKey(seq));
    }

    private void stageMemberRemove(Mutation m, byte[] key, Collection c, byte[] member) {
        removeMemberRecord(m, MemberKey.encode(key, c.id(), member), c, member);
    }

    /** Inside {@link #mutate}: stages removing {@code member} of {@code c}, whose record key the caller has made. */
    void removeMemberRecord(Mutation m, byte[] recordKey, Collection c, byte[] member) {
        m.stageMember(RecordType.MEMBER_DELETE, 0, recordKey, null, c, member);
    }

    /**
     * Inside {@link #mutate}: the string value of {@code key}, or null if absent or expired.
     *
     * @throws WrongTypeException if it holds a collection
     */
    byte[] stringValue(byte[] key) {
        return get(key); // get() itself refuses a collection with WrongTypeException
    }

    /** Inside {@link #mutate}: stages setting string {@code key} to {@code value}, replacing whatever it held. */
    void putString(Mutation m, byte[] key, byte[] value, long expiry) {
        requireKey(key);
        requireValue(value);
        byte[] k = key.clone();
        int i = m.stage(RecordType.PUT, expiry, k, value);
        m.then(() -> {
            markDead(keyDir.putOne(k, m.fileId(), m.offset(i), m.size(i), expiry));
            forgetCollection(k);
        });
        m.event(k, KeyEvent.Kind.SET);
    }

    /** Inside {@link #mutate}: stages changing an existing key's expiry (0: none). */
    void setExpiry(Mutation m, byte[] key, long expiry) {
        byte[] k = key.clone();
        m.stage(RecordType.EXPIRE, expiry, k, null);
        m.then(() -> keyDir.write(d -> d.setExpiry(k, expiry)));
        m.event(k, KeyEvent.Kind.EXPIRE);
    }

    /** The database's clock, in Unix milliseconds. */
    long nowMillis() {
        return now();
    }

    /** Inside {@link #mutate}: stages deleting {@code key}, whatever it holds (O(1) for a collection). */
    void deleteKey(Mutation m, byte[] key) {
        byte[] k = key.clone();
        m.stage(RecordType.DELETE, 0, k, null);
        m.then(() -> removeFromKeyDir(k));
        m.event(k, KeyEvent.Kind.DELETED);
    }

    private void requireMember(byte[] member) {
        Objects.requireNonNull(member, "member must not be null");
        if (member.length > MAX_MEMBER) {
            throw new IllegalArgumentException("member of " + member.length + " bytes is over the limit of " + MAX_MEMBER);
        }
    }

    // ------------------------------------------------------------------ transactions and watches

    /** After every committed change, under the write lock: flag watchers, notify subscribers. */
    private void changed(byte[] key, KeyEvent.Kind kind) {
        tracker.touched(key);
        feed.publish(key, kind);
    }

    /**
     * Calls {@code listener} with every committed change to a key starting with {@code prefix}
     * (an empty prefix: every key), in commit order, on a thread of the subscription's own. Up
     * to 65,536 events queue for a slow listener; later ones are dropped and counted.
     */
    public Subscription subscribe(byte[] prefix, Consumer<KeyEvent> listener) {
        return subscribe(prefix, (key, kind) -> true, listener);
    }

    /**
     * As {@link #subscribe(byte[], Consumer)}, for only the events {@code filter} wants. The writer
     * asks the filter before it allocates or queues anything, so a subscriber that wants little
     * (expirations only; changes only while a client blocks) costs the other writes almost nothing.
     */
    public Subscription subscribe(byte[] prefix, KeyEvent.Filter filter, Consumer<KeyEvent> listener) {
        ensureOpen();
        return feed.subscribe(Objects.requireNonNull(prefix, "prefix"), Objects.requireNonNull(filter, "filter"), 65_536,
                Objects.requireNonNull(listener, "listener"));
    }

    /** Starts watching {@code keys} for changes; see {@link KeyWatch}. */
    public KeyWatch watch(byte[]... keys) {
        ensureOpen();
        KeyWatch w = new KeyWatch(this, tracker);
        for (byte[] k : keys) {
            requireKey(k);
            w.add(k);
        }
        return w;
    }

    /** {@code key}'s expiry time, 0 if it has none or does not exist. */
    long expiryOf(byte[] key) {
        return Math.max(0, keyDir.expiry(key)); // absent (-1): none
    }

    /** A key's expiry as a watch records it: -1 if absent or expired, 0 if none, else the time. */
    long expiryForWatch(byte[] key) {
        Location loc = keyDir.get(key);
        return loc == null || expired(loc) ? -1 : loc.expiry();
    }

    /**
     * Runs {@code body} as a read-write transaction and commits its writes atomically and durably
     * (as one batch, under the database's sync policy). Under {@link Isolation#SERIALIZABLE} a
     * commit whose reads were changed meanwhile is thrown away and {@code body} runs again, so it
     * must have no side effects outside the transaction. An exception from {@code body} aborts:
     * nothing is written.
     *
     * @return what {@code body} returned in the run that committed
     * @throws TransactionConflictException if every allowed run conflicted
     */
    public <T> T update(TxnOptions txnOptions, Function<Txn, T> body) {
        return run(txnOptions, body, false);
    }

    /** {@link #update(TxnOptions, Function)} with {@link TxnOptions#DEFAULT}. */
    public void update(Consumer<Txn> body) {
        run(TxnOptions.DEFAULT, txn -> {
            body.accept(txn);
            return null;
        }, false);
    }

    /**
     * Runs {@code body} as a read-only transaction. Under SERIALIZABLE its reads are consistent:
     * if any key it read changed before it finished, it runs again.
     */
    public <T> T view(TxnOptions txnOptions, Function<Txn, T> body) {
        return run(txnOptions, body, true);
    }

    private <T> T run(TxnOptions txnOptions, Function<Txn, T> body, boolean readOnly) {
        Objects.requireNonNull(txnOptions, "txnOptions");
        Objects.requireNonNull(body, "body");
        ensureOpen();
        if (!readOnly && options.readOnly()) {
            throw new ReadOnlyException();
        }
        boolean serializable = txnOptions.isolation() == Isolation.SERIALIZABLE;
        for (int attempt = 0; attempt <= txnOptions.maxRetries(); attempt++) {
            Txn txn = new Txn(this, readOnly, serializable ? new KeyWatch(this, tracker) : null);
            try {
                T result = body.apply(txn);
                if (txn.commit()) {
                    return result;
                }
            } finally {
                txn.close();
            }
            // Back off a little, more with each conflict, so hot keys do not livelock.
            LockSupport.parkNanos(java.util.concurrent.ThreadLocalRandom.current().nextLong(1_000, 20_000L * (attempt + 1)));
        }
        throw new TransactionConflictException(txnOptions.maxRetries() + 1);
    }

    private void markDead(Location before) {
        if (before != null) {
            DataFile f = files.get(before.fileId());
            if (f != null) {
                f.liveBytes().addAndGet(-before.size());
            }
        }
    }

    /** Appends under the write lock, rotating first when the record would pass the file size. */
    private long append(byte[] bytes) {
        if (group == null && active.size() > 0 && active.size() + bytes.length > options.dataFileSize()) {
            rotate();
        }
        long offset = active.append(bytes, 0, bytes.length, deferring());
        if (options.mmapReads()) {
            active.mapWrittenChunks();
        }
        return offset;
    }

    /** Whether appends wait in memory for {@link #flushWrites()} ({@link Options#deferredWrites()}). */
    private boolean deferring() {
        return options.deferredWrites() && options.mmapReads() && options.syncPolicy() != SyncPolicy.ALWAYS;
    }

    /**
     * Writes the records that {@link Options#deferredWrites() deferred writes} keep in memory to
     * the active file, in one system call; returns at once if none wait. Any thread may call
     * it; a server calls it before it sends the replies that acknowledge those writes. Throws
     * {@link StorageException} if they could not be written (a full disk): they are lost, and
     * this instance refuses writes from then on, since memory shows them — close and reopen it.
     */
    public void flushWrites() {
        DataFile a = active;
        if (a.hasPending()) {
            // Not under the write lock: a script's commit group may hold it for long, and this
            // thread's writes, appended before, must reach the file now. A file rotated away
            // meanwhile had its bytes written by the rotation.
            writePending(a);
        }
    }

    private void writePending(DataFile file) {
        try {
            file.writePending();
        } catch (StorageException e) {
            // The active hint names records the file lost: close() drops it, and the next open
            // rebuilds it from the files.
            writesRefused = "deferred writes could not be saved (" + e.getMessage() + "); close and reopen the database";
            throw e;
        } catch (DataFile.ClosedException closed) {
            // closed by close(), which wrote what waited
        }
    }

    /** {@link #flushWrites()} where the write lock is held (rotation, close). */
    private void writePendingLocked() {
        writePending(active);
    }

    /**
     * Starts a new active file. Under ALWAYS the old one is synced first (so group commit's
     * "force the active file" covers every earlier write); otherwise syncing and sealing its
     * hint happen on the sealer thread, so a write never waits for a whole file's fsync.
     */
    private void rotate() {
        writePendingLocked();
        DataFile old = active;
        HintWriter oldHint = activeHint;
        if (options.syncPolicy() == SyncPolicy.ALWAYS) {
            seal(old, oldHint);
            groupCommit.allDurable();
            openNewActive(old.id() + 1);
        } else {
            openNewActive(old.id() + 1);
            sealer.execute(() -> {
                try {
                    seal(old, oldHint);
                } catch (RuntimeException e) {
                    String w = "sealing " + old.path() + " failed: " + e.getMessage()
                            + "; its hint is rebuilt on the next open";
                    LOG.error(w, e);
                    warnings.add(w);
                    oldHint.close();
                }
            });
        }
    }

    private void seal(DataFile file, HintWriter hint) {
        file.force();
        hint.seal();
        if (options.mmapReads()) {
            file.mapForReads();
        }
    }

    /** Waits until every rotated file is synced and sealed (before merge, backup, sync, close). */
    private void awaitSeals() {
        try {
            sealer.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CouloyException("interrupted while waiting for files to be sealed", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.RejectedExecutionException e) {
            throw new CouloyException("sealing rotated files failed", e);
        }
    }

    private void openNewActive(int id) {
        DataFile f = DataFile.create(dir, id);
        DataDirectory.fsync(dir);
        activeHint = new HintWriter(dir.resolve(DirectoryFormat.hintTmpName(id)), dir.resolve(DirectoryFormat.hintName(id)));
        files.put(f);
        active = f;
    }

    private void afterWrite(long sequence) {
        switch (options.syncPolicy()) {
            case ALWAYS -> groupCommit.awaitDurable(sequence);
            case EVERY_SECOND, OS -> {
                long every = options.bytesPerSync();
                if (every > 0 && sequence - bytesSinceSync >= every) {
                    bytesSinceSync = sequence;
                    background.execute(() -> quietly("bytes-per-sync", () -> {
                        flushWrites();
                        groupCommit.syncNow();
                    }));
                }
            }
        }
    }

    /** Forces every acknowledged write to stable storage. */
    public void sync() {
        ensureOpen();
        if (!options.readOnly()) {
            flushWrites();
            awaitSeals();
            groupCommit.syncNow();
        }
    }

    // ------------------------------------------------------------------ expiry, merge, backup

    private void sweepExpired() {
        writeLock.lock();
        try {
            if (state == State.OPEN) {
                keyDir.sweepExpired(now(), 20_000, (key, was) -> {
                    markDead(was);
                    forgetCollection(key);
                    changed(key, KeyEvent.Kind.EXPIRED);
                });
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Starts a merge of the most fragmented run of immutable files when that run is more than
     * {@code mergeDeadRatio} dead ({@link MergeScope#fragmented}). Merging every file each time
     * rewrote the mostly live output of the previous merge again and again.
     */
    private void maybeMerge() {
        if (mergesRefused != null) {
            return;
        }
        List<DataFile> immutable = new ArrayList<>();
        for (DataFile f : files.all()) {
            if (f != active) {
                immutable.add(f);
            }
        }
        if (immutable.size() >= options.mergeMinFiles() && !mergeScope.select(immutable).isEmpty()
                && mergeLock.tryLock()) {
            mergeLock.unlock();
            merges.execute(() -> quietly("merge", this::mergeFragmented));
        }
    }

    /**
     * Rewrites the live records of every immutable file into new files and drops the rest
     * (overwritten and deleted values, tombstones, expired keys). Runs in the calling thread;
     * reads and writes continue meanwhile. One merge at a time: a second call waits.
     */
    public Merger.Result merge() {
        return merge(MergeScope.ALL);
    }

    /**
     * Merges what the automatic merge picks: the run of consecutive immutable files whose dead
     * bytes exceed {@link Options#mergeDeadRatio()} of its size by the most (see
     * {@link Options}), or nothing if no run is that dead. Cheaper than {@link #merge()} when
     * most files are mostly live — an earlier merge's output, say — since those stay as they are;
     * tombstones it must keep for older files go at the next merge of every file.
     */
    public Merger.Result mergeFragmented() {
        return merge(mergeScope);
    }

    /** Merges the immutable files {@code scope} picks, as {@link #merge()} does all of them. */
    Merger.Result merge(MergeScope scope) {
        ensureWritable(); // after an abandoned group too: a merge would copy its records as live
        mergeLock.lock();
        try {
            ensureOpen();
            String refused = mergesRefused;
            if (refused != null) {
                throw new CouloyException("merges are refused until the database is reopened: " + refused);
            }
            // Timed in the log, wall clock and this thread's CPU, to set a merge against what the
            // reads and writes around it lost (the server's rows under a merge).
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long start = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            Merger.Result r = new Merger(mergeHost(), options.mergeReads()).run(scope);
            if (r.inputFiles() > 0) {
                LOG.info("merged {} files ({} bytes, {} read) into {} ({} bytes) in {} ms, {} ms of CPU, writes paused {} ms",
                        r.inputFiles(), r.bytesBefore(), r.bytesRead(), r.outputFiles(), r.bytesAfter(),
                        (System.nanoTime() - start) / 1_000_000, (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000_000,
                        r.pauseNanos() / 1_000_000);
            }
            return r;
        } finally {
            mergeLock.unlock();
        }
    }

    private MergeHost mergeHost() {
        return new MergeHost() {
            @Override
            public Path directory() {
                return dir;
            }

            @Override
            public KeyDir keyDir() {
                return keyDir;
            }

            @Override
            public long dataFileSize() {
                return options.dataFileSize();
            }

            @Override
            public long nowMillis() {
                return now();
            }

            @Override
            public boolean closing() {
                return state != State.OPEN;
            }

            @Override
            public List<DataFile> sealActiveForMerge() {
                List<DataFile> immutable;
                writeLock.lock();
                try {
                    ensureWritable();
                    if (active.size() > 0) {
                        rotate();
                    }
                    immutable = files.below(active.id());
                } finally {
                    writeLock.unlock();
                }
                awaitSeals(); // outside the lock: writers go on while the last file syncs
                return immutable;
            }

            @Override
            public void exclusively(Runnable swap) {
                writeLock.lock();
                try {
                    swapEpoch++;
                    swap.run();
                } finally {
                    swapEpoch++;
                    writeLock.unlock();
                }
            }

            @Override
            public void addFiles(List<DataFile> added) {
                added.forEach(files::put);
            }

            @Override
            public List<DataFile> removeFiles(List<Integer> handles) {
                List<DataFile> old = new ArrayList<>();
                for (int handle : handles) {
                    DataFile f = files.remove(handle);
                    if (f != null) {
                        old.add(f);
                    }
                }
                return old;
            }

            @Override
            public DataFile openMerged(Path path, int id, int handle) {
                DataFile f = DataFile.open(path, id, handle, false);
                if (options.mmapReads()) {
                    f.mapForReads();
                }
                return f;
            }

            @Override
            public void leaveOut(DataFile file) {
                unmergeable.add(file.id());
            }

            @Override
            public boolean leftOut(DataFile file) {
                return unmergeable.contains(file.id());
            }

            @Override
            public void forEachLiveEntry(IntPredicate in, Consumer<Location> visitor) {
                long now = now();
                keyDir.walkLocations(loc -> {
                    if (in.test(loc.fileId()) && !loc.expiredAt(now)) {
                        visitor.accept(loc);
                    }
                });
                catalog.forEach((key, c) -> {
                    Location owner = keyDir.get(key);
                    if (owner == null || owner.expiredAt(now) || closing()) {
                        return; // its members are dead, or the merge is being abandoned
                    }
                    c.members().walkLocations(loc -> {
                        if (in.test(loc.fileId())) {
                            visitor.accept(loc);
                        }
                    });
                });
            }

            @Override
            public long indexEntries() {
                long[] n = {keyDir.size()};
                catalog.forEach((key, c) -> n[0] += c.size());
                return n[0];
            }

            @Override
            public void refuseMerges(String reason) {
                mergesRefused = reason;
            }

            @Override
            public Location live(RecordType type, byte[] key) {
                long now = now();
                if (type == RecordType.PUT || type == RecordType.COLLECTION) {
                    Location loc = keyDir.get(key);
                    return loc == null || loc.expiredAt(now) ? null : loc;
                }
                if (type != RecordType.MEMBER_PUT) {
                    return null;
                }
                MemberKey.Parts parts = memberParts(key);
                Location owner = parts == null ? null : keyDir.get(parts.key());
                return owner == null || owner.expiredAt(now) ? null : member(parts);
            }

            @Override
            public Location indexed(RecordType type, byte[] key) {
                if (type != RecordType.MEMBER_PUT && type != RecordType.MEMBER_DELETE) {
                    return keyDir.get(key);
                }
                MemberKey.Parts parts = memberParts(key);
                return parts == null ? null : member(parts);
            }

            private static MemberKey.Parts memberParts(byte[] key) {
                try {
                    return MemberKey.decode(key);
                } catch (MalformedRecordException e) {
                    return null;
                }
            }

            private Location member(MemberKey.Parts parts) {
                Collection c = catalog.get(parts.key());
                return c == null || c.id() != parts.id() ? null : c.members().get(parts.member());
            }

            @Override
            public boolean moveMember(byte[] recordKey, int oldFileId, long oldOffset, int newFileId, long newOffset,
                    int newSize) {
                MemberKey.Parts parts = MemberKey.decode(recordKey);
                Collection c = catalog.get(parts.key());
                if (c == null || c.id() != parts.id()) {
                    return false;
                }
                boolean[] moved = new boolean[1];
                c.members().write(mm -> moved[0] = mm.moveIfAt(parts.member(), oldFileId, oldOffset, newFileId,
                        newOffset, newSize));
                return moved[0];
            }

            @Override
            public Consumer<String> warnings() {
                return w -> {
                    LOG.warn(w);
                    warnings.add(w);
                };
            }
        };
    }

    /**
     * Writes a consistent copy of the database into {@code target} (which must not exist or be
     * empty) while it keeps running: the active file is sealed, then every file is hard-linked
     * (copied across file systems). The copy opens as a database of its own.
     */
    public void backup(Path target) {
        ensureOpen();
        if (options.readOnly()) {
            throw new ReadOnlyException();
        }
        mergeLock.lock();
        try {
            List<Path> sources = new ArrayList<>();
            writeLock.lock();
            try {
                ensureWritable();
                if (active.size() > 0) {
                    rotate();
                }
                for (DataFile f : files.below(active.id())) {
                    sources.add(f.path());
                    sources.add(dir.resolve(DirectoryFormat.hintName(f.id())));
                }
            } finally {
                writeLock.unlock();
            }
            awaitSeals();
            Files.createDirectories(target);
            try (var existing = Files.list(target)) {
                if (existing.findAny().isPresent()) {
                    throw new IllegalArgumentException("backup target " + target + " is not empty");
                }
            }
            for (Path src : sources) {
                if (!Files.exists(src)) {
                    continue;
                }
                Path dst = target.resolve(src.getFileName().toString());
                try {
                    Files.createLink(dst, src);
                } catch (IOException | UnsupportedOperationException crossDevice) {
                    Files.copy(src, dst);
                }
            }
            Files.writeString(target.resolve(DirectoryFormat.VERSION_FILE), DirectoryFormat.VERSION_TEXT);
            DataDirectory.fsync(target);
        } catch (IOException e) {
            throw new StorageException(target, "backup", e);
        } finally {
            mergeLock.unlock();
        }
    }

    /** Sizes of the key directory and the files; see {@link Stats}. */
    public Stats stats() {
        ensureOpen();
        List<Stats.FileStats> list = new ArrayList<>();
        DataFile a = active;
        for (DataFile f : files.all()) {
            list.add(new Stats.FileStats(f.id(), f.size(), f.liveBytes().get(), f == a));
        }
        return new Stats(keyDir.size(), keyDir.memoryBytes() + catalog.memoryBytes(), List.copyOf(list),
                List.copyOf(warnings));
    }

    /** The options this database was opened with. */
    public Options options() {
        return options;
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Stops background work, syncs and seals the active file, and releases the directory. A
     * merge in progress is abandoned (its partial output is discarded). Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            state = State.CLOSING;
        }
        background.shutdownNow();
        merges.shutdownNow();
        mergeLock.lock();
        writeLock.lock();
        try {
            sealer.shutdown();
            try {
                if (!sealer.awaitTermination(1, TimeUnit.MINUTES)) {
                    LOG.warn("sealing rotated files did not finish within a minute; hints are rebuilt on the next open");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!options.readOnly()) {
                DataFile a = active;
                if (writesRefused == null) {
                    try {
                        writePendingLocked();
                    } catch (StorageException e) {
                        LOG.error("closing {}: {}", dir, e.getMessage());
                    }
                }
                if (a.size() == 0) {
                    activeHint.close();
                    files.remove(a.handle());
                    a.close();
                    deleteQuietly(a.path());
                } else if (writesRefused != null) {
                    a.force();
                    activeHint.close(); // it may name records the file does not have: rebuilt on open
                } else {
                    a.force();
                    activeHint.seal();
                }
                groupCommit.allDurable();
            }
        } finally {
            groupCommit.close();
            feed.close();
            files.all().forEach(DataFile::close);
            files.clear();
            catalog.releaseAll();
            state = State.CLOSED;
            writeLock.unlock();
            mergeLock.unlock();
            directory.close();
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("could not delete empty file {}", p, e);
        }
    }

    // ------------------------------------------------------------------ checks

    private void ensureOpen() {
        if (state != State.OPEN) {
            throw new DatabaseClosedException();
        }
    }

    private void ensureWritable() {
        ensureOpen();
        if (options.readOnly()) {
            throw new ReadOnlyException();
        }
        String refused = writesRefused;
        if (refused != null) {
            throw new ReadOnlyException(refused);
        }
    }

    private void requireKey(byte[] key) {
        Objects.requireNonNull(key, "key must not be null");
        if (key.length == 0) {
            throw new IllegalArgumentException("key must not be empty");
        }
        if (key.length > options.maxKeySize()) {
            throw new IllegalArgumentException("key of " + key.length + " bytes is over maxKeySize " + options.maxKeySize());
        }
    }

    private void requireValue(byte[] value) {
        Objects.requireNonNull(value, "value must not be null");
        if (value.length > options.maxValueSize()) {
            throw new IllegalArgumentException(
                    "value of " + value.length + " bytes is over maxValueSize " + options.maxValueSize());
        }
    }

    private static String printable(byte[] key) {
        return KeyText.of(key, 64);
    }
}
