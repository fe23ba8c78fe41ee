package io.couloy.server.commands;

import io.couloy.engine.GlobPattern;
import io.couloy.engine.script.LuaSandbox;
import io.couloy.server.command.Args;
import io.couloy.server.command.CommandError;
import io.couloy.server.command.Context;
import io.couloy.server.command.Dispatcher;
import io.couloy.server.dump.DumpPayload;
import io.couloy.server.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * FUNCTION LOAD / DELETE / FLUSH / LIST / DUMP / RESTORE / STATS / KILL: the libraries live in
 * the server's Lua sandbox and, on every change, in the function store, so they survive a
 * restart as Redis's survive in its RDB.
 */
final class FunctionCommands {
    private FunctionCommands() {}

    static Reply function(Context c, List<byte[]> a) {
        LuaSandbox scripts = c.server().scripts();
        String sub = Args.upper(a.get(1));
        try {
            return switch (sub) {
                case "LOAD" -> load(c, a, scripts);
                case "DELETE" -> {
                    arity(a, 3, sub);
                    String name = Args.text(a.get(2));
                    if (!scripts.deleteLibrary(name)) {
                        throw new CommandError("ERR Library not found");
                    }
                    c.server().functions().delete(name);
                    yield Reply.OK;
                }
                case "FLUSH" -> {
                    if (a.size() > 3 || (a.size() == 3 && !Args.is(a.get(2), "ASYNC") && !Args.is(a.get(2), "SYNC"))) {
                        throw new CommandError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
                    }
                    scripts.flushLibraries();
                    c.server().functions().replaceWith(List.of());
                    yield Reply.OK;
                }
                case "LIST" -> list(a, scripts);
                case "DUMP" -> {
                    arity(a, 2, sub);
                    List<byte[]> codes = new ArrayList<>();
                    scripts.libraries().forEach(l -> codes.add(l.code()));
                    yield new Reply.Bulk(DumpPayload.encodeFunctions(codes));
                }
                case "RESTORE" -> restore(c, a, scripts);
                case "STATS" -> {
                    arity(a, 2, sub);
                    List<LuaSandbox.Library> libs = scripts.libraries();
                    long functions = libs.stream().mapToLong(l -> l.functions().size()).sum();
                    var run = c.server().runningScript();
                    if (run != null && !run.function()) {
                        yield Dispatcher.busyError(run); // as Redis: no stats while an EVAL is busy
                    }
                    Reply running = Reply.NIL;
                    if (run != null && run.function()) {
                        List<Reply> cmd = new ArrayList<>();
                        run.command().forEach(x -> cmd.add(new Reply.Bulk(x)));
                        running = new Reply.Map(List.of(Reply.bulk("name"), new Reply.Bulk(run.command().get(1)),
                                Reply.bulk("command"), new Reply.Array(cmd), Reply.bulk("duration_ms"),
                                Reply.integer(run.elapsedMillis())));
                    }
                    yield new Reply.Map(List.of(Reply.bulk("running_script"), running, Reply.bulk("engines"),
                            new Reply.Map(List.of(Reply.bulk("LUA"), new Reply.Map(List.of(Reply.bulk("libraries_count"),
                                    Reply.integer(libs.size()), Reply.bulk("functions_count"), Reply.integer(functions)))))));
                }
                case "KILL" -> ScriptCommands.kill(c, true);
                default -> throw new CommandError("ERR unknown subcommand '" + Args.text(a.get(1)) + "'. Try FUNCTION HELP.");
            };
        } catch (LuaSandbox.ScriptException e) {
            throw new CommandError(e.getMessage());
        }
    }

    private static void arity(List<byte[]> a, int n, String sub) {
        if (a.size() != n) {
            throw new CommandError("ERR wrong number of arguments for 'function|" + sub.toLowerCase(Locale.ROOT) + "' command");
        }
    }

