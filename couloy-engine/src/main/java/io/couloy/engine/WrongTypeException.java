package io.couloy.engine;

import io.couloy.engine.format.KeyText;

/**
 * An operation of one type met a key holding another (a hash operation on a string key, a GET on
 * a set). Nothing was changed. A Redis server replies {@code WRONGTYPE} to it.
 */
public final class WrongTypeException extends CouloyException {
    private final KeyType held;

    public WrongTypeException(byte[] key, KeyType held, KeyType wanted) {
        super("key " + KeyText.of(key, 64) + " holds a " + held.redisName() + ", not a " + wanted.redisName());
        this.held = held;
    }

    /** The type the key holds. */
    public KeyType held() {
        return held;
    }
}
