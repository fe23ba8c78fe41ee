package io.couloy.engine.script;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Lua 5.1's {@code string.format}, which scripts written for Redis rely on: C's printf
 * conversions (flags {@code -+ #0}, width and precision up to two digits each) for
 * {@code c d i o u x X e E f g G}, {@code s} with Lua 5.1's number-to-string, and {@code q}.
 * LuaJ's own ignores the precision of {@code %f} and prints numbers as Lua 5.2 does.
 */
final class StringFormat extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
        LuaString fmt = args.checkstring(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(fmt.m_length + 16);
        int arg = 1;
        for (int i = 0; i < fmt.m_length; i++) {
            int c = fmt.luaByte(i);
            if (c != '%') {
                out.write(c);
                continue;
            }
            if (++i >= fmt.m_length) {
                throw new LuaError("invalid option '%' to 'format'");
            }
            if (fmt.luaByte(i) == '%') {
                out.write('%');
                continue;
            }
            int start = i;
            while (i < fmt.m_length && "-+ #0".indexOf(fmt.luaByte(i)) >= 0) {
                i++;
            }
            if (i - start > 5) {
                throw new LuaError("invalid format (repeated flags)");
            }
            String flags = fmt.substring(start, i).tojstring();
            int width = -1;
            int digits = 0;
            while (i < fmt.m_length && Character.isDigit(fmt.luaByte(i))) {
                width = (width < 0 ? 0 : width * 10) + fmt.luaByte(i++) - '0';
                digits++;
            }
            int precision = -1;
            if (i < fmt.m_length && fmt.luaByte(i) == '.') {
                i++;
                precision = 0;
                int pd = 0;
                while (i < fmt.m_length && Character.isDigit(fmt.luaByte(i))) {
                    precision = precision * 10 + fmt.luaByte(i++) - '0';
                    pd++;
                }
                digits = Math.max(digits, pd);
            }
            if (digits > 2) {
                throw new LuaError("invalid format (width or precision too long)");
            }
            if (i >= fmt.m_length) {
                throw new LuaError("invalid option '%' to 'format'");
            }
            char conv = (char) fmt.luaByte(i);
            if (++arg > args.narg()) {
                throw new LuaError("bad argument #" + arg + " to 'format' (no value)");
            }
            String piece = switch (conv) {
                case 'c' -> {
                    out.write((int) number(args, arg));
                    yield null;
                }
                case 'd', 'i' -> pad(Long.toString((long) number(args, arg)), flags, width, true);
                case 'o' -> pad(Long.toOctalString((long) number(args, arg)), flags, width, false);
                case 'u' -> pad(Long.toUnsignedString((long) number(args, arg)), flags, width, false);
                case 'x' -> pad(Long.toHexString((long) number(args, arg)), flags, width, false);
                case 'X' -> pad(Long.toHexString((long) number(args, arg)).toUpperCase(Locale.ROOT), flags, width, false);
                case 'e', 'E', 'f', 'g', 'G' -> pad(real(number(args, arg), conv, precision, flags), flags, width, true);
                case 'q' -> {
                    quote(out, args.checkstring(arg));
                    yield null;
                }
                case 's' -> {
                    LuaValue v = args.arg(arg);
                    String s = v.type() == LuaValue.TNUMBER ? CJson.formatG(v.todouble(), 14) : v.tojstring();
                    if (!v.isstring() && v.type() != LuaValue.TNUMBER) {
                        throw new LuaError("bad argument #" + arg + " to 'format' (string expected, got " + v.typename() + ")");
                    }
                    if (v.type() == LuaValue.TSTRING) {
                        LuaString ls = v.checkstring();
                        int n = precision >= 0 ? Math.min(precision, ls.m_length) : ls.m_length;
                        int fill = Math.max(0, width - n);
                        boolean left = flags.indexOf('-') >= 0;
                        for (int k = 0; !left && k < fill; k++) {
                            out.write(' ');
                        }
                        out.write(ls.m_bytes, ls.m_offset, n);
                        for (int k = 0; left && k < fill; k++) {
                            out.write(' ');
                        }
                        yield null;
                    }
                    yield pad(precision >= 0 && precision < s.length() ? s.substring(0, precision) : s, flags.replace("0", ""),
                            width, false);
                }
                default -> throw new LuaError("invalid option '%" + conv + "' to 'format'");
            };
            if (piece != null) {
                out.writeBytes(piece.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return LuaString.valueOf(out.toByteArray());
    }

    /** Argument {@code i} as a number, as luaL_checknumber takes it (numeric strings too). */
    private static double number(Varargs args, int i) {
        LuaValue v = args.arg(i);
        LuaValue n = v.tonumber();
        if (n.isnil()) {
            throw new LuaError("bad argument #" + i + " to 'format' (number expected, got " + v.typename() + ")");
        }
        return n.todouble();
    }

    /** e, f, g as C prints them (inf and nan included). */
    private static String real(double d, char conv, int precision, String flags) {
        int p = precision < 0 ? 6 : precision;
        boolean upper = Character.isUpperCase(conv);
        String s;
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            s = Double.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf";
        } else if (conv == 'g' || conv == 'G') {
            s = CJson.formatG(d, Math.max(p, 1));
        } else if (conv == 'f' || conv == 'F') {
            // The exact value rounded half-to-even, as glibc does (Java's %f rounds a shorter decimal half-up).
            s = new java.math.BigDecimal(d).setScale(p, java.math.RoundingMode.HALF_EVEN).toPlainString();
            if ((d < 0 || (d == 0 && 1 / d < 0)) && !s.startsWith("-")) {
                s = "-" + s;
            }
        } else {
            s = exponential(d, p);
        }
        if (upper) {
            s = s.toUpperCase(Locale.ROOT);
        }
        if (!s.startsWith("-")) {
            s = flags.indexOf('+') >= 0 ? "+" + s : flags.indexOf(' ') >= 0 ? " " + s : s;
        }
        return s;
    }

    /** C's %.pe: p digits after the point, the exact value rounded half-to-even. */
    private static String exponential(double d, int p) {
        if (d == 0) {
            return (1 / d < 0 ? "-" : "") + "0" + (p > 0 ? "." + "0".repeat(p) : "") + "e+00";
        }
        java.math.BigDecimal r = new java.math.BigDecimal(d).round(new java.math.MathContext(p + 1,
                java.math.RoundingMode.HALF_EVEN));
        int exponent = r.precision() - r.scale() - 1;
        String digits = r.unscaledValue().abs().toString();
        digits = (digits + "0".repeat(p + 1)).substring(0, p + 1);
        StringBuilder sb = new StringBuilder(d < 0 ? "-" : "");
        sb.append(digits.charAt(0));
        if (p > 0) {
            sb.append('.').append(digits, 1, p + 1);
        }
        sb.append('e').append(exponent < 0 ? '-' : '+');
        int e = Math.abs(exponent);
        return sb.append(e < 10 ? "0" : "").append(e).toString();
    }

    /** Width with spaces (or zeros after the sign, for numbers with the 0 flag), left with '-'. */
    private static String pad(String s, String flags, int width, boolean signed) {
        if (signed && !s.startsWith("-") && !s.startsWith("+") && !s.startsWith(" ")) {
            s = flags.indexOf('+') >= 0 ? "+" + s : flags.indexOf(' ') >= 0 ? " " + s : s;
        }
        if (width <= s.length()) {
            return s;
        }
        int fill = width - s.length();
        if (flags.indexOf('-') >= 0) {
            return s + " ".repeat(fill);
        }
        if (flags.indexOf('0') >= 0 && !s.contains("inf") && !s.contains("nan")) {
            int sign = !s.isEmpty() && "+- ".indexOf(s.charAt(0)) >= 0 ? 1 : 0;
            return s.substring(0, sign) + "0".repeat(fill) + s.substring(sign);
        }
        return " ".repeat(fill) + s;
    }

    /** %q: the string in double quotes, readable back by Lua 5.1. */
    private static void quote(ByteArrayOutputStream out, LuaString s) {
        out.write('"');
        for (int k = 0; k < s.m_length; k++) {
            int b = s.luaByte(k);
            switch (b) {
                case '"', '\\' -> {
                    out.write('\\');
                    out.write(b);
                }
                case '\n' -> {
                    out.write('\\');
                    out.write('\n');
                }
                case '\r' -> out.writeBytes("\\r".getBytes(StandardCharsets.US_ASCII));
                case 0 -> out.writeBytes("\\000".getBytes(StandardCharsets.US_ASCII));
                default -> out.write(b);
            }
        }
        out.write('"');
    }
}
