package io.couloy.server.commands;

import static io.couloy.server.command.CommandSpec.of;
import static io.couloy.server.commands.StringCommands.notified;
import static io.couloy.server.pubsub.KeyspaceNotifier.HASH;

import io.couloy.engine.Hashes;
import io.couloy.engine.ScanStep;
import io.couloy.server.command.Args;
import io.couloy.server.command.CommandError;
import io.couloy.server.command.CommandTable;
import io.couloy.server.command.Context;
import io.couloy.server.command.Flag;
import io.couloy.server.resp.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The hash commands: parse, call {@link Hashes}, reply. */
public final class HashCommands {
    private HashCommands() {}

    public static void register(CommandTable t) {
        t.add(of("hset", -4, "hash", HashCommands::hset).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1)
                .doc("Creates or modifies the value of a field in a hash.", "2.0.0", "O(1) per field"));
        t.add(of("hmset", -4, "hash", (c, a) -> {
            hset(c, a);
            return Reply.OK;
        }).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).doc("Sets the values of multiple fields.", "2.0.0", "O(N)"));
        t.add(of("hsetnx", 4, "hash", HashCommands::hsetnx)
                .flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1)
                .doc("Sets the value of a field in a hash only when the field doesn't exist.", "2.0.0", "O(1)"));
        t.add(of("hget", 3, "hash", (c, a) -> Reply.bulkOrNil(c.db().hashes().get(a.get(1), a.get(2))))
                .flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).doc("Returns the value of a field in a hash.", "2.0.0", "O(1)"));
        t.add(of("hmget", -3, "hash", HashCommands::hmget).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1)
                .doc("Returns the values of all fields in a hash.", "2.0.0", "O(N)"));
        t.add(of("hdel", -3, "hash", (c, a) -> Reply.integer(c.notifyRemoved(HASH, "hdel", a.get(1),
                c.db().hashes().delete(a.get(1), a.subList(2, a.size())))))
                .flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).doc("Deletes one or more fields and their values from a hash.", "2.0.0", "O(N)"));
        t.add(of("hexists", 3, "hash", (c, a) -> Reply.integer(c.db().hashes().exists(a.get(1), a.get(2)) ? 1 : 0))
                .flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).doc("Determines whether a field exists in a hash.", "2.0.0", "O(1)"));
        t.add(of("hlen", 2, "hash", (c, a) -> Reply.integer(c.db().hashes().length(a.get(1)))).flags(Flag.READONLY, Flag.FAST)
                .keys(1, 1, 1).doc("Returns the number of fields in a hash.", "2.0.0", "O(1)"));
        t.add(of("hstrlen", 3, "hash", (c, a) -> Reply.integer(c.db().hashes().valueLength(a.get(1), a.get(2))))
                .flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).doc("Returns the length of the value of a field.", "3.2.0", "O(1)"));
        t.add(of("hkeys", 2, "hash", (c, a) -> new Reply.Bulks(c.db().hashes().fields(a.get(1)))).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Returns all fields in a hash.", "2.0.0", "O(N)"));
        t.add(of("hvals", 2, "hash", (c, a) -> new Reply.Bulks(c.db().hashes().values(a.get(1)))).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Returns all values in a hash.", "2.0.0", "O(N)"));
        t.add(of("hgetall", 2, "hash", HashCommands::hgetall).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Returns all fields and values in a hash.", "2.0.0", "O(N)"));
        t.add(of("hincrby", 4, "hash", (c, a) -> Reply.integer(notified(c, HASH, "hincrby", a.get(1),
                c.db().hashes().incrementBy(a.get(1), a.get(2), Args.integer(a.get(3))))))
                .flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1)
                .doc("Increments the integer value of a field in a hash by a number.", "2.0.0", "O(1)"));
        t.add(of("hincrbyfloat", 4, "hash", (c, a) -> new Reply.Bulk(notified(c, HASH, "hincrbyfloat", a.get(1),
                c.db().hashes().incrementByFloat(a.get(1), a.get(2), a.get(3)))))
                .flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1)
                .doc("Increments the floating point value of a field by a number.", "2.6.0", "O(1)"));
        t.add(of("hrandfield", -2, "hash", HashCommands::hrandfield).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Returns one or more random fields from a hash.", "6.2.0", "O(N)"));
        t.add(of("hscan", -3, "hash", HashCommands::hscan).flags(Flag.READONLY).keys(1, 1, 1)
                .doc("Iterates over fields and values of a hash.", "2.8.0", "O(1) per call"));
    }

    private static Reply hset(Context c, List<byte[]> a) {
        if (a.size() % 2 != 0) {
            throw new CommandError("ERR wrong number of arguments for '" + Args.text(a.get(0)).toLowerCase(java.util.Locale.ROOT)
                    + "' command");
        }
        List<Hashes.FieldValue> fields = new ArrayList<>();
        for (int i = 2; i < a.size(); i += 2) {
            fields.add(new Hashes.FieldValue(a.get(i), a.get(i + 1)));
        }
        return Reply.integer(notified(c, HASH, "hset", a.get(1), c.db().hashes().set(a.get(1), fields)));
    }

    private static Reply hsetnx(Context c, List<byte[]> a) {
        if (!c.db().hashes().setIfAbsent(a.get(1), a.get(2), a.get(3))) {
            return Reply.ZERO;
        }
        c.notify(HASH, "hset", a.get(1));
        return Reply.ONE;
    }


    private static Reply hmget(Context c, List<byte[]> a) {
        List<Reply> out = new ArrayList<>();
        for (byte[] v : c.db().hashes().get(a.get(1), a.subList(2, a.size()))) {
            out.add(Reply.bulkOrNil(v));
        }
        return new Reply.Array(out);
    }

    private static Reply hgetall(Context c, List<byte[]> a) {
        List<Reply> out = new ArrayList<>();
        for (Hashes.FieldValue fv : c.db().hashes().entries(a.get(1))) {
            out.add(new Reply.Bulk(fv.field()));
            out.add(new Reply.Bulk(fv.value()));
        }
        return new Reply.Map(out);
    }

    private static Reply hrandfield(Context c, List<byte[]> a) {
        if (a.size() == 2) {
            List<Hashes.FieldValue> one = c.db().hashes().randomFields(a.get(1), 1, false, ThreadLocalRandom.current());
            return one.isEmpty() ? Reply.NIL : new Reply.Bulk(one.get(0).field());
        }
        long count = Args.integer(a.get(2));
        boolean withValues = a.size() == 4 && Args.is(a.get(3), "WITHVALUES");
        if (a.size() > 4 || (a.size() == 4 && !withValues)) {
            throw CommandError.SYNTAX;
        }
        if (count < -Long.MAX_VALUE / 2) {
            throw new CommandError("ERR value is out of range");
        }
        return Reply.withPairs(c.db().hashes().randomFields(a.get(1), count, withValues, ThreadLocalRandom.current()),
                fv -> new Reply.Bulk(fv.field()), fv -> new Reply.Bulk(fv.value()), withValues, c.client().protocol() == 3);
    }

    private static Reply hscan(Context c, List<byte[]> a) {
        ScanArgs s = ScanArgs.parse(a, 2);
        ScanStep<Hashes.FieldValue> step = c.db().hashes().scan(a.get(1), s.cursor(), s.count(), s.match(), !s.noValues());
        List<Reply> items = new ArrayList<>();
        for (Hashes.FieldValue fv : step.items()) {
            items.add(new Reply.Bulk(fv.field()));
            if (!s.noValues()) {
                items.add(new Reply.Bulk(fv.value()));
            }
        }
        return ScanArgs.reply(step.cursor(), items);
    }
}
