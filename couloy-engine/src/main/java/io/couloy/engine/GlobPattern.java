package io.couloy.engine;

/**
 * Redis's glob patterns over bytes, with Redis's semantics (its {@code stringmatchlen}):
 * {@code *} any run of bytes, {@code ?} one byte, {@code [abc]} a set, {@code [^a]} or
 * {@code [!a]}... negated (Redis accepts only {@code ^}), {@code [a-z]} a range (either order),
 * {@code \x} the byte x literally. An unterminated {@code [} matches like Redis does: the set
 * runs to the end of the pattern. Immutable and thread-safe.
 */
public final class GlobPattern {
    private final byte[] pattern;

    private GlobPattern(byte[] pattern) {
        this.pattern = pattern.clone();
    }

    public static GlobPattern compile(byte[] pattern) {
        return new GlobPattern(pattern);
    }

    /** Whether the pattern is {@code *}, which matches everything (callers may skip matching). */
    public boolean matchesAll() {
        return pattern.length == 1 && pattern[0] == '*';
    }

    public boolean matches(byte[] s) {
        return match(pattern, 0, s, 0, 0);
    }

    private static boolean match(byte[] p, int pi, byte[] s, int si, int depth) {
        if (depth > 1000) {
            return false; // Redis bounds the recursion the same way against pathological patterns
        }
        while (pi < p.length && si <= s.length) {
            switch (p[pi]) {
                case '*' -> {
                    while (pi + 1 < p.length && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == p.length) {
                        return true;
                    }
                    for (int k = si; k <= s.length; k++) {
                        if (match(p, pi + 1, s, k, depth + 1)) {
                            return true;
                        }
                    }
                    return false;
                }
                case '?' -> {
                    if (si == s.length) {
                        return false;
                    }
                    si++;
                    pi++;
                }
                case '[' -> {
                    if (si == s.length) {
                        return false;
                    }
                    pi++;
                    boolean not = pi < p.length && p[pi] == '^';
                    if (not) {
                        pi++;
                    }
                    boolean found = false;
                    while (pi < p.length && p[pi] != ']') {
                        if (p[pi] == '\\' && pi + 1 < p.length) {
                            pi++;
                            found |= p[pi] == s[si];
                        } else if (pi + 2 < p.length && p[pi + 1] == '-') {
                            int lo = p[pi] & 0xFF;
                            int hi = p[pi + 2] & 0xFF;
                            if (lo > hi) {
                                int t = lo;
                                lo = hi;
                                hi = t;
                            }
                            int c = s[si] & 0xFF;
                            found |= c >= lo && c <= hi;
                            pi += 2;
                        } else {
                            found |= p[pi] == s[si];
                        }
                        pi++;
                    }
                    if (pi < p.length) {
                        pi++; // the ']'
                    }
                    if (found == not) {
                        return false;
                    }
                    si++;
                }
                case '\\' -> {
                    if (pi + 1 < p.length) {
                        pi++;
                    }
                    if (si == s.length || p[pi] != s[si]) {
                        return false;
                    }
                    pi++;
                    si++;
                }
                default -> {
                    if (si == s.length || p[pi] != s[si]) {
                        return false;
                    }
                    pi++;
                    si++;
                }
            }
        }
        return pi == p.length && si == s.length;
    }
}
