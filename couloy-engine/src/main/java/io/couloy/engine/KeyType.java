package io.couloy.engine;

import io.couloy.engine.format.CollectionHeader;

/**
 * What a key holds. One key holds one type; an operation of another type on it raises
 * {@link WrongTypeException}. The names are Redis's (what TYPE replies).
 */
public enum KeyType {
    STRING("string", 0),
    HASH("hash", CollectionHeader.KIND_HASH),
    SET("set", CollectionHeader.KIND_SET),
    LIST("list", CollectionHeader.KIND_LIST),
    ZSET("zset", CollectionHeader.KIND_ZSET);

    private final String redisName;
    /** The kind code a collection's header stores on disk; 0 for strings (which have none). */
    final int code;

    KeyType(String redisName, int code) {
        this.redisName = redisName;
        this.code = code;
    }

    /** The name Redis's TYPE command gives this type. */
    public String redisName() {
        return redisName;
    }

    /** values() copies the array each call; ofCode runs on every collection look-up. */
    private static final KeyType[] ALL = values();

    /** The collection type with on-disk kind {@code code}, or null. */
    static KeyType ofCode(int code) {
        for (KeyType t : ALL) {
            if (t.code == code && t != STRING) {
                return t;
            }
        }
        return null;
    }
}
