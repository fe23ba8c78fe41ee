package io.couloy.engine.script;

import java.io.ByteArrayOutputStream;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code struct} library Redis bundles (Roberto Ierusalimschy's lua_struct): {@code pack},
 * {@code unpack} (values, then the position after them) and {@code size}. Options: {@code > < =}
 * byte order, {@code !n} alignment, {@code x} padding, {@code b B h H l L T} and {@code i I[n]}
 * integers (n up to 8 bytes), {@code f d} floats, {@code s} zero-terminated and {@code c[n]}
 * fixed strings ({@code c0}: the whole string when packing, the previous number's length when
 * unpacking).
 */
final class Struct {
    private Struct() {}

    /** Format reading state: byte order and alignment. */
    private static final class Format {
        final byte[] f;
        int pos;
        boolean little = true;
        int align = 1;

        Format(LuaString s) {
            f = new byte[s.m_length];
            System.arraycopy(s.m_bytes, s.m_offset, f, 0, f.length);
        }

        boolean more() {
            return pos < f.length;
        }

        int number(int fallback) {
            if (pos >= f.length || f[pos] < '0' || f[pos] > '9') {
                return fallback;
            }
            int n = 0;
            while (pos < f.length && f[pos] >= '0' && f[pos] <= '9') {
                n = n * 10 + (f[pos++] - '0');
            }
            return n;
        }

        /** The size of option {@code opt}, reading its number if it takes one. */
        int size(char opt) {
            return switch (opt) {
                case 'B', 'b', 'x', 'c', 's' -> 1;
                case 'H', 'h' -> 2;
                case 'L', 'l', 'T', 'd' -> 8;
                case 'f' -> 4;
                case 'i', 'I' -> {
                    int n = number(4);
                    if (n < 1 || n > 8) {
                        throw new LuaError("integral size " + n + " is larger than limit of 8");
                    }
                    yield n;
                }
                default -> 0;
            };
        }

        /** Padding needed before a field of {@code size} at {@code len}. */
        int padding(int len, char opt, int size) {
            if (size <= 1 || opt == 'c') {
                return 0;
            }
            int a = Math.min(size, align);
            if ((a & (a - 1)) != 0) {
                throw new LuaError("alignment must be power of 2");
            }
            return (a - (len & (a - 1))) & (a - 1);
        }

        /** Handles the order and alignment options; returns true if {@code opt} was one. */
        boolean control(char opt) {
            switch (opt) {
                case ' ' -> { }
                case '>' -> little = false;
                case '<', '=' -> little = true;
                case '!' -> align = number(8);
                default -> {
                    return false;
                }
            }
            return true;
        }
    }

    static LuaTable library() {
        LuaTable t = new LuaTable();
        t.rawset("pack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return pack(new Format(a.checkstring(1)), a);
            }
        });
        t.rawset("unpack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return unpack(new Format(a.checkstring(1)), a.checkstring(2), a.optint(3, 1));
            }
        });
        t.rawset("size", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                Format f = new Format(a.checkstring(1));
                int len = 0;
                while (f.more()) {
                    char opt = (char) f.f[f.pos++];
                    if (f.control(opt)) {
                        continue;
                    }
                    int size = f.size(opt);
                    if (opt == 's') {
                        throw new LuaError("options 's' has no fixed size");
                    }
                    if (opt == 'c') {
                        size = f.number(1);
                        if (size == 0) {
                            throw new LuaError("options 'c0' has no fixed size");
                        }
                    }
                    len += f.padding(len, opt, size) + size;
                }
                return LuaValue.valueOf(len);
            }
        });
        return t;
    }

    private static Varargs pack(Format f, Varargs a) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int arg = 2;
        while (f.more()) {
            char opt = (char) f.f[f.pos++];
            if (f.control(opt)) {
                continue;
            }
            int size = f.size(opt);
            for (int p = f.padding(out.size(), opt, size); p > 0; p--) {
                out.write(0);
            }
            switch (opt) {
                case 'x' -> out.write(0);
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    double d = a.checkdouble(arg++);
                    writeInt(out, (long) d, size, f.little);
                }
                case 'f' -> writeInt(out, Float.floatToRawIntBits((float) a.checkdouble(arg++)), 4, f.little);
                case 'd' -> writeInt(out, Double.doubleToRawLongBits(a.checkdouble(arg++)), 8, f.little);
                case 'c', 's' -> {
                    LuaString s = a.checkstring(arg++);
                    int n = opt == 'c' ? f.number(1) : s.m_length;
                    if (opt == 'c' && n == 0) {
                        n = s.m_length;
                    }
                    if (n > s.m_length) {
                        throw new LuaError("bad argument #" + (arg - 1) + " to 'pack' (string too short)");
                    }
                    out.write(s.m_bytes, s.m_offset, n);
                    if (opt == 's') {
                        out.write(0);
                    }
                }
                default -> throw new LuaError("invalid format option '" + opt + "'");
            }
        }
        return LuaString.valueOf(out.toByteArray());
    }

    private static Varargs unpack(Format f, LuaString data, int init) {
        int pos = init - 1;
        if (pos < 0 || pos > data.m_length) {
            throw new LuaError("bad argument #3 to 'unpack' (offset must be 1 <= i <= len + 1)");
        }
        java.util.List<LuaValue> out = new java.util.ArrayList<>();
        long previous = 0;
        while (f.more()) {
            char opt = (char) f.f[f.pos++];
            if (f.control(opt)) {
                continue;
            }
            int size = f.size(opt);
            pos += f.padding(pos, opt, size);
            switch (opt) {
                case 'x' -> pos += 1;
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    need(data, pos, size);
                    long v = readInt(data, pos, size, f.little, Character.isLowerCase(opt));
                    previous = v;
                    out.add(LuaValue.valueOf((double) v));
                    pos += size;
                }
                case 'f' -> {
                    need(data, pos, 4);
                    out.add(LuaValue.valueOf(Float.intBitsToFloat((int) readInt(data, pos, 4, f.little, false))));
                    pos += 4;
                }
                case 'd' -> {
                    need(data, pos, 8);
                    out.add(LuaValue.valueOf(Double.longBitsToDouble(readInt(data, pos, 8, f.little, false))));
                    pos += 8;
                }
                case 'c' -> {
                    int n = f.number(1);
                    if (n == 0) { // the length is the number just read, which is not returned
                        if (out.isEmpty() || out.getLast().type() != LuaValue.TNUMBER) {
                            throw new LuaError("format 'c0' needs a previous size");
                        }
                        n = (int) previous;
                        out.removeLast();
                    }
                    need(data, pos, n);
                    out.add(data.substring(pos, pos + n));
                    pos += n;
                }
                case 's' -> {
                    int end = pos;
                    while (end < data.m_length && data.m_bytes[data.m_offset + end] != 0) {
                        end++;
                    }
                    if (end >= data.m_length) {
                        throw new LuaError("unfinished string in data");
                    }
                    out.add(data.substring(pos, end));
                    pos = end + 1;
                }
                default -> throw new LuaError("invalid format option '" + opt + "'");
            }
        }
        out.add(LuaValue.valueOf(pos + 1));
        return LuaValue.varargsOf(out.toArray(new LuaValue[0]));
    }

    private static void need(LuaString data, int pos, int n) {
        if (n < 0 || pos + n > data.m_length) {
            throw new LuaError("data string too short");
        }
    }

    private static void writeInt(ByteArrayOutputStream out, long v, int size, boolean little) {
        for (int i = 0; i < size; i++) {
            int shift = 8 * (little ? i : size - 1 - i);
            out.write((int) (v >>> shift) & 0xff);
        }
    }

    private static long readInt(LuaString data, int pos, int size, boolean little, boolean signed) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            int b = data.m_bytes[data.m_offset + pos + (little ? size - 1 - i : i)] & 0xff;
            v = v << 8 | b;
        }
        if (signed && size < 8) {
            int shift = 64 - 8 * size;
            v = v << shift >> shift;
        }
        return v;
    }
}
