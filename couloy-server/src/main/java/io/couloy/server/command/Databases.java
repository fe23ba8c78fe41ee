package io.couloy.server.command;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.Options;
import io.couloy.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The numbered databases SELECT reaches: database n is an engine of its own in {@code dir/db<n>},
 * opened on first use (so 16 configured databases cost nothing until used). Thread-safe.
 *
 * <p>SWAPDB renames the two directories with both engines closed, through a temporary name that
 * records the pair ({@code db<a>.swap-to-<b>}), so a crash at any step is rolled forward on the
 * next start.
 */
public final class Databases implements AutoCloseable {
    private final ServerConfig config;
    /** Read without the monitor on every command ({@link #get}); changed under it. */
    private final java.util.concurrent.atomic.AtomicReferenceArray<CouloyDB> dbs;
    private final java.util.function.ObjIntConsumer<CouloyDB> onOpen;

    /** @param onOpen told of each database as it opens (keyspace notifications subscribe there) */
    public Databases(ServerConfig config, java.util.function.BiConsumer<Integer, CouloyDB> onOpen) {
        this.config = config;
        this.dbs = new java.util.concurrent.atomic.AtomicReferenceArray<>(config.databases());
        this.onOpen = (db, i) -> onOpen.accept(i, db);
        finishSwaps();
    }

    private Path dirOf(int index) {
        return config.dir().resolve("db" + index);
    }

    /** SWAPDB: database {@code a} gets {@code b}'s data and the other way round, on disk. */
    public synchronized void swap(int a, int b) {
        if (a == b) {
            return;
        }
        for (int i : new int[] {a, b}) {
            CouloyDB db = dbs.getAndSet(i, null);
            if (db != null) {
                db.close();
            }
        }
        try {
            java.nio.file.Files.createDirectories(dirOf(a));
            java.nio.file.Files.createDirectories(dirOf(b));
            java.nio.file.Files.move(dirOf(a), swapDir(a, b), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            syncDir();
            finishSwap(a, b);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("SWAPDB " + a + " " + b + " in " + config.dir(), e);
        }
    }

    private Path swapDir(int a, int b) {
        return config.dir().resolve("db" + a + ".swap-to-" + b);
    }

    /** The steps after db{@code a} was renamed aside; each one is skipped if a crash came after it. */
    private void finishSwap(int a, int b) throws java.io.IOException {
        if (!java.nio.file.Files.exists(dirOf(a))) {
            java.nio.file.Files.move(dirOf(b), dirOf(a), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            syncDir();
        }
        java.nio.file.Files.move(swapDir(a, b), dirOf(b), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        syncDir();
    }

    private void finishSwaps() {
        if (!java.nio.file.Files.isDirectory(config.dir())) {
            return;
        }
        try (var entries = java.nio.file.Files.list(config.dir())) {
            for (Path p : entries.toList()) {
                var m = java.util.regex.Pattern.compile("db(\\d+)\\.swap-to-(\\d+)").matcher(p.getFileName().toString());
                if (m.matches()) {
                    finishSwap(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("finishing an interrupted SWAPDB in " + config.dir(), e);
        }
    }

    /** Makes the renames in the data directory durable. */
    private void syncDir() throws java.io.IOException {
        try (var ch = java.nio.channels.FileChannel.open(config.dir(), java.nio.file.StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    public int count() {
        return dbs.length();
    }

    /** Database {@code index}, opened if needed. */
    public CouloyDB get(int index) {
        CouloyDB db = dbs.get(index);
        return db != null ? db : open(index);
    }

    private synchronized CouloyDB open(int index) {
        CouloyDB db = dbs.get(index);
        if (db == null) {
            db = CouloyDB.open(options(dirOf(index)));
            dbs.set(index, db);
            onOpen.accept(db, index);
        }
        return db;
    }

    /** Database {@code index} if opened, else null (no keys). */
    public CouloyDB peek(int index) {
        return dbs.get(index);
    }

    /**
     * Writes what every open database keeps in memory ({@link CouloyDB#flushWrites()}): called
     * before replies that acknowledge writes leave, so a process crash loses nothing
     * acknowledged. Cheap when nothing waits.
     */
    public void flushWrites() {
        for (int i = 0; i < dbs.length(); i++) {
            CouloyDB db = dbs.get(i);
            if (db != null) {
                db.flushWrites();
            }
        }
    }

    private Options options(Path dir) {
        // Deferred writes: a pipelined batch's records reach the file in one write, made before its
        // replies leave (ConnectionHandler), as Redis writes its AOF buffer before replying.
        return Options.builder(dir).syncPolicy(config.syncPolicy()).dataFileSize(config.dataFileSize()).deferredWrites(true)
                .maxValueSize((int) Math.min(Integer.MAX_VALUE, Math.min(config.protoMaxBulkLen(), config.dataFileSize())))
                .indexType(config.engineIndexType()).mergeDeadRatio(config.mergeDeadRatio())
                .mergeMinFiles(config.mergeMinFiles()).mergeInterval(Duration.ofSeconds(config.mergeInterval()))
                .mergeReads(config.engineMergeReads()).build();
    }

    /** DEBUG RELOAD: closes every open database; each reopens (from its files) on next use. */
    public synchronized void reload() {
        close();
    }

    /** Syncs every open database (SAVE, shutdown). */
    public synchronized void syncAll() {
        for (int i = 0; i < dbs.length(); i++) {
            CouloyDB db = dbs.get(i);
            if (db != null) {
                db.sync();
            }
        }
    }

    @Override
    public synchronized void close() {
        for (int i = 0; i < dbs.length(); i++) {
            CouloyDB db = dbs.getAndSet(i, null);
            if (db != null) {
                db.close();
            }
        }
    }
}
