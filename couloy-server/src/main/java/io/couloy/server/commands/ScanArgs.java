package io.couloy.server.commands;

import io.couloy.engine.GlobPattern;
import io.couloy.server.command.Args;
import io.couloy.server.command.CommandError;
import io.couloy.server.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The cursor, MATCH, COUNT (and HSCAN's NOVALUES) arguments of the *SCAN commands. */
record ScanArgs(long cursor, GlobPattern match, int count, boolean noValues) {
    static ScanArgs parse(List<byte[]> a, int cursorAt) {
        long cursor;
        try {
            cursor = Long.parseUnsignedLong(Args.text(a.get(cursorAt)));
        } catch (NumberFormatException e) {
            throw new CommandError("ERR invalid cursor");
        }
        GlobPattern match = null;
        int count = 10;
        boolean noValues = false;
        for (int i = cursorAt + 1; i < a.size(); i++) {
            String opt = Args.upper(a.get(i));
            if (opt.equals("NOVALUES")) {
                noValues = true;
                continue;
            }
            if (i + 1 >= a.size()) {
                throw CommandError.SYNTAX;
            }
            switch (opt) {
                case "MATCH" -> match = GlobPattern.compile(a.get(++i));
                case "COUNT" -> {
                    long n = Args.integer(a.get(++i));
                    if (n < 1) {
                        throw CommandError.SYNTAX;
                    }
                    count = (int) Math.min(n, Integer.MAX_VALUE);
                }
                default -> throw CommandError.SYNTAX;
            }
        }
        return new ScanArgs(cursor, match, count, noValues);
    }

    static Reply reply(long cursor, List<Reply> items) {
        return new Reply.Array(List.of(new Reply.Bulk(Long.toUnsignedString(cursor).getBytes(StandardCharsets.US_ASCII)),
                new Reply.Array(items)));
    }
}
