package io.couloy.server.dump;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The compact encodings Redis nests in RDB strings for small collections. Read only: DUMP writes
 * the plain encodings.
 *
 * <pre>
 * listpack: total-bytes u32 LE | count u16 LE | entry* | 0xFF
 *   entry:  encoding+data | backlen (1-5 bytes, the entry's length, read backwards)
 *   0xxxxxxx                 7-bit unsigned int      10xxxxxx + data      6-bit length string
 *   110xxxxx b               13-bit signed int       1110xxxx b + data    12-bit length string
 *   11110000 u32 + data      32-bit length string    11110001/2/3/4       16/24/32/64-bit signed int (LE)
 * intset:   encoding u32 LE (2, 4 or 8) | count u32 LE | signed LE integers
 * </pre>
 */
final class PackedEncodings {
    private PackedEncodings() {}

    static List<byte[]> listPack(byte[] lp) {
        if (lp.length < 7 || (lp[lp.length - 1] & 0xff) != 0xff) {
            throw new IllegalArgumentException("not a listpack");
        }
        long total = le(lp, 0, 4);
        if (total != lp.length) {
            throw new IllegalArgumentException("listpack size mismatch");
        }
        List<byte[]> out = new ArrayList<>();
        int p = 6;
        while ((lp[p] & 0xff) != 0xff) {
            int start = p;
            int e = lp[p] & 0xff;
            if ((e & 0x80) == 0) {
                out.add(number(e & 0x7f));
                p += 1;
            } else if ((e & 0xc0) == 0x80) {
                int len = e & 0x3f;
                out.add(slice(lp, p + 1, len));
                p += 1 + len;
            } else if ((e & 0xe0) == 0xc0) {
                long v = (e & 0x1f) << 8 | (lp[p + 1] & 0xff);
                out.add(number(v >= 1 << 12 ? v - (1 << 13) : v));
                p += 2;
            } else if ((e & 0xf0) == 0xe0) {
                int len = (e & 0x0f) << 8 | (lp[p + 1] & 0xff);
                out.add(slice(lp, p + 2, len));
                p += 2 + len;
            } else {
                switch (e) {
                    case 0xf0 -> {
                        long len = le(lp, p + 1, 4);
                        if (len > lp.length) {
                            throw new IllegalArgumentException("listpack string too long");
                        }
                        out.add(slice(lp, p + 5, (int) len));
                        p += 5 + (int) len;
                    }
                    case 0xf1 -> {
                        out.add(number((short) le(lp, p + 1, 2)));
                        p += 3;
                    }
                    case 0xf2 -> {
                        out.add(number(le(lp, p + 1, 3) << 40 >> 40));
                        p += 4;
                    }
                    case 0xf3 -> {
                        out.add(number((int) le(lp, p + 1, 4)));
                        p += 5;
                    }
                    case 0xf4 -> {
                        out.add(number(le(lp, p + 1, 8)));
                        p += 9;
                    }
                    default -> throw new IllegalArgumentException("bad listpack entry");
                }
            }
            p += backlenSize(p - start);
        }
        if (p != lp.length - 1) {
            throw new IllegalArgumentException("listpack ends early");
        }
        return out;
    }

    private static int backlenSize(int entryLength) {
        return entryLength < 128 ? 1 : entryLength < 16384 ? 2 : entryLength < 2097152 ? 3 : entryLength < 268435456 ? 4 : 5;
    }

    static List<byte[]> intSet(byte[] is) {
        long width = le(is, 0, 4);
        long count = le(is, 4, 4);
        if ((width != 2 && width != 4 && width != 8) || 8 + width * count != is.length) {
            throw new IllegalArgumentException("not an intset");
        }
        List<byte[]> out = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            long v = le(is, 8 + i * (int) width, (int) width);
            int shift = 64 - 8 * (int) width;
            out.add(number(v << shift >> shift));
        }
        return out;
    }

    private static byte[] number(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] slice(byte[] b, int from, int len) {
        if (from + len > b.length) {
            throw new IllegalArgumentException("listpack entry past the end");
        }
        return java.util.Arrays.copyOfRange(b, from, from + len);
    }

    private static long le(byte[] b, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) (b[off + i] & 0xff) << (8 * i);
        }
        return v;
    }
}
