package io.couloy.engine.keydir;

import java.util.List;

/**
 * The hash directory plus a {@link KeyTree} over the same arena entries: point reads stay O(1)
 * through the hash table; ordered, prefix and range scans walk the tree. Costs about 18 bytes
 * a key more than {@link HashKeyDir}.
 */
final class OrderedKeyDir extends HashKeyDir {
    private final KeyTree tree = new KeyTree(arena);

    @Override
    void onInsert(byte[] key, long addr) {
        tree.insert(key, addr);
    }

    @Override
    void onRemove(byte[] key) {
        tree.remove(key);
    }

    @Override
    void onRelocate(byte[] key, long addr) {
        tree.replace(key, addr);
    }

    @Override
    long extraMemory() {
        return tree.memoryBytes();
    }

    @Override
    public boolean ordered() {
        return true;
    }

    @Override
    public List<byte[]> keys(byte[] from, boolean inclusive, boolean reverse, int limit) {
        long stamp = lock.readLock();
        try {
            return tree.keys(from, inclusive, reverse, limit);
        } finally {
            lock.unlockRead(stamp);
        }
    }
}
