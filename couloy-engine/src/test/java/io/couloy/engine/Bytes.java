package io.couloy.engine;

import java.nio.charset.StandardCharsets;

/** Short names for test byte arrays. */
final class Bytes {
    private Bytes() {}

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
