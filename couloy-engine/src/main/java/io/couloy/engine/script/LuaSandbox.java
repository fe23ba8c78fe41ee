package io.couloy.engine.script;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.DebugLib;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JseMathLib;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Redis-style Lua scripts: KEYS and ARGV, the {@code redis} table (call, pcall,
 * error_reply, status_reply, sha1hex, log), Redis's conversions between Lua values and replies,
 * in a sandbox: the base, table, string and math libraries only (no io, os, package, require,
 * dofile, loadfile, coroutines or Java access), globals read-only to scripts, and a time limit
 * enforced by an instruction hook. Strings are byte strings, so binary values pass unchanged.
 *
 * <p>Compiled scripts are cached by SHA1 (as EVALSHA needs). One Lua state per thread, reused.
 */
public final class LuaSandbox {
    private static final Logger LOG = LoggerFactory.getLogger("io.couloy.script");

    private final ConcurrentHashMap<String, Prototype> compiled = new ConcurrentHashMap<>();
    private final ThreadLocal<State> states = ThreadLocal.withInitial(State::new);

    /** The SHA1 of a script, lowercase hex, as Redis names scripts. */
    public static String sha1(byte[] script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compiles and caches a script; returns its SHA1. A syntax error is thrown as {@link ScriptException}. */
    public String load(byte[] script) {
        String sha = sha1(script);
        compiled.computeIfAbsent(sha, s -> compile(script, s));
        return sha;
    }

    /** Whether a script of this SHA1 is cached. */
    public boolean exists(String sha) {
        return compiled.containsKey(sha.toLowerCase(java.util.Locale.ROOT));
    }

    /** Forgets every cached script (SCRIPT FLUSH). */
    public void flush() {
        compiled.clear();
    }

    private Prototype compile(byte[] script, String sha) {
        try {
            return LuaC.instance.compile(new java.io.ByteArrayInputStream(script), "@user_script");
        } catch (LuaError | java.io.IOException e) {
            // LuaJ words one common syntax error differently from Lua 5.1; say it as Redis does.
            String why = stripChunk(e.getMessage()).replaceFirst("unexpected symbol \\d+ \\((.+)\\)$", "unexpected symbol near '$1'");
            throw new ScriptException("ERR Error compiling script (new function): user_script:" + why);
        }
    }

    private static String stripChunk(String message) {
        if (message == null) {
            return "";
        }
        int at = message.indexOf("user_script:");
        return at >= 0 ? message.substring(at + "user_script:".length()) : message;
    }

    /**
     * Runs the cached script {@code sha} with {@code keys} and {@code args}, sending its
     * commands to {@code caller}; returns its reply (an error reply if the script failed).
     *
     * @throws ScriptException "NOSCRIPT No matching script. Please use EVAL." if not cached
     * @throws ScriptTimeoutException if it ran past {@code timeLimitMillis}
     */
    public Object run(String sha, List<byte[]> keys, List<byte[]> args, CommandCaller caller, long timeLimitMillis) {
        Prototype p = compiled.get(sha.toLowerCase(java.util.Locale.ROOT));
        if (p == null) {
            throw new ScriptException("NOSCRIPT No matching script. Please use EVAL.");
        }
        State s = states.get();
        if (s.busy) {
            throw new ScriptException("ERR scripts cannot run scripts");
        }
        s.busy = true;
        s.caller = caller;
        s.timeLimitMillis = timeLimitMillis;
        s.hook.deadline = System.nanoTime() + timeLimitMillis * 1_000_000;
        s.hook.timedOut = false;
        try {
            s.globals.rawset("KEYS", table(keys));
            s.globals.rawset("ARGV", table(args));
            LuaValue result = new LuaClosure(p, s.globals).call();
            return toReply(result);
        } catch (Stop e) {
            throw new ScriptTimeoutException(timeLimitMillis);
        } catch (LuaError e) {
            if (s.hook.timedOut) {
                throw new ScriptTimeoutException(timeLimitMillis);
            }
            return errorReply(e, sha);
        } catch (StackOverflowError e) {
            return new Replies.Error("ERR stack overflow in script: " + sha);
        } finally {
            s.caller = null;
            s.busy = false;
        }
    }

    /**
     * A script's failure as Redis 7 words it: a command's error reply raised by redis.call keeps
     * its text; a Lua error becomes "ERR user_script:LINE: message"; both end with
     * " script: SHA, on @user_script:LINE.".
     */
    private static Replies.Error errorReply(LuaError e, String sha) {
        String full = e.getMessage() == null ? "" : e.getMessage();
        java.util.regex.Matcher lm = java.util.regex.Pattern.compile("^@?user_script:(\\d+)").matcher(full);
        String line = lm.find() ? lm.group(1) : "1";
        String where = " script: " + sha + ", on @user_script:" + line + ".";
        LuaValue m = e.getMessageObject();
        if (m != null && m.istable() && m.get("err").isstring()) {
            return new Replies.Error(m.get("err").tojstring() + where);
        }
        String text = m == null || m.isnil() ? full : m.tojstring();
        int nl = text.indexOf('\n');
        if (nl >= 0) {
            text = text.substring(0, nl); // LuaJ appends a stack traceback
        }
        text = text.replaceFirst("^@?user_script:\\d+:? ", ""); // and prefixes the position Redis puts elsewhere
        return new Replies.Error("ERR user_script:" + line + ": " + text + where);
    }

    private static LuaTable table(List<byte[]> items) {
        LuaTable t = new LuaTable(items.size(), 0);
        for (int i = 0; i < items.size(); i++) {
            t.rawset(i + 1, LuaString.valueOf(items.get(i)));
        }
        return t;
    }

    /** Lua to reply, as Redis converts a script's result and redis.call's arguments' results. */
    static Object toReply(LuaValue v) {
        // type(), not isstring()/isnumber(): LuaJ says a numeric string "is" a number and a number "is" a string.
        if (v.type() == LuaValue.TSTRING) {
            LuaString s = v.checkstring();
            byte[] b = new byte[s.m_length];
            System.arraycopy(s.m_bytes, s.m_offset, b, 0, s.m_length);
            return b;
        }
        if (v.type() == LuaValue.TNUMBER) {
            return (long) v.todouble();
        }
        if (v.isboolean()) {
            return v.toboolean() ? 1L : null;
        }
        if (v.istable()) {
            LuaValue err = v.rawget("err");
            if (err.isstring()) {
                return new Replies.Error(err.tojstring());
            }
            LuaValue ok = v.rawget("ok");
            if (ok.isstring()) {
                return new Replies.Status(ok.tojstring());
            }
            List<Object> out = new ArrayList<>();
            for (int i = 1; ; i++) {
                LuaValue item = v.rawget(i);
                if (item.isnil()) {
                    break;
                }
                out.add(toReply(item));
            }
            return out;
        }
        return null;
    }

    /** Reply to Lua, as Redis hands command replies to scripts. */
    static LuaValue toLua(Object reply) {
        return switch (reply) {
            case null -> LuaValue.FALSE;
            case Long l -> LuaValue.valueOf(l);
            case byte[] b -> LuaString.valueOf(b);
            case Replies.Status s -> tableWith("ok", s.text());
            case Replies.Error e -> tableWith("err", e.text());
            case List<?> list -> {
                LuaTable t = new LuaTable(list.size(), 0);
                for (int i = 0; i < list.size(); i++) {
                    t.rawset(i + 1, toLua(list.get(i)));
                }
                yield t;
            }
            default -> throw new IllegalArgumentException("not a reply: " + reply.getClass());
        };
    }

    private static LuaTable tableWith(String field, String text) {
        LuaTable t = new LuaTable();
        t.rawset(field, LuaValue.valueOf(text));
        return t;
    }

    /** A script error outside its own run: compile errors, NOSCRIPT, nesting. */
    public static final class ScriptException extends RuntimeException {
        public ScriptException(String message) {
            super(message);
        }
    }

    /** Unwinds a script past its deadline through any pcall. */
    private static final class Stop extends Error {
        Stop() {
            super("script time limit reached", null, false, false);
        }
    }

    /** Stops a script past its deadline: checked every 1,024 instructions. */
    private static final class DeadlineHook extends DebugLib {
        long deadline;
        boolean timedOut;
        private int count;

        @Override
        public void onInstruction(int pc, Varargs v, int top) {
            if ((++count & 1023) == 0 && System.nanoTime() > deadline) {
                timedOut = true;
                throw new Stop(); // an Error, not an exception: a pcall in the script cannot catch it
            }
            super.onInstruction(pc, v, top);
        }
    }

    /** One thread's Lua state. */
    private final class State {
        final Globals globals = new Globals();
        final DeadlineHook hook = new DeadlineHook();
        CommandCaller caller;
        long timeLimitMillis;
        boolean busy;

        State() {
            globals.load(new BaseLib());
            globals.load(new PackageLib()); // the libraries register in package.loaded; removed below
            globals.load(new TableLib());
            globals.load(new StringLib());
            globals.load(new JseMathLib());
            globals.load(hook); // sets globals.debuglib, so every instruction reaches the hook
            LoadState.install(globals);
            LuaC.install(globals);
            for (String gone : new String[] {"dofile", "loadfile", "require", "module", "collectgarbage", "debug",
                    "package", "io", "os", "coroutine", "luajava"}) {
                globals.rawset(gone, LuaValue.NIL);
            }
            globals.rawset("unpack", globals.get("table").get("unpack")); // Lua 5.1's name
            globals.rawset("loadstring", globals.get("load"));
            globals.rawset("print", new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs a) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 1; i <= a.narg(); i++) {
                        sb.append(i > 1 ? "\t" : "").append(a.arg(i).tojstring());
                    }
                    LOG.info("script: {}", sb);
                    return NONE;
                }
            });
            globals.rawset("redis", redisTable());
            globals.rawset("cjson", CJson.library());
            globals.rawset("cmsgpack", CMsgpack.library());
            globals.rawset("bit", BitOp.library());
            globals.rawset("struct", Struct.library());
            LuaTable os = new LuaTable(); // Redis keeps only os.clock
            os.rawset("clock", new org.luaj.vm2.lib.ZeroArgFunction() {
                @Override
                public LuaValue call() {
                    return LuaValue.valueOf(java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9);
                }
            });
            globals.rawset("os", os);
            LuaTable meta = new LuaTable();
            meta.rawset("__newindex", new TwoArgFunction() {
                @Override
                public LuaValue call(LuaValue t, LuaValue k) {
                    throw new LuaError("Attempt to modify a readonly table");
                }
            });
            meta.rawset("__index", new TwoArgFunction() {
                @Override
                public LuaValue call(LuaValue t, LuaValue k) {
                    throw new LuaError("Script attempted to access nonexistent global variable '" + k.tojstring() + "'");
                }
            });
            globals.setmetatable(meta);
        }

        private LuaTable redisTable() {
            LuaTable redis = new LuaTable();
            redis.rawset("call", new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs a) {
                    Object reply = command(a);
                    if (reply instanceof Replies.Error e) {
                        throw new LuaError(tableWith("err", e.text()));
                    }
                    return toLua(reply);
                }
            });
            redis.rawset("pcall", new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs a) {
                    return toLua(command(a));
                }
            });
            redis.rawset("error_reply", new OneArgFunction() {
                @Override
                public LuaValue call(LuaValue msg) {
                    String text = msg.checkjstring();
                    return tableWith("err", text.startsWith("-") ? text.substring(1) : text);
                }
            });
            redis.rawset("status_reply", new OneArgFunction() {
                @Override
                public LuaValue call(LuaValue msg) {
                    return tableWith("ok", msg.checkjstring());
                }
            });
            redis.rawset("sha1hex", new OneArgFunction() {
                @Override
                public LuaValue call(LuaValue s) {
                    LuaString str = s.checkstring();
                    byte[] b = new byte[str.m_length];
                    System.arraycopy(str.m_bytes, str.m_offset, b, 0, b.length);
                    return LuaValue.valueOf(sha1(b));
                }
            });
            redis.rawset("log", new TwoArgFunction() {
                @Override
                public LuaValue call(LuaValue level, LuaValue msg) {
                    LOG.info("script log [{}]: {}", level.optint(1), msg.tojstring());
                    return NONE.arg1();
                }
            });
            redis.rawset("setresp", new OneArgFunction() {
                @Override
                public LuaValue call(LuaValue v) {
                    int resp = v.checkint();
                    if (resp != 2 && resp != 3) {
                        throw new LuaError(tableWith("err", "ERR RESP version must be 2 or 3."));
                    }
                    if (resp == 3) {
                        // Honest refusal: replies would reach the script converted as RESP2.
                        throw new LuaError(tableWith("err", "ERR RESP3 replies inside scripts are not supported by CouloyDB yet"));
                    }
                    return NONE.arg1();
                }
            });
            redis.rawset("set_repl", new OneArgFunction() {
                @Override
                public LuaValue call(LuaValue v) {
                    int flags = v.checkint();
                    if (flags < 0 || flags > 3) {
                        throw new LuaError(tableWith("err",
                                "ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE."));
                    }
                    return NONE.arg1(); // no replicas and no AOF to choose between: accepted
                }
            });
            redis.rawset("replicate_commands", new org.luaj.vm2.lib.ZeroArgFunction() {
                @Override
                public LuaValue call() {
                    return LuaValue.TRUE; // effects replication is the only mode since Redis 7
                }
            });
            redis.rawset("breakpoint", new org.luaj.vm2.lib.ZeroArgFunction() {
                @Override
                public LuaValue call() {
                    return LuaValue.FALSE; // no debugger session
                }
            });
            redis.rawset("debug", new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs a) {
                    return NONE;
                }
            });
            redis.rawset("REPL_NONE", LuaValue.valueOf(0));
            redis.rawset("REPL_AOF", LuaValue.valueOf(1));
            redis.rawset("REPL_SLAVE", LuaValue.valueOf(2));
            redis.rawset("REPL_REPLICA", LuaValue.valueOf(2));
            redis.rawset("REPL_ALL", LuaValue.valueOf(3));
            redis.rawset("REDIS_VERSION", LuaValue.valueOf("7.2.0"));
            redis.rawset("REDIS_VERSION_NUM", LuaValue.valueOf(0x070200));
            redis.rawset("LOG_DEBUG", LuaValue.valueOf(0));
            redis.rawset("LOG_VERBOSE", LuaValue.valueOf(1));
            redis.rawset("LOG_NOTICE", LuaValue.valueOf(2));
            redis.rawset("LOG_WARNING", LuaValue.valueOf(3));
            return redis;
        }

        /** Runs one redis.call / redis.pcall: arguments must be strings or numbers, as in Redis. */
        private Object command(Varargs a) {
            if (a.narg() == 0) {
                return new Replies.Error("ERR Please specify at least one argument for this redis lib call");
            }
            List<byte[]> args = new ArrayList<>(a.narg());
            for (int i = 1; i <= a.narg(); i++) {
                LuaValue v = a.arg(i);
                if (v.type() == LuaValue.TNUMBER) {
                    args.add(numberText(v.todouble()).getBytes(StandardCharsets.US_ASCII));
                } else if (v.type() == LuaValue.TSTRING) {
                    LuaString s = v.checkstring();
                    byte[] b = new byte[s.m_length];
                    System.arraycopy(s.m_bytes, s.m_offset, b, 0, b.length);
                    args.add(b);
                } else {
                    return new Replies.Error("ERR Lua redis lib command arguments must be strings or integers");
                }
            }
            try {
                return caller.call(args);
            } catch (RuntimeException e) {
                return new Replies.Error("ERR " + e.getMessage());
            }
        }
    }

    /** Lua 5.1's number-to-string (%.14g). */
    private static String numberText(double d) {
        return CJson.formatG(d, 14);
    }
}
