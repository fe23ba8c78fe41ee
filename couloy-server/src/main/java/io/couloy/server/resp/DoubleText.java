package io.couloy.server.resp;

/** Doubles as Redis prints them (ZSCORE, INCRBYFLOAT replies): "%.17g" in its shortest exact form, "inf", "-inf". */
public final class DoubleText {
    private DoubleText() {}

    public static String of(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return Long.toString((long) d); // -0 prints "0", as Redis prints it
        }
        // Java's shortest round-trip form, with Redis's exponent style (1e+20, not 1.0E20).
        String s = Double.toString(d);
        int e = s.indexOf('E');
        if (e < 0) {
            return s;
        }
        String mantissa = s.substring(0, e);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        String exp = s.substring(e + 1);
        boolean negative = exp.startsWith("-");
        String digits = negative ? exp.substring(1) : exp;
        return mantissa + "e" + (negative ? "-" : "+") + (digits.length() < 2 ? "0" + digits : digits);
    }
}
