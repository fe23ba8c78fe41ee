package io.couloy.server.command;

import io.couloy.engine.InvalidValueException;
import io.couloy.engine.WrongTypeException;
import io.couloy.engine.script.ScriptTimeoutException;
import io.couloy.server.monitor.ShownArgs;
import io.couloy.server.pubsub.KeyspaceNotifier;
import io.couloy.server.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one command for a client: looks it up, checks arity and authentication, queues it inside
 * MULTI, takes the server lock (shared, or exclusive for EXCLUSIVE commands), calls the handler
 * and turns engine exceptions into Redis's error replies. Handlers do none of this.
 */
public final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    public static final Reply WRONGTYPE = Reply.error("WRONGTYPE Operation against a key holding the wrong kind of value");

    private final ServerContext server;
    /** What a RESP2 connection may send while subscribed. */
    private static final java.util.Set<String> SUBSCRIBED_MODE = java.util.Set.of("subscribe", "unsubscribe", "psubscribe",
            "punsubscribe", "ssubscribe", "sunsubscribe", "ping", "quit", "reset");

    public Dispatcher(ServerContext server) {
        this.server = server;
    }

    public ServerContext server() {
        return server;
    }

    public Reply dispatch(Client client, List<byte[]> args) {
        server.commandsProcessed().increment();
        CommandSpec spec = server.commands().lookup(args.get(0));
        if (spec == null) {
            client.markMultiDirty();
            return Reply.error(unknown(args));
        }
        if (!spec.arityOk(args.size())) {
            client.markMultiDirty();
            return Reply.error("ERR wrong number of arguments for '" + spec.name() + "' command");
        }
        if (!client.authenticated() && !spec.has(Flag.NO_AUTH)) {
            client.markMultiDirty();
            return Reply.error("NOAUTH Authentication required.");
        }
        if (client.protocol() == 2 && client.subscribed() && !SUBSCRIBED_MODE.contains(spec.name())) {
            return Reply.error("ERR Can't execute '" + spec.name() + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
                    + "QUIT / RESET are allowed in this context");
        }
        if (client.protocol() == 2 && client.subscribed() && spec.name().equals("ping")) {
            return new Reply.Array(List.of(Reply.bulk("pong"), args.size() > 1 ? new Reply.Bulk(args.get(1)) : Reply.bulk("")));
        }
        Reply busy = busy(spec, client, args);
        if (busy != null) {
            client.markMultiDirty(); // as Redis's rejectCommand: a later EXEC fails with EXECABORT
            return busy;
        }
        if (client.inMulti() && !spec.has(Flag.NOT_QUEUED)) {
            client.queued().add(args);
            return Reply.QUEUED;
        }
        return run(spec, client, args);
    }

    /**
     * Redis's BUSY error if a script (of another client) has run past busy-reply-threshold and
     * this command is not one Redis lets through meanwhile; else null.
     */
    public Reply busy(CommandSpec spec, Client client, List<byte[]> args) {
        RunningScript script = server.runningScript();
        if (script == null || script.client() == client.id() || script.elapsedMillis() < server.config().busyReplyThreshold()
                || allowedWhileBusy(spec, args)) {
            return null;
        }
        return busyError(script);
    }

    /** The BUSY text, naming the kill command that applies. */
    public static Reply busyError(RunningScript script) {
        return script.function() ? BUSY_FUNCTION : BUSY_SCRIPT;
    }

    private static final Reply BUSY_SCRIPT = Reply.error("BUSY Redis is busy running a script. You can only call SCRIPT KILL "
            + "or SHUTDOWN NOSAVE.");
    private static final Reply BUSY_FUNCTION = Reply.error("BUSY Redis is busy running a script. You can only call FUNCTION "
            + "KILL or SHUTDOWN NOSAVE.");

    /**
     * What Redis lets through while a script is busy (its allow-busy commands). WATCH takes the
     * server lock's shared side: served by a busy script's own loop, which holds the exclusive
     * side, the read-write lock lets it in at once.
     */
    private static boolean allowedWhileBusy(CommandSpec spec, List<byte[]> args) {
        return spec.name().equals("watch") || lockFree(spec, args);
    }

    /**
     * Commands that take no server lock: SCRIPT KILL, FUNCTION KILL / STATS and SHUTDOWN must
     * reach a script that holds it, and the connection-only ones Redis serves while a script is
     * busy need nothing it guards.
     */
    private static boolean lockFree(CommandSpec spec, List<byte[]> args) {
        return switch (spec.name()) {
            case "shutdown", "auth", "hello", "quit", "reset", "multi", "discard", "unwatch" -> true;
            case "script" -> args.size() == 2 && lower(args.get(1)).equals("kill");
            case "function" -> args.size() == 2 && (lower(args.get(1)).equals("kill") || lower(args.get(1)).equals("stats"));
            default -> false;
        };
    }

    /** Runs a command that has passed the checks (EXEC calls this for each queued command). */
    public Reply run(CommandSpec spec, Client client, List<byte[]> args) {
        if (lockFree(spec, args)) {
            return call(spec, client, args);
        }
        // A command that waits for the lock while a script holds it gives up with BUSY once the
        // script passes the threshold, so its event loop's other connections get their BUSY too.
        if (spec.has(Flag.EXCLUSIVE)) {
            Reply[] busy = new Reply[1];
            if (!server.exclusive().enterExclusive(() -> (busy[0] = busy(spec, client, args)) != null)) {
                return gaveUp(client, busy[0]);
            }
            try {
                return call(spec, client, args);
            } finally {
                server.exclusive().exitExclusive();
            }
        }
        var lock = server.exclusive().tryEnterShared();
        if (lock == null) {
            Reply[] busy = new Reply[1];
            lock = server.exclusive().enterShared(() -> (busy[0] = busy(spec, client, args)) != null);
            if (lock == null) {
                return gaveUp(client, busy[0]);
            }
        }
        try {
            return call(spec, client, args);
        } finally {
            server.exclusive().exitShared(lock);
        }
    }

    /** A lock wait gave up: BUSY (or, if the thread was interrupted, an error saying so). */
    private static Reply gaveUp(Client client, Reply busy) {
        client.markMultiDirty();
        return busy != null ? busy : Reply.error("ERR interrupted while waiting for the server lock");
    }

    /** Calls the handler, mapping exceptions to error replies and counting it for INFO commandstats; no lock taken. */
    public Reply call(CommandSpec spec, Client client, List<byte[]> args) {
        if (!server.monitors().isEmpty() && !spec.has(Flag.ADMIN) && !spec.has(Flag.SKIP_MONITOR)) {
            // Before it runs, so a script's commands show after the EVAL, as in Redis.
            server.monitors().feed(client, client.scripting(), client.db(), ShownArgs.of(spec.name(), args));
        }
        long start = System.nanoTime();
        Reply r = invoke(spec, client, args);
        long nanos = System.nanoTime() - start;
        spec.stats().record(nanos, r instanceof Reply.Error);
        long threshold = server.config().latencyMonitorThreshold();
        if (threshold > 0 && nanos / 1_000_000 >= threshold) {
            server.latency().record(spec.has(Flag.FAST) ? "fast-command" : "command", nanos / 1_000_000);
        }
        long slower = server.config().slowlogLogSlowerThan();
        if (slower >= 0 && nanos / 1000 >= slower && !spec.has(Flag.SKIP_SLOWLOG)) {
            server.slowLog().add(ShownArgs.of(spec.name(), args), nanos / 1000, client.addressText(), client.name(),
                    server.config().slowlogMaxLen());
        }
        return r;
    }

    private Reply invoke(CommandSpec spec, Client client, List<byte[]> args) {
        try {
            var notifier = server.notifier();
            java.util.Set<io.couloy.server.pubsub.Name> fresh = null;
            if (spec.has(Flag.WRITE) && notifier.wants(KeyspaceNotifier.NEW)) {
                var db = server.databases().get(client.db());
                fresh = new java.util.HashSet<>();
                for (byte[] k : spec.keysOf(args)) {
                    if (!db.exists(k)) {
                        fresh.add(new io.couloy.server.pubsub.Name(k));
                    }
                }
            }
            Reply r = spec.handler().handle(fresh == null ? client.context(server) : new Context(server, client, fresh), args);
            if (fresh != null && !fresh.isEmpty()) {
                // Keys the command created without an event of their own (BITFIELD OVERFLOW FAIL
                // pads the string): Redis's dbAdd fired new for them all the same.
                var db = server.databases().get(client.db());
                for (var k : fresh) {
                    if (db.exists(k.bytes())) {
                        notifier.notify(client.db(), KeyspaceNotifier.NEW, "new", k.bytes());
                    }
                }
            }
            if (spec.has(Flag.READONLY) && notifier.wants(KeyspaceNotifier.KEY_MISS) && !spec.name().equals("object")) {
                // As Redis's read lookups: a key a read command found missing fires keymiss (OBJECT looks quietly).
                var db = server.databases().get(client.db());
                for (byte[] k : spec.keysOf(args)) {
                    if (!db.exists(k)) {
                        notifier.notify(client.db(), KeyspaceNotifier.KEY_MISS, "keymiss", k);
                    }
                }
            }
            return r;
        } catch (CommandError e) {
            return Reply.error(e.getMessage());
        } catch (WrongTypeException e) {
            return WRONGTYPE;
        } catch (InvalidValueException e) {
            String m = e.getMessage();
            if (m.startsWith("Key is not a valid HyperLogLog")) {
                return Reply.error("WRONGTYPE " + m);
            }
            return Reply.error(m.startsWith("INVALIDOBJ") ? m : "ERR " + m);
        } catch (ScriptTimeoutException e) {
            return Reply.error("ERR " + e.getMessage());
        } catch (io.couloy.engine.StorageException | io.couloy.engine.ReadOnlyException e) {
            // A data file could not be written (a full disk) and the database refuses writes
            // until it is reopened: Redis's reply while its AOF cannot be written.
            return Reply.error("MISCONF Errors writing to the AOF file: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return Reply.error("ERR " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("command {} failed", spec.name(), e);
            return Reply.error("ERR internal error: " + e);
        }
    }

    /** Redis's text: ERR unknown command 'foo', with args beginning with: 'a' 'b' */
    static String unknown(List<byte[]> args) {
        StringBuilder sb = new StringBuilder("ERR unknown command '")
                .append(trim(new String(args.get(0), StandardCharsets.ISO_8859_1))).append("', with args beginning with: ");
        for (byte[] a : args.subList(1, Math.min(args.size(), 21))) {
            sb.append('\'').append(trim(new String(a, StandardCharsets.ISO_8859_1))).append("' ");
        }
        return sb.toString();
    }

    private static String trim(String s) {
        return s.length() > 128 ? s.substring(0, 128) : s;
    }

    static String lower(byte[] b) {
        return new String(b, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    }
}
