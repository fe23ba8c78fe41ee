package io.couloy.engine.keydir;

/**
 * Where a key's latest record lies, and when the key expires.
 *
 * @param fileId data file id
 * @param offset byte offset of the record in that file
 * @param size the whole record's length in bytes
 * @param expiry absolute expiry in Unix milliseconds, 0 for none
 */
public record Location(int fileId, long offset, int size, long expiry) {
    /** Whether the key has expired at {@code nowMillis}. */
    public boolean expiredAt(long nowMillis) {
        return expiry != 0 && expiry <= nowMillis;
    }
}
