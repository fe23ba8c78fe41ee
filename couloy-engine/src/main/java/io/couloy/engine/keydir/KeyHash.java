package io.couloy.engine.keydir;

import io.couloy.engine.format.LittleEndian;

/** 64-bit hash of key bytes: 8 bytes a step through a multiply-xorshift mixer. */
final class KeyHash {
    private KeyHash() {}

    static long hash(byte[] key) {
        return hash(key, 0, key.length);
    }

    static long hash(byte[] b, int off, int len) {
        long h = 0x9E3779B97F4A7C15L ^ len;
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            h = mix(h ^ LittleEndian.getLong(b, i));
        }
        long tail = 0;
        for (int shift = 0; i < end; i++, shift += 8) {
            tail |= (b[i] & 0xFFL) << shift;
        }
        return mix(h ^ tail ^ 0x632BE59BD9B4E019L);
    }

    private static long mix(long x) {
        x *= 0xBF58476D1CE4E5B9L;
        x ^= x >>> 31;
        x *= 0x94D049BB133111EBL;
        return x ^ (x >>> 29);
    }
}
