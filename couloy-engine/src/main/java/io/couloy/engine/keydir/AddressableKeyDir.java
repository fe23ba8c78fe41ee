package io.couloy.engine.keydir;

/**
 * A member directory whose entries can be read in place by their arena address, so that another
 * index can order the members without a copy of each (a sorted set's score tree keeps 8-byte
 * addresses, as {@link KeyTree} does for {@link OrderedKeyDir}).
 *
 * <p>An address names its entry until the member is removed or the entry moves: a put that adds
 * or drops the expiry field allocates a new entry ({@link #putForAddress} returns it). Whoever
 * reads by address must hold a lock that orders those reads after every write to this directory
 * (a sorted set's index writes only under its own write lock and reads under its read lock).
 */
public final class AddressableKeyDir extends HashKeyDir {
    /** An empty directory sized for a small collection (8 slots, a 64-byte first arena chunk). */
    public AddressableKeyDir() {
        super(8, 64);
    }

    /** Puts as {@link #put} and returns the entry's address. Call inside {@link #write}. */
    @Override
    public long putForAddress(byte[] key, int fileId, long offset, int size, long expiry) {
        return super.putForAddress(key, fileId, offset, size, expiry);
    }

    /** The address of {@code key}'s entry, 0 if absent. Call inside {@link #write}. */
    @Override
    public long address(byte[] key) {
        return super.address(key);
    }

    /** The location an entry holds. */
    public Location location(long addr) {
        return arena.location(addr);
    }

    /** The array holding the entry's key, which starts at {@link #keyStart} and is {@link #keyLength} long. */
    public byte[] keyArray(long addr) {
        return arena.chunk(addr);
    }

    public int keyStart(long addr) {
        return arena.keyStart(addr);
    }

    public int keyLength(long addr) {
        return arena.keyLength(addr);
    }

    /** A copy of the entry's key. */
    public byte[] key(long addr) {
        return arena.key(addr);
    }
}
