package io.couloy.server.commands;

import static io.couloy.server.command.CommandSpec.of;

import io.couloy.engine.script.CommandCaller;
import io.couloy.engine.script.LuaSandbox;
import io.couloy.engine.script.Replies;
import io.couloy.server.command.Args;
import io.couloy.server.command.CommandError;
import io.couloy.server.command.CommandSpec;
import io.couloy.server.command.CommandTable;
import io.couloy.server.command.Context;
import io.couloy.server.command.Dispatcher;
import io.couloy.server.command.Flag;
import io.couloy.server.command.RunningScript;
import io.couloy.server.resp.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * EVAL, EVALSHA (and their _RO forms), SCRIPT LOAD / EXISTS / FLUSH, FCALL, FCALL_RO and FUNCTION,
 * on the engine's Lua machinery with one script cache and one function registry for all
 * databases: a script runs with the server lock held exclusively (no other command interleaves)
 * and as one engine commit group (a crash keeps all its writes or none); its redis.call reaches
 * this server's command table through the dispatcher. Function libraries persist in
 * {@link io.couloy.server.functions.FunctionStore}.
 */
public final class ScriptCommands {
    private ScriptCommands() {}

    public static void register(CommandTable t, Dispatcher dispatcher) {
        t.add(of("eval", -3, "scripting", (c, a) -> eval(c, a, dispatcher, false, false)).flags(Flag.NOSCRIPT, Flag.EXCLUSIVE)
                .doc("Executes a server-side Lua script.", "2.6.0", "Depends on the script that is executed."));
        t.add(of("evalsha", -3, "scripting", (c, a) -> eval(c, a, dispatcher, true, false)).flags(Flag.NOSCRIPT, Flag.EXCLUSIVE)
                .doc("Executes a server-side Lua script by SHA1 digest.", "2.6.0", "Depends on the script that is executed."));
        t.add(of("eval_ro", -3, "scripting", (c, a) -> eval(c, a, dispatcher, false, true)).flags(Flag.NOSCRIPT, Flag.EXCLUSIVE)
                .doc("Executes a read-only server-side Lua script.", "7.0.0", "Depends on the script that is executed."));
        t.add(of("evalsha_ro", -3, "scripting", (c, a) -> eval(c, a, dispatcher, true, true)).flags(Flag.NOSCRIPT, Flag.EXCLUSIVE)
                .doc("Executes a read-only server-side Lua script by SHA1 digest.", "7.0.0", "Depends on the script that is executed."));
        t.add(of("script", -2, "scripting", ScriptCommands::script).flags(Flag.NOSCRIPT)
                .doc("A container for Lua scripts management commands.", "2.6.0", "Depends on subcommand."));
        t.add(of("fcall", -3, "scripting", (c, a) -> fcall(c, a, dispatcher, false)).flags(Flag.NOSCRIPT, Flag.EXCLUSIVE)
                .doc("Invokes a function.", "7.0.0", "Depends on the function that is executed."));
        t.add(of("fcall_ro", -3, "scripting", (c, a) -> fcall(c, a, dispatcher, true)).flags(Flag.NOSCRIPT, Flag.EXCLUSIVE)
                .doc("Invokes a read-only function.", "7.0.0", "Depends on the function that is executed."));
        t.add(of("function", -2, "scripting", FunctionCommands::function).flags(Flag.NOSCRIPT)
                .doc("A container for function commands.", "7.0.0", "Depends on subcommand."));
    }

    /** KEYS and ARGV from "numkeys key... arg..." at {@code at}, with Redis's checks. */
    private record KeysAndArgs(List<byte[]> keys, List<byte[]> args) {
        static KeysAndArgs parse(List<byte[]> a, int at, boolean function) {
            long numkeys;
            try {
                numkeys = Args.integer(a.get(at));
            } catch (CommandError e) {
                if (function) {
                    throw new CommandError("ERR Bad number of keys provided");
                }
                throw e;
            }
            if (numkeys > a.size() - at - 1) {
                throw new CommandError("ERR Number of keys can't be greater than number of args");
            }
            if (numkeys < 0) {
                throw new CommandError("ERR Number of keys can't be negative");
            }
            return new KeysAndArgs(a.subList(at + 1, at + 1 + (int) numkeys), a.subList(at + 1 + (int) numkeys, a.size()));
        }
    }

