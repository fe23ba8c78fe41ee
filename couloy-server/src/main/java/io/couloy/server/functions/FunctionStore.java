package io.couloy.server.functions;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.Options;
import io.couloy.engine.SyncPolicy;
import io.couloy.engine.script.LuaSandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Function libraries kept across restarts, as Redis keeps them in its RDB: an engine of their
 * own in {@code dir/functions} (library name to code, every change synced), loaded into the
 * server's Lua sandbox at start. Opened on first use.
 */
public final class FunctionStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FunctionStore.class);

    private final Path dir;
    private CouloyDB db;

    public FunctionStore(Path dir) {
        this.dir = dir;
    }

    private synchronized CouloyDB db() {
        if (db == null) {
            db = CouloyDB.open(Options.builder(dir).syncPolicy(SyncPolicy.ALWAYS).dataFileSize(16L * 1024 * 1024).build());
        }
        return db;
    }

    /** Loads every stored library into {@code scripts}; a library that no longer loads is logged and skipped. */
    public synchronized int loadInto(LuaSandbox scripts) {
        int n = 0;
        CouloyDB d = db();
        long cursor = 0;
        do {
            CouloyDB.ScanResult r = d.scan(cursor, 1000, null);
            for (byte[] name : r.keys()) {
                byte[] code = d.get(name);
                if (code == null) {
                    continue;
                }
                try {
                    scripts.loadLibrary(code, true);
                    n++;
                } catch (LuaSandbox.ScriptException e) {
                    LOG.error("stored function library '{}' does not load: {}", new String(name, StandardCharsets.UTF_8),
                            e.getMessage());
                }
            }
            cursor = r.cursor();
        } while (cursor != 0);
        return n;
    }

    public synchronized void save(LuaSandbox.Library lib) {
        db().put(lib.name().getBytes(StandardCharsets.UTF_8), lib.code());
    }

    public synchronized void delete(String name) {
        db().delete(name.getBytes(StandardCharsets.UTF_8));
    }

    /** Makes the store hold exactly the sandbox's libraries (after FLUSH or RESTORE). */
    public synchronized void replaceWith(java.util.List<LuaSandbox.Library> libraries) {
        CouloyDB d = db();
        java.util.Set<String> keep = new java.util.HashSet<>();
        libraries.forEach(l -> keep.add(l.name()));
        long cursor = 0;
        do {
            CouloyDB.ScanResult r = d.scan(cursor, 1000, null);
            for (byte[] name : r.keys()) {
                if (!keep.contains(new String(name, StandardCharsets.UTF_8))) {
                    d.delete(name);
                }
            }
            cursor = r.cursor();
        } while (cursor != 0);
        libraries.forEach(this::save);
    }

    @Override
    public synchronized void close() {
        if (db != null) {
            db.close();
            db = null;
        }
    }
}
