package io.couloy.bench;

import java.nio.file.Path;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * H2's MVStore, one map of byte arrays, default auto-commit (a background thread writes
 * changes out about once a second). MVStore has no per-write fsync, so it sits out the
 * synced benchmarks.
 */
final class MvStoreStore implements Store {
    private final MVStore store;
    private final MVMap<byte[], byte[]> map;

    MvStoreStore(Path dir, boolean sync) {
        if (sync) {
            throw new UnsupportedOperationException("MVStore has no fsync-per-write mode");
        }
        store = new MVStore.Builder().fileName(dir.resolve("bench.mv").toString()).open();
        map = store.openMap("bench");
    }

    @Override
    public void put(byte[] key, byte[] value) {
        map.put(key, value);
    }

    @Override
    public byte[] get(byte[] key) {
        return map.get(key);
    }

    @Override
    public void putBatch(byte[][] keys, byte[][] values) {
        for (int i = 0; i < keys.length; i++) {
            map.put(keys[i], values[i]);
        }
        store.commit();
    }

    @Override
    public void close() {
        store.close();
    }
}
