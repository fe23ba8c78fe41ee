package io.couloy.server.commands;

import static io.couloy.server.command.CommandSpec.of;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.KeyType;
import io.couloy.engine.ZSets;
import io.couloy.server.command.Args;
import io.couloy.server.command.CommandError;
import io.couloy.server.command.CommandTable;
import io.couloy.server.command.Context;
import io.couloy.server.command.Flag;
import io.couloy.server.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SORT and SORT_RO on lists, sets and sorted sets: numeric (ties broken by the elements' bytes,
 * as Redis does) or ALPHA, BY pattern (string keys or hash fields {@code key->field}; a pattern
 * without '*' means no sorting), LIMIT, GET patterns ('#' is the element), ASC/DESC, STORE into a
 * list (one atomic group).
 */
public final class SortCommands {
    private SortCommands() {}

    public static void register(CommandTable t) {
        t.add(of("sort", -2, "generic", (c, a) -> sort(c, a, false)).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1)
                .doc("Sorts the elements in a list, a set, or a sorted set, optionally storing the result.", "1.0.0", "O(N+M*log(M))"));
        t.add(of("sort_ro", -2, "generic", (c, a) -> sort(c, a, true)).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Returns the sorted elements of a list, a set, or a sorted set.", "7.0.0", "O(N+M*log(M))"));
    }

    private record Item(byte[] element, double score, byte[] weight) {}

    private static Reply sort(Context c, List<byte[]> a, boolean readOnly) {
        byte[] key = a.get(1);
        byte[] by = null;
        long offset = 0;
        long count = -1;
        List<byte[]> gets = new ArrayList<>();
        boolean desc = false;
        boolean alpha = false;
        byte[] store = null;
        for (int i = 2; i < a.size(); i++) {
            String o = Args.upper(a.get(i));
            boolean more = i + 1 < a.size();
            switch (o) {
                case "ASC" -> desc = false;
                case "DESC" -> desc = true;
                case "ALPHA" -> alpha = true;
                case "LIMIT" -> {
                    if (i + 2 >= a.size()) {
                        throw CommandError.SYNTAX;
                    }
                    offset = Args.integer(a.get(++i));
                    count = Args.integer(a.get(++i));
                }
                case "BY" -> {
                    if (!more) {
                        throw CommandError.SYNTAX;
                    }
                    by = a.get(++i);
                }
                case "GET" -> {
                    if (!more) {
                        throw CommandError.SYNTAX;
                    }
                    gets.add(a.get(++i));
                }
                case "STORE" -> {
                    if (!more || readOnly) {
                        throw CommandError.SYNTAX;
                    }
                    store = a.get(++i);
                }
                default -> throw CommandError.SYNTAX;
            }
        }
        CouloyDB db = c.db();
        if (!readOnly) {
            c.missed(key); // SORT_RO's key is a read command's: the dispatcher reports it
        }
        KeyType type = db.type(key);
        List<byte[]> elements = switch (type) {
            case null -> new ArrayList<>();
            case LIST -> db.lists().range(key, 0, -1);
            case SET -> db.sets().members(key);
            case ZSET -> db.zsets().rangeByRank(key, 0, -1, false).stream().map(ZSets.Entry::member).toList();
            default -> throw new io.couloy.engine.WrongTypeException(key, type, KeyType.LIST);
        };
        boolean noSort = by != null && indexOf(by, (byte) '*') < 0;
        List<Item> items = new ArrayList<>(elements.size());
        for (byte[] e : elements) {
            byte[] w = by == null ? e : noSort ? null : lookup(c, db, by, e);
            double score = 0;
            if (!alpha && !noSort && w != null) {
                try {
                    String s = new String(w, StandardCharsets.ISO_8859_1);
                    score = s.isEmpty() ? 0 : Double.parseDouble(s);
                    if (Double.isNaN(score) || s.endsWith("d") || s.endsWith("f") || s.endsWith("D") || s.endsWith("F")) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException ex) {
                    throw new CommandError("ERR One or more scores can't be converted into double");
                }
            }
            items.add(new Item(e, score, w));
        }
        if (!noSort) {
            boolean byPattern = by != null;
            boolean isAlpha = alpha;
            java.util.Comparator<Item> cmp = (x, y) -> {
                if (!isAlpha) {
                    int r = Double.compare(x.score(), y.score());
                    return r != 0 ? r : Arrays.compareUnsigned(x.element(), y.element());
                }
                if (byPattern) {
                    if (x.weight() == null || y.weight() == null) {
                        return x.weight() == y.weight() ? 0 : x.weight() == null ? -1 : 1;
                    }
                    return Arrays.compareUnsigned(x.weight(), y.weight());
                }
                return Arrays.compareUnsigned(x.element(), y.element());
            };
            items.sort(desc ? cmp.reversed() : cmp);
        } else if (desc) {
            java.util.Collections.reverse(items);
        }
        long start = Math.max(0, offset);
        long end = count < 0 ? items.size() : Math.min(items.size(), start + count);
        List<Item> chosen = start >= items.size() ? List.of() : items.subList((int) start, (int) Math.max(start, end));
        List<byte[]> out = new ArrayList<>();
        for (Item it : chosen) {
            if (gets.isEmpty()) {
                out.add(it.element());
            }
            for (byte[] g : gets) {
                out.add(g.length == 1 && g[0] == '#' ? it.element() : lookup(c, db, g, it.element()));
            }
        }
        if (store != null) {
            byte[] dst = store;
            return SetCommands.stored(c, io.couloy.server.pubsub.KeyspaceNotifier.LIST, "sortstore", dst, () -> {
                db.update(new io.couloy.engine.TxnOptions(io.couloy.engine.Isolation.READ_COMMITTED, 0), txn -> {
                    txn.queue(d -> d.delete(dst));
                    List<byte[]> values = out.stream().map(v -> v == null ? new byte[0] : v).toList();
                    if (!values.isEmpty()) {
                        txn.queue(d -> d.lists().pushRight(dst, values));
                    }
                    return null;
                });
                return out.size();
            });
        }
        List<Reply> replies = new ArrayList<>(out.size());
        out.forEach(v -> replies.add(Reply.bulkOrNil(v)));
        return new Reply.Array(replies);
    }

    private static int indexOf(byte[] b, byte x) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    /** The value a BY or GET pattern names for {@code element}: a string key, or a hash field after "->". */
    private static byte[] lookup(Context c, CouloyDB db, byte[] pattern, byte[] element) {
        int star = indexOf(pattern, (byte) '*');
        if (star < 0) {
            return null;
        }
        String p = new String(pattern, StandardCharsets.ISO_8859_1);
        int arrow = p.indexOf("->", star);
        byte[] keyPattern = arrow < 0 ? pattern : Arrays.copyOf(pattern, arrow);
        byte[] key = new byte[keyPattern.length - 1 + element.length];
        System.arraycopy(keyPattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(keyPattern, star + 1, key, star + element.length, keyPattern.length - star - 1);
        if (key.length == 0) {
            return null;
        }
        KeyType t = db.type(key);
        if (t == null) {
            c.missed(key); // Redis looks pattern keys up as reads
        }
        if (arrow < 0) {
            return t == KeyType.STRING ? db.get(key) : null;
        }
        byte[] field = Arrays.copyOfRange(pattern, arrow + 2, pattern.length);
        return t == KeyType.HASH && field.length > 0 ? db.hashes().get(key, field) : null;
    }
}
