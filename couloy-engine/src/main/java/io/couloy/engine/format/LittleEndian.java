package io.couloy.engine.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Fixed-width little-endian reads and writes on byte arrays, at any alignment. */
public final class LittleEndian {
    private static final VarHandle INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {}

    public static int getInt(byte[] b, int pos) {
        return (int) INT.get(b, pos);
    }

    public static void putInt(byte[] b, int pos, int v) {
        INT.set(b, pos, v);
    }

    public static long getLong(byte[] b, int pos) {
        return (long) LONG.get(b, pos);
    }

    public static void putLong(byte[] b, int pos, long v) {
        LONG.set(b, pos, v);
    }

    public static int getUnsignedShort(byte[] b, int pos) {
        return (short) SHORT.get(b, pos) & 0xFFFF;
    }

    public static void putShort(byte[] b, int pos, int v) {
        SHORT.set(b, pos, (short) v);
    }
}
