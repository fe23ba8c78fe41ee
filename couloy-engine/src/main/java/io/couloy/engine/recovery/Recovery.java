package io.couloy.engine.recovery;

import io.couloy.engine.format.CollectionHeader;
import io.couloy.engine.format.DirectoryFormat;
import io.couloy.engine.format.HintCodec;
import io.couloy.engine.format.MalformedRecordException;
import io.couloy.engine.format.MemberKey;
import io.couloy.engine.format.RecordType;
import io.couloy.engine.keydir.KeyDir;
import io.couloy.engine.keydir.Location;
import io.couloy.engine.log.DataFile;
import io.couloy.engine.log.HintWriter;
import io.couloy.engine.log.RecordScanner;
import io.couloy.engine.types.Catalog;
import io.couloy.engine.types.Collection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the key directory when a database opens: each data file in id order, from its hint
 * when the hint is intact, else by scanning the file (and writing the hint anew).
 *
 * <p>Batch records count only when their commit record follows. The last file is the one a
 * crash may have left half-written: a torn or corrupt tail there is cut off. Damage in an older
 * file is reported with file and offset; what follows it in that file is unreadable, but later
 * files are read as usual, so newer data never disappears because of an older file.
 */
public final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    /**
     * The open files, ascending id; what recovery had to repair or skip; and the ids of files it
     * could not read to their end (damage in an older file), whose records after the damage the
     * index does not know.
     */
    public record Result(TreeMap<Integer, DataFile> files, List<String> warnings, Set<Integer> damaged) {}

    private record Pending(RecordType type, long expiry, long offset, int size, byte[] key, byte[] value) {}

    private final Path dir;
    private final KeyDir keyDir;
    private final Catalog catalog;
    private final boolean readOnly;
    private final long now;
    private final TreeMap<Integer, DataFile> files = new TreeMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final Set<Integer> damaged = new HashSet<>();

    private Recovery(Path dir, KeyDir keyDir, Catalog catalog, boolean readOnly, long now) {
        this.dir = dir;
        this.keyDir = keyDir;
        this.catalog = catalog;
        this.readOnly = readOnly;
        this.now = now;
    }

    /**
     * Loads every data file of {@code ids} (ascending) into {@code keyDir}, and collections and
     * their members into {@code catalog}.
     *
     * <p>A collection's header record precedes its members in the log, and merge keeps the
     * order of the records it copies, so replaying in file order meets each collection before
     * its members; a member whose collection is absent or has another id is dead.
     */
    public static Result run(Path dir, List<Integer> ids, KeyDir keyDir, Catalog catalog, boolean readOnly,
            long nowMillis) {
        Recovery r = new Recovery(dir, keyDir, catalog, readOnly, nowMillis);
        if (!readOnly) {
            r.deleteUnsealedHints();
        }
        keyDir.presize(r.hintedEntries(ids));
        for (int i = 0; i < ids.size(); i++) {
            r.load(ids.get(i), i == ids.size() - 1);
        }
        keyDir.sweepExpired(nowMillis, Integer.MAX_VALUE, (key, was) -> {
            r.markDead(was);
            r.dropCollection(key);
        });
        keyDir.trim();
        return new Result(r.files, r.warnings, r.damaged);
    }

    /** Sum of the entry counts the hints' footers declare: an upper bound of the keys they load. */
    private long hintedEntries(List<Integer> ids) {
        long total = 0;
        byte[] footer = new byte[HintCodec.FOOTER_SIZE + HintCodec.HEADER_SIZE];
        for (int id : ids) {
            Path hint = dir.resolve(DirectoryFormat.hintName(id));
            try (var ch = java.nio.channels.FileChannel.open(hint)) {
                long size = ch.size();
                if (size < footer.length) {
                    continue;
                }
                java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(footer, HintCodec.HEADER_SIZE, HintCodec.FOOTER_SIZE);
                ch.read(bb, size - HintCodec.FOOTER_SIZE);
                total += Math.max(0, HintCodec.declaredEntries(footer));
            } catch (IOException absentOrUnreadable) {
                // no estimate from this file; loading still works, with rehashing
            }
        }
        return total;
    }

    private void deleteUnsealedHints() {
        try (var entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (p.getFileName().toString().endsWith(DirectoryFormat.HINT_TMP_SUFFIX)) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new io.couloy.engine.StorageException(dir, "remove unsealed hints", e);
        }
    }

    private void warn(String message) {
        LOG.warn(message);
        warnings.add(message);
    }

    private void load(int id, boolean last) {
        Path dataPath = dir.resolve(DirectoryFormat.dataName(id));
        DataFile file = DataFile.open(dataPath, id, last && !readOnly);
        files.put(id, file);
        Path hint = dir.resolve(DirectoryFormat.hintName(id));
        if (Files.exists(hint)) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(hint);
            } catch (IOException e) {
                bytes = new byte[0];
            }
            byte[] hintBytes = bytes;
            String[] problem = new String[1];
            keyDir.write(m -> problem[0] = HintCodec.parse(hintBytes,
                    (type, expiry, offset, size, key, value) -> apply(m, file, type, expiry, offset, size, key, value)));
            if (problem[0] == null) {
                return;
            }
            warn("hint " + hint + " is damaged (" + problem[0] + "); rebuilding it from " + dataPath);
        }
        scan(file, last);
    }

    private void scan(DataFile file, boolean last) {
        HintWriter hint = readOnly ? null : new HintWriter(
                dir.resolve(DirectoryFormat.hintTmpName(file.id())), dir.resolve(DirectoryFormat.hintName(file.id())));
        try {
            RecordScanner scanner = new RecordScanner(file);
            List<Pending> batch = new ArrayList<>();
            keyDir.write(m -> {
                while (scanner.next()) {
                    var h = scanner.header();
                    long offset = scanner.offset();
                    int size = (int) h.recordSize();
                    RecordType type = h.type();
                    byte[] value = HintCodec.carriesValue(type.committed()) ? scanner.value() : null;
                    if (type.inBatch()) {
                        batch.add(new Pending(type.committed(), h.expiry(), offset, size, scanner.key(), value));
                    } else if (type == RecordType.BATCH_COMMIT) {
                        for (Pending p : batch) {
                            apply(m, file, p.type, p.expiry, p.offset, p.size, p.key, p.value);
                            if (hint != null) {
                                hint.add(p.type, p.expiry, p.offset, p.size, p.key, p.value);
                            }
                        }
                        batch.clear();
                    } else {
                        discardBatch(batch, file, offset);
                        byte[] key = scanner.key();
                        apply(m, file, type, h.expiry(), offset, size, key, value);
                        if (hint != null) {
                            hint.add(type, h.expiry(), offset, size, key, value);
                        }
                    }
                }
            });
            discardBatch(batch, file, scanner.validLength());
            boolean intact = scanner.end() == RecordScanner.End.CLEAN;
            if (!intact) {
                long at = scanner.validLength();
                if (last && !readOnly) {
                    long cut = file.size() - at;
                    file.truncate(at);
                    warn("torn tail in " + file.path() + " at offset " + at + " (" + scanner.endReason()
                            + "): truncated " + cut + " bytes");
                    intact = true;
                } else {
                    damaged.add(file.id());
                    warn("corrupt data in " + file.path() + " at offset " + at + " (" + scanner.endReason()
                            + "): records after it in this file are unreadable; later files are unaffected");
                }
            }
            if (hint != null && intact) {
                hint.seal();
            }
        } finally {
            if (hint != null) {
                hint.close();
            }
        }
    }

    private void discardBatch(List<Pending> batch, DataFile file, long offset) {
        if (!batch.isEmpty()) {
            warn("incomplete batch of " + batch.size() + " records in " + file.path() + " before offset " + offset
                    + " ignored (no commit record)");
            batch.clear();
        }
    }

    /**
     * Replays one record (of a committed type). Expiry is not judged here: a later EXPIRE record
     * may extend a put whose own expiry has passed, so expired keys are dropped only once every
     * file is loaded.
     */
    private void apply(KeyDir.Mutator m, DataFile file, RecordType type, long expiry, long offset, int size,
            byte[] key, byte[] value) {
        try {
            switch (type) {
                case PUT -> {
                    file.liveBytes().addAndGet(size);
                    markDead(m.put(key, file.handle(), offset, size, expiry));
                    dropCollection(key);
                }
                case DELETE -> {
                    markDead(m.remove(key));
                    dropCollection(key);
                }
                case EXPIRE -> m.setExpiry(key, expiry);
                case COLLECTION -> {
                    CollectionHeader header = CollectionHeader.decode(value);
                    file.liveBytes().addAndGet(size);
                    markDead(m.put(key, file.handle(), offset, size, expiry));
                    Collection held = catalog.get(key);
                    if (held == null || held.id() != header.id()) {
                        dropCollection(key);
                        catalog.put(key, new Collection(header.kind(), header.id()));
                    }
                }
                case MEMBER_PUT, MEMBER_DELETE -> {
                    MemberKey.Parts parts = MemberKey.decode(key);
                    catalog.observeId(parts.id());
                    Collection c = catalog.get(parts.key());
                    if (c == null || c.id() != parts.id()) {
                        return; // a member of a deleted collection
                    }
                    Location[] before = new Location[1];
                    if (type == RecordType.MEMBER_PUT) {
                        file.liveBytes().addAndGet(size);
                        // A member's expiry field is its index data (a score), not an expiry.
                        c.members().write(mm -> before[0] = mm.put(parts.member(), file.handle(), offset, size, expiry));
                    } else {
                        c.members().write(mm -> before[0] = mm.remove(parts.member()));
                    }
                    markDead(before[0]);
                }
                default -> { }
            }
        } catch (MalformedRecordException e) {
            warn("record at offset " + offset + " of " + file.path() + " skipped: " + e.getMessage());
        }
    }

    private void markDead(Location before) {
        if (before != null) {
            DataFile old = files.get(before.fileId());
            if (old != null) {
                old.liveBytes().addAndGet(-before.size());
            }
        }
    }

    /** Forgets the collection {@code key} held, if any; its member records are dead. */
    private void dropCollection(byte[] key) {
        Collection gone = catalog.remove(key);
        if (gone != null) {
            gone.members().forEach((member, loc) -> markDead(loc));
            gone.release();
        }
    }
}
