package io.couloy.bench;

import java.nio.file.Path;

/**
 * The operations every benchmarked store offers, each used as its own documentation recommends
 * for a point-lookup workload. Implementations are thread-safe.
 */
interface Store extends AutoCloseable {
    void put(byte[] key, byte[] value);

    /** The value, or null if absent. */
    byte[] get(byte[] key);

    /** All pairs in one atomic batch or transaction. */
    void putBatch(byte[][] keys, byte[][] values);

    @Override
    void close();

    /** Which store, and whether each write is fsynced before it returns. */
    enum Kind {
        couloy, rocksdb, lmdb, mvstore;

        Store open(Path dir, boolean syncEveryWrite) {
            return switch (this) {
                case couloy -> new CouloyStore(dir, syncEveryWrite);
                case rocksdb -> new RocksStore(dir, syncEveryWrite);
                case lmdb -> new LmdbStore(dir, syncEveryWrite);
                case mvstore -> new MvStoreStore(dir, syncEveryWrite);
            };
        }
    }
}
