package io.couloy.server.resp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Splits an inline command line (or a redis.conf line) into arguments with Redis's sdssplitargs rules. */
public final class InlineSplitter {
    private InlineSplitter() {}

    /** The arguments of {@code line[0..end)}, or null if quotes are unbalanced. */
    public static List<byte[]> split(byte[] line, int end) {
        List<byte[]> out = new ArrayList<>();
        int p = 0;
        while (true) {
            while (p < end && isSpace(line[p])) {
                p++;
            }
            if (p >= end) {
                return out;
            }
            ByteArrayOutputStream cur = new ByteArrayOutputStream();
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done) {
                if (inDouble) {
                    if (p >= end) {
                        return null;
                    }
                    if (line[p] == '\\' && p + 3 < end && line[p + 1] == 'x' && hex(line[p + 2]) >= 0 && hex(line[p + 3]) >= 0) {
                        cur.write(hex(line[p + 2]) * 16 + hex(line[p + 3]));
                        p += 3;
                    } else if (line[p] == '\\' && p + 1 < end) {
                        p++;
                        cur.write(switch (line[p]) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> line[p];
                        });
                    } else if (line[p] == '"') {
                        if (p + 1 < end && !isSpace(line[p + 1])) {
                            return null; // closing quote must be followed by a space or nothing
                        }
                        done = true;
                    } else {
                        cur.write(line[p]);
                    }
                } else if (inSingle) {
                    if (p >= end) {
                        return null;
                    }
                    if (line[p] == '\\' && p + 1 < end && line[p + 1] == '\'') {
                        p++;
                        cur.write('\'');
                    } else if (line[p] == '\'') {
                        if (p + 1 < end && !isSpace(line[p + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        cur.write(line[p]);
                    }
                } else {
                    if (p >= end) {
                        done = true;
                        continue;
                    }
                    switch (line[p]) {
                        case ' ', '\n', '\r', '\t', 0 -> done = true;
                        case '"' -> inDouble = true;
                        case '\'' -> inSingle = true;
                        default -> cur.write(line[p]);
                    }
                }
                if (p < end) {
                    p++;
                }
            }
            out.add(cur.toByteArray());
        }
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 11 || b == '\f';
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }
}
