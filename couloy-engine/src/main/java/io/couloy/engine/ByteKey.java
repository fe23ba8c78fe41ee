package io.couloy.engine;

import java.util.Arrays;

/** A byte array with value equality, for sets and maps of members inside the type operations. */
record ByteKey(byte[] b) {
    @Override
    public boolean equals(Object o) {
        return o instanceof ByteKey other && Arrays.equals(b, other.b);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(b);
    }

    @Override
    public String toString() {
        return io.couloy.engine.format.KeyText.of(b, 64);
    }
}
