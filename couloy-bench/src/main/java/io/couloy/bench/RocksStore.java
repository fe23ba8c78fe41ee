package io.couloy.bench;

import java.nio.file.Path;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** RocksDB with default options and the WAL on; {@code sync} sets WriteOptions.sync. */
final class RocksStore implements Store {
    static {
        RocksDB.loadLibrary();
    }

    private final org.rocksdb.Options options;
    private final RocksDB db;
    private final WriteOptions writeOptions;

    RocksStore(Path dir, boolean sync) {
        options = new org.rocksdb.Options().setCreateIfMissing(true);
        writeOptions = new WriteOptions().setSync(sync);
        try {
            db = RocksDB.open(options, dir.toString());
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void put(byte[] key, byte[] value) {
        try {
            db.put(writeOptions, key, value);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public byte[] get(byte[] key) {
        try {
            return db.get(key);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void putBatch(byte[][] keys, byte[][] values) {
        try (WriteBatch b = new WriteBatch()) {
            for (int i = 0; i < keys.length; i++) {
                b.put(keys[i], values[i]);
            }
            db.write(writeOptions, b);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        db.close();
        writeOptions.close();
        options.close();
    }
}
