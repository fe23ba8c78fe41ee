package io.couloy.server.commands;

import static io.couloy.server.command.CommandSpec.of;
import static io.couloy.server.pubsub.KeyspaceNotifier.GENERIC;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.GlobPattern;
import io.couloy.engine.KeyType;
import io.couloy.server.command.Args;
import io.couloy.server.command.CommandError;
import io.couloy.server.command.CommandTable;
import io.couloy.server.command.Context;
import io.couloy.server.command.Flag;
import io.couloy.server.dump.DumpPayload;
import io.couloy.server.dump.StoredValue;
import io.couloy.server.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The keyspace commands: DEL, EXISTS, TYPE, KEYS, SCAN, the EXPIRE and TTL families, PERSIST, TOUCH,
 * RENAME, COPY, MOVE, DUMP / RESTORE, OBJECT.
 */
public final class KeyCommands {
    private KeyCommands() {}

    public static void register(CommandTable t) {
        t.add(of("del", -2, "generic", KeyCommands::del).flags(Flag.WRITE).keys(1, -1, 1)
                .doc("Deletes one or more keys.", "1.0.0", "O(N) keys; O(1) per key of any size"));
        t.add(of("unlink", -2, "generic", KeyCommands::del).flags(Flag.WRITE, Flag.FAST).keys(1, -1, 1)
                .doc("Asynchronously deletes one or more keys.", "4.0.0", "O(1) per key"));
        t.add(of("exists", -2, "generic", KeyCommands::exists).flags(Flag.READONLY, Flag.FAST).keys(1, -1, 1)
                .doc("Determines whether one or more keys exist.", "1.0.0", "O(N)"));
        t.add(of("touch", -2, "generic", KeyCommands::exists).flags(Flag.READONLY, Flag.FAST).keys(1, -1, 1)
                .doc("Returns the number of existing keys out of those specified after updating the time they were last accessed.", "3.2.1", "O(N)"));
        t.add(of("type", 2, "generic", KeyCommands::type).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1)
                .doc("Determines the type of value stored at a key.", "1.0.0", "O(1)"));
        t.add(of("keys", 2, "generic", KeyCommands::keys).flags(Flag.READONLY)
                .doc("Returns all key names that match a pattern.", "1.0.0", "O(N)"));
        t.add(of("scan", -2, "generic", KeyCommands::scan).flags(Flag.READONLY)
                .doc("Iterates over the key names in the database.", "2.8.0", "O(1) per call"));
        for (String name : List.of("expire", "pexpire", "expireat", "pexpireat")) {
            t.add(of(name, -3, "generic", (c, a) -> expire(c, a, name)).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1)
                    .doc("Sets the expiration time of a key.", name.startsWith("p") ? "2.6.0" : "1.0.0", "O(1)"));
        }
        t.add(of("ttl", 2, "generic", (c, a) -> ttl(c, a, false)).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1)
                .doc("Returns the expiration time in seconds of a key.", "1.0.0", "O(1)"));
        t.add(of("pttl", 2, "generic", (c, a) -> ttl(c, a, true)).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1)
                .doc("Returns the expiration time in milliseconds of a key.", "2.6.0", "O(1)"));
        t.add(of("expiretime", 2, "generic", (c, a) -> expireTime(c, a, false)).flags(Flag.READONLY, Flag.FAST)
                .keys(1, 1, 1).doc("Returns the expiration time of a key as a Unix timestamp.", "7.0.0", "O(1)"));
        t.add(of("pexpiretime", 2, "generic", (c, a) -> expireTime(c, a, true)).flags(Flag.READONLY, Flag.FAST)
                .keys(1, 1, 1).doc("Returns the expiration time of a key as a Unix milliseconds timestamp.", "7.0.0", "O(1)"));
        t.add(of("rename", 3, "generic", (c, a) -> rename(c, a, false)).flags(Flag.WRITE).keys(1, 2, 1)
                .doc("Renames a key and overwrites the destination.", "1.0.0", "O(1) for strings, O(N) for collections"));
        t.add(of("renamenx", 3, "generic", (c, a) -> rename(c, a, true)).flags(Flag.WRITE, Flag.FAST).keys(1, 2, 1)
                .doc("Renames a key only when the target key name doesn't exist.", "1.0.0", "O(1) for strings, O(N) for collections"));
        // COPY, MOVE and RESTORE check the destination, then write it: run alone, so nothing slips in between.
        t.add(of("copy", -3, "generic", KeyCommands::copy).flags(Flag.WRITE, Flag.DENYOOM, Flag.EXCLUSIVE).keys(1, 2, 1)
                .doc("Copies the value of a key to a new key.", "6.2.0", "O(N)"));
        t.add(of("move", 3, "generic", KeyCommands::move).flags(Flag.WRITE, Flag.FAST, Flag.EXCLUSIVE).keys(1, 1, 1)
                .doc("Moves a key to another database.", "1.0.0", "O(1) for strings, O(N) for collections"));
        t.add(of("dump", 2, "generic", KeyCommands::dump).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Returns a serialized representation of the value stored at a key.", "2.6.0", "O(N)"));
        t.add(of("restore", -4, "generic", KeyCommands::restore).flags(Flag.WRITE, Flag.DENYOOM, Flag.EXCLUSIVE)
                .keys(1, 1, 1).doc("Creates a key from the serialized representation of a value.", "2.6.0", "O(N)"));
        t.add(of("randomkey", 1, "generic", (c, a) -> Reply.bulkOrNil(c.db().randomKey())).flags(Flag.READONLY)
                .doc("Returns a random key name from the database.", "1.0.0", "O(1)"));
        t.add(of("object", -2, "generic", KeyCommands::object).flags(Flag.READONLY).keys(2, 2, 1)
                .doc("A container for object introspection commands.", "2.2.3", "O(1)"));
        t.add(of("persist", 2, "generic", KeyCommands::persist)
                .flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).doc("Removes the expiration time of a key.", "2.2.0", "O(1)"));
    }

    private static Reply del(Context c, List<byte[]> a) {
        CouloyDB db = c.db();
        long n = 0;
        for (byte[] k : a.subList(1, a.size())) {
            if (db.delete(k)) {
                n++;
                c.notify(GENERIC, "del", k);
            }
        }
        return Reply.integer(n);
    }

    private static Reply exists(Context c, List<byte[]> a) {
        CouloyDB db = c.db();
        long n = 0;
        for (byte[] k : a.subList(1, a.size())) {
            n += db.exists(k) ? 1 : 0;
        }
        return Reply.integer(n);
    }

    private static Reply rename(Context c, List<byte[]> a, boolean nx) {
        CouloyDB db = c.db();
        if (db.type(a.get(1)) == null) {
            throw new CommandError("ERR no such key");
        }
        if (java.util.Arrays.equals(a.get(1), a.get(2))) {
            return nx ? Reply.ZERO : Reply.OK; // no change, no events
        }
        boolean done = db.copy(a.get(1), a.get(2), nx, false);
        if (done) {
            c.announceNew(c.client().db(), a.get(2));
            c.notify(GENERIC, "rename_from", a.get(1));
            c.notify(GENERIC, "rename_to", a.get(2));
        }
        return nx ? Reply.integer(done ? 1 : 0) : Reply.OK;
    }

    private static Reply copy(Context c, List<byte[]> a) {
        boolean replace = false;
        int target = c.client().db();
        for (int i = 3; i < a.size(); i++) {
            if (Args.is(a.get(i), "REPLACE")) {
                replace = true;
            } else if (Args.is(a.get(i), "DB") && i + 1 < a.size()) {
                target = database(c, a.get(++i));
            } else {
                throw CommandError.SYNTAX;
            }
        }
        byte[] src = a.get(1);
        byte[] dst = a.get(2);
        if (target == c.client().db() && java.util.Arrays.equals(src, dst)) {
            throw new CommandError("ERR source and destination objects are the same");
        }
        boolean done;
        if (target == c.client().db()) {
            done = c.db().copy(src, dst, !replace, true);
        } else {
            done = copyAcross(c.db(), src, c.server().databases().get(target), dst, replace);
        }
        if (done) {
            c.announceNew(target, dst);
            c.server().notifier().notify(target, GENERIC, "copy_to", dst);
        }
        return Reply.integer(done ? 1 : 0);
    }

    /** A SELECT-able database index argument, with Redis's errors. */
    private static int database(Context c, byte[] arg) {
        long index;
        try {
            index = Args.integer(arg);
        } catch (CommandError e) {
            throw new CommandError("ERR value is not an integer or out of range");
        }
        if (index < Integer.MIN_VALUE || index > Integer.MAX_VALUE) {
            throw new CommandError("ERR value is not an integer or out of range");
        }
        if (index < 0 || index >= c.server().databases().count()) {
            throw new CommandError("ERR DB index is out of range");
        }
        return (int) index;
    }

    /** Copies key {@code src} of {@code from} to {@code dst} of {@code to}, expiry included; false if not done. */
    private static boolean copyAcross(CouloyDB from, byte[] src, CouloyDB to, byte[] dst, boolean replace) {
        StoredValue v = StoredValue.read(from, src);
        if (v == null || (!replace && to.exists(dst))) {
            return false;
        }
        long ttl = from.ttl(src);
        v.writeTo(to, dst, ttl >= 0 ? System.currentTimeMillis() + Math.max(1, ttl) : 0);
        return true;
    }

    /**
     * MOVE: the key is written into the target database, then deleted here. The two databases are
     * two engines, so a crash between the steps leaves the key in both, never in neither.
     */
    private static Reply move(Context c, List<byte[]> a) {
        int target = database(c, a.get(2));
        if (target == c.client().db()) {
            throw new CommandError("ERR source and destination objects are the same");
        }
        if (!copyAcross(c.db(), a.get(1), c.server().databases().get(target), a.get(1), false)) {
            return Reply.ZERO;
        }
        c.db().delete(a.get(1));
        c.announceNew(target, a.get(1));
        c.notify(GENERIC, "move_from", a.get(1));
        c.server().notifier().notify(target, GENERIC, "move_to", a.get(1));
        return Reply.ONE;
    }

    private static Reply dump(Context c, List<byte[]> a) {
        StoredValue v = StoredValue.read(c.db(), a.get(1));
        return v == null ? Reply.NIL : new Reply.Bulk(DumpPayload.encode(v));
    }

    /** RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f], checks in Redis's order. */
    private static Reply restore(Context c, List<byte[]> a) {
        boolean replace = false;
        boolean absTtl = false;
        boolean idle = false;
        boolean freq = false;
        for (int i = 4; i < a.size(); i++) {
            boolean more = i + 1 < a.size();
            if (Args.is(a.get(i), "REPLACE")) {
                replace = true;
            } else if (Args.is(a.get(i), "ABSTTL")) {
                absTtl = true;
            } else if (Args.is(a.get(i), "IDLETIME") && more && !freq) {
                if (Args.integer(a.get(++i)) < 0) {
                    throw new CommandError("ERR Invalid IDLETIME value, must be >= 0");
                }
                idle = true; // accepted; CouloyDB keeps no access times
            } else if (Args.is(a.get(i), "FREQ") && more && !idle) {
                long f = Args.integer(a.get(++i));
                if (f < 0 || f > 255) {
                    throw new CommandError("ERR Invalid FREQ value, must be >= 0 and <= 255");
                }
                freq = true;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        byte[] key = a.get(1);
        CouloyDB db = c.db();
        if (!replace && db.exists(key)) {
            throw new CommandError("BUSYKEY Target key name already exists.");
        }
        long ttl = Args.integer(a.get(2));
        if (ttl < 0) {
            throw new CommandError("ERR Invalid TTL value, must be >= 0");
        }
        StoredValue v;
        try {
            v = DumpPayload.decode(a.get(3));
        } catch (DumpPayload.BadPayloadException e) {
            throw new CommandError(e.getMessage());
        }
        long expireAt = ttl == 0 ? 0 : absTtl ? ttl : System.currentTimeMillis() + ttl;
        if (expireAt != 0 && expireAt <= System.currentTimeMillis()) {
            if (replace && db.delete(key)) {
                c.notify(GENERIC, "del", key);
            }
            return Reply.OK; // already expired: nothing to create, as in Redis
        }
        v.writeTo(db, key, expireAt);
        c.notify(GENERIC, "restore", key);
        return Reply.OK;
    }

    /**
     * OBJECT: ENCODING names the nearest Redis encoding of how CouloyDB keeps the value (strings
     * are raw bytes on disk; hashes and sets a hash index, lists an array index, sorted sets an
     * ordered tree); REFCOUNT is 1; IDLETIME 0 (access times are not tracked); FREQ answers as
     * Redis does when no LFU policy is set.
     */
    private static Reply object(Context c, List<byte[]> a) {
        String sub = Args.upper(a.get(1));
        if (a.size() != 3) {
            throw new CommandError("ERR unknown subcommand or wrong number of arguments for '" + Args.text(a.get(1))
                    + "'. Try OBJECT HELP.");
        }
        KeyType t = c.db().type(a.get(2));
        if (t == null) {
            return Reply.NIL;
        }
        return switch (sub) {
            case "ENCODING" -> Reply.bulk(switch (t) {
                case STRING -> "raw";
                case HASH, SET -> "hashtable";
                case LIST -> "quicklist";
                case ZSET -> "skiplist";
            });
            case "REFCOUNT" -> Reply.ONE;
            case "IDLETIME" -> Reply.ZERO;
            case "FREQ" -> throw new CommandError("ERR An LFU maxmemory policy is not selected, access frequency not tracked. "
                    + "Please note that when switching between policies at runtime LRU and LFU data will take some time "
                    + "to adjust.");
            default -> throw new CommandError("ERR unknown subcommand '" + Args.text(a.get(1)) + "'. Try OBJECT HELP.");
        };
    }

    private static Reply type(Context c, List<byte[]> a) {
        KeyType t = c.db().type(a.get(1));
        return new Reply.Simple(t == null ? "none" : t.redisName());
    }

    private static Reply keys(Context c, List<byte[]> a) {
        GlobPattern p = GlobPattern.compile(a.get(1));
        List<Reply> out = new ArrayList<>();
        long cursor = 0;
        do {
            CouloyDB.ScanResult r = c.db().scan(cursor, 1000, p);
            r.keys().forEach(k -> out.add(new Reply.Bulk(k)));
            cursor = r.cursor();
        } while (cursor != 0);
        return new Reply.Array(out);
    }

    private static Reply scan(Context c, List<byte[]> a) {
        long cursor;
        try {
            cursor = Long.parseUnsignedLong(Args.text(a.get(1)));
        } catch (NumberFormatException e) {
            throw new CommandError("ERR invalid cursor");
        }
        GlobPattern match = null;
        int count = 10;
        KeyType type = null;
        boolean typeGiven = false;
        for (int i = 2; i < a.size(); i += 2) {
            if (i + 1 >= a.size()) {
                throw CommandError.SYNTAX;
            }
            String opt = Args.upper(a.get(i));
            switch (opt) {
                case "MATCH" -> match = GlobPattern.compile(a.get(i + 1));
                case "COUNT" -> {
                    long n = Args.integer(a.get(i + 1));
                    if (n < 1) {
                        throw CommandError.SYNTAX;
                    }
                    count = (int) Math.min(n, Integer.MAX_VALUE);
                }
                case "TYPE" -> {
                    typeGiven = true;
                    String name = Args.text(a.get(i + 1));
                    for (KeyType t : KeyType.values()) {
                        if (t.redisName().equalsIgnoreCase(name)) {
                            type = t;
                        }
                    }
                }
                default -> throw CommandError.SYNTAX;
            }
        }
        if (typeGiven && type == null) {
            // An unknown type matches nothing, as in Redis.
            return new Reply.Array(List.of(Reply.bulk("0"), Reply.EMPTY));
        }
        CouloyDB.ScanResult r = c.db().scan(cursor, count, match, type);
        List<Reply> keys = new ArrayList<>();
        r.keys().forEach(k -> keys.add(new Reply.Bulk(k)));
        return new Reply.Array(List.of(new Reply.Bulk(Long.toUnsignedString(r.cursor()).getBytes(StandardCharsets.US_ASCII)),
                new Reply.Array(keys)));
    }

    private static Reply expire(Context c, List<byte[]> a, String name) {
        long n = Args.integer(a.get(2));
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        for (byte[] opt : a.subList(3, a.size())) {
            switch (Args.upper(opt)) {
                case "NX" -> nx = true;
                case "XX" -> xx = true;
                case "GT" -> gt = true;
                case "LT" -> lt = true;
                default -> throw new CommandError("ERR Unsupported option " + Args.text(opt));
            }
        }
        if (nx && (xx || gt || lt)) {
            throw new CommandError("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if (gt && lt) {
            throw new CommandError("ERR GT and LT options at the same time are not compatible");
        }
        long now = System.currentTimeMillis();
        long at;
        try {
            at = switch (name) {
                case "expire" -> Math.addExact(now, Math.multiplyExact(n, 1000L));
                case "pexpire" -> Math.addExact(now, n);
                case "expireat" -> Math.multiplyExact(n, 1000L);
                default -> n;
            };
        } catch (ArithmeticException e) {
            throw new CommandError("ERR invalid expire time in '" + name + "' command");
        }
        CouloyDB db = c.db();
        long ttl = db.ttl(a.get(1));
        if (ttl == -2) {
            return Reply.ZERO;
        }
        long current = ttl == -1 ? 0 : now + ttl; // 0: no expiry, which counts as infinite
        if ((nx && current != 0) || (xx && current == 0) || (gt && (current == 0 || at <= current))
                || (lt && current != 0 && at >= current)) {
            return Reply.ZERO;
        }
        if (!db.expireAt(a.get(1), at)) {
            return Reply.ZERO;
        }
        // A time already past deletes the key, as in Redis.
        c.notify(GENERIC, at <= System.currentTimeMillis() ? "del" : "expire", a.get(1));
        return Reply.ONE;
    }

    private static Reply persist(Context c, List<byte[]> a) {
        if (!c.db().persist(a.get(1))) {
            return Reply.ZERO;
        }
        c.notify(GENERIC, "persist", a.get(1));
        return Reply.ONE;
    }

    private static Reply ttl(Context c, List<byte[]> a, boolean millis) {
        long ms = c.db().ttl(a.get(1));
        if (ms < 0) {
            return Reply.integer(ms);
        }
        return Reply.integer(millis ? ms : (ms + 500) / 1000);
    }

    private static Reply expireTime(Context c, List<byte[]> a, boolean millis) {
        long ms = c.db().ttl(a.get(1));
        if (ms < 0) {
            return Reply.integer(ms);
        }
        long at = System.currentTimeMillis() + ms;
        return Reply.integer(millis ? at : (at + 500) / 1000);
    }
}
