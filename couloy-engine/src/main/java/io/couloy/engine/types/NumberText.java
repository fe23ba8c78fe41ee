package io.couloy.engine.types;

import io.couloy.engine.InvalidValueException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Numbers stored as text, parsed and printed exactly as Redis does (INCR, HINCRBY,
 * HINCRBYFLOAT, ...), so that values move between Redis and CouloyDB unchanged.
 */
public final class NumberText {
    /** Redis refuses longer float text (MAX_LONG_DOUBLE_CHARS). */
    private static final int MAX_FLOAT_CHARS = 5 * 1024;

    private NumberText() {}

    /**
     * Parses a signed 64-bit integer with Redis's string2ll rules: optional '-', digits, no '+',
     * no spaces, no leading zeros, "-0" refused.
     *
     * @throws InvalidValueException with {@code error} if the text is not such an integer
     */
    public static long parseLong(byte[] s, String error) {
        int n = s.length;
        if (n == 0 || n > 20) {
            throw new InvalidValueException(error);
        }
        if (n == 1 && s[0] == '0') {
            return 0;
        }
        int i = 0;
        boolean negative = s[0] == '-';
        if (negative) {
            i++;
        }
        if (i >= n || s[i] < '1' || s[i] > '9') {
            throw new InvalidValueException(error);
        }
        long v = 0; // accumulated negatively: Long.MIN_VALUE has no positive twin
        for (; i < n; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9 || v < (Long.MIN_VALUE + d) / 10) {
                throw new InvalidValueException(error);
            }
            v = v * 10 - d;
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) {
                throw new InvalidValueException(error);
            }
            v = -v;
        }
        return v;
    }

    public static byte[] formatLong(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Parses a decimal as Redis's string2ld does (strtold on the whole text: optional sign,
     * digits with an optional point, optional exponent; no spaces). Infinity is refused with
     * "increment would produce NaN or Infinity", as Redis's increment commands do.
     *
     * @throws InvalidValueException with {@code error} if the text is not a number
     */
    public static BigDecimal parseDecimal(byte[] s, String error) {
        if (s.length == 0 || s.length >= MAX_FLOAT_CHARS || Character.isWhitespace(s[0])
                || Character.isWhitespace(s[s.length - 1])) {
            throw new InvalidValueException(error);
        }
        String text = new String(s, StandardCharsets.US_ASCII);
        String bare = text.startsWith("+") || text.startsWith("-") ? text.substring(1) : text;
        if (bare.equalsIgnoreCase("inf") || bare.equalsIgnoreCase("infinity")) {
            throw new InvalidValueException("increment would produce NaN or Infinity");
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new InvalidValueException(error);
        }
    }

    /**
     * Prints as Redis's ld2string in human mode: fixed point with 17 decimals, trailing zeros and
     * a trailing point removed, "-0" printed "0". The sum is exact here where Redis rounds to a
     * long double, which differs only past about 18 significant digits.
     */
    public static byte[] formatDecimal(BigDecimal v) {
        BigDecimal r = v.setScale(17, RoundingMode.HALF_EVEN).stripTrailingZeros();
        String text = r.signum() == 0 ? "0" : r.toPlainString();
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