    private static Reply fcall(Context c, List<byte[]> a, Dispatcher dispatcher, boolean readOnlyCommand) {
        LuaSandbox scripts = c.server().scripts();
        String name = Args.text(a.get(1));
        LuaSandbox.FunctionInfo f = scripts.function(name);
        if (f == null) {
            throw new CommandError("ERR Function not found");
        }
        KeysAndArgs ka = KeysAndArgs.parse(a, 2, true);
        if (readOnlyCommand && !f.readOnly()) {
            throw new CommandError("ERR Can not execute a script with write flag using *_ro command.");
        }
        RunningScript run = c.server().startScript(c.client().id(), true, a);
        CommandCaller caller = caller(c, dispatcher, readOnlyCommand || f.readOnly(), run);
        try {
            return fromScript(c.db().atomically(() -> keptOrAbandoned(c, run, scripts.callFunction(name, ka.keys(), ka.args(),
                    caller, NO_TIME_LIMIT_MILLIS))));
        } catch (LuaSandbox.ScriptException e) {
            throw new CommandError(e.getMessage());
        } finally {
            c.server().endScript();
        }
    }

    /**
     * As in Redis, a long script is not stopped by time: past busy-reply-threshold other clients get
     * BUSY, and SCRIPT KILL / FUNCTION KILL stop it if it has not written.
     */
    private static final long NO_TIME_LIMIT_MILLIS = 100L * 24 * 3600 * 1000;

    /** Inside the script's commit group, once it has run: a server stopping meanwhile drops its writes. */
    private static Object keptOrAbandoned(Context c, RunningScript run, Object result) {
        if (run.abandoned()) {
            c.db().abandonGroup();
        }
        return result;
    }

    /** SCRIPT KILL and FUNCTION KILL: Redis's answers for nothing running, the wrong kind, a script that wrote. */
    static Reply kill(Context c, boolean function) {
        RunningScript run = c.server().runningScript();
        if (run == null) {
            throw new CommandError("NOTBUSY No scripts in execution right now.");
        }
        if (!run.kill(function)) {
            throw new CommandError("UNKILLABLE Sorry the script already executed write commands against the dataset. You can "
                    + "either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.");
        }
        if (run.function() != function) {
            return Dispatcher.busyError(run); // as Redis: SCRIPT KILL does not stop a function, nor FUNCTION KILL a script
        }
        c.server().scripts().kill(); // if the script ended meanwhile, nothing is left to stop: OK all the same
        return Reply.OK;
    }

    private static Reply eval(Context c, List<byte[]> a, Dispatcher dispatcher, boolean bySha, boolean readOnly) {
        KeysAndArgs ka = KeysAndArgs.parse(a, 2, false);
        LuaSandbox scripts = c.server().scripts();
        RunningScript run = c.server().startScript(c.client().id(), false, a);
        CommandCaller caller = caller(c, dispatcher, readOnly, run);
        try {
            String sha = bySha ? Args.text(a.get(1)) : scripts.load(a.get(1));
            return fromScript(c.db().atomically(() -> keptOrAbandoned(c, run, scripts.run(sha, ka.keys(), ka.args(), caller,
                    NO_TIME_LIMIT_MILLIS))));
        } catch (LuaSandbox.ScriptException e) {
            throw new CommandError(e.getMessage());
        } finally {
            c.server().endScript();
        }
    }

    /** What a script's redis.call reaches: this server's command table, with the checks Redis makes for scripts. */
    private static CommandCaller caller(Context c, Dispatcher dispatcher, boolean readOnly, RunningScript run) {
        return new CommandCaller() {
            @Override
            public Object call(List<byte[]> args) {
                return call(args, 2);
            }

            @Override
            public Object call(List<byte[]> args, int resp) {
                return callFromScript(c, dispatcher, readOnly, run, args, resp);
            }

            @Override
            public void whileRunning() {
                if (run.elapsedMillis() >= c.server().config().busyReplyThreshold()) {
                    c.client().whileBusy();
                }
            }
        };
    }

    private static Object callFromScript(Context c, Dispatcher dispatcher, boolean readOnly, RunningScript run, List<byte[]> args,
            int resp) {
        CommandSpec spec = c.server().commands().lookup(args.get(0));
        if (spec == null) {
            return new Replies.Error("ERR Unknown Redis command called from script");
        }
        if (!spec.arityOk(args.size())) {
            return new Replies.Error("ERR Wrong number of args calling Redis command from script");
        }
        if (spec.has(Flag.NOSCRIPT) || spec.has(Flag.NOT_QUEUED) || spec.has(Flag.EXCLUSIVE)) {
            return new Replies.Error("ERR This Redis command is not allowed from script");
        }
        if (readOnly && spec.has(Flag.WRITE)) {
            return new Replies.Error("ERR Write commands are not allowed from read-only scripts.");
        }
        if (spec.has(Flag.WRITE) && !run.beginWrite()) {
            // Killed just now: the hook stops the script at its next check; this write must not happen.
            return new Replies.Error("ERR Script killed by user");
        }
        // Blocking commands answer at once inside a script, and after it as before: a script run
        // by EXEC leaves the rest of the transaction never blocking too.
        boolean wasNonBlocking = c.client().nonBlocking();
        c.client().nonBlocking(true);
        c.client().scripting(true, resp);
        try {
            return toScript(dispatcher.call(spec, c.client(), args), resp == 3);
        } finally {
            c.client().nonBlocking(wasNonBlocking);
            c.client().scripting(false, 2);
        }
    }

