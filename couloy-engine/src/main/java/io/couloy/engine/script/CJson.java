package io.couloy.engine.script;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code cjson} library Redis bundles (lua-cjson 2.1): {@code encode}, {@code decode},
 * {@code decode_array_with_array_mt}, {@code null}, {@code array_mt}, and the settings scripts
 * call ({@code encode_max_depth}, {@code decode_max_depth}, {@code encode_number_precision},
 * {@code encode_keep_buffer}). Encoding follows lua-cjson: numbers as {@code %.14g}, '/' escaped,
 * a table with keys 1..n an array (an empty one an object, unless it has {@code array_mt}).
 * Decoding uses Jackson's parser.
 */
final class CJson {
    /** lua-cjson lets raw control characters stand inside strings; so does this parser. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS).build();

    /** cjson.null: a unique light value scripts compare against. */
    static final LuaValue NULL = new LuaUserdata(new Object()) {
        @Override
        public String tojstring() {
            return "userdata: NULL";
        }
    };

    private CJson() {}

    static LuaTable library() {
        LuaTable arrayMt = new LuaTable();
        LuaTable t = new LuaTable();
        int[] maxDepth = {1000, 1000}; // encode, decode
        int[] precision = {14};
        t.rawset("null", NULL);
        t.rawset("array_mt", arrayMt);
        t.rawset("encode", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue v) {
                StringBuilder sb = new StringBuilder();
                encode(sb, v, 1, maxDepth[0], precision[0], arrayMt);
                return LuaString.valueOf(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
            }
        });
        t.rawset("decode", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue s) {
                return decode(s.checkstring(), maxDepth[1], null);
            }
        });
        t.rawset("decode_array_with_array_mt", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue s) {
                return decode(s.checkstring(), maxDepth[1], arrayMt);
            }
        });
        t.rawset("encode_max_depth", setting(maxDepth, 0));
        t.rawset("decode_max_depth", setting(maxDepth, 1));
        t.rawset("encode_number_precision", setting(precision, 0));
        t.rawset("encode_keep_buffer", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return LuaValue.TRUE;
            }
        });
        return t;
    }

    /** A cjson setting function: with an argument sets it, and returns the value in force. */
    private static VarArgFunction setting(int[] values, int i) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                if (!a.arg1().isnil()) {
                    int v = a.arg1().checkint();
                    if (v < 1 || v > (values.length == 1 ? 14 : Integer.MAX_VALUE)) {
                        throw new LuaError("bad argument #1 to '?' (expected integer between 1 and "
                                + (values.length == 1 ? 14 : Integer.MAX_VALUE) + ")");
                    }
                    values[i] = v;
                }
                return LuaValue.valueOf(values[i]);
            }
        };
    }

    // ------------------------------------------------------------------ encode

    private static void encode(StringBuilder sb, LuaValue v, int depth, int maxDepth, int precision, LuaTable arrayMt) {
        switch (v.type()) {
            case LuaValue.TNIL -> sb.append("null");
            case LuaValue.TBOOLEAN -> sb.append(v.toboolean() ? "true" : "false");
            case LuaValue.TNUMBER -> number(sb, v.todouble(), precision);
            case LuaValue.TSTRING -> string(sb, v.checkstring());
            case LuaValue.TTABLE -> table(sb, (LuaTable) v, depth, maxDepth, precision, arrayMt);
            case LuaValue.TUSERDATA, LuaValue.TLIGHTUSERDATA -> {
                if (v != NULL) {
                    throw new LuaError("Cannot serialise userdata: type not supported");
                }
                sb.append("null");
            }
            default -> throw new LuaError("Cannot serialise " + v.typename() + ": type not supported");
        }
    }

    private static void number(StringBuilder sb, double d, int precision) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new LuaError("Cannot serialise number: must not be NaN or Inf");
        }
        sb.append(formatG(d, precision));
    }

    /** C's {@code %.<p>g}: shortest of fixed and exponent form, trailing zeros dropped. */
    /**
     * C's {@code %.<precision>g}: rounds the double's exact value half-to-even, as glibc's printf
     * does (Java's formatter rounds a shorter decimal half-up, so ties and near-ties differ).
     */
    static String formatG(double d, int precision) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf"; // as C's printf
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (d == Math.rint(d) && Math.abs(d) < Math.pow(10, precision)) {
            return d == 0 && 1 / d < 0 ? "-0" : Long.toString((long) d);
        }
        java.math.BigDecimal r = new java.math.BigDecimal(d).round(new java.math.MathContext(precision,
                java.math.RoundingMode.HALF_EVEN));
        int exponent = r.precision() - r.scale() - 1;
        if (exponent < -4 || exponent >= precision) {
            return scientific(r, exponent);
        }
        return r.stripTrailingZeros().toPlainString();
    }

    /** {@code r} as C writes %e: d.ddd, then e, a sign and at least two exponent digits (trailing zeros dropped, as %g does). */
    private static String scientific(java.math.BigDecimal r, int exponent) {
        String digits = r.unscaledValue().abs().toString().replaceFirst("0+$", "");
        if (digits.isEmpty()) {
            digits = "0";
        }
        StringBuilder sb = new StringBuilder();
        if (r.signum() < 0) {
            sb.append('-');
        }
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        sb.append('e').append(exponent < 0 ? '-' : '+');
        int e = Math.abs(exponent);
        if (e < 10) {
            sb.append('0');
        }
        return sb.append(e).toString();
    }

    private static void string(StringBuilder sb, LuaString s) {
        sb.append('"');
        for (int i = 0; i < s.m_length; i++) {
            int c = s.m_bytes[s.m_offset + i] & 0xff;
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '/' -> sb.append("\\/");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", c));
                    } else {
                        sb.append((char) c); // bytes pass through; the result is read back as ISO-8859-1
                    }
                }
            }
        }
        sb.append('"');
    }

    private static void table(StringBuilder sb, LuaTable t, int depth, int maxDepth, int precision, LuaTable arrayMt) {
        if (depth > maxDepth) {
            throw new LuaError("Cannot serialise, excessive nesting (" + depth + ")");
        }
        int length = arrayLength(t);
        boolean isArrayMt = t.getmetatable() == arrayMt;
        if (length > 0 || (length == 0 && isArrayMt)) {
            sb.append('[');
            for (int i = 1; i <= length; i++) {
                if (i > 1) {
                    sb.append(',');
                }
                encode(sb, t.rawget(i), depth + 1, maxDepth, precision, arrayMt);
            }
            sb.append(']');
            return;
        }
        sb.append('{');
        boolean first = true;
        for (LuaValue k : t.keys()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            if (k.type() == LuaValue.TSTRING) {
                string(sb, k.checkstring());
            } else if (k.type() == LuaValue.TNUMBER) {
                sb.append('"').append(formatG(k.todouble(), precision)).append('"');
            } else {
                throw new LuaError("Cannot serialise " + k.typename() + ": table key must be a number or string");
            }
            sb.append(':');
            encode(sb, t.rawget(k), depth + 1, maxDepth, precision, arrayMt);
        }
        sb.append('}');
    }

    /**
     * lua-cjson's array test: every key a positive integer, and not excessively sparse (more than
     * half holes once past index 10). Returns the array length, 0 for an empty table, -1 for an
     * object.
     */
    private static int arrayLength(LuaTable t) {
        int max = 0;
        int count = 0;
        for (LuaValue k : t.keys()) {
            if (k.type() != LuaValue.TNUMBER || k.todouble() != Math.floor(k.todouble()) || k.todouble() < 1) {
                return -1;
            }
            max = Math.max(max, (int) k.todouble());
            count++;
        }
        if (max > 10 && max > count * 2) {
            throw new LuaError("Cannot serialise table: excessively sparse array");
        }
        return count == 0 ? 0 : max;
    }

    // ------------------------------------------------------------------ decode

    private static LuaValue decode(LuaString text, int maxDepth, LuaTable arrayMt) {
        byte[] b = new byte[text.m_length];
        System.arraycopy(text.m_bytes, text.m_offset, b, 0, b.length);
        try (JsonParser p = JSON.createParser(b)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new LuaError("Expected value but found T_END at character 1");
            }
            LuaValue v = value(p, first, 1, maxDepth, arrayMt);
            if (p.nextToken() != null) {
                throw new LuaError("Expected the end but found invalid token at character "
                        + (p.currentTokenLocation().getCharOffset() + 1));
            }
            return v;
        } catch (IOException e) {
            long at = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null
                    ? jpe.getLocation().getCharOffset() + 1 : 1;
            throw new LuaError("Expected value but found invalid token at character " + at);
        }
    }

    private static LuaValue value(JsonParser p, JsonToken t, int depth, int maxDepth, LuaTable arrayMt) throws IOException {
        if ((t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) && depth > maxDepth) {
            throw new LuaError("Found too many nested data structures (" + depth + ") at character "
                    + (p.currentTokenLocation().getCharOffset() + 1));
        }
        return switch (t) {
            case VALUE_NULL -> NULL;
            case VALUE_TRUE -> LuaValue.TRUE;
            case VALUE_FALSE -> LuaValue.FALSE;
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> LuaValue.valueOf(p.getDoubleValue());
            case VALUE_STRING -> LuaString.valueOf(p.getText().getBytes(StandardCharsets.UTF_8));
            case START_ARRAY -> {
                LuaTable a = new LuaTable();
                int i = 0;
                JsonToken next;
                while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
                    a.rawset(++i, value(p, next, depth + 1, maxDepth, arrayMt));
                }
                if (arrayMt != null) {
                    a.setmetatable(arrayMt);
                }
                yield a;
            }
            case START_OBJECT -> {
                LuaTable o = new LuaTable();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    LuaString key = LuaString.valueOf(p.currentName().getBytes(StandardCharsets.UTF_8));
                    o.rawset(key, value(p, p.nextToken(), depth + 1, maxDepth, arrayMt));
                }
                yield o;
            }
            default -> throw new LuaError("Expected value but found invalid token at character "
                    + (p.currentTokenLocation().getCharOffset() + 1));
        };
    }
}
