package io.couloy.engine.script;

import java.io.IOException;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * The {@code cmsgpack} library Redis bundles (lua-cmsgpack 0.4): {@code pack(...)} packs each
 * argument, {@code unpack(s)} returns every value in {@code s}, {@code unpack_one(s [, offset])}
 * and {@code unpack_limit(s, n [, offset])} return the offset after what they read first. As
 * lua-cmsgpack: an integral number packs as the smallest integer type, another as a float32 if
 * that is exact, else a float64; a table with keys 1..n (or no keys) as an array, else a map;
 * strings as raw strings whatever their bytes. The format itself is msgpack-core's.
 */
final class CMsgpack {
    private CMsgpack() {}

    static LuaTable library() {
        LuaTable t = new LuaTable();
        t.rawset("pack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                if (a.narg() == 0) {
                    throw new LuaError("MessagePack pack needs input.");
                }
                try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
                    for (int i = 1; i <= a.narg(); i++) {
                        pack(out, a.arg(i), 1);
                    }
                    return LuaString.valueOf(out.toByteArray());
                } catch (IOException e) {
                    throw new LuaError(e.getMessage());
                }
            }
        });
        t.rawset("unpack", unpacker(-1, false));
        t.rawset("unpack_one", unpacker(1, true));
        t.rawset("unpack_limit", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return unpack(a.checkstring(1), a.checkint(2), a.optint(3, 0), true);
            }
        });
        return t;
    }

    private static VarArgFunction unpacker(int limit, boolean withOffset) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return unpack(a.checkstring(1), limit, withOffset ? a.optint(2, 0) : 0, withOffset);
            }
        };
    }

    private static void pack(MessageBufferPacker out, LuaValue v, int depth) throws IOException {
        if (depth > 16) { // lua-cmsgpack's LUACMSGPACK_MAX_NESTING: deeper tables pack as nil
            out.packNil();
            return;
        }
        switch (v.type()) {
            case LuaValue.TNIL -> out.packNil();
            case LuaValue.TBOOLEAN -> out.packBoolean(v.toboolean());
            case LuaValue.TNUMBER -> {
                double d = v.todouble();
                if (d == Math.rint(d) && Math.abs(d) < 9.2e18) {
                    out.packLong((long) d);
                } else if ((double) (float) d == d || Double.isNaN(d)) {
                    out.packFloat((float) d);
                } else {
                    out.packDouble(d);
                }
            }
            case LuaValue.TSTRING -> {
                LuaString s = v.checkstring();
                out.packRawStringHeader(s.m_length);
                out.writePayload(s.m_bytes, s.m_offset, s.m_length);
            }
            case LuaValue.TTABLE -> {
                LuaTable t = (LuaTable) v;
                int n = arrayLength(t);
                if (n >= 0) {
                    out.packArrayHeader(n);
                    for (int i = 1; i <= n; i++) {
                        pack(out, t.rawget(i), depth + 1);
                    }
                } else {
                    LuaValue[] keys = t.keys();
                    out.packMapHeader(keys.length);
                    for (LuaValue k : keys) {
                        pack(out, k, depth + 1);
                        pack(out, t.rawget(k), depth + 1);
                    }
                }
            }
            default -> out.packNil(); // functions, userdata: nil, as lua-cmsgpack packs them
        }
    }

    /** The length if the keys are exactly 1..n (0 for none), else -1. */
    private static int arrayLength(LuaTable t) {
        int count = 0;
        int max = 0;
        for (LuaValue k : t.keys()) {
            double d = k.isnumber() && k.type() == LuaValue.TNUMBER ? k.todouble() : -1;
            if (d < 1 || d != Math.floor(d)) {
                return -1;
            }
            max = Math.max(max, (int) d);
            count++;
        }
        return max == count ? count : -1;
    }

    private static Varargs unpack(LuaString s, int limit, int offset, boolean withOffset) {
        if (offset < 0 || offset > s.m_length) {
            throw new LuaError("Start offset " + offset + " greater than input length " + s.m_length + ".");
        }
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(s.m_bytes, s.m_offset + offset, s.m_length - offset)) {
            java.util.List<LuaValue> values = new java.util.ArrayList<>();
            while (in.hasNext() && (limit < 0 || values.size() < limit)) {
                values.add(value(in));
            }
            long next = offset + in.getTotalReadBytes();
            LuaValue[] out = new LuaValue[values.size() + (withOffset ? 1 : 0)];
            int i = 0;
            if (withOffset) {
                out[i++] = LuaValue.valueOf(next >= s.m_length ? -1 : next);
            }
            for (LuaValue v : values) {
                out[i++] = v;
            }
            return LuaValue.varargsOf(out);
        } catch (IOException | RuntimeException e) {
            throw new LuaError("Bad data format in input.");
        }
    }

    private static LuaValue value(MessageUnpacker in) throws IOException {
        MessageFormat f = in.getNextFormat();
        return switch (f.getValueType()) {
            case NIL -> {
                in.unpackNil();
                yield LuaValue.NIL;
            }
            case BOOLEAN -> LuaValue.valueOf(in.unpackBoolean());
            case INTEGER -> LuaValue.valueOf((double) in.unpackLong());
            case FLOAT -> LuaValue.valueOf(in.unpackDouble());
            case STRING, BINARY -> {
                int n = f.getValueType() == org.msgpack.value.ValueType.STRING ? in.unpackRawStringHeader()
                        : in.unpackBinaryHeader();
                yield LuaString.valueOf(in.readPayload(n));
            }
            case ARRAY -> {
                int n = in.unpackArrayHeader();
                LuaTable t = new LuaTable(n, 0);
                for (int i = 1; i <= n; i++) {
                    t.rawset(i, value(in));
                }
                yield t;
            }
            case MAP -> {
                int n = in.unpackMapHeader();
                LuaTable t = new LuaTable();
                for (int i = 0; i < n; i++) {
                    LuaValue k = value(in);
                    LuaValue v = value(in);
                    if (!k.isnil()) {
                        t.rawset(k, v);
                    }
                }
                yield t;
            }
            default -> throw new IOException("unsupported type " + f);
        };
    }
}
