package io.couloy.server.pubsub;

import java.util.Arrays;

/** A channel or pattern name: bytes with value equality. */
public record Name(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
        return o instanceof Name n && Arrays.equals(bytes, n.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