    private static Reply script(Context c, List<byte[]> a) {
        LuaSandbox scripts = c.server().scripts();
        return switch (Args.upper(a.get(1))) {
            case "LOAD" -> {
                if (a.size() != 3) {
                    throw new CommandError("ERR wrong number of arguments for 'script|load' command");
                }
                try {
                    yield Reply.bulk(scripts.load(a.get(2)));
                } catch (LuaSandbox.ScriptException e) {
                    throw new CommandError(e.getMessage());
                }
            }
            case "EXISTS" -> {
                List<Reply> out = new ArrayList<>();
                for (byte[] sha : a.subList(2, a.size())) {
                    out.add(Reply.integer(scripts.exists(Args.text(sha)) ? 1 : 0));
                }
                yield new Reply.Array(out);
            }
            case "FLUSH" -> {
                if (a.size() > 3 || (a.size() == 3 && !Args.is(a.get(2), "ASYNC") && !Args.is(a.get(2), "SYNC"))) {
                    throw new CommandError("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
                }
                scripts.flush();
                yield Reply.OK;
            }
            case "KILL" -> kill(c, false);
            default -> throw new CommandError("ERR unknown subcommand '" + Args.text(a.get(1)) + "'. Try SCRIPT HELP.");
        };
    }

    /**
     * A server reply as a script sees it under {@code redis.setresp(resp)}: RESP2 flattens maps
     * and sets into arrays, doubles into bulk strings and booleans into 1 / 0; RESP3 keeps them.
     */
    private static Object toScript(Reply r, boolean resp3) {
        return switch (r) {
            case null -> Replies.OK;
            case Reply.Simple s -> new Replies.Status(s.text());
            case Reply.Error e -> new Replies.Error(e.text());
            case Reply.Int i -> i.value();
            case Reply.Bulk b -> b.bytes();
            case Reply.Null n -> null;
            case Reply.Array arr -> toScript(arr.items(), resp3);
            case Reply.Bulks b -> new ArrayList<Object>(b.items());
            case Reply.PackedBulks p -> new ArrayList<Object>(p.values().toList());
            case Reply.Set s -> resp3 ? new Replies.Set(toScript(s.items(), true)) : toScript(s.items(), false);
            case Reply.Map m -> resp3 ? new Replies.Map(toScript(m.keysAndValues(), true)) : toScript(m.keysAndValues(), false);
            case Reply.Dbl d -> resp3 ? new Replies.Double(d.value())
                    : io.couloy.server.resp.DoubleText.of(d.value()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            case Reply.Bool b -> resp3 ? (Object) b.value() : (Object) (b.value() ? 1L : 0L);
            case Reply.BigNumber n -> resp3 ? new Replies.BigNumber(n.digits())
                    : n.digits().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            case Reply.Verbatim v -> resp3 ? new Replies.Verbatim(v.format(), v.text()) : v.text();
            case Reply.Push p -> toScript(p.items(), resp3);
            case Reply.Many m -> m.replies().isEmpty() ? null : toScript(m.replies().getLast(), resp3);
            case Reply.Deferred d -> null;
            case Reply.Encoded e -> throw new IllegalStateException("pre-encoded replies are for subscribers only");
            case Reply.EncodedBulks b -> throw new IllegalStateException("pooled replies go to connections only");
        };
    }

    private static List<Object> toScript(List<Reply> items, boolean resp3) {
        List<Object> out = new ArrayList<>(items.size());
        for (Reply item : items) {
            out.add(toScript(item, resp3));
        }
        return out;
    }

    /** A script's result as a server reply. */
    static Reply fromScript(Object o) {
        return switch (o) {
            case null -> Reply.NIL;
            case Long l -> Reply.integer(l);
            case byte[] b -> new Reply.Bulk(b);
            case Replies.Status s -> new Reply.Simple(s.text());
            case Replies.Error e -> new Reply.Error(e.text());
            case List<?> list -> new Reply.Array(list.stream().map(ScriptCommands::fromScript).toList());
            case Boolean b -> new Reply.Bool(b);
            case Replies.Double d -> new Reply.Dbl(d.value());
            case Replies.BigNumber n -> new Reply.BigNumber(n.digits());
            case Replies.Verbatim v -> new Reply.Verbatim(v.format(), v.text());
            case Replies.Map m -> new Reply.Map(m.keysAndValues().stream().map(ScriptCommands::fromScript).toList());
            case Replies.Set st -> new Reply.Set(st.members().stream().map(ScriptCommands::fromScript).toList());
            default -> throw new IllegalStateException("unexpected script result " + o.getClass());
        };
    }
}