    private static Reply load(Context c, List<byte[]> a, LuaSandbox scripts) {
        boolean replace = a.size() == 4 && Args.is(a.get(2), "REPLACE");
        if (a.size() < 3 || a.size() > 4 || (a.size() == 4 && !replace)) {
            if (a.size() == 4) {
                throw new CommandError("ERR Unknown option given: " + Args.text(a.get(2)));
            }
            throw new CommandError("ERR wrong number of arguments for 'function|load' command");
        }
        LuaSandbox.Library lib = scripts.loadLibrary(a.getLast(), replace);
        c.server().functions().save(lib);
        return Reply.bulk(lib.name());
    }

    private static Reply list(List<byte[]> a, LuaSandbox scripts) {
        boolean withCode = false;
        GlobPattern pattern = null;
        for (int i = 2; i < a.size(); i++) {
            if (Args.is(a.get(i), "WITHCODE") && !withCode) {
                withCode = true;
            } else if (Args.is(a.get(i), "LIBRARYNAME") && i + 1 < a.size() && pattern == null) {
                pattern = GlobPattern.compile(a.get(++i));
            } else {
                throw new CommandError("ERR Unknown argument " + Args.text(a.get(i)));
            }
        }
        List<Reply> out = new ArrayList<>();
        for (LuaSandbox.Library lib : scripts.libraries()) {
            if (pattern != null && !pattern.matches(lib.name().getBytes(StandardCharsets.UTF_8))) {
                continue;
            }
            List<Reply> fns = new ArrayList<>();
            for (LuaSandbox.FunctionInfo f : lib.functions()) {
                List<Reply> flags = new ArrayList<>();
                f.flags().forEach(flag -> flags.add(new Reply.Simple(flag)));
                fns.add(new Reply.Map(List.of(Reply.bulk("name"), Reply.bulk(f.name()), Reply.bulk("description"),
                        f.description() == null ? Reply.NIL : Reply.bulk(f.description()), Reply.bulk("flags"),
                        new Reply.Set(flags))));
            }
            List<Reply> entry = new ArrayList<>(List.of(Reply.bulk("library_name"), Reply.bulk(lib.name()),
                    Reply.bulk("engine"), Reply.bulk("LUA"), Reply.bulk("functions"), new Reply.Array(fns)));
            if (withCode) {
                entry.add(Reply.bulk("library_code"));
                entry.add(new Reply.Bulk(lib.code()));
            }
            out.add(new Reply.Map(entry));
        }
        return new Reply.Array(out);
    }

    /** FUNCTION RESTORE payload [FLUSH | APPEND | REPLACE]: all the payload's libraries, or none. */
    private static Reply restore(Context c, List<byte[]> a, LuaSandbox scripts) {
        String policy = a.size() > 3 ? Args.upper(a.get(3)) : "APPEND";
        if (a.size() > 4 || !List.of("FLUSH", "APPEND", "REPLACE").contains(policy)) {
            throw new CommandError("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
        }
        List<byte[]> codes;
        try {
            codes = DumpPayload.decodeFunctions(a.get(2));
        } catch (DumpPayload.BadPayloadException e) {
            throw new CommandError(e.getMessage());
        }
        // Check the whole payload against what stays before changing anything.
        LuaSandbox trial = new LuaSandbox();
        if (!policy.equals("FLUSH")) {
            for (LuaSandbox.Library kept : scripts.libraries()) {
                trial.loadLibrary(kept.code(), true);
            }
        }
        for (byte[] code : codes) {
            try {
                trial.loadLibrary(code, policy.equals("REPLACE"));
            } catch (LuaSandbox.ScriptException e) {
                // RESTORE words the clash without LOAD's quotes.
                throw new CommandError(e.getMessage().replaceFirst("^ERR Library '(.*)' already exists$", "ERR Library $1 already exists"));
            }
        }
        if (policy.equals("FLUSH")) {
            scripts.flushLibraries();
        }
        for (byte[] code : codes) {
            scripts.loadLibrary(code, true);
        }
        c.server().functions().replaceWith(scripts.libraries());
        return Reply.OK;
    }
}
