package io.couloy.engine.format;

/**
 * Unsigned LEB128 varints: 7 bits a byte, low groups first, high bit set on every byte but the
 * last. A 32-bit value takes 1 to 5 bytes, a 64-bit value 1 to 10.
 */
public final class Varint {
    /** Longest encoding of a 64-bit value. */
    public static final int MAX_LONG_BYTES = 10;
    /** Longest encoding of a 32-bit value. */
    public static final int MAX_INT_BYTES = 5;

    private Varint() {}

    /** Bytes {@link #write} uses for {@code value}. */
    public static int size(long value) {
        int n = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            n++;
        }
        return n;
    }

    /** Writes {@code value} at {@code pos}; returns the position after it. */
    public static int write(byte[] buf, int pos, long value) {
        while ((value & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buf[pos++] = (byte) value;
        return pos;
    }

    /**
     * Reads a varint from {@code buf[pos..limit)}. Returns the value; its length goes to
     * {@code lengthOut[0]}, or -1 if the bytes end before the varint does, or -2 if it is longer
     * than {@code maxBytes} (corrupt).
     */
    public static long read(byte[] buf, int pos, int limit, int maxBytes, int[] lengthOut) {
        long result = 0;
        int shift = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (pos + i >= limit) {
                lengthOut[0] = -1;
                return 0;
            }
            byte b = buf[pos + i];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                lengthOut[0] = i + 1;
                return result;
            }
            shift += 7;
        }
        lengthOut[0] = -2;
        return 0;
    }
}
