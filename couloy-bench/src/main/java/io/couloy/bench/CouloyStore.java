package io.couloy.bench;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.Options;
import io.couloy.engine.SyncPolicy;
import io.couloy.engine.WriteBatch;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CouloyDB with default options but the sync policy: OS write-back, or ALWAYS with group
 * commit. {@code -Dcouloy.mmap=true|false} and {@code -Dcouloy.fileSize=bytes} override the
 * defaults for experiments.
 */
final class CouloyStore implements Store {
    private final CouloyDB db;

    CouloyStore(Path dir, boolean sync) {
        Options.Builder b = Options.builder(dir).syncPolicy(sync ? SyncPolicy.ALWAYS : SyncPolicy.OS)
                .mergeInterval(Duration.ZERO);
        if (System.getProperty("couloy.mmap") != null) {
            b.mmapReads(Boolean.getBoolean("couloy.mmap"));
        }
        if (System.getProperty("couloy.fileSize") != null) {
            b.dataFileSize(Long.getLong("couloy.fileSize"));
        }
        db = CouloyDB.open(b.build());
    }

    @Override
    public void put(byte[] key, byte[] value) {
        db.put(key, value);
    }

    @Override
    public byte[] get(byte[] key) {
        return db.get(key);
    }

    @Override
    public void putBatch(byte[][] keys, byte[][] values) {
        WriteBatch b = new WriteBatch();
        for (int i = 0; i < keys.length; i++) {
            b.put(keys[i], values[i]);
        }
        db.write(b);
    }

    CouloyDB db() {
        return db;
    }

    @Override
    public void close() {
        db.close();
    }
}
