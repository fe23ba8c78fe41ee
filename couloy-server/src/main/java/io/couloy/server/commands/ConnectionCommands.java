package io.couloy.server.commands;

import static io.couloy.server.command.CommandSpec.of;

import io.couloy.server.command.Args;
import io.couloy.server.command.CommandError;
import io.couloy.server.command.CommandTable;
import io.couloy.server.command.Context;
import io.couloy.server.command.Flag;
import io.couloy.server.command.ServerContext;
import io.couloy.server.resp.Reply;
import java.util.ArrayList;
import java.util.List;

/** PING, ECHO, QUIT, RESET, HELLO, AUTH, SELECT, CLIENT. */
public final class ConnectionCommands {
    private ConnectionCommands() {}

    public static void register(CommandTable t) {
        t.add(of("ping", -1, "connection", ConnectionCommands::ping).flags(Flag.FAST, Flag.STALE)
                .doc("Returns the server's liveliness response.", "1.0.0", "O(1)"));
        t.add(of("echo", 2, "connection", (c, a) -> new Reply.Bulk(a.get(1))).flags(Flag.FAST)
                .doc("Returns the given string.", "1.0.0", "O(1)"));
        t.add(of("quit", -1, "connection", ConnectionCommands::quit).flags(Flag.NO_AUTH, Flag.NOT_QUEUED, Flag.FAST)
                .doc("Closes the connection.", "1.0.0", "O(1)"));
        t.add(of("reset", 1, "connection", ConnectionCommands::reset).flags(Flag.NO_AUTH, Flag.NOT_QUEUED, Flag.FAST)
                .doc("Resets the connection.", "6.2.0", "O(1)"));
        t.add(of("hello", -1, "connection", ConnectionCommands::hello).flags(Flag.NO_AUTH, Flag.FAST)
                .doc("Handshakes with the Redis server.", "6.0.0", "O(1)"));
        t.add(of("auth", -2, "connection", ConnectionCommands::auth).flags(Flag.NO_AUTH, Flag.FAST)
                .doc("Authenticates the connection.", "1.0.0", "O(N)"));
        t.add(of("select", 2, "connection", ConnectionCommands::select).flags(Flag.FAST)
                .doc("Changes the selected database.", "1.0.0", "O(1)"));
        t.add(of("client", -2, "connection", ConnectionCommands::client)
                .doc("A container for client connection commands.", "2.4.0", "Depends on subcommand."));
    }

    private static Reply ping(Context c, List<byte[]> a) {
        if (a.size() > 2) {
            throw new CommandError("ERR wrong number of arguments for 'ping' command");
        }
        return a.size() == 2 ? new Reply.Bulk(a.get(1)) : Reply.PONG;
    }

    private static Reply quit(Context c, List<byte[]> a) {
        c.client().closeAfterReply(true);
        return Reply.OK;
    }

    private static Reply reset(Context c, List<byte[]> a) {
        c.client().endMulti();
        c.server().pubsub().drop(c.client());
        c.server().monitors().remove(c.client());
        c.client().replyMode("ON");
        c.client().db(0);
        c.client().protocol(2);
        c.client().name("");
        c.client().authenticated(c.server().config().requirepass() == null);
        return new Reply.Simple("RESET");
    }

    /** The only user is "default"; without requirepass it takes any password (Redis's nopass). */
    private static boolean passwordMatches(ServerContext s, String user, byte[] password) {
        String required = s.config().requirepass();
        return user.equals("default") && (required == null
                || java.security.MessageDigest.isEqual(required.getBytes(java.nio.charset.StandardCharsets.UTF_8), password));
    }

