package io.couloy.bench;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/**
 * LMDB through lmdbjava with direct buffers, one write transaction per put. Without
 * {@code sync}, MDB_NOSYNC (the OS writes back, like the others' no-sync mode).
 */
final class LmdbStore implements Store {
    private final Env<ByteBuffer> env;
    private final Dbi<ByteBuffer> dbi;
    private final ThreadLocal<ByteBuffer> keyBuf = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(511));
    private final ThreadLocal<ByteBuffer> valBuf = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(64 * 1024));

    LmdbStore(Path dir, boolean sync) {
        EnvFlags[] flags = sync ? new EnvFlags[] {EnvFlags.MDB_NOTLS} : new EnvFlags[] {EnvFlags.MDB_NOTLS, EnvFlags.MDB_NOSYNC};
        env = Env.create().setMapSize(64L << 30).setMaxDbs(1).setMaxReaders(256).open(dir.toFile(), flags);
        dbi = env.openDbi("bench", DbiFlags.MDB_CREATE);
    }

    private ByteBuffer key(byte[] k) {
        ByteBuffer b = keyBuf.get().clear();
        b.put(k).flip();
        return b;
    }

    @Override
    public void put(byte[] key, byte[] value) {
        ByteBuffer v = valBuf.get().clear();
        v.put(value).flip();
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            dbi.put(txn, key(key), v);
            txn.commit();
        }
    }

    @Override
    public byte[] get(byte[] key) {
        try (Txn<ByteBuffer> txn = env.txnRead()) {
            ByteBuffer v = dbi.get(txn, key(key));
            if (v == null) {
                return null;
            }
            byte[] out = new byte[v.remaining()];
            v.get(out);
            return out;
        }
    }

    @Override
    public void putBatch(byte[][] keys, byte[][] values) {
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            for (int i = 0; i < keys.length; i++) {
                ByteBuffer v = valBuf.get().clear();
                v.put(values[i]).flip();
                dbi.put(txn, key(keys[i]), v);
            }
            txn.commit();
        }
    }

    @Override
    public void close() {
        env.close();
    }
}
