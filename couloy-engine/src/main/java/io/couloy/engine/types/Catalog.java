package io.couloy.engine.types;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The collections of the database by key. The key directory says whether a key exists and when
 * it expires; the catalog says, for a key that holds a collection, which one. String keys are not
 * in it.
 *
 * <p>Memory: about 90 bytes per collection key for the map entry and key copy, plus the
 * collection's member index (a few hundred bytes when small). Many small collections would do
 * better packed into one record each, as Redis's listpack encoding does; not done yet.
 */
public final class Catalog {
    private final ConcurrentHashMap<Key, Collection> byKey = new ConcurrentHashMap<>();
    private final AtomicLong lastId = new AtomicLong();

    /** The collection {@code key} holds, or null (absent, or a string). */
    public Collection get(byte[] key) {
        return byKey.isEmpty() ? null : byKey.get(new Key(key));
    }

    /** Records that {@code key} holds {@code c}; returns the collection it held before, or null. */
    public Collection put(byte[] key, Collection c) {
        observeId(c.id());
        return byKey.put(new Key(key.clone()), c);
    }

    /** Forgets {@code key}'s collection; returns it, or null if it held none. */
    public Collection remove(byte[] key) {
        return byKey.isEmpty() ? null : byKey.remove(new Key(key));
    }

    /** A collection id never used before in this database. */
    public long newId() {
        return lastId.incrementAndGet();
    }

    /** Makes later {@link #newId()}s larger than {@code id} (an id met while loading). */
    public void observeId(long id) {
        lastId.accumulateAndGet(id, Math::max);
    }

    /**
     * Visits each collection with its key, weakly consistently: one held for the whole walk is
     * visited once; one added or removed meanwhile may or may not be. Takes no lock. The key
     * array is the catalog's own: read it, never change it.
     */
    public void forEach(BiConsumer<byte[], Collection> visitor) {
        byKey.forEach((k, c) -> visitor.accept(k.bytes, c));
    }

    /** Releases every collection's native memory (the database is closing). */
    public void releaseAll() {
        byKey.values().forEach(Collection::release);
    }

    /** Collections held. */
    public int size() {
        return byKey.size();
    }

    /** Estimated bytes: map entries, key copies and member indexes (a long list's pages are native memory). */
    public long memoryBytes() {
        long total = 0;
        for (var e : byKey.entrySet()) {
            total += 32 + 24 + 16 + e.getKey().bytes.length + 40 + e.getValue().members().memoryBytes();
        }
        return total;
    }

    private record Key(byte[] bytes, int hash) {
        Key(byte[] bytes) {
            this(bytes, Arrays.hashCode(bytes));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && hash == k.hash && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
