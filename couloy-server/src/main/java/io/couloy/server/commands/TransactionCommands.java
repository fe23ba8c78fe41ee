package io.couloy.server.commands;

import static io.couloy.server.command.CommandSpec.of;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.Isolation;
import io.couloy.engine.KeyWatch;
import io.couloy.engine.Txn;
import io.couloy.engine.TxnOptions;
import io.couloy.server.command.Client;
import io.couloy.server.command.CommandError;
import io.couloy.server.command.CommandSpec;
import io.couloy.server.command.CommandTable;
import io.couloy.server.command.Context;
import io.couloy.server.command.Dispatcher;
import io.couloy.server.command.Flag;
import io.couloy.server.resp.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * MULTI, EXEC, DISCARD, WATCH, UNWATCH. EXEC holds the server lock exclusively, so no other
 * command runs between the WATCH check and the last queued command; when every queued command
 * works on the selected database (the usual case) they also commit as one engine group, so a
 * crash keeps the whole transaction or none of it. As in Redis, a command failing at run time
 * does not undo the others.
 */
public final class TransactionCommands {
    private TransactionCommands() {}

    public static void register(CommandTable t, Dispatcher dispatcher) {
        t.add(of("multi", 1, "transactions", TransactionCommands::multi).flags(Flag.NOT_QUEUED, Flag.FAST)
                .doc("Starts a transaction.", "1.2.0", "O(1)"));
        t.add(of("exec", 1, "transactions", (c, a) -> {
            Reply r = exec(c, dispatcher);
            // MONITOR shows EXEC after the commands it ran, as Redis does.
            c.server().monitors().feed(c.client(), false, c.client().db(), a);
            return r;
        }).flags(Flag.NOT_QUEUED, Flag.EXCLUSIVE, Flag.SKIP_SLOWLOG, Flag.SKIP_MONITOR)
                .doc("Executes all commands in a transaction.", "1.2.0", "Depends on commands in the transaction"));
        t.add(of("discard", 1, "transactions", TransactionCommands::discard).flags(Flag.NOT_QUEUED, Flag.FAST)
                .doc("Discards a transaction.", "2.0.0", "O(N)"));
        t.add(of("watch", -2, "transactions", TransactionCommands::watch).flags(Flag.NOT_QUEUED, Flag.FAST)
                .keys(1, -1, 1).doc("Monitors changes to keys to determine the execution of a transaction.", "2.2.0", "O(1) per key"));
        t.add(of("unwatch", 1, "transactions", (c, a) -> {
            c.client().unwatch();
            return Reply.OK;
        }).flags(Flag.FAST).doc("Forgets about watched keys of a transaction.", "2.2.0", "O(1)"));
    }

    private static Reply multi(Context c, List<byte[]> a) {
        if (c.client().inMulti()) {
            throw new CommandError("ERR MULTI calls can not be nested");
        }
        c.client().beginMulti();
        return Reply.OK;
    }

    private static Reply discard(Context c, List<byte[]> a) {
        if (!c.client().inMulti()) {
            throw new CommandError("ERR DISCARD without MULTI");
        }
        c.client().endMulti();
        return Reply.OK;
    }

    private static Reply watch(Context c, List<byte[]> a) {
        if (c.client().inMulti()) {
            throw new CommandError("ERR WATCH inside MULTI is not allowed");
        }
        CouloyDB db = c.db();
        KeyWatch w = c.client().watches().computeIfAbsent(c.client().db(), d -> db.watch());
        for (byte[] k : a.subList(1, a.size())) {
            w.add(k);
        }
        return Reply.OK;
    }

    private static Reply exec(Context c, Dispatcher dispatcher) {
        Client client = c.client();
        if (!client.inMulti()) {
            throw new CommandError("ERR EXEC without MULTI");
        }
        if (client.multiDirty()) {
            client.endMulti();
            return Reply.error("EXECABORT Transaction discarded because of previous errors.");
        }
        List<List<byte[]>> queued = client.queued();
        boolean changed = client.watchedKeysChanged();
        client.endMulti();
        if (changed) {
            return Reply.NIL_ARRAY;
        }
        List<CommandSpec> specs = new ArrayList<>();
        boolean oneDatabase = true;
        for (List<byte[]> args : queued) {
            CommandSpec spec = c.server().commands().lookup(args.get(0));
            specs.add(spec);
            oneDatabase &= !spec.has(Flag.EXCLUSIVE) && !spec.name().equals("select") && !spec.name().startsWith("flush");
        }
        client.nonBlocking(true); // blocking commands answer at once inside EXEC
        try {
            return new Reply.Array(run(c, dispatcher, client, queued, specs, oneDatabase));
        } finally {
            client.nonBlocking(false);
        }
    }

    private static List<Reply> run(Context c, Dispatcher dispatcher, Client client, List<List<byte[]>> queued,
            List<CommandSpec> specs, boolean oneDatabase) {
        List<Reply> replies = new ArrayList<>(queued.size());
        if (oneDatabase && !queued.isEmpty()) {
            // One engine group: the commands run in order at commit, a crash keeps all or none.
            List<Txn.Queued<Reply>> results = new ArrayList<>();
            c.db().update(new TxnOptions(Isolation.READ_COMMITTED, 0), txn -> {
                for (int i = 0; i < queued.size(); i++) {
                    CommandSpec spec = specs.get(i);
                    List<byte[]> args = queued.get(i);
                    results.add(txn.queue(d -> dispatcher.call(spec, client, args)));
                }
                return null;
            });
            results.forEach(r -> replies.add(r.get() == null ? Reply.OK : r.get()));
        } else {
            for (int i = 0; i < queued.size(); i++) {
                Reply r = dispatcher.call(specs.get(i), client, queued.get(i));
                replies.add(r == null ? Reply.OK : r);
            }
        }
        return replies;
    }
}
