package io.couloy.server.commands;

import static io.couloy.server.command.CommandSpec.of;
import static io.couloy.server.pubsub.KeyspaceNotifier.GENERIC;
import static io.couloy.server.pubsub.KeyspaceNotifier.STRING;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.Strings;
import io.couloy.engine.WriteBatch;
import io.couloy.server.command.Args;
import io.couloy.server.command.CommandError;
import io.couloy.server.command.CommandTable;
import io.couloy.server.command.Context;
import io.couloy.server.command.Flag;
import io.couloy.server.resp.Reply;
import java.util.ArrayList;
import java.util.List;

/** The string commands, bitmaps included: parse, call {@link Strings}, reply. */
public final class StringCommands {
    private StringCommands() {}

    public static void register(CommandTable t) {
        t.add(of("get", 2, "string", (c, a) -> Reply.bulkOrNil(c.db().get(a.get(1)))).flags(Flag.READONLY, Flag.FAST)
                .keys(1, 1, 1).doc("Returns the string value of a key.", "1.0.0", "O(1)"));
        t.add(of("set", -3, "string", StringCommands::set).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1)
                .doc("Sets the string value of a key, ignoring its type.", "1.0.0", "O(1)"));
        t.add(of("setnx", 3, "string", (c, a) -> Reply.integer(setString(c, a.get(1), a.get(2),
                Strings.Condition.IF_ABSENT, 0, false, false).written() ? 1 : 0)).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST)
                .keys(1, 1, 1).doc("Set the string value of a key only when the key doesn't exist.", "1.0.0", "O(1)"));
        t.add(of("setex", 4, "string", (c, a) -> setex(c, a, 1000, "setex")).flags(Flag.WRITE, Flag.DENYOOM)
                .keys(1, 1, 1).doc("Sets the string value and expiration time of a key.", "2.0.0", "O(1)"));
        t.add(of("psetex", 4, "string", (c, a) -> setex(c, a, 1, "psetex")).flags(Flag.WRITE, Flag.DENYOOM)
                .keys(1, 1, 1).doc("Sets both string value and expiration time in milliseconds of a key.", "2.6.0", "O(1)"));
        t.add(of("getset", 3, "string", (c, a) -> Reply.bulkOrNil(setString(c, a.get(1), a.get(2),
                Strings.Condition.ALWAYS, 0, false, true).previous())).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST)
                .keys(1, 1, 1).doc("Returns the previous string value of a key after setting it to a new value.", "1.0.0", "O(1)"));
        t.add(of("getdel", 2, "string", StringCommands::getdel)
                .flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).doc("Returns the string value of a key after deleting the key.", "6.2.0", "O(1)"));
        t.add(of("getex", -2, "string", StringCommands::getex).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1)
                .doc("Returns the string value of a key after setting its expiration time.", "6.2.0", "O(1)"));
        t.add(of("mget", -2, "string", StringCommands::mget).flags(Flag.READONLY, Flag.FAST).keys(1, -1, 1)
                .doc("Atomically returns the string values of one or more keys.", "1.0.0", "O(N)"));
        t.add(of("mset", -3, "string", (c, a) -> mset(c, a, false)).flags(Flag.WRITE, Flag.DENYOOM).keys(1, -1, 2)
                .doc("Atomically creates or modifies the string values of one or more keys.", "1.0.1", "O(N)"));
        t.add(of("msetnx", -3, "string", (c, a) -> mset(c, a, true)).flags(Flag.WRITE, Flag.DENYOOM).keys(1, -1, 2)
                .doc("Atomically modifies the string values of one or more keys only when all keys don't exist.", "1.0.1", "O(N)"));
        t.add(of("append", 3, "string", (c, a) -> Reply.integer(notified(c, STRING, "append", a.get(1), c.db().strings().append(a.get(1), a.get(2)))))
                .flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).doc("Appends a string to the value of a key.", "2.0.0", "O(1)"));
        t.add(of("strlen", 2, "string", (c, a) -> Reply.integer(c.db().strings().length(a.get(1))))
                .flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).doc("Returns the length of a string value.", "2.2.0", "O(1)"));
        t.add(of("incr", 2, "string", (c, a) -> incr(c, a.get(1), 1)).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST)
                .keys(1, 1, 1).doc("Increments the integer value of a key by one.", "1.0.0", "O(1)"));
        t.add(of("decr", 2, "string", (c, a) -> incr(c, a.get(1), -1)).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST)
                .keys(1, 1, 1).doc("Decrements the integer value of a key by one.", "1.0.0", "O(1)"));
        t.add(of("incrby", 3, "string", (c, a) -> incr(c, a.get(1), Args.integer(a.get(2))))
                .flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).doc("Increments the integer value of a key by a number.", "1.0.0", "O(1)"));
        t.add(of("decrby", 3, "string", StringCommands::decrby).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1)
                .doc("Decrements a number from the integer value of a key.", "1.0.0", "O(1)"));
        t.add(of("incrbyfloat", 3, "string", (c, a) -> new Reply.Bulk(notified(c, STRING, "incrbyfloat", a.get(1),
                c.db().strings().incrementByFloat(a.get(1), a.get(2)))))
                .flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1)
                .doc("Increment the floating point value of a key by a number.", "2.6.0", "O(1)"));
        t.add(of("getrange", 4, "string", StringCommands::getrange).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Returns a substring of the string stored at a key.", "2.4.0", "O(N)"));
        t.add(of("substr", 4, "string", StringCommands::getrange).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Returns a substring from a string value.", "1.0.0", "O(N)"));
        t.add(of("setrange", 4, "string", StringCommands::setrange).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1)
                .doc("Overwrites a part of a string value with another by an offset.", "2.2.0", "O(1)"));
        t.add(of("setbit", 4, "bitmap", StringCommands::setbit).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1)
                .doc("Sets or clears the bit at offset of the string value.", "2.2.0", "O(1)"));
        t.add(of("getbit", 3, "bitmap", (c, a) -> Reply.integer(c.db().strings().getBit(a.get(1), bitOffset(a.get(2)))))
                .flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).doc("Returns a bit value by offset.", "2.2.0", "O(1)"));
        t.add(of("bitcount", -2, "bitmap", StringCommands::bitcount).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Counts the number of set bits (population counting) in a string.", "2.6.0", "O(N)"));
        t.add(of("bitpos", -3, "bitmap", StringCommands::bitpos).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Finds the first set (1) or clear (0) bit in a string.", "2.8.7", "O(N)"));
        t.add(of("bitfield", -2, "bitmap", (c, a) -> bitfield(c, a, false)).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1)
                .doc("Performs arbitrary bitfield integer operations on strings.", "3.2.0", "O(1) per subcommand"));
        t.add(of("bitfield_ro", -2, "bitmap", (c, a) -> bitfield(c, a, true)).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1)
                .doc("Performs arbitrary read-only bitfield integer operations on strings.", "6.0.0", "O(1) per subcommand"));
        t.add(of("lcs", -3, "string", StringCommands::lcs).flags(Flag.READONLY).keys(1, 2, 1)
                .doc("Finds the longest common substring.", "7.0.0", "O(N*M)"));
        t.add(of("bitop", -4, "bitmap", StringCommands::bitop).flags(Flag.WRITE, Flag.DENYOOM).keys(2, -1, 1)
                .doc("Performs bitwise operations on multiple strings, and stores the result.", "2.6.0", "O(N)"));
    }

    private static Reply set(Context c, List<byte[]> a) {
        Strings.Condition cond = Strings.Condition.ALWAYS;
        boolean get = false;
        boolean keepTtl = false;
        long expireAt = 0;
        boolean expirySet = false;
        for (int i = 3; i < a.size(); i++) {
            String opt = Args.upper(a.get(i));
            boolean hasNext = i + 1 < a.size();
            switch (opt) {
                case "NX" -> {
                    if (cond == Strings.Condition.IF_PRESENT) {
                        throw CommandError.SYNTAX;
                    }
                    cond = Strings.Condition.IF_ABSENT;
                }
                case "XX" -> {
                    if (cond == Strings.Condition.IF_ABSENT) {
                        throw CommandError.SYNTAX;
                    }
                    cond = Strings.Condition.IF_PRESENT;
                }
                case "GET" -> get = true;
                case "KEEPTTL" -> {
                    if (expirySet) {
                        throw CommandError.SYNTAX;
                    }
                    keepTtl = true;
                }
                case "EX", "PX", "EXAT", "PXAT" -> {
                    if (expirySet || keepTtl || !hasNext) {
                        throw CommandError.SYNTAX;
                    }
                    expireAt = expireAt(c, opt, Args.integer(a.get(++i)), "set");
                    expirySet = true;
                }
                default -> throw CommandError.SYNTAX;
            }
        }
        Strings.SetResult r = setString(c, a.get(1), a.get(2), cond, expireAt, keepTtl, get);
        if (get) {
            return Reply.bulkOrNil(r.previous());
        }
        return r.written() ? Reply.OK : Reply.NIL;
    }

    /** Every SET-like command's write, with its events: {@code set}, then {@code expire} if it set a time. */
    private static Strings.SetResult setString(Context c, byte[] key, byte[] value, Strings.Condition cond, long expireAt,
            boolean keepTtl, boolean get) {
        Strings.SetResult r = c.db().strings().set(key, value, cond, expireAt, keepTtl, get);
        if (r.written()) {
            c.notify(STRING, "set", key);
            if (expireAt != 0) {
                c.notify(GENERIC, "expire", key);
                if (expireAt <= System.currentTimeMillis()) {
                    // The engine never shows a key born expired, so its sweep will not report it.
                    c.notify(io.couloy.server.pubsub.KeyspaceNotifier.EXPIRED, "expired", key);
                }
            }
        }
        return r;
    }

    /** Fires {@code event} about {@code key} and passes {@code result} through: for one-event commands. */
    static <T> T notified(Context c, int type, String event, byte[] key, T result) {
        c.notify(type, event, key);
        return result;
    }

    private static Reply getdel(Context c, List<byte[]> a) {
        c.missed(a.get(1));
        byte[] v = c.db().strings().getAndDelete(a.get(1));
        if (v != null) {
            c.notify(GENERIC, "del", a.get(1));
        }
        return Reply.bulkOrNil(v);
    }

    /** An EX/PX/EXAT/PXAT argument as an absolute time in ms, with Redis's checks. */
    static long expireAt(Context c, String unit, long n, String command) {
        if (n <= 0) {
            throw new CommandError("ERR invalid expire time in '" + command + "' command");
        }
        try {
            return switch (unit) {
                case "EX" -> Math.addExact(System.currentTimeMillis(), Math.multiplyExact(n, 1000L));
                case "PX" -> Math.addExact(System.currentTimeMillis(), n);
                case "EXAT" -> Math.multiplyExact(n, 1000L);
                default -> n;
            };
        } catch (ArithmeticException e) {
            throw new CommandError("ERR invalid expire time in '" + command + "' command");
        }
    }

    private static Reply setex(Context c, List<byte[]> a, long unitMillis, String name) {
        long n = Args.integer(a.get(2));
        long at = expireAt(c, unitMillis == 1000 ? "EX" : "PX", n, name);
        setString(c, a.get(1), a.get(3), Strings.Condition.ALWAYS, at, false, false);
        return Reply.OK;
    }

    private static Reply getex(Context c, List<byte[]> a) {
        long at = 0;
        boolean persist = false;
        for (int i = 2; i < a.size(); i++) {
            String opt = Args.upper(a.get(i));
            switch (opt) {
                case "EX", "PX", "EXAT", "PXAT" -> {
                    if (at != 0 || persist || i + 1 >= a.size()) {
                        throw CommandError.SYNTAX;
                    }
                    at = expireAt(c, opt, Args.integer(a.get(++i)), "getex");
                }
                case "PERSIST" -> {
                    if (at != 0) {
                        throw CommandError.SYNTAX;
                    }
                    persist = true;
                }
                default -> throw CommandError.SYNTAX;
            }
        }
        byte[] key = a.get(1);
        c.missed(key);
        boolean hadTtl = persist && c.notifying(GENERIC) && c.db().ttl(key) >= 0;
        byte[] v = c.db().strings().getAndExpire(key, at, persist);
        if (v != null) {
            if (at != 0) {
                c.notify(GENERIC, at <= System.currentTimeMillis() ? "del" : "expire", key);
            } else if (hadTtl) {
                c.notify(GENERIC, "persist", key);
            }
        }
        return Reply.bulkOrNil(v);
    }

    private static Reply mget(Context c, List<byte[]> a) {
        CouloyDB db = c.db();
        List<Reply> out = new ArrayList<>(a.size() - 1);
        for (byte[] k : a.subList(1, a.size())) {
            byte[] v;
            try {
                v = db.get(k);
            } catch (io.couloy.engine.WrongTypeException e) {
                v = null; // MGET answers nil for keys of other types
            }
            out.add(Reply.bulkOrNil(v));
        }
        return new Reply.Array(out);
    }

    private static Reply mset(Context c, List<byte[]> a, boolean nx) {
        if (a.size() % 2 == 0) {
            throw new CommandError("ERR wrong number of arguments for '" + (nx ? "msetnx" : "mset") + "' command");
        }
        CouloyDB db = c.db();
        WriteBatch batch = new WriteBatch();
        try (var watch = db.watch()) {
            for (int i = 1; i < a.size(); i += 2) {
                if (nx) {
                    watch.add(a.get(i));
                    if (db.exists(a.get(i))) {
                        return Reply.ZERO;
                    }
                }
                batch.put(a.get(i), a.get(i + 1));
            }
            // MSETNX: nothing may appear between the check and the write.
            if (!db.write(batch, nx ? watch : null)) {
                return Reply.ZERO;
            }
        }
        for (int i = 1; i < a.size(); i += 2) {
            c.notify(STRING, "set", a.get(i));
        }
        return nx ? Reply.ONE : Reply.OK;
    }

    private static Reply incr(Context c, byte[] key, long delta) {
        return Reply.integer(notified(c, STRING, "incrby", key, c.db().strings().incrementBy(key, delta)));
    }

    private static Reply decrby(Context c, List<byte[]> a) {
        long n = Args.integer(a.get(2));
        if (n == Long.MIN_VALUE) {
            throw new CommandError("ERR decrement would overflow");
        }
        return incr(c, a.get(1), -n);
    }

    private static Reply getrange(Context c, List<byte[]> a) {
        return new Reply.Bulk(c.db().strings().range(a.get(1), Args.integer(a.get(2)), Args.integer(a.get(3))));
    }

    private static Reply setrange(Context c, List<byte[]> a) {
        long offset = Args.integer(a.get(2));
        if (offset < 0) {
            throw new CommandError("ERR offset is out of range");
        }
        long length = c.db().strings().setRange(a.get(1), offset, a.get(3));
        if (a.get(3).length > 0) {
            c.notify(STRING, "setrange", a.get(1));
        }
        return Reply.integer(length);
    }

    private static long bitOffset(byte[] arg) {
        try {
            long v = Args.integer(arg);
            if (v < 0 || v >= Strings.MAX_LENGTH * 8) {
                throw new CommandError("ERR bit offset is not an integer or out of range");
            }
            return v;
        } catch (CommandError e) {
            throw new CommandError("ERR bit offset is not an integer or out of range");
        }
    }

    private static Reply setbit(Context c, List<byte[]> a) {
        long offset = bitOffset(a.get(2));
        long bit;
        try {
            bit = Args.integer(a.get(3));
        } catch (CommandError e) {
            bit = -1;
        }
        if (bit != 0 && bit != 1) {
            throw new CommandError("ERR bit is not an integer or out of range");
        }
        return Reply.integer(notified(c, STRING, "setbit", a.get(1), c.db().strings().setBit(a.get(1), offset, (int) bit)));
    }

    private static Reply bitcount(Context c, List<byte[]> a) {
        if (a.size() == 2) {
            return Reply.integer(c.db().strings().bitCount(a.get(1)));
        }
        if (a.size() < 4 || a.size() > 5) {
            throw CommandError.SYNTAX;
        }
        boolean bits = a.size() == 5 && unit(a.get(4));
        return Reply.integer(c.db().strings().bitCount(a.get(1), Args.integer(a.get(2)), Args.integer(a.get(3)), bits));
    }

    /** BYTE or BIT: whether BIT. */
    private static boolean unit(byte[] arg) {
        if (Args.is(arg, "BIT")) {
            return true;
        }
        if (Args.is(arg, "BYTE")) {
            return false;
        }
        throw CommandError.SYNTAX;
    }

    private static Reply bitpos(Context c, List<byte[]> a) {
        long bit = Args.integer(a.get(2));
        if (bit != 0 && bit != 1) {
            throw new CommandError("ERR The bit argument must be 1 or 0.");
        }
        if (a.size() > 6) {
            throw CommandError.SYNTAX;
        }
        Long start = a.size() > 3 ? Args.integer(a.get(3)) : null;
        Long end = a.size() > 4 ? Args.integer(a.get(4)) : null;
        boolean bits = a.size() == 6 && unit(a.get(5));
        return Reply.integer(c.db().strings().bitPos(a.get(1), (int) bit, start, end, bits));
    }

    private static Reply bitfield(Context c, List<byte[]> a, boolean readOnly) {
        List<Strings.BitFieldOp> ops = new ArrayList<>();
        Strings.Overflow overflow = Strings.Overflow.WRAP;
        for (int i = 2; i < a.size(); ) {
            String op = Args.upper(a.get(i));
            int need = switch (op) {
                case "GET" -> 3;
                case "SET", "INCRBY" -> 4;
                case "OVERFLOW" -> 2;
                default -> throw CommandError.SYNTAX;
            };
            if (i + need > a.size()) {
                throw CommandError.SYNTAX;
            }
            if (readOnly && !op.equals("GET")) {
                throw new CommandError("ERR BITFIELD_RO only supports the GET subcommand");
            }
            if (op.equals("OVERFLOW")) {
                try {
                    overflow = Strings.Overflow.valueOf(Args.upper(a.get(i + 1)));
                } catch (IllegalArgumentException e) {
                    throw new CommandError("ERR Invalid OVERFLOW type specified");
                }
            } else {
                Strings.Field field = field(a.get(i + 1), a.get(i + 2));
                ops.add(switch (op) {
                    case "GET" -> new Strings.Get(field);
                    case "SET" -> new Strings.Set(field, Args.integer(a.get(i + 3)), overflow);
                    default -> new Strings.IncrBy(field, Args.integer(a.get(i + 3)), overflow);
                });
            }
            i += need;
        }
        if (!readOnly && ops.stream().allMatch(o -> o instanceof Strings.Get)) {
            c.missed(a.get(1)); // only GETs: Redis reads the key as BITFIELD_RO does
        }
        List<Reply> out = new ArrayList<>();
        List<Long> results = c.db().strings().bitField(a.get(1), ops);
        boolean changed = false;
        for (int i = 0; i < results.size(); i++) {
            Long v = results.get(i);
            out.add(v == null ? Reply.NIL : Reply.integer(v));
            changed |= v != null && !(ops.get(i) instanceof Strings.Get);
        }
        if (changed) {
            c.notify(STRING, "setbit", a.get(1));
        }
        return new Reply.Array(out);
    }

    /** A BITFIELD type ("i5", "u8") and offset ("100", "#2": the second field of that width). */
    private static Strings.Field field(byte[] type, byte[] offset) {
        String t = Args.text(type);
        int bits;
        try {
            bits = Integer.parseInt(t.substring(1));
        } catch (RuntimeException e) {
            bits = -1;
        }
        boolean signed = t.startsWith("i") || t.startsWith("I");
        if ((!signed && !t.startsWith("u") && !t.startsWith("U")) || bits < 1 || bits > (signed ? 64 : 63)) {
            throw new CommandError("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");
        }
        String o = Args.text(offset);
        long off;
        try {
            off = o.startsWith("#") ? Math.multiplyExact(Long.parseLong(o.substring(1)), bits) : Long.parseLong(o);
        } catch (RuntimeException e) {
            throw new CommandError("ERR bit offset is not an integer or out of range");
        }
        if (off < 0 || off + bits > Strings.MAX_LENGTH * 8) {
            throw new CommandError("ERR bit offset is not an integer or out of range");
        }
        return new Strings.Field(signed, bits, off);
    }

    /**
     * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]: the longest common subsequence,
     * its length, or the matching ranges, walked back from the end as Redis walks its table (so
     * the same ranges come out in the same order).
     */
    private static Reply lcs(Context c, List<byte[]> a) {
        boolean len = false;
        boolean idx = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int k = 3; k < a.size(); k++) {
            byte[] opt = a.get(k);
            if (Args.is(opt, "IDX")) {
                idx = true;
            } else if (Args.is(opt, "LEN")) {
                len = true;
            } else if (Args.is(opt, "WITHMATCHLEN")) {
                withMatchLen = true;
            } else if (Args.is(opt, "MINMATCHLEN") && k + 1 < a.size()) {
                minMatchLen = Math.max(0, Args.integer(a.get(++k)));
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (idx && len) {
            throw new CommandError("ERR If you want both the length and indexes, please just use IDX.");
        }
        byte[] x;
        byte[] y;
        try {
            x = c.db().get(a.get(1));
            y = c.db().get(a.get(2));
        } catch (io.couloy.engine.WrongTypeException e) {
            throw new CommandError("ERR The specified keys must contain string values");
        }
        x = x == null ? new byte[0] : x;
        y = y == null ? new byte[0] : y;
        int cols = y.length + 1;
        long cells = (long) (x.length + 1) * cols;
        if (cells * 4 > c.server().config().protoMaxBulkLen()) {
            throw new CommandError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        int[] table;
        try {
            table = cells > Integer.MAX_VALUE - 8 ? null : new int[(int) cells];
        } catch (OutOfMemoryError e) {
            table = null;
        }
        if (table == null) {
            throw new CommandError("ERR Insufficient memory, failed allocating transient memory for LCS");
        }
        for (int i = 1; i <= x.length; i++) {
            for (int j = 1; j <= y.length; j++) {
                table[i * cols + j] = x[i - 1] == y[j - 1] ? table[(i - 1) * cols + j - 1] + 1
                        : Math.max(table[(i - 1) * cols + j], table[i * cols + j - 1]);
            }
        }
        int total = table[x.length * cols + y.length];
        if (len) {
            return Reply.integer(total);
        }
        byte[] common = new byte[total];
        List<Reply> matches = new ArrayList<>();
        int k = total;
        int aStart = -1; // -1: no range open
        int aEnd = 0;
        int bStart = 0;
        int bEnd = 0;
        for (int i = x.length, j = y.length; i > 0 && j > 0; ) {
            boolean emit = false;
            if (x[i - 1] == y[j - 1]) {
                common[--k] = x[i - 1];
                if (aStart < 0) {
                    aStart = aEnd = i - 1;
                    bStart = bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                emit |= aStart == 0 || bStart == 0; // the walk ends at the first byte of either string
                i--;
                j--;
            } else {
                if (table[(i - 1) * cols + j] > table[i * cols + j - 1]) {
                    i--;
                } else {
                    j--;
                }
                emit = aStart >= 0;
            }
            if (emit) {
                long matchLen = aEnd - aStart + 1;
                if (idx && (minMatchLen == 0 || matchLen >= minMatchLen)) {
                    List<Reply> m = new ArrayList<>(List.of(
                            new Reply.Array(List.of(Reply.integer(aStart), Reply.integer(aEnd))),
                            new Reply.Array(List.of(Reply.integer(bStart), Reply.integer(bEnd)))));
                    if (withMatchLen) {
                        m.add(Reply.integer(matchLen));
                    }
                    matches.add(new Reply.Array(m));
                }
                aStart = -1;
            }
        }
        if (idx) {
            return new Reply.Map(List.of(Reply.bulk("matches"), new Reply.Array(matches), Reply.bulk("len"),
                    Reply.integer(total)));
        }
        return new Reply.Bulk(common);
    }

    private static Reply bitop(Context c, List<byte[]> a) {
        Strings.BitOperation op;
        try {
            op = Strings.BitOperation.valueOf(Args.upper(a.get(1)));
        } catch (IllegalArgumentException e) {
            throw CommandError.SYNTAX;
        }
        if (op == Strings.BitOperation.NOT && a.size() != 4) {
            throw new CommandError("ERR BITOP NOT must be called with a single source key.");
        }
        c.missed(a.subList(3, a.size()));
        boolean existed = c.notifying(GENERIC) && c.db().exists(a.get(2));
        long length = c.db().strings().bitOp(op, a.get(2), a.subList(3, a.size()));
        if (length > 0) {
            c.notify(STRING, "set", a.get(2));
        } else if (existed) {
            c.notify(GENERIC, "del", a.get(2));
        }
        return Reply.integer(length);
    }
}