    private static Reply auth(Context c, List<byte[]> a) {
        if (a.size() > 3) {
            throw CommandError.SYNTAX;
        }
        if (c.server().config().requirepass() == null && a.size() == 2) {
            return Reply.error("ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
        }
        String user = a.size() == 3 ? Args.text(a.get(1)) : "default";
        if (!passwordMatches(c.server(), user, a.get(a.size() - 1))) {
            return Reply.error("WRONGPASS invalid username-password pair or user is disabled.");
        }
        c.client().authenticated(true);
        return Reply.OK;
    }

    private static Reply hello(Context c, List<byte[]> a) {
        int proto = c.client().protocol();
        int i = 1;
        if (a.size() > 1) {
            long v;
            try {
                v = Args.integer(a.get(1));
            } catch (CommandError e) {
                return Reply.error("ERR Protocol version is not an integer or out of range");
            }
            if (v != 2 && v != 3) {
                return Reply.error("NOPROTO unsupported protocol version");
            }
            proto = (int) v;
            i = 2;
        }
        String name = null;
        boolean authed = false;
        for (; i < a.size(); i++) {
            if (Args.is(a.get(i), "AUTH") && i + 2 < a.size()) {
                if (!passwordMatches(c.server(), Args.text(a.get(i + 1)), a.get(i + 2))) {
                    return Reply.error("WRONGPASS invalid username-password pair or user is disabled.");
                }
                authed = true;
                i += 2;
            } else if (Args.is(a.get(i), "SETNAME") && i + 1 < a.size()) {
                name = Args.text(a.get(++i));
            } else {
                return Reply.error("ERR Syntax error in HELLO option '" + Args.text(a.get(i)) + "'");
            }
        }
        if (authed) {
            c.client().authenticated(true);
        }
        if (!c.client().authenticated()) {
            return Reply.error("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                    + "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select "
                    + "the RESP protocol version at the same time");
        }
        if (name != null) {
            c.client().name(name);
        }
        c.client().protocol(proto);
        List<Reply> m = new ArrayList<>();
        m.add(Reply.bulk("server"));
        m.add(Reply.bulk("redis"));
        m.add(Reply.bulk("version"));
        m.add(Reply.bulk(ServerContext.VERSION));
        m.add(Reply.bulk("proto"));
        m.add(Reply.integer(proto));
        m.add(Reply.bulk("id"));
        m.add(Reply.integer(c.client().id()));
        m.add(Reply.bulk("mode"));
        m.add(Reply.bulk("standalone"));
        m.add(Reply.bulk("role"));
        m.add(Reply.bulk("master"));
        m.add(Reply.bulk("modules"));
        m.add(Reply.EMPTY);
        return new Reply.Map(m);
    }

    private static Reply select(Context c, List<byte[]> a) {
        long index = Args.integer(a.get(1));
        if (index < 0 || index >= c.server().databases().count()) {
            return Reply.error("ERR DB index is out of range");
        }
        c.client().db((int) index);
        return Reply.OK;
    }

    private static Reply client(Context c, List<byte[]> a) {
        String sub = Args.upper(a.get(1));
        return switch (sub) {
            case "ID" -> Reply.integer(c.client().id());
            case "SETNAME" -> {
                if (a.size() != 3) {
                    throw new CommandError("ERR wrong number of arguments for 'client|setname' command");
                }
                String name = Args.text(a.get(2));
                if (name.chars().anyMatch(ch -> ch <= ' ' || ch > '~')) {
                    throw new CommandError("ERR Client names cannot contain spaces, newlines or special characters.");
                }
                c.client().name(name);
                yield Reply.OK;
            }
            case "GETNAME" -> c.client().name().isEmpty() ? Reply.NIL : Reply.bulk(c.client().name());
            case "SETINFO" -> Reply.OK;
            case "UNBLOCK" -> {
                if (a.size() < 3 || a.size() > 4) {
                    throw new CommandError("ERR wrong number of arguments for 'client|unblock' command");
                }
                long id = Args.integer(a.get(2));
                Reply error = null;
                if (a.size() == 4) {
                    if (Args.is(a.get(3), "ERROR")) {
                        error = Reply.error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
                    } else if (!Args.is(a.get(3), "TIMEOUT")) {
                        throw new CommandError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
                    }
                }
                yield Reply.integer(c.server().waiters().unblock(id, error) ? 1 : 0);
            }
            case "KILL" -> {
                // CLIENT KILL ID n / ADDR ip:port (new form, counts) or CLIENT KILL ip:port (old form, OK or error)
                if (a.size() == 3) {
                    String addr = Args.text(a.get(2));
                    for (var cl : c.server().clients().values()) {
                        if (cl.addressText().equals(addr)) {
                            kill(c, cl);
                            yield Reply.OK;
                        }
                    }
                    throw new CommandError("ERR No such client");
                }
                if (a.size() % 2 != 0) {
                    throw CommandError.SYNTAX;
                }
                long killed = 0;
                for (var cl : List.copyOf(c.server().clients().values())) {
                    boolean match = true;
                    for (int i = 2; i < a.size(); i += 2) {
                        String f = Args.upper(a.get(i));
                        String v = Args.text(a.get(i + 1));
                        match &= switch (f) {
                            case "ID" -> Long.toString(cl.id()).equals(v);
                            case "ADDR" -> cl.addressText().equals(v);
                            case "SKIPME" -> !(v.equalsIgnoreCase("yes") && cl == c.client());
                            default -> throw CommandError.SYNTAX;
                        };
                    }
                    if (match) {
                        kill(c, cl);
                        killed++;
                    }
                }
                yield Reply.integer(killed);
            }
            case "NO-EVICT", "NO-TOUCH" -> Reply.OK;
            case "REPLY" -> {
                String mode = a.size() == 3 ? Args.upper(a.get(2)) : "";
                if (!List.of("ON", "OFF", "SKIP").contains(mode)) {
                    throw a.size() == 3 ? CommandError.SYNTAX
                            : new CommandError("ERR wrong number of arguments for 'client|reply' command");
                }
                c.client().replyMode(mode);
                yield mode.equals("ON") ? Reply.OK : Reply.NONE;
            }
            case "INFO" -> Reply.bulk(line(c, c.client()) + "\n");
            case "LIST" -> {
                StringBuilder sb = new StringBuilder();
                for (var cl : c.server().clients().values()) {
                    sb.append(line(c, cl)).append('\n');
                }
                yield Reply.bulk(sb.toString());
            }
            default -> throw new CommandError("ERR unknown subcommand '" + Args.text(a.get(1))
                    + "'. Try CLIENT HELP.");
        };
    }

    private static void kill(Context c, io.couloy.server.command.Client cl) {
        if (cl == c.client()) {
            c.client().closeAfterReply(true);
        } else {
            cl.kill();
        }
    }

    private static String line(Context c, io.couloy.server.command.Client cl) {
        long age = (System.currentTimeMillis() - cl.createdMillis()) / 1000;
        return "id=" + cl.id() + " addr=" + cl.addressText() + " name=" + cl.name() + " age=" + age + " db=" + cl.db()
                + " multi=" + (cl.inMulti() ? cl.queued().size() : -1) + " resp=" + cl.protocol();
    }
}
