package io.couloy.server.command;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.Options;
import io.couloy.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The numbered databases SELECT reaches: database n is an engine of its own in {@code dir/db<n>},
 * opened on first use (so 16 configured databases cost nothing until used). Thread-safe.
 */
public final class Databases implements AutoCloseable {
    private final ServerConfig config;
    private final CouloyDB[] dbs;
    private final java.util.function.ObjIntConsumer<CouloyDB> onOpen;

    /** @param onOpen told of each database as it opens (keyspace notifications subscribe there) */
    public Databases(ServerConfig config, java.util.function.BiConsumer<Integer, CouloyDB> onOpen) {
        this.config = config;
        this.dbs = new CouloyDB[config.databases()];
        this.onOpen = (db, i) -> onOpen.accept(i, db);
    }

    public int count() {
        return dbs.length;
    }

    /** Database {@code index}, opened if needed. */
    public synchronized CouloyDB get(int index) {
        CouloyDB db = dbs[index];
        if (db == null) {
            db = CouloyDB.open(options(config.dir().resolve("db" + index)));
            dbs[index] = db;
            onOpen.accept(db, index);
        }
        return db;
    }

    /** Database {@code index} if opened, else null (no keys). */
    public synchronized CouloyDB peek(int index) {
        return dbs[index];
    }

    private Options options(Path dir) {
        return Options.builder(dir).syncPolicy(config.syncPolicy()).dataFileSize(config.dataFileSize())
                .maxValueSize((int) Math.min(Integer.MAX_VALUE, Math.min(config.protoMaxBulkLen(), config.dataFileSize())))
                .mergeInterval(Duration.ofMinutes(1)).build();
    }

    /** DEBUG RELOAD: closes every open database; each reopens (from its files) on next use. */
    public synchronized void reload() {
        close();
    }

    /** Syncs every open database (SAVE, shutdown). */
    public synchronized void syncAll() {
        for (CouloyDB db : dbs) {
            if (db != null) {
                db.sync();
            }
        }
    }

    @Override
    public synchronized void close() {
        for (int i = 0; i < dbs.length; i++) {
            if (dbs[i] != null) {
                dbs[i].close();
                dbs[i] = null;
            }
        }
    }
}
