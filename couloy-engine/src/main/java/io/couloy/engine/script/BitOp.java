package io.couloy.engine.script;

import java.util.Locale;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code bit} library Redis bundles (LuaBitOp 1.0): 32-bit operations on Lua numbers with
 * results as signed 32-bit integers — tobit, tohex, bnot, band, bor, bxor, lshift, rshift,
 * arshift, rol, ror, bswap.
 */
final class BitOp {
    private BitOp() {}

    /** A number as LuaBitOp sees it: rounded to an integer, then taken modulo 2^32. */
    static int tobit(LuaValue v) {
        double d = v.checkdouble();
        return (int) (long) Math.rint(d);
    }

    private interface Op {
        int apply(Varargs a);
    }

    private static VarArgFunction fn(Op op) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return LuaValue.valueOf(op.apply(a));
            }
        };
    }

    static LuaTable library() {
        LuaTable t = new LuaTable();
        t.rawset("tobit", fn(a -> tobit(a.arg1())));
        t.rawset("bnot", fn(a -> ~tobit(a.arg1())));
        t.rawset("band", fn(a -> fold(a, (x, y) -> x & y)));
        t.rawset("bor", fn(a -> fold(a, (x, y) -> x | y)));
        t.rawset("bxor", fn(a -> fold(a, (x, y) -> x ^ y)));
        t.rawset("lshift", fn(a -> tobit(a.arg1()) << (tobit(a.arg(2)) & 31)));
        t.rawset("rshift", fn(a -> tobit(a.arg1()) >>> (tobit(a.arg(2)) & 31)));
        t.rawset("arshift", fn(a -> tobit(a.arg1()) >> (tobit(a.arg(2)) & 31)));
        t.rawset("rol", fn(a -> Integer.rotateLeft(tobit(a.arg1()), tobit(a.arg(2)) & 31)));
        t.rawset("ror", fn(a -> Integer.rotateRight(tobit(a.arg1()), tobit(a.arg(2)) & 31)));
        t.rawset("bswap", fn(a -> Integer.reverseBytes(tobit(a.arg1()))));
        t.rawset("tohex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                int x = tobit(a.arg1());
                int n = a.isnoneornil(2) ? 8 : tobit(a.arg(2));
                boolean upper = n < 0;
                n = Math.min(Math.abs(n), 8);
                String hex = String.format("%08x", x);
                hex = hex.substring(8 - n);
                return LuaValue.valueOf(upper ? hex.toUpperCase(Locale.ROOT) : hex);
            }
        });
        return t;
    }

    private static int fold(Varargs a, java.util.function.IntBinaryOperator op) {
        int r = tobit(a.arg1());
        for (int i = 2; i <= a.narg(); i++) {
            r = op.applyAsInt(r, tobit(a.arg(i)));
        }
        return r;
    }
}
